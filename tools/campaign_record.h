// The campaign record: `campaign.json`, which `wvsim explore` writes into its --out folder at the
// end of every campaign (also one stopped by a signal). It says what the campaign was (scenarios,
// strategy, seed, shard, ...), what each scenario's verdict and execution count were, and every
// distinct violation it kept a schedule of, with the violation's place: the schedule file does not
// hold the place, and `wvsim merge` needs it to tell distinct violations apart across shards.
//
// So a shard's --out folder describes itself, and merging needs no command line but the folders.
#ifndef WVSIM_TOOLS_CAMPAIGN_RECORD_H_
#define WVSIM_TOOLS_CAMPAIGN_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/explorer.h"
#include "sim/scenario.h"
#include "sim/verdict.h"
#include "tools/explore_report.h"

namespace wvsim::tools {

inline constexpr char kCampaignFileName[] = "campaign.json";
// The record's first member; a reader refuses any other value.
inline constexpr char kCampaignFormat[] = "wvsim-campaign 1";

// One distinct violation (scenario, kind, place) the campaign kept a schedule of.
struct CampaignFinding {
  std::string scenario;
  sim::Verdict verdict = sim::Verdict::kClean;
  std::string place;
  uint64_t execution = 0;  // the run's index in the whole (unsharded) campaign
  std::string schedule;    // the schedule's file name in the same folder
  std::string report;
};

struct CampaignScenarioResult {
  std::string id;
  sim::Verdict verdict = sim::Verdict::kClean;  // the first violation, or clean
  uint64_t executions = 0;
  double seconds = 0;
};

struct Campaign {
  std::vector<std::string> scenarios;  // as asked for, in order
  // strategy, seed, depth, max_steps, iterations, keep_going, params, shard_index, shard_count.
  sim::ExploreConfig config;
  bool interrupted = false;                     // a signal stopped it before its end
  std::vector<CampaignScenarioResult> results;  // the scenarios that ran, in order
  std::vector<CampaignFinding> found;           // in the order they were found
};

std::string FormatCampaign(const Campaign& campaign);

// InvalidArgument naming the member at fault (or the line and column of a JSON error).
absl::StatusOr<Campaign> ParseCampaign(std::string_view text);

// What `wvsim explore` keeps while it runs: the campaign, then each violation as it is found.
class CampaignRecorder {
 public:
  CampaignRecorder(const std::vector<const sim::Scenario*>& scenarios,
                   const sim::ExploreConfig& config);

  // A violation whose schedule explore wrote (or tried to write) to `schedule_path`.
  void Found(const sim::Found& found, const std::string& schedule_path);

  // Writes `out_dir`/campaign.json atomically. On failure prints "wvsim explore: <why>" on stderr
  // and returns false.
  bool Write(const std::string& out_dir, const std::vector<ScenarioResult>& results,
             bool interrupted);

 private:
  Campaign campaign_;
};

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_CAMPAIGN_RECORD_H_
