// One test per registered scenario: explored with the portfolio, a buggy scenario ends with one of
// its expected verdicts, and a clean one stays quiet over 20,000 executions.
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
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '.') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace wvsim::sim
