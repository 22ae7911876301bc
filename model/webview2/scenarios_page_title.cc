// The wv2.* scenarios about a page that changes its title on a timer (W2): the page's
// setTimeout script sets document.title at a time the app does not control, and
// DocumentTitleChanged tells the app on the UI thread. The buggy app reads DocumentTitle once,
// when NavigationCompleted arrives, as if the page had already set it; its twin updates its
// caption from DocumentTitleChanged. The timer's moment is a scheduler choice, so the page adds
// UI-thread dispatch orders of its own to the user's resizes.
#include <string>

#include "model/webview2/runtime.h"
#include "model/webview2/scenario_app.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

constexpr char kInboxTitle[] = "Inbox (1)";

Task<> UpdateCaption(App& app) { app.title = co_await app.webview->get_DocumentTitle(); }

Task<> OnTitleChanged(App& app, DocumentTitleChangedEventArgs& args) {
  (void)args;
  co_await UpdateCaption(app);
}

Task<> OnInboxLoaded(App& app, NavigationEventArgs& args) {
  (void)args;
  // The bug: the page sets its title on a timer that may not have fired yet.
  co_await app.rt->Post(app.ui, "UpdateCaption", [&app] { return UpdateCaption(app); });
}

Task<> InboxLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  if (app.blocking) {
    co_await app.webview->add_NavigationCompleted(
        [&app](NavigationEventArgs& args) { return OnInboxLoaded(app, args); });
  } else {
    co_await app.webview->add_DocumentTitleChanged(
        [&app](DocumentTitleChangedEventArgs& args) { return OnTitleChanged(app, args); });
  }
  co_await app.webview->Navigate(kHome);
}

void InboxSetup(Kernel& k, bool reads_once) {
  App& app = MakeApp(k);
  app.blocking = reads_once;
  Page home{.title = "Example"};
  // window.onload = () => setTimeout(() => document.title = "Inbox (1)"): the unread count
  // arrives a moment after the load.
  home.scripts.push_back(Page::Script::OnTimer().SetTitle(kInboxTitle));
  app.rt->world().AddPage(kHome, std::move(home));
  PostLoad(app, [&app] { return InboxLoad(app); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    if (app.title == kInboxTitle) return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "caption",
                          "W2: the form's caption is '" + app.title + "', the page's title '" +
                              std::string(kInboxTitle) +
                              "': the app read DocumentTitle before the page's timer set it and "
                              "never read it again (DocumentTitleChanged tells when it changes)"};
  });
}

}  // namespace

std::vector<Scenario> PageTitleScenarios() {
  return {
      Make("wv2.title_read_before_timer",
           "W2: the page sets document.title on a timer; the app reads DocumentTitle once, "
           "after NavigationCompleted",
           {Verdict::kAssertion}, [](Kernel& k) { InboxSetup(k, true); }),
      Make("wv2.title_from_title_changed",
           "W2: the same app updates its caption in DocumentTitleChanged", {Verdict::kClean},
           [](Kernel& k) { InboxSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
