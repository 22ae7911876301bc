// CoreWebView2Frame's calls (frames.h): its name, scripts in the frame's document and renderer
// (W6, W7, W12, W15), web messages to it (W15), and its event handlers (W9.4, W15). The frames
// themselves are made and destroyed with their document (internal/frames.cc) and navigate
// (internal/frame_navigation.cc).
#include "model/webview2/frames.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2 {

using internal::Core;
using internal::FrameRecord;
using internal::RendererProcess;
using sim::Promise;
using sim::Task;

namespace {

// W15: a script of a document that was destroyed meanwhile (the frame navigated or was removed)
// does not run; its call's fate was chosen when the document went (Pages::DestroyFrameDocument).
bool DocumentGone(const FrameRecord& frame, uint64_t document) {
  return frame.destroyed || frame.document != document;
}

// The script ran (its completion is on its way): the document's end no longer concerns it.
void Ran(FrameRecord& frame, const Promise<std::string>& done) {
  std::vector<sim::FutureCore*>& pending = frame.pending_scripts;
  pending.erase(std::remove(pending.begin(), pending.end(), &done.future().state()), pending.end());
}

// On the frame renderer's JavaScript thread: the script's result is its completion (W7).
void RunFrameScript(Core& core, FrameRecord& frame, const std::string& script,
                    const Promise<std::string>& done, uint64_t document) {
  if (DocumentGone(frame, document)) return;  // destroyed while the script waited (W15)
  std::string result = core.pages.EvaluateScript(frame.uri, script);
  if (const std::string* value = frame.Global(script); value != nullptr) result = *value;
  Ran(frame, done);
  core.calls.Complete(frame.webview->owner, done, std::move(result));
}

Task<> RendererExecuteFrameScript(Core& core, FrameRecord& frame, const std::string& script,
                                  Promise<std::string> done, RendererProcess& renderer,
                                  uint64_t document) {
  if (!renderer.responsive() || frame.renderer != &renderer) co_return;  // W12, W15
  if (DocumentGone(frame, document)) co_return;
  // W7, W9.3, W17: the renderer's one JavaScript thread runs the script after the page script
  // that holds it (a frame's dialog or synchronous host-object call, or the main document's when
  // the frame shares its renderer), unless kScriptDuringAlertParam lets it run during a dialog.
  if (internal::RunsPastHold(core, renderer, done)) {
    RunFrameScript(core, frame, script, done, document);
    co_return;
  }
  Core* self = &core;
  FrameRecord* target = &frame;
  const std::string* kept = &script;
  core.pages.RunJs(renderer, [self, target, kept, done, document] {
    RunFrameScript(*self, *target, *kept, done, document);
  });
}

Task<> BrowserForwardFrameScript(Core& core, FrameRecord& frame, const std::string& script,
                                 Promise<std::string> done, uint64_t document) {
  if (frame.webview->browser().dead() || DocumentGone(frame, document)) co_return;
  RendererProcess* renderer = frame.renderer;
  if (renderer == nullptr) {
    // Its renderer exited earlier: the frame shows an error page; scripts run nowhere (W12).
    Ran(frame, done);
    core.calls.Complete(frame.webview->owner, done, std::string("null"));
    co_return;
  }
  Core* self = &core;
  FrameRecord* target = &frame;
  const std::string* kept = &script;
  core.processes.SendToRenderer(
      *renderer, "frame script", [self, target, kept, done, renderer, document] {
        return RendererExecuteFrameScript(*self, *target, *kept, done, *renderer, document);
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
  // W15: the script is for the document current now; it goes when that document goes.
  record_->pending_scripts.push_back(&done.future().state());
  const std::string* kept = &k.Make<std::string>(script);
  Core* runtime = &core;
  FrameRecord* frame = record_;
  const uint64_t document = record_->document;
  internal::Send(core.port, browser.thread, "Frame.ExecuteScript",
                 [runtime, frame, kept, done, document] {
                   return BrowserForwardFrameScript(*runtime, *frame, *kept, done, document);
                 });
  co_return Async<std::string>(&core, done.future());
}

namespace {

// A registration: a scheduling point (`step`), then the thread check (W3).
template <typename A>
Task<> AddFrameHandler(const CoreWebView2Frame& frame, const FrameRecord& record, const char* step,
                       const char* api, internal::HandlerList<A>& list, Handler<A> handler) {
  const internal::WebViewRecord& webview = *record.webview;
  co_await webview.core->kernel.Yield({step, &frame});
  webview.core->CheckThread(webview.owner, frame, api, "W3");
  list.push_back(std::move(handler));
}

// Host -> frame (W15), after the caller's scheduling point.
void PostFrameWebMessage(const CoreWebView2Frame& handle, FrameRecord& frame, const char* api,
                         std::string_view message, bool is_json) {
  internal::WebViewRecord& webview = *frame.webview;
  Core& core = *webview.core;
  core.CheckThread(webview.owner, handle, api, "W3");
  core.faults.CheckAlive(webview, api);
  if (frame.destroyed) {
    throw ComException(kErrorInvalidState, absl::StrCat(api, " on a destroyed frame"));
  }
  core.pages.PostFrameWebMessage(frame, message, is_json);
}

}  // namespace

Task<> CoreWebView2Frame::add_PermissionRequested(Handler<DeferrableEventArgs> handler) {
  return AddFrameHandler(*this, *record_, "Frame.add_PermissionRequested",
                         "CoreWebView2Frame.add_PermissionRequested", record_->permission_requested,
                         std::move(handler));
}
Task<> CoreWebView2Frame::add_NavigationStarting(Handler<NavigationStartingEventArgs> handler) {
  return AddFrameHandler(*this, *record_, "Frame.add_NavigationStarting",
                         "CoreWebView2Frame.add_NavigationStarting", record_->navigation_starting,
                         std::move(handler));
}
Task<> CoreWebView2Frame::add_ContentLoading(Handler<NavigationEventArgs> handler) {
  return AddFrameHandler(*this, *record_, "Frame.add_ContentLoading",
                         "CoreWebView2Frame.add_ContentLoading", record_->content_loading,
                         std::move(handler));
}
Task<> CoreWebView2Frame::add_DOMContentLoaded(Handler<NavigationEventArgs> handler) {
  return AddFrameHandler(*this, *record_, "Frame.add_DOMContentLoaded",
                         "CoreWebView2Frame.add_DOMContentLoaded", record_->dom_content_loaded,
                         std::move(handler));
}
Task<> CoreWebView2Frame::add_NavigationCompleted(Handler<NavigationEventArgs> handler) {
  return AddFrameHandler(*this, *record_, "Frame.add_NavigationCompleted",
                         "CoreWebView2Frame.add_NavigationCompleted", record_->navigation_completed,
                         std::move(handler));
}
Task<> CoreWebView2Frame::add_WebMessageReceived(Handler<WebMessageReceivedEventArgs> handler) {
  return AddFrameHandler(*this, *record_, "Frame.add_WebMessageReceived",
                         "CoreWebView2Frame.add_WebMessageReceived", record_->web_message_received,
                         std::move(handler));
}
Task<> CoreWebView2Frame::add_Destroyed(Handler<FrameDestroyedEventArgs> handler) {
  return AddFrameHandler(*this, *record_, "Frame.add_Destroyed", "CoreWebView2Frame.add_Destroyed",
                         record_->destroyed_handlers, std::move(handler));
}

Task<> CoreWebView2Frame::PostWebMessageAsString(std::string_view message) {
  co_await record_->webview->core->kernel.Yield({"Frame.PostWebMessageAsString", this});
  PostFrameWebMessage(*this, *record_, "CoreWebView2Frame.PostWebMessageAsString", message, false);
}

Task<> CoreWebView2Frame::PostWebMessageAsJson(std::string_view json) {
  co_await record_->webview->core->kernel.Yield({"Frame.PostWebMessageAsJson", this});
  PostFrameWebMessage(*this, *record_, "CoreWebView2Frame.PostWebMessageAsJson", json, true);
}

}  // namespace wvsim::model::webview2
