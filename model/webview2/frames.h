// CoreWebView2Frame: an iframe of a WebView's document (WR: ICoreWebView2Frame, FrameCreated), as
// the app holds it. A frame of another site runs in a renderer process of its own (site isolation,
// W11), so when that process exits only the frames in it die: ProcessFailed kind
// FrameRenderProcessExited, and the main document goes on (W12). A frame script pending when its
// renderer dies fails or never completes, a scheduler choice (W15; FB#3124 observed "never").
//
//   co_await webview.add_FrameCreated([&](FrameCreatedEventArgs& args) { ... args.frame ... });
//   Async<std::string> op = co_await frame->ExecuteScriptAsync("document.title");
//
// Thread-safety: like every WebView2 object, a frame belongs to the WebView's UI thread (W3).
// Determinism: frame ids (CoreWebView2Frame#2) come from a per-run counter.
#ifndef WVSIM_MODEL_WEBVIEW2_FRAMES_H_
#define WVSIM_MODEL_WEBVIEW2_FRAMES_H_

#include <string>
#include <string_view>
#include <utility>

#include "model/webview2/async.h"
#include "model/webview2/event_args.h"
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
  // A scheduling point, then the thread check (W3).
  sim::Task<> add_PermissionRequested(Handler<DeferrableEventArgs> handler);

 private:
  friend struct internal::HandleAccess;
  internal::FrameRecord* record_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_FRAMES_H_
