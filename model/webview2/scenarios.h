// The WebView2 scenarios (`wv2.*`): app programs written against the WebView2 model.
#ifndef WVSIM_MODEL_WEBVIEW2_SCENARIOS_H_
#define WVSIM_MODEL_WEBVIEW2_SCENARIOS_H_

namespace wvsim::model::webview2 {

// Adds every wv2.* scenario to the global registry (once; RegisterBuiltinScenarios calls it).
void RegisterScenarios();

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_SCENARIOS_H_
