// CoreWebView2Frame: an iframe of a WebView's document (WR: ICoreWebView2Frame, FrameCreated).
// A frame of another site runs in a renderer process of its own (site isolation, W11), so when
// that process exits only the frames in it die: ProcessFailed kind FrameRenderProcessExited, and
// the main document goes on (W12). A frame script pending when its renderer dies fails or never
// completes, a scheduler choice (W15; FB#3124 observed "never").
//
//   webview.add_FrameCreated([&](FrameCreatedEventArgs& args) { ... args.frame ... });
//   Async<std::string> op = co_await frame->ExecuteScriptAsync("document.title");
//
// Thread-safety: like every WebView2 object, a frame belongs to the WebView's UI thread (W3).
// Determinism: frame ids (CoreWebView2Frame#2) come from the Runtime's per-run counter.
#ifndef WVSIM_MODEL_WEBVIEW2_FRAMES_H_
#define WVSIM_MODEL_WEBVIEW2_FRAMES_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/webview2/runtime.h"

namespace wvsim::model::webview2 {

class CoreWebView2Frame : public sim::Object {
 public:
  CoreWebView2Frame(std::string id, CoreWebView2* webview, std::string frame_name, std::string uri)
      : sim::Object(std::move(id)),
        webview_(webview),
        name_(std::move(frame_name)),
        uri_(std::move(uri)) {}
  const std::string& Name() const;  // W3: from the UI thread
  bool IsDestroyed() const { return destroyed_; }
  // W6, W7: the script runs in the frame's document, in the frame's renderer process.
  Task<Async<std::string>> ExecuteScriptAsync(std::string_view script);
  // W9.4: the frame's PermissionRequested runs before the WebView's; a handler that sets
  // Handled before it returns or takes its deferral keeps the WebView's handlers from running.
  void add_PermissionRequested(Handler<DeferrableEventArgs> handler);

  // The runtime's view.
  CoreWebView2& webview() const { return *webview_; }
  const std::string& uri() const { return uri_; }
  RendererProcess* renderer() const { return renderer_; }
  void set_renderer(RendererProcess* renderer) { renderer_ = renderer; }
  void Destroy() { destroyed_ = true; }
  // A global of the frame's document (window.permissionState, W9.4), or nullptr.
  const std::string* global(const std::string& name) const {
    auto it = globals_.find(name);
    return it == globals_.end() ? nullptr : &it->second;
  }
  void set_global(const std::string& name, std::string value) { globals_[name] = std::move(value); }

 private:
  friend class Runtime;
  CoreWebView2* webview_;
  std::string name_;
  std::string uri_;
  RendererProcess* renderer_ = nullptr;  // null once its renderer exited (W12)
  bool destroyed_ = false;
  std::map<std::string, std::string> globals_;
  HandlerList<DeferrableEventArgs> permission_requested_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_FRAMES_H_
