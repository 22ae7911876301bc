// `wvsim merge`: the JSON reader, the campaign record explore writes, the merge rules, and the
// command end to end on real shards: merging `explore --shard 0/2` and `--shard 1/2` must report
// what the unsharded run of the same seed reports.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/cli_runner.h"
#include "tools/campaign_record.h"
#include "tools/merge_json.h"
#include "tools/merge_shards.h"

namespace wvsim::testing {
namespace {

namespace fs = std::filesystem;
using tools::Campaign;
using tools::CampaignFinding;
using tools::JsonValue;
using tools::ParseJson;
using tools::ShardInput;

// ---- The JSON reader ----

TEST(MergeJson, ReadsEveryKindOfValue) {
  const auto value = ParseJson(
      R"( {"s": "a\"b\\c\n\u00e9\ud83d\ude00/", "n": -1.5e3, "big": 18446744073709551615,
           "t": true, "f": false, "z": null, "a": [1, [], {}], "o": {"k": "v"}} )");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(value->Find("s")->text, "a\"b\\c\n\xc3\xa9\xf0\x9f\x98\x80/");
  EXPECT_EQ(value->Find("n")->AsDouble(), -1500.0);
  EXPECT_EQ(value->Find("n")->AsUint(), std::nullopt);
  EXPECT_EQ(value->Find("big")->AsUint(), UINT64_MAX);  // a double would have rounded it
  EXPECT_TRUE(value->Find("t")->boolean);
  EXPECT_EQ(value->Find("f")->type, JsonValue::Type::kBool);
  EXPECT_FALSE(value->Find("f")->boolean);
  EXPECT_EQ(value->Find("z")->type, JsonValue::Type::kNull);
  ASSERT_EQ(value->Find("a")->items.size(), 3u);
  EXPECT_EQ(value->Find("a")->items[1].type, JsonValue::Type::kArray);
  EXPECT_EQ(value->Find("o")->Find("k")->text, "v");
  EXPECT_EQ(value->Find("missing"), nullptr);
}

TEST(MergeJson, RejectsMalformedTextNamingWhere) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"a\": 1", "line 1, column 8: unexpected end of file"},
      {"{\"a\": 1,}", "expected a member name"},
      {"[1, 2,]", "expected a value"},
      {"{\"a\": 1, \"a\": 2}", "member 'a' appears twice"},
      {"{\"a\": 01}", "line 1, column 8: expected ',' or '}'"},  // no leading zeros in JSON
      {"-", "expected a digit"},
      {"{\"a\": 1.}", "expected a digit after '.'"},
      {"\"a\tb\"", "control character"},
      {"\"\\x\"", "unknown escape"},
      {"\"\\ud800\"", "high surrogate without a low one"},
      {"\"\\udc00\"", "low surrogate"},
      {"{}\n{}", "line 2, column 1: unexpected text after the value"},
      {"", "expected a value"},
      {"tru", "expected a value"},
      {"{\"a\": \"unterminated", "not closed"},
  };
  for (const auto& [text, message] : cases) {
    const auto value = ParseJson(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_TRUE(absl::StrContains(value.status().message(), message))
        << text << " -> " << value.status();
  }
}

TEST(MergeJson, DeepNestingIsAnErrorNotACrash) {
  EXPECT_TRUE(ParseJson(std::string(64, '[') + std::string(64, ']')).ok());
  const auto deep = ParseJson(std::string(100000, '['));
  ASSERT_FALSE(deep.ok());
  EXPECT_TRUE(absl::StrContains(deep.status().message(), "nested more than 64 deep"));
}

// ---- The campaign record ----

Campaign SampleCampaign() {
  Campaign campaign;
  campaign.scenarios = {"sim.abba", "sim.counter"};
  campaign.config.strategy = "pct";
  campaign.config.seed = UINT64_MAX;
  campaign.config.depth = 2;
  campaign.config.iterations = 500;
  campaign.config.max_steps = 1234;
  campaign.config.keep_going = true;
  campaign.config.params = {{"fault_budget", "1"}};
  campaign.config.shard_index = 1;
  campaign.config.shard_count = 3;
  campaign.interrupted = true;
  campaign.results = {{"sim.abba", sim::Verdict::kDeadlock, 250, 0.125},
                      {"sim.counter", sim::Verdict::kClean, 500, 2}};
  campaign.found = {{"sim.abba", sim::Verdict::kDeadlock, "mutex \"b\"\n\xc3\xa9", 4,
                     "sim.abba.deadlock.4.schedule", "t1 waits for b\nt2 waits for a"}};
  return campaign;
}

TEST(CampaignRecord, RoundTripsThroughItsText) {
  const Campaign campaign = SampleCampaign();
  const auto parsed = tools::ParseCampaign(tools::FormatCampaign(campaign));
  ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << tools::FormatCampaign(campaign);
  EXPECT_EQ(parsed->scenarios, campaign.scenarios);
  EXPECT_EQ(parsed->config.strategy, "pct");
  EXPECT_EQ(parsed->config.seed, UINT64_MAX);
  EXPECT_EQ(parsed->config.depth, std::optional<uint32_t>(2));
  EXPECT_EQ(parsed->config.iterations, 500u);
  EXPECT_EQ(parsed->config.max_steps, 1234u);
  EXPECT_TRUE(parsed->config.keep_going);
  EXPECT_EQ(parsed->config.params, campaign.config.params);
  EXPECT_EQ(parsed->config.shard_index, 1u);
  EXPECT_EQ(parsed->config.shard_count, 3u);
  EXPECT_TRUE(parsed->interrupted);
  ASSERT_EQ(parsed->results.size(), 2u);
  EXPECT_EQ(parsed->results[0].verdict, sim::Verdict::kDeadlock);
  EXPECT_EQ(parsed->results[0].executions, 250u);
  EXPECT_DOUBLE_EQ(parsed->results[0].seconds, 0.125);
  ASSERT_EQ(parsed->found.size(), 1u);
  EXPECT_EQ(parsed->found[0].place, campaign.found[0].place);
  EXPECT_EQ(parsed->found[0].report, campaign.found[0].report);
  EXPECT_EQ(parsed->found[0].execution, 4u);
  EXPECT_EQ(parsed->found[0].schedule, "sim.abba.deadlock.4.schedule");

  Campaign default_depth = campaign;
  default_depth.config.depth.reset();
  const auto reparsed = tools::ParseCampaign(tools::FormatCampaign(default_depth));
  ASSERT_TRUE(reparsed.ok()) << reparsed.status();
  EXPECT_EQ(reparsed->config.depth, std::nullopt);
}

TEST(CampaignRecord, NamesTheMemberAtFault) {
  const std::string good = tools::FormatCampaign(SampleCampaign());
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {replaced("wvsim-campaign 1", "wvsim-campaign 9"), "not a wvsim campaign record"},
      {"[]", "not a wvsim campaign record"},
      {replaced("\"seed\": 18446744073709551615", "\"seed\": -1"), "seed must be a whole number"},
      {replaced("\"seed\": 18446744073709551615", "\"seed\": \"7\""), "seed must be a number"},
      {replaced("\"strategy\": \"pct\", ", ""), "strategy is missing"},
      {replaced("\"verdict\": \"deadlock\", \"executions\"",
                "\"verdict\": \"oops\", \"executions\""),
       "results[0].verdict 'oops' is not a verdict"},
      {replaced("\"execution\": 4", "\"execution\": 4.5"), "found[0].execution must be a whole"},
      {replaced("\"sim.abba.deadlock.4.schedule\"", "\"../x.schedule\""),
       "found[0].schedule must be a file name"},
      {replaced("\"count\": 3", "\"count\": 1"), "shard must have 0 <= index < count"},
      {good.substr(0, good.size() / 2), "unexpected end of file"},
  };
  for (const auto& [text, message] : cases) {
    const auto parsed = tools::ParseCampaign(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_TRUE(absl::StrContains(parsed.status().message(), message)) << parsed.status();
  }
}

// ---- The merge rules, on records built by hand ----

ShardInput Shard(uint32_t index, bool keep_going, std::vector<CampaignFinding> found,
                 std::vector<tools::CampaignScenarioResult> results) {
  ShardInput shard;
  shard.dir = "shard" + std::to_string(index);
  shard.campaign.scenarios = {"sim.abba", "sim.counter"};
  shard.campaign.config.seed = 7;
  shard.campaign.config.iterations = 100;
  shard.campaign.config.keep_going = keep_going;
  shard.campaign.config.shard_index = index;
  shard.campaign.config.shard_count = 2;
  shard.campaign.found = std::move(found);
  shard.campaign.results = std::move(results);
  return shard;
}

CampaignFinding Abba(sim::Verdict verdict, const std::string& place, uint64_t execution) {
  return {"sim.abba", verdict, place, execution, "f" + std::to_string(execution), ""};
}

TEST(MergeShards, KeepsTheEarliestOfEachDistinctViolationAndSumsExecutions) {
  using sim::Verdict;
  const std::vector<ShardInput> shards = {
      Shard(0, true, {Abba(Verdict::kDeadlock, "mutex b", 8), Abba(Verdict::kStall, "x", 10)},
            {{"sim.abba", Verdict::kDeadlock, 100, 1}, {"sim.counter", Verdict::kClean, 100, 1}}),
      Shard(1, true,
            {Abba(Verdict::kDeadlock, "mutex b", 3), Abba(Verdict::kDeadlock, "mutex a", 11)},
            {{"sim.abba", Verdict::kDeadlock, 100, 2}, {"sim.counter", Verdict::kClean, 100, 1}}),
  };
  ASSERT_TRUE(tools::CheckShards(shards).ok());
  const tools::MergedCampaign merged = tools::MergeShards(shards);
  ASSERT_EQ(merged.scenarios.size(), 2u);
  EXPECT_EQ(merged.scenarios[0].verdict, Verdict::kDeadlock);
  EXPECT_EQ(merged.scenarios[0].executions, 200u);
  EXPECT_DOUBLE_EQ(merged.scenarios[0].seconds, 3);
  EXPECT_EQ(merged.scenarios[1].verdict, Verdict::kClean);
  EXPECT_EQ(merged.scenarios[1].first, std::nullopt);
  EXPECT_EQ(merged.executions_run, 400u);
  // "mutex b" twice (executions 8 and 3): once, the earlier; in execution order.
  std::vector<uint64_t> kept;
  for (const tools::MergedFinding& finding : merged.kept) kept.push_back(finding.finding.execution);
  EXPECT_EQ(kept, (std::vector<uint64_t>{3, 10, 11}));
  EXPECT_EQ(merged.kept[*merged.scenarios[0].first].shard->dir, "shard1");
}

TEST(MergeShards, WithoutKeepGoingCountsWhatAnUnshardedRunWouldHaveRun) {
  using sim::Verdict;
  // Shard 1 stopped at execution 5 (its 3rd run: 1, 3, 5); shard 0 at 12 (its 7th). An unsharded
  // run stops at 5, after executions 0..5.
  const std::vector<ShardInput> shards = {
      Shard(0, false, {Abba(Verdict::kStall, "x", 12)},
            {{"sim.abba", Verdict::kStall, 7, 1}, {"sim.counter", Verdict::kClean, 100, 1}}),
      Shard(1, false, {Abba(Verdict::kDeadlock, "mutex b", 5)},
            {{"sim.abba", Verdict::kDeadlock, 3, 1}, {"sim.counter", Verdict::kClean, 100, 1}}),
  };
  const tools::MergedCampaign merged = tools::MergeShards(shards);
  EXPECT_EQ(merged.scenarios[0].verdict, Verdict::kDeadlock);
  EXPECT_EQ(merged.scenarios[0].executions, 6u);
  EXPECT_EQ(merged.scenarios[1].executions, 200u);
  EXPECT_EQ(merged.kept.size(), 2u);  // both are real; the stall is kept too
  EXPECT_EQ(merged.executions_run, 210u);
}

TEST(MergeShards, RefusesRecordsThatAreNotOneCampaign) {
  std::vector<ShardInput> shards = {Shard(0, true, {}, {}), Shard(1, true, {}, {})};
  shards[1].campaign.config.seed = 8;
  auto status = tools::CheckShards(shards);
  EXPECT_TRUE(absl::StrContains(status.message(), "differ in seed ('7' in shard0, '8' in shard1)"))
      << status;

  shards = {Shard(0, true, {}, {}), Shard(1, true, {}, {})};
  shards[1].campaign.config.strategy = "pct";
  status = tools::CheckShards(shards);
  EXPECT_TRUE(absl::StrContains(status.message(), "differ in strategy")) << status;

  shards = {Shard(0, true, {}, {}), Shard(1, false, {}, {})};
  EXPECT_TRUE(absl::StrContains(tools::CheckShards(shards).message(), "differ in --keep-going"));

  shards = {Shard(0, true, {}, {}), Shard(1, true, {}, {})};
  shards[1].campaign.scenarios = {"sim.abba"};
  EXPECT_TRUE(absl::StrContains(tools::CheckShards(shards).message(), "differ in scenarios"));

  shards = {Shard(0, true, {}, {}), Shard(0, true, {}, {})};
  shards[1].dir = "again";
  EXPECT_TRUE(absl::StrContains(tools::CheckShards(shards).message(),
                                "shard 0/2 is given twice: in shard0 and again"));

  shards = {Shard(1, true, {}, {})};
  EXPECT_TRUE(absl::StrContains(tools::CheckShards(shards).message(), "shard 0/2 is missing"));
}

// ---- The command, on real shards ----

struct Summary {
  std::vector<std::string> ids;
  std::vector<std::string> verdicts;
  std::vector<uint64_t> executions;
  uint64_t total = 0;
};

// explore --json's summary (also merge's explore.json), read with the reader under test above.
Summary ReadSummary(const std::string& text) {
  Summary summary;
  const auto json = ParseJson(text);
  EXPECT_TRUE(json.ok()) << json.status() << "\n" << text;
  if (!json.ok()) return summary;
  for (const JsonValue& scenario : json->Find("scenarios")->items) {
    summary.ids.push_back(scenario.Find("id")->text);
    summary.verdicts.push_back(scenario.Find("verdict")->text);
    summary.executions.push_back(scenario.Find("executions")->AsUint().value_or(0));
  }
  summary.total = json->Find("executions")->AsUint().value_or(0);
  return summary;
}

std::set<std::string> SchedulesIn(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".schedule") names.insert(entry.path().filename().string());
  }
  return names;
}

// Scenarios: one clean, one buggy found at once, one buggy found after some runs, and one that
// fails in more than one place, so that the shards find some violations twice.
const std::vector<std::string> kScenarios = {"sim.counter", "sim.abba", "sim.ordering_depth_2",
                                             "sim.blocking_wait_on_own_pump"};

std::vector<std::string> ExploreArgs(const std::string& out, const std::string& iterations,
                                     const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"explore"};
  args.insert(args.end(), kScenarios.begin(), kScenarios.end());
  args.insert(args.end(), {"--strategy", "random", "--seed", "11", "--iterations", iterations,
                           "--json", "--out", out});
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Runs the campaign unsharded (2N iterations) and as shards 0/2 and 1/2 (N each), merges the
// shards, and checks the merge reports what the unsharded run did.
void CheckMergeMatchesUnsharded(const std::string& name, const std::vector<std::string>& extra,
                                bool same_schedules) {
  const std::string dir = MakeTempDir(name);
  const CommandResult whole = RunWvsim(ExploreArgs(dir + "/whole", "600", extra));
  ASSERT_EQ(whole.exit_code, 1) << whole.err;
  for (const char* shard : {"0", "1"}) {
    std::vector<std::string> args = ExploreArgs(dir + "/shard" + shard, "300", extra);
    args.insert(args.end(), {"--shard", std::string(shard) + "/2"});
    const CommandResult result = RunWvsim(args);
    ASSERT_EQ(result.exit_code, 1) << result.err;
    ASSERT_TRUE(fs::exists(dir + "/shard" + shard + "/campaign.json"));
  }
  const CommandResult merged =
      RunWvsim({"merge", dir + "/merged", dir + "/shard0", dir + "/shard1", "--json"});
  ASSERT_EQ(merged.exit_code, 1) << merged.err;  // as explore: 1 when a violation was found

  const Summary expected = ReadSummary(whole.out);
  const Summary actual = ReadSummary(ReadFile(dir + "/merged/explore.json"));
  EXPECT_EQ(actual.ids, kScenarios);
  EXPECT_EQ(actual.ids, expected.ids);
  EXPECT_EQ(actual.verdicts, expected.verdicts);
  EXPECT_EQ(actual.executions, expected.executions);
  EXPECT_EQ(actual.total, expected.total);
  EXPECT_EQ(merged.out, ReadFile(dir + "/merged/explore.json"));  // --json prints the same

  // Every schedule the unsharded run kept is in the merge, byte for byte.
  const std::set<std::string> whole_schedules = SchedulesIn(dir + "/whole");
  const std::set<std::string> merged_schedules = SchedulesIn(dir + "/merged");
  for (const std::string& schedule : whole_schedules) {
    ASSERT_TRUE(merged_schedules.count(schedule)) << schedule;
    EXPECT_EQ(ReadFile(dir + "/merged/" + schedule), ReadFile(dir + "/whole/" + schedule));
  }
  if (same_schedules) {
    EXPECT_EQ(merged_schedules, whole_schedules);
  }
  // Some violation was found by both shards and kept once.
  EXPECT_LT(merged_schedules.size(),
            SchedulesIn(dir + "/shard0").size() + SchedulesIn(dir + "/shard1").size());

  const std::string junit = ReadFile(dir + "/merged/junit.xml");
  EXPECT_TRUE(absl::StrContains(junit, "tests=\"4\" failures=\"0\"")) << junit;
}

TEST(MergeCommand, KeepGoingShardsMergeToTheUnshardedRun) {
  CheckMergeMatchesUnsharded("merge_keep_going", {"--keep-going"}, /*same_schedules=*/true);
}

TEST(MergeCommand, StopAtFirstShardsMergeToTheUnshardedRun) {
  CheckMergeMatchesUnsharded("merge_first", {}, /*same_schedules=*/false);
}

// Two shards of sim.abba into dir/a and dir/b, with `b_extra` added to the second's flags.
void ExploreTwoShards(const std::string& dir, const std::vector<std::string>& b_extra = {}) {
  for (const char* shard : {"0", "1"}) {
    std::vector<std::string> args = {"explore",
                                     "sim.abba",
                                     "--keep-going",
                                     "--iterations",
                                     "50",
                                     "--shard",
                                     std::string(shard) + "/2",
                                     "--out",
                                     dir + (shard[0] == '0' ? "/a" : "/b")};
    if (shard[0] == '1') args.insert(args.end(), b_extra.begin(), b_extra.end());
    ASSERT_EQ(RunWvsim(args).exit_code, 1);
  }
}

void ExpectMergeRefused(const std::string& dir, const std::string& message) {
  const CommandResult result = RunWvsim({"merge", dir + "/out", dir + "/a", dir + "/b"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, message)) << result.err;
  EXPECT_FALSE(fs::exists(dir + "/out/explore.json"));
}

TEST(MergeCommand, RefusesShardsOfDifferentSeedsOrStrategies) {
  std::string dir = MakeTempDir("merge_seeds");
  ExploreTwoShards(dir, {"--seed", "5"});
  ExpectMergeRefused(dir, "differ in seed ('0' in " + dir + "/a, '5' in " + dir + "/b)");

  dir = MakeTempDir("merge_strategies");
  ExploreTwoShards(dir, {"--strategy", "pct"});
  ExpectMergeRefused(dir, "differ in strategy ('random' in " + dir + "/a, 'pct' in " + dir + "/b)");
}

TEST(MergeCommand, RefusesMissingOrMalformedInputNamingIt) {
  const std::string dir = MakeTempDir("merge_malformed");
  ExploreTwoShards(dir);
  ASSERT_EQ(RunWvsim({"merge", dir + "/out", dir + "/a", dir + "/b"}).exit_code, 1);

  // A record cut short, as by a full disk.
  const std::string record = dir + "/b/campaign.json";
  const std::string text = ReadFile(record);
  std::ofstream(record, std::ios::trunc) << text.substr(0, text.size() / 2);
  fs::remove_all(dir + "/out");
  ExpectMergeRefused(dir, dir + "/b/campaign.json: line ");
  std::ofstream(record, std::ios::trunc) << text;

  // A schedule the record lists is damaged, then gone.
  const std::string schedule = dir + "/a/" + *SchedulesIn(dir + "/a").begin();
  const std::string schedule_text = ReadFile(schedule);
  std::ofstream(schedule, std::ios::trunc) << "wvsim-schedule 1\nscenario: sim.abba\n";
  ExpectMergeRefused(dir, schedule);
  fs::remove(schedule);
  ExpectMergeRefused(dir, schedule);
  std::ofstream(schedule, std::ios::trunc) << schedule_text;

  // Not a shard folder; the same shard twice; one shard missing; OUT among the inputs.
  const CommandResult missing = RunWvsim({"merge", dir + "/out", dir + "/a", dir + "/nowhere"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(missing.err, dir + "/nowhere: not a folder")) << missing.err;
  const CommandResult twice = RunWvsim({"merge", dir + "/out", dir + "/a", dir + "/a"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(twice.err, "shard 0/2 is given twice")) << twice.err;
  const CommandResult alone = RunWvsim({"merge", dir + "/out", dir + "/a"});
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(alone.err, "shard 1/2 is missing")) << alone.err;
  const CommandResult into = RunWvsim({"merge", dir + "/a", dir + "/a", dir + "/b"});
  EXPECT_EQ(into.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(into.err, "is also a shard folder")) << into.err;
  EXPECT_EQ(RunWvsim({"merge", dir + "/out"}).exit_code, 2);
  EXPECT_EQ(RunWvsim({"merge", "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace wvsim::testing
