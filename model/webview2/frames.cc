// Frames (frames.h): made when their document loads, each in the renderer of its site; a
// renderer's exit detaches only the frames it ran (W12); frame scripts (W6, W7, W15).
#include "model/webview2/frames.h"

#include "absl/strings/str_cat.h"

namespace wvsim::model::webview2 {

namespace {

Task<> RendererExecuteFrameScript(Runtime& rt, CoreWebView2Frame& frame, const std::string& script,
                                  Promise<std::string> done, RendererProcess& renderer) {
  if (!renderer.responsive() || frame.renderer() != &renderer) co_return;  // W12, W15
  std::string result = rt.EvaluateScript(frame.uri(), script);
  if (const std::string* value = frame.global(script); value != nullptr) result = *value;
  rt.Complete(frame.webview().owner(), done, std::move(result));
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
  rt.SendToRenderer(*renderer, "frame script", [&rt, &frame, &script, done, renderer] {
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
    // After FrameCreated, so that its handler can subscribe to the frame's events first.
    if (spec.requests_permission) RaiseFramePermission(webview, frame);
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

// ---- W9.4: a frame's PermissionRequested: the frame's handlers, then the WebView's.

namespace {

// One permission request of a frame's script, answered by up to two events.
struct FramePermission {
  DeferrableEventArgs* frame_args = nullptr;    // CoreWebView2Frame.PermissionRequested
  DeferrableEventArgs* webview_args = nullptr;  // CoreWebView2.PermissionRequested, if raised
  int open = 1;                                 // the events not finished yet
};

// The frame's script gets its answer when both events finished (each handler returned and each
// deferral completed): until then W9.4 holds it up.
void FramePermissionDone(Runtime& rt, CoreWebView2& webview, FramePermission& request) {
  if (--request.open > 0) return;
  // The real API hands both handlers one args object; the model copies State to the WebView's
  // args when it raises them, so theirs is the last word unless they left it at Default.
  const DeferrableEventArgs* answer = request.frame_args;
  if (request.webview_args != nullptr && request.webview_args->state != PermissionState::kDefault) {
    answer = request.webview_args;
  }
  const std::string outcome = OutcomeOf(*answer);
  if (rt.kernel().traced()) {
    rt.kernel().Log(absl::StrCat(request.frame_args->Name(), " finished: ", outcome));
  }
  webview.add_event_outcome(absl::StrCat(request.frame_args->Name(), ": ", outcome));
  request.frame_args->frame->set_global(
      "window.permissionState", absl::StrCat("\"", PermissionStateName(answer->state), "\""));
}

}  // namespace

void CoreWebView2Frame::add_PermissionRequested(Handler<DeferrableEventArgs> handler) {
  webview_->runtime().CheckThread(webview_->owner(), *this,
                                  "CoreWebView2Frame.add_PermissionRequested", "W3");
  permission_requested_.push_back(std::move(handler));
}

void Runtime::RaiseFramePermission(CoreWebView2& webview, CoreWebView2Frame& frame) {
  const DeferrableEventInfo& info = InfoOf(DeferrableEvent::kPermissionRequested);
  auto& asked = NewEventArgs<DeferrableEventArgs>(webview, "CoreWebView2Frame.PermissionRequested",
                                                  "the frame's scripts waiting for the permission",
                                                  info.rule);
  asked.source = &frame;
  asked.kind = DeferrableEvent::kPermissionRequested;
  asked.frame = &frame;
  FramePermission& request = kernel_.Make<FramePermission>();
  request.frame_args = &asked;
  Runtime* self = this;
  CoreWebView2* sender = &webview;
  FramePermission* pending = &request;
  // W9.4: Handled is read when the frame's handler returns, suspends or takes its deferral; the
  // WebView's handlers run then, while a frame deferral may still be open (both can defer).
  asked.on_returned = [self, sender, pending, &info] {
    const DeferrableEventArgs& first = *pending->frame_args;
    HandlerList<DeferrableEventArgs>& handlers =
        sender->deferrable_[static_cast<int>(DeferrableEvent::kPermissionRequested)];
    if (first.handled || handlers.empty() || sender->closed_) return;
    auto& second =
        self->NewEventArgs<DeferrableEventArgs>(*sender, info.name, info.holds_up, info.rule);
    second.kind = DeferrableEvent::kPermissionRequested;
    second.frame = first.frame;
    second.state = first.state;
    ++pending->open;
    pending->webview_args = &second;
    second.on_finish = [self, sender, pending] { FramePermissionDone(*self, *sender, *pending); };
    self->RaiseEvent(second, handlers);
  };
  asked.on_finish = [self, sender, pending] { FramePermissionDone(*self, *sender, *pending); };
  RaiseEvent(asked, frame.permission_requested_);
}

void Runtime::RaiseFrameCreated(CoreWebView2& webview, CoreWebView2Frame& frame) {
  if (webview.frame_created_.empty()) return;
  auto& args = NewEventArgs<FrameCreatedEventArgs>(webview, "FrameCreated", "", "W2");
  args.frame = &frame;
  RaiseEvent(args, webview.frame_created_);
}

}  // namespace wvsim::model::webview2
