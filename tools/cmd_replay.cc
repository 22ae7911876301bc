// wvsim replay FILE: re-executes a recorded schedule, checks it step by step, prints its trace
// and verdict, and optionally writes Perfetto and wait-for-graph views of it.
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/atomic_file.h"
#include "sim/runner.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/json.h"
#include "tools/schedule_loader.h"
#include "tools/trace_export.h"

namespace wvsim::tools {

namespace {

constexpr FlagSpec kFlags[] = {
    {"lenient", "", "follow the recorded choices by position only (for hand-edited files)"},
    {"json", "", "print {scenario, verdict, steps, preemptions, trace_hash} as JSON"},
    {"trace", "text|json", "the trace's form (default text; with --json, included as \"trace\")"},
    {"perfetto", "OUT.json", "write the run in Chrome/Perfetto trace format"},
    {"dot", "OUT.dot", "write the wait-for graph (of a deadlock) in Graphviz dot"},
    {"help", "", "show this help"},
};

constexpr const char* kDescription =
    "Re-executes a recorded schedule, checking every decision against the recording, and prints\n"
    "the trace and the verdict. Exit: 0 clean, 1 the violation was reproduced, 2 bad input,\n"
    "3 the run diverged from the recording (the message names the first decision that differs).";

// Checks what a strict replay must reproduce beyond the decisions themselves.
std::string Mismatch(const sim::Schedule& recorded, const sim::RunOutcome& outcome,
                     uint64_t trace_hash) {
  if (outcome.violation.kind != recorded.verdict) {
    return absl::StrCat("verdict differs: recorded ", sim::VerdictName(recorded.verdict),
                        ", the replay ended ", sim::VerdictName(outcome.violation.kind));
  }
  if (recorded.trace_hash != 0 && trace_hash != recorded.trace_hash) {
    return absl::StrFormat("trace hash differs: recorded %016x, the replay gives %016x",
                           recorded.trace_hash, trace_hash);
  }
  return {};
}

absl::Status WriteViews(const ParsedArgs& args, const sim::Kernel& kernel) {
  if (args.Has("perfetto")) {
    absl::Status written = sim::WriteFileAtomically(
        args.Get("perfetto"), TraceToPerfetto(kernel.trace_events(), kernel.WaitingThreads()));
    if (!written.ok()) return written;
  }
  if (args.Has("dot")) {
    return sim::WriteFileAtomically(args.Get("dot"), WaitForGraphToDot(kernel.WaitingThreads()));
  }
  return absl::OkStatus();
}

}  // namespace

int RunReplay(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError("replay", parsed.status());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("wvsim replay FILE [options]", kDescription, kFlags).c_str(), stdout);
    return kExitClean;
  }
  if (parsed->positional.size() != 1) return UsageError("replay", "name one schedule file");
  const std::string trace_form = parsed->Get("trace", "text");
  if (trace_form != "text" && trace_form != "json") {
    return UsageError("replay", absl::StrCat("--trace: '", trace_form, "' is not text or json"));
  }
  const std::string& path = parsed->positional.front();
  absl::StatusOr<LoadedSchedule> loaded = LoadSchedule(path);
  if (!loaded.ok()) return UsageError("replay", loaded.status());
  const sim::Schedule& recorded = loaded->schedule;
  const bool lenient = parsed->Has("lenient");
  if (!lenient && recorded.model_version != loaded->scenario->model_version) {
    return UsageError(
        "replay", absl::StrFormat("%s:%d: recorded with model version %d of %s, this wvsim has "
                                  "version %d; re-record it (docs/schedule-format.md) or replay "
                                  "it with --lenient",
                                  path, HeaderLine(path, "model-version:"), recorded.model_version,
                                  recorded.scenario, loaded->scenario->model_version));
  }
  sim::KernelLimits limits;
  if (recorded.max_steps != 0) limits.steps_max = recorded.max_steps;
  sim::Runner runner(*loaded->scenario, loaded->params, limits);
  const sim::RunOutcome outcome = runner.Replay(recorded.decisions, lenient);
  const sim::Kernel& kernel = runner.kernel();
  const uint64_t hash = kernel.TraceHash();
  std::string divergence = outcome.divergence;
  if (!outcome.diverged && !lenient) divergence = Mismatch(recorded, outcome, hash);

  const std::string trace =
      trace_form == "json" ? TraceToJson(kernel.trace_events()) : kernel.TraceText();
  if (parsed->Has("json")) {
    std::string out = absl::StrFormat(
        "{\"scenario\": %s, \"verdict\": %s, \"steps\": %d, \"preemptions\": %d, "
        "\"trace_hash\": \"%016x\"",
        JsonString(recorded.scenario), JsonString(sim::VerdictName(outcome.violation.kind)),
        outcome.steps, outcome.preemptions, hash);
    if (parsed->Has("trace")) {
      absl::StrAppend(&out, ", \"trace\": ", trace_form == "json" ? trace : JsonString(trace));
    }
    std::printf("%s}\n", out.c_str());
  } else {
    std::fputs(trace.c_str(), stdout);
    if (trace_form == "json") std::fputs("\n", stdout);
    if (!divergence.empty())
      std::fputs("diverged: the run below did not follow the recording\n", stdout);
    std::printf("verdict: %s", sim::VerdictName(outcome.violation.kind));
    if (outcome.violation.kind != sim::Verdict::kClean) {
      std::printf(" at %s\n%s", outcome.violation.place.c_str(), outcome.violation.report.c_str());
    }
    std::printf("\nsteps: %llu, preemptions: %llu, trace hash: %016llx\n",
                static_cast<unsigned long long>(outcome.steps),
                static_cast<unsigned long long>(outcome.preemptions),
                static_cast<unsigned long long>(hash));
  }
  if (absl::Status written = WriteViews(*parsed, kernel); !written.ok()) {
    return UsageError("replay", written);
  }
  if (!divergence.empty()) {
    std::fprintf(stderr, "wvsim replay: %s: the replay diverged from the recording: %s\n",
                 path.c_str(), divergence.c_str());
    return kExitDiverged;
  }
  return outcome.violation.kind == sim::Verdict::kClean ? kExitClean : kExitViolation;
}

}  // namespace wvsim::tools
