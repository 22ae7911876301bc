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
    {"json", "", "print a JSON array of {id, runtime, expected, description, params}"},
    {"help", "", "show this help"},
};

// [{"name", "default", "min", "max", "description"}, ...]: each parameter and its range.
std::string JsonParams(const sim::Scenario& scenario) {
  std::string out = "[";
  for (const sim::ScenarioParam& p : scenario.params) {
    absl::StrAppendFormat(
        &out, "%s{\"name\": %s, \"default\": %d, \"min\": %d, \"max\": %d, \"description\": %s}",
        out.size() > 1 ? ", " : "", JsonString(p.name), p.default_value, p.min, p.max,
        JsonString(p.description));
  }
  return out + "]";
}

// "name=default (min..max), ...", the line under a scenario in the table.
std::string ParamsText(const sim::Scenario& scenario) {
  std::string out;
  for (const sim::ScenarioParam& p : scenario.params) {
    absl::StrAppendFormat(&out, "%s%s=%d (%d..%d)", out.empty() ? "" : ", ", p.name,
                          p.default_value, p.min, p.max);
  }
  return out;
}

}  // namespace

int RunList(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError("list", parsed.status());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("wvsim list [--json]",
                          "Lists every scenario: its id, runtime, expected verdicts and what it\n"
                          "does, then its parameters: name=default (min..max). A --param value\n"
                          "outside its range is refused (exit 2).",
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
                            "\"description\": %s, \"params\": %s}",
                            i > 0 ? "," : "", JsonString(s.id), JsonString(s.runtime()),
                            JsonVerdicts(s.expected), JsonString(s.description), JsonParams(s));
    }
    std::printf("%s\n]\n", out.c_str());
    return kExitClean;
  }
  std::printf("%-44s %-8s %-24s %s\n", "scenario", "runtime", "expected", "description");
  for (const sim::Scenario* s : scenarios) {
    std::printf("%-44s %-8s %-24s %s\n", s->id.c_str(), s->runtime().c_str(),
                VerdictList(s->expected, ",").c_str(), s->description.c_str());
    std::printf("%-44s params: %s\n", "", ParamsText(*s).c_str());
  }
  return kExitClean;
}

}  // namespace wvsim::tools
