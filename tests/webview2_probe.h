// What the WebView2 model's tests share (webview2_rules_test.cc, webview2_navigation_test.cc):
// built-in scenarios explored with the portfolio, and a Probe: a small app with a pumping STA UI
// thread whose first message runs a test's own load function against the model.
#ifndef WVSIM_TESTS_WEBVIEW2_PROBE_H_
#define WVSIM_TESTS_WEBVIEW2_PROBE_H_

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "model/builtin_scenarios.h"
#include "model/webview2/runtime.h"
#include "sim/explorer.h"
#include "sim/model_port.h"
#include "sim/runner.h"
#include "sim/strategies/random.h"

namespace wvsim::model::webview2 {

inline const sim::Scenario& Builtin(std::string_view id) {
  model::RegisterBuiltinScenarios();
  const sim::Scenario* scenario = sim::ScenarioRegistry::Global().Find(id);
  if (scenario == nullptr) {
    ADD_FAILURE() << "no scenario " << id;
    static const sim::Scenario empty;
    return empty;
  }
  return *scenario;
}

inline sim::ExploreResult ExploreScenario(std::string_view id, uint64_t iterations = 3000,
                                          bool keep_going = false) {
  sim::ExploreConfig config;
  config.strategy = "portfolio";
  config.iterations = iterations;
  config.keep_going = keep_going;
  absl::StatusOr<sim::ExploreResult> result = sim::Explore(Builtin(id), config);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : sim::ExploreResult{};
}

// Runs `scenario` `runs` times with random walks (seed `seed`), traced; every run must end
// clean. Returns, for each marker, in how many runs' traces it appears: for tests that a
// scheduler choice really reaches each of its outcomes.
inline std::vector<int> CleanRunsMentioning(const sim::Scenario& scenario,
                                            const sim::ParamValues& params, uint64_t seed,
                                            uint64_t runs,
                                            const std::vector<std::string>& markers) {
  sim::Runner runner(scenario, params);
  sim::RandomStrategy random(seed);
  std::vector<int> counts(markers.size(), 0);
  for (uint64_t run = 0; run < runs; ++run) {
    random.BeginExecution(run);
    const sim::RunOutcome outcome = runner.Run(random, /*traced=*/true);
    EXPECT_EQ(outcome.violation.kind, sim::Verdict::kClean) << outcome.violation.report;
    if (outcome.violation.kind != sim::Verdict::kClean) break;
    const std::string trace = runner.kernel().TraceText();
    for (size_t i = 0; i < markers.size(); ++i) {
      if (trace.find(markers[i]) != std::string::npos) ++counts[i];
    }
  }
  return counts;
}

// The first violation's report, for assertions on its text.
inline std::string Report(const sim::ExploreResult& result) {
  return result.found.empty() ? std::string() : result.found[0].violation.report;
}

inline void ExpectClean(std::string_view id, uint64_t iterations = 3000) {
  const sim::ExploreResult result = ExploreScenario(id, iterations);
  EXPECT_EQ(result.verdict, sim::Verdict::kClean) << id << ": " << Report(result);
  EXPECT_EQ(result.executions, iterations);
}

// ---- Small programs against the model.

inline constexpr char kPage[] = "https://app.example/index.html";

struct Probe {
  Kernel* k = nullptr;
  Runtime* rt = nullptr;
  Thread ui;
  Environment* env = nullptr;
  Controller* controller = nullptr;
  CoreWebView2* webview = nullptr;
  std::vector<std::string>* log = nullptr;
  HRESULT* hr = nullptr;
  int mode = 0;
};

inline Task<> ProbeUi(Probe& p) {
  p.rt->CoInitializeEx(Apartment::kSta);
  co_await p.k->RunMessageLoop();
}

inline Task<> ProbeCreate(Probe& p) {
  EnvironmentOptions options;
  Async<Environment*> env_op =
      co_await p.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  p.env = co_await env_op;
  Async<Controller*> controller_op = co_await p.env->CreateCoreWebView2ControllerAsync();
  p.controller = co_await controller_op;
  p.webview = &p.controller->CoreWebView2();
}

// W9.3: turns the default script dialogs off, so that the page's dialogs raise
// ScriptDialogOpening (for the documents loaded from now on).
inline Task<> ProbeDisableDefaultDialogs(Probe& p) {
  CoreWebView2Settings* settings = co_await p.webview->get_Settings();
  co_await settings->put_AreDefaultScriptDialogsEnabled(false);
}

// Makes a Probe with a pumping STA UI thread that runs `load` as its first message.
template <typename Load>
Probe& MakeProbe(Kernel& k, std::vector<std::string>* log, Load load) {
  Probe& p = k.Make<Probe>();
  p.k = &k;
  p.rt = &Runtime::Create(k);
  p.log = log;
  p.ui = k.Spawn("ui", ProbeUi(p), {.message_queue = true});
  Probe* probe = &p;
  sim::ModelPort(*p.k).Send(p.ui, "Load", [probe, load] { return load(*probe); });
  return p;
}

}  // namespace wvsim::model::webview2

#endif  // WVSIM_TESTS_WEBVIEW2_PROBE_H_
