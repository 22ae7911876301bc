// Cookies (core_webview2.h, docs/webview2-rules.md W3a): GetCookiesAsync from any thread; the
// cookie objects' properties only on the UI thread.
#include "absl/strings/str_cat.h"
#include "model/verdicts.h"
#include "model/webview2/core_webview2.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::Core;
using internal::HandleAccess;
using internal::WebViewRecord;
using sim::Promise;
using sim::Task;
using sim::Thread;

namespace {

Task<> BrowserGetCookies(Core& core, WebViewRecord& webview, Thread caller,
                         Promise<std::vector<Cookie*>> done) {
  if (webview.browser().dead()) co_return;
  Cookie& cookie = core.kernel.Make<Cookie>(&core, webview.owner, "session", ".app.example");
  core.calls.Complete(caller, done, std::vector<Cookie*>{&cookie});
  co_return;
}

void CheckCookieThread(Core& core, Thread owner, const char* property) {
  const Thread caller = core.kernel.Current();
  if (caller == owner) return;
  core.kernel.Fail(
      WebViewVerdict::kWrongThread, absl::StrCat("CoreWebView2Cookie.", property),
      absl::StrCat("W3a: CoreWebView2Cookie.", property, " read on thread ", caller.name(),
                   "; cookie objects are single-threaded and belong "
                   "to the UI thread ",
                   owner.name(),
                   " even when GetCookiesAsync ran on another thread and succeeded. "
                   "Win32: HRESULT ",
                   DescribeHresult(kUiEWrongThread),
                   " .NET: InvalidOperationException: ", kDotNetWrongThreadText));
  throw InvalidOperationException(kDotNetWrongThreadText);
}

}  // namespace

Task<Async<std::vector<Cookie*>>> CookieManager::GetCookiesAsync(std::string_view uri) {
  WebViewRecord& record = HandleAccess::Record(*webview_);
  Core& core = *record.core;
  co_await core.kernel.Yield({"GetCookies", webview_});
  (void)uri;
  // W3a: GetCookiesAsync itself succeeds from any thread and returns the cookies there.
  const Thread caller = core.kernel.Current();
  internal::BrowserProcess& browser = record.browser();
  const Promise<std::vector<Cookie*>> done =
      core.calls.NewOp<std::vector<Cookie*>>("GetCookies", caller, browser, browser.thread);
  Core* runtime = &core;
  WebViewRecord* webview = &record;
  internal::Send(core.port, browser.thread, "GetCookies", [runtime, webview, caller, done] {
    return BrowserGetCookies(*runtime, *webview, caller, done);
  });
  co_return Async<std::vector<Cookie*>>(&core, done.future());
}

const std::string& Cookie::Domain() const {
  CheckCookieThread(*core_, owner_, "Domain");
  return domain_;
}

const std::string& Cookie::Name() const {
  CheckCookieThread(*core_, owner_, "Name");
  return name_;
}

}  // namespace wvsim::model::webview2
