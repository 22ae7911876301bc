// Replaying a recorded schedule and checking the run against its recording: the one recipe that
// `wvsim replay`, the testing API's WVSIM_REPLAY (testing/wvsim/testing.h) and `wvsim shrink`
// (sim/shrink.h) all follow, so they agree on what a faithful replay is and on how a bad
// recording is reported.
//
//   absl::StatusOr<Schedule> recorded = ReadScheduleFile(path);
//   absl::StatusOr<Replayed> replayed =
//       ReplaySchedule(scenario, *recorded, {.lenient = false, .relax_hint = "use --lenient"});
//   // !replayed.ok(): the recording does not fit the scenario (a bad parameter, another model
//   // version, a strict replay without the headers it checks); the message names the line.
//   // replayed->replay.divergence is empty when the run made the recorded decisions and,
//   // strictly, ended with the recorded verdict, steps, preemptions and trace hash;
//   // replayed->runner->kernel() holds the full trace.
//
// Errors are InvalidArgument whose message starts with "<file>:<line>: ", as ParseSchedule's
// do (the lines come from the schedule's ScheduleSource; a schedule built in memory has none, and
// its errors start with the problem). Deterministic; no shared state.
#ifndef WVSIM_SIM_RECORDING_H_
#define WVSIM_SIM_RECORDING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/kernel.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/schedule.h"

namespace wvsim::sim {

struct ReplayMode {
  // Strict (false): every decision's kind, count and label, then the verdict, steps,
  // preemptions and trace hash must match the recording, which must have been made with the
  // scenario's model version and must carry those headers (a zero trace hash is no hash).
  // Lenient: the recorded choices by position only, nothing else checked.
  bool lenient = false;
  // How this caller replays leniently, ending a strict-only error: "replay it with --lenient".
  std::string relax_hint = "replay it leniently";
};

// The recording's parameters, resolved against `scenario`'s defaults and ranges. An unknown
// parameter or a bad value is an error naming the `param:` line at fault.
absl::StatusOr<ParamValues> RecordedParams(const Scenario& scenario, const Schedule& recorded);

// OK when a strict replay can check `recorded` against `scenario`: the same model version, and
// `trace-hash` (not zero), `steps` and `preemptions` present. Otherwise an error naming the line
// (the `---` line for a missing header) that ends with "re-record it (docs/schedule-format.md)
// or <relax_hint>". Lenient replays skip this.
absl::Status CheckStrictReplayable(const Scenario& scenario, const Schedule& recorded,
                                   std::string_view relax_hint);

// The limits a replay of `recorded` runs under: its own step limit, when it has one.
KernelLimits RecordedLimits(const Schedule& recorded);

// A Runner ready to run `recorded` again: its parameters, its limits; in strict mode only after
// CheckStrictReplayable. Shrink starts its search from it.
absl::StatusOr<std::unique_ptr<Runner>> PrepareReplay(const Scenario& scenario,
                                                      const Schedule& recorded,
                                                      const ReplayMode& mode);

struct CheckedReplay {
  RunOutcome outcome;
  uint64_t trace_hash = 0;
  // Empty when the replay is faithful (see ReplayMode); otherwise the first difference.
  std::string divergence;
};

struct Replayed {
  std::unique_ptr<Runner> runner;  // its kernel holds the replay's full trace
  CheckedReplay replay;
};

// The replay entry point: PrepareReplay, then re-executes `recorded` with full tracing and
// checks the run against it as `mode` says. A run that reaches a limit of the configuration
// (RunOutcome::configuration_error, such as the thread limit) is an InvalidArgument error naming
// the file, the scenario and its parameters.
absl::StatusOr<Replayed> ReplaySchedule(const Scenario& scenario, const Schedule& recorded,
                                        const ReplayMode& mode);

// The end of a replay as `wvsim replay` prints it after the trace: "verdict: <kind>[ at <place>
// <report>]", then "steps: N, preemptions: N, trace hash: <hex>", each ending in a newline.
std::string FormatReplayVerdict(const RunOutcome& outcome, uint64_t trace_hash);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_RECORDING_H_
