// The testing API in process (wvsim/testing.h): what ExploreScenario and RunScenario return, what
// each assertion accepts and how it fails, the failure files, and WVSIM_REPLAY's replay, its
// checks and its errors. testing_replay_test.cc runs it as a user's separate binary.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "sim/schedule_io.h"
#include "sim/sync.h"
#include "tests/cli_runner.h"
#include "wvsim/testing.h"

namespace wvsim::testing {
namespace {

// Each test gets its own failure folder, and no WVSIM_REPLAY unless it sets one.
class TestingApi : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = MakeTempDir(std::string("testing_api_") + test->name());
    setenv("WVSIM_FAILURE_DIR", (dir_ + "/failures").c_str(), 1);
    unsetenv("WVSIM_REPLAY");
    unsetenv("WVSIM_REPLAY_LENIENT");
  }
  void TearDown() override {
    unsetenv("WVSIM_FAILURE_DIR");
    unsetenv("WVSIM_REPLAY");
    unsetenv("WVSIM_REPLAY_LENIENT");
  }
  // A deadlocking schedule of sim.abba, written to `name` in this test's folder.
  std::string RecordAbba(const std::string& name) {
    const Result result = ExploreScenario("sim.abba");
    EXPECT_FALSE(result.found.empty());
    const std::string path = dir_ + "/" + name;
    EXPECT_TRUE(sim::WriteScheduleFile(path, result.found.front().schedule).ok());
    return path;
  }
  std::string dir_;
};

TEST_F(TestingApi, ExploreFindsABuiltinScenariosDeadlock) {
  const Result result = ExploreScenario("sim.abba", {.strategy = "portfolio", .iterations = 100});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.scenario, "sim.abba");
  EXPECT_EQ(result.verdict, Verdict::kDeadlock);
  EXPECT_EQ(result.how, "portfolio, seed 0");
  EXPECT_GE(result.executions, 1u);
  ASSERT_EQ(result.found.size(), 1u);
  EXPECT_EQ(result.found.front().schedule.scenario, "sim.abba");
  EXPECT_TRUE(result.replayed.empty());
  EXPECT_VIOLATION(result, Verdict::kDeadlock);
  EXPECT_EXPECTED_VERDICT(result);
}

TEST_F(TestingApi, Exhausted_SaysWhenASystematicSearchRanOutOfSchedules) {
  // sim.counter's whole tree under ipb: every schedule once, then nothing left.
  const Result all = ExploreScenario("sim.counter", {.strategy = "ipb", .iterations = 1'000'000});
  ASSERT_TRUE(all.ok()) << all.error;
  EXPECT_TRUE(all.exhausted);
  EXPECT_NO_VIOLATION(all);
  EXPECT_GT(all.executions, 100u);
  EXPECT_GT(all.revisits, 0u);
  // Stopped by its iteration count before the end, or a strategy with no end: not exhausted.
  const Result cut = ExploreScenario("sim.counter", {.strategy = "ipb", .iterations = 10});
  EXPECT_FALSE(cut.exhausted);
  EXPECT_EQ(cut.executions, 10u);
  const Result random = ExploreScenario("sim.counter", {.strategy = "random", .iterations = 50});
  EXPECT_FALSE(random.exhausted);
  EXPECT_EQ(random.revisits, 0u);
}

TEST_F(TestingApi, CleanScenarioPassesNoViolation) {
  const Result result = ExploreScenario("sim.counter", {.iterations = 2000});
  EXPECT_EQ(result.executions, 2000u);
  EXPECT_NO_VIOLATION(result);
  EXPECT_EXPECTED_VERDICT(result);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/failures"));
}

TEST_F(TestingApi, NoViolationFailureWritesTheScheduleAndPrintsTheReplayCommand) {
  EXPECT_NONFATAL_FAILURE(EXPECT_NO_VIOLATION(ExploreScenario("sim.abba")),
                          "sim.abba: expected no violation, found deadlock at");
  const std::string file =
      dir_ +
      "/failures/TestingApi.NoViolationFailureWritesTheScheduleAndPrintsTheReplayCommand."
      "sim.abba.schedule";
  const absl::StatusOr<sim::Schedule> written = sim::ReadScheduleFile(file);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(written->verdict, Verdict::kDeadlock);
  const ::testing::AssertionResult failure =
      AssertNoViolation("result", ExploreScenario("sim.abba"));
  EXPECT_FALSE(failure);
  EXPECT_NE(std::string(failure.message())
                .find("replay it in this test: WVSIM_REPLAY=" + file + " " +
                      ::testing::internal::GetArgvs().front() +
                      " --gtest_filter=TestingApi.NoViolationFailureWritesTheScheduleAndPrints"
                      "TheReplayCommand"),
            std::string::npos)
      << failure.message();
}

TEST_F(TestingApi, ViolationFailuresSayWhatWasFoundInstead) {
  EXPECT_NONFATAL_FAILURE(
      EXPECT_VIOLATION(ExploreScenario("sim.counter", {.iterations = 500}), Verdict::kDeadlock),
      "sim.counter: expected a deadlock violation, found none in 500 executions (random, seed 0)");
  EXPECT_NONFATAL_FAILURE(EXPECT_VIOLATION(ExploreScenario("sim.abba"), Verdict::kStall),
                          "sim.abba: expected a stall violation, found deadlock at");
  EXPECT_NONFATAL_FAILURE(
      EXPECT_EXPECTED_VERDICT(ExploreScenario("sim.abba", {.strategy = "dfs", .depth = 0})),
      "sim.abba: declares deadlock, found none in");
}

TEST_F(TestingApi, UnknownScenarioAndBadOptionsAreErrors) {
  const Result unknown = ExploreScenario("myapp.nothing_here");
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error.find("unknown scenario 'myapp.nothing_here'"), std::string::npos);
  EXPECT_NONFATAL_FAILURE(EXPECT_NO_VIOLATION(ExploreScenario("myapp.nothing_here")),
                          "register it with WVSIM_REGISTER_SCENARIO");
  EXPECT_NE(ExploreScenario("sim.abba", {.strategy = "bogus"}).error.find("bogus"),
            std::string::npos);
  EXPECT_NE(ExploreScenario("sim.abba", {.params = {{"nope", "1"}}}).error.find("nope"),
            std::string::npos);
  EXPECT_NE(RunScenario("sim.abba", {}, {.params = {{"fault_budget", "x"}}}).error.find("x"),
            std::string::npos);
  EXPECT_NONFATAL_FAILURE(
      EXPECT_VIOLATION(RunScenario("myapp.nothing_here", {}), Verdict::kDeadlock),
      "unknown scenario");
}

sim::Task<> LockTwice(sim::Mutex& first, sim::Mutex& second) {
  co_await first.Lock();
  co_await second.Lock();
  co_await second.Unlock();
  co_await first.Unlock();
}

TEST_F(TestingApi, ExploresAnUnregisteredScenario) {
  const sim::Scenario scenario{
      .id = "test.unregistered_abba",
      .description = "sim.abba, not registered",
      .expected = {Verdict::kDeadlock},
      .setup =
          [](sim::Kernel& k) {
            sim::Mutex& a = k.Make<sim::Mutex>(k, "a");
            sim::Mutex& b = k.Make<sim::Mutex>(k, "b");
            k.Spawn("t1", LockTwice(a, b));
            k.Spawn("t2", LockTwice(b, a));
          },
  };
  EXPECT_VIOLATION(ExploreScenario(scenario), Verdict::kDeadlock);
  EXPECT_EXPECTED_VERDICT(ExploreScenario(scenario));
}

TEST_F(TestingApi, RunScenarioFollowsTheChoiceBytes) {
  // No bytes: every decision takes option 0, the lowest enabled thread: t1 runs to its end.
  EXPECT_NO_VIOLATION(RunScenario("sim.abba", ChoiceSequence{}));
  // t2 first, then t1 while t2 holds b: the deadlock.
  const Result result = RunScenario("sim.abba", ChoiceSequence{{1, 1}});
  EXPECT_EQ(result.executions, 1u);
  EXPECT_EQ(result.how, "a generated schedule of 2 bytes");
  ASSERT_EQ(result.found.size(), 1u);
  EXPECT_EQ(result.found.front().schedule.strategy, "bytes");
  EXPECT_NE(result.found.front().schedule.trace_hash, 0u);
  EXPECT_VIOLATION(result, Verdict::kDeadlock);
}

TEST_F(TestingApi, ChoiceSequencesShowTheirBytes) {
  std::ostringstream shown;
  showValue(ChoiceSequence{{3, 0, 255}}, shown);
  EXPECT_EQ(shown.str(), "ChoiceSequence of 3 bytes {3, 0, 255}");
}

TEST_F(TestingApi, ReplayRunsTheFileInsteadOfExploring) {
  const std::string path = RecordAbba("abba.schedule");
  setenv("WVSIM_REPLAY", path.c_str(), 1);
  ::testing::internal::CaptureStdout();
  const Result result = ExploreScenario("sim.abba", {.iterations = 5});
  const std::string printed = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(result.replayed, path);
  EXPECT_EQ(result.executions, 1u);
  EXPECT_EQ(result.verdict, Verdict::kDeadlock);
  EXPECT_TRUE(result.divergence.empty()) << result.divergence;
  EXPECT_NE(printed.find("replaying sim.abba with full trace"), std::string::npos) << printed;
  EXPECT_NE(printed.find("verdict: deadlock at"), std::string::npos) << printed;
  EXPECT_NONFATAL_FAILURE(EXPECT_NO_VIOLATION(ExploreScenario("sim.abba")),
                          "(replayed from WVSIM_REPLAY=" + path);
  EXPECT_VIOLATION(RunScenario("sim.abba", ChoiceSequence{}), Verdict::kDeadlock);
  // Another scenario is explored as usual.
  const Result other = ExploreScenario("sim.counter", {.iterations = 10});
  EXPECT_TRUE(other.replayed.empty());
  EXPECT_EQ(other.executions, 10u);
}

TEST_F(TestingApi, ReplayThatDivergesFailsUnlessLenient) {
  const std::string path = RecordAbba("abba.schedule");
  absl::StatusOr<sim::Schedule> schedule = sim::ReadScheduleFile(path);
  ASSERT_TRUE(schedule.ok());
  schedule->trace_hash ^= 1;
  ASSERT_TRUE(sim::WriteScheduleFile(path, *schedule).ok());
  setenv("WVSIM_REPLAY", path.c_str(), 1);
  ::testing::internal::CaptureStdout();
  const Result strict = ExploreScenario("sim.abba");
  EXPECT_NE(strict.divergence.find("trace hash differs"), std::string::npos) << strict.divergence;
  EXPECT_NONFATAL_FAILURE(EXPECT_VIOLATION(ExploreScenario("sim.abba"), Verdict::kDeadlock),
                          "diverged from its recording: trace hash differs");
  setenv("WVSIM_REPLAY_LENIENT", "1", 1);
  const Result lenient = ExploreScenario("sim.abba");
  ::testing::internal::GetCapturedStdout();
  EXPECT_TRUE(lenient.divergence.empty()) << lenient.divergence;
  EXPECT_VIOLATION(lenient, Verdict::kDeadlock);
}

TEST_F(TestingApi, ReplayOfAnotherModelVersionIsAnErrorUnlessLenient) {
  const std::string path = RecordAbba("abba.schedule");
  absl::StatusOr<sim::Schedule> schedule = sim::ReadScheduleFile(path);
  ASSERT_TRUE(schedule.ok());
  schedule->model_version += 1;
  ASSERT_TRUE(sim::WriteScheduleFile(path, *schedule).ok());
  setenv("WVSIM_REPLAY", path.c_str(), 1);
  const Result result = ExploreScenario("sim.abba");
  EXPECT_NE(result.error.find(path + ":"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("set WVSIM_REPLAY_LENIENT=1 to replay it"), std::string::npos)
      << result.error;
  setenv("WVSIM_REPLAY_LENIENT", "1", 1);
  ::testing::internal::CaptureStdout();
  EXPECT_VIOLATION(ExploreScenario("sim.abba"), Verdict::kDeadlock);
  ::testing::internal::GetCapturedStdout();
}

TEST_F(TestingApi, MalformedReplayFileIsAnErrorWithItsLine) {
  const std::string path = dir_ + "/bad.schedule";
  {
    std::ofstream bad(path);
    bad << "wvsim-schedule 1\nscenario: sim.abba\nparam: fault_budget=1\nstrategy: sideways\n";
  }
  setenv("WVSIM_REPLAY", path.c_str(), 1);
  const Result result = ExploreScenario("sim.abba");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("WVSIM_REPLAY: " + path + ":4: "), std::string::npos) << result.error;
  EXPECT_NONFATAL_FAILURE(EXPECT_NO_VIOLATION(ExploreScenario("sim.abba")), path + ":4: ");
}

RC_GTEST_PROP(TestingApiProperty, SchedulesStayWithinTheirLength, ()) {
  const ChoiceSequence choices = *Schedules(16);
  RC_ASSERT(choices.bytes.size() <= 16u);
}

RC_GTEST_PROP(TestingApiProperty, CounterIsCleanUnderAnySchedule, (const ChoiceSequence& choices)) {
  RC_ASSERT_NO_VIOLATION(RunScenario("sim.counter", choices));
}

RC_GTEST_PROP(TestingApiProperty, AbbaDeadlocksOnlyWhenPreemptedBetweenLocks,
              (const ChoiceSequence& choices)) {
  const Result result = RunScenario("sim.abba", choices);
  RC_SUCCEED_IF(result.verdict == Verdict::kClean);
  RC_ASSERT_VIOLATION(result, Verdict::kDeadlock);
  RC_ASSERT(result.found.front().schedule.preemptions >= 1u);
}

}  // namespace
}  // namespace wvsim::testing
