// The wvsim command line as users run it: exit codes, messages, files, and the round trip
// explore -> schedule file -> replay -> same verdict and trace hash.
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "sim/schedule_io.h"
#include "tests/cli_runner.h"

namespace wvsim::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> SchedulesIn(const std::string& directory) {
  std::vector<fs::path> found;
  if (!fs::exists(directory)) return found;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().extension() == ".schedule") found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

// Explores sim.abba into a fresh folder and returns the schedule it wrote.
std::string ExploreAbba(const std::string& name, const std::string& seed = "0") {
  const std::string dir = MakeTempDir(name);
  const CommandResult result =
      RunWvsim({"explore", "sim.abba", "--seed", seed, "--out", dir + "/schedules"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto schedules = SchedulesIn(dir + "/schedules");
  EXPECT_EQ(schedules.size(), 1u);
  return schedules.empty() ? "" : schedules.front().string();
}

TEST(Cli, HelpExitsZeroForEveryCommand) {
  for (const char* command : {"list", "explore", "replay", "shrink"}) {
    const CommandResult result = RunWvsim({command, "--help"});
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_TRUE(absl::StrContains(result.out, "Usage: wvsim")) << command;
  }
  EXPECT_EQ(RunWvsim({"--help"}).exit_code, 0);
}

TEST(Cli, BadUsageExitsTwoWithAMessage) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "Usage"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"list", "--bogus"}, "unknown flag --bogus"},
      {{"explore", "sim.abba", "--iterations"}, "--iterations needs a value"},
      {{"explore", "sim.abba", "--iterations", "many"}, "--iterations: 'many'"},
      {{"explore", "no.such_scenario"}, "unknown scenario 'no.such_scenario'"},
      {{"explore"}, "name a scenario"},
      {{"explore", "sim.abba", "--strategy", "magic"}, "unknown strategy 'magic'"},
      {{"explore", "sim.abba", "--shard", "2/2"}, "--shard: '2/2'"},
      {{"explore", "sim.abba", "--param", "nope=1"}, "has no parameter 'nope'"},
      {{"explore", "sim.abba", "--strategy", "dfs", "--shard", "0/2"}, "cannot be sharded"},
      {{"explore", "sim.abba", "--strategy", "ipb", "--shard", "1/2"},
       "ipb strategy walks one tree"},
      {{"explore", "sim.abba", "--strategy", "idb", "--shard", "0/3"},
       "idb strategy walks one tree"},
      {{"replay"}, "name one schedule file"},
      {{"replay", "/no/such/file.schedule"}, "/no/such/file.schedule"},
      {{"shrink", "/no/such/file.schedule"}, "/no/such/file.schedule"},
      {{"replay", "x.schedule", "--trace", "xml"}, "--trace: 'xml'"},
  };
  for (const auto& [args, message] : cases) {
    const CommandResult result = RunWvsim(args);
    EXPECT_EQ(result.exit_code, 2) << absl::StrJoin(args, " ");
    EXPECT_TRUE(absl::StrContains(result.err, message))
        << absl::StrJoin(args, " ") << " said: " << result.err;
  }
}

TEST(Cli, AnInvalidCampaignPrintsNoTableAndRunsNothing) {
  const std::string dir = MakeTempDir("invalid_campaign");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"explore", "sim.abba", "--strategy", "magic"},
        std::vector<std::string>{"explore", "sim.abba", "--strategy", "dfs", "--shard", "0/2"},
        std::vector<std::string>{"explore", "sim.abba", "--strategy", "pct", "--depth", "0"},
        std::vector<std::string>{"explore", "sim.abba", "--time-budget", "nan"}}) {
    std::vector<std::string> with_outputs = args;
    for (const char* extra : {"--junit", "report.xml", "--out", "schedules"}) {
      with_outputs.push_back(extra);
    }
    const CommandResult result = RunWvsim(with_outputs, dir);
    EXPECT_EQ(result.exit_code, 2) << absl::StrJoin(args, " ");
    EXPECT_EQ(result.out, "") << absl::StrJoin(args, " ");
    EXPECT_FALSE(fs::exists(dir + "/report.xml"));
    EXPECT_FALSE(fs::exists(dir + "/schedules"));
  }
}

TEST(Cli, LenientReplayGoesOnPastAShortenedFile) {
  const std::string path = ExploreAbba("lenient");
  auto schedule = sim::ReadScheduleFile(path);
  ASSERT_TRUE(schedule.ok());
  schedule->decisions.resize(1);
  const std::string cut = path + ".cut.schedule";
  ASSERT_TRUE(sim::WriteScheduleFile(cut, *schedule).ok());
  const CommandResult strict = RunWvsim({"replay", cut});
  EXPECT_EQ(strict.exit_code, 3) << strict.err;
  EXPECT_TRUE(absl::StrContains(strict.out, "diverged")) << strict.out;
  const CommandResult lenient = RunWvsim({"replay", cut, "--lenient"});
  EXPECT_NE(lenient.exit_code, 3) << lenient.err;
  EXPECT_NE(lenient.exit_code, 2) << lenient.err;
  EXPECT_TRUE(absl::StrContains(lenient.out, "verdict: ")) << lenient.out;
}

TEST(Cli, AScheduleOfAnotherModelVersionIsRefusedWithItsLine) {
  std::string text = ReadFile(ExploreAbba("model_version"));
  text = absl::StrReplaceAll(text, {{"model-version: 1", "model-version: 7"}});
  const std::string path = MakeTempDir("model_version_edit") + "/old.schedule";
  std::ofstream(path) << text;
  const CommandResult result = RunWvsim({"replay", path});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(result.err, "old.schedule:8: recorded with model version 7"))
      << result.err;
  EXPECT_EQ(RunWvsim({"replay", path, "--lenient"}).exit_code, 1);
}

TEST(Cli, ExploreShowsProgressOnATerminalOnly) {
  // On a pseudo-terminal: a progress line with executions, their rate and the violations.
  int terminal = -1;
  const pid_t child = forkpty(&terminal, nullptr, nullptr, nullptr);
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string binary = WvsimPath();
    const std::string out_dir = MakeTempDir("progress_tty");
    execl(binary.c_str(), binary.c_str(), "explore", "sim.ops", "--iterations", "300000", "--out",
          out_dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string screen;
  char buffer[4096];
  for (ssize_t got; (got = read(terminal, buffer, sizeof(buffer))) > 0;) screen.append(buffer, got);
  int status = 0;
  waitpid(child, &status, 0);
  close(terminal);
  EXPECT_TRUE(absl::StrContains(screen, "sim.ops: ")) << screen;
  EXPECT_TRUE(absl::StrContains(screen, " executions, ")) << screen;
  EXPECT_TRUE(absl::StrContains(screen, "/s, 0 violations")) << screen;
  // Into a file: none.
  const CommandResult piped = RunWvsim(
      {"explore", "sim.ops", "--iterations", "300000", "--out", MakeTempDir("progress_file")});
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_FALSE(absl::StrContains(piped.err, "executions,")) << piped.err;
  EXPECT_FALSE(absl::StrContains(piped.out, "\r")) << piped.out;
}

TEST(Cli, ListShowsEveryKernelScenario) {
  const CommandResult table = RunWvsim({"list"});
  const CommandResult json = RunWvsim({"list", "--json"});
  ASSERT_EQ(table.exit_code, 0);
  ASSERT_EQ(json.exit_code, 0);
  for (const char* id :
       {"sim.counter", "sim.ops", "sim.abba", "sim.blocking_wait_on_own_pump",
        "sim.awaiting_on_own_pump", "sim.nested_loop_dispatch", "sim.message_to_finished_thread"}) {
    EXPECT_TRUE(absl::StrContains(table.out, id)) << id;
    EXPECT_TRUE(absl::StrContains(json.out, absl::StrCat("\"id\": \"", id, "\""))) << id;
  }
  EXPECT_TRUE(absl::StrContains(json.out, "\"expected\": [\"deadlock\"]"));
}

TEST(Cli, ListShowsEveryParameterWithItsRange) {
  const CommandResult table = RunWvsim({"list"});
  const CommandResult json = RunWvsim({"list", "--json"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(table.out, "params: fault_budget=0 (0..16)")) << table.out;
  EXPECT_TRUE(absl::StrContains(table.out, "target_sdk=18 (1..36)")) << table.out;
  EXPECT_TRUE(absl::StrContains(json.out,
                                "{\"name\": \"fault_budget\", \"default\": 0, \"min\": 0, "
                                "\"max\": 16, \"description\": "))
      << json.out;
  EXPECT_TRUE(absl::StrContains(json.out, "\"min\": 1, \"max\": 36")) << json.out;
}

TEST(Cli, ALostScheduleIsReportedInsteadOfItsReplayCommandAndCounted) {
  // A folder under a regular file cannot be created, even by root.
  const std::string dir = MakeTempDir("lost");
  std::ofstream(dir + "/file") << "not a folder";
  const std::string out = dir + "/file/schedules";
  const CommandResult table = RunWvsim({"explore", "sim.abba", "--out", out});
  EXPECT_EQ(table.exit_code, 2) << table.err;
  EXPECT_TRUE(absl::StrContains(table.out, "schedule lost: " + out)) << table.out;
  EXPECT_FALSE(absl::StrContains(table.out, "reproduce:")) << table.out;
  EXPECT_TRUE(absl::StrContains(table.out, "1 schedules could not be written")) << table.out;
  EXPECT_FALSE(absl::StrContains(table.out, "ended as expected")) << table.out;
  const CommandResult json = RunWvsim({"explore", "sim.abba", "--json", "--out", out});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(json.out, "\"schedules_lost\": 1")) << json.out;
  EXPECT_TRUE(absl::StrContains(json.out, "\"schedule\": null")) << json.out;
  // Written, it is counted as nothing lost.
  const CommandResult fine = RunWvsim({"explore", "sim.abba", "--json", "--out", dir + "/ok"});
  EXPECT_EQ(fine.exit_code, 1) << fine.err;
  EXPECT_TRUE(absl::StrContains(fine.out, "\"schedules_lost\": 0")) << fine.out;
}

TEST(Cli, ExploreRemovesTheTemporaryFilesOfDeadWritersOnly) {
  const std::string dir = MakeTempDir("stale");
  // No process has a pid above the kernel's pid_max (at most 2^22); this test's own is alive.
  const std::string dead = dir + "/sim.abba.deadlock.0.schedule.tmp.999999999.0";
  const std::string alive =
      absl::StrFormat("%s/sim.abba.deadlock.0.schedule.tmp.%d.0", dir, ::getpid());
  const std::string other = dir + "/notes.txt.tmp.999999999.0";  // not a schedule's
  for (const std::string& path : {dead, alive, other}) std::ofstream(path) << "partial";
  const CommandResult result =
      RunWvsim({"explore", "sim.counter", "--iterations", "10", "--out", dir});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(absl::StrContains(result.err, "removed 1 stale temporary files")) << result.err;
}

TEST(Cli, AnEmptyOutFolderIsRefusedAndNothingIsWritten) {
  const std::string dir = MakeTempDir("out_empty");
  const CommandResult result = RunWvsim({"explore", "sim.abba", "--out", ""}, dir);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(result.err, "--out: names no folder")) << result.err;
  EXPECT_FALSE(fs::exists("/sim.abba.deadlock.0.schedule"));
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(Cli, AStrictReplayComparesStepsAndPreemptions) {
  const std::string path = ExploreAbba("strict_headers");
  absl::StatusOr<sim::Schedule> recorded = sim::ReadScheduleFile(path);
  ASSERT_TRUE(recorded.ok());
  const std::string text = ReadFile(path);
  const std::string edited = path + ".edited.schedule";
  std::ofstream(edited) << absl::StrReplaceAll(
      text, {{absl::StrCat("steps: ", recorded->steps, "\n"), "steps: 99\n"}});
  const CommandResult result = RunWvsim({"replay", edited});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_TRUE(absl::StrContains(
      result.err, absl::StrCat("steps differ: recorded 99, the replay took ", recorded->steps)))
      << result.err;
  EXPECT_EQ(RunWvsim({"replay", edited, "--lenient"}).exit_code, 1);
}

TEST(Cli, ExploreReplayRoundTripKeepsVerdictAndHash) {
  const std::string path = ExploreAbba("round_trip");
  absl::StatusOr<sim::Schedule> recorded = sim::ReadScheduleFile(path);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->verdict, sim::Verdict::kDeadlock);
  const CommandResult replay = RunWvsim({"replay", path, "--json"});
  EXPECT_EQ(replay.exit_code, 1) << replay.err;
  EXPECT_TRUE(absl::StrContains(replay.out, "\"verdict\": \"deadlock\""));
  EXPECT_TRUE(absl::StrContains(replay.out,
                                absl::StrFormat("\"trace_hash\": \"%016x\"", recorded->trace_hash)))
      << replay.out;
  const CommandResult text = RunWvsim({"replay", path});
  EXPECT_TRUE(absl::StrContains(text.out, "wait-for cycle")) << text.out;
}

TEST(Cli, SameSeedWritesTheSameScheduleTwice) {
  const std::string first = ReadFile(ExploreAbba("seed_a", "7"));
  const std::string second = ReadFile(ExploreAbba("seed_b", "7"));
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

TEST(Cli, ReplayAgainstAnotherProgramDivergesNamingTheDecision) {
  const std::string path = ExploreAbba("diverge");
  std::string text = ReadFile(path);
  text = absl::StrReplaceAll(text, {{"scenario: sim.abba", "scenario: sim.counter"}});
  const std::string edited = path + ".edited.schedule";
  std::ofstream(edited) << text;
  const CommandResult result = RunWvsim({"replay", edited});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "diverged")) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "decision ")) << result.err;
}

TEST(Cli, MalformedScheduleIsExitTwoWithFileAndLine) {
  const std::string dir = MakeTempDir("malformed");
  const std::vector<std::pair<std::string, std::string>> files = {
      {"garbage.schedule", std::string("\x7f"
                                       "ELF\0\0\x01binary",
                                       12)},
      {"truncated.schedule", "wvsim-schedule 1\nscenario: sim.abba\n"},
      {"version.schedule", "wvsim-schedule 9\n"},
      {"unknown.schedule", ReadFile(ExploreAbba("malformed_src"))},
  };
  for (const auto& [name, content] : files) {
    std::string body = content;
    if (name == "unknown.schedule") {
      body = absl::StrReplaceAll(body, {{"scenario: sim.abba", "scenario: sim.nonexistent"}});
    }
    std::ofstream(dir + "/" + name, std::ios::binary) << body;
    const CommandResult result = RunWvsim({"replay", dir + "/" + name});
    EXPECT_EQ(result.exit_code, 2) << name << ": " << result.err;
    EXPECT_TRUE(absl::StrContains(result.err, name + ":")) << name << ": " << result.err;
  }
  EXPECT_TRUE(absl::StrContains(RunWvsim({"replay", dir + "/unknown.schedule"}).err,
                                "unknown.schedule:2: unknown scenario 'sim.nonexistent'"));
}

TEST(Cli, ShrinkNeverGrowsAndKeepsTheKind) {
  const std::string input = ExploreAbba("shrink");
  const std::string output = input + ".small.schedule";
  const CommandResult result = RunWvsim({"shrink", input, "-o", output});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  auto before = sim::ReadScheduleFile(input);
  auto after = sim::ReadScheduleFile(output);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(after->verdict, before->verdict);
  EXPECT_LE(after->steps, before->steps);
  EXPECT_LE(after->preemptions, before->preemptions);
  EXPECT_EQ(RunWvsim({"replay", output}).exit_code, 1);
}

TEST(Cli, ReplayWritesPerfettoAndDotViews) {
  const std::string path = ExploreAbba("views");
  const CommandResult result =
      RunWvsim({"replay", path, "--perfetto", path + ".json", "--dot", path + ".dot"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::string perfetto = ReadFile(path + ".json");
  EXPECT_TRUE(absl::StartsWith(perfetto, "{\"displayTimeUnit\""));
  EXPECT_TRUE(absl::StrContains(perfetto, "\"thread_name\""));
  EXPECT_TRUE(absl::StrContains(perfetto, "blocking: lock(b)"));
  const std::string dot = ReadFile(path + ".dot");
  EXPECT_TRUE(absl::StrContains(dot, "digraph wait_for"));
  EXPECT_TRUE(absl::StrContains(dot, "\"t1\" -> \"t2\""));
}

TEST(Cli, ExploreWritesJsonAndJunit) {
  const std::string dir = MakeTempDir("reports");
  const CommandResult result =
      RunWvsim({"explore", "sim.abba", "sim.counter", "--iterations", "500", "--json", "--junit",
                dir + "/report.xml", "--out", dir + "/schedules", "--check-expected"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(absl::StrContains(result.out,
                                "\"id\": \"sim.counter\", \"expected\": [\"clean\"], "
                                "\"verdict\": \"clean\", \"executions\": 500"))
      << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "\"verdict\": \"deadlock\""));
  const std::string junit = ReadFile(dir + "/report.xml");
  EXPECT_TRUE(absl::StrContains(junit, "tests=\"2\" failures=\"0\"")) << junit;
}

TEST(Cli, ExploreJsonSaysWhetherASystematicStrategyRanOutOfSchedules) {
  const std::string dir = MakeTempDir("exhausted");
  const CommandResult walked = RunWvsim(
      {"explore", "sim.abba", "--strategy", "ipb", "--depth", "0", "--json", "--out", dir});
  EXPECT_EQ(walked.exit_code, 0) << walked.err;  // no deadlock without a preemption
  EXPECT_TRUE(absl::StrContains(walked.out, "\"exhausted\": true, \"schedules\": 2,"))
      << walked.out;
  const CommandResult cut = RunWvsim(
      {"explore", "sim.counter", "--strategy", "dfs", "--iterations", "3", "--json", "--out", dir});
  EXPECT_TRUE(absl::StrContains(cut.out, "\"exhausted\": false, \"schedules\": 3,")) << cut.out;
  const CommandResult random =
      RunWvsim({"explore", "sim.counter", "--iterations", "3", "--json", "--out", dir});
  EXPECT_TRUE(absl::StrContains(random.out, "\"exhausted\": false, \"schedules\": null,"))
      << random.out;
}

TEST(Cli, CheckExpectedFailsAnUnexpectedVerdict) {
  // A clean scenario given too few steps stalls: not what it expects.
  const CommandResult result =
      RunWvsim({"explore", "sim.ops", "--max-steps", "10", "--iterations", "5", "--check-expected",
                "--out", MakeTempDir("unexpected")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result.out, "did not end as expected")) << result.out;
}

TEST(Cli, SigintLeavesEveryScheduleWholeOnDisk) {
  const std::string dir = MakeTempDir("sigint");
  const std::string out_path = dir + "/stdout";
  const pid_t child = fork();
  if (child == 0) {
    FILE* out = std::fopen(out_path.c_str(), "w");
    dup2(fileno(out), STDOUT_FILENO);
    const std::string binary = WvsimPath();
    const std::string out_dir = dir + "/schedules";
    execl(binary.c_str(), binary.c_str(), "explore", "sim.abba", "--keep-going", "--iterations",
          "4000000000", "--out", out_dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the campaign has written its schedules, then interrupt it mid-run.
  for (int i = 0; i < 200 && SchedulesIn(dir + "/schedules").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);  // interrupted
  EXPECT_TRUE(absl::StrContains(ReadFile(out_path), "sim.abba")) << ReadFile(out_path);
  const auto schedules = SchedulesIn(dir + "/schedules");
  ASSERT_EQ(schedules.size(), 1u);
  for (const fs::path& path : schedules) {
    EXPECT_TRUE(sim::ReadScheduleFile(path.string()).ok()) << path;
  }
  for (const auto& entry : fs::directory_iterator(dir + "/schedules")) {
    EXPECT_FALSE(absl::StrContains(entry.path().string(), ".tmp.")) << entry.path();
  }
}

}  // namespace
}  // namespace wvsim::testing
