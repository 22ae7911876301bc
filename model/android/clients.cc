#include "model/android/clients.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "model/android/renderer.h"
#include "model/android/runtime.h"
#include "sim/assert.h"

namespace wvsim::model::android {

using sim::Task;

// ---- Default client callbacks: what android.webkit's base classes do.

Task<> WebViewClient::OnPageStarted(WebView&, std::string) { co_return; }
Task<> WebViewClient::OnPageFinished(WebView&, std::string) { co_return; }
Task<std::optional<WebResourceResponse>> WebViewClient::ShouldInterceptRequest(WebView&,
                                                                               WebResourceRequest) {
  co_return std::nullopt;  // load it from the network
}
Task<bool> WebViewClient::OnRenderProcessGone(WebView&, RenderProcessGoneDetail) {
  co_return false;  // not handled: the app process dies with the renderer (A16)
}

Task<bool> WebViewClient::ShouldOverrideUrlLoading(WebView&, WebResourceRequest) {
  co_return false;  // the WebView loads it
}
Task<> WebViewClient::OnReceivedError(WebView&, WebResourceRequest, WebResourceError) { co_return; }

Task<> WebChromeClient::OnReceivedTitle(WebView&, std::string) { co_return; }
Task<bool> WebChromeClient::OnJsAlert(WebView&, std::string, std::string, JsResult&) {
  co_return false;
}
Task<bool> WebChromeClient::OnJsConfirm(WebView&, std::string, std::string, JsResult&) {
  co_return false;
}
Task<bool> WebChromeClient::OnJsPrompt(WebView&, std::string, std::string, std::string,
                                       JsPromptResult&) {
  co_return false;
}

Task<> WebChromeClient::OnPermissionRequest(WebView&, PermissionRequest& request) {
  co_await request.Deny();  // WebChromeClient's default: the permission is denied (A22)
}

// ---- JsResult (A15).

JsResult::JsResult(AndroidRuntime& runtime, std::string name, sim::Promise<JsAnswer> answer)
    : sim::Object(std::move(name)), runtime_(&runtime), answer_(answer) {}

Task<> JsResult::Confirm() {
  JsAnswer answer{.confirmed = true};
  co_await Answer(std::move(answer));
}
Task<> JsResult::Cancel() {
  JsAnswer answer{.confirmed = false};
  co_await Answer(std::move(answer));
}
Task<> JsPromptResult::Confirm(std::string value) {
  JsAnswer answer{.confirmed = true, .value = std::move(value)};
  co_await Answer(std::move(answer));
}

Task<> JsResult::Answer(JsAnswer answer) {
  if (runtime_->OnUiThread()) {
    co_await runtime_->kernel().Yield({"JsResult.answer", this});
    co_await AnswerOnUi(this, std::move(answer));
    co_return;
  }
  // JsResultHandler: an answer from another thread is posted to the UI thread first.
  WVSIM_ASSERT(runtime_->ui_looper() != nullptr);
  JsResult* self = this;
  Runnable deliver = [self, answer = std::move(answer)] { return AnswerOnUi(self, answer); };
  co_await runtime_->kernel().Post(runtime_->ui_looper()->thread(), "JsResult answer",
                                   std::move(deliver));
}

Task<> JsResult::AnswerOnUi(JsResult* result, JsAnswer answer) {
  if (result->answer_.done()) {
    // Answered before, or the page stopped waiting (its renderer died, A16).
    result->runtime_->Warn(absl::StrCat(result->name(), " was answered again: ignored [A15]"));
    co_return;
  }
  result->answer_.Set(std::move(answer));
}

// ---- PermissionRequest (A22).

// AwPermissionRequest's texts.
constexpr const char* kPermissionOffUiText =
    "Either grant() or deny() should be called on UI thread";
constexpr const char* kPermissionTwiceText = "Either grant() or deny() has been already called.";

PermissionRequest::PermissionRequest(AndroidRuntime& runtime, Renderer& page, std::string resource,
                                     uint64_t load)
    : sim::Object(absl::StrCat("PermissionRequest#", runtime.NextId(), "(", resource, ")")),
      runtime_(&runtime),
      page_(&page),
      resource_(std::move(resource)),
      load_(load) {}

Task<> PermissionRequest::Grant() { co_await Answer(/*granted=*/true, "grant"); }
Task<> PermissionRequest::Deny() { co_await Answer(/*granted=*/false, "deny"); }

Task<> PermissionRequest::Answer(bool granted, const char* method) {
  co_await runtime_->kernel().Yield({method, this});
  // AwPermissionRequest.validate: the UI thread, and only once.
  if (!runtime_->OnUiThread()) throw IllegalStateException(kPermissionOffUiText, "A22");
  if (answered_) throw IllegalStateException(kPermissionTwiceText, "A22");
  answered_ = true;
  co_await page_->PermissionAnswered(resource_, granted, load_);
}

}  // namespace wvsim::model::android
