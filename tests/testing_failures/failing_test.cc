// A test binary whose wvsim assertions fail on purpose, run as a child process by
// tests/testing_replay_test.cc: its failure messages must name a schedule file and a command, and
// that command (WVSIM_REPLAY=... this binary --gtest_filter=...) must reproduce the failure with
// its full trace. Not a CTest test of its own: it fails by design.
#include "sim/scenario.h"
#include "sim/sync.h"
#include "wvsim/testing.h"

namespace wvsim::testing_failures {
namespace {

using sim::Kernel;
using sim::Mutex;
using sim::Scenario;
using sim::Task;
using sim::Verdict;

Task<> LockBoth(Mutex& first, Mutex& second) {
  co_await first.Lock();
  co_await second.Lock();
  co_await second.Unlock();
  co_await first.Unlock();
}

// Declared clean, but two threads take two locks in opposite orders: a deadlock when one is
// preempted between its two locks.
WVSIM_REGISTER_SCENARIO(failing_abba) {
  return Scenario{
      .id = "failing.abba",
      .description = "two locks taken in opposite orders, wrongly declared clean",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& k) {
            Mutex& a = k.Make<Mutex>(k, "a");
            Mutex& b = k.Make<Mutex>(k, "b");
            k.Spawn("t1", LockBoth(a, b));
            k.Spawn("t2", LockBoth(b, a));
          },
  };
}

TEST(Failing, AbbaIsClean) { EXPECT_NO_VIOLATION(testing::ExploreScenario("failing.abba")); }

TEST(Failing, AbbaEndsAsDeclared) {
  EXPECT_EXPECTED_VERDICT(testing::ExploreScenario("failing.abba"));
}

RC_GTEST_PROP(Failing, AbbaNeverDeadlocks, (const testing::ChoiceSequence& choices)) {
  RC_ASSERT_NO_VIOLATION(testing::RunScenario("failing.abba", choices));
}

// Passes: for running a WVSIM_REPLAY file with a filter that explores no scenario of it.
TEST(Failing, ExploresNothing) { SUCCEED(); }

}  // namespace
}  // namespace wvsim::testing_failures
