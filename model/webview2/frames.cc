// Frames (frames.h): made when their document loads, each in the renderer of its site; a
// renderer's exit detaches only the frames it ran (W12); frame scripts (W6, W7, W15).
#include "model/webview2/frames.h"

#include "absl/strings/str_cat.h"

namespace wvsim::model::webview2 {

namespace {

Task<> RendererExecuteFrameScript(Runtime& rt, CoreWebView2Frame& frame, const std::string& script,
                                  Promise<std::string> done, RendererProcess& renderer) {
  if (!renderer.responsive() || frame.renderer() != &renderer) co_return;  // W12, W15
  rt.Complete(frame.webview().owner(), done, rt.EvaluateScript(frame.uri(), script));
}

Task<> BrowserForwardFrameScript(Runtime& rt, CoreWebView2Frame& frame, const std::string& script,
                                 Promise<std::string> done) {
  if (frame.webview().environment().browser().dead()) co_return;
  RendererProcess* renderer = frame.renderer();
  if (renderer == nullptr) {
    // Its renderer exited earlier: the frame shows an error page; scripts run nowhere (W12).
    rt.Complete(frame.webview().owner(), done, std::string("null"));
    co_return;
  }
  rt.Send(renderer->thread, "frame script", [&rt, &frame, &script, done, renderer] {
    return RendererExecuteFrameScript(rt, frame, script, done, *renderer);
  });
}

}  // namespace

const std::string& CoreWebView2Frame::Name() const {
  webview_->runtime().CheckThread(webview_->owner(), *this, "CoreWebView2Frame.Name", "W3");
  return name_;
}

Task<Async<std::string>> CoreWebView2Frame::ExecuteScriptAsync(std::string_view script) {
  Runtime& rt = webview_->runtime();
  Kernel& k = rt.kernel();
  co_await k.Yield({"Frame.ExecuteScript", this});
  rt.CheckThread(webview_->owner(), *this, "CoreWebView2Frame.ExecuteScriptAsync", "W3");
  rt.CheckAlive(*webview_, "CoreWebView2Frame.ExecuteScriptAsync");
  if (destroyed_) {
    throw ComException(kErrorInvalidState,
                       "CoreWebView2Frame.ExecuteScriptAsync on a destroyed "
                       "frame");
  }
  BrowserProcess& browser = webview_->environment().browser();
  const Promise<std::string> done =
      rt.NewOp<std::string>("Frame.ExecuteScript", k.Current(), browser,
                            renderer_ != nullptr ? renderer_->thread : browser.thread);
  const std::string* kept = &k.Make<std::string>(script);
  Runtime* runtime = &rt;
  CoreWebView2Frame* frame = this;
  rt.Send(browser.thread, "Frame.ExecuteScript", [runtime, frame, kept, done] {
    return BrowserForwardFrameScript(*runtime, *frame, *kept, done);
  });
  co_return Async<std::string>(&rt, done.future());
}

void CoreWebView2::add_FrameCreated(Handler<FrameCreatedEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_FrameCreated", "W3");
  frame_created_.push_back(std::move(handler));
}

void Runtime::CreateFrames(CoreWebView2& webview, const Page& page) {
  BrowserProcess& browser = webview.environment().browser();
  for (const Page::Frame& spec : page.frames) {
    CoreWebView2Frame& frame = kernel_.Make<CoreWebView2Frame>(
        NextName("CoreWebView2Frame", frames), &webview, spec.name, spec.uri);
    // Site isolation (W11): a frame of another site gets a renderer of its own.
    frame.set_renderer(&RendererFor(browser, spec.uri));
    webview.frames_.push_back(&frame);
    RaiseFrameCreated(webview, frame);
  }
}

void Runtime::DestroyFrames(CoreWebView2& webview) {
  for (CoreWebView2Frame* frame : webview.frames_) frame->Destroy();
  webview.frames_.clear();
}

std::vector<std::string> Runtime::DetachFramesOn(CoreWebView2& webview,
                                                 const RendererProcess& renderer) {
  std::vector<std::string> names;
  for (CoreWebView2Frame* frame : webview.frames_) {
    if (frame->renderer() != &renderer) continue;
    frame->set_renderer(nullptr);
    names.push_back(frame->name());
  }
  return names;
}

void Runtime::RaiseFrameCreated(CoreWebView2& webview, CoreWebView2Frame& frame) {
  if (webview.frame_created_.empty()) return;
  auto& args = NewEventArgs<FrameCreatedEventArgs>(webview, "FrameCreated", "", "W2");
  args.frame = &frame;
  RaiseEvent(args, webview.frame_created_);
}

}  // namespace wvsim::model::webview2
