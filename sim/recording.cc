#include "sim/recording.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "sim/atomic_file.h"
#include "sim/schedule_io.h"

namespace wvsim::sim {

int ScheduleHeaderLine(const std::string& path, std::string_view prefix) {
  absl::StatusOr<std::string> text = ReadFileAtMost(path, kMaxScheduleFileBytes);
  if (!text.ok()) return 0;
  const absl::string_view key(prefix.data(), prefix.size());
  int number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++number;
    if (absl::StartsWith(line, key)) return number;
    if (line == "---") break;
  }
  return 0;
}

absl::StatusOr<ParamValues> RecordedParams(const Scenario& scenario, const Schedule& recorded,
                                           const std::string& path) {
  // Resolved one at a time first, so that an error names the line of the parameter at fault.
  for (const auto& [name, value] : recorded.params) {
    absl::StatusOr<ParamValues> one = ResolveParams(scenario, {{name, value}});
    if (!one.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", ScheduleHeaderLine(path, absl::StrCat("param: ", name, "=")),
                       ": ", one.status().message()));
    }
  }
  return ResolveParams(scenario, {recorded.params.begin(), recorded.params.end()});
}

absl::Status CheckModelVersion(const Scenario& scenario, const Schedule& recorded,
                               const std::string& path, std::string_view relax_hint) {
  if (recorded.model_version == scenario.model_version) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s:%d: recorded with model version %d of %s, this wvsim has version %d; re-record it "
      "(docs/schedule-format.md) or %s",
      path, ScheduleHeaderLine(path, "model-version:"), recorded.model_version, recorded.scenario,
      scenario.model_version, std::string(relax_hint)));
}

KernelLimits RecordedLimits(const Schedule& recorded) {
  KernelLimits limits;
  if (recorded.max_steps != 0) limits.steps_max = recorded.max_steps;
  return limits;
}

namespace {

// What a strict replay must reproduce beyond the decisions themselves; empty when it did.
std::string Mismatch(const Schedule& recorded, const RunOutcome& outcome, uint64_t trace_hash) {
  if (outcome.violation.kind != recorded.verdict) {
    return absl::StrCat("verdict differs: recorded ", VerdictName(recorded.verdict),
                        ", the replay ended ", VerdictName(outcome.violation.kind));
  }
  if (recorded.trace_hash != 0 && trace_hash != recorded.trace_hash) {
    return absl::StrFormat("trace hash differs: recorded %016x, the replay gives %016x",
                           recorded.trace_hash, trace_hash);
  }
  return {};
}

}  // namespace

CheckedReplay ReplayRecording(Runner& runner, const Schedule& recorded, bool lenient) {
  CheckedReplay replay;
  replay.outcome = runner.Replay(recorded.decisions, lenient);
  replay.trace_hash = runner.kernel().TraceHash();
  replay.divergence = replay.outcome.divergence;
  if (!replay.outcome.diverged && !lenient) {
    replay.divergence = Mismatch(recorded, replay.outcome, replay.trace_hash);
  }
  return replay;
}

std::string FormatReplayVerdict(const RunOutcome& outcome, uint64_t trace_hash) {
  std::string text = absl::StrCat("verdict: ", VerdictName(outcome.violation.kind));
  if (outcome.violation.kind != Verdict::kClean) {
    absl::StrAppend(&text, " at ", outcome.violation.place, "\n", outcome.violation.report);
  }
  absl::StrAppendFormat(&text, "\nsteps: %d, preemptions: %d, trace hash: %016x\n", outcome.steps,
                        outcome.preemptions, trace_hash);
  return text;
}

}  // namespace wvsim::sim
