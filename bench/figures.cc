// `make bench`: measures the kernel's speed and memory targets (issue 2) and prints them as a
// table with the target beside each. Every figure is the median of several runs in this process;
// the step-cost ratio compares two loops measured back to back, so machine noise mostly cancels.
//
//   wvsim_figures [--markdown FILE]
//
// --markdown also writes the table as Markdown to FILE, which bench/write_performance.sh puts in
// docs/performance.md. Exit: 0 every target met, 1 some target missed, 2 bad usage or FILE
// could not be written.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "bench/bare_loop.h"
#include "model/builtin_scenarios.h"
#include "sim/explorer.h"
#include "sim/interleavings.h"
#include "sim/runner.h"
#include "sim/strategies/random.h"

namespace wvsim::bench {
namespace {

constexpr int kRepeats = 5;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

const sim::Scenario& Find(const char* id) {
  const sim::Scenario* scenario = sim::ScenarioRegistry::Global().Find(id);
  if (scenario == nullptr) {
    std::fprintf(stderr, "no scenario %s\n", id);
    std::exit(2);
  }
  return *scenario;
}

// Executions per second of the random strategy, as `wvsim explore` runs them.
double ExecutionsPerSecond(const char* id, uint64_t executions) {
  std::vector<double> rates;
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    sim::ExploreConfig config;
    config.iterations = executions;
    config.seed = repeat;
    const auto start = std::chrono::steady_clock::now();
    const auto result = sim::Explore(Find(id), config);
    rates.push_back(static_cast<double>(result->executions) / Seconds(start));
  }
  return Median(rates);
}

// Nanoseconds per kernel step over runs of `id`, and per step of the bare loop, measured in turn.
std::pair<double, double> StepCosts(const char* id, uint64_t executions) {
  std::vector<double> kernel_ns;
  std::vector<double> bare_ns;
  sim::Runner runner(Find(id), sim::ParamValues{});
  sim::RandomStrategy random(7);
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    uint64_t steps = 0;
    auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < executions; ++i) {
      random.BeginExecution(i);
      steps += runner.Run(random, false).steps;
    }
    kernel_ns.push_back(Seconds(start) * 1e9 / static_cast<double>(steps));
    start = std::chrono::steady_clock::now();
    const uint64_t checksum = RunBareLoop(steps);
    bare_ns.push_back(Seconds(start) * 1e9 / static_cast<double>(steps));
    if (checksum == 0) std::printf(" ");
  }
  return {Median(kernel_ns), Median(bare_ns)};
}

// Median over 100 seeds of the executions random needs to find sim.abba's deadlock.
double AbbaExecutionsToFind() {
  std::vector<double> counts;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    sim::ExploreConfig config;
    config.seed = seed;
    config.iterations = 1000;
    const auto result = sim::Explore(Find("sim.abba"), config);
    counts.push_back(
        result->verdict == sim::Verdict::kDeadlock ? static_cast<double>(result->executions) : 1e9);
  }
  return Median(counts);
}

// Peak resident memory, in MB, of `wvsim explore ID` running `executions` runs: the tool as
// users run it, in a process of its own (the wvsim binary next to this one).
double PeakMegabytes(const char* id, uint64_t executions) {
  char self[4096] = {};
  const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length <= 0) return -1;
  std::string wvsim(self, static_cast<size_t>(length));
  wvsim = wvsim.substr(0, wvsim.rfind('/') + 1) + "wvsim";
  const std::string iterations = std::to_string(executions);
  const pid_t child = fork();
  if (child == 0) {
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(126);
    execl(wvsim.c_str(), wvsim.c_str(), "explore", id, "--iterations", iterations.c_str(), "--out",
          "/tmp/wvsim-bench-schedules", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

struct Row {
  std::string figure;
  std::string measured;
  std::string target;
  bool met;
  bool counted = true;  // false: a detail of the row after it, which carries the target
};

// Memory stays flat over a long campaign of one model scenario: the peak after 1 M runs exceeds
// the peak after 100 k by less than 1 MB, so that even a leak of one byte a run would show.
Row FlatMemory(const char* id) {
  const double short_run = PeakMegabytes(id, 100'000);
  const double long_run = PeakMegabytes(id, 1'000'000);
  return {absl::StrFormat("peak memory, wvsim explore %s: 100k / 1M runs", id),
          absl::StrFormat("%.1f / %.1f MB", short_run, long_run), "growth < 1 MB",
          short_run > 0 && long_run > 0 && long_run - short_run < 1.0};
}

// For every buggy scenario of `runtime`, over 20 seeds: whether the portfolio found an expected
// violation within one second, and the slowest time it took.
Row FoundWithinOneSecond(const std::string& runtime) {
  int scenarios = 0;
  int found_always = 0;
  double slowest = 0;
  for (const sim::Scenario* scenario : sim::ScenarioRegistry::Global().All()) {
    if (scenario->runtime() != runtime || scenario->Expects(sim::Verdict::kClean)) continue;
    ++scenarios;
    bool always = true;
    for (uint64_t seed = 0; seed < 20; ++seed) {
      sim::ExploreConfig config;
      config.strategy = "portfolio";
      config.seed = seed;
      config.iterations = UINT64_MAX;
      const auto start = std::chrono::steady_clock::now();
      sim::ExploreHooks hooks;
      hooks.should_stop = [&] { return Seconds(start) >= 1.0; };
      const auto result = sim::Explore(*scenario, config, hooks);
      const double seconds = Seconds(start);
      const bool found = result.ok() && scenario->Expects(result->verdict) &&
                         result->verdict != sim::Verdict::kClean && seconds < 1.0;
      always = always && found;
      slowest = std::max(slowest, seconds);
    }
    found_always += always ? 1 : 0;
  }
  return {absl::StrFormat("%s: buggy scenarios found by the portfolio, 20 seeds each", runtime),
          absl::StrFormat("%d of %d, slowest %.3f s", found_always, scenarios, slowest),
          "all, within 1 s", scenarios > 0 && found_always == scenarios};
}

// Every clean scenario of `runtime` stays clean over `executions` portfolio executions (seed 0):
// how many did, and the slowest one's time.
Row CleanOverPortfolio(const std::string& runtime, uint64_t executions) {
  int scenarios = 0;
  int clean = 0;
  double slowest = 0;
  for (const sim::Scenario* scenario : sim::ScenarioRegistry::Global().All()) {
    if (scenario->runtime() != runtime || !scenario->Expects(sim::Verdict::kClean)) continue;
    ++scenarios;
    sim::ExploreConfig config;
    config.strategy = "portfolio";
    config.iterations = executions;
    const auto start = std::chrono::steady_clock::now();
    const auto result = sim::Explore(*scenario, config);
    slowest = std::max(slowest, Seconds(start));
    const bool stayed =
        result.ok() && result->verdict == sim::Verdict::kClean && result->executions == executions;
    clean += stayed ? 1 : 0;
  }
  return {
      absl::StrFormat("%s: clean scenarios over %d portfolio executions each", runtime, executions),
      absl::StrFormat("%d of %d clean, slowest %.1f s", clean, scenarios, slowest), "all clean",
      scenarios > 0 && clean == scenarios};
}

// Issue 15: fault-free WebView2 apps interleave with their page and their user. For every clean
// wv2 scenario with faults off: the schedules of a depth-first walk with at most 3 preemptions
// (capped at 101), and in how many distinct orders the UI thread dispatched its messages over
// 100,000 random runs. A row per scenario, then the share that has both more than 100 schedules
// and more than 10 orders (target: two thirds).
void AddInterleavingRows(std::vector<Row>& rows) {
  constexpr uint64_t kCap = 101;
  constexpr uint64_t kRuns = 100'000;
  const sim::ParamOverrides fault_free = {{std::string(sim::kFaultBudgetParam), "0"}};
  int scenarios = 0;
  int interleaving = 0;
  for (const sim::Scenario* scenario : sim::ScenarioRegistry::Global().All()) {
    if (scenario->runtime() != "wv2" || !scenario->Expects(sim::Verdict::kClean)) continue;
    ++scenarios;
    const sim::ScheduleCount schedules = sim::DfsSchedules(*scenario, fault_free, 3, kCap);
    const uint64_t orders = sim::DistinctDispatchOrders(*scenario, fault_free, "ui", kRuns);
    const bool enough = !schedules.exhausted && schedules.schedules >= kCap && orders > 10;
    interleaving += enough ? 1 : 0;
    rows.push_back(
        {absl::StrFormat("%s: dfs depth 3 schedules / ui dispatch orders", scenario->id),
         absl::StrFormat("%s / %d",
                         schedules.exhausted ? absl::StrFormat("%d (all)", schedules.schedules)
                                             : std::string("> 100"),
                         orders),
         "> 100 / > 10", enough, /*counted=*/false});
  }
  rows.push_back(
      {"wv2: clean scenarios with > 100 schedules (dfs depth 3, no faults) and > 10 "
       "ui dispatch orders (100k random runs)",
       absl::StrFormat("%d of %d", interleaving, scenarios), ">= two thirds",
       scenarios > 0 && 3 * interleaving >= 2 * scenarios});
}

// The table as Markdown, for docs/performance.md.
bool WriteMarkdown(const std::string& path, const std::vector<Row>& rows) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return false;
  std::fprintf(file, "| figure | measured | target | met |\n|---|---|---|---|\n");
  for (const Row& row : rows) {
    std::fprintf(file, "| %s | %s | %s | %s |\n", row.figure.c_str(), row.measured.c_str(),
                 row.target.c_str(),
                 !row.counted ? (row.met ? "(yes)" : "(no)")
                 : row.met    ? "yes"
                              : "**no**");
  }
  std::fprintf(file, "\nRates and the step costs are medians of %d runs.\n", kRepeats);
  return std::fclose(file) == 0;
}

int Main(int argc, char** argv) {
  std::string markdown;
  if (argc == 3 && std::string(argv[1]) == "--markdown") {
    markdown = argv[2];
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: wvsim_figures [--markdown FILE]\n");
    return 2;
  }
  model::RegisterBuiltinScenarios();
  std::vector<Row> rows;
  const double counter = ExecutionsPerSecond("sim.counter", 2'000'000);
  rows.push_back({"sim.counter, random: executions/s", absl::StrFormat("%.0f", counter),
                  ">= 3,000,000", counter >= 3e6});
  const double ops = ExecutionsPerSecond("sim.ops", 300'000);
  rows.push_back(
      {"sim.ops, random: executions/s", absl::StrFormat("%.0f", ops), ">= 330,000", ops >= 330e3});
  const auto [kernel_ns, bare_ns] = StepCosts("sim.ops", 100'000);
  const double ratio = kernel_ns / bare_ns;
  rows.push_back({"scheduling step / bare limit",
                  absl::StrFormat("%.2f (%.1f ns / %.1f ns)", ratio, kernel_ns, bare_ns), "<= 5",
                  ratio <= 5});
  const double abba = AbbaExecutionsToFind();
  rows.push_back({"sim.abba, random: executions to find (median of 100 seeds)",
                  absl::StrFormat("%.0f", abba), "<= 4", abba <= 4});
  const double megabytes = PeakMegabytes("sim.counter", 10'000'000);
  rows.push_back({"peak memory, wvsim explore: 10M runs of sim.counter",
                  absl::StrFormat("%.1f MB", megabytes), "< 64 MB",
                  megabytes > 0 && megabytes < 64});

  for (const auto& [id, runtime] : {std::pair{"android.getter_posted_to_ui", "android"},
                                    std::pair{"wv2.script_result_awaited", "wv2"}}) {
    if (sim::ScenarioRegistry::Global().Find(id) == nullptr) continue;
    const double rate = ExecutionsPerSecond(id, 300'000);
    rows.push_back({absl::StrFormat("%s, random: executions/s", id), absl::StrFormat("%.0f", rate),
                    ">= 100,000", rate >= 100e3});
    rows.push_back(FoundWithinOneSecond(runtime));
  }
  // No false alarms: every clean scenario of every runtime over a million portfolio executions.
  for (const char* runtime : {"sim", "wv2", "android"}) {
    rows.push_back(CleanOverPortfolio(runtime, 1'000'000));
  }
  AddInterleavingRows(rows);
  // Clean scenarios run every iteration: one with the most objects a run, one that crashes and
  // recreates its browser, one on the Android model.
  for (const char* id : {"wv2.shared_user_data_folder", "wv2.browser_crash_recovered",
                         "android.getter_posted_to_ui"}) {
    if (sim::ScenarioRegistry::Global().Find(id) != nullptr) rows.push_back(FlatMemory(id));
  }

  std::printf("%-66s %-28s %-16s %s\n", "figure (median of runs)", "measured", "target", "met");
  bool all_met = true;
  for (const Row& row : rows) {
    std::printf("%-66s %-28s %-16s %s\n", row.figure.c_str(), row.measured.c_str(),
                row.target.c_str(),
                !row.counted ? (row.met ? "(yes)" : "(no)")
                : row.met    ? "yes"
                             : "NO");
    all_met = all_met && (row.met || !row.counted);
  }
  if (!markdown.empty() && !WriteMarkdown(markdown, rows)) {
    std::fprintf(stderr, "wvsim_figures: cannot write %s\n", markdown.c_str());
    return 2;
  }
  return all_met ? 0 : 1;
}

}  // namespace
}  // namespace wvsim::bench

int main(int argc, char** argv) { return wvsim::bench::Main(argc, argv); }
