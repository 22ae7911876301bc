// CoreWebView2Frame's calls (frames.h): its name, scripts in the frame's document and renderer
// (W6, W7, W12, W15), and its PermissionRequested handlers (W9.4). The frames themselves are made
// and destroyed with their document (internal/frames.cc).
#include "model/webview2/frames.h"

#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::Core;
using internal::FrameRecord;
using internal::RendererProcess;
using sim::Promise;
using sim::Task;

namespace {

Task<> RendererExecuteFrameScript(Core& core, FrameRecord& frame, const std::string& script,
                                  Promise<std::string> done, RendererProcess& renderer) {
  if (!renderer.responsive() || frame.renderer != &renderer) co_return;  // W12, W15
  std::string result = core.pages.EvaluateScript(frame.uri, script);
  if (const std::string* value = frame.Global(script); value != nullptr) result = *value;
  core.calls.Complete(frame.webview->owner, done, std::move(result));
}

Task<> BrowserForwardFrameScript(Core& core, FrameRecord& frame, const std::string& script,
                                 Promise<std::string> done) {
  if (frame.webview->browser().dead()) co_return;
  RendererProcess* renderer = frame.renderer;
  if (renderer == nullptr) {
    // Its renderer exited earlier: the frame shows an error page; scripts run nowhere (W12).
    core.calls.Complete(frame.webview->owner, done, std::string("null"));
    co_return;
  }
  Core* self = &core;
  FrameRecord* target = &frame;
  const std::string* kept = &script;
  core.processes.SendToRenderer(*renderer, "frame script", [self, target, kept, done, renderer] {
    return RendererExecuteFrameScript(*self, *target, *kept, done, *renderer);
  });
}

}  // namespace

const std::string& CoreWebView2Frame::Name() const {
  const internal::WebViewRecord& webview = *record_->webview;
  webview.core->CheckThread(webview.owner, *this, "CoreWebView2Frame.Name", "W3");
  return record_->name;
}

bool CoreWebView2Frame::IsDestroyed() const {
  const internal::WebViewRecord& webview = *record_->webview;
  webview.core->CheckThread(webview.owner, *this, "CoreWebView2Frame.IsDestroyed", "W3");
  return record_->destroyed;
}

Task<Async<std::string>> CoreWebView2Frame::ExecuteScriptAsync(std::string_view script) {
  internal::WebViewRecord& webview = *record_->webview;
  Core& core = *webview.core;
  sim::Kernel& k = core.kernel;
  co_await k.Yield({"Frame.ExecuteScript", this});
  core.CheckThread(webview.owner, *this, "CoreWebView2Frame.ExecuteScriptAsync", "W3");
  core.faults.CheckAlive(webview, "CoreWebView2Frame.ExecuteScriptAsync");
  if (record_->destroyed) {
    throw ComException(kErrorInvalidState,
                       "CoreWebView2Frame.ExecuteScriptAsync on a destroyed "
                       "frame");
  }
  internal::BrowserProcess& browser = webview.browser();
  const Promise<std::string> done = core.calls.NewOp<std::string>(
      "Frame.ExecuteScript", k.Current(), browser,
      record_->renderer != nullptr ? record_->renderer->thread : browser.thread);
  const std::string* kept = &k.Make<std::string>(script);
  Core* runtime = &core;
  FrameRecord* frame = record_;
  internal::Send(core.port, browser.thread, "Frame.ExecuteScript", [runtime, frame, kept, done] {
    return BrowserForwardFrameScript(*runtime, *frame, *kept, done);
  });
  co_return Async<std::string>(&core, done.future());
}

Task<> CoreWebView2Frame::add_PermissionRequested(Handler<DeferrableEventArgs> handler) {
  const internal::WebViewRecord& webview = *record_->webview;
  co_await webview.core->kernel.Yield({"Frame.add_PermissionRequested", this});
  webview.core->CheckThread(webview.owner, *this, "CoreWebView2Frame.add_PermissionRequested",
                            "W3");
  record_->permission_requested.push_back(std::move(handler));
}

}  // namespace wvsim::model::webview2
