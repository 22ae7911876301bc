// What the wv2.* scenarios share: the app's state (a WinForms form with one WebView), its UI
// thread, EnsureCoreWebView2Async, and the scenario constructors. Internal to the scenario files
// (scenarios.cc, scenarios_processes.cc, scenarios_messaging.cc); users writing their own
// scenarios start from runtime.h.
#ifndef WVSIM_MODEL_WEBVIEW2_SCENARIO_APP_H_
#define WVSIM_MODEL_WEBVIEW2_SCENARIO_APP_H_

#include <functional>
#include <string>
#include <vector>

#include "model/webview2/runtime.h"
#include "sim/scenario.h"
#include "sim/sync.h"

namespace wvsim::model::webview2::scenario_app {

inline constexpr char kHome[] = "https://app.example/index.html";

struct App {
  App() {}  // not an aggregate: Kernel::Make<App>() would zero-fill it first (records.h says why)
  Kernel* k = nullptr;
  Runtime* rt = nullptr;
  Thread ui;
  Environment* env = nullptr;
  CoreWebView2* webview = nullptr;
  bool blocking = false;  // the variant with the bug
  bool agile = false;
  sim::Event* requested = nullptr;
  sim::Event* served = nullptr;
  sim::Mutex* settings_lock = nullptr;
  std::string title;
  // Faults and shutdown.
  bool crashed = false;
  bool recreated = false;
  int loads = 0;
  int loads_after_recreate = 0;
  CoreWebView2* second = nullptr;
  int closed = 0;
  int exited = 0;
  int exited_early = 0;
  // Later scenarios (processes, frames, messages).
  int events = 0;  // what the scenario counts (reports, replies)
  int reloads = 0;
  int patience = 0;  // hang reports an app sits out before it reloads (W12)
  CoreWebView2Frame* frame = nullptr;
  Controller* controller = nullptr;
  Promise<void> ready;  // set once by the scenario's own signal
  int width = 800;      // the form's, as its last WM_SIZE set it (the user resizes it)
  // W9.3: default script dialogs the user answers with OK once it resized the form, each a
  // second after it showed (World::AnswerScriptDialog).
  int dialogs_to_answer = 0;
};

// The UI thread: an STA with a message loop (W1, W2).
Task<> UiMain(App& app);
// EnsureCoreWebView2Async: environment, then controller, each awaited (W6). Keeps the controller
// reference in app.controller (never released: the form holds it for its lifetime).
Task<> EnsureCoreWebView2(App& app);
// The same with the environment's options (a fresh App's second WebView, a recreation).
Task<> EnsureCoreWebView2With(App& app, EnvironmentOptions options);
// An App whose UI thread pumps, with the home page "Example" registered.
App& MakeApp(Kernel& k);
// Form1_Load: the first message the UI thread dispatches. Once the form is shown, its user
// resizes it (WM_SIZE messages at times the scheduler chooses; the handler sets the controller's
// Bounds).
void PostLoad(App& app, absl::AnyInvocable<Task<>()> load);

// The app shows a page global in its status bar: app.title gets ExecuteScript(script)'s result,
// read with Task.Result on the UI thread when app.blocking (W5: the pump stops), else awaited.
Task<> ReadIntoTitle(App& app, const char* script);

// var first = await Task.WhenAny(script, Task.Delay(2000)): the app gives up on `script` after
// 2 s (the call is abandoned, W15) and handles its failure; app.title gets the result, or
// `not_responding`, or `failed`.
Task<> AwaitOrGiveUp(App& app, Async<std::string> script, const char* not_responding,
                     const char* failed);

// W7, W9.3: declares the unconfirmed kScriptDuringAlertParam (default 0: an app's ExecuteScript
// waits behind the page's open dialog).
sim::Scenario WithScriptDuringAlertParam(sim::Scenario scenario);

sim::Scenario Make(std::string id, std::string description, std::vector<sim::Verdict> expected,
                   std::function<void(Kernel&)> setup);
// A scenario whose processes may fail: `faults` faults (the fault budget) by default.
sim::Scenario MakeFaulty(std::string id, std::string description,
                         std::vector<sim::Verdict> expected, std::function<void(Kernel&)> setup,
                         int64_t faults = 1);

// The scenarios of the later files, in registration order.
std::vector<sim::Scenario> ProcessScenarios();         // scenarios_processes.cc
std::vector<sim::Scenario> ProcessKindScenarios();     // scenarios_process_kinds.cc
std::vector<sim::Scenario> MessagingScenarios();       // scenarios_messaging.cc
std::vector<sim::Scenario> NavigationScenarios();      // scenarios_navigation.cc
std::vector<sim::Scenario> ApiErrorScenarios();        // scenarios_api_errors.cc
std::vector<sim::Scenario> WaitScenarios();            // scenarios_waits.cc
std::vector<sim::Scenario> PageScriptScenarios();      // scenarios_page_scripts.cc
std::vector<sim::Scenario> AffinityScenarios();        // scenarios_affinity.cc
std::vector<sim::Scenario> HostObjectScenarios();      // scenarios_host_objects.cc
std::vector<sim::Scenario> FrameScenarios();           // scenarios_frames.cc
std::vector<sim::Scenario> WindowOpenScenarios();      // scenarios_window_open.cc
std::vector<sim::Scenario> DefaultDialogScenarios();   // scenarios_default_dialogs.cc
std::vector<sim::Scenario> PageTitleScenarios();       // scenarios_page_title.cc
std::vector<sim::Scenario> PagePermissionScenarios();  // scenarios_page_permissions.cc

}  // namespace wvsim::model::webview2::scenario_app

#endif  // WVSIM_MODEL_WEBVIEW2_SCENARIO_APP_H_
