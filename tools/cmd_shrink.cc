// wvsim shrink FILE [-o OUT]: a schedule with no more steps and no more preemptions that still
// ends with the same violation kind.
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sim/schedule_io.h"
#include "sim/shrink.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/schedule_loader.h"

namespace wvsim::tools {

namespace {

constexpr FlagSpec kFlags[] = {
    {"out", "OUT", "where to write the result (default: FILE with .shrunk.schedule)", "o"},
    {"runs", "N", "at most this many executions for the search (default 20000)"},
    {"help", "", "show this help"},
};

constexpr const char* kDescription =
    "Searches for a shorter schedule that ends with the same violation kind: never more steps\n"
    "and never more preemptions than the input. Exit: 1 the shrunk schedule reproduces the\n"
    "violation (the usual result), 2 bad input or a schedule that ends clean.";

std::string DefaultOutput(const std::string& input) {
  const std::string stem =
      absl::EndsWith(input, ".schedule") ? input.substr(0, input.size() - 9) : input;
  return absl::StrCat(stem, ".shrunk.schedule");
}

}  // namespace

int RunShrink(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError("shrink", parsed.status());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("wvsim shrink FILE [-o OUT]", kDescription, kFlags).c_str(), stdout);
    return kExitClean;
  }
  if (parsed->positional.size() != 1) return UsageError("shrink", "name one schedule file");
  absl::StatusOr<uint64_t> runs = parsed->GetUint("runs", 20'000);
  if (!runs.ok()) return UsageError("shrink", runs.status());
  const std::string& path = parsed->positional.front();
  absl::StatusOr<LoadedSchedule> loaded = LoadSchedule(path);
  if (!loaded.ok()) return UsageError("shrink", loaded.status());
  absl::StatusOr<sim::ShrinkResult> shrunk =
      sim::Shrink(*loaded->scenario, loaded->schedule, *runs);
  // Its errors name the file (and the line, for a parameter that does not suit the scenario).
  if (!shrunk.ok()) return UsageError("shrink", shrunk.status());
  const std::string out = parsed->Get("out", DefaultOutput(path));
  if (absl::Status written = sim::WriteScheduleFile(out, shrunk->schedule); !written.ok()) {
    return UsageError("shrink", written);
  }
  const sim::Schedule& before = loaded->schedule;
  const sim::Schedule& after = shrunk->schedule;
  std::printf("%s: %s kept; steps %llu -> %llu, preemptions %llu -> %llu (%llu runs)\nwrote %s\n",
              after.scenario.c_str(), sim::VerdictName(after.verdict),
              static_cast<unsigned long long>(before.steps),
              static_cast<unsigned long long>(after.steps),
              static_cast<unsigned long long>(before.preemptions),
              static_cast<unsigned long long>(after.preemptions),
              static_cast<unsigned long long>(shrunk->runs), out.c_str());
  return kExitViolation;
}

}  // namespace wvsim::tools
