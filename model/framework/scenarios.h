// The wv2.* scenarios written with the framework layer (.NET tasks and contexts, Win32 messages,
// the user as an actor): docs/framework-rules.md lists them with their rules.
#ifndef WVSIM_MODEL_FRAMEWORK_SCENARIOS_H_
#define WVSIM_MODEL_FRAMEWORK_SCENARIOS_H_

namespace wvsim::model::framework {

// Adds them to the global registry (once; RegisterBuiltinScenarios calls it).
void RegisterScenarios();

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_SCENARIOS_H_
