// One test per registered scenario: explored with the portfolio, a buggy scenario ends with one of
// its expected verdicts, and a clean one stays quiet over 20,000 executions. And one per buggy
// scenario: it is found within 20,000 executions for each of 20 seeds.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "sim/explorer.h"

namespace wvsim::sim {
namespace {

constexpr uint64_t kExecutions = 20'000;

std::vector<std::string> AllScenarioIds() {
  model::RegisterBuiltinScenarios();
  std::vector<std::string> ids;
  for (const Scenario* scenario : ScenarioRegistry::Global().All()) ids.push_back(scenario->id);
  return ids;
}

std::vector<std::string> BuggyScenarioIds() {
  model::RegisterBuiltinScenarios();
  std::vector<std::string> ids;
  for (const Scenario* scenario : ScenarioRegistry::Global().All()) {
    if (!scenario->Expects(Verdict::kClean)) ids.push_back(scenario->id);
  }
  return ids;
}

// A test name from a scenario id: "wv2.click_before_init" -> "wv2_click_before_init".
std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name;
}

class ScenarioExploration : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioExploration, EndsWithAnExpectedVerdictUnderThePortfolio) {
  const Scenario* scenario = ScenarioRegistry::Global().Find(GetParam());
  ASSERT_NE(scenario, nullptr);
  ExploreConfig config;
  config.strategy = "portfolio";
  config.iterations = kExecutions;
  const absl::StatusOr<ExploreResult> result = Explore(*scenario, config);
  ASSERT_TRUE(result.ok()) << result.status();
  const std::string report = result->found.empty() ? "" : result->found.front().violation.report;
  EXPECT_TRUE(scenario->Expects(result->verdict))
      << GetParam() << " ended " << VerdictName(result->verdict) << " after " << result->executions
      << " executions: " << report;
  if (!result->found.empty()) {
    EXPECT_EQ(result->found.front().nondeterminism, "") << GetParam();
  }
}

INSTANTIATE_TEST_SUITE_P(Builtin, ScenarioExploration, ::testing::ValuesIn(AllScenarioIds()),
                         TestName);

class BuggyScenarioExploration : public ::testing::TestWithParam<std::string> {};

// Finding a bug must not depend on a lucky seed: a buggy scenario is found within the same budget
// whatever the campaign's seed, for each of 20 seeds.
TEST_P(BuggyScenarioExploration, FoundWithin20000ExecutionsFor20Of20Seeds) {
  const Scenario* scenario = ScenarioRegistry::Global().Find(GetParam());
  ASSERT_NE(scenario, nullptr);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    ExploreConfig config;
    config.strategy = "portfolio";
    config.iterations = kExecutions;
    config.seed = seed;
    const absl::StatusOr<ExploreResult> result = Explore(*scenario, config);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->found.empty()) << GetParam() << ": not found with seed " << seed;
    EXPECT_TRUE(scenario->Expects(result->verdict))
        << GetParam() << " seed " << seed << " ended " << VerdictName(result->verdict);
  }
}

INSTANTIATE_TEST_SUITE_P(Builtin, BuggyScenarioExploration, ::testing::ValuesIn(BuggyScenarioIds()),
                         TestName);

}  // namespace
}  // namespace wvsim::sim
