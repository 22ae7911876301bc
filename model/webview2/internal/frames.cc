// Frames (pages.h): made when their document loads, each in the renderer of its site (W11), and
// destroyed with it (W15; their own navigations: frame_navigation.cc); a renderer's exit detaches
// only the frames it ran (W12); FrameCreated, and a frame's PermissionRequested answered by the
// frame's handlers, then the WebView's (W9.4).
#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/internal/pages.h"

namespace wvsim::model::webview2::internal {

void Pages::CreateFrames(WebViewRecord& webview, const Page& page) {
  BrowserProcess& browser = webview.browser();
  for (const Page::Frame& spec : page.frames) {
    FrameRecord& record = kernel_.Make<FrameRecord>();
    record.webview = &webview;
    record.name = spec.name;
    record.uri = spec.uri;
    CoreWebView2Frame& frame =
        kernel_.Make<CoreWebView2Frame>(core_.names.Next("CoreWebView2Frame"), &record);
    record.handle = &frame;
    // Site isolation (W11): a frame of another site gets a renderer of its own.
    record.renderer = &core_.processes.RendererFor(browser, spec.uri);
    webview.frames.push_back(&frame);
    RaiseFrameCreated(webview, frame);
    // After FrameCreated, so that its handler can subscribe to the frame's events first.
    if (spec.requests_permission) RaiseFramePermission(webview, record);
    // The frame's first document loaded with its parent (the model raises no navigation events
    // of the frame for it: assumption, docs/webview2-rules.md W15); its scripts run now.
    SendFrameScripts(record, Page::Script::When::kDOMContentLoaded);
    SendFrameScripts(record, Page::Script::When::kLoad);
  }
}

void Pages::DestroyFrames(WebViewRecord& webview) {
  // W15: the document holding them is destroyed: each frame is, as if removed (RemoveFrame takes
  // it off the list).
  const std::vector<CoreWebView2Frame*> frames = webview.frames;
  for (CoreWebView2Frame* frame : frames) RemoveFrame(HandleAccess::Record(*frame));
}

std::vector<std::string> Pages::DetachFramesOn(WebViewRecord& webview,
                                               const RendererProcess& renderer) {
  std::vector<std::string> names;
  for (CoreWebView2Frame* frame : webview.frames) {
    FrameRecord& record = HandleAccess::Record(*frame);
    if (record.renderer != &renderer) continue;
    record.renderer = nullptr;
    names.push_back(frame->name());
  }
  return names;
}

void Pages::RaiseFrameCreated(WebViewRecord& webview, CoreWebView2Frame& frame) {
  if (webview.frame_created.empty()) return;
  auto& args = core_.events.NewEventArgs<FrameCreatedEventArgs>(webview, "FrameCreated", "", "W2");
  EventAccess::Value(args.frame) = &frame;
  core_.events.RaiseEvent(args, webview.frame_created);
}

// ---- W9.4: a frame's PermissionRequested: the frame's handlers, then the WebView's.

namespace {

// One permission request of a frame's script, answered by up to two events.
struct FramePermission {
  FrameRecord* frame = nullptr;
  DeferrableEventArgs* frame_args = nullptr;    // CoreWebView2Frame.PermissionRequested
  DeferrableEventArgs* webview_args = nullptr;  // CoreWebView2.PermissionRequested, if raised
  int open = 1;                                 // the events not finished yet
};

// The frame's script gets its answer when both events finished (each handler returned and each
// deferral completed): until then W9.4 holds it up.
void FramePermissionDone(sim::Kernel& kernel, WebViewRecord& webview, FramePermission& request) {
  if (--request.open > 0) return;
  // The real API hands both handlers one args object; the model copies State to the WebView's
  // args when it raises them, so theirs is the last word unless they left it at Default.
  const DeferrableEventArgs* answer = request.frame_args;
  if (request.webview_args != nullptr &&
      request.webview_args->state.Peek() != PermissionState::kDefault) {
    answer = request.webview_args;
  }
  const std::string outcome = OutcomeOf(*answer);
  if (kernel.traced()) kernel.Log(absl::StrCat(request.frame_args->Name(), " finished: ", outcome));
  webview.event_outcomes.push_back(absl::StrCat(request.frame_args->Name(), ": ", outcome));
  request.frame->globals["window.permissionState"] =
      absl::StrCat("\"", PermissionStateName(answer->state.Peek()), "\"");
}

}  // namespace

void Pages::RaiseFramePermission(WebViewRecord& webview, FrameRecord& frame) {
  const DeferrableEventInfo& info = InfoOf(DeferrableEvent::kPermissionRequested);
  auto& asked = core_.events.NewEventArgs<DeferrableEventArgs>(
      webview, "CoreWebView2Frame.PermissionRequested",
      "the frame's scripts waiting for the permission", info.rule);
  EventRecord& asked_record = EventAccess::Record(asked);
  asked_record.source = frame.handle;
  EventAccess::Value(asked.kind) = DeferrableEvent::kPermissionRequested;
  EventAccess::Value(asked.frame) = frame.handle;
  FramePermission& request = kernel_.Make<FramePermission>();
  request.frame = &frame;
  request.frame_args = &asked;
  Core* core = &core_;
  WebViewRecord* sender = &webview;
  FramePermission* pending = &request;
  // W9.4: Handled is read when the frame's handler returns, suspends or takes its deferral; the
  // WebView's handlers run then, while a frame deferral may still be open (both can defer).
  asked_record.on_returned = [core, sender, pending, &info] {
    const DeferrableEventArgs& first = *pending->frame_args;
    HandlerList<DeferrableEventArgs>& handlers =
        sender->HandlersOf(DeferrableEvent::kPermissionRequested);
    if (first.handled.Peek() || handlers.empty() || sender->closed) return;
    auto& second = core->events.NewEventArgs<DeferrableEventArgs>(*sender, info.name, info.holds_up,
                                                                  info.rule);
    EventAccess::Value(second.kind) = DeferrableEvent::kPermissionRequested;
    EventAccess::Value(second.frame) = first.frame.Peek();
    EventAccess::Value(second.state) = first.state.Peek();
    ++pending->open;
    pending->webview_args = &second;
    EventAccess::Record(second).on_finish = [core, sender, pending] {
      FramePermissionDone(core->kernel, *sender, *pending);
    };
    core->events.RaiseEvent(second, handlers);
  };
  asked_record.on_finish = [core, sender, pending] {
    FramePermissionDone(core->kernel, *sender, *pending);
  };
  core_.events.RaiseEvent(asked, frame.permission_requested);
}

}  // namespace wvsim::model::webview2::internal
