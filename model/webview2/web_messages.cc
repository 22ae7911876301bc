// Web messages (WR: PostWebMessageAsString, PostWebMessageAsJson, WebMessageReceived): the host
// posts to the document that is current when it calls; the browser forwards the message to that
// document's renderer, which drops it when the document is gone by then (navigated away, or
// never loaded: about:blank listens to nothing). A page with echoes_web_messages answers through
// window.chrome.webview.postMessage, which arrives as WebMessageReceived on the UI thread (W2).
#include "absl/strings/str_cat.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2 {

namespace {

struct WebMessage {
  std::string document;  // the document current at the call
  std::string text;
  bool is_json = false;
};

void Dropped(Runtime& rt, const WebMessage& message, const char* why) {
  if (rt.kernel().traced()) {
    rt.kernel().Log(absl::StrCat("web message for ", message.document, " dropped: ", why));
  }
}

Task<> RendererDeliverWebMessage(Runtime& rt, CoreWebView2& webview, const WebMessage& message,
                                 RendererProcess& renderer) {
  if (!renderer.responsive() || webview.closed()) co_return;  // W12, W14
  if (webview.document() != message.document) {
    Dropped(rt, message, "the document it was posted to is gone");
    co_return;
  }
  const Page* page = rt.FindPage(webview.document());
  if (page == nullptr || !page->echoes_web_messages) co_return;  // nobody listens
  rt.RaiseWebMessage(webview, message.text, message.is_json);
}

Task<> BrowserForwardWebMessage(Runtime& rt, CoreWebView2& webview, const WebMessage& message) {
  if (webview.environment().browser().dead()) co_return;
  RendererProcess* renderer = webview.renderer();
  if (renderer == nullptr) {
    Dropped(rt, message, "no document is loaded");
    co_return;
  }
  rt.SendToRenderer(*renderer, "web message", [&rt, &webview, &message, renderer] {
    return RendererDeliverWebMessage(rt, webview, message, *renderer);
  });
}

}  // namespace

Task<> CoreWebView2::PostWebMessageAsString(std::string_view message) {
  co_await runtime_->kernel().Yield({"PostWebMessageAsString", this});
  runtime_->PostWebMessage(*this, "CoreWebView2.PostWebMessageAsString", message, false);
}

Task<> CoreWebView2::PostWebMessageAsJson(std::string_view json) {
  co_await runtime_->kernel().Yield({"PostWebMessageAsJson", this});
  runtime_->PostWebMessage(*this, "CoreWebView2.PostWebMessageAsJson", json, true);
}

void Runtime::PostWebMessage(CoreWebView2& webview, const char* api, std::string_view message,
                             bool is_json) {
  CheckThread(webview.owner(), webview, api, "W3");
  CheckAlive(webview, api);
  const WebMessage* kept = &kernel_.Make<WebMessage>(
      WebMessage{std::string(webview.document()), std::string(message), is_json});
  Runtime* rt = this;
  CoreWebView2* target = &webview;
  Send(webview.environment().browser().thread, "PostWebMessage",
       [rt, target, kept] { return BrowserForwardWebMessage(*rt, *target, *kept); });
}

void Runtime::RaiseWebMessage(CoreWebView2& webview, const std::string& message, bool is_json) {
  if (webview.web_message_received_.empty()) return;
  auto& args = NewEventArgs<WebMessageReceivedEventArgs>(webview, "WebMessageReceived", "", "W2");
  args.message = message;
  args.is_json = is_json;
  args.source_uri = webview.document();
  RaiseEvent(args, webview.web_message_received_);
}

const std::string& WebMessageReceivedEventArgs::TryGetWebMessageAsString() const {
  if (is_json) {
    throw ComException(kEInvalidArg,
                       "WebMessageReceivedEventArgs.TryGetWebMessageAsString of a "
                       "JSON message");
  }
  return message;
}

std::string WebMessageReceivedEventArgs::WebMessageAsJson() const {
  if (is_json) return message;
  std::string json = "\"";
  for (const char c : message) {
    if (c == '"' || c == '\\') json += '\\';
    json += c;
  }
  return json + "\"";
}

}  // namespace wvsim::model::webview2
