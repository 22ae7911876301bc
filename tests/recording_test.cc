// sim/recording.h: what a faithful replay is (the recorded decisions, verdict and trace hash) and
// how a recording that does not fit its scenario is reported (file and line), shared by
// `wvsim replay` and the testing API's WVSIM_REPLAY.
#include "sim/recording.h"

#include <string>

#include "gtest/gtest.h"
#include "sim/explorer.h"
#include "sim/schedule_io.h"
#include "tests/cli_runner.h"
#include "tests/test_programs.h"

namespace wvsim::sim {
namespace {

using testing::AbbaProgram;
using testing::MakeScenario;

class RecordingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::StatusOr<ExploreResult> explored = Explore(abba_, ExploreConfig{});
    ASSERT_TRUE(explored.ok()) << explored.status();
    ASSERT_EQ(explored->found.size(), 1u);
    recorded_ = explored->found.front().schedule;
  }
  // Replays `recorded` against sim.abba's program.
  CheckedReplay Replay(const Schedule& recorded, bool lenient) {
    absl::StatusOr<ParamValues> params = ResolveParams(abba_, {});
    EXPECT_TRUE(params.ok());
    Runner runner(abba_, *params, RecordedLimits(recorded));
    return ReplayRecording(runner, recorded, lenient);
  }
  // `schedule` written to a fresh file, for the functions that name its lines.
  std::string Written(const Schedule& schedule, const std::string& name) {
    const std::string path = wvsim::testing::MakeTempDir(name) + "/abba.schedule";
    EXPECT_TRUE(WriteScheduleFile(path, schedule).ok());
    return path;
  }
  Scenario abba_ = MakeScenario(AbbaProgram, {Verdict::kDeadlock}, "test.abba");
  Schedule recorded_;
};

TEST_F(RecordingTest, FaithfulReplayReproducesVerdictAndHash) {
  const CheckedReplay replay = Replay(recorded_, /*lenient=*/false);
  EXPECT_EQ(replay.divergence, "");
  EXPECT_EQ(replay.outcome.violation.kind, Verdict::kDeadlock);
  EXPECT_EQ(replay.trace_hash, recorded_.trace_hash);
}

TEST_F(RecordingTest, StrictReplayChecksVerdictThenHashLenientDoesNot) {
  Schedule other_hash = recorded_;
  other_hash.trace_hash ^= 1;
  EXPECT_EQ(Replay(other_hash, false).divergence.rfind("trace hash differs: recorded ", 0), 0u);
  EXPECT_EQ(Replay(other_hash, true).divergence, "");
  Schedule other_verdict = recorded_;
  other_verdict.verdict = Verdict::kClean;
  EXPECT_EQ(Replay(other_verdict, false).divergence,
            "verdict differs: recorded clean, the replay ended deadlock");
}

TEST_F(RecordingTest, LimitsComeFromTheRecording) {
  Schedule limited = recorded_;
  limited.max_steps = 7;
  EXPECT_EQ(RecordedLimits(limited).steps_max, 7u);
  limited.max_steps = 0;
  EXPECT_EQ(RecordedLimits(limited).steps_max, KernelLimits{}.steps_max);
}

TEST_F(RecordingTest, UnknownParamNamesItsLine) {
  Schedule with_param = recorded_;
  with_param.params["nope"] = "1";
  const std::string path = Written(with_param, "recording_param");
  const int line = ScheduleHeaderLine(path, "param: nope=");
  EXPECT_GT(line, 2);
  const absl::StatusOr<ParamValues> params = RecordedParams(abba_, with_param, path);
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().message(),
            path + ":" + std::to_string(line) + ": scenario test.abba has no parameter 'nope'");
  EXPECT_TRUE(RecordedParams(abba_, recorded_, path).ok());
}

TEST_F(RecordingTest, OtherModelVersionNamesItsLineAndTheWayOut) {
  Schedule newer = recorded_;
  newer.model_version = abba_.model_version + 1;
  const std::string path = Written(newer, "recording_version");
  EXPECT_TRUE(CheckModelVersion(abba_, recorded_, path, "x").ok());
  const absl::Status status = CheckModelVersion(abba_, newer, path, "replay it with --lenient");
  EXPECT_EQ(status.message(),
            path + ":" + std::to_string(ScheduleHeaderLine(path, "model-version:")) +
                ": recorded with model version 2 of test.abba, this wvsim has version 1; "
                "re-record it (docs/schedule-format.md) or replay it with --lenient");
  EXPECT_EQ(ScheduleHeaderLine(path + ".missing", "model-version:"), 0);
}

TEST_F(RecordingTest, VerdictTextEndsAReplay) {
  RunOutcome clean;
  clean.steps = 3;
  EXPECT_EQ(FormatReplayVerdict(clean, 0xff),
            "verdict: clean\nsteps: 3, preemptions: 0, trace hash: 00000000000000ff\n");
  RunOutcome deadlock;
  deadlock.violation = Violation{Verdict::kDeadlock, "t1 lock(b)", "a report"};
  deadlock.steps = 4;
  deadlock.preemptions = 1;
  EXPECT_EQ(FormatReplayVerdict(deadlock, 1),
            "verdict: deadlock at t1 lock(b)\na report\nsteps: 4, preemptions: 1, trace hash: "
            "0000000000000001\n");
}

}  // namespace
}  // namespace wvsim::sim
