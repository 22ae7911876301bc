// The shared pieces of the wv2.* scenarios (scenario_app.h).
#include "model/webview2/scenario_app.h"

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

void PostLoad(App& app, absl::AnyInvocable<Task<>()> load) {
  sim::ModelPort(*app.k).Send(app.ui, "Form1_Load", std::move(load));
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

Scenario MakeFaulty(std::string id, std::string description, std::vector<Verdict> expected,
                    std::function<void(Kernel&)> setup, int64_t faults) {
  Scenario scenario =
      Make(std::move(id), std::move(description), std::move(expected), std::move(setup));
  scenario.params = {sim::FaultBudgetParam(faults, "process faults to inject (W12)")};
  return scenario;
}

}  // namespace wvsim::model::webview2::scenario_app
