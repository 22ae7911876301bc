// sim/recording.h: what a faithful replay is (the recorded decisions, verdict, steps, preemptions
// and trace hash) and how a recording that does not fit its scenario is reported (file and line,
// from the parsed schedule's own line numbers), shared by `wvsim replay`, the testing API's
// WVSIM_REPLAY and shrink.
#include "sim/recording.h"

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
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
  // Replays `recorded` against sim.abba's program; an error's message as the divergence.
  CheckedReplay Replay(const Schedule& recorded, bool lenient) {
    absl::StatusOr<Replayed> replayed = ReplaySchedule(abba_, recorded, {.lenient = lenient});
    CheckedReplay replay;
    replay.divergence = std::string(replayed.status().message());
    return replayed.ok() ? replayed->replay : replay;
  }
  // `schedule` written to a fresh file and read back: its lines are known.
  Schedule ReadBack(const Schedule& schedule, const std::string& name, std::string* path) {
    *path = wvsim::testing::MakeTempDir(name) + "/abba.schedule";
    EXPECT_TRUE(WriteScheduleFile(*path, schedule).ok());
    absl::StatusOr<Schedule> read = ReadScheduleFile(*path);
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? *read : Schedule();
  }
  // The error of a strict replay of `text` (the recording's file, edited).
  std::string StrictError(const std::string& text, const std::string& name) {
    const std::string path = wvsim::testing::MakeTempDir(name) + "/edited.schedule";
    std::ofstream(path, std::ios::binary) << text;
    absl::StatusOr<Schedule> read = ReadScheduleFile(path);
    EXPECT_TRUE(read.ok()) << read.status();
    if (!read.ok()) return "";
    absl::StatusOr<Replayed> replayed =
        ReplaySchedule(abba_, *read, {.lenient = false, .relax_hint = "use --lenient"});
    EXPECT_TRUE(ReplaySchedule(abba_, *read, {.lenient = true}).ok());
    return replayed.ok() ? "" : std::string(replayed.status().message());
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

TEST_F(RecordingTest, StrictReplayChecksVerdictStepsPreemptionsHashLenientDoesNot) {
  Schedule other_hash = recorded_;
  other_hash.trace_hash ^= 1;
  EXPECT_EQ(Replay(other_hash, false).divergence.rfind("trace hash differs: recorded ", 0), 0u);
  EXPECT_EQ(Replay(other_hash, true).divergence, "");
  Schedule other_verdict = recorded_;
  other_verdict.verdict = Verdict::kClean;
  EXPECT_EQ(Replay(other_verdict, false).divergence,
            "verdict differs: recorded clean, the replay ended deadlock");
  Schedule other_steps = recorded_;
  other_steps.steps = 99;
  EXPECT_EQ(Replay(other_steps, false).divergence,
            absl::StrCat("steps differ: recorded 99, the replay took ", recorded_.steps));
  EXPECT_EQ(Replay(other_steps, true).divergence, "");
  Schedule other_preemptions = recorded_;
  other_preemptions.preemptions = 7;
  EXPECT_EQ(
      Replay(other_preemptions, false).divergence,
      absl::StrCat("preemptions differ: recorded 7, the replay made ", recorded_.preemptions));
}

TEST_F(RecordingTest, StrictReplayNeedsTheHeadersItChecksAndNamesTheLine) {
  const std::string text = FormatSchedule(recorded_);
  const std::string hash_line = absl::StrFormat("trace-hash: %016x\n", recorded_.trace_hash);
  ASSERT_NE(text.find(hash_line), std::string::npos);
  // Lines: 1 version, 2 scenario, 3 param, 4 strategy, 5 seed, 6 depth, 7 max-steps,
  // 8 model-version, 9 verdict, 10 trace-hash, 11 steps, 12 preemptions, 13 decisions, 14 ---.
  const std::string zero =
      absl::StrReplaceAll(text, {{hash_line, "trace-hash: 0000000000000000\n"}});
  EXPECT_THAT(StrictError(zero, "strict_zero"),
              ::testing::MatchesRegex(".*edited.schedule:10: trace-hash 0000000000000000 is no "
                                      "recorded hash.* or use --lenient"));
  const std::string no_hash = absl::StrReplaceAll(text, {{hash_line, ""}});
  EXPECT_THAT(StrictError(no_hash, "strict_no_hash"),
              ::testing::MatchesRegex(".*edited.schedule:13: no 'trace-hash' header, which a "
                                      "strict replay checks;.*"));
  const std::string steps_line = absl::StrCat("steps: ", recorded_.steps, "\n");
  const std::string no_steps = absl::StrReplaceAll(text, {{steps_line, ""}});
  EXPECT_THAT(StrictError(no_steps, "strict_no_steps"),
              ::testing::HasSubstr("edited.schedule:13: no 'steps' header"));
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
  std::string path;
  const Schedule read = ReadBack(with_param, "recording_param", &path);
  // "param: fault_budget=0" is line 3, "param: nope=1" line 4.
  EXPECT_EQ(read.source.Line("param:nope"), 4u);
  const absl::StatusOr<ParamValues> params = RecordedParams(abba_, read);
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().message(), path + ":4: scenario test.abba has no parameter 'nope'");
  EXPECT_TRUE(RecordedParams(abba_, ReadBack(recorded_, "recording_param_ok", &path)).ok());
  // Built in memory, it has no lines: the message is the problem alone.
  EXPECT_EQ(RecordedParams(abba_, with_param).status().message(),
            "scenario test.abba has no parameter 'nope'");
}

TEST_F(RecordingTest, OtherModelVersionNamesItsLineAndTheWayOut) {
  Schedule newer = recorded_;
  newer.model_version = abba_.model_version + 1;
  std::string path;
  const Schedule read = ReadBack(newer, "recording_version", &path);
  EXPECT_TRUE(CheckStrictReplayable(abba_, recorded_, "x").ok());
  const absl::Status status = CheckStrictReplayable(abba_, read, "replay it with --lenient");
  EXPECT_EQ(status.message(),
            path +
                ":8: recorded with model version 2 of test.abba, this wvsim has version 1; "
                "re-record it (docs/schedule-format.md) or replay it with --lenient");
  EXPECT_TRUE(ReplaySchedule(abba_, read, {.lenient = true}).ok());
  EXPECT_FALSE(ReplaySchedule(abba_, read, {.lenient = false}).ok());
}

TEST_F(RecordingTest, AParsedScheduleKnowsTheLineOfEachHeader) {
  std::string path;
  const Schedule read = ReadBack(recorded_, "recording_lines", &path);
  EXPECT_EQ(read.source.name, path);
  EXPECT_EQ(read.source.Line("scenario"), 2u);
  EXPECT_EQ(read.source.Line("model-version"), 8u);
  EXPECT_EQ(read.source.Line("---"), 14u);
  EXPECT_EQ(read.source.Line("program"), 0u);
  EXPECT_EQ(read.source.At("trace-hash"), path + ":10");
  EXPECT_EQ(read.source.At("program"), path + ":14");  // missing: the end of the headers
  EXPECT_EQ(read, recorded_);                          // where it was read is not part of its value
}

TEST_F(RecordingTest, AReplayThatReachesTheThreadLimitIsAnErrorNamingScenarioAndParams) {
  const Scenario many = MakeScenario(
      [](Kernel& k) {
        for (int i = 0; i < 70; ++i) k.Spawn("t", testing::Body([]() -> Task<> { co_return; }));
      },
      {Verdict::kClean}, "test.many_threads");
  Schedule recorded;
  recorded.scenario = many.id;
  const absl::StatusOr<Replayed> replayed = ReplaySchedule(many, recorded, {.lenient = true});
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(replayed.status().message()),
              ::testing::StartsWith("test.many_threads with fault_budget=0: thread limit"));
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
