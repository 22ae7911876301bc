// The android.* scenarios end as their registrations say, under the portfolio the CLI uses: each
// buggy one is found within a few hundred executions for every one of 20 seeds, each clean one
// stays quiet, and every report names its rule.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/android/runtime.h"
#include "model/builtin_scenarios.h"
#include "sim/explorer.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/strategies/random.h"

namespace wvsim::model::android {
namespace {

using sim::Verdict;
using ::testing::ContainsRegex;

std::vector<const sim::Scenario*> AndroidScenarios() {
  RegisterBuiltinScenarios();
  std::vector<const sim::Scenario*> android;
  for (const sim::Scenario* scenario : sim::ScenarioRegistry::Global().All()) {
    if (scenario->runtime() == "android") android.push_back(scenario);
  }
  return android;
}

sim::ExploreResult MustExplore(const sim::Scenario& scenario, uint64_t iterations, uint64_t seed) {
  sim::ExploreConfig config;
  config.strategy = "portfolio";
  config.iterations = iterations;
  config.seed = seed;
  absl::StatusOr<sim::ExploreResult> result = sim::Explore(scenario, config);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : sim::ExploreResult{};
}

TEST(AndroidScenarios, TheIssueIdsAreRegistered) {
  std::vector<std::string> ids;
  for (const sim::Scenario* scenario : AndroidScenarios()) ids.push_back(scenario->id);
  for (const char* id : {"android.call_from_background_thread",
                         "android.legacy_target_call_posted",
                         "android.blocking_getter_while_ui_blocked",
                         "android.getter_posted_to_ui",
                         "android.second_view_thread",
                         "android.load_before_attach",
                         "android.engine_start_while_main_blocked",
                         "android.javascript_interface_touches_webview",
                         "android.javascript_interface_posts",
                         "android.constructed_without_looper",
                         "android.bridge_waits_for_blocked_ui",
                         "android.bridge_posts_and_returns",
                         "android.intercept_request_touches_webview",
                         "android.intercept_request_reads_request",
                         "android.js_confirm_blocks_ui_on_page",
                         "android.js_confirm_answered_later",
                         "android.render_process_gone_unhandled",
                         "android.render_process_gone_recreates",
                         "android.message_port_callback_touches_webview",
                         "android.message_port_callback_on_ui",
                         "android.run_on_ui_thread_runs_inline",
                         "android.run_on_ui_thread_state_first",
                         "android.permission_granted_off_ui_thread",
                         "android.permission_granted_on_ui_thread",
                         "android.view_post_never_attached",
                         "android.view_post_runs_after_attach",
                         "android.popup_hosted_by_parent",
                         "android.popup_in_new_webview"}) {
    EXPECT_THAT(ids, ::testing::Contains(std::string(id)));
  }
}

TEST(AndroidScenarios, BuggyOnesAreFoundForEverySeedAndNameTheirRule) {
  for (const sim::Scenario* scenario : AndroidScenarios()) {
    if (scenario->Expects(Verdict::kClean)) continue;
    for (uint64_t seed = 0; seed < 20; ++seed) {
      const sim::ExploreResult result = MustExplore(*scenario, 500, seed);
      EXPECT_TRUE(scenario->Expects(result.verdict))
          << scenario->id << " seed " << seed << ": " << sim::VerdictName(result.verdict);
      ASSERT_FALSE(result.found.empty()) << scenario->id << " seed " << seed;
      EXPECT_THAT(result.found[0].violation.report, ContainsRegex("\\[A[0-9]+")) << scenario->id;
      EXPECT_TRUE(result.found[0].nondeterminism.empty()) << result.found[0].nondeterminism;
    }
  }
}

TEST(AndroidScenarios, CleanOnesStayQuiet) {
  for (const sim::Scenario* scenario : AndroidScenarios()) {
    if (!scenario->Expects(Verdict::kClean)) continue;
    const sim::ExploreResult result = MustExplore(*scenario, 5000, 7);
    EXPECT_EQ(result.verdict, Verdict::kClean)
        << scenario->id << ": "
        << (result.found.empty() ? std::string() : result.found[0].violation.report);
    EXPECT_EQ(result.executions, 5000u) << scenario->id;
  }
}

// Issue 17's bar for real interleavings: at least two thirds of the clean scenarios, and at least
// five, have more than 100 schedules within a preemption bound of 3 with faults off (`wvsim
// explore ID --strategy dfs --depth 3 --iterations 101 --param fault_budget=0` does not run out).
TEST(AndroidScenarios, MostCleanOnesHaveMoreThanAHundredSchedulesWithinThreePreemptions) {
  int clean = 0;
  std::vector<std::string> concurrent;
  for (const sim::Scenario* scenario : AndroidScenarios()) {
    if (!scenario->Expects(Verdict::kClean)) continue;
    ++clean;
    sim::ExploreConfig config;
    config.strategy = "dfs";
    config.depth = 3;
    config.iterations = 101;
    config.params = {{std::string(sim::kFaultBudgetParam), "0"}};
    absl::StatusOr<sim::ExploreResult> result = sim::Explore(*scenario, config);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->verdict, Verdict::kClean) << scenario->id;
    if (!result->exhausted) concurrent.push_back(scenario->id);
  }
  EXPECT_GE(concurrent.size(), 5u);
  EXPECT_GE(3 * static_cast<int>(concurrent.size()), 2 * clean)
      << concurrent.size() << " of " << clean << " clean scenarios";
}

TEST(AndroidScenarios, EveryOneReplaysAgainstTheAndroidModelVersion) {
  for (const sim::Scenario* scenario : AndroidScenarios()) {
    EXPECT_EQ(scenario->model_version, kAndroidModelVersion) << scenario->id;
  }
}

TEST(AndroidScenarios, SameSeedSameTraceHash) {
  for (const sim::Scenario* scenario : AndroidScenarios()) {
    absl::StatusOr<sim::ParamValues> params = sim::ResolveParams(*scenario, {});
    ASSERT_TRUE(params.ok());
    sim::Runner runner(*scenario, *params);
    for (uint64_t seed = 0; seed < 5; ++seed) {
      uint64_t hashes[2] = {0, 0};
      for (uint64_t& hash : hashes) {
        sim::RandomStrategy random(seed);
        random.BeginExecution(0);
        runner.Run(random, /*traced=*/true);
        hash = runner.kernel().TraceHash();
      }
      EXPECT_EQ(hashes[0], hashes[1]) << scenario->id << " seed " << seed;
    }
  }
}

}  // namespace
}  // namespace wvsim::model::android
