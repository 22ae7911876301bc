// CoreWebView2 and its cookies, as the app holds them (docs/webview2-rules.md W2..W9, W3a, W12,
// W14): a thin handle named and shaped like ICoreWebView2. The document, the renderer and the
// handlers live in the runtime's record of the WebView (internal/records.h), out of the app's
// reach.
//
//   CoreWebView2& wv = controller->CoreWebView2();
//   co_await wv.add_NavigationCompleted([&](NavigationEventArgs& args) -> Task<> { ... });
//   co_await wv.Navigate("https://app.example/");
//   Async<std::string> title = co_await wv.ExecuteScriptAsync("document.title");
//
// Every call is a scheduling point, then checks the calling thread (W3): a WebView belongs to the
// thread that created its controller. Event registration (add_*) included.
#ifndef WVSIM_MODEL_WEBVIEW2_CORE_WEBVIEW2_H_
#define WVSIM_MODEL_WEBVIEW2_CORE_WEBVIEW2_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/webview2/async.h"
#include "model/webview2/event_args.h"
#include "model/webview2/host_object.h"
#include "model/webview2/settings.h"
#include "sim/object.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::webview2 {

namespace internal {
class Core;
struct WebViewRecord;
struct HandleAccess;
}  // namespace internal

// ---- Cookies (W3a).

class Cookie {
 public:
  Cookie(internal::Core* core, sim::Thread owner, std::string name, std::string domain)
      : core_(core), owner_(owner), name_(std::move(name)), domain_(std::move(domain)) {}
  // Property reads are bound to the UI thread, even when GetCookiesAsync ran elsewhere (W3a).
  const std::string& Domain() const;
  const std::string& Name() const;

 private:
  internal::Core* core_;
  sim::Thread owner_;
  std::string name_;
  std::string domain_;
};

class CookieManager {
 public:
  explicit CookieManager(CoreWebView2* webview) : webview_(webview) {}
  // Callable from any thread; the cookies come back to the caller (W3a).
  sim::Task<Async<std::vector<Cookie*>>> GetCookiesAsync(std::string_view uri);

 private:
  CoreWebView2* webview_;
};

// ---- The WebView.

class CoreWebView2 : public sim::Object {
 public:
  CoreWebView2(std::string name, internal::WebViewRecord* record)
      : sim::Object(std::move(name)), record_(record), cookies_(this), settings_(this, record) {}

  sim::Task<Async<std::string>> ExecuteScriptAsync(std::string_view script);  // W6, W7
  sim::Task<> Navigate(std::string_view uri);
  // W12: after a renderer crash, reloads the document in a new renderer process.
  sim::Task<> Reload();
  // W7: one print at a time; a concurrent one completes with E_ABORT.
  sim::Task<Async<bool>> PrintToPdfAsync(std::string_view path);
  // W7: fails before the document's first ContentLoading.
  sim::Task<Async<bool>> CapturePreviewAsync();
  // W7: the script runs in every new document, but only once its completion ran on the UI
  // thread; a navigation before that runs without it. The model understands scripts of the form
  // "window.name = value".
  sim::Task<Async<std::string>> AddScriptToExecuteOnDocumentCreatedAsync(std::string_view script);
  // The CookieManager property: a scheduling point, then the thread check (W3).
  sim::Task<webview2::CookieManager*> GetCookieManager();
  // The DocumentTitle property (W2): the current document's title as the page last set it. A
  // scheduling point, then the thread check (W3).
  sim::Task<std::string> get_DocumentTitle();
  // The Settings property (settings.h): a scheduling point, then the thread check (W3).
  sim::Task<CoreWebView2Settings*> get_Settings();
  // Host -> page (web_messages.cc): delivered to the document current at the call; dropped when
  // that document is gone by the time it arrives. The page answers through WebMessageReceived.
  sim::Task<> PostWebMessageAsString(std::string_view message);
  sim::Task<> PostWebMessageAsJson(std::string_view json);
  // W6, W7 (devtools.cc): calls are dispatched in order but may be processed out of order; the
  // completion carries the method's JSON result. Understands Emulation.setUserAgentOverride and
  // Runtime.evaluate of navigator.userAgent; other methods fail with E_FAIL.
  sim::Task<Async<std::string>> CallDevToolsProtocolMethodAsync(std::string_view method,
                                                                std::string_view params_json);

  // W17 (host_objects.cc): exposes `object` to the page's scripts as
  // chrome.webview.hostObjects.NAME (and .sync.NAME) in the current document and the ones after
  // it; a later Add under the same name replaces it. Remove takes it away: a page call to it
  // then throws in the page. Both from the UI thread (W3); the object outlives the WebView.
  sim::Task<> AddHostObjectToScript(std::string_view name, HostObject& object);
  sim::Task<> RemoveHostObjectFromScript(std::string_view name);

  // Event registration: a scheduling point, then the thread check (W3: from the UI thread); the
  // handler is registered once the returned task finished.
  // W2: NavigationStarting -> ContentLoading -> DOMContentLoaded -> NavigationCompleted, each a
  // message on the UI thread. NavigationStarting's Cancel is read when its handler returns or
  // first suspends (W9: no deferral).
  sim::Task<> add_NavigationStarting(Handler<NavigationStartingEventArgs> handler);
  sim::Task<> add_ContentLoading(Handler<NavigationEventArgs> handler);
  sim::Task<> add_DOMContentLoaded(Handler<NavigationEventArgs> handler);
  sim::Task<> add_NavigationCompleted(Handler<NavigationEventArgs> handler);
  sim::Task<> add_WebMessageReceived(Handler<WebMessageReceivedEventArgs> handler);
  sim::Task<> add_WebResourceRequested(Handler<WebResourceRequestedEventArgs> handler);
  sim::Task<> add_NewWindowRequested(Handler<NewWindowRequestedEventArgs> handler);
  sim::Task<> add_ProcessFailed(Handler<ProcessFailedEventArgs> handler);
  sim::Task<> add_FrameCreated(Handler<FrameCreatedEventArgs> handler);
  // W2: raised on the UI thread when a page script sets document.title.
  sim::Task<> add_DocumentTitleChanged(Handler<DocumentTitleChangedEventArgs> handler);
  // add_ScriptDialogOpening, add_PermissionRequested, ... (W9.3..W9.15).
  sim::Task<> add_DeferrableEvent(DeferrableEvent event, Handler<DeferrableEventArgs> handler);

 private:
  friend struct internal::HandleAccess;
  internal::WebViewRecord* record_;
  webview2::CookieManager cookies_;
  CoreWebView2Settings settings_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_CORE_WEBVIEW2_H_
