// wvsim list [--json]
#include <cstdio>

#include "absl/strings/str_format.h"
#include "sim/scenario.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/json.h"

namespace wvsim::tools {

namespace {

constexpr FlagSpec kFlags[] = {
    {"json", "", "print a JSON array of {id, runtime, expected, description}"},
    {"help", "", "show this help"},
};

}  // namespace

int RunList(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError("list", parsed.status());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("wvsim list [--json]",
                          "Lists every scenario: its id, runtime, expected "
                          "verdicts and what it does.",
                          kFlags)
                   .c_str(),
               stdout);
    return kExitClean;
  }
  if (!parsed->positional.empty()) return UsageError("list", "takes no arguments");
  const auto scenarios = sim::ScenarioRegistry::Global().All();
  if (parsed->Has("json")) {
    std::string out = "[";
    for (size_t i = 0; i < scenarios.size(); ++i) {
      const sim::Scenario& s = *scenarios[i];
      absl::StrAppendFormat(&out,
                            "%s\n  {\"id\": %s, \"runtime\": %s, \"expected\": %s, "
                            "\"description\": %s}",
                            i > 0 ? "," : "", JsonString(s.id), JsonString(s.runtime()),
                            JsonVerdicts(s.expected), JsonString(s.description));
    }
    std::printf("%s\n]\n", out.c_str());
    return kExitClean;
  }
  std::printf("%-44s %-8s %-24s %s\n", "scenario", "runtime", "expected", "description");
  for (const sim::Scenario* s : scenarios) {
    std::printf("%-44s %-8s %-24s %s\n", s->id.c_str(), s->runtime().c_str(),
                VerdictList(s->expected, ",").c_str(), s->description.c_str());
  }
  return kExitClean;
}

}  // namespace wvsim::tools
