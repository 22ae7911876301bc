// Reading and writing `.schedule` files: the text form of a Schedule (docs/schedule-format.md).
//
// A schedule file is how a run that went wrong travels from a fuzz campaign to a person's
// terminal and into tests/seeds/. So the writer is exact and the reader is strict:
//
//   - FormatSchedule writes every field in one fixed order, and for every schedule that
//     ValidateSchedule accepts, ParseSchedule(FormatSchedule(s), name) gives back s.
//   - ParseSchedule never crashes, never hangs and allocates at most in proportion to its input,
//     whatever the bytes (it is a fuzz target's neighbour and reads hand-edited files). A malformed
//     file is an absl::InvalidArgumentError whose message starts with "<source_name>:<line>: " and
//     names the problem, e.g. "sample.schedule:7: choice 5 out of range: '5/3' has options 0 to 2".
//   - WriteScheduleFile is atomic: a reader sees the old file or the whole new one, never a part,
//     even when the writer is killed (explore's SIGINT handling relies on this).
//
//   Schedule s = ...;
//   absl::Status written = WriteScheduleFile("out/schedules/sim.abba.schedule", s);
//   absl::StatusOr<Schedule> loaded = ReadScheduleFile("out/schedules/sim.abba.schedule");
//
// Forward compatibility: header keys starting with `x-` are ignored, so a newer writer can add
// informational headers that an older reader skips; any other unknown key is an error, because
// silently ignoring something that changes a replay's meaning would make it lie.
//
// Deterministic (no locale, no clock, no hashing); the functions share no state and are safe to
// call from several threads at once.
#ifndef WVSIM_SIM_SCHEDULE_IO_H_
#define WVSIM_SIM_SCHEDULE_IO_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/schedule.h"

namespace wvsim::sim {

// The format version FormatSchedule writes and ParseSchedule reads (the first line's number).
inline constexpr int kScheduleFormatVersion = Schedule::kFormatVersion;

// Bytes in one line, not counting its line ending. Real lines are short; the limit keeps a
// corrupt or hostile file from making the reader scan or copy without bound.
inline constexpr size_t kMaxScheduleLineBytes = 4096;
// Decision lines in one file; far more than any run's step limit should produce.
inline constexpr uint64_t kMaxScheduleDecisions = 10'000'000;
// `param:` lines in one file.
inline constexpr size_t kMaxScheduleParams = 64;
// At most this many `program:` lines (a scenario's payload, such as a generated program).
inline constexpr size_t kMaxScheduleProgramLines = 1024;
// Bytes in a whole file; ReadScheduleFile refuses anything larger before parsing it.
inline constexpr size_t kMaxScheduleFileBytes = size_t{64} << 20;

// The inverse of ChoiceKindName: "thread" -> kThread, ...; nullopt for any other text.
std::optional<ChoiceKind> ParseChoiceKind(std::string_view name);

// OK when `schedule` can be written and read back unchanged: a well-formed scenario id, a known
// strategy and verdict, param names of [a-z0-9_]+, every decision with count >= 1 and
// chosen < count, labels and param values without control characters or invalid UTF-8, and
// every line and the whole text within the limits above. Otherwise InvalidArgument naming the
// first field at fault.
absl::Status ValidateSchedule(const Schedule& schedule);

// The text of a schedule file, version 1, '\n' line endings, no comments. Precondition:
// ValidateSchedule(schedule) is OK; otherwise the text may not parse back to `schedule`.
std::string FormatSchedule(const Schedule& schedule);

// Parses the text of a schedule file. `source_name` (usually the file's path) starts every
// error message. Accepts '\r\n' line endings, comment lines (`#...`), blank lines and `x-`
// headers anywhere FormatSchedule's output would allow them; rejects everything else.
absl::StatusOr<Schedule> ParseSchedule(std::string_view text, std::string_view source_name);

// Validates `schedule` and writes it to `path` atomically: a temporary file in the same
// directory, flushed to disk, then renamed over `path`. Creates missing parent directories.
// On failure nothing is left behind (the temporary file is removed), `path` keeps its old
// contents, and the error names `path`.
absl::Status WriteScheduleFile(const std::string& path, const Schedule& schedule);

// Reads and parses the schedule file at `path` (errors name `path`, and parse errors use it
// as the source name). A file larger than kMaxScheduleFileBytes is an error; at most that
// many bytes (plus one, to notice) are ever read.
absl::StatusOr<Schedule> ReadScheduleFile(const std::string& path);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_SCHEDULE_IO_H_
