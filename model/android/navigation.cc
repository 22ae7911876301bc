// Navigations the page starts and loads that fail, and visual state callbacks (A25..A27):
// WebViewClient.shouldOverrideUrlLoading on the UI thread for a navigation the page starts (never
// for the app's own loadUrl), WebViewClient.onReceivedError on the UI thread before the error
// page finishes, and WebView.postVisualStateCallback, whose callback comes on the UI thread after
// the page did what was queued on its JavaScript thread before the call.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/android/renderer.h"
#include "model/android/webview.h"
#include "sim/assert.h"

namespace wvsim::model::android {

using sim::Task;

// ---- A25: the page navigates; the app may take the navigation over on the UI thread.

Task<bool> Renderer::Navigate(PageStep step) {
  AndroidRuntime& runtime = *runtime_;
  WVSIM_ASSERT(runtime.ui_looper() != nullptr);
  Log(absl::StrCat("location = ", step.text));
  WebView* view = view_;
  const uint64_t load = load_;
  Runnable ask = [view, url = std::move(step.text), load] {
    return WebView::NavigateFromPage(view, url, load);
  };
  co_await runtime.kernel().Post(runtime.ui_looper()->thread(), "shouldOverrideUrlLoading",
                                 std::move(ask));
  co_return true;  // the script goes on; the navigation happens later, if at all
}

Task<> WebView::NavigateFromPage(WebView* view, std::string url, uint64_t load) {
  if (load != view->loads_ || view->destroyed_) co_return;  // the page that asked is gone
  AndroidRuntime& runtime = *view->runtime_;
  if (view->client_ != nullptr) {
    runtime.BeginCallback(*runtime.ui_looper(), "WebViewClient.shouldOverrideUrlLoading");
    WebResourceRequest request{.url = url};
    const bool taken_over = co_await view->client_->ShouldOverrideUrlLoading(*view, request);
    runtime.EndCallback();
    if (taken_over) co_return;
  }
  co_await LoadOnUi(view, std::move(url), /*push_history=*/true);
}

// ---- A26: a load that fails reports onReceivedError, then the error page finishes.

Task<> WebView::FailLoad(WebView* view, std::string url, uint64_t load, WebResourceError error) {
  if (load != view->loads_) co_return;
  AndroidRuntime& runtime = *view->runtime_;
  if (view->client_ != nullptr) {
    runtime.BeginCallback(*runtime.ui_looper(), "WebViewClient.onReceivedError");
    WebResourceRequest request{.url = url};
    co_await view->client_->OnReceivedError(*view, std::move(request), std::move(error));
    runtime.EndCallback();
  }
  std::string title = url;  // Chromium's error page is titled with the URL
  co_await PageFinished(view, std::move(url), std::move(title), load);
}

// ---- A27: postVisualStateCallback, ordered behind the page's queued work.

Task<> WebView::PostVisualStateCallback(uint64_t request_id, VisualStateCallback* callback) {
  co_await Enter("postVisualStateCallback");
  WebView* self = this;
  Runnable task = [self, request_id, callback] {
    return self->renderer_->InsertVisualStateCallback(request_id, callback);
  };
  co_await RunOrQueue("postVisualStateCallback", std::move(task));
}

Task<> Renderer::InsertVisualStateCallback(uint64_t request_id, VisualStateCallback* callback) {
  if (gone_) co_return;  // A16: no page to draw
  Renderer* self = this;
  Runnable run = [self, request_id, callback] {
    return RunVisualState(self, request_id, callback);
  };
  const sim::Thread js = JsThread();
  co_await runtime_->kernel().Post(js, "visual state", std::move(run));
}

Task<> Renderer::RunVisualState(Renderer* self, uint64_t request_id,
                                VisualStateCallback* callback) {
  if (self->gone_) co_return;
  WebView* view = self->view_;
  AndroidRuntime& runtime = *self->runtime_;
  WVSIM_ASSERT(runtime.ui_looper() != nullptr);
  Runnable deliver = [view, request_id, callback] {
    return WebView::DeliverVisualState(view, request_id, callback);
  };
  co_await runtime.kernel().Post(runtime.ui_looper()->thread(), "VisualStateCallback",
                                 std::move(deliver));
}

Task<> WebView::DeliverVisualState(WebView* view, uint64_t request_id,
                                   VisualStateCallback* callback) {
  AndroidRuntime& runtime = *view->runtime_;
  runtime.BeginCallback(*runtime.ui_looper(), "VisualStateCallback.onComplete");
  co_await callback->OnComplete(request_id);
  runtime.EndCallback();
}

}  // namespace wvsim::model::android
