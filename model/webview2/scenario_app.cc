// The shared pieces of the wv2.* scenarios (scenario_app.h).
#include "model/webview2/scenario_app.h"

#include <utility>

#include "sim/model_port.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

Task<> UiMain(App& app) {
  app.rt->CoInitializeEx(Apartment::kSta);
  co_await app.k->RunMessageLoop();
}

Task<> EnsureCoreWebView2(App& app) {
  EnvironmentOptions options;
  co_await EnsureCoreWebView2With(app, std::move(options));
}

Task<> EnsureCoreWebView2With(App& app, EnvironmentOptions options) {
  Async<Environment*> env_op =
      co_await app.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  app.env = co_await env_op;
  Async<Controller*> controller_op = co_await app.env->CreateCoreWebView2ControllerAsync();
  app.controller = co_await controller_op;
  app.webview = &app.controller->CoreWebView2();
}

App& MakeApp(Kernel& k) {
  App& app = k.Make<App>();
  app.k = &k;
  app.rt = &Runtime::Create(k);
  app.rt->world().AddPage(kHome, Page{.title = "Example"});
  app.ui = k.Spawn("ui", UiMain(app), {.message_queue = true});
  return app;
}

namespace {

// Form1_Resize, as the WebView2 WinForms control handles it: the WebView follows the form's
// client area (the controller's Bounds, on the UI thread, W3). Before EnsureCoreWebView2 the
// form has no WebView to lay out.
Task<> FormResized(App& app, int width) {
  app.width = width;
  if (app.controller == nullptr) co_return;
  const Controller::Rect client_area{.right = width, .bottom = 600};  // named: g++ 12, kernel.h
  co_await app.controller->put_Bounds(client_area);
}

// The user drags the form's edge while the app runs: each step of the drag is a WM_SIZE in the
// UI thread's queue, posted when the scheduler lets the user act, so that the app's handlers,
// its own posted work and the WebView's events see the resize at any point between them.
Task<> UserResizesForm(App& app) {
  for (int width = 900; width <= 1000; width += 100) {
    auto resized = [&app, width] { return FormResized(app, width); };
    co_await app.k->Post(app.ui, "WM_SIZE", std::move(resized));
  }
  for (int answered = 0; answered < app.dialogs_to_answer; ++answered) {
    // The user takes a second to read the dialog: by then the app has done what it does at once.
    co_await app.rt->world().AnswerScriptDialog(/*accept=*/true, {}, /*reading_ticks=*/1000);
  }
}

}  // namespace

void PostLoad(App& app, absl::AnyInvocable<Task<>()> load) {
  absl::AnyInvocable<Task<>()>& kept = app.k->Make<absl::AnyInvocable<Task<>()>>(std::move(load));
  // Form1_Load: the form is shown once Load's synchronous part returns, so from then on the user
  // can act. Spawned as the handler is called, just before its task starts: the same order as a
  // coroutine that spawns and then awaits `load`, without that coroutine's frame in every run.
  sim::ModelPort(*app.k).Send(app.ui, "Form1_Load", [&app, &kept] {
    app.k->Spawn("user", UserResizesForm(app));
    return kept();
  });
}

Task<> ReadIntoTitle(App& app, const char* script) {
  Async<std::string> op = co_await app.webview->ExecuteScriptAsync(script);
  if (app.blocking) {
    app.title = co_await app.rt->Result(op);  // .Result: the UI thread stops pumping (W5)
  } else {
    app.title = co_await op;
  }
}

Task<> AwaitOrGiveUp(App& app, Async<std::string> script, const char* not_responding,
                     const char* failed) {
  try {
    Async<void> timeout = app.rt->Delay(2000);
    Async<size_t> first = app.rt->WhenAny(script, timeout);
    const size_t winner = co_await first;
    if (winner == 0) {
      app.title = co_await script;
    } else {
      app.title = not_responding;
    }
  } catch (const ComException&) {
    app.title = failed;  // W15: E_FAIL in the completion
  }
}

Scenario Make(std::string id, std::string description, std::vector<Verdict> expected,
              std::function<void(Kernel&)> setup) {
  return Scenario{.id = std::move(id),
                  .description = std::move(description),
                  .expected = std::move(expected),
                  .model_version = kWebView2ModelVersion,
                  .setup = std::move(setup)};
}

Scenario WithScriptDuringAlertParam(Scenario scenario) {
  scenario.params.push_back({std::string(kScriptDuringAlertParam), 0,
                             "1: an app's ExecuteScript runs during a page's open dialog instead "
                             "of behind it (unconfirmed)",
                             0, 1});
  return scenario;
}

Scenario MakeFaulty(std::string id, std::string description, std::vector<Verdict> expected,
                    std::function<void(Kernel&)> setup, int64_t faults) {
  Scenario scenario =
      Make(std::move(id), std::move(description), std::move(expected), std::move(setup));
  scenario.params = {sim::FaultBudgetParam(faults, "process faults to inject (W12)")};
  return scenario;
}

}  // namespace wvsim::model::webview2::scenario_app
