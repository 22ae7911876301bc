// The kernel-level scenarios (`sim.*`): programs written with the kernel's primitives alone,
// the peers' three test programs, the kernel forms of the WebView bugs, and classic bugs with
// their clean twins (classic_programs.cc).
#ifndef WVSIM_MODEL_SCENARIOS_SIM_KERNEL_SCENARIOS_H_
#define WVSIM_MODEL_SCENARIOS_SIM_KERNEL_SCENARIOS_H_

#include "sim/scenario.h"

namespace wvsim::model {

sim::Scenario CounterScenario();
sim::Scenario OpsScenario();
sim::Scenario AbbaScenario();
sim::Scenario LockOrderScenario();  // sim.abba's clean twin
sim::Scenario BlockingWaitOnOwnPumpScenario();
sim::Scenario AwaitingOnOwnPumpScenario();
sim::Scenario AwaitInHandlerScenario();
sim::Scenario NestedLoopDispatchScenario();
sim::Scenario MessageToFinishedThreadScenario();
sim::Scenario OrderingDepth1Scenario();
sim::Scenario OrderingDepth2Scenario();
sim::Scenario OrderingDepth3Scenario();
sim::Scenario CondVarIfWaitScenario();
sim::Scenario CondVarWhileWaitScenario();
sim::Scenario LostWakeupScenario();
sim::Scenario WakeupUnderLockScenario();
sim::Scenario LostUpdateScenario();
sim::Scenario LostUpdateAtomicScenario();

}  // namespace wvsim::model

#endif  // WVSIM_MODEL_SCENARIOS_SIM_KERNEL_SCENARIOS_H_
