// Registers every scenario that ships with wvsim (kernel, WebView2 and Android) in the global
// registry. Idempotent; the CLI, tests and benchmarks call it before looking scenarios up.
#ifndef WVSIM_MODEL_BUILTIN_SCENARIOS_H_
#define WVSIM_MODEL_BUILTIN_SCENARIOS_H_

namespace wvsim::model {

void RegisterBuiltinScenarios();

}  // namespace wvsim::model

#endif  // WVSIM_MODEL_BUILTIN_SCENARIOS_H_
