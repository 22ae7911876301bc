// The README's scenario example, compiled and explored, so that the README stays true. It also
// shows WVSIM_REGISTER_SCENARIO registering a scenario from a test binary of one's own.
#include "gtest/gtest.h"
#include "sim/explorer.h"
#include "sim/scenario.h"
#include "sim/sync.h"

namespace wvsim::readme {
namespace {

using namespace sim;

Task<> Transfer(Mutex& from, Mutex& to) {
  co_await from.Lock();
  co_await to.Lock();
  co_await to.Unlock();
  co_await from.Unlock();
}

WVSIM_REGISTER_SCENARIO(bank_transfer) {
  return Scenario{
      .id = "bank.transfer",
      .description = "two transfers lock two accounts in opposite orders",
      .expected = {Verdict::kDeadlock},
      .setup =
          [](Kernel& k) {
            auto& a = k.Make<Mutex>(k, "account_a");
            auto& b = k.Make<Mutex>(k, "account_b");
            k.Spawn("alice", Transfer(a, b));
            k.Spawn("bob", Transfer(b, a));
          },
  };
}

TEST(ReadmeExample, RegisteredScenarioDeadlocksAsDocumented) {
  const Scenario* scenario = ScenarioRegistry::Global().Find("bank.transfer");
  ASSERT_NE(scenario, nullptr);
  absl::StatusOr<ExploreResult> result = Explore(*scenario, ExploreConfig{});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->verdict, Verdict::kDeadlock);
  ASSERT_FALSE(result->found.empty());
  EXPECT_NE(result->found.front().violation.report.find("wait-for cycle: alice -> bob -> alice"),
            std::string::npos)
      << result->found.front().violation.report;
}

}  // namespace
}  // namespace wvsim::readme
