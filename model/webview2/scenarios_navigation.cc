// The navigation scenarios (W2, W9): a NavigationStarting handler that blocks a URL. The runtime
// reads Cancel when the handler returns or first suspends at an await (there is no deferral), so
// an app that looks the URL up asynchronously before it sets Cancel blocks nothing.
#include <optional>
#include <string>

#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

constexpr char kTracker[] = "https://ads.example/tracker";

// The policy service answers on a thread of its own (a network call, in the real app).
Task<> AnswerPolicy(App& app, Promise<bool> answer, bool blocked) {
  co_await app.k->Yield({"policy_lookup", nullptr});
  answer.Set(blocked);
}

// bool blocked = await policy.IsBlockedAsync(uri);
Async<bool> IsBlockedAsync(App& app, const std::string& uri) {
  Promise<bool> answer = app.k->MakePromise<bool>(app.k->traced() ? "IsBlockedAsync(" + uri + ")"
                                                                  : std::string("IsBlockedAsync"));
  app.k->Spawn("policy", AnswerPolicy(app, answer, uri == kTracker));
  return app.rt->AsAsync(answer.future());
}

Task<> OnNavigationStartingPolicy(App& app, NavigationStartingEventArgs& args) {
  if (app.blocking) {
    // args.Cancel = await policy.IsBlockedAsync(args.Uri): the await is where the runtime read
    // Cancel (still false); the assignment comes too late (W9).
    const std::string uri = co_await args.uri.get();
    Async<bool> lookup = IsBlockedAsync(app, uri);
    const bool blocked = co_await lookup;
    co_await args.cancel.put(blocked);
  } else {
    // The fix: decide from the cached blocklist before any await, then refresh the cache.
    const std::string uri = co_await args.uri.get();
    co_await args.cancel.put(uri == kTracker);
    Async<bool> refresh = IsBlockedAsync(app, uri);
    co_await refresh;
  }
}

Task<> ClickAdLink(App& app) { co_await app.webview->Navigate(kTracker); }

Task<> OnPolicyNavigationCompleted(App& app, NavigationEventArgs& args) {
  const std::string uri = co_await args.uri.get();
  if (uri != kTracker) {
    // The home page loaded; the user clicks the ad on it.
    co_await app.rt->Post(app.ui, "adLink_Click", [&app] { return ClickAdLink(app); });
    co_return;
  }
  ++app.events;
  const bool loaded = co_await args.is_success.get();
  if (loaded) {
    co_await app.k->Abort(Verdict::kAssertion, "blocked page loaded",
                          "W9: the NavigationStarting handler set Cancel for " +
                              std::string(kTracker) +
                              " after an await; the runtime had read Cancel at that await "
                              "(NavigationStarting has no deferral), so the blocked page loaded");
  }
}

Task<> PolicyLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_NavigationStarting(
      [&app](NavigationStartingEventArgs& args) { return OnNavigationStartingPolicy(app, args); });
  co_await app.webview->add_NavigationCompleted(
      [&app](NavigationEventArgs& args) { return OnPolicyNavigationCompleted(app, args); });
  co_await app.webview->Navigate(kHome);
}

void PolicySetup(Kernel& k, bool after_await) {
  App& app = MakeApp(k);
  app.blocking = after_await;
  app.rt->world().AddPage(kTracker, Page{.title = "Ad"});
  PostLoad(app, [&app] { return PolicyLoad(app); });
  // The blocked navigation must still end with NavigationCompleted (IsSuccess false, W9).
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    if (app.events == 1) return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "NavigationCompleted",
                          "the navigation to the blocked page ended with " +
                              std::to_string(app.events) + " NavigationCompleted events (W2, W9)"};
  });
}

}  // namespace

std::vector<Scenario> NavigationScenarios() {
  return {
      Make("wv2.navigation_cancel_after_await",
           "W9: NavigationStarting awaits a policy lookup, then sets Cancel; the page loads anyway",
           {Verdict::kAssertion}, [](Kernel& k) { PolicySetup(k, true); }),
      Make("wv2.navigation_cancel_synchronous",
           "W9: the same handler sets Cancel before its first await; the page does not load",
           {Verdict::kClean}, [](Kernel& k) { PolicySetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
