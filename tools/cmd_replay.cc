// wvsim replay FILE: re-executes a recorded schedule, checks it step by step, prints its trace
// and verdict, and optionally writes Perfetto and wait-for-graph views of it.
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/atomic_file.h"
#include "sim/recording.h"
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
    "Re-executes a recorded schedule, checking every decision against the recording (kind,\n"
    "option count, label), then the recorded verdict, steps, preemptions and trace hash, and\n"
    "prints the trace and the verdict. A strict replay needs the file's model-version to be\n"
    "this wvsim's and its trace-hash (not zero), steps and preemptions headers; --lenient\n"
    "follows the choices by position only and checks none of these.\n"
    "Exit: 0 clean, 1 the violation was reproduced, 2 bad input (the message names the file\n"
    "and line), 3 the run diverged from the recording (the message names the first difference).";

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
  absl::StatusOr<sim::Replayed> replayed = sim::ReplaySchedule(
      *loaded->scenario, recorded,
      {.lenient = parsed->Has("lenient"), .relax_hint = "replay it with --lenient"});
  if (!replayed.ok()) return UsageError("replay", replayed.status());
  const sim::RunOutcome& outcome = replayed->replay.outcome;
  const sim::Kernel& kernel = replayed->runner->kernel();
  const uint64_t hash = replayed->replay.trace_hash;
  const std::string& divergence = replayed->replay.divergence;

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
    std::fputs(sim::FormatReplayVerdict(outcome, hash).c_str(), stdout);
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
