// Frames that live (pages.h, docs/webview2-rules.md W15; WR: ICoreWebView2Frame,
// ICoreWebView2Frame2): a frame's document navigates, by its own script or by its parent's; the
// frame's NavigationStarting, ContentLoading, DOMContentLoaded and NavigationCompleted are raised
// on the UI thread; its document's scripts run on its renderer's JavaScript thread; web messages
// go both ways; and a document that is destroyed (the frame navigated, the frame was removed, the
// document holding the frame navigated) takes the app's scripts pending in it along: each fails
// or never completes, a recorded choice (FB#3124 observed "never").
//
// Determinism: a frame navigation is a message to the browser, then one to the frame's renderer;
// pending scripts are visited in call order.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/internal/pages.h"

namespace wvsim::model::webview2::internal {

namespace {

using When = Page::Script::When;

// Args of the frame's `event`: raised by the frame, on the WebView's UI thread (W2).
template <typename A>
A& NewFrameEventArgs(Core& core, FrameRecord& frame, const char* event) {
  A& args = core.events.NewEventArgs<A>(*frame.webview, event, "", "W15");
  EventAccess::Record(args).source = frame.handle;
  return args;
}

Task<> BrowserFrameNavigationAnswered(Core& core, FrameRecord& frame, std::string_view uri,
                                      uint64_t id, bool cancel) {
  core.pages.AnswerFrameNavigationStarting(frame, uri, id, cancel);
  co_return;
}

Task<> BrowserNavigateFrame(Core& core, FrameRecord& frame, std::string_view uri) {
  if (frame.webview->browser().dead() || frame.destroyed) co_return;
  const uint64_t id = core.navigation.NextNavigationId();
  if (frame.navigation_starting.empty()) {
    core.pages.CommitFrameNavigation(frame, uri, id);
    co_return;
  }
  auto& args = NewFrameEventArgs<NavigationStartingEventArgs>(
      core, frame, "CoreWebView2Frame.NavigationStarting");
  EventAccess::Value(args.uri) = uri;
  EventAccess::Value(args.navigation_id) = id;
  EventAccess::Value(args.is_user_initiated) = false;  // a page script's navigation
  Core* self = &core;
  FrameRecord* target = &frame;
  NavigationStartingEventArgs* event = &args;
  // W9: no deferral: Cancel is read when the handler returned or first suspended.
  EventAccess::Record(args).on_finish = [self, target, event, uri, id] {
    const bool cancel = event->cancel.Peek();
    Send(self->port, target->webview->browser().thread,
         cancel ? sim::MessageLabel("frame navigation cancelled")
                : sim::MessageLabel("frame navigation goes on"),
         [self, target, uri, id, cancel] {
           return BrowserFrameNavigationAnswered(*self, *target, uri, id, cancel);
         });
  };
  core.events.RaiseEvent(args, frame.navigation_starting);
}

Task<> RendererLoadFrame(Core& core, FrameRecord& frame, uint64_t document) {
  core.pages.LoadFrame(frame, document);
  co_return;
}

Task<> FrameScriptTask(Core& core, FrameRecord& frame, RendererProcess& renderer,
                       const Page::Script& script, uint64_t document) {
  // A script of a document that is gone by now does not run.
  if (!renderer.responsive() || frame.destroyed || frame.document != document) co_return;
  Core* self = &core;
  FrameRecord* target = &frame;
  RendererProcess* process = &renderer;
  const Page::Script* kept = &script;
  core.pages.RunJs(renderer, [self, target, process, kept] {
    self->pages.RunScriptFrom(*target->webview, *process, *kept, 0, target);
  });
}

// A frame document's timer (setTimeout from its load event), as the main document's
// (page_scripts.cc): a thread whose one scheduling point is the moment the timer fires, then the
// script is a message to the frame's renderer; a document gone by then runs nothing.
Task<> FrameTimerFires(Core& core, FrameRecord& frame, RendererProcess& renderer,
                       const Page::Script& script, uint64_t document) {
  co_await core.kernel.Yield({"setTimeout fires", frame.handle});
  if (!renderer.responsive() || frame.destroyed || frame.document != document) co_return;
  Core* self = &core;
  FrameRecord* target = &frame;
  RendererProcess* process = &renderer;
  const Page::Script* kept = &script;
  core.processes.SendToRenderer(renderer, "frame timer script",
                                [self, target, process, kept, document]() -> Task<> {
                                  return FrameScriptTask(*self, *target, *process, *kept, document);
                                });
}

struct FrameWebMessage {
  uint64_t document = 0;  // the frame's document current at the call
  std::string text;
  bool is_json = false;
};

Task<> RendererDeliverFrameWebMessage(Core& core, FrameRecord& frame,
                                      const FrameWebMessage& message, RendererProcess& renderer) {
  if (!renderer.responsive() || frame.webview->closed) co_return;  // W12, W14
  if (frame.destroyed || frame.document != message.document) {
    // WR (PostWebMessageAsJson of a frame): "If a navigation occurs before the message is posted
    // to the iframe, the message is not be sent."
    if (core.kernel.traced()) {
      core.kernel.Log(absl::StrCat("web message for ", frame.handle->name(),
                                   " dropped: the document it was posted to is gone (W15)"));
    }
    co_return;
  }
  Core* self = &core;
  FrameRecord* target = &frame;
  const FrameWebMessage* kept = &message;
  core.pages.RunJs(renderer, [self, target, kept] {
    self->pages.DeliverFrameWebMessage(*target, kept->text, kept->is_json);
  });
}

Task<> BrowserForwardFrameWebMessage(Core& core, FrameRecord& frame,
                                     const FrameWebMessage& message) {
  if (frame.webview->browser().dead() || frame.renderer == nullptr) co_return;
  Core* self = &core;
  FrameRecord* target = &frame;
  const FrameWebMessage* kept = &message;
  RendererProcess* renderer = frame.renderer;
  core.processes.SendToRenderer(*renderer, "frame web message", [self, target, kept, renderer] {
    return RendererDeliverFrameWebMessage(*self, *target, *kept, *renderer);
  });
}

}  // namespace

FrameRecord* Pages::FindFrame(const WebViewRecord& webview, std::string_view name) const {
  for (CoreWebView2Frame* frame : webview.frames) {
    FrameRecord& record = HandleAccess::Record(*frame);
    if (record.name == name) return &record;
  }
  return nullptr;
}

void Pages::NavigateFrame(FrameRecord& frame, std::string_view uri) {
  // The URI lives until the run ends: everything downstream views it.
  const std::string_view kept = kernel_.Make<sim::PooledString>(uri);
  Core* core = &core_;
  FrameRecord* target = &frame;
  Send(core_.port, frame.webview->browser().thread, "frame navigate",
       [core, target, kept] { return BrowserNavigateFrame(*core, *target, kept); });
}

void Pages::AnswerFrameNavigationStarting(FrameRecord& frame, std::string_view uri, uint64_t id,
                                          bool cancel) {
  if (frame.webview->browser().dead() || frame.destroyed) return;
  if (!cancel) {
    CommitFrameNavigation(frame, uri, id);
    return;
  }
  // W9: a cancelled navigation does not load; NavigationCompleted reports it.
  if (frame.navigation_completed.empty()) return;
  auto& args =
      NewFrameEventArgs<NavigationEventArgs>(core_, frame, "CoreWebView2Frame.NavigationCompleted");
  EventAccess::Value(args.uri) = uri;
  EventAccess::Value(args.navigation_id) = id;
  EventAccess::Value(args.is_success) = false;
  EventAccess::Value(args.web_error_status) = WebErrorStatus::kOperationCanceled;
  core_.events.RaiseEvent(args, frame.navigation_completed);
}

void Pages::CommitFrameNavigation(FrameRecord& frame, std::string_view uri, uint64_t id) {
  // The browser commits the navigation: the frame's old document is gone from now on.
  DestroyFrameDocument(frame);
  frame.uri = std::string(uri);
  frame.navigation_id = id;
  // Site isolation (W11): the new document runs in the renderer of its site.
  RendererProcess& renderer = core_.processes.RendererFor(frame.webview->browser(), uri);
  frame.renderer = &renderer;
  Core* core = &core_;
  FrameRecord* target = &frame;
  const uint64_t document = frame.document;
  core_.processes.SendToRenderer(renderer, "frame load", [core, target, document]() -> Task<> {
    return RendererLoadFrame(*core, *target, document);
  });
}

void Pages::LoadFrame(FrameRecord& frame, uint64_t document) {
  if (frame.destroyed || frame.document != document) return;  // navigated again, or removed
  if (frame.renderer == nullptr || !frame.renderer->responsive()) return;  // W12
  RaiseFrameDocumentEvent(frame, frame.content_loading, "CoreWebView2Frame.ContentLoading");
  RaiseFrameDocumentEvent(frame, frame.dom_content_loaded, "CoreWebView2Frame.DOMContentLoaded");
  SendFrameScripts(frame, When::kDOMContentLoaded);
  RaiseFrameDocumentEvent(frame, frame.navigation_completed,
                          "CoreWebView2Frame.NavigationCompleted");
  SendFrameScripts(frame, When::kLoad);
}

void Pages::RaiseFrameDocumentEvent(FrameRecord& frame, HandlerList<NavigationEventArgs>& list,
                                    const char* event) {
  if (list.empty()) return;
  auto& args = NewFrameEventArgs<NavigationEventArgs>(core_, frame, event);
  EventAccess::Value(args.uri) = frame.uri;
  EventAccess::Value(args.navigation_id) = frame.navigation_id;
  core_.events.RaiseEvent(args, list);
}

void Pages::DestroyFrameDocument(FrameRecord& frame) {
  ++frame.document;
  frame.globals.clear();
  std::vector<sim::FutureCore*> pending = std::move(frame.pending_scripts);
  frame.pending_scripts.clear();
  for (sim::FutureCore* op : pending) {
    core_.calls.FailOnDestroyedDocument(
        *op, "W15: the frame's document was destroyed while the script was pending");
  }
}

void Pages::RemoveFrame(FrameRecord& frame) {
  if (frame.destroyed) return;
  DestroyFrameDocument(frame);
  frame.destroyed = true;
  std::vector<CoreWebView2Frame*>& frames = frame.webview->frames;
  frames.erase(std::remove(frames.begin(), frames.end(), frame.handle), frames.end());
  if (kernel_.traced()) kernel_.Log(absl::StrCat(frame.handle->name(), " is destroyed (W15)"));
  if (frame.destroyed_handlers.empty()) return;
  auto& args =
      NewFrameEventArgs<FrameDestroyedEventArgs>(core_, frame, "CoreWebView2Frame.Destroyed");
  core_.events.RaiseEvent(args, frame.destroyed_handlers);
}

void Pages::PostFrameWebMessage(FrameRecord& frame, std::string_view message, bool is_json) {
  const FrameWebMessage* kept = &kernel_.Make<FrameWebMessage>(
      FrameWebMessage{frame.document, std::string(message), is_json});
  Core* core = &core_;
  FrameRecord* target = &frame;
  Send(core_.port, frame.webview->browser().thread, "Frame.PostWebMessage",
       [core, target, kept] { return BrowserForwardFrameWebMessage(*core, *target, *kept); });
}

void Pages::RaiseFrameWebMessage(FrameRecord& frame, const std::string& message, bool is_json) {
  if (frame.web_message_received.empty()) return;
  auto& args = NewFrameEventArgs<WebMessageReceivedEventArgs>(
      core_, frame, "CoreWebView2Frame.WebMessageReceived");
  EventAccess::SetMessage(args, message, is_json);
  EventAccess::Value(args.source_uri) = frame.uri;
  core_.events.RaiseEvent(args, frame.web_message_received);
}

void Pages::DeliverFrameWebMessage(FrameRecord& frame, const std::string& message, bool is_json) {
  const Page* page = FindPage(frame.uri);
  if (page == nullptr) return;  // nobody listens
  if (page->echoes_web_messages) RaiseFrameWebMessage(frame, message, is_json);
  for (const Page::Script& script : page->scripts) {
    if (script.when != When::kWebMessage) continue;
    if (!script.message.empty() && script.message != message) continue;
    RunScriptFrom(*frame.webview, *frame.renderer, script, 0, &frame);
  }
}

void Pages::SendFrameScripts(FrameRecord& frame, When when) {
  const Page* page = FindPage(frame.uri);
  RendererProcess* renderer = frame.renderer;
  if (page == nullptr || renderer == nullptr || !renderer->responsive()) return;
  for (const Page::Script& script : page->scripts) {
    if (when == When::kLoad && script.when == When::kTimer) {
      kernel_.Spawn("frame timer",
                    FrameTimerFires(core_, frame, *renderer, script, frame.document));
      continue;
    }
    if (script.when != when) continue;
    Core* core = &core_;
    FrameRecord* target = &frame;
    const Page::Script* kept = &script;
    const uint64_t document = frame.document;
    core_.processes.SendToRenderer(
        *renderer, "frame script", [core, target, renderer, kept, document]() -> Task<> {
          return FrameScriptTask(*core, *target, *renderer, *kept, document);
        });
  }
}

}  // namespace wvsim::model::webview2::internal
