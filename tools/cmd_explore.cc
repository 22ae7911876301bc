// wvsim explore SCENARIO... [options]: runs each scenario under a strategy, writes a schedule for
// every violation found as soon as it is found, and ends with a verdict table (or JSON).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "sim/atomic_file.h"
#include "sim/explorer.h"
#include "sim/schedule_io.h"
#include "sim/stop_request.h"
#include "tools/args.h"
#include "tools/campaign_record.h"
#include "tools/commands.h"
#include "tools/explore_report.h"

namespace wvsim::tools {

namespace {

constexpr FlagSpec kFlags[] = {
    {"all", "", "explore every registered scenario"},
    {"strategy", "NAME", "random (default), pct, dfs, ipb, idb, dpor or portfolio"},
    {"iterations", "N", "executions per scenario, at least 1 (default 10000; dpor: unbounded)"},
    {"time-budget", "SECONDS", "stop a scenario after this long, at least 0.001 (default: none)"},
    {"seed", "S", "the campaign's seed (default 0)"},
    {"depth", "D", "PCT's bug depth, dfs's preemption bound (default 3 / 2), ipb's and idb's cap"},
    {"max-steps", "N", "steps before a run is a stall (default 100000)"},
    {"param", "NAME=VALUE", "set a scenario parameter within its range (wvsim list; repeatable)",
     "", true},
    {"out", "DIR", "where violation schedules go, not empty (default out/schedules)"},
    {"shard", "I/N", "run the I-th (from 0) of N disjoint shares of the runs"},
    {"keep-going", "", "go on after a violation; keep one schedule per distinct violation"},
    {"check-expected", "", "exit 0 exactly when every scenario ends with an expected verdict"},
    {"json", "", "print a JSON summary instead of the table"},
    {"junit", "FILE", "write a JUnit XML report, one test case per scenario"},
    {"help", "", "show this help"},
};

constexpr const char* kUsage = "wvsim explore SCENARIO... | --all [options]";
constexpr const char* kDescription =
    "Runs each scenario again and again under a scheduling strategy, until a violation, the\n"
    "iteration count or the time budget, whichever comes first. Every violation's schedule is\n"
    "written to the output folder at once, with a command that replays it. SIGINT or SIGTERM\n"
    "stops the campaign cleanly, even inside a long run, with the summary so far (exit 130);\n"
    "a second one exits at once (130). A schedule that cannot be\n"
    "written is reported in place of its replay command and counted in the summary (exit 2).\n"
    "Temporary files that dead wvsim processes left in the output folder are removed first.\n"
    "Limits: a parameter outside its declared range (wvsim list shows them) is exit 2; a run\n"
    "that needs more than 64 threads is a configuration error, exit 2, naming the scenario and\n"
    "its parameters; a run that reaches --max-steps is a stall.\n"
    "Exit: 0 no violation (or, with --check-expected, every scenario as expected), 1 otherwise,\n"
    "2 bad usage or configuration, or a schedule or report that could not be written.";

// The shortest time budget: a budget shorter than one execution would run none and report clean.
constexpr double kTimeBudgetMinSeconds = 0.001;

// The first SIGINT or SIGTERM asks the run in progress and the campaign to stop (within a few
// thousand steps, sim/stop_request.h); every schedule found is already whole on disk. A second one
// ends the process at once.
void OnStopSignal(int) {
  if (sim::StopRequested()) _exit(130);
  sim::RequestStop();
}

struct Options {
  std::vector<const sim::Scenario*> scenarios;
  sim::ExploreConfig config;
  double time_budget_seconds = 0;
  std::string out_dir = "out/schedules";
  bool check_expected = false;
  bool json = false;
  std::string junit;
  CampaignRecorder* campaign = nullptr;  // told of each violation, for <out>/campaign.json
};

absl::Status ParseShard(const std::string& text, sim::ExploreConfig& config) {
  std::vector<std::string> parts = absl::StrSplit(text, '/');
  uint32_t index = 0;
  uint32_t count = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &index) ||
      !absl::SimpleAtoi(parts[1], &count) || count == 0 || index >= count) {
    return absl::InvalidArgumentError(
        absl::StrCat("--shard: '", text, "' is not I/N with 0 <= I < N"));
  }
  config.shard_index = index;
  config.shard_count = count;
  return absl::OkStatus();
}

absl::StatusOr<Options> ParseOptions(const ParsedArgs& args) {
  Options options;
  const sim::ScenarioRegistry& registry = sim::ScenarioRegistry::Global();
  if (args.Has("all")) options.scenarios = registry.All();
  for (const std::string& id : args.positional) {
    const sim::Scenario* scenario = registry.Find(id);
    if (scenario == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown scenario '", id, "' (see 'wvsim list')"));
    }
    options.scenarios.push_back(scenario);
  }
  if (options.scenarios.empty()) return absl::InvalidArgumentError("name a scenario, or --all");
  sim::ExploreConfig& config = options.config;
  config.strategy = args.Get("strategy", "random");
  auto iterations = args.GetUint("iterations", config.iterations);
  auto seed = args.GetUint("seed", 0);
  auto depth = args.GetUint("depth", 0);  // only read when given
  auto max_steps = args.GetUint("max-steps", config.max_steps);
  auto budget = args.GetDouble("time-budget", 0);
  for (const absl::Status& status :
       {iterations.status(), seed.status(), depth.status(), max_steps.status(), budget.status()}) {
    if (!status.ok()) return status;
  }
  if (*depth > 64) return absl::InvalidArgumentError("--depth: at most 64");
  if (*iterations == 0) return absl::InvalidArgumentError("--iterations: must be at least 1");
  if (*max_steps == 0) return absl::InvalidArgumentError("--max-steps: must be at least 1");
  if (args.Has("time-budget") && !(*budget >= kTimeBudgetMinSeconds && std::isfinite(*budget))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--time-budget: '%s' is too short to run one execution: give a number of seconds, at "
        "least %g",
        args.Get("time-budget"), kTimeBudgetMinSeconds));
  }
  // dpor runs until it has run every equivalence class unless --iterations caps it.
  config.iterations =
      args.Has("iterations") || config.strategy != "dpor" ? *iterations : UINT64_MAX;
  config.seed = *seed;
  if (args.Has("depth")) config.depth = static_cast<uint32_t>(*depth);
  config.max_steps = *max_steps;
  options.time_budget_seconds = *budget;
  for (const std::string& param : args.GetAll("param")) {
    const size_t equals = param.find('=');
    if (equals == std::string::npos || equals == 0) {
      return absl::InvalidArgumentError(absl::StrCat("--param: '", param, "' is not NAME=VALUE"));
    }
    config.params[param.substr(0, equals)] = param.substr(equals + 1);
  }
  if (args.Has("shard")) {
    if (absl::Status status = ParseShard(args.Get("shard"), config); !status.ok()) return status;
  }
  config.keep_going = args.Has("keep-going");
  options.out_dir = args.Get("out", options.out_dir);
  // An empty folder would make every schedule's path "/<name>": a write into the root folder.
  if (options.out_dir.empty()) {
    return absl::InvalidArgumentError("--out: names no folder (give a path such as out/schedules)");
  }
  options.check_expected = args.Has("check-expected");
  options.json = args.Has("json");
  options.junit = args.Get("junit");
  if (args.Has("junit") && options.junit.empty()) {
    return absl::InvalidArgumentError("--junit: names no file");
  }
  return options;
}

// Shows "id: executions, executions/s, violations, elapsed" on a terminal, at most 4 times a
// second.
class Progress {
 public:
  Progress() : enabled_(::isatty(STDERR_FILENO) == 1) {}
  void Show(const std::string& id, uint64_t executions, size_t violations, double elapsed) {
    if (!enabled_ || elapsed - shown_at_ < 0.25) return;
    shown_at_ = elapsed;
    std::fprintf(stderr, "\r\033[K%s: %llu executions, %.0f/s, %zu violations, %.1fs", id.c_str(),
                 static_cast<unsigned long long>(executions),
                 elapsed > 0 ? static_cast<double>(executions) / elapsed : 0.0, violations,
                 elapsed);
  }
  void Clear() {
    if (enabled_ && shown_at_ > 0) std::fputs("\r\033[K", stderr);
    shown_at_ = 0;
  }

 private:
  bool enabled_;
  double shown_at_ = 0;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string SchedulePath(const Options& options, const sim::Found& found) {
  return absl::StrFormat("%s/%s.%s.%d.schedule", options.out_dir, found.schedule.scenario,
                         sim::VerdictName(found.violation.kind), found.execution);
}

// Writes `found`'s schedule and prints the violation with the command that replays it, or, when
// the schedule could not be written, with the error in that command's place: a replay command
// for a file that does not exist would send the reader looking for it.
void Report(const Options& options, const std::string& program, const sim::Found& found,
            ScenarioResult& result) {
  const std::string path = SchedulePath(options, found);
  const absl::Status written = sim::WriteScheduleFile(path, found.schedule);
  if (written.ok() && result.schedule.empty()) result.schedule = path;
  if (!written.ok()) ++result.schedules_lost;
  const std::string reproduce = written.ok()
                                    ? absl::StrCat("reproduce: ", program, " replay ", path)
                                    : absl::StrCat("schedule lost: ", written.message());
  FILE* stream = options.json ? stderr : stdout;
  std::fprintf(stream, "%s: %s at %s (execution %llu)\n  %s\n  %s\n",
               found.schedule.scenario.c_str(), sim::VerdictName(found.violation.kind),
               found.violation.place.c_str(), static_cast<unsigned long long>(found.execution),
               found.violation.report.c_str(), reproduce.c_str());
  if (!written.ok()) {
    std::fprintf(stderr, "wvsim explore: %s\n", std::string(written.message()).c_str());
  }
  if (!found.nondeterminism.empty()) {
    std::fprintf(stderr, "wvsim explore: WARNING: %s\n", found.nondeterminism.c_str());
  }
  std::fflush(stream);
}

// Explores one scenario; false when a schedule could not be written or a run reached a limit of
// the configuration (the result's configuration_error), which both make the exit code 2.
bool ExploreOne(const Options& options, const sim::Scenario& scenario, const std::string& program,
                ScenarioResult& result) {
  Progress progress;
  const auto start = std::chrono::steady_clock::now();
  sim::ExploreHooks hooks;
  hooks.should_stop = [&] {
    return sim::StopRequested() ||
           (options.time_budget_seconds > 0 && SecondsSince(start) >= options.time_budget_seconds);
  };
  hooks.progress = [&](uint64_t executions, size_t violations) {
    progress.Show(scenario.id, executions, violations, SecondsSince(start));
  };
  hooks.found = [&](const sim::Found& found) {
    progress.Clear();
    Report(options, program, found, result);
    if (options.campaign != nullptr) options.campaign->Found(found, SchedulePath(options, found));
  };
  absl::StatusOr<sim::ExploreResult> explored = sim::Explore(scenario, options.config, hooks);
  progress.Clear();
  result.scenario = &scenario;
  result.seconds = SecondsSince(start);
  if (!explored.ok()) {
    std::fprintf(stderr, "wvsim explore: %s: %s\n", scenario.id.c_str(),
                 std::string(explored.status().message()).c_str());
    return false;
  }
  result.verdict = explored->verdict;
  result.executions = explored->executions;
  result.systematic = explored->systematic;
  result.exhausted = explored->exhausted;
  result.revisits = explored->revisits;
  if (!explored->found.empty()) result.report = explored->found.front().violation.report;
  if (explored->exhausted && explored->found.empty() && options.config.strategy == "dpor") {
    const std::string bound = options.config.depth.has_value()
                                  ? absl::StrCat(" within preemption bound ", *options.config.depth)
                                  : std::string();
    std::fprintf(options.json ? stderr : stdout, "%s: verified%s: %llu traces, no violation\n",
                 scenario.id.c_str(), bound.c_str(),
                 static_cast<unsigned long long>(explored->executions));
  }
  result.configuration_error = explored->configuration_error;
  if (!result.configuration_error.empty()) {
    std::fprintf(stderr, "wvsim explore: %s (the parameters ask for more than a run allows)\n",
                 result.configuration_error.c_str());
    result.report = result.configuration_error;
    return false;
  }
  return result.schedules_lost == 0;
}

}  // namespace

int RunExplore(const std::vector<std::string>& args, const std::string& program) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError("explore", parsed.status());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp(kUsage, kDescription, kFlags).c_str(), stdout);
    return kExitClean;
  }
  absl::StatusOr<Options> options = ParseOptions(*parsed);
  if (!options.ok()) return UsageError("explore", options.status());
  for (const sim::Scenario* scenario : options->scenarios) {
    // Fail before running or printing anything when the configuration does not suit a scenario.
    if (absl::Status valid = sim::ValidateExploreConfig(*scenario, options->config); !valid.ok()) {
      return UsageError("explore", valid);
    }
  }
  // The --out folder describes its campaign, so that `wvsim merge` can combine shards.
  CampaignRecorder campaign(options->scenarios, options->config);
  options->campaign = &campaign;
  // A writer killed mid-write leaves a temporary file nothing else would ever remove.
  // The schedules' temporaries and those of campaign.json (tools/campaign_record.cc).
  if (const int removed = sim::RemoveStaleTemporaryFiles(options->out_dir, ".schedule") +
                          sim::RemoveStaleTemporaryFiles(options->out_dir, ".json");
      removed > 0) {
    std::fprintf(stderr, "wvsim explore: removed %d stale temporary files from %s\n", removed,
                 options->out_dir.c_str());
  }
  sim::ClearStopRequest();
  auto previous_int = std::signal(SIGINT, OnStopSignal);
  auto previous_term = std::signal(SIGTERM, OnStopSignal);
  const auto start = std::chrono::steady_clock::now();
  std::vector<ScenarioResult> results;
  bool io_ok = true;
  for (const sim::Scenario* scenario : options->scenarios) {
    if (sim::StopRequested()) break;
    results.emplace_back();
    io_ok = ExploreOne(*options, *scenario, program, results.back()) && io_ok;
    // Bad input: the scenarios after it would only hide the error under more output.
    if (!results.back().configuration_error.empty()) break;
  }
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  const double seconds = SecondsSince(start);
  const bool interrupted = sim::StopRequested();
  if (interrupted) {
    std::fprintf(stderr, "wvsim explore: stopped by a signal after %zu of %zu scenarios\n",
                 results.size(), options->scenarios.size());
  }
  std::fputs((options->json ? FormatJson(results, seconds) : FormatTable(results)).c_str(), stdout);
  if (!options->junit.empty()) {
    if (absl::Status written =
            sim::WriteFileAtomically(options->junit, FormatJunit(results, seconds));
        !written.ok()) {
      std::fprintf(stderr, "wvsim explore: %s\n", std::string(written.message()).c_str());
      io_ok = false;
    }
  }
  io_ok = campaign.Write(options->out_dir, results, interrupted) && io_ok;
  if (!io_ok) return kExitUsage;
  if (interrupted) return kExitInterrupted;
  bool violation = false;
  bool unexpected = false;
  for (const ScenarioResult& r : results) {
    violation = violation || r.verdict != sim::Verdict::kClean;
    unexpected = unexpected || !r.as_expected();
  }
  if (options->check_expected) return unexpected ? kExitViolation : kExitClean;
  return violation ? kExitViolation : kExitClean;
}

}  // namespace wvsim::tools
