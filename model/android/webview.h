// android.webkit.WebView over Chromium's glue (WebViewChromium), grouped as rule A5 groups the
// calls, with the static entry points of A9, the app's WebViewClient / WebChromeClient and
// @JavascriptInterface objects (clients.h: A11, A13, A14, A15) and the page each WebView shows
// (renderer.h: A12).
//
//   Task<> OnCreate(AndroidRuntime& rt, App& app) {
//     WebView* view = co_await WebView::Create(rt);   // A1, A4: checks the thread, may bind it
//     view->SetWebViewClient(&app.client);
//     co_await view->LoadUrl("https://example.com/");   // A5: forces a start on main
//   }
//
// Every public call is one scheduling point at its entry ("<method>(WebView#1)"), then A2's
// per-instance thread check, then the call's own dispatch (A5): posted to the pending-task queue
// (A6), blocking on the UI thread (A7), or run inline (A8's invariant holds there). A page load:
// on the UI thread the load starts; with a WebViewClient, shouldInterceptRequest runs for the
// main document on the background thread (A14); then the navigation commits: onPageStarted is
// posted to the UI thread and the page's script to its JavaScript thread (A12), where bridge
// calls and dialogs block it (A13, A15); after the script, onReceivedTitle and onPageFinished are
// posted to the UI thread.
#ifndef WVSIM_MODEL_ANDROID_WEBVIEW_H_
#define WVSIM_MODEL_ANDROID_WEBVIEW_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/android/clients.h"
#include "model/android/cookie_manager.h"
#include "model/android/java.h"
#include "model/android/renderer.h"
#include "model/android/runtime.h"
#include "model/android/web_message_port.h"

namespace wvsim::model::android {

// HitTestResult.getType() values the model reports.
inline constexpr int kHitTestUnknownType = 0;

class WebView final : public sim::Object {
 public:
  // new WebView(context): A1 (a looper is required), A2 (records the looper), A4 and A10 (binds
  // or checks Chromium's UI thread by target SDK), A6 (initForReal is a pending task).
  static sim::Task<WebView*> Create(AndroidRuntime& runtime);
  WebView(AndroidRuntime& runtime, Looper& looper, uint64_t id);

  // ---- A5: void methods: queued when they cannot run now.
  sim::Task<> Reload();
  sim::Task<> StopLoading();
  sim::Task<> GoBack();
  sim::Task<> Destroy();
  sim::Task<> PostWebMessage(std::string message);
  // postWebMessage(new WebMessage(message, ports), origin): the ports go to the page (A17).
  sim::Task<> PostWebMessage(std::string message, std::vector<WebMessagePort*> ports);
  sim::Task<> AddJavascriptInterface(JavascriptInterface* object, std::string name);
  sim::Task<> SetWebViewClient(WebViewClient* client);
  sim::Task<> SetWebChromeClient(WebChromeClient* client);

  // ---- A5: value-returning methods: start on main, then block off the UI thread (A7).
  sim::Task<std::string> GetUrl();
  sim::Task<std::string> GetTitle();
  sim::Task<bool> CanGoBack();
  sim::Task<std::string> SaveState();  // the Bundle, as text
  sim::Task<int> GetHitTestResult();
  // createWebMessageChannel (A17): the two entangled ends of a new channel.
  sim::Task<std::vector<WebMessagePort*>> CreateWebMessageChannel();

  // ---- A5: the load family: force a start on main, then post or run.
  sim::Task<> LoadUrl(std::string url);
  sim::Task<> LoadData(std::string data);
  sim::Task<> LoadDataWithBaseURL(std::string base_url, std::string data);
  sim::Task<> PostUrl(std::string url, std::string post_data);

  // ---- A5: view and input methods: start on the current looper.
  sim::Task<> OnAttachedToWindow();                    // also checks the thread (A4's exception)
  sim::Task<> SetLayoutParams(int width, int height);  // also checks the thread
  sim::Task<bool> OnTouchEvent();
  sim::Task<bool> DispatchKeyEvent();
  sim::Task<> OnDraw();  // forces a start, then blocks off the UI thread

  // ---- A19 (view_post.cc): View.post, from any thread and without A2's check: to the thread of
  // the window the view is attached to; before the view tree attached it, held by the view.
  sim::Task<> Post(std::string label, Runnable action);
  // The view tree attaching the WebView to a window on the calling thread
  // (View.dispatchAttachedToWindow): posts the held actions there, then calls onAttachedToWindow.
  // An app calling OnAttachedToWindow itself does neither (A24).
  sim::Task<> DispatchAttachedToWindow();
  size_t held_actions() const { return held_actions_.size(); }

  // ---- A11, A12: evaluateJavascript checks the thread and is never held in the pending-task
  // queue; the script is queued on the page's JavaScript thread behind the page's own work and
  // evaluated when it runs there ("document.title" is the title as JSON, anything else "null");
  // its callback comes on the UI thread.
  sim::Task<> EvaluateJavascript(std::string script, ValueCallback* callback);

  // ---- A27 (navigation.cc): postVisualStateCallback, a void method (A5): `callback` comes on
  // the UI thread once the page has done what was queued on its JavaScript thread before.
  sim::Task<> PostVisualStateCallback(uint64_t request_id, VisualStateCallback* callback);

  // ---- State, for scenario checks (no scheduling point).
  uint64_t id() const { return id_; }
  Looper& looper() const { return *looper_; }
  bool aw_contents_created() const { return aw_contents_; }
  bool destroyed() const { return destroyed_; }
  bool attached() const { return attached_; }
  const std::string& url() const { return url_; }
  int pages_finished() const { return pages_finished_; }
  int draws() const { return draws_; }
  const std::vector<std::string>& web_messages() const { return web_messages_; }
  // What the page's JavaScript got back from its bridge calls and dialogs (Renderer::log).
  const std::vector<std::string>& page_log() const { return renderer_->log(); }
  int intercepted_requests() const { return intercepted_requests_; }
  // A16: the app was told its renderer process is gone (onRenderProcessGone).
  bool render_process_gone() const { return gone_reported_; }

 private:
  friend class Renderer;  // posts the page's results back (PageFinished, DeliverValue)

  // The call's scheduling point, then A2's per-instance check.
  sim::Task<> Enter(const char* method);
  void CheckThread(const char* method);         // A2 (WebView.checkThread)
  void CheckRendererAlive(const char* method);  // A16: a call after onRenderProcessGone
  // WebViewChromium.checkThread (A4): off the UI thread, throws here and on the UI thread.
  sim::Task<> CheckUiThread();
  bool CheckNeedsPost();           // A5, A8
  void RequireAwContents() const;  // A8

  sim::Task<> RunOrQueue(const char* method, Runnable task);  // A5, A6
  template <typename T>
  sim::Task<T> Value(const char* method, absl::AnyInvocable<sim::Task<T>()> call);
  sim::Task<> Load(const char* method, std::string url);
  sim::Task<> ViewMethod(const char* method);
  sim::Task<bool> Input(const char* method);

  // Work on the UI thread (AwContents), as named functions so no closure outlives its frame.
  static sim::Task<> InitForReal(WebView* view);
  static sim::Task<> Apply(WebView* view, void (*effect)(WebView&));
  static sim::Task<> GoBackOnUi(WebView* view);
  static sim::Task<> SetClientsOnUi(WebView* view, WebViewClient* client, WebChromeClient* chrome);
  static sim::Task<> LoadOnUi(WebView* view, std::string url, bool push_history);
  static sim::Task<> InterceptThenCommit(WebView* view, std::string url, uint64_t load);  // A14
  static sim::Task<> CommitLoad(WebView* view, std::string url, uint64_t load);
  static sim::Task<> PageStarted(WebView* view, std::string url, uint64_t load);
  static sim::Task<> PageFinished(WebView* view, std::string url, std::string title, uint64_t load);
  static sim::Task<> RenderProcessGone(WebView* view, bool did_crash);  // renderer_gone.cc
  static sim::Task<> DeliverValue(WebView* view, ValueCallback* callback, std::string value);
  // navigation.cc: A25, A26, A27.
  static sim::Task<> NavigateFromPage(WebView* view, std::string url, uint64_t load);
  static sim::Task<> FailLoad(WebView* view, std::string url, uint64_t load,
                              WebResourceError error);
  static sim::Task<> DeliverVisualState(WebView* view, uint64_t request_id,
                                        VisualStateCallback* callback);
  // create_window.cc: A28.
  friend class CreateWindowMessage;
  static sim::Task<> CreateWindowOnUi(WebView* view, std::string url, uint64_t load);
  static sim::Task<> CompleteWindowCreation(WebView* parent, WebView* child, std::string url);
  static sim::Task<> AddInterfaceOnUi(WebView* view, JavascriptInterface* object, std::string name);
  static sim::Task<> PostMessageOnUi(WebView* view, std::string message,
                                     std::vector<WebMessagePort*> ports);

  struct HeldAction {  // A19: a View.post before the view was attached
    std::string label;
    Runnable run;
  };

  AndroidRuntime* runtime_;
  Looper* looper_;  // A2: the looper the WebView was created on
  uint64_t id_;
  bool aw_contents_ = false;  // AwContents exists (A8)
  bool destroyed_ = false;
  bool attached_ = false;
  int width_ = 0;
  int height_ = 0;
  std::string url_ = "about:blank";
  std::string title_;
  std::vector<std::string> history_;
  uint64_t loads_ = 0;  // the newest load; older loads stop reporting
  int pages_finished_ = 0;
  int draws_ = 0;
  std::vector<std::string> web_messages_;
  std::vector<InjectedObject> interfaces_;  // as of the next load (A13)
  Renderer* renderer_ = nullptr;            // the page (A12)
  int intercepted_requests_ = 0;
  bool gone_reported_ = false;            // A16
  Looper* window_looper_ = nullptr;       // A19: the thread of the window it is attached to
  std::vector<HeldAction> held_actions_;  // A19
  WebViewClient* client_ = nullptr;
  WebChromeClient* chrome_client_ = nullptr;
};

// A9: the static entry points start the engine bound to the main looper and may wait as in A3.
// WebStorage.getInstance, GeolocationPermissions.getInstance, WebViewDatabase.getInstance,
// ServiceWorkerController.getInstance, TracingController.getInstance, ProxyController and
// WebView's getStatics (findAddress, clearClientCertPreferences, ...) all go through it.
sim::Task<> StaticEntryPoint(AndroidRuntime& runtime, const char* entry_point);
inline sim::Task<> WebStorageGetInstance(AndroidRuntime& rt) {
  return StaticEntryPoint(rt, "WebStorage.getInstance");
}
inline sim::Task<> GeolocationPermissionsGetInstance(AndroidRuntime& rt) {
  return StaticEntryPoint(rt, "GeolocationPermissions.getInstance");
}
inline sim::Task<> WebViewDatabaseGetInstance(AndroidRuntime& rt) {
  return StaticEntryPoint(rt, "WebViewDatabase.getInstance");
}
inline sim::Task<> ServiceWorkerControllerGetInstance(AndroidRuntime& rt) {
  return StaticEntryPoint(rt, "ServiceWorkerController.getInstance");
}
inline sim::Task<> TracingControllerGetInstance(AndroidRuntime& rt) {
  return StaticEntryPoint(rt, "TracingController.getInstance");
}
inline sim::Task<> ProxyControllerGetInstance(AndroidRuntime& rt) {
  return StaticEntryPoint(rt, "ProxyController.getInstance");
}
inline sim::Task<> GetStatics(AndroidRuntime& rt) {
  return StaticEntryPoint(rt, "WebView.getStatics");
}
// CookieManager.getInstance: creating the CookieManager does not start the engine (A9). The one
// CookieManager of the run (cookie_manager.h, A21).
sim::Task<CookieManager*> CookieManagerGetInstance(AndroidRuntime& runtime);

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_WEBVIEW_H_
