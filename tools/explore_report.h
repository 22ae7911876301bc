// What `wvsim explore` prints and writes at the end: the verdict table, the JSON summary and the
// JUnit XML report, from one list of per-scenario results.
#ifndef WVSIM_TOOLS_EXPLORE_REPORT_H_
#define WVSIM_TOOLS_EXPLORE_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/verdict.h"

namespace wvsim::tools {

struct ScenarioResult {
  const sim::Scenario* scenario = nullptr;
  sim::Verdict verdict = sim::Verdict::kClean;  // the first violation, or clean
  std::string report;                           // that violation's report
  uint64_t executions = 0;
  // A systematic strategy (dfs, ipb, idb) runs each schedule once: `executions` is then the
  // number of distinct schedules, and `exhausted` says it ran every one within its bound.
  bool systematic = false;
  bool exhausted = false;
  uint64_t revisits = 0;  // runs of schedules already run (ipb, idb), not in `executions`
  double seconds = 0;
  std::string schedule;         // the first violation's schedule file; empty if none was written
  uint64_t schedules_lost = 0;  // violations whose schedule could not be written
  // Non-empty when the campaign stopped at a limit of the configuration (ExploreResult's).
  std::string configuration_error;
  bool as_expected() const { return configuration_error.empty() && scenario->Expects(verdict); }
};

// The table ends with what the campaign amounts to; it never says "all ... as expected" when a
// schedule was lost. The JSON has "schedules_lost" (a count) beside "executions", and per
// scenario "exhausted", "schedules" (the distinct schedules a systematic strategy ran; null for
// the others) and "revisits".
std::string FormatTable(const std::vector<ScenarioResult>& results);
std::string FormatJson(const std::vector<ScenarioResult>& results, double seconds);
std::string FormatJunit(const std::vector<ScenarioResult>& results, double seconds);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_EXPLORE_REPORT_H_
