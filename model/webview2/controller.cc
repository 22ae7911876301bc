// Close and COM reference counting (controller.h, docs/webview2-rules.md W14).
#include "model/webview2/controller.h"

#include "absl/strings/str_cat.h"
#include "model/webview2/hresult.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::HandleAccess;
using internal::WebViewRecord;

webview2::CoreWebView2& Controller::CoreWebView2() const {
  const WebViewRecord& webview = HandleAccess::Record(*webview_);
  webview.core->CheckThread(webview.owner, *this, "CoreWebView2Controller.CoreWebView2", "W3");
  return *webview_;
}

sim::Task<> Controller::Close() {
  WebViewRecord& webview = HandleAccess::Record(*webview_);
  internal::Core& core = *webview.core;
  co_await core.kernel.Yield({"Close", this});
  core.CheckThread(webview.owner, *webview_, "CoreWebView2Controller.Close", "W3");
  core.faults.CloseController(webview);
}

sim::Task<> Controller::put_Bounds(Rect bounds) {
  WebViewRecord& webview = HandleAccess::Record(*webview_);
  internal::Core& core = *webview.core;
  co_await core.kernel.Yield({"put_Bounds", this});
  core.CheckThread(webview.owner, *this, "CoreWebView2Controller.put_Bounds", "W3");
  // W14: refused after Close. A crashed browser does not refuse it: the controller's window is
  // the app's (an assumption, docs/webview2-rules.md W14).
  if (webview.closed) {
    throw ComException(kErrorInvalidState, "CoreWebView2Controller.put_Bounds after Close (W14)");
  }
  bounds_ = bounds;
}

void Controller::Release() {
  if (references_ <= 0) throw ComException(kEFail, "Release of a released controller");
  if (--references_ > 0) return;
  WebViewRecord& webview = HandleAccess::Record(*webview_);
  sim::Kernel& kernel = webview.core->kernel;
  // W14: releasing the last reference closes implicitly, as Close would (not a scheduling point:
  // Release returns at once, like IUnknown::Release).
  if (kernel.traced() && !webview.closed) {
    kernel.Log(
        absl::StrCat("W14: the last reference to ", name(), " was released: it closes implicitly"));
  }
  webview.core->faults.CloseController(webview);
}

}  // namespace wvsim::model::webview2
