// The app's side of android.webkit: the client classes a WebView calls (WebViewClient,
// WebChromeClient), the ValueCallback of evaluateJavascript, @JavascriptInterface objects, and
// the JsResult handles of JavaScript dialogs. Each callback runs on the thread Android runs it on
// (docs/android-rules.md): WebViewClient and WebChromeClient on Chromium's UI thread (A11) except
// shouldInterceptRequest, which runs on a background thread (A14); @JavascriptInterface methods on
// the JavaBridge thread while the page's JavaScript waits for them (A13); JS dialogs on the UI
// thread while the page waits for their JsResult (A15); onRenderProcessGone on the UI thread
// (A16); onPermissionRequest on the UI thread, answered there (A22); CookieManager's callbacks on
// the calling thread's looper (A21).
//
//   class MyChrome final : public WebChromeClient {
//     Task<bool> OnJsConfirm(WebView&, std::string, std::string, JsResult& result) override {
//       co_await result.Confirm();   // or later, from a posted task
//       co_return true;              // true: the app answers the dialog
//     }
//   };
//
// Every object here belongs to one run; nothing depends on pointer values.
#ifndef WVSIM_MODEL_ANDROID_CLIENTS_H_
#define WVSIM_MODEL_ANDROID_CLIENTS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "model/android/java.h"
#include "sim/kernel.h"

namespace wvsim::model::android {

class WebView;

// android.webkit.WebResourceRequest, the part the model has.
struct WebResourceRequest {
  std::string url = {};
  bool is_for_main_frame = true;
  std::string method = "GET";
};

// android.webkit.WebResourceResponse, the part the model has. The model does not model content:
// an intercepted main document still runs the page registered for its URL
// (AndroidRuntime::AddPage).
struct WebResourceResponse {
  std::string mime_type = {};
  std::string data = {};
};

// android.webkit.WebResourceError (A26): WebViewClient.ERROR_* codes.
struct WebResourceError {
  int error_code = 0;
  std::string description = {};
};

// android.webkit.RenderProcessGoneDetail (A16).
struct RenderProcessGoneDetail {
  bool did_crash = true;  // false: the system killed the renderer (to reclaim memory)
};

// WebViewClient: on Chromium's UI thread (A11), except ShouldInterceptRequest (A14).
class WebViewClient {
 public:
  virtual ~WebViewClient() = default;
  virtual sim::Task<> OnPageStarted(WebView& view, std::string url);
  virtual sim::Task<> OnPageFinished(WebView& view, std::string url);
  // A14: called on a background thread (not the UI thread) for the page's main document before
  // it loads. A response (not nullopt) is counted by WebView::intercepted_requests().
  virtual sim::Task<std::optional<WebResourceResponse>> ShouldInterceptRequest(
      WebView& view, WebResourceRequest request);
  // A16: the WebView's renderer process is gone (API 26+). True: the app handled it (the WebView
  // cannot be used any more; destroy it); false (the default): the app process dies too.
  virtual sim::Task<bool> OnRenderProcessGone(WebView& view, RenderProcessGoneDetail detail);
  // A25: the page starts a navigation (not the app's loadUrl). True: the app takes it over and
  // the WebView does not load it; false (the default): it loads.
  virtual sim::Task<bool> ShouldOverrideUrlLoading(WebView& view, WebResourceRequest request);
  // A26: the main document's load failed; onPageFinished follows (the error page).
  virtual sim::Task<> OnReceivedError(WebView& view, WebResourceRequest request,
                                      WebResourceError error);
};

class JsResult;
class JsPromptResult;
class PermissionRequest;
class CreateWindowMessage;

// WebChromeClient: on the UI thread (A11). The JS dialog callbacks (A15) return whether the app
// handles the dialog: true, and the page waits until the app answers `result` (now or later);
// false, and the model's WebView cancels the dialog at once (it has no Activity to show its own).
class WebChromeClient {
 public:
  virtual ~WebChromeClient() = default;
  virtual sim::Task<> OnReceivedTitle(WebView& view, std::string title);
  virtual sim::Task<bool> OnJsAlert(WebView& view, std::string url, std::string message,
                                    JsResult& result);
  virtual sim::Task<bool> OnJsConfirm(WebView& view, std::string url, std::string message,
                                      JsResult& result);
  virtual sim::Task<bool> OnJsPrompt(WebView& view, std::string url, std::string message,
                                     std::string default_value, JsPromptResult& result);
  // A22: the page asks for a resource (camera, microphone). The app must grant or deny `request`,
  // now or later, on the UI thread; the default denies it.
  virtual sim::Task<> OnPermissionRequest(WebView& view, PermissionRequest& request);
  // A28: the page opened a window. True: the app hosts it, and sets a new WebView on
  // `result_msg`'s WebViewTransport and sends it (now or later, from any thread); false (the
  // default): no window.
  virtual sim::Task<bool> OnCreateWindow(WebView& view, bool is_dialog, bool is_user_gesture,
                                         CreateWindowMessage& result_msg);
};

// ValueCallback<String> of evaluateJavascript: on the UI thread (A11, A12).
class ValueCallback {
 public:
  virtual ~ValueCallback() = default;
  virtual sim::Task<> OnReceiveValue(WebView& view, std::string value) = 0;
};

// An object added with addJavascriptInterface. The page's JavaScript calls its methods by name
// with an argument; each call runs on the JavaBridge thread (A11) and the page's JavaScript waits
// until it returns (A13). The returned text is the call's value in the page. A JavaException
// escaping it becomes a JavaScript error in the page (the page's script stops there).
class JavascriptInterface {
 public:
  virtual ~JavascriptInterface() = default;
  virtual sim::Task<std::string> Call(WebView& view, std::string method, std::string argument) = 0;
};

// WebView.VisualStateCallback (A27): on the UI thread, once the WebView's content as of the
// postVisualStateCallback call is ready to be drawn.
class VisualStateCallback {
 public:
  virtual ~VisualStateCallback() = default;
  virtual sim::Task<> OnComplete(uint64_t request_id) = 0;
};

// ValueCallback<Boolean> of CookieManager's asynchronous calls (A21): on the looper of the thread
// that made the call.
class BooleanValueCallback {
 public:
  virtual ~BooleanValueCallback() = default;
  virtual sim::Task<> OnReceiveValue(bool value) = 0;
};

class WebMessagePort;

// WebMessagePort.WebMessageCallback (A17): on the main thread, or on the thread of the Handler
// given to setWebMessageCallback.
class WebMessageCallback {
 public:
  virtual ~WebMessageCallback() = default;
  virtual sim::Task<> OnMessage(WebMessagePort& port, std::string message) = 0;
};

// What a JS dialog's answer carries back to the page.
struct JsAnswer {
  bool confirmed = false;
  std::string value = {};  // a prompt's text when confirmed
};

// android.webkit.JsResult (A15): the handle the page's dialog waits on. Confirm or Cancel may be
// called from any thread, now or later: on the UI thread the answer reaches the page at once;
// elsewhere it is posted to the UI thread first (Chromium's JsResultHandler). Only the first
// answer counts; a later one is logged and ignored.
class JsResult : public sim::Object {
 public:
  JsResult(AndroidRuntime& runtime, std::string name, sim::Promise<JsAnswer> answer);
  sim::Task<> Confirm();
  sim::Task<> Cancel();
  bool answered() const { return answer_.done(); }

 protected:
  sim::Task<> Answer(JsAnswer answer);

 private:
  static sim::Task<> AnswerOnUi(JsResult* result, JsAnswer answer);
  AndroidRuntime* runtime_;
  sim::Promise<JsAnswer> answer_;
};

// android.webkit.JsPromptResult: a JsResult that can confirm with the prompt's text.
class JsPromptResult final : public JsResult {
 public:
  using JsResult::Confirm;
  using JsResult::JsResult;
  sim::Task<> Confirm(std::string value);
};

class Renderer;

// onCreateWindow's resultMsg (A28): an android.os.Message whose obj is a WebView.WebViewTransport
// and whose target is a Handler on the UI thread. SendToTarget may be called from any thread; the
// glue checks the WebView set on it when the message arrives there.
class CreateWindowMessage final : public sim::Object {
 public:
  CreateWindowMessage(AndroidRuntime& runtime, WebView& parent, std::string url);
  void SetWebView(WebView* view) { transport_ = view; }  // WebViewTransport.setWebView
  WebView* GetWebView() const { return transport_; }
  sim::Task<> SendToTarget();  // Message.sendToTarget: posted to the UI thread

 private:
  static sim::Task<> Arrive(CreateWindowMessage* message);
  AndroidRuntime* runtime_;
  WebView* parent_;
  std::string url_;
  WebView* transport_ = nullptr;
};

// android.webkit.PermissionRequest (A22): what the page asked for. Grant or Deny must be called
// on the UI thread, once (Chromium's AwPermissionRequest throws IllegalStateException otherwise);
// the page learns the answer on its JavaScript thread.
class PermissionRequest final : public sim::Object {
 public:
  PermissionRequest(AndroidRuntime& runtime, Renderer& page, std::string resource, uint64_t load);
  const std::string& resource() const { return resource_; }  // getResources()[0]
  sim::Task<> Grant();
  sim::Task<> Deny();
  bool answered() const { return answered_; }

 private:
  sim::Task<> Answer(bool granted, const char* method);
  AndroidRuntime* runtime_;
  Renderer* page_;
  std::string resource_;
  uint64_t load_;
  bool answered_ = false;
};

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_CLIENTS_H_
