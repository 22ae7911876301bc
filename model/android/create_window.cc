// window.open and WebChromeClient.onCreateWindow (A28): the page's JavaScript thread asks the UI
// thread; the app that hosts the popup sets a new WebView on the resultMsg's WebViewTransport and
// sends the message, now or later, from any thread; when it arrives on the UI thread, the glue
// (WebViewContentsClientAdapter) checks that WebView and hands it the popup's contents.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/android/renderer.h"
#include "model/android/webview.h"
#include "sim/assert.h"

namespace wvsim::model::android {

using sim::Task;

namespace {

JavaException IllegalArgumentException(std::string message) {
  return JavaException("java.lang.IllegalArgumentException", std::move(message), "A28");
}

}  // namespace

Task<bool> WebChromeClient::OnCreateWindow(WebView&, bool, bool, CreateWindowMessage&) {
  co_return false;  // no window
}

Task<bool> Renderer::OpenWindow(PageStep step) {
  AndroidRuntime& runtime = *runtime_;
  WVSIM_ASSERT(runtime.ui_looper() != nullptr);
  Log(absl::StrCat("window.open(", step.text, ")"));
  WebView* view = view_;
  const uint64_t load = load_;
  Runnable ask = [view, url = std::move(step.text), load] {
    return WebView::CreateWindowOnUi(view, url, load);
  };
  co_await runtime.kernel().Post(runtime.ui_looper()->thread(), "onCreateWindow", std::move(ask));
  co_return true;  // the script goes on
}

Task<> WebView::CreateWindowOnUi(WebView* view, std::string url, uint64_t load) {
  if (load != view->loads_ || view->destroyed_ || view->chrome_client_ == nullptr) co_return;
  AndroidRuntime& runtime = *view->runtime_;
  auto& message = runtime.kernel().Make<CreateWindowMessage>(runtime, *view, std::move(url));
  runtime.BeginCallback(*runtime.ui_looper(), "WebChromeClient.onCreateWindow");
  co_await view->chrome_client_->OnCreateWindow(*view, /*is_dialog=*/false,
                                                /*is_user_gesture=*/true, message);
  runtime.EndCallback();
}

CreateWindowMessage::CreateWindowMessage(AndroidRuntime& runtime, WebView& parent, std::string url)
    : sim::Object(absl::StrCat("resultMsg#", runtime.NextId(), " of ", parent.name())),
      runtime_(&runtime),
      parent_(&parent),
      url_(std::move(url)) {}

Task<> CreateWindowMessage::SendToTarget() {
  WVSIM_ASSERT(runtime_->ui_looper() != nullptr);
  CreateWindowMessage* self = this;
  Runnable arrive = [self] { return Arrive(self); };
  co_await runtime_->kernel().Post(runtime_->ui_looper()->thread(), "NEW_WEBVIEW_CREATED",
                                   std::move(arrive));
}

Task<> CreateWindowMessage::Arrive(CreateWindowMessage* message) {
  // WebViewContentsClientAdapter's handler, on the UI thread.
  WebView* child = message->transport_;
  if (child == message->parent_) {
    throw IllegalArgumentException(
        "Parent WebView cannot host its own popup window. Please use "
        "WebSettings.setSupportMultipleWindows(false)");
  }
  if (child != nullptr && !child->history_.empty()) {
    throw IllegalArgumentException(
        "New WebView for popup window must not have been previously navigated.");
  }
  co_await WebView::CompleteWindowCreation(message->parent_, child, message->url_);
}

Task<> WebView::CompleteWindowCreation(WebView* parent, WebView* child, std::string url) {
  // WebViewChromium.completeWindowCreation: the popup's contents go to the new WebView (none: the
  // popup is dropped).
  if (child == nullptr || parent->destroyed_) co_return;
  co_await LoadOnUi(child, std::move(url), /*push_history=*/true);
}

}  // namespace wvsim::model::android
