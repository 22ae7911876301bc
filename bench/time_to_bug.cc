// `make bench`, second part: time to bug (issue 6), the numbers a user picks a strategy by. For
// every buggy scenario (expected verdicts other than clean alone), over 20 seeds, the median
// executions and seconds until the first expected violation, for random walks, PCT at d = 1..3 and
// the portfolio (in this process, as `wvsim explore` runs them) and for the libFuzzer target of the
// scenario's runtime in find mode (WVSIM_FUZZ_FIND), with the kernel's interleaving features and
// with edge coverage alone (WVSIM_FUZZ_FEATURES=0); then sim.ordering_depth_3 again with 24 steps a
// thread, where the ratio target is measured (WVSIM_FUZZ_PARAMS). Then three target rows.
//
//   wvsim_time_to_bug [--fuzzers build-fuzz/bin] [--fuzz-source fuzz] [--seeds 20]
//                     [--cap-seconds 60] [--explore-cap-seconds 5] [--jobs 2]
//                     [--only ID-PREFIX] [--rate-seconds 30] [--rate-runs 3] [--markdown FILE]
//
// --cap-seconds caps each fuzzer run, --explore-cap-seconds each in-process search: at their
// hundreds of thousands of executions a second, 5 s is a million executions or more, and a
// strategy that cannot find a bug at all (PCT d=1 where two threads must interleave) then costs
// a minute a cell instead of eleven.
//
// Without the fuzzer binaries (`make fuzz-build`), the fuzzer cells say "not run"; the rest runs.
// --markdown also writes both tables as Markdown to FILE, which bench/write_performance.sh puts in
// docs/performance.md. Exit: 0 every target met, 1 some target missed, 2 bad usage or FILE could
// not be written.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "bench/fuzzer_run.h"
#include "bench/time_to_bug_cell.h"
#include "model/builtin_scenarios.h"
#include "sim/explorer.h"
#include "sim/scenario.h"

namespace wvsim::bench {
namespace {

struct Options {
  std::string fuzzers = "build-fuzz/bin";
  std::string fuzz_source = "fuzz";  // the targets' .options, dictionaries and corpora
  int seeds = 20;
  double cap_seconds = 60;         // a fuzzer run
  double explore_cap_seconds = 5;  // an in-process search
  int jobs = 2;
  std::string only;  // scenario id prefix, to measure a few
  double rate_seconds = 30;
  int rate_runs = 3;     // the rate is the median of this many campaigns
  std::string markdown;  // where the tables go as Markdown too (none: stdout only)
};

// The columns, in order: the in-process strategies (PCT at each depth the portfolio may use, so
// that its mix can be chosen from this table), then the fuzzer with and without features.
struct InProcess {
  std::string strategy;
  std::optional<uint32_t> depth;
};
const std::vector<InProcess> kStrategies = {
    {"random", std::nullopt}, {"pct", 1}, {"pct", 2}, {"pct", 3}, {"portfolio", std::nullopt}};
const std::vector<std::string> kColumns = {
    "random",    "PCT d=1",           "PCT d=2",           "PCT d=3",
    "portfolio", "fuzzer + features", "fuzzer, edges only"};
constexpr size_t kFuzzerWithFeatures = 5;
constexpr size_t kFuzzerEdgesOnly = 6;

using Row = std::vector<TimeToBugCell>;

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    const bool ok = flag == "--fuzzers"       ? (options.fuzzers = value, true)
                    : flag == "--fuzz-source" ? (options.fuzz_source = value, true)
                    : flag == "--only"        ? (options.only = value, true)
                    : flag == "--markdown"    ? (options.markdown = value, true)
                    : flag == "--seeds"       ? absl::SimpleAtoi(value, &options.seeds)
                    : flag == "--jobs"        ? absl::SimpleAtoi(value, &options.jobs)
                    : flag == "--cap-seconds" ? absl::SimpleAtod(value, &options.cap_seconds)
                    : flag == "--explore-cap-seconds"
                        ? absl::SimpleAtod(value, &options.explore_cap_seconds)
                    : flag == "--rate-seconds" ? absl::SimpleAtod(value, &options.rate_seconds)
                    : flag == "--rate-runs"    ? absl::SimpleAtoi(value, &options.rate_runs)
                                               : false;
    if (!ok) return false;
  }
  return argc % 2 == 1 && options.seeds > 0 && options.jobs > 0 && options.rate_runs > 0 &&
         options.cap_seconds > 0 && options.explore_cap_seconds > 0;
}

// A row of the table: a scenario and the parameters it runs with (none: its defaults).
struct Case {
  const sim::Scenario* scenario;
  std::map<std::string, std::string> params;
  std::string label;  // the id, with its parameters when there are any
};

// The depth-3 ordering with 24 steps a thread: at the default of 8 any search finds it within a
// few thousand runs, too few for feedback to show; here the target ratio is measured.
constexpr char kDeepOrderingId[] = "sim.ordering_depth_3";
constexpr char kDeepOrderingParam[] = "steps_per_thread";
constexpr char kDeepOrderingSteps[] = "24";

// Every buggy scenario with its defaults, then the deep ordering.
std::vector<Case> BuggyCases(const Options& options) {
  std::vector<Case> buggy;
  for (const sim::Scenario* scenario : sim::ScenarioRegistry::Global().All()) {
    const bool bug_expected = std::any_of(scenario->expected.begin(), scenario->expected.end(),
                                          [](sim::Verdict v) { return v != sim::Verdict::kClean; });
    if (bug_expected && absl::StartsWith(scenario->id, options.only)) {
      buggy.push_back({scenario, {}, scenario->id});
    }
  }
  const sim::Scenario* deep = sim::ScenarioRegistry::Global().Find(kDeepOrderingId);
  if (deep != nullptr && absl::StartsWith(deep->id, options.only)) {
    buggy.push_back({deep,
                     {{kDeepOrderingParam, kDeepOrderingSteps}},
                     absl::StrCat(deep->id, " ", kDeepOrderingParam, "=", kDeepOrderingSteps)});
  }
  return buggy;
}

bool IsDeepOrdering(const Case& row) {
  return !row.params.empty() && row.scenario->id == kDeepOrderingId;
}

// One `wvsim explore`-style search with `strategy` and `seed`, until an expected violation or
// the cap.
Attempt ExploreUntilFound(const Case& row, const InProcess& strategy, uint64_t seed,
                          double cap_seconds) {
  const sim::Scenario& scenario = *row.scenario;
  sim::ExploreConfig config;
  config.params = row.params;
  config.strategy = strategy.strategy;
  config.depth = strategy.depth;
  config.seed = seed;
  config.iterations = UINT64_MAX;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  sim::ExploreHooks hooks;
  hooks.should_stop = [&] { return seconds() >= cap_seconds; };
  const auto result = sim::Explore(scenario, config, hooks);
  Attempt attempt;
  attempt.seconds = seconds();
  attempt.found = result.ok() && result->verdict != sim::Verdict::kClean &&
                  scenario.Expects(result->verdict) && attempt.seconds < cap_seconds;
  attempt.executions = result.ok() ? static_cast<double>(result->executions) : 0;
  return attempt;
}

void MeasureInProcess(const std::vector<Case>& cases, const Options& options,
                      std::vector<Row>& rows) {
  for (size_t s = 0; s < cases.size(); ++s) {
    for (size_t column = 0; column < kStrategies.size(); ++column) {
      TimeToBugCell& cell = rows[s][column];
      for (int seed = 0; seed < options.seeds && !cell.MedianMissed(); ++seed) {
        cell.Add(
            ExploreUntilFound(cases[s], kStrategies[column], seed, options.explore_cap_seconds));
      }
    }
  }
}

std::string FuzzerOf(const sim::Scenario& scenario, const Options& options) {
  return absl::StrCat(options.fuzzers, "/", scenario.runtime(), "_schedule_fuzzer");
}

// The flags a campaign gives the target, as ClusterFuzzLite reads them from its .options file
// ("key = value" under [libfuzzer] becomes -key=value; the dictionary is found beside it), plus
// `extra`.
std::vector<std::string> CampaignFlags(const std::string& target, const Options& options,
                                       std::vector<std::string> extra) {
  std::ifstream file(absl::StrCat(options.fuzz_source, "/", target, ".options"));
  bool libfuzzer = false;
  for (std::string line; std::getline(file, line);) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(text, "[")) libfuzzer = text == "[libfuzzer]";
    const size_t equals = text.find('=');
    if (!libfuzzer || absl::StartsWith(text, "#") || equals == absl::string_view::npos) continue;
    const absl::string_view key = absl::StripAsciiWhitespace(text.substr(0, equals));
    const absl::string_view value = absl::StripAsciiWhitespace(text.substr(equals + 1));
    extra.push_back(key == "dict" ? absl::StrCat("-dict=", options.fuzz_source, "/", value)
                                  : absl::StrCat("-", key, "=", value));
  }
  return extra;
}

// Runs of the fuzzer in find mode, from an empty corpus: one per scenario, column and seed
// (libFuzzer's seeds start at 1; 0 means "pick one").
void MeasureFuzzers(const std::vector<Case>& cases, const Options& options,
                    std::vector<Row>& rows) {
  struct Place {
    size_t scenario;
    size_t column;
  };
  std::vector<FuzzerRun> runs;
  std::vector<Place> places;
  for (size_t s = 0; s < cases.size(); ++s) {
    const std::string binary = FuzzerOf(*cases[s].scenario, options);
    if (!std::filesystem::exists(binary)) continue;
    const std::string target = std::filesystem::path(binary).filename();
    for (int seed = 1; seed <= options.seeds; ++seed) {
      for (size_t column : {kFuzzerWithFeatures, kFuzzerEdgesOnly}) {
        const std::vector<std::string> flags =
            CampaignFlags(target, options,
                          {absl::StrCat("-seed=", seed),
                           absl::StrFormat("-max_total_time=%.0f", options.cap_seconds)});
        // symbolize=0: the crash report's stack trace is not needed here, and symbolizing it
        // would add a fifth of a second or more to every time to bug.
        runs.push_back(FuzzerRun{
            binary,
            flags,
            {absl::StrCat("WVSIM_FUZZ_FIND=", cases[s].scenario->id),
             absl::StrCat("WVSIM_FUZZ_PARAMS=",
                          absl::StrJoin(cases[s].params, ",", absl::PairFormatter("="))),
             absl::StrCat("WVSIM_FUZZ_FEATURES=", column == kFuzzerWithFeatures ? "1" : "0"),
             "ASAN_OPTIONS=symbolize=0"}});
        places.push_back({s, column});
      }
    }
  }
  auto cell = [&](size_t i) -> TimeToBugCell& {
    return rows[places[i].scenario][places[i].column];
  };
  RunFuzzers(
      runs, options.jobs, [&](size_t i) { return cell(i).MedianMissed(); },
      [&](size_t i, const FuzzerResult& result) {
        if (!result.ran) {
          std::fprintf(stderr, "wvsim bench: %s did not run as expected:\n%s\n",
                       runs[i].binary.c_str(), result.log.c_str());
        }
        cell(i).Add({result.found && result.seconds < options.cap_seconds,
                     static_cast<double>(result.executions), result.seconds});
      });
}

// Executions per second of wv2_schedule_fuzzer in check mode over `rate_seconds`, from the
// checked-in corpus (a copy: libFuzzer adds to its first corpus folder): libFuzzer's own figure
// (per wall-clock second) and per second of CPU time the process got, which a loaded machine
// does not depress. {-1, -1} when it did not run.
//
// The copy lives in memory (/dev/shm) where the machine has it: in its first half minute the
// campaign writes a corpus file for every few hundred inputs, and on this machine's disk creating
// those files took a third of the time (8,300 executions a second against 13,000 in memory,
// 2026-12-01), which measured the disk, not the target.
std::pair<double, double> CheckModeRate(const Options& options) {
  const std::string target = "wv2_schedule_fuzzer";
  const std::string binary = absl::StrCat(options.fuzzers, "/", target);
  if (!std::filesystem::exists(binary)) return {-1, -1};
  std::error_code no_shm;
  std::string corpus_template = std::filesystem::is_directory("/dev/shm", no_shm)
                                    ? "/dev/shm/wvsim-rate-corpus-XXXXXX"
                                    : "/tmp/wvsim-rate-corpus-XXXXXX";
  char* corpus = corpus_template.data();
  if (mkdtemp(corpus) == nullptr) return {-1, -1};
  std::vector<std::string> flags =
      CampaignFlags(target, options,
                    {"-seed=1", absl::StrFormat("-max_total_time=%.0f", options.rate_seconds),
                     corpus, absl::StrCat(options.fuzz_source, "/corpus/", target)});
  std::pair<double, double> rate = {-1, -1};
  RunFuzzers(
      {FuzzerRun{binary, flags, {}}}, 1, [](size_t) { return false; },
      [&](size_t, const FuzzerResult& result) {
        if (result.ran && !result.found) {
          rate = {static_cast<double>(result.executions_per_second),
                  static_cast<double>(result.executions) / result.cpu_seconds};
        }
        if (!result.ran) std::fprintf(stderr, "wvsim bench: %s\n", result.log.c_str());
      });
  std::error_code ignored;
  std::filesystem::remove_all(corpus, ignored);
  return rate;
}

// The rate's figure: the median of `rate_runs` campaigns (this machine's speed wanders by a
// quarter within minutes, so one campaign says little), with the slowest and the fastest.
std::string RateFigure(const Options& options, double& median) {
  std::vector<std::pair<double, double>> rates;
  for (int run = 0; run < options.rate_runs; ++run) {
    const std::pair<double, double> rate = CheckModeRate(options);
    if (rate.first >= 0) rates.push_back(rate);
  }
  median = -1;
  if (rates.empty()) return "not measured";
  std::sort(rates.begin(), rates.end());
  const std::pair<double, double>& middle = rates[rates.size() / 2];
  median = middle.first;
  return absl::StrFormat("%.0f, median of %d (%.0f to %.0f; %.0f per CPU second)", median,
                         rates.size(), rates.front().first, rates.back().first, middle.second);
}

// The time-to-bug table, a Markdown table on stdout and in docs/performance.md alike.
void PrintTable(std::FILE* out, const std::vector<Case>& cases, const std::vector<Row>& rows,
                const Options& options) {
  std::fprintf(out,
               "time to bug: median executions / seconds to the first expected violation over %d "
               "seeds, each capped at %.0f s in process and %.0f s for a fuzzer\n\n",
               options.seeds, options.explore_cap_seconds, options.cap_seconds);
  std::fprintf(out, "| %-46s |", "scenario");
  for (const std::string& column : kColumns) std::fprintf(out, " %-22s |", column.c_str());
  std::fprintf(out, "\n|%s|", std::string(48, '-').c_str());
  for (size_t i = 0; i < kColumns.size(); ++i) {
    std::fprintf(out, "%s|", std::string(24, '-').c_str());
  }
  std::fprintf(out, "\n");
  for (size_t s = 0; s < cases.size(); ++s) {
    std::fprintf(out, "| %-46s |", cases[s].label.c_str());
    for (size_t column = 0; column < rows[s].size(); ++column) {
      const TimeToBugCell& cell = rows[s][column];
      const double cap =
          column < kStrategies.size() ? options.explore_cap_seconds : options.cap_seconds;
      const std::string text = cell.attempts() == 0 ? "not run" : cell.Text(cap);
      std::fprintf(out, " %-22s |", text.c_str());
    }
    std::fprintf(out, "\n");
  }
}

struct TargetRow {
  std::string figure;
  std::string measured;
  std::string target;
  bool met;
};

// Both tables as Markdown, for docs/performance.md.
bool WriteMarkdown(const std::vector<Case>& cases, const std::vector<Row>& rows,
                   const std::vector<TargetRow>& targets, const Options& options) {
  std::FILE* file = std::fopen(options.markdown.c_str(), "w");
  if (file == nullptr) return false;
  PrintTable(file, cases, rows, options);
  std::fprintf(file, "\n| target | measured | wanted | met |\n|---|---|---|---|\n");
  for (const TargetRow& row : targets) {
    std::fprintf(file, "| %s | %s | %s | %s |\n", row.figure.c_str(), row.measured.c_str(),
                 row.target.c_str(), row.met ? "yes" : "**no**");
  }
  return std::fclose(file) == 0;
}

TargetRow FuzzerFindsEverything(const std::vector<Row>& rows, const Options& options) {
  int measured = 0;
  int every_seed = 0;
  int median = 0;
  double slowest = 0;
  for (const Row& row : rows) {
    const TimeToBugCell& cell = row[kFuzzerWithFeatures];
    if (cell.attempts() == 0) continue;
    ++measured;
    every_seed += cell.found() == cell.seeds() ? 1 : 0;
    median += cell.MedianMissed() ? 0 : 1;
    slowest = std::max(slowest, cell.MedianSeconds());
  }
  const int count = static_cast<int>(rows.size());
  return {absl::StrFormat("fuzzer + features finds every buggy scenario within %.0f s",
                          options.cap_seconds),
          measured == 0 ? "not measured"
                        : absl::StrFormat("%d of %d by every seed, %d by the median (slowest %s)",
                                          every_seed, count, median, SecondsText(slowest)),
          "all", measured == count && every_seed == count};
}

TargetRow DepthThreeRatio(const std::vector<Case>& cases, const std::vector<Row>& rows) {
  for (size_t s = 0; s < cases.size(); ++s) {
    if (!IsDeepOrdering(cases[s])) continue;
    const TimeToBugCell& with = rows[s][kFuzzerWithFeatures];
    const TimeToBugCell& without = rows[s][kFuzzerEdgesOnly];
    if (with.attempts() == 0 || without.attempts() == 0) break;
    const double seconds = without.MedianSeconds() / with.MedianSeconds();
    const double executions = without.MedianExecutions() / with.MedianExecutions();
    return {absl::StrCat(cases[s].label, ": fuzzer median seconds, edges only / with features"),
            absl::StrFormat("%.2f (executions: %.2f)", seconds, executions), ">= 2", seconds >= 2};
  }
  return {absl::StrCat(kDeepOrderingId, ": fuzzer median seconds, edges only / with features"),
          "not measured", ">= 2", false};
}

int Main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr, "usage: see the top of bench/time_to_bug.cc\n");
    return 2;
  }
  model::RegisterBuiltinScenarios();
  const std::vector<Case> cases = BuggyCases(options);
  std::vector<Row> rows(cases.size(), Row(kColumns.size(), TimeToBugCell(options.seeds)));
  // The rate first and alone, so that no other run of this bench competes with it for a core.
  double rate = -1;
  const std::string rate_figure = RateFigure(options, rate);
  MeasureInProcess(cases, options, rows);
  MeasureFuzzers(cases, options, rows);
  std::printf("\n");
  PrintTable(stdout, cases, rows, options);

  std::vector<TargetRow> targets = {FuzzerFindsEverything(rows, options),
                                    DepthThreeRatio(cases, rows)};
  targets.push_back({absl::StrFormat("wv2_schedule_fuzzer, check mode, ASan+UBSan: executions/s "
                                     "(%.0f s from the checked-in corpus)",
                                     options.rate_seconds),
                     rate_figure, ">= 20,000", rate >= 20'000});
  std::printf("\n%-80s %-58s %-10s %s\n", "target", "measured", "target", "met");
  bool all_met = true;
  for (const TargetRow& row : targets) {
    std::printf("%-80s %-58s %-10s %s\n", row.figure.c_str(), row.measured.c_str(),
                row.target.c_str(), row.met ? "yes" : "NO");
    all_met = all_met && row.met;
  }
  if (!options.markdown.empty() && !WriteMarkdown(cases, rows, targets, options)) {
    std::fprintf(stderr, "wvsim_time_to_bug: cannot write %s\n", options.markdown.c_str());
    return 2;
  }
  return all_met ? 0 : 1;
}

}  // namespace
}  // namespace wvsim::bench

int main(int argc, char** argv) { return wvsim::bench::Main(argc, argv); }
