// A page script's permission request (pages.h, docs/webview2-rules.md W9.4): the script awaits
// navigator.mediaDevices.getUserMedia (or geolocation, notifications...), and the browser raises
// PermissionRequested on the WebView's UI thread. Unlike alert (W9.3) or a synchronous host-object
// call (W17), the request does not hold the page's JavaScript thread: the API returns a promise,
// so other scripts and the app's ExecuteScript run while the app decides. Once the app answered
// (its handlers returned, its deferral completed), the answer goes back to the renderer, and the
// rest of the script runs there, on the JavaScript thread, behind whatever holds it then.
//
// Determinism: one event on the UI thread and one message back to the renderer, in order.
#include <string_view>

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/internal/pages.h"

namespace wvsim::model::webview2::internal {

namespace {

// One request in flight, in the run's pooled memory.
struct PermissionRequest {
  Core* core = nullptr;
  WebViewRecord* webview = nullptr;
  RendererProcess* renderer = nullptr;
  const Page::Script* script = nullptr;
  size_t index = 0;           // the script's step that asked
  std::string_view document;  // the document that asked (in pooled memory)
  std::string answer;         // the state as the page sees it, JSON
};

// On the renderer: the answer reached the page; the script goes on after its await, if the
// document that asked is still the WebView's.
Task<> PermissionAnswered(PermissionRequest& request) {
  RendererProcess& renderer = *request.renderer;
  if (!renderer.responsive()) co_return;  // W12: a dead renderer runs nothing more
  if (std::string_view(request.webview->document) != request.document) co_return;
  PermissionRequest* kept = &request;
  request.core->pages.RunJs(renderer, [kept] {
    const Page::Script::Step& step = kept->script->steps[kept->index];
    if (!step.into.empty()) kept->webview->globals[step.into] = kept->answer;
    kept->core->pages.RunScriptFrom(*kept->webview, *kept->renderer, *kept->script,
                                    kept->index + 1);
  });
}

void SendAnswer(PermissionRequest& request) {
  if (request.renderer->dead()) return;
  PermissionRequest* kept = &request;
  request.core->processes.SendToRenderer(*request.renderer, "permission answered",
                                         [kept]() -> Task<> { return PermissionAnswered(*kept); });
}

}  // namespace

void Pages::RequestPermission(WebViewRecord& webview, RendererProcess& renderer,
                              const Page::Script& script, size_t index) {
  PermissionRequest& request = kernel_.Make<PermissionRequest>();
  request.core = &core_;
  request.webview = &webview;
  request.renderer = &renderer;
  request.script = &script;
  request.index = index;
  request.document = kernel_.Make<sim::PooledString>(webview.document);
  HandlerList<DeferrableEventArgs>& handlers =
      webview.HandlersOf(DeferrableEvent::kPermissionRequested);
  if (handlers.empty()) {
    // Nobody handles PermissionRequested: the state stays Default, which the page sees as
    // "prompt". The browser's own permission prompt and a user answering it are not modelled
    // (assumption: docs/webview2-rules.md W9.4).
    request.answer = absl::StrCat("\"", PermissionStateName(PermissionState::kDefault), "\"");
    if (kernel_.traced()) {
      kernel_.Log(
          "the page's permission request has no PermissionRequested handler: it stays "
          "default (\"prompt\"; the browser's own prompt is not modelled)");
    }
    SendAnswer(request);
    return;
  }
  const DeferrableEventInfo& info = InfoOf(DeferrableEvent::kPermissionRequested);
  auto& args =
      core_.events.NewEventArgs<DeferrableEventArgs>(webview, info.name, info.holds_up, info.rule);
  EventAccess::Value(args.kind) = DeferrableEvent::kPermissionRequested;
  PermissionRequest* pending = &request;
  DeferrableEventArgs* finished = &args;
  EventAccess::Record(args).on_finish = [pending, finished] {
    // W9.4: the runtime reads State now (window.permissionState too, as for the page's events).
    pending->core->pages.ApplyOutcome(*pending->webview, *finished);
    pending->answer = absl::StrCat("\"", PermissionStateName(finished->state.Peek()), "\"");
    SendAnswer(*pending);
  };
  core_.events.RaiseEvent(args, handlers);
}

}  // namespace wvsim::model::webview2::internal
