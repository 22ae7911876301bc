// CoreWebView2Frame: an iframe of a WebView's document (WR: ICoreWebView2Frame,
// ICoreWebView2Frame2, FrameCreated), as the app holds it. A frame of another site runs in a
// renderer process of its own (site isolation, W11), so when that process exits only the frames in
// it die: ProcessFailed kind FrameRenderProcessExited, and the main document goes on (W12). A frame
// script pending when its renderer dies fails or never completes, a scheduler choice (W15; FB#3124
// observed "never").
//
// A frame lives (W15): its document navigates by itself (a frame script's Page::Script::Navigate)
// or by its parent (the main page's Page::Script::NavigateFrame), and each navigation raises the
// frame's NavigationStarting, ContentLoading, DOMContentLoaded and NavigationCompleted on the UI
// thread. Navigating or removing the frame destroys its document: the scripts the app sent to it
// and that are still pending fail or never complete (a recorded choice), and web messages posted
// to it are dropped. Removing the frame, or destroying the document that holds it, raises
// Destroyed, after which IsDestroyed is true.
//
//   co_await webview.add_FrameCreated([&](FrameCreatedEventArgs& args) { ... args.frame ... });
//   Async<std::string> op = co_await frame->ExecuteScriptAsync("document.title");
//   co_await frame->PostWebMessageAsString("ping");  // the frame's OnWebMessage scripts
//   co_await frame->AddHostObjectToScriptWithOrigins("bridge", bridge, {"https://chat.example"});
//
// Thread-safety: like every WebView2 object, a frame belongs to the WebView's UI thread (W3).
// Determinism: frame ids (CoreWebView2Frame#2) come from a per-run counter.
#ifndef WVSIM_MODEL_WEBVIEW2_FRAMES_H_
#define WVSIM_MODEL_WEBVIEW2_FRAMES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/webview2/async.h"
#include "model/webview2/event_args.h"
#include "model/webview2/host_object.h"
#include "sim/object.h"
#include "sim/task.h"

namespace wvsim::model::webview2 {

namespace internal {
struct FrameRecord;
struct HandleAccess;
}  // namespace internal

class CoreWebView2Frame : public sim::Object {
 public:
  CoreWebView2Frame(std::string id, internal::FrameRecord* record)
      : sim::Object(std::move(id)), record_(record) {}
  const std::string& Name() const;  // W3: from the UI thread
  bool IsDestroyed() const;         // W3: from the UI thread
  // W6, W7: the script runs in the frame's document, in the frame's renderer process.
  sim::Task<Async<std::string>> ExecuteScriptAsync(std::string_view script);
  // W9.4: the frame's PermissionRequested runs before the WebView's; a handler that sets
  // Handled before it returns or takes its deferral keeps the WebView's handlers from running.
  // Each add_* is a scheduling point, then the thread check (W3).
  sim::Task<> add_PermissionRequested(Handler<DeferrableEventArgs> handler);
  // W15: the frame's document navigates: NavigationStarting (Cancel read as for the WebView's,
  // W9), then ContentLoading, DOMContentLoaded and NavigationCompleted (W2).
  sim::Task<> add_NavigationStarting(Handler<NavigationStartingEventArgs> handler);
  sim::Task<> add_ContentLoading(Handler<NavigationEventArgs> handler);
  sim::Task<> add_DOMContentLoaded(Handler<NavigationEventArgs> handler);
  sim::Task<> add_NavigationCompleted(Handler<NavigationEventArgs> handler);
  // W15: the frame's document runs window.chrome.webview.postMessage (not the WebView's event,
  // which is the top-level document's).
  sim::Task<> add_WebMessageReceived(Handler<WebMessageReceivedEventArgs> handler);
  // W15: the iframe was removed or the document holding it was destroyed.
  sim::Task<> add_Destroyed(Handler<FrameDestroyedEventArgs> handler);
  // W15: to the frame's document current at the call; dropped when it navigated meanwhile.
  sim::Task<> PostWebMessageAsString(std::string_view message);
  sim::Task<> PostWebMessageAsJson(std::string_view json);
  // W17 (frame_host_objects.cc): `object` is chrome.webview.hostObjects.NAME to the frame's
  // scripts while the frame's document has one of `origins` ("https://host[:port]", normalized;
  // "*": every origin; none: no origin), checked at each call. The same name again replaces the
  // object and its origins; a malformed origin throws E_INVALIDARG.
  sim::Task<> AddHostObjectToScriptWithOrigins(std::string_view name, HostObject& object,
                                               std::vector<std::string> origins);
  sim::Task<> RemoveHostObjectFromScript(std::string_view name);

 private:
  friend struct internal::HandleAccess;
  internal::FrameRecord* record_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_FRAMES_H_
