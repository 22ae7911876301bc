// The wv2.* scenarios about messages between the host and the page: the web message round trip
// (PostWebMessageAsString/AsJson, WebMessageReceived) and CallDevToolsProtocolMethod's ordering
// (W7: dispatched in order, processed in any order).
#include <string>

#include "absl/strings/str_cat.h"
#include "model/webview2/scenario_app.h"

namespace wvsim::model::webview2::scenario_app {

using sim::Scenario;
using sim::Verdict;

namespace {

// ---- wv2.web_message_round_trip / wv2.web_message_posted_before_load.

constexpr char kPing[] = "ping";
constexpr char kPingJson[] = R"({"n":1})";

Task<> PostBoth(App& app) {
  co_await app.webview->PostWebMessageAsString(kPing);
  co_await app.webview->PostWebMessageAsJson(kPingJson);
}

Task<> OnAnswer(App& app, WebMessageReceivedEventArgs& args) {
  // WebMessageAsJson is valid for both kinds: a string message comes as a JSON string literal.
  const std::string json = co_await args.WebMessageAsJson();
  const bool expected = json == kPingJson || json == absl::StrCat("\"", kPing, "\"");
  if (!expected) {
    co_await app.k->Abort(Verdict::kAssertion, "WebMessageReceived", "the page answered " + json);
    co_return;
  }
  ++app.events;
}

Task<> OnRoundTripNavigationCompleted(App& app, NavigationEventArgs& args) {
  (void)args;
  co_await PostBoth(app);  // the document is loaded: it listens now
}

Task<> RoundTripLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->add_WebMessageReceived(
      [&app](WebMessageReceivedEventArgs& args) { return OnAnswer(app, args); });
  if (!app.blocking) {
    co_await app.webview->add_NavigationCompleted(
        [&app](NavigationEventArgs& args) { return OnRoundTripNavigationCompleted(app, args); });
  }
  co_await app.webview->Navigate(kHome);
  // The bug: posted right after Navigate, to whichever document is current by then.
  if (app.blocking) co_await PostBoth(app);
}

void RoundTripSetup(Kernel& k, bool before_load) {
  App& app = MakeApp(k);
  app.blocking = before_load;
  app.rt->world().AddPage(kHome, Page{.title = "Example", .echoes_web_messages = true});
  PostLoad(app, [&app] { return RoundTripLoad(app); });
  k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&app]() -> std::optional<sim::Violation> {
    if (app.events == 2) return std::nullopt;
    return sim::Violation{Verdict::kAssertion, "web messages",
                          "the page answered " + std::to_string(app.events) +
                              " of the 2 web messages; a message posted before the document "
                              "loaded went to about:blank and was dropped"};
  });
}

// ---- wv2.devtools_protocol_ordering / wv2.devtools_protocol_awaited (W7).

constexpr char kAgent[] = "wvsim-kiosk/1.0";

Task<> EmulateKiosk(App& app) {
  Async<std::string> set = co_await app.webview->CallDevToolsProtocolMethodAsync(
      "Emulation.setUserAgentOverride", R"({"userAgent":"wvsim-kiosk/1.0"})");
  if (!app.blocking) co_await set;  // the fix: the override is in effect before the next call
  Async<std::string> read = co_await app.webview->CallDevToolsProtocolMethodAsync(
      "Runtime.evaluate", R"({"expression":"navigator.userAgent"})");
  const std::string result = co_await read;
  if (app.blocking) co_await set;
  if (result.find(kAgent) == std::string::npos) {
    co_await app.k->Abort(
        Verdict::kAssertion, "user agent",
        "W7: Runtime.evaluate ran before Emulation.setUserAgentOverride: " + result);
  }
}

Task<> DevToolsLoad(App& app) {
  co_await EnsureCoreWebView2(app);
  co_await app.webview->Navigate(kHome);
  co_await EmulateKiosk(app);
}

void DevToolsSetup(Kernel& k, bool unordered) {
  App& app = MakeApp(k);
  app.blocking = unordered;
  PostLoad(app, [&app] { return DevToolsLoad(app); });
}

}  // namespace

std::vector<Scenario> MessagingScenarios() {
  const Verdict clean = Verdict::kClean;
  return {
      Make("wv2.web_message_round_trip",
           "PostWebMessageAsString/AsJson after NavigationCompleted; the page answers through "
           "WebMessageReceived",
           {clean}, [](Kernel& k) { RoundTripSetup(k, false); }),
      Make("wv2.web_message_posted_before_load",
           "the same messages posted right after Navigate, before the document loaded",
           {Verdict::kAssertion}, [](Kernel& k) { RoundTripSetup(k, true); }),
      Make("wv2.devtools_protocol_ordering",
           "W7: setUserAgentOverride is not awaited before Runtime.evaluate reads the agent",
           {Verdict::kAssertion}, [](Kernel& k) { DevToolsSetup(k, true); }),
      Make("wv2.devtools_protocol_awaited",
           "W7: the override's completion is awaited before the next DevTools call", {clean},
           [](Kernel& k) { DevToolsSetup(k, false); }),
  };
}

}  // namespace wvsim::model::webview2::scenario_app
