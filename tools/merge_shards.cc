#include "tools/merge_shards.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wvsim::tools {

namespace {

// The settings that make two records parts of one campaign, each as text for messages.
std::vector<std::pair<const char*, std::string>> Identity(const Campaign& campaign) {
  const sim::ExploreConfig& c = campaign.config;
  std::vector<std::string> params;
  for (const auto& [name, value] : c.params) params.push_back(absl::StrCat(name, "=", value));
  return {
      {"scenarios", absl::StrJoin(campaign.scenarios, " ")},
      {"strategy", c.strategy},
      {"seed", absl::StrCat(c.seed)},
      {"depth", c.depth ? absl::StrCat(*c.depth) : "the default"},
      {"max steps", absl::StrCat(c.max_steps)},
      {"iterations", absl::StrCat(c.iterations)},
      {"--keep-going", c.keep_going ? "on" : "off"},
      {"parameters", params.empty() ? "none" : absl::StrJoin(params, " ")},
      {"shard count", absl::StrCat(c.shard_count)},
  };
}

// Of shard `index`'s executions (index, index+N, ... : `count` of them), how many are at or
// before execution `last`.
uint64_t ExecutionsUpTo(uint64_t last, uint32_t index, uint32_t shards, uint64_t count) {
  if (last < index) return 0;
  return std::min<uint64_t>(count, (last - index) / shards + 1);
}

}  // namespace

absl::Status CheckShards(const std::vector<ShardInput>& shards) {
  if (shards.empty()) return absl::InvalidArgumentError("no shard folders given");
  const auto first = Identity(shards.front().campaign);
  for (size_t i = 1; i < shards.size(); ++i) {
    const auto other = Identity(shards[i].campaign);
    for (size_t k = 0; k < first.size(); ++k) {
      if (first[k].second == other[k].second) continue;
      return absl::InvalidArgumentError(
          absl::StrCat("the folders are not shards of one campaign: they differ in ",
                       first[k].first, " ('", first[k].second, "' in ", shards.front().dir, ", '",
                       other[k].second, "' in ", shards[i].dir, ")"));
    }
  }
  const uint32_t count = shards.front().campaign.config.shard_count;
  std::map<uint32_t, const std::string*> seen;
  for (const ShardInput& shard : shards) {
    const uint32_t index = shard.campaign.config.shard_index;
    if (auto [at, added] = seen.emplace(index, &shard.dir); !added) {
      return absl::InvalidArgumentError(absl::StrCat(
          "shard ", index, "/", count, " is given twice: in ", *at->second, " and ", shard.dir));
    }
  }
  for (uint32_t index = 0; index < count; ++index) {
    if (seen.count(index) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "shard ", index, "/", count, " is missing: the folders hold ", seen.size(), " of the ",
          count, " shards; merge them all, so the totals are the whole campaign's"));
    }
  }
  return absl::OkStatus();
}

MergedCampaign MergeShards(const std::vector<ShardInput>& shards) {
  MergedCampaign merged;
  const Campaign& reference = shards.front().campaign;
  const sim::ExploreConfig& config = reference.config;

  // One finding per distinct violation: the earliest execution's, as an unsharded run keeps.
  std::map<std::tuple<std::string, sim::Verdict, std::string>, MergedFinding> distinct;
  for (const ShardInput& shard : shards) {
    merged.complete = merged.complete && !shard.campaign.interrupted;
    for (const CampaignFinding& finding : shard.campaign.found) {
      auto [at, added] = distinct.try_emplace({finding.scenario, finding.verdict, finding.place},
                                              MergedFinding{&shard, finding});
      if (!added && finding.execution < at->second.finding.execution) {
        at->second = MergedFinding{&shard, finding};
      }
    }
  }

  for (const std::string& id : reference.scenarios) {
    std::vector<std::pair<const ShardInput*, const CampaignScenarioResult*>> ran;
    for (const ShardInput& shard : shards) {
      const auto& results = shard.campaign.results;
      auto it = std::find_if(results.begin(), results.end(),
                             [&](const CampaignScenarioResult& r) { return r.id == id; });
      if (it == results.end()) {
        merged.complete = false;  // the shard was stopped before this scenario
      } else {
        ran.emplace_back(&shard, &*it);
      }
    }
    if (ran.empty()) continue;

    std::vector<MergedFinding> own;
    for (const auto& [key, finding] : distinct) {
      if (std::get<0>(key) == id) own.push_back(finding);
    }
    std::sort(own.begin(), own.end(), [](const MergedFinding& a, const MergedFinding& b) {
      return a.finding.execution < b.finding.execution;
    });

    MergedScenario& scenario = merged.scenarios.emplace_back();
    scenario.id = id;
    if (!own.empty()) {
      scenario.first = merged.kept.size();
      scenario.verdict = own.front().finding.verdict;
    }
    const bool stops_at_first = !config.keep_going && !own.empty();
    for (const auto& [shard, result] : ran) {
      merged.executions_run += result->executions;
      scenario.seconds += result->seconds;
      scenario.executions += stops_at_first ? ExecutionsUpTo(own.front().finding.execution,
                                                             shard->campaign.config.shard_index,
                                                             config.shard_count, result->executions)
                                            : result->executions;
    }
    merged.kept.insert(merged.kept.end(), own.begin(), own.end());
  }
  return merged;
}

}  // namespace wvsim::tools
