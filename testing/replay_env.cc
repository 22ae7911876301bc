#include "wvsim/internal/replay_env.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/recording.h"
#include "sim/schedule_io.h"

namespace wvsim::testing::internal {

namespace {

// What this process did with WVSIM_REPLAY, for the end-of-run check below.
struct ReplayLog {
  std::mutex mutex;
  bool matched = false;           // some call's scenario was the file's
  std::set<std::string> printed;  // files whose trace was printed
};

ReplayLog& Log() {
  static ReplayLog* log = new ReplayLog();
  return *log;
}

bool LenientRequested() {
  const char* value = std::getenv(kLenientVariable);
  return value != nullptr && std::string(value) != "" && std::string(value) != "0";
}

// Prints the replay's trace and verdict, once per file: a property replays it on every case.
void PrintOnce(const std::string& path, const std::string& id, const sim::Kernel& kernel,
               const sim::CheckedReplay& replay) {
  {
    ReplayLog& log = Log();
    std::lock_guard<std::mutex> lock(log.mutex);
    if (!log.printed.insert(path).second) return;
  }
  std::string text = absl::StrCat("[wvsim] ", kReplayVariable, "=", path, ": replaying ", id,
                                  " with full trace\n", kernel.TraceText());
  if (!replay.divergence.empty()) {
    absl::StrAppend(
        &text, "diverged: the run above did not follow the recording: ", replay.divergence, "\n");
  }
  absl::StrAppend(&text, sim::FormatReplayVerdict(replay.outcome, replay.trace_hash));
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
}

// A run that set WVSIM_REPLAY but explored no scenario of its file would pass without replaying
// anything; that is a mistake (a wrong --gtest_filter), so it fails at the end.
class ReplayUsedCheck : public ::testing::Environment {
 public:
  void TearDown() override {
    const std::string path = ReplayPath();
    if (path.empty()) return;
    {
      ReplayLog& log = Log();
      std::lock_guard<std::mutex> lock(log.mutex);
      if (log.matched) return;
    }
    absl::StatusOr<sim::Schedule> recorded = sim::ReadScheduleFile(path);
    if (!recorded.ok()) {
      ADD_FAILURE() << kReplayVariable << ": " << recorded.status().message();
      return;
    }
    ADD_FAILURE() << kReplayVariable << "=" << path << ": no test in this run explored scenario "
                  << recorded->scenario << ", so nothing was replayed; run the test that the "
                  << "failure message named (its --gtest_filter)";
  }
};

[[maybe_unused]] const ::testing::Environment* const kReplayUsedCheck =
    ::testing::AddGlobalTestEnvironment(new ReplayUsedCheck());

}  // namespace

std::string ReplayPath() {
  const char* value = std::getenv(kReplayVariable);
  return value == nullptr ? std::string() : std::string(value);
}

Result NewResult(const sim::Scenario& scenario, std::string how) {
  Result result;
  result.scenario = scenario.id;
  result.expected = scenario.expected;
  result.how = std::move(how);
  return result;
}

std::optional<Result> ReplayIfRequested(const sim::Scenario& scenario) {
  const std::string path = ReplayPath();
  if (path.empty()) return std::nullopt;
  const bool lenient = LenientRequested();
  Result result = NewResult(scenario, lenient ? "lenient replay" : "replay");
  result.replayed = path;
  absl::StatusOr<sim::Schedule> recorded = sim::ReadScheduleFile(path);
  if (!recorded.ok()) {
    result.error = absl::StrCat(kReplayVariable, ": ", recorded.status().message());
    return result;
  }
  {
    ReplayLog& log = Log();
    std::lock_guard<std::mutex> lock(log.mutex);
    if (recorded->scenario != scenario.id) return std::nullopt;
    log.matched = true;
  }
  absl::StatusOr<sim::Replayed> replayed = sim::ReplaySchedule(
      scenario, *recorded,
      {.lenient = lenient,
       .relax_hint = absl::StrCat("set ", kLenientVariable, "=1 to replay it")});
  if (!replayed.ok()) {
    result.error = absl::StrCat(kReplayVariable, ": ", replayed.status().message());
    return result;
  }
  const sim::Runner& runner = *replayed->runner;
  const sim::CheckedReplay& replay = replayed->replay;
  PrintOnce(path, scenario.id, runner.kernel(), replay);
  result.executions = 1;
  result.verdict = replay.outcome.violation.kind;
  result.divergence = replay.divergence;
  if (result.verdict != Verdict::kClean) {
    sim::Found found;
    found.violation = replay.outcome.violation;
    found.schedule =
        runner.LastSchedule(replay.outcome, recorded->strategy, recorded->seed, recorded->depth);
    result.found.push_back(std::move(found));
  }
  return result;
}

}  // namespace wvsim::testing::internal
