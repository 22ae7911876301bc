// The wv2.* scenarios of event args used off their thread (docs/webview2-rules.md W3b): a
// PermissionRequested handler that hands its args to a background policy check.
#include <string>
#include <utility>
#include <vector>

#include "model/verdicts.h"
#include "model/webview2/scenario_app.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2::scenario_app {

namespace {

// ---- wv2.permission_state_set_on_worker / wv2.permission_state_marshalled (W3b, W9.4).

struct PermissionCheck {
  PermissionCheck(App* owner, DeferrableEventArgs* event_args, Deferral kept)
      : app(owner), args(event_args), deferral(std::move(kept)) {}
  App* app;
  DeferrableEventArgs* args;
  Deferral deferral;
};

// What the policy service answers.
constexpr PermissionState kPolicyAnswer = PermissionState::kAllow;

Task<> AnswerOnUi(PermissionCheck* check) {
  co_await check->args->state.put(kPolicyAnswer);
  check->deferral.Complete();
}

// Task.Run(() => { var allowed = policy.Check(...); ... }): the check runs on a pool thread.
Task<> CheckPolicy(PermissionCheck* check) {
  App& app = *check->app;
  co_await app.k->Yield({"ask_policy_service", nullptr});
  if (app.blocking) {
    // e.State = answer; deferral.Complete(); on the pool thread: the args belong to the UI
    // thread (W3b), like the deferral (W3).
    co_await check->args->state.put(kPolicyAnswer);
    check->deferral.Complete();
  } else {
    // The fix: marshal the answer back (SynchronizationContext.Post), set it there, complete.
    auto answer_on_ui = [check] { return AnswerOnUi(check); };
    co_await app.k->Post(app.ui, "AnswerPermission", std::move(answer_on_ui));
  }
}

Task<> OnPermissionForPolicy(App& app, DeferrableEventArgs& args) {
  PermissionCheck& check = app.k->Make<PermissionCheck>(&app, &args, args.GetDeferral());
  app.k->Spawn("policy", CheckPolicy(&check));
  co_return;
}

Task<> PolicyLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_DeferrableEvent(
      DeferrableEvent::kPermissionRequested,
      [&app](DeferrableEventArgs& args) { return OnPermissionForPolicy(app, args); });
  co_await app.webview->Navigate(kHome);
}

void PolicySetup(Kernel& k, bool on_worker) {
  App& app = MakeApp(k);
  app.blocking = on_worker;
  app.rt->world().AddPage(
      kHome, Page{.title = "Example", .events = {DeferrableEvent::kPermissionRequested}});
  PostLoad(app, [&app] { return PolicyLoad(app); });
}

}  // namespace

std::vector<sim::Scenario> AffinityScenarios() {
  const std::vector<sim::Verdict> clean = {sim::Verdict::kClean};
  return {
      Make("wv2.permission_state_set_on_worker",
           "W3b: a background policy check sets PermissionRequested's State on its own thread",
           {WebViewVerdict::kWrongThread}, [](Kernel& k) { PolicySetup(k, true); }),
      Make("wv2.permission_state_marshalled",
           "W3b: the policy check posts the answer to the UI thread, which sets State there", clean,
           [](Kernel& k) { PolicySetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
