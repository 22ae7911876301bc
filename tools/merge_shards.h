// How `wvsim merge` combines the campaign records of a sharded campaign (pure: no files).
//
// Shard I of N ran the campaign's executions I, I+N, I+2N, ... (sim/explorer.cc), so the shards
// of one campaign together ran what one unsharded process with N times the iterations would run.
// The merge reports what that process would have reported:
//
// - A violation is distinct by (scenario, kind, place), as `explore --keep-going` decides. Of the
//   shards' findings of one distinct violation the merge keeps the earliest execution's: the one
//   an unsharded run would have found first and kept.
// - A scenario's verdict is the kind of its earliest-execution finding across all shards (clean
//   when none), as an unsharded run's verdict is its first violation.
// - Executions: with --keep-going, or when no shard found a violation, the sum over shards.
//   Without --keep-going an unsharded run stops at the first violation, execution e, having run
//   executions 0..e; so the merge counts only the shards' executions up to e (e + 1 when every
//   shard got that far). Each shard stopped at its own first violation, so findings after e are
//   still kept (they are real, and an unsharded run would have needed more time to see them).
// - Seconds are summed over shards: the campaign's compute time, not its wall time.
//
// This equals an unsharded run of the same seed exactly for strategies whose execution i depends
// only on the seed and i (random). PCT, and so the portfolio, adapt to the runs they have seen, so
// their shards explore slightly different schedules and the equality is only approximate.
#ifndef WVSIM_TOOLS_MERGE_SHARDS_H_
#define WVSIM_TOOLS_MERGE_SHARDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/campaign_record.h"

namespace wvsim::tools {

struct ShardInput {
  std::string dir;  // the folder the record came from, for messages and its schedules
  Campaign campaign;
};

// OK when the records are the shards of one campaign: the same scenarios, strategy, seed, depth,
// max steps, iterations, --keep-going, parameters and shard count, and every shard index from 0
// to N-1 exactly once. Otherwise InvalidArgument naming what differs and in which folders, or
// which shard is missing or given twice.
absl::Status CheckShards(const std::vector<ShardInput>& shards);

struct MergedFinding {
  const ShardInput* shard = nullptr;  // whose folder holds the schedule
  CampaignFinding finding;
};

struct MergedScenario {
  std::string id;
  sim::Verdict verdict = sim::Verdict::kClean;
  uint64_t executions = 0;
  double seconds = 0;
  std::optional<size_t> first;  // the verdict's finding in MergedCampaign::kept; none when clean
};

struct MergedCampaign {
  std::vector<MergedScenario> scenarios;  // those that ran in any shard, in the campaign's order
  std::vector<MergedFinding> kept;        // one per distinct violation, by scenario then execution
  uint64_t executions_run = 0;            // what the shards ran in all
  bool complete = true;                   // no shard was interrupted or missed a scenario
};

// Precondition: CheckShards(shards) is OK. The result points into `shards`, which must outlive it.
MergedCampaign MergeShards(const std::vector<ShardInput>& shards);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_MERGE_SHARDS_H_
