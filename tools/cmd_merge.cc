#include "tools/cmd_merge.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "sim/atomic_file.h"
#include "sim/schedule_io.h"
#include "tools/args.h"
#include "tools/campaign_record.h"
#include "tools/commands.h"
#include "tools/explore_report.h"
#include "tools/merge_shards.h"

namespace wvsim::tools {

namespace {

namespace fs = std::filesystem;

constexpr FlagSpec kFlags[] = {
    {"check-expected", "", "exit 0 exactly when every scenario ends with an expected verdict"},
    {"json", "", "print the merged JSON summary instead of the table"},
    {"help", "", "show this help"},
};

constexpr const char* kUsage = "wvsim merge OUT DIR... [options]";
constexpr const char* kDescription =
    "Combines the --out folders of the shards of one campaign ('wvsim explore --shard I/N', each\n"
    "folder holding the campaign.json explore writes there and its schedules) into OUT:\n"
    "explore.json and junit.xml as one unsharded run would write them, and one schedule per\n"
    "distinct violation (scenario, kind, place), the earliest execution's. Verdicts are each\n"
    "scenario's earliest violation across the shards; executions are the campaign's total.\n"
    "Every shard 0..N-1 must be given once, all with the same scenarios, strategy, seed, depth,\n"
    "max steps, iterations, --keep-going and parameters.\n"
    "Exit: 0 no violation (or, with --check-expected, every scenario as expected), 1 otherwise,\n"
    "2 bad usage, a missing or malformed folder, or folders of different campaigns.";

// A campaign.json file is small: a few lines per scenario and per distinct violation.
constexpr size_t kMaxCampaignFileBytes = size_t{64} << 20;

absl::StatusOr<ShardInput> ReadShard(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, ": not a folder (give the --out folders of 'wvsim explore')"));
  }
  const std::string path = (fs::path(dir) / kCampaignFileName).string();
  if (!fs::exists(path, error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        dir, ": no ", kCampaignFileName, " (is it the --out folder of a 'wvsim explore' run?)"));
  }
  absl::StatusOr<std::string> text = sim::ReadFileAtMost(path, kMaxCampaignFileBytes + 1);
  if (!text.ok()) return text.status();
  if (text->size() > kMaxCampaignFileBytes) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": larger than 64 MiB"));
  }
  absl::StatusOr<Campaign> campaign = ParseCampaign(*text);
  if (!campaign.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", campaign.status().message()));
  }
  return ShardInput{dir, *std::move(campaign)};
}

// Every schedule a record lists, read and checked against the record: path -> its text.
absl::StatusOr<std::map<std::string, std::string>> ReadSchedules(
    const std::vector<ShardInput>& shards) {
  std::map<std::string, std::string> texts;
  const sim::ScenarioRegistry& registry = sim::ScenarioRegistry::Global();
  for (const ShardInput& shard : shards) {
    const std::string record = (fs::path(shard.dir) / kCampaignFileName).string();
    for (const std::string& id : shard.campaign.scenarios) {
      if (registry.Find(id) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(record, ": unknown scenario '", id,
                                                       "' (not in this wvsim; see 'wvsim list')"));
      }
    }
    for (const CampaignFinding& finding : shard.campaign.found) {
      const auto& ids = shard.campaign.scenarios;
      if (std::find(ids.begin(), ids.end(), finding.scenario) == ids.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            record, ": a violation of '", finding.scenario, "', which the campaign did not run"));
      }
      const std::string path = (fs::path(shard.dir) / finding.schedule).string();
      absl::StatusOr<std::string> text = sim::ReadFileAtMost(path, sim::kMaxScheduleFileBytes + 1);
      if (!text.ok()) return text.status();
      absl::StatusOr<sim::Schedule> schedule = sim::ParseSchedule(*text, path);
      if (!schedule.ok()) return schedule.status();
      if (schedule->scenario != finding.scenario || schedule->verdict != finding.verdict) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": holds a ", sim::VerdictName(schedule->verdict), " of ",
                         schedule->scenario, " but ", record, " says a ",
                         sim::VerdictName(finding.verdict), " of ", finding.scenario));
      }
      texts[path] = *std::move(text);
    }
  }
  return texts;
}

// The merged campaign as explore's report rows; writes the kept schedules into `out`.
absl::StatusOr<std::vector<ScenarioResult>> WriteSchedules(
    const MergedCampaign& merged, const std::map<std::string, std::string>& texts,
    const std::string& out) {
  for (const MergedFinding& kept : merged.kept) {
    const std::string from = (fs::path(kept.shard->dir) / kept.finding.schedule).string();
    const std::string to = (fs::path(out) / kept.finding.schedule).string();
    if (absl::Status written = sim::WriteFileAtomically(to, texts.at(from)); !written.ok()) {
      return written;
    }
  }
  std::vector<ScenarioResult> results;
  for (const MergedScenario& scenario : merged.scenarios) {
    ScenarioResult& result = results.emplace_back();
    result.scenario = sim::ScenarioRegistry::Global().Find(scenario.id);
    result.verdict = scenario.verdict;
    result.executions = scenario.executions;
    result.seconds = scenario.seconds;
    if (scenario.first) {
      const CampaignFinding& first = merged.kept[*scenario.first].finding;
      result.report = first.report;
      result.schedule = (fs::path(out) / first.schedule).string();
    }
  }
  return results;
}

bool SameFolder(const std::string& a, const std::string& b) {
  std::error_code error;
  return fs::weakly_canonical(a, error) == fs::weakly_canonical(b, error) && !error;
}

// Bad input rather than bad usage: the message alone, without the pointer to --help.
int InputError(const absl::Status& status) {
  std::fprintf(stderr, "wvsim merge: %s\n", std::string(status.message()).c_str());
  return kExitUsage;
}

absl::StatusOr<std::vector<ShardInput>> ReadShards(const std::string& out,
                                                   const std::vector<std::string>& dirs) {
  std::vector<ShardInput> shards;
  for (const std::string& dir : dirs) {
    // Writing into a shard would mix the merge with the input it is read from.
    if (SameFolder(out, dir)) {
      return absl::InvalidArgumentError(absl::StrCat("OUT (", out, ") is also a shard folder"));
    }
    absl::StatusOr<ShardInput> shard = ReadShard(dir);
    if (!shard.ok()) return shard.status();
    shards.push_back(*std::move(shard));
  }
  if (absl::Status same = CheckShards(shards); !same.ok()) return same;
  return shards;
}

// OUT/explore.json and OUT/junit.xml, as explore writes them; returns the JSON.
absl::StatusOr<std::string> WriteReports(const std::string& out,
                                         const std::vector<ScenarioResult>& results) {
  double seconds = 0;
  for (const ScenarioResult& r : results) seconds += r.seconds;
  const std::string json = FormatJson(results, seconds);
  for (const auto& [name, text] : {std::pair<const char*, std::string>{"explore.json", json},
                                   {"junit.xml", FormatJunit(results, seconds)}}) {
    const std::string path = (fs::path(out) / name).string();
    if (absl::Status written = sim::WriteFileAtomically(path, text); !written.ok()) return written;
  }
  return json;
}

}  // namespace

int RunMerge(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError("merge", parsed.status());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp(kUsage, kDescription, kFlags).c_str(), stdout);
    return kExitClean;
  }
  const std::vector<std::string>& positional = parsed->positional;
  if (positional.size() < 2) return UsageError("merge", "name OUT and at least one shard folder");
  const std::string& out = positional.front();
  absl::StatusOr<std::vector<ShardInput>> shards =
      ReadShards(out, std::vector<std::string>(positional.begin() + 1, positional.end()));
  if (!shards.ok()) return InputError(shards.status());
  absl::StatusOr<std::map<std::string, std::string>> texts = ReadSchedules(*shards);
  if (!texts.ok()) return InputError(texts.status());

  const MergedCampaign merged = MergeShards(*shards);
  absl::StatusOr<std::vector<ScenarioResult>> results = WriteSchedules(merged, *texts, out);
  if (!results.ok()) return InputError(results.status());
  absl::StatusOr<std::string> json = WriteReports(out, *results);
  if (!json.ok()) return InputError(json.status());

  std::fputs((parsed->Has("json") ? *json : FormatTable(*results)).c_str(), stdout);
  // What the merge dropped: a violation found by several shards is kept once.
  std::fprintf(stderr,
               "wvsim merge: %zu shards, %zu distinct violations kept (of %zu found) in %s\n",
               shards->size(), merged.kept.size(), texts->size(), out.c_str());
  if (!merged.complete) {
    std::fputs(
        "wvsim merge: note: a shard was stopped by a signal before its end; the totals "
        "are what the shards ran\n",
        stderr);
  }
  bool violation = false;
  bool unexpected = false;
  for (const ScenarioResult& r : *results) {
    violation = violation || r.verdict != sim::Verdict::kClean;
    unexpected = unexpected || !r.as_expected();
  }
  if (parsed->Has("check-expected")) return unexpected ? kExitViolation : kExitClean;
  return violation ? kExitViolation : kExitClean;
}

}  // namespace wvsim::tools
