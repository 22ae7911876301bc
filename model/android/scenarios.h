// The Android WebView scenarios (`android.*`): app programs written against the Android model.
#ifndef WVSIM_MODEL_ANDROID_SCENARIOS_H_
#define WVSIM_MODEL_ANDROID_SCENARIOS_H_

namespace wvsim::model::android {

// Adds every android.* scenario to the global registry (once; RegisterBuiltinScenarios calls it).
void RegisterScenarios();

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_SCENARIOS_H_
