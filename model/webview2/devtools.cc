// CallDevToolsProtocolMethodAsync (W6, W7): the browser receives the calls in the order they were
// made, but processes them in an order the scheduler chooses ("dispatched in order but may be
// processed out of order", WR), so an app that needs one call's effect before the next must await
// the first. The model understands two methods, enough for that dependence:
//   Emulation.setUserAgentOverride {"userAgent": "..."}  -> {}
//   Runtime.evaluate {"expression": "navigator.userAgent"} -> {"result":{"type":"string",...}}
// Any other method fails with E_FAIL (the runtime's error code for a protocol error is
// unconfirmed).
#include <string_view>

#include "absl/strings/str_cat.h"
#include "model/webview2/core_webview2.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

// The Edge user agent a WebView reports before any override.
constexpr char kDefaultUserAgent[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0";

namespace internal {

// One call as the browser received it (BrowserProcess::devtools_inbox).
struct DevToolsCall {
  WebViewRecord* webview = nullptr;
  std::string method;
  std::string params;
  sim::Promise<std::string> done;
};

}  // namespace internal

using internal::BrowserProcess;
using internal::Core;
using internal::DevToolsCall;
using sim::Task;
using sim::Thread;

namespace {

// The string value of "key" in a flat JSON object; empty when absent. Enough for the params the
// model understands (no escapes inside the values).
std::string JsonStringField(std::string_view json, std::string_view key) {
  std::string quoted(1, '"');  // appended, not `"\"" + key`: g++ 12 warns falsely (-Wrestrict)
  quoted.append(key);
  quoted.push_back('"');
  const size_t at = json.find(quoted);
  if (at == std::string_view::npos) return {};
  const size_t open = json.find('"', json.find(':', at));
  if (open == std::string_view::npos) return {};
  const size_t close = json.find('"', open + 1);
  if (close == std::string_view::npos) return {};
  return std::string(json.substr(open + 1, close - open - 1));
}

void ProcessCall(Core& core, DevToolsCall& call) {
  internal::WebViewRecord& webview = *call.webview;
  const Thread caller = webview.owner;
  internal::Calls& calls = core.calls;
  if (call.method == "Emulation.setUserAgentOverride") {
    webview.user_agent = JsonStringField(call.params, "userAgent");
    calls.Complete(caller, call.done, std::string("{}"));
  } else if (call.method == "Runtime.evaluate") {
    if (JsonStringField(call.params, "expression") != "navigator.userAgent") {
      calls.Complete(caller, call.done, std::string(R"({"result":{"type":"undefined"}})"));
      return;
    }
    const std::string& agent =
        webview.user_agent.empty() ? std::string(kDefaultUserAgent) : webview.user_agent;
    calls.Complete(caller, call.done,
                   absl::StrCat(R"({"result":{"type":"string","value":")", agent, R"("}})"));
  } else {
    calls.CompleteWithError(caller, call.done, kEFail, "W7: a DevTools method the model lacks");
  }
}

// One processing turn of the browser's DevTools handler: it takes any received call (W7).
Task<> BrowserProcessDevToolsCall(Core& core, BrowserProcess& browser) {
  if (browser.dead() || browser.devtools_inbox.empty()) co_return;
  const uint32_t count = static_cast<uint32_t>(browser.devtools_inbox.size());
  const uint32_t pick =
      count == 1 ? 0
                 : core.kernel.Choose(sim::ChoiceKind::kValue, count,
                                      "W7: which received DevTools call is processed next");
  DevToolsCall* call = browser.devtools_inbox[pick];
  browser.devtools_inbox.erase(browser.devtools_inbox.begin() + pick);
  ProcessCall(core, *call);
}

Task<> BrowserReceiveDevToolsCall(Core& core, DevToolsCall& call) {
  BrowserProcess& browser = call.webview->browser();
  if (browser.dead()) co_return;
  browser.devtools_inbox.push_back(&call);  // dispatched in order (W7)
  Core* self = &core;
  BrowserProcess* process = &browser;
  internal::Send(core.port, browser.thread, "DevTools processing",
                 [self, process] { return BrowserProcessDevToolsCall(*self, *process); });
}

}  // namespace

Task<Async<std::string>> CoreWebView2::CallDevToolsProtocolMethodAsync(
    std::string_view method, std::string_view params_json) {
  Core& core = *record_->core;
  sim::Kernel& k = core.kernel;
  co_await k.Yield({"CallDevToolsProtocolMethod", this});
  core.CheckCall(*record_, "CoreWebView2.CallDevToolsProtocolMethodAsync");
  BrowserProcess& browser = record_->browser();
  DevToolsCall& call = k.Make<DevToolsCall>();
  call.webview = record_;
  call.method = std::string(method);
  call.params = std::string(params_json);
  call.done = core.calls.NewOp<std::string>("CallDevToolsProtocolMethod", k.Current(), browser,
                                            browser.thread);
  Core* runtime = &core;
  DevToolsCall* sent = &call;
  internal::Send(core.port, browser.thread, "CallDevToolsProtocolMethod",
                 [runtime, sent] { return BrowserReceiveDevToolsCall(*runtime, *sent); });
  co_return Async<std::string>(&core, call.done.future());
}

}  // namespace wvsim::model::webview2
