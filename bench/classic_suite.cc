// `make bench`, third part: the classic concurrency-bug suite (issue 18, model/scenarios/sim/
// classic_suite.h) under every strategy, and what DPOR proves.
//
// 1. Executions to the first bug of each buggy program: the median over 20 seeds for the seeded
//    strategies (random, PCT at d = 1, 2, 3, the portfolio), the single count for the systematic
//    ones (ipb, idb, dpor). "> N" when none was found within the cap.
// 2. For each clean twin, the executions DPOR needs to prove it clean against an unreduced walk
//    (dfs with a preemption bound of 64, which no program here reaches), and their ratio.
// 3. Every clean built-in scenario DPOR proves clean within the time budget (60 s each), with
//    its trace count; the others are listed with how far it got.
//
//   wvsim_classic_suite [--seeds 20] [--cap 100000] [--dfs-cap 5000000] [--budget-seconds 60]
//                       [--markdown FILE]
//
// Exit: 0 every target met (each twin proven with at least 10x fewer executions than the
// unreduced walk, sim.counter with at least 5x, but for the twins the suite marks irreducible;
// every bug found by dpor; no clean built-in
// scenario found to violate),
// 1 some target missed, 2 bad usage or FILE could not be written.
#include "model/scenarios/sim/classic_suite.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "model/builtin_scenarios.h"
#include "sim/explorer.h"
#include "sim/scenario.h"

namespace wvsim::bench {
namespace {

struct Options {
  int seeds = 20;
  uint64_t cap = 100'000;        // executions a strategy gets to find a bug
  uint64_t dfs_cap = 5'000'000;  // executions the unreduced walk gets
  double budget_seconds = 60;    // DPOR's time for each clean built-in scenario
  std::string markdown;
};

bool ParseOptions(int argc, char** argv, Options& options) {
  if (argc % 2 == 0) return false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    const bool ok = flag == "--seeds"            ? absl::SimpleAtoi(value, &options.seeds)
                    : flag == "--cap"            ? absl::SimpleAtoi(value, &options.cap)
                    : flag == "--dfs-cap"        ? absl::SimpleAtoi(value, &options.dfs_cap)
                    : flag == "--budget-seconds" ? absl::SimpleAtod(value, &options.budget_seconds)
                    : flag == "--markdown"       ? (options.markdown = value, true)
                                                 : false;
    if (!ok) return false;
  }
  return options.seeds >= 1 && options.cap >= 1;
}

const sim::Scenario& Find(const char* id) {
  const sim::Scenario* scenario = sim::ScenarioRegistry::Global().Find(id);
  if (scenario == nullptr) {
    std::fprintf(stderr, "wvsim_classic_suite: no scenario %s\n", id);
    std::exit(2);
  }
  return *scenario;
}

struct Column {
  std::string title;
  std::string strategy;
  std::optional<uint32_t> depth;
  bool seeded;
};

const std::vector<Column>& Columns() {
  static const std::vector<Column> columns = {
      {"random", "random", std::nullopt, true},
      {"PCT d=1", "pct", 1, true},
      {"PCT d=2", "pct", 2, true},
      {"PCT d=3", "pct", 3, true},
      {"portfolio", "portfolio", std::nullopt, true},
      {"ipb", "ipb", std::nullopt, false},
      {"idb", "idb", std::nullopt, false},
      {"dpor", "dpor", std::nullopt, false},
  };
  return columns;
}

// Explores `scenario`; `until_seconds` > 0 stops it after that long (the clock is read between
// runs only, as `wvsim explore --time-budget` does).
sim::ExploreResult Explore(const sim::Scenario& scenario, const std::string& strategy,
                           std::optional<uint32_t> depth, uint64_t seed, uint64_t cap,
                           double until_seconds = 0) {
  sim::ExploreConfig config;
  config.strategy = strategy;
  config.depth = depth;
  config.seed = seed;
  config.iterations = cap;
  sim::ExploreHooks hooks;
  const auto start = std::chrono::steady_clock::now();
  if (until_seconds > 0) {
    hooks.should_stop = [start, until_seconds] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >=
             until_seconds;
    };
  }
  absl::StatusOr<sim::ExploreResult> result = sim::Explore(scenario, config, hooks);
  if (!result.ok()) {
    std::fprintf(stderr, "wvsim_classic_suite: %s: %s\n", scenario.id.c_str(),
                 std::string(result.status().message()).c_str());
    std::exit(2);
  }
  return *std::move(result);
}

// Executions to the first violation the scenario expects; nullopt when none within the cap.
std::optional<uint64_t> ToBug(const sim::Scenario& scenario, const Column& column, uint64_t seed,
                              uint64_t cap) {
  const sim::ExploreResult result = Explore(scenario, column.strategy, column.depth, seed, cap);
  if (result.found.empty() || !scenario.Expects(result.verdict)) return std::nullopt;
  return result.found.front().execution + 1;
}

std::string Count(std::optional<uint64_t> count, uint64_t cap) {
  return count.has_value() ? absl::StrFormat("%d", *count) : absl::StrFormat("> %d", cap);
}

// The median over the seeds; a seed that found nothing counts as above the cap.
std::string MedianToBug(const sim::Scenario& scenario, const Column& column, const Options& o) {
  std::vector<uint64_t> counts;
  int missed = 0;
  for (int seed = 1; seed <= o.seeds; ++seed) {
    const std::optional<uint64_t> count = ToBug(scenario, column, seed, o.cap);
    counts.push_back(count.value_or(o.cap + 1));
    if (!count.has_value()) ++missed;
  }
  std::sort(counts.begin(), counts.end());
  const uint64_t median = counts[counts.size() / 2];
  std::string cell = median > o.cap ? absl::StrFormat("> %d", o.cap) : absl::StrCat(median);
  if (missed > 0) absl::StrAppend(&cell, " (", o.seeds - missed, "/", o.seeds, ")");
  return cell;
}

struct Report {
  std::string markdown;
  bool met = true;
  void Line(const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    absl::StrAppend(&markdown, line, "\n");
  }
};

void BugTable(const Options& o, Report& report) {
  std::string header = "| bug | program |";
  std::string rule = "|---|---|";
  for (const Column& column : Columns()) {
    absl::StrAppend(&header, " ", column.title, " |");
    absl::StrAppend(&rule, "---:|");
  }
  report.Line(header);
  report.Line(rule);
  for (const model::ClassicPair& pair : model::ClassicSuite()) {
    const sim::Scenario& scenario = Find(pair.bug);
    std::string row = absl::StrCat("| ", pair.kind, " | `", pair.bug, "` |");
    for (const Column& column : Columns()) {
      std::string cell;
      if (column.seeded) {
        cell = MedianToBug(scenario, column, o);
      } else {
        const std::optional<uint64_t> count = ToBug(scenario, column, 0, o.cap);
        if (!count.has_value() && column.strategy == "dpor") report.met = false;
        cell = Count(count, o.cap);
      }
      absl::StrAppend(&row, " ", cell, " |");
    }
    report.Line(row);
  }
}

// DPOR's proof of `id` against the unreduced walk; `factor` is the target (0: none, the program
// leaves nothing to reduce).
void ProofRow(const char* id, const char* what, uint64_t factor, const Options& o, Report& report) {
  const sim::Scenario& scenario = Find(id);
  const sim::ExploreResult dpor = Explore(scenario, "dpor", std::nullopt, 0, o.dfs_cap);
  const sim::ExploreResult dfs = Explore(scenario, "dfs", 64, 0, o.dfs_cap);
  const bool proven = dpor.exhausted && dpor.verdict == sim::Verdict::kClean;
  const std::string dfs_cell =
      dfs.exhausted ? absl::StrCat(dfs.executions) : absl::StrFormat("> %d", dfs.executions);
  const double ratio = static_cast<double>(dfs.executions) /
                       static_cast<double>(std::max<uint64_t>(dpor.executions, 1));
  const bool met =
      proven && dfs.verdict == sim::Verdict::kClean && dfs.executions >= factor * dpor.executions;
  if (!met) report.met = false;
  const std::string target =
      factor == 0 ? "none (irreducible: model/scenarios/sim/README.md)" : absl::StrCat(factor, "x");
  report.Line(absl::StrFormat("| %s | `%s` | %s | %s | %s%.1fx | %s | %s |", what, id,
                              proven ? absl::StrCat(dpor.executions) : "not proven", dfs_cell,
                              dfs.exhausted ? "" : "> ", ratio, target, met ? "yes" : "**no**"));
}

void ProofTable(const Options& o, Report& report) {
  report.Line("| program | clean twin | DPOR traces | unreduced DFS | ratio | target | met |");
  report.Line("|---|---|---:|---:|---:|---:|---|");
  for (const model::ClassicPair& pair : model::ClassicSuite()) {
    ProofRow(pair.twin, pair.kind, pair.reducible ? 10 : 0, o, report);
  }
  ProofRow("sim.counter", "the peers' counter", 5, o, report);
}

void BuiltinTable(const Options& o, Report& report) {
  report.Line("| clean built-in scenario | DPOR | traces | seconds |");
  report.Line("|---|---|---:|---:|");
  int proven = 0;
  int total = 0;
  for (const sim::Scenario* scenario : sim::ScenarioRegistry::Global().All()) {
    if (!scenario->Expects(sim::Verdict::kClean) || scenario->expected.size() != 1) continue;
    ++total;
    const auto start = std::chrono::steady_clock::now();
    const sim::ExploreResult result =
        Explore(*scenario, "dpor", std::nullopt, 0, UINT64_MAX, o.budget_seconds);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const bool done = result.exhausted && result.verdict == sim::Verdict::kClean;
    if (done) ++proven;
    const std::string state = done ? "proven clean"
                              : result.verdict != sim::Verdict::kClean
                                  ? absl::StrCat("**found ", sim::VerdictName(result.verdict), "**")
                                  : "not within the budget";
    if (result.verdict != sim::Verdict::kClean) report.met = false;
    report.Line(absl::StrFormat("| `%s` | %s | %s%d | %.1f |", scenario->id, state,
                                done ? "" : ">= ", result.executions, seconds));
  }
  report.Line(absl::StrFormat("\n%d of %d clean built-in scenarios proven clean within %g s each.",
                              proven, total, o.budget_seconds));
}

}  // namespace
}  // namespace wvsim::bench

int main(int argc, char** argv) {
  using namespace wvsim::bench;  // NOLINT(google-build-using-namespace)
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: wvsim_classic_suite [--seeds N] [--cap N] [--dfs-cap N] "
                 "[--budget-seconds S] [--markdown FILE]\n");
    return 2;
  }
  wvsim::model::RegisterBuiltinScenarios();
  Report report;
  report.Line(absl::StrFormat(
      "### Executions to the first bug\n\nMedian of %d seeds for the seeded strategies "
      "(\"(k/%d)\": only k seeds found it within %d executions); the single count for the "
      "systematic ones.\n",
      options.seeds, options.seeds, options.cap));
  BugTable(options, report);
  report.Line("\n### Proving the clean twins\n");
  ProofTable(options, report);
  report.Line(absl::StrFormat("\n### Clean built-in scenarios DPOR proves within %g s\n",
                              options.budget_seconds));
  BuiltinTable(options, report);
  if (!options.markdown.empty()) {
    std::ofstream out(options.markdown);
    out << report.markdown;
    if (!out.good()) {
      std::fprintf(stderr, "wvsim_classic_suite: could not write %s\n", options.markdown.c_str());
      return 2;
    }
  }
  return report.met ? 0 : 1;
}
