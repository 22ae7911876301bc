#include "model/builtin_scenarios.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "model/scenarios/sim/kernel_scenarios.h"

namespace wvsim::model {

void RegisterBuiltinScenarios() {
  static std::once_flag once;
  std::call_once(once, [] {
    sim::ScenarioRegistry& registry = sim::ScenarioRegistry::Global();
    for (sim::Scenario (*make)() : {
             CounterScenario,
             OpsScenario,
             AbbaScenario,
             BlockingWaitOnOwnPumpScenario,
             AwaitingOnOwnPumpScenario,
             AwaitInHandlerScenario,
             NestedLoopDispatchScenario,
             MessageToFinishedThreadScenario,
         }) {
      absl::Status status = registry.Add(make());
      if (!status.ok()) {
        std::fprintf(stderr, "wvsim: %s\n", status.ToString().c_str());
        std::abort();
      }
    }
  });
}

}  // namespace wvsim::model
