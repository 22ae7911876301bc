// Web messages (WR: PostWebMessageAsString, PostWebMessageAsJson, WebMessageReceived): the host
// posts to the document that is current when it calls; the browser forwards the message to that
// document's renderer, which drops it when the document is gone by then (navigated away, or
// never loaded: about:blank listens to nothing). On the page's JavaScript thread, a page with
// echoes_web_messages answers through window.chrome.webview.postMessage, which arrives as
// WebMessageReceived on the UI thread (W2), and its Page::Script::OnWebMessage scripts run
// (internal/page_scripts.cc).
#include "absl/strings/str_cat.h"
#include "model/webview2/core_webview2.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::Core;
using internal::RendererProcess;
using internal::WebViewRecord;
using sim::Task;

namespace {

struct WebMessage {
  std::string document;  // the document current at the call
  std::string text;
  bool is_json = false;
};

void Dropped(Core& core, const WebMessage& message, const char* why) {
  if (core.kernel.traced()) {
    core.kernel.Log(absl::StrCat("web message for ", message.document, " dropped: ", why));
  }
}

Task<> RendererDeliverWebMessage(Core& core, WebViewRecord& webview, const WebMessage& message,
                                 RendererProcess& renderer) {
  if (!renderer.responsive() || webview.closed) co_return;  // W12, W14
  if (std::string_view(webview.document) != message.document) {
    Dropped(core, message, "the document it was posted to is gone");
    co_return;
  }
  // The page's listeners run on its JavaScript thread, behind a script that holds it (W9.3).
  Core* self = &core;
  WebViewRecord* target = &webview;
  const WebMessage* kept = &message;
  core.pages.RunJs(renderer, [self, target, kept] {
    self->pages.DeliverWebMessage(*target, kept->text, kept->is_json);
  });
  co_return;
}

Task<> BrowserForwardWebMessage(Core& core, WebViewRecord& webview, const WebMessage& message) {
  if (webview.browser().dead()) co_return;
  RendererProcess* renderer = webview.renderer;
  if (renderer == nullptr) {
    Dropped(core, message, "no document is loaded");
    co_return;
  }
  Core* self = &core;
  WebViewRecord* target = &webview;
  const WebMessage* kept = &message;
  core.processes.SendToRenderer(*renderer, "web message", [self, target, kept, renderer] {
    return RendererDeliverWebMessage(*self, *target, *kept, *renderer);
  });
}

// Host -> page, after the caller's scheduling point.
void PostWebMessage(WebViewRecord& webview, const char* api, std::string_view message,
                    bool is_json) {
  Core& core = *webview.core;
  core.CheckCall(webview, api);
  const WebMessage* kept = &core.kernel.Make<WebMessage>(
      WebMessage{std::string(std::string_view(webview.document)), std::string(message), is_json});
  Core* runtime = &core;
  WebViewRecord* target = &webview;
  internal::Send(core.port, webview.browser().thread, "PostWebMessage", [runtime, target, kept] {
    return BrowserForwardWebMessage(*runtime, *target, *kept);
  });
}

}  // namespace

Task<> CoreWebView2::PostWebMessageAsString(std::string_view message) {
  co_await record_->core->kernel.Yield({"PostWebMessageAsString", this});
  PostWebMessage(*record_, "CoreWebView2.PostWebMessageAsString", message, false);
}

Task<> CoreWebView2::PostWebMessageAsJson(std::string_view json) {
  co_await record_->core->kernel.Yield({"PostWebMessageAsJson", this});
  PostWebMessage(*record_, "CoreWebView2.PostWebMessageAsJson", json, true);
}

}  // namespace wvsim::model::webview2
