// The login screen's threading, checked by exploring its scenarios (login_scenarios.cc): the
// blocking version deadlocks, the posting version stays clean under every schedule tried.
#include "wvsim/testing.h"

namespace {

using wvsim::testing::ChoiceSequence;
using wvsim::testing::ExploreScenario;
using wvsim::testing::RunScenario;
using wvsim::testing::Verdict;

TEST(Login, WaitingForTheTokenDeadlocks) {
  EXPECT_VIOLATION(ExploreScenario("myapp.login_waits_for_token"), Verdict::kDeadlock);
}

TEST(Login, PostingTheTokenIsClean) {
  EXPECT_NO_VIOLATION(
      ExploreScenario("myapp.login_posts_token", {.strategy = "portfolio", .iterations = 20000}));
}

RC_GTEST_PROP(Login, PostingTheTokenIsCleanUnderAnySchedule, (const ChoiceSequence& choices)) {
  RC_ASSERT_NO_VIOLATION(RunScenario("myapp.login_posts_token", choices));
}

}  // namespace
