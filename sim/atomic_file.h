// Whole-file reads and atomic writes, for schedules and every report file the tools write.
//
// WriteFileAtomically writes a temporary file in the target's directory, forces it to disk and
// renames it over the target: a reader (or a user after a SIGINT) sees the old file or the whole
// new one, never a part. Errors are statuses whose message names the path.
#ifndef WVSIM_SIM_ATOMIC_FILE_H_
#define WVSIM_SIM_ATOMIC_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wvsim::sim {

// Creates missing parent directories. On failure the temporary file is removed and `path` keeps
// its old contents.
absl::Status WriteFileAtomically(const std::string& path, std::string_view text);

// Reads at most `limit` bytes of the file at `path` (the caller passes limit + 1 to notice a file
// that is too large).
absl::StatusOr<std::string> ReadFileAtMost(const std::string& path, size_t limit);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_ATOMIC_FILE_H_
