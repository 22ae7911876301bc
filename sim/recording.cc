#include "sim/recording.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/assert.h"

namespace wvsim::sim {

namespace {

// "<file>:<line>: <problem>" for a problem with header `key` of a parsed schedule; just the
// problem for one built in memory.
absl::Status RecordingError(const Schedule& recorded, std::string_view key,
                            absl::string_view problem) {
  const std::string at = recorded.source.At(key);
  return absl::InvalidArgumentError(at.empty() ? std::string(problem)
                                               : absl::StrCat(at, ": ", problem));
}

std::string ReRecord(std::string_view relax_hint) {
  return absl::StrCat("re-record it (docs/schedule-format.md) or ",
                      absl::string_view(relax_hint.data(), relax_hint.size()));
}

// The headers a strict replay compares beyond the decisions; each must be in the file.
absl::Status CheckStrictHeaders(const Schedule& recorded, std::string_view relax_hint) {
  for (const char* key : {"trace-hash", "steps", "preemptions"}) {
    if (recorded.source.Has(key)) continue;
    return RecordingError(recorded, key,
                          absl::StrFormat("no '%s' header, which a strict replay checks; %s", key,
                                          ReRecord(relax_hint)));
  }
  if (recorded.trace_hash == 0) {
    return RecordingError(recorded, "trace-hash",
                          absl::StrCat("trace-hash 0000000000000000 is no recorded hash, and a "
                                       "strict replay checks it; ",
                                       ReRecord(relax_hint)));
  }
  return absl::OkStatus();
}

// What a strict replay must reproduce beyond the decisions themselves; empty when it did.
std::string Mismatch(const Schedule& recorded, const RunOutcome& outcome, uint64_t trace_hash) {
  if (outcome.violation.kind != recorded.verdict) {
    return absl::StrCat("verdict differs: recorded ", VerdictName(recorded.verdict),
                        ", the replay ended ", VerdictName(outcome.violation.kind));
  }
  if (outcome.steps != recorded.steps) {
    return absl::StrFormat("steps differ: recorded %d, the replay took %d", recorded.steps,
                           outcome.steps);
  }
  if (outcome.preemptions != recorded.preemptions) {
    return absl::StrFormat("preemptions differ: recorded %d, the replay made %d",
                           recorded.preemptions, outcome.preemptions);
  }
  if (trace_hash != recorded.trace_hash) {
    return absl::StrFormat("trace hash differs: recorded %016x, the replay gives %016x",
                           recorded.trace_hash, trace_hash);
  }
  return {};
}

}  // namespace

absl::StatusOr<ParamValues> RecordedParams(const Scenario& scenario, const Schedule& recorded) {
  // Resolved one at a time first, so that an error names the line of the parameter at fault.
  for (const auto& [name, value] : recorded.params) {
    absl::StatusOr<ParamValues> one = ResolveParams(scenario, {{name, value}});
    if (!one.ok()) {
      return RecordingError(recorded, absl::StrCat("param:", name), one.status().message());
    }
  }
  return ResolveParams(scenario, {recorded.params.begin(), recorded.params.end()});
}

absl::Status CheckStrictReplayable(const Scenario& scenario, const Schedule& recorded,
                                   std::string_view relax_hint) {
  if (recorded.model_version != scenario.model_version) {
    return RecordingError(
        recorded, "model-version",
        absl::StrFormat("recorded with model version %d of %s, this wvsim has version %d; %s",
                        recorded.model_version, recorded.scenario, scenario.model_version,
                        ReRecord(relax_hint)));
  }
  return CheckStrictHeaders(recorded, relax_hint);
}

KernelLimits RecordedLimits(const Schedule& recorded) {
  KernelLimits limits;
  if (recorded.max_steps != 0) limits.steps_max = recorded.max_steps;
  return limits;
}

absl::StatusOr<std::unique_ptr<Runner>> PrepareReplay(const Scenario& scenario,
                                                      const Schedule& recorded,
                                                      const ReplayMode& mode) {
  if (!mode.lenient) {
    if (absl::Status checkable = CheckStrictReplayable(scenario, recorded, mode.relax_hint);
        !checkable.ok()) {
      return checkable;
    }
  }
  absl::StatusOr<ParamValues> params = RecordedParams(scenario, recorded);
  if (!params.ok()) return params.status();
  return std::make_unique<Runner>(scenario, *std::move(params), RecordedLimits(recorded));
}

absl::StatusOr<Replayed> ReplaySchedule(const Scenario& scenario, const Schedule& recorded,
                                        const ReplayMode& mode) {
  absl::StatusOr<std::unique_ptr<Runner>> runner = PrepareReplay(scenario, recorded, mode);
  if (!runner.ok()) return runner.status();
  Replayed replayed;
  replayed.runner = *std::move(runner);
  CheckedReplay& replay = replayed.replay;
  replay.outcome = replayed.runner->Replay(recorded.decisions, mode.lenient);
  if (!replay.outcome.configuration_error.empty()) {
    // The recording asks for more than this kernel allows: bad input, not a verdict.
    return RecordingError(recorded, "scenario",
                          absl::StrCat(DescribeConfiguration(scenario, replayed.runner->params()),
                                       ": ", replay.outcome.configuration_error));
  }
  // A strict replay that followed every decision made exactly the recorded number of them.
  WVSIM_ASSERT(replay.outcome.diverged || mode.lenient ||
               replayed.runner->kernel().Decisions().size() == recorded.decisions.size());
  replay.trace_hash = replayed.runner->kernel().TraceHash();
  replay.divergence = replay.outcome.divergence;
  if (!replay.outcome.diverged && !mode.lenient) {
    replay.divergence = Mismatch(recorded, replay.outcome, replay.trace_hash);
  }
  return replayed;
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
