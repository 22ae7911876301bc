// wvsim's testing API: explore a scenario from a GoogleTest test and assert on what it finds,
// replay a failure inside the same test binary, and run scenarios under schedules that
// rapidcheck generates and shrinks. Link `wvsim::testing` (it brings wvsim::model, GoogleTest and
// rapidcheck) and include this one header.
//
//   #include "wvsim/testing.h"
//
//   WVSIM_REGISTER_SCENARIO(login_waits_for_token) {   // sim/scenario.h
//     return wvsim::sim::Scenario{.id = "myapp.login_waits_for_token", ...};
//   }
//
//   TEST(Login, WaitingForTheTokenDeadlocks) {
//     EXPECT_VIOLATION(wvsim::testing::ExploreScenario("myapp.login_waits_for_token"),
//                      wvsim::testing::Verdict::kDeadlock);
//   }
//   TEST(Login, PostedTokenIsClean) {
//     EXPECT_NO_VIOLATION(wvsim::testing::ExploreScenario(
//         "myapp.login_posts_token", {.strategy = "portfolio", .iterations = 20000}));
//   }
//
// When an assertion fails, the violating run's schedule is written to a file and the message
// ends with the command that replays it in this same binary (a scenario compiled into a test has
// no id the `wvsim` CLI knows):
//
//   WVSIM_REPLAY=/abs/wvsim-failures/Login.PostedTokenIsClean.myapp.login_posts_token.schedule
//   ./login_test --gtest_filter=Login.PostedTokenIsClean
//
// (one line). Run with WVSIM_REPLAY set, ExploreScenario and RunScenario replay that schedule
// instead of exploring, for the scenario the file names (other scenarios are explored as usual),
// print its full trace and verdict, and the assertion reports what the replay found. Strict:
// every decision, the verdict, steps, preemptions and trace hash must match the recording (the
// same replay as `wvsim replay`, sim/recording.h); a mismatch fails the assertion naming the
// first difference. WVSIM_REPLAY_LENIENT=1 follows the recorded choices by position only. A
// malformed file fails every assertion with the file, line and problem.
//
// Failure files go to $WVSIM_FAILURE_DIR, else $TEST_UNDECLARED_OUTPUTS_DIR/wvsim-failures, else
// wvsim-failures/ in the working directory; one file per test and scenario, rewritten by each
// failure (so after a property's shrinking it holds the smallest counterexample).
//
// Property tests: a ChoiceSequence is one schedule as bytes, read by the byte-stream strategy
// (sim/strategies/byte_stream.h): each decision takes the next byte modulo its number of options,
// and option 0 once the bytes run out. rapidcheck shrinks the bytes toward fewer and smaller
// ones, which is toward "run the first enabled thread", so a counterexample shrinks to a short,
// mostly unpreempted schedule.
//
//   RC_GTEST_PROP(Login, NoScheduleDeadlocks, (const wvsim::testing::ChoiceSequence& choices)) {
//     RC_ASSERT_NO_VIOLATION(wvsim::testing::RunScenario("myapp.login_posts_token", choices));
//   }
//
// The built-in scenarios (`wvsim list`) are available by id too. Scenarios registered from a
// static library of one's own may be dropped by the linker: register them in the test's sources.
// Call these from the test's own thread; they run the scenario on the calling thread and are
// deterministic (the same options explore the same schedules).
#ifndef WVSIM_TESTING_WVSIM_TESTING_H_
#define WVSIM_TESTING_WVSIM_TESTING_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "model/verdicts.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "sim/explorer.h"
#include "sim/scenario.h"
#include "sim/verdict.h"

namespace wvsim::testing {

// Every verdict a test may expect by name: the kernel's (Verdict::kDeadlock, ...) and the WebView
// models' (Verdict::kReentrancy, ...), which the models register (model/verdicts.h). A verdict
// of either kind converts to it and compares with it.
struct Verdict : sim::Verdict {
  Verdict() = default;
  Verdict(sim::Verdict verdict) : sim::Verdict(verdict) {}  // NOLINT: implicit on purpose
  static inline const sim::Verdict kReentrancy = model::WebViewVerdict::kReentrancy;
  static inline const sim::Verdict kDeferralLeak = model::WebViewVerdict::kDeferralLeak;
  static inline const sim::Verdict kDeferralDoubleComplete =
      model::WebViewVerdict::kDeferralDoubleComplete;
  static inline const sim::Verdict kWrongThread = model::WebViewVerdict::kWrongThread;
  static inline const sim::Verdict kSerialCallbacks = model::WebViewVerdict::kSerialCallbacks;
};

// How ExploreScenario explores: strategy (random, pct, dfs, ipb, idb, dpor, portfolio; default
// random), iterations (default 10,000), seed, depth, max_steps, params (name -> value), shard and
// keep_going, as `wvsim explore` takes them.
using ExploreOptions = sim::ExploreConfig;

// How RunScenario runs its one schedule.
struct RunOptions {
  uint64_t max_steps = 100'000;  // a run that reaches it ends as a stall
  std::map<std::string, std::string> params = {};
};

// What an exploration, a run or a replay found; the assertions below read it.
struct Result {
  std::string scenario;                    // the scenario's id
  std::vector<sim::Verdict> expected;      // the verdicts the scenario declares
  std::string how;                         // how it ran, for messages: "portfolio, seed 0"
  sim::Verdict verdict = Verdict::kClean;  // the first violation found, or clean
  uint64_t executions = 0;
  // A systematic strategy (dfs, ipb, idb, dpor) ran out of schedules: every schedule within its
  // bound was run (each once; `executions` counts them) and the verdict holds for all of them.
  bool exhausted = false;
  uint64_t revisits = 0;          // ipb's and idb's runs of schedules they had already run
  std::vector<sim::Found> found;  // each distinct violation, with its traced schedule
  std::string error;              // when nothing could run (unknown scenario, bad options or
                                  // WVSIM_REPLAY file): why
  std::string replayed;           // the WVSIM_REPLAY file replayed instead of exploring
  std::string divergence;         // a replay's first difference from its recording, if any

  bool ok() const { return error.empty(); }
};

// Explores the registered scenario `id` (or `scenario`, registered or not) under `options`; with
// WVSIM_REPLAY naming a schedule of this scenario, replays that instead.
Result ExploreScenario(std::string_view id, const ExploreOptions& options = {});
Result ExploreScenario(const sim::Scenario& scenario, const ExploreOptions& options = {});

// One schedule as bytes for the byte-stream strategy; see the file comment.
struct ChoiceSequence {
  std::vector<uint8_t> bytes;
};

// Sequences of up to `choices_max` bytes at rapidcheck's largest size.
rc::Gen<ChoiceSequence> Schedules(size_t choices_max = 256);

// Runs the scenario once under `choices`; with WVSIM_REPLAY naming a schedule of this scenario,
// replays that instead (whatever `choices` are).
Result RunScenario(std::string_view id, const ChoiceSequence& choices,
                   const RunOptions& options = {});
Result RunScenario(const sim::Scenario& scenario, const ChoiceSequence& choices,
                   const RunOptions& options = {});

// rapidcheck prints a counterexample with this: its length and bytes.
void showValue(const ChoiceSequence& choices, std::ostream& os);

// GoogleTest predicate-formatters behind the macros below; on failure each writes the violating
// schedule (unless replaying) and says how to replay it.
::testing::AssertionResult AssertNoViolation(const char* result_text, const Result& result);
::testing::AssertionResult AssertViolation(const char* result_text, const char* verdict_text,
                                           const Result& result, Verdict verdict);
// The scenario ended with one of the verdicts it declares (clean counts when it declares clean).
::testing::AssertionResult AssertExpectedVerdict(const char* result_text, const Result& result);

namespace internal {
// Throws rapidcheck's failure for `assertion` when it failed.
void RcCheck(const ::testing::AssertionResult& assertion, const char* file, int line,
             const char* macro);
}  // namespace internal

}  // namespace wvsim::testing

namespace rc {
template <>
struct Arbitrary<wvsim::testing::ChoiceSequence> {
  static Gen<wvsim::testing::ChoiceSequence> arbitrary() { return wvsim::testing::Schedules(); }
};
}  // namespace rc

// EXPECT_NO_VIOLATION(result): no violation was found (or replayed).
#define EXPECT_NO_VIOLATION(result) EXPECT_PRED_FORMAT1(::wvsim::testing::AssertNoViolation, result)
#define ASSERT_NO_VIOLATION(result) ASSERT_PRED_FORMAT1(::wvsim::testing::AssertNoViolation, result)

// EXPECT_VIOLATION(result, verdict): a violation of kind `verdict` was found (or replayed).
#define EXPECT_VIOLATION(result, verdict) \
  EXPECT_PRED_FORMAT2(::wvsim::testing::AssertViolation, result, verdict)
#define ASSERT_VIOLATION(result, verdict) \
  ASSERT_PRED_FORMAT2(::wvsim::testing::AssertViolation, result, verdict)

// EXPECT_EXPECTED_VERDICT(result): the run ended as the scenario's registration says it should.
#define EXPECT_EXPECTED_VERDICT(result) \
  EXPECT_PRED_FORMAT1(::wvsim::testing::AssertExpectedVerdict, result)
#define ASSERT_EXPECTED_VERDICT(result) \
  ASSERT_PRED_FORMAT1(::wvsim::testing::AssertExpectedVerdict, result)

// The same inside an RC_GTEST_PROP: a failure fails the property, and rapidcheck shrinks.
#define RC_ASSERT_NO_VIOLATION(result)                                                      \
  ::wvsim::testing::internal::RcCheck(::wvsim::testing::AssertNoViolation(#result, result), \
                                      __FILE__, __LINE__, "RC_ASSERT_NO_VIOLATION")
#define RC_ASSERT_VIOLATION(result, verdict)                                                     \
  ::wvsim::testing::internal::RcCheck(                                                           \
      ::wvsim::testing::AssertViolation(#result, #verdict, result, verdict), __FILE__, __LINE__, \
      "RC_ASSERT_VIOLATION")

#endif  // WVSIM_TESTING_WVSIM_TESTING_H_
