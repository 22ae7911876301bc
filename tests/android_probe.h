// One traced run of an Android model program, for the rule tests (android_rules_test.cc,
// android_page_rules_test.cc): the run's outcome and its trace text.
#ifndef WVSIM_TESTS_ANDROID_PROBE_H_
#define WVSIM_TESTS_ANDROID_PROBE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "model/android/runtime.h"
#include "sim/runner.h"
#include "test_programs.h"

namespace wvsim::model::android {

struct Result : sim::RunOutcome {
  std::string trace;
};

// One traced run of `setup` with `target_sdk`, always choosing the first option (the lowest
// numbered enabled thread) unless a strategy is given. `params` adds or overrides parameters
// (fault_budget is 0 unless given).
inline Result RunAndroid(std::function<void(sim::Kernel&)> setup, int64_t target_sdk,
                         sim::Strategy* strategy = nullptr, sim::ParamValues params = {}) {
  const sim::Scenario scenario = sim::testing::MakeScenario(std::move(setup));
  params.emplace(std::string(sim::kFaultBudgetParam), 0);
  params.emplace(std::string(kTargetSdkParam), target_sdk);
  sim::Runner runner(scenario, params);
  sim::testing::FunctionStrategy first = sim::testing::FirstEnabled();
  sim::Strategy& used = strategy != nullptr ? *strategy : first;
  used.BeginExecution(0);
  Result result;
  static_cast<sim::RunOutcome&>(result) = runner.Run(used, /*traced=*/true);
  result.trace = runner.kernel().TraceText();
  return result;
}

}  // namespace wvsim::model::android

#endif  // WVSIM_TESTS_ANDROID_PROBE_H_
