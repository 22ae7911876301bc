// Helpers the android.* scenario files share (scenarios.cc, scenarios_page.cc): the target_sdk
// parameter, the scenario's own end-of-run assertion, and the URLs the apps load. Not app API.
#ifndef WVSIM_MODEL_ANDROID_SCENARIO_SUPPORT_H_
#define WVSIM_MODEL_ANDROID_SCENARIO_SUPPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/android/runtime.h"
#include "sim/kernel.h"
#include "sim/scenario.h"

namespace wvsim::model::android {

inline constexpr const char* kScenarioHomeUrl = "https://example.com/";
inline constexpr const char* kScenarioNextUrl = "https://example.com/next";

inline sim::ScenarioParam TargetSdk(int64_t value) {
  // API levels that exist: 1 (Android 1.0) to 36 (Android 16).
  return sim::ScenarioParam{std::string(kTargetSdkParam), value,
                            "the app's targetSdkVersion: 18 (JELLY_BEAN_MR2) and above enforce "
                            "WebView's thread checks (A2, A4)",
                            1, 36};
}

// Fails the run at quiescence with `report` unless `holds` (the scenario's own assertion).
template <typename Check>
void ExpectAtEnd(sim::Kernel& kernel, std::string place, Check holds, std::string report) {
  kernel.AddQuiescenceCheck(sim::CheckPhase::kFinal,
                            [place = std::move(place), holds = std::move(holds),
                             report = std::move(report)]() -> std::optional<sim::Violation> {
                              if (holds()) return std::nullopt;
                              return sim::Violation{sim::Verdict::kAssertion, place, report};
                            });
}

// The scenarios of the renderer process dying (A16), registered by RegisterScenarios.
std::vector<sim::Scenario> RendererScenarios();

// The scenarios of WebMessagePort callbacks and their Handler (A17), registered by
// RegisterScenarios.
std::vector<sim::Scenario> PortScenarios();

// The scenarios of the app's own thread hops: Activity.runOnUiThread (A18), View.post (A19) and
// PermissionRequest (A22), registered by RegisterScenarios.
std::vector<sim::Scenario> AppThreadScenarios();

// The scenarios of popups and onCreateWindow (A28), registered by RegisterScenarios.
std::vector<sim::Scenario> PopupScenarios();

// The scenarios of the page's JavaScript thread, the bridge, request interception and JS dialogs
// (A12..A15), registered by RegisterScenarios (scenarios.cc).
std::vector<sim::Scenario> PageScenarios();

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_SCENARIO_SUPPORT_H_
