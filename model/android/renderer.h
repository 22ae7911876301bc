// The model's mechanics of one WebView's page (not app API): the page's single JavaScript thread
// (A12), which runs the page's script as it loads, its window.onmessage for web messages, and
// evaluateJavascript, all in the order they were queued there; synchronous JavaBridge calls
// (A13); JS dialogs that wait for their JsResult (A15); WebMessagePort messages (A17); the renderer
// process dying, a fault (A16, renderer_gone.cc). WebView (webview.h) owns one Renderer and is its
// only user.
//
// The JavaScript thread is a kernel thread with a message queue, "js#<view id>", started with the
// first page, script or message. Between two of its steps the page may block: in a bridge call
// until the Java method returned on the JavaBridge thread, in a dialog until the app answered it;
// a page that can never go on is the kernel's deadlock, with the wait-for edges named.
//
// Deterministic: ids from the runtime's per-run counter; the page's log is in step order.
#ifndef WVSIM_MODEL_ANDROID_RENDERER_H_
#define WVSIM_MODEL_ANDROID_RENDERER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/android/clients.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/web_message_port.h"

namespace wvsim::model::android {

class WebView;

// An object added with addJavascriptInterface, under its name in the page.
struct InjectedObject {
  JavascriptInterface* object = nullptr;
  std::string name;
};

class Renderer final : public sim::Object {
 public:
  Renderer(AndroidRuntime& runtime, WebView& view);

  // On the UI thread, as a navigation commits: `load` replaces the page; its script runs on the
  // JavaScript thread with the objects injected at this moment (A13: an interface added later
  // appears from the next load), then onReceivedTitle and onPageFinished are posted to the UI
  // thread, after every step of the script has returned.
  sim::Task<> Commit(std::string url, uint64_t load, std::vector<InjectedObject> objects);
  // evaluateJavascript (A12): queued on the JavaScript thread; the value is computed when it runs
  // there ("document.title" is the current page's title as JSON, anything else "null"), and
  // `callback`, when not null, gets it on the UI thread.
  sim::Task<> Evaluate(std::string script, ValueCallback* callback);
  // The value `script` has in the current page, computed now.
  std::string ValueOf(const std::string& script) const;
  // postWebMessage (A12): the page's window.onmessage runs on the JavaScript thread, when the page
  // has one; `ports` are the WebMessagePorts the message carries (A17), which the page's
  // PortPost steps post on.
  sim::Task<> DeliverMessage(std::string message, std::vector<WebMessagePort*> ports);
  // A message on a WebMessagePort end the page holds (A17): logged on the JavaScript thread.
  sim::Task<> DeliverPortMessage(std::string message);
  // A22: the app answered the page's permission request of load `load` (on the UI thread): the
  // page's getUserMedia settles on the JavaScript thread.
  sim::Task<> PermissionAnswered(std::string resource, bool granted, uint64_t load);
  // A27: queued on the JavaScript thread behind the page's work; then `callback` goes to the UI
  // thread.
  sim::Task<> InsertVisualStateCallback(uint64_t request_id, VisualStateCallback* callback);

  // What the page's steps got back, in order: "Android.getToken(x) = token",
  // "confirm(Leave?) = true", "TypeError: window.Foo is undefined".
  const std::vector<std::string>& log() const { return log_; }
  const std::string& title() const { return title_; }

  // A16 (renderer_gone.cc): the renderer process crashed (`did_crash`) or was killed. The page
  // stops where it is (a bridge call or dialog it waits in ends without a value), nothing it had
  // queued runs, and onRenderProcessGone is posted to the UI thread.
  sim::Task<> Gone(bool did_crash);
  bool gone() const { return gone_; }

 private:
  struct BridgeReply {
    bool ok = false;
    std::string value;
  };

  sim::Thread JsThread();
  static sim::Task<> RunLoad(Renderer* self, uint64_t load);
  static sim::Task<> RunMessage(Renderer* self, uint64_t load, std::string message,
                                std::vector<WebMessagePort*> ports);
  static sim::Task<> RunPortMessage(Renderer* self, uint64_t load, std::string message);
  static sim::Task<> RunEvaluate(Renderer* self, std::string script, ValueCallback* callback);
  static sim::Task<> RunTimer(Renderer* self, uint64_t load, size_t timer);              // A20
  static sim::Task<> SettlePermission(Renderer* self, uint64_t load, std::string line);  // A22
  void ArmTimers(uint64_t load);                                                         // A20
  // Runs `steps` in order; stops at the first that fails (a JavaScript error). False then.
  sim::Task<bool> RunSteps(std::vector<PageStep> steps);
  sim::Task<bool> CallBridge(PageStep step);
  sim::Task<bool> ShowDialog(PageStep step);
  sim::Task<bool> PostOnPort(PageStep step);         // A17
  sim::Task<bool> RequestPermission(PageStep step);  // A22
  sim::Task<bool> Navigate(PageStep step);           // A25
  sim::Task<bool> OpenWindow(PageStep step);         // A28
  static sim::Task<> RunVisualState(Renderer* self, uint64_t request_id,
                                    VisualStateCallback* callback);  // A27
  static sim::Task<> PermissionOnUi(Renderer* self, PermissionRequest* request);
  static sim::Task<> InvokeOnBridge(Renderer* self, JavascriptInterface* object, std::string method,
                                    std::string argument, sim::Promise<BridgeReply> reply);
  static sim::Task<> DialogOnUi(Renderer* self, PageStep step, JsResult* result);
  void Log(std::string line);
  bool Current(uint64_t load) const { return load == load_ && !gone_; }

  AndroidRuntime* runtime_;
  WebView* view_;
  sim::Thread js_;
  bool js_started_ = false;
  uint64_t load_ = 0;  // the committed load; an older one's queued work does nothing
  std::string url_ = "about:blank";
  std::string title_;
  Page page_;
  std::vector<InjectedObject> objects_;
  std::vector<std::string> log_;
  std::vector<WebMessagePort*> ports_;  // the ports of the last web message (A17)
  bool gone_ = false;                   // A16
  // What the JavaScript thread waits for now, so that a renderer that dies can end the wait.
  std::optional<sim::Promise<BridgeReply>> waiting_reply_;
  std::optional<sim::Promise<JsAnswer>> waiting_answer_;
};

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_RENDERER_H_
