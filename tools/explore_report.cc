#include "tools/explore_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "tools/json.h"

namespace wvsim::tools {

namespace {

std::string XmlEscape(const std::string& text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&apos;"}});
}

uint64_t SchedulesLost(const std::vector<ScenarioResult>& results) {
  uint64_t lost = 0;
  for (const ScenarioResult& r : results) lost += r.schedules_lost;
  return lost;
}

}  // namespace

std::string FormatTable(const std::vector<ScenarioResult>& results) {
  std::string out = absl::StrFormat("%-44s %-22s %-16s %12s %9s\n", "scenario", "expected", "found",
                                    "executions", "time");
  int unexpected = 0;
  for (const ScenarioResult& r : results) {
    const std::string found =
        absl::StrCat(r.configuration_error.empty() ? sim::VerdictName(r.verdict) : "config-error",
                     r.as_expected() ? "" : " (!)");
    absl::StrAppendFormat(&out, "%-44s %-22s %-16s %12d %8.2fs\n", r.scenario->id,
                          VerdictList(r.scenario->expected, ","), found, r.executions, r.seconds);
    if (!r.as_expected()) ++unexpected;
  }
  const uint64_t lost = SchedulesLost(results);
  if (lost > 0) {
    absl::StrAppendFormat(&out,
                          "%d schedules could not be written (the errors are above): those "
                          "violations cannot be replayed\n",
                          lost);
  }
  if (unexpected == 0 && lost == 0) {
    absl::StrAppendFormat(&out, "all %d scenarios ended as expected\n", results.size());
  } else if (unexpected == 0) {
    absl::StrAppendFormat(&out,
                          "%d scenarios ended with an expected verdict, but the campaign "
                          "failed: schedules were lost\n",
                          results.size());
  } else {
    absl::StrAppendFormat(&out, "%d of %d scenarios did not end as expected (marked (!))\n",
                          unexpected, results.size());
  }
  return out;
}

std::string FormatJson(const std::vector<ScenarioResult>& results, double seconds) {
  uint64_t executions = 0;
  std::string out = "{\"scenarios\": [";
  for (size_t i = 0; i < results.size(); ++i) {
    const ScenarioResult& r = results[i];
    executions += r.executions;
    absl::StrAppendFormat(
        &out,
        "%s\n  {\"id\": %s, \"expected\": %s, \"verdict\": %s, \"executions\": %d, "
        "\"seconds\": %.3f, \"schedule\": %s, \"exhausted\": %s, \"schedules\": %s, "
        "\"revisits\": %d%s}",
        i > 0 ? "," : "", JsonString(r.scenario->id), JsonVerdicts(r.scenario->expected),
        JsonString(sim::VerdictName(r.verdict)), r.executions, r.seconds,
        r.schedule.empty() ? "null" : JsonString(r.schedule), r.exhausted ? "true" : "false",
        r.systematic ? absl::StrCat(r.executions) : "null", r.revisits,
        r.configuration_error.empty()
            ? ""
            : absl::StrCat(", \"configuration_error\": ", JsonString(r.configuration_error)));
  }
  absl::StrAppendFormat(&out,
                        "\n], \"executions\": %d, \"schedules_lost\": %d, \"seconds\": %.3f}\n",
                        executions, SchedulesLost(results), seconds);
  return out;
}

std::string FormatJunit(const std::vector<ScenarioResult>& results, double seconds) {
  int failures = 0;
  for (const ScenarioResult& r : results) failures += r.as_expected() ? 0 : 1;
  std::string out = absl::StrFormat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites>\n<testsuite name=\"wvsim.explore\" tests=\"%d\" failures=\"%d\" "
      "time=\"%.3f\">\n",
      results.size(), failures, seconds);
  for (const ScenarioResult& r : results) {
    absl::StrAppendFormat(&out, "  <testcase classname=\"wvsim.%s\" name=\"%s\" time=\"%.3f\">",
                          XmlEscape(r.scenario->runtime()), XmlEscape(r.scenario->id), r.seconds);
    if (!r.as_expected()) {
      absl::StrAppendFormat(
          &out,
          "\n    <failure message=\"%s\">expected %s, found %s after %d executions\n%s%s"
          "</failure>\n  ",
          XmlEscape(absl::StrCat("found ", sim::VerdictName(r.verdict))),
          XmlEscape(VerdictList(r.scenario->expected, " or ")), sim::VerdictName(r.verdict),
          r.executions, XmlEscape(r.report),
          r.schedule.empty() ? "" : XmlEscape(absl::StrCat("\nschedule: ", r.schedule)));
    }
    out += "</testcase>\n";
  }
  out += "</testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace wvsim::tools
