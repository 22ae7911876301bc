// Runs one scenario again and again on one reused Kernel, and turns a run into a Schedule.
//
//   Runner runner(scenario, params, {.steps_max = 100000});
//   RandomStrategy random(seed);
//   random.BeginExecution(0);
//   RunOutcome outcome = runner.Run(random, /*traced=*/false);
//
// Not thread-safe; one Runner per OS thread.
#ifndef WVSIM_SIM_RUNNER_H_
#define WVSIM_SIM_RUNNER_H_

#include <cstdint>
#include <string>

#include "sim/kernel.h"
#include "sim/scenario.h"
#include "sim/schedule.h"

namespace wvsim::sim {

class Runner {
 public:
  Runner(const Scenario& scenario, ParamValues params, KernelLimits limits = {});

  // One run, driven by `strategy`, whose BeginExecution the caller has already called.
  RunOutcome Run(Strategy& strategy, bool traced);

  // The schedule of the last run, headed with this scenario and its parameters.
  Schedule LastSchedule(const RunOutcome& outcome, std::string strategy, uint64_t seed,
                        uint32_t depth) const;

  // Re-executes `decisions` with full tracing (strict replay). The outcome's `diverged` is set
  // when the program did not make the same decisions again.
  RunOutcome Replay(const std::vector<Decision>& decisions, bool lenient);

  const Kernel& kernel() const { return kernel_; }
  Kernel& kernel() { return kernel_; }
  const Scenario& scenario() const { return scenario_; }
  const ParamValues& params() const { return params_; }

 private:
  const Scenario& scenario_;
  ParamValues params_;
  Kernel kernel_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_RUNNER_H_
