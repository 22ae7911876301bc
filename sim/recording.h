// Replaying a recorded schedule and checking the run against its recording: what `wvsim replay`
// and the testing API's WVSIM_REPLAY (testing/wvsim/testing.h) both do, so they agree on what a
// faithful replay is and on how a bad recording is reported.
//
//   absl::StatusOr<Schedule> recorded = ReadScheduleFile(path);
//   absl::StatusOr<ParamValues> params = RecordedParams(scenario, *recorded, path);
//   if (absl::Status same = CheckModelVersion(scenario, *recorded, path, "replay it leniently");
//       !same.ok()) { ... }
//   Runner runner(scenario, *params, RecordedLimits(*recorded));
//   CheckedReplay replay = ReplayRecording(runner, *recorded, /*lenient=*/false);
//   // replay.divergence is empty when the run made the recorded decisions and, strictly, ended
//   // with the recorded verdict and trace hash; runner.kernel() holds the full trace.
//
// Errors are InvalidArgument whose message starts with "<path>:<line>: ", as ParseSchedule's do.
// Deterministic; no shared state.
#ifndef WVSIM_SIM_RECORDING_H_
#define WVSIM_SIM_RECORDING_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/kernel.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/schedule.h"

namespace wvsim::sim {

// The 1-based line of the first header line of the file at `path` that starts with `prefix`, for
// error messages about a header; 0 when there is none or the file cannot be read.
int ScheduleHeaderLine(const std::string& path, std::string_view prefix);

// The recording's parameters, resolved against `scenario`'s defaults. An unknown parameter or a
// bad value is an error naming the `param:` line at fault.
absl::StatusOr<ParamValues> RecordedParams(const Scenario& scenario, const Schedule& recorded,
                                           const std::string& path);

// OK when the recording was made with `scenario`'s current model version. Otherwise an error
// naming the `model-version:` line that ends with "re-record it (docs/schedule-format.md) or
// <relax_hint>", `relax_hint` saying how this caller replays leniently.
absl::Status CheckModelVersion(const Scenario& scenario, const Schedule& recorded,
                               const std::string& path, std::string_view relax_hint);

// The limits a replay of `recorded` runs under: its own step limit, when it has one.
KernelLimits RecordedLimits(const Schedule& recorded);

struct CheckedReplay {
  RunOutcome outcome;
  uint64_t trace_hash = 0;
  // Empty when the replay is faithful: the run made every recorded decision and, unless lenient,
  // ended with the recorded verdict and trace hash. Otherwise the first difference.
  std::string divergence;
};

// Re-executes `recorded` on `runner` with full tracing and checks it against the recording.
CheckedReplay ReplayRecording(Runner& runner, const Schedule& recorded, bool lenient);

// The end of a replay as `wvsim replay` prints it after the trace: "verdict: <kind>[ at <place>
// <report>]", then "steps: N, preemptions: N, trace hash: <hex>", each ending in a newline.
std::string FormatReplayVerdict(const RunOutcome& outcome, uint64_t trace_hash);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_RECORDING_H_
