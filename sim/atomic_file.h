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

// Removes the temporary files WriteFileAtomically left in `directory` (not its subfolders) when
// its process died between creating and renaming one (a SIGKILL, a power cut): the names
// "<name><suffix>.tmp.<pid>.<n>" whose <pid> is no live process. A live writer's files, in this
// process or another, are kept. Returns how many were removed; a missing folder has none.
int RemoveStaleTemporaryFiles(const std::string& directory, std::string_view suffix);

// Reads at most `limit` bytes of the file at `path` (the caller passes limit + 1 to notice a file
// that is too large).
absl::StatusOr<std::string> ReadFileAtMost(const std::string& path, size_t limit);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_ATOMIC_FILE_H_
