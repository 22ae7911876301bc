// The testing API as a user meets it: a failing assertion in a test binary of one's own
// (tests/testing_failures/failing_test.cc) prints a schedule file and a replay command, and that
// command, run as printed, reproduces the failure with its full trace. Bad WVSIM_REPLAY input is
// a clear failure, never a crash.
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "sim/schedule_io.h"
#include "tests/cli_runner.h"

namespace wvsim::testing {
namespace {

std::string FailingBinary() { return std::string(WVSIM_BINARY_DIR) + "/bin/wvsim_testing_failing"; }

// Runs one test of the failing binary in `dir`, failure files going to `dir`/failures.
CommandResult RunFailing(const std::string& dir, const std::string& test,
                         std::vector<std::string> env = {}) {
  env.push_back("WVSIM_FAILURE_DIR=" + dir + "/failures");
  return RunProgram(FailingBinary(), {"--gtest_filter=" + test}, dir, env);
}

struct ReplayCommand {
  std::string schedule;  // the WVSIM_REPLAY value
  std::string binary;
  std::string filter;  // the --gtest_filter value
};

// The command the failure message printed: "WVSIM_REPLAY=<path> <argv0> --gtest_filter=<test>".
std::optional<ReplayCommand> PrintedCommand(const std::string& out) {
  static const std::regex kLine(
      "replay it in this test: WVSIM_REPLAY=(\\S+) (\\S+) --gtest_filter=(\\S+)\\n");
  std::smatch match;
  if (!std::regex_search(out, match, kLine)) return std::nullopt;
  return ReplayCommand{match[1], match[2], match[3]};
}

// Runs the printed command exactly as printed: its variable, its binary, its one argument.
CommandResult RunPrinted(const ReplayCommand& command, const std::string& dir) {
  return RunProgram(command.binary, {"--gtest_filter=" + command.filter}, dir,
                    {"WVSIM_REPLAY=" + command.schedule});
}

TEST(TestingReplay, FailedExplorationPrintsACommandThatReproducesIt) {
  const std::string dir = MakeTempDir("testing_replay_explore");
  const CommandResult failed = RunFailing(dir, "Failing.AbbaIsClean");
  ASSERT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_TRUE(absl::StrContains(failed.out, "failing.abba: expected no violation, found deadlock"))
      << failed.out;
  const std::optional<ReplayCommand> command = PrintedCommand(failed.out);
  ASSERT_TRUE(command.has_value()) << failed.out;
  EXPECT_EQ(command->schedule, dir + "/failures/Failing.AbbaIsClean.failing.abba.schedule");
  EXPECT_EQ(command->binary, FailingBinary());
  EXPECT_EQ(command->filter, "Failing.AbbaIsClean");
  const absl::StatusOr<sim::Schedule> recorded = sim::ReadScheduleFile(command->schedule);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->scenario, "failing.abba");
  EXPECT_EQ(recorded->verdict, sim::Verdict::kDeadlock);

  const CommandResult replayed = RunPrinted(*command, dir);
  EXPECT_EQ(replayed.exit_code, 1) << replayed.out << replayed.err;
  EXPECT_TRUE(absl::StrContains(replayed.out, "replaying failing.abba with full trace"))
      << replayed.out;
  EXPECT_TRUE(absl::StrContains(replayed.out, "t2         lock(b)")) << replayed.out;
  EXPECT_TRUE(absl::StrContains(replayed.out, "verdict: deadlock at t1 lock(b)")) << replayed.out;
  EXPECT_TRUE(absl::StrContains(
      replayed.out,
      "found deadlock at t1 lock(b), cycle t1 lock(b) -> t2 lock(a) (replayed from "
      "WVSIM_REPLAY=" +
          command->schedule))
      << replayed.out;
  // A replay writes no new failure file and prints no new command.
  EXPECT_FALSE(PrintedCommand(replayed.out).has_value()) << replayed.out;
}

TEST(TestingReplay, FailedPropertyPrintsItsShrunkScheduleAndReplaysIt) {
  const std::string dir = MakeTempDir("testing_replay_property");
  const CommandResult failed = RunFailing(dir, "Failing.AbbaNeverDeadlocks");
  ASSERT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_TRUE(absl::StrContains(failed.out, "Falsifiable")) << failed.out;
  const std::optional<ReplayCommand> command = PrintedCommand(failed.out);
  ASSERT_TRUE(command.has_value()) << failed.out;
  EXPECT_EQ(command->filter, "Failing.AbbaNeverDeadlocks");
  // The file holds the last failing case, the shrunk one the message shows: the deadlock needs
  // one preemption, and shrinking leaves no other.
  const absl::StatusOr<sim::Schedule> recorded = sim::ReadScheduleFile(command->schedule);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->strategy, "bytes");
  EXPECT_EQ(recorded->preemptions, 1u);

  const CommandResult replayed = RunPrinted(*command, dir);
  EXPECT_EQ(replayed.exit_code, 1) << replayed.out << replayed.err;
  EXPECT_TRUE(absl::StrContains(replayed.out, "verdict: deadlock at t1 lock(b)")) << replayed.out;
  EXPECT_EQ(replayed.out.find("replaying failing.abba"),
            replayed.out.rfind("replaying failing.abba"))
      << "the trace is printed once, however many cases rapidcheck runs";
}

TEST(TestingReplay, MalformedReplayFileFailsWithFileAndLine) {
  const std::string dir = MakeTempDir("testing_replay_malformed");
  {
    std::ofstream bad(dir + "/bad.schedule");
    bad << "wvsim-schedule 1\nscenario: failing.abba\nbogus\n";
  }
  const CommandResult result =
      RunFailing(dir, "Failing.AbbaIsClean", {"WVSIM_REPLAY=" + dir + "/bad.schedule"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(absl::StrContains(
      result.out, "WVSIM_REPLAY: " + dir + "/bad.schedule:3: malformed header line 'bogus'"))
      << result.out;

  const CommandResult missing =
      RunFailing(dir, "Failing.AbbaIsClean", {"WVSIM_REPLAY=" + dir + "/missing.schedule"});
  EXPECT_EQ(missing.exit_code, 1) << missing.out << missing.err;
  EXPECT_TRUE(absl::StrContains(missing.out, "WVSIM_REPLAY: ")) << missing.out;
  EXPECT_TRUE(absl::StrContains(missing.out, dir + "/missing.schedule")) << missing.out;
}

TEST(TestingReplay, StrictReplayChecksStepsAndTheHashLikeTheCli) {
  const std::string dir = MakeTempDir("testing_replay_strict");
  const CommandResult failed = RunFailing(dir, "Failing.AbbaIsClean");
  const std::optional<ReplayCommand> command = PrintedCommand(failed.out);
  ASSERT_TRUE(command.has_value()) << failed.out;
  absl::StatusOr<sim::Schedule> recorded = sim::ReadScheduleFile(command->schedule);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  sim::Schedule edited = *recorded;
  edited.steps += 5;
  ASSERT_TRUE(sim::WriteScheduleFile(dir + "/steps.schedule", edited).ok());
  const CommandResult steps =
      RunPrinted({dir + "/steps.schedule", command->binary, command->filter}, dir);
  EXPECT_EQ(steps.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(steps.out, "steps differ: recorded ")) << steps.out;

  edited = *recorded;
  edited.trace_hash = 0;
  ASSERT_TRUE(sim::WriteScheduleFile(dir + "/zero.schedule", edited).ok());
  const CommandResult zero =
      RunPrinted({dir + "/zero.schedule", command->binary, command->filter}, dir);
  EXPECT_EQ(zero.exit_code, 1);
  EXPECT_TRUE(std::regex_search(
      zero.out, std::regex("zero\\.schedule:[0-9]+: trace-hash 0000000000000000 is no recorded")))
      << zero.out;
  EXPECT_TRUE(absl::StrContains(zero.out, "set WVSIM_REPLAY_LENIENT=1 to replay it")) << zero.out;
}

TEST(TestingReplay, ReplayThatNoTestUsesFailsTheRun) {
  const std::string dir = MakeTempDir("testing_replay_unused");
  const CommandResult failed = RunFailing(dir, "Failing.AbbaIsClean");
  const std::optional<ReplayCommand> command = PrintedCommand(failed.out);
  ASSERT_TRUE(command.has_value()) << failed.out;
  const CommandResult result =
      RunFailing(dir, "Failing.ExploresNothing", {"WVSIM_REPLAY=" + command->schedule});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(absl::StrContains(result.out, "no test in this run explored scenario failing.abba"))
      << result.out;
}

}  // namespace
}  // namespace wvsim::testing
