#include "model/builtin_scenarios.h"

#include <mutex>
#include <utility>

#include "model/android/scenarios.h"
#include "model/framework/scenarios.h"
#include "model/programs/interpreter.h"
#include "model/scenarios/sim/classic_suite.h"
#include "model/scenarios/sim/kernel_scenarios.h"
#include "model/webview2/scenarios.h"

namespace wvsim::model {

void RegisterBuiltinScenarios() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (sim::Scenario (*make)() : {
             CounterScenario,
             OpsScenario,
             AbbaScenario,
             LockOrderScenario,
             BlockingWaitOnOwnPumpScenario,
             AwaitingOnOwnPumpScenario,
             AwaitInHandlerScenario,
             NestedLoopDispatchScenario,
             MessageToFinishedThreadScenario,
             OrderingDepth1Scenario,
             OrderingDepth2Scenario,
             OrderingDepth3Scenario,
             CondVarIfWaitScenario,
             CondVarWhileWaitScenario,
             LostWakeupScenario,
             WakeupUnderLockScenario,
             LostUpdateScenario,
             LostUpdateAtomicScenario,
         }) {
      sim::RegisterScenarioOrDie(make());
    }
    for (sim::Scenario& scenario : ClassicSuiteScenarios()) {
      sim::RegisterScenarioOrDie(std::move(scenario));
    }
    webview2::RegisterScenarios();
    framework::RegisterScenarios();
    android::RegisterScenarios();
    programs::RegisterProgramFamilies();
  });
}

}  // namespace wvsim::model
