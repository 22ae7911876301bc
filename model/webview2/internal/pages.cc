// Pages (pages.h): what a URL loads, what a script evaluates to, the deferrable events a page
// raises one after the other (W9), what the page sees of the app's answers, and the page's
// web messages to the host (W2).
#include "model/webview2/internal/pages.h"

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2::internal {

namespace {

// The renderer's side of W9: the page's script resumes after a deferrable event finished.
Task<> PageGoesOn(Pages& pages, WebViewRecord& webview, const Page& page, size_t next) {
  pages.RaisePageEvents(webview, page, next);
  co_return;
}

}  // namespace

const Page* Pages::FindPage(std::string_view uri) const {
  auto it = pages_.find(uri);
  return it == pages_.end() ? nullptr : &it->second;
}

std::string Pages::EvaluateScript(std::string_view document, const std::string& script) const {
  // W7: the result is JSON; "null" for undefined or an exception.
  const Page* page = FindPage(document);
  if (page != nullptr && script == "document.title") return "\"" + page->title + "\"";
  return "null";
}

std::string Pages::DocumentTitle(const WebViewRecord& webview) const {
  if (!webview.script_title.empty()) return webview.script_title;
  const Page* page = FindPage(webview.document);
  return page != nullptr ? page->title : std::string();
}

void Pages::SetDocumentTitle(WebViewRecord& webview, const std::string& title) {
  webview.script_title = title;
  webview.globals["document.title"] = "\"" + title + "\"";  // what ExecuteScript reads (W7)
  RaiseDocumentTitleChanged(webview);
}

void Pages::RaiseDocumentTitleChanged(WebViewRecord& webview) {
  if (webview.document_title_changed.empty()) return;
  auto& args = core_.events.NewEventArgs<DocumentTitleChangedEventArgs>(
      webview, "DocumentTitleChanged", "", "W2");
  core_.events.RaiseEvent(args, webview.document_title_changed);
}

void Pages::RaisePageEvents(WebViewRecord& webview, const Page& page, size_t index) {
  for (; index < page.events.size(); ++index) {
    const DeferrableEvent event = page.events[index];
    HandlerList<DeferrableEventArgs>& handlers = webview.HandlersOf(event);
    if (handlers.empty()) continue;  // nobody listens: the runtime goes on at once
    const DeferrableEventInfo& info = InfoOf(event);
    auto& args = core_.events.NewEventArgs<DeferrableEventArgs>(webview, info.name, info.holds_up,
                                                                info.rule);
    EventAccess::Value(args.kind) = event;
    Core* core = &core_;
    WebViewRecord* sender = &webview;
    const Page* source = &page;
    const size_t next = index + 1;
    DeferrableEventArgs* finished = &args;
    EventAccess::Record(args).on_finish = [core, sender, source, next, finished] {
      // W9: the runtime reads the handler's answers now, and acts on them.
      if (!core->pages.ApplyOutcome(*sender, *finished)) return;
      // The page's script goes on from the renderer (W9: held up until now).
      RendererProcess* renderer = sender->renderer;
      if (renderer == nullptr || renderer->dead()) return;
      core->processes.SendToRenderer(*renderer, "page goes on",
                                     [core, sender, source, next]() -> Task<> {
                                       return PageGoesOn(core->pages, *sender, *source, next);
                                     });
    };
    core_.events.RaiseEvent(args, handlers);
    return;
  }
}

bool Pages::ApplyOutcome(WebViewRecord& webview, const DeferrableEventArgs& args) {
  std::string outcome = OutcomeOf(args);
  if (kernel_.traced()) kernel_.Log(absl::StrCat(args.Name(), " finished: ", outcome));
  webview.event_outcomes.push_back(absl::StrCat(args.Name(), ": ", outcome));
  // The page's script sees the answers it waited for (W9.3, W9.4).
  if (args.kind.Peek() == DeferrableEvent::kScriptDialogOpening) {
    webview.globals["window.dialogResult"] = DialogResultOf(args);
  } else if (args.kind.Peek() == DeferrableEvent::kPermissionRequested) {
    webview.globals["window.permissionState"] =
        absl::StrCat("\"", PermissionStateName(args.state.Peek()), "\"");
  }
  // W9.9: a certificate error not allowed ends the navigation: the page's script never runs on.
  return args.kind.Peek() != DeferrableEvent::kServerCertificateErrorDetected ||
         args.action.Peek() == ServerCertificateErrorAction::kAlwaysAllow;
}

void Pages::RaiseWebMessage(WebViewRecord& webview, const std::string& message, bool is_json) {
  if (webview.web_message_received.empty()) return;
  auto& args = core_.events.NewEventArgs<WebMessageReceivedEventArgs>(webview, "WebMessageReceived",
                                                                      "", "W2");
  EventAccess::SetMessage(args, message, is_json);
  EventAccess::Value(args.source_uri) = std::string_view(webview.document);
  core_.events.RaiseEvent(args, webview.web_message_received);
}

}  // namespace wvsim::model::webview2::internal
