// The page's scripts on the renderer's single JavaScript thread (pages.h, issue 15;
// docs/webview2-rules.md W2, W7, W9.3; host-object calls: host_calls.cc, W17). A page script is a
// message on its renderer's thread; its steps post web messages to the app, set page globals that
// ExecuteScript reads, and open alert. An alert raises ScriptDialogOpening on the UI thread and
// holds the JavaScript thread until the event finished, its deferral included: the rest of the
// script, and every piece of JavaScript work that reaches the renderer meanwhile (an app's
// ExecuteScript, another page script, a web message to the page), waits behind it, in arrival order
// (RendererProcess::js_waiting).
//
// Determinism: scripts run in the order the page declares them; waiting work is a vector in
// arrival order.
#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/internal/pages.h"
#include "model/webview2/internal/script_forms.h"

namespace wvsim::model::webview2::internal {

namespace {

using When = Page::Script::When;
using StepKind = Page::Script::Step::Kind;

Task<> PageScriptTask(Pages& pages, WebViewRecord& webview, RendererProcess& renderer,
                      const Page::Script& script, std::string_view document) {
  // A script of a document that is gone by now does not run (the page navigated away).
  if (!renderer.responsive() || std::string_view(webview.document) != document) co_return;
  Pages* self = &pages;
  WebViewRecord* target = &webview;
  RendererProcess* process = &renderer;
  const Page::Script* kept = &script;
  pages.RunJs(renderer,
              [self, target, process, kept] { self->RunScriptFrom(*target, *process, *kept, 0); });
}

// A page's timer (setTimeout from its load event): a thread of its own whose one scheduling
// point is the moment the timer fires, so that the scheduler chooses where among the app's work
// the script runs (a thread choice labelled "setTimeout fires"). Then the script is a message to
// the renderer like any other page script; a document gone by then runs nothing.
Task<> PageTimerFires(Core& core, WebViewRecord& webview, RendererProcess& renderer,
                      const Page::Script& script, std::string_view document) {
  co_await core.kernel.Yield({"setTimeout fires", webview.handle});
  if (!renderer.responsive() || std::string_view(webview.document) != document) co_return;
  Pages* pages = &core.pages;
  WebViewRecord* target = &webview;
  RendererProcess* process = &renderer;
  const Page::Script* kept = &script;
  core.processes.SendToRenderer(renderer, "timer script",
                                [pages, target, process, kept, document]() -> Task<> {
                                  return PageScriptTask(*pages, *target, *process, *kept, document);
                                });
}

const char* DialogFunction(StepKind kind) {
  switch (kind) {
    case StepKind::kConfirm:
      return "confirm";
    case StepKind::kPrompt:
      return "prompt";
    default:
      return "alert";
  }
}

ScriptDialogKind DialogKindOf(StepKind kind) {
  switch (kind) {
    case StepKind::kConfirm:
      return ScriptDialogKind::kConfirm;
    case StepKind::kPrompt:
      return ScriptDialogKind::kPrompt;
    default:
      return ScriptDialogKind::kAlert;
  }
}

Task<> AlertReturnsTask(Pages& pages, WebViewRecord& webview, RendererProcess& renderer,
                        const Page::Script& script, size_t next, FrameRecord* frame = nullptr,
                        uint64_t frame_document = 0) {
  pages.ResumeHeldScript(webview, renderer, script, next, frame, frame_document);
  co_return;
}

}  // namespace

std::map<std::string, std::string>& GlobalsOf(WebViewRecord& webview, FrameRecord* frame) {
  return frame != nullptr ? frame->globals : webview.globals;
}

bool SameDocument(const FrameRecord* frame, uint64_t document) {
  return frame == nullptr || (!frame->destroyed && frame->document == document);
}

// W9.3: what the dialog returns to the page's script, as JSON: confirm true when accepted, else
// false; prompt the result text when accepted ("" when none was given: the model's reading), else
// null; alert undefined (null).
std::string DialogAnswer(Page::Script::Step::Kind kind, bool accepted, std::string_view text) {
  if (kind == StepKind::kConfirm) return accepted ? "true" : "false";
  if (kind != StepKind::kPrompt || !accepted) return "null";
  std::string json = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') json += '\\';
    json += c;
  }
  return json + "\"";
}

const char* DialogCall(Page::Script::Step::Kind kind) {
  switch (kind) {
    case StepKind::kConfirm:
      return "confirm()";
    case StepKind::kPrompt:
      return "prompt()";
    default:
      return "alert()";
  }
}

void Pages::SendPageScripts(WebViewRecord& webview, When when) {
  const Page* page = FindPage(webview.document);
  RendererProcess* renderer = webview.renderer;
  if (page == nullptr || renderer == nullptr || !renderer->responsive()) return;
  for (const Page::Script& script : page->scripts) {
    if (when == When::kLoad && script.when == When::kTimer) {
      const std::string_view document = kernel_.Make<sim::PooledString>(webview.document);
      kernel_.Spawn("page timer", PageTimerFires(core_, webview, *renderer, script, document));
      continue;
    }
    if (script.when != when) continue;
    Pages* self = this;
    WebViewRecord* target = &webview;
    const Page::Script* kept = &script;
    const std::string_view document = kernel_.Make<sim::PooledString>(webview.document);
    core_.processes.SendToRenderer(
        *renderer, "page script", [self, target, renderer, kept, document]() -> Task<> {
          return PageScriptTask(*self, *target, *renderer, *kept, document);
        });
  }
}

void Pages::DeliverWebMessage(WebViewRecord& webview, const std::string& message, bool is_json) {
  const Page* page = FindPage(webview.document);
  if (page == nullptr) return;  // nobody listens
  if (page->echoes_web_messages) RaiseWebMessage(webview, message, is_json);
  RendererProcess* renderer = webview.renderer;
  if (renderer == nullptr) return;
  for (const Page::Script& script : page->scripts) {
    if (script.when != When::kWebMessage) continue;
    if (!script.message.empty() && script.message != message) continue;
    Pages* self = this;
    WebViewRecord* target = &webview;
    const Page::Script* kept = &script;
    // Each listener's script after the one before it: behind it when that one opened an alert.
    RunJs(*renderer,
          [self, target, renderer, kept] { self->RunScriptFrom(*target, *renderer, *kept, 0); });
  }
}

std::string Pages::RunAppScript(WebViewRecord& webview, const std::string& script) {
  if (std::optional<std::string> message = ParsePostMessageScript(script); message.has_value()) {
    // W2: the page posts; postMessage returns undefined, which ExecuteScript gives as "null" (W7).
    RaiseWebMessage(webview, *message);
    return "null";
  }
  std::string result = EvaluateScript(webview.document, script);
  if (const std::string* value = webview.Global(script); value != nullptr) result = *value;
  return result;
}

void Pages::RunScriptFrom(WebViewRecord& webview, RendererProcess& renderer,
                          const Page::Script& script, size_t index, FrameRecord* frame) {
  for (; index < script.steps.size(); ++index) {
    const Page::Script::Step& step = script.steps[index];
    switch (step.kind) {
      case StepKind::kPostMessage:
        if (frame != nullptr) {
          RaiseFrameWebMessage(*frame, step.text);  // W15: the frame's own event
        } else {
          RaiseWebMessage(webview, step.text);
        }
        break;
      case StepKind::kSetGlobal:
        (frame != nullptr ? frame->globals : webview.globals)[step.text] = step.value;
        break;
      case StepKind::kAlert:
      case StepKind::kConfirm:
      case StepKind::kPrompt:
        if (OpenAlert(webview, renderer, script, index, frame)) return;  // goes on when it returns
        break;
      case StepKind::kCallHostSync:
      case StepKind::kCallHostAsync:
        if (!CallHost(webview, renderer, script, index, frame)) return;  // held, or it threw
        break;
      case StepKind::kOpenWindow:
        WVSIM_ASSERT_MSG(frame == nullptr, "window.open in a frame's script is not modelled");
        if (OpenWindow(webview, renderer, script, index)) return;  // goes on when it returns
        break;
      case StepKind::kRequestPermission:
        WVSIM_ASSERT_MSG(frame == nullptr,
                         "a frame's permission request is Page::Frame::requests_permission");
        RequestPermission(webview, renderer, script, index);
        return;  // the rest runs once the answer is back
      case StepKind::kSetTitle:
        if (frame != nullptr) {
          frame->globals["document.title"] = "\"" + step.text + "\"";  // no event of its own
        } else {
          SetDocumentTitle(webview, step.text);
        }
        break;
      case StepKind::kNavigate:
        // location.href = ...: the document the script runs in goes away once the browser
        // commits the navigation; the script itself goes on until then.
        if (frame != nullptr) {
          NavigateFrame(*frame, step.text);  // W15: by itself
        } else {
          // W9: not a user gesture: NavigationStarting's IsUserInitiated is false.
          core_.navigation.StartNavigation(webview, "page navigates", step.text,
                                           /*user_initiated=*/false);
        }
        break;
      case StepKind::kNavigateFrame:
      case StepKind::kRemoveFrame:
        WVSIM_ASSERT_MSG(frame == nullptr,
                         "a frame's script names frames of its own (not "
                         "modelled: nested frames)");
        if (FrameRecord* child = FindFrame(webview, step.value); child != nullptr) {
          if (step.kind == StepKind::kNavigateFrame) {
            NavigateFrame(*child, step.text);  // W15: by its parent
          } else {
            RemoveFrame(*child);
          }
        }
        break;
    }
  }
}

bool Pages::OpenAlert(WebViewRecord& webview, RendererProcess& renderer, const Page::Script& script,
                      size_t index, FrameRecord* frame) {
  const Page::Script::Step& step = script.steps[index];
  if (webview.document_default_script_dialogs) {
    // W9.3: the default dialogs (AreDefaultScriptDialogsEnabled true when the document loaded):
    // no ScriptDialogOpening; the browser's own dialog waits for its user (default_dialogs.cc).
    ShowDefaultDialog(webview, renderer, script, index, frame);
    return true;
  }
  HandlerList<DeferrableEventArgs>& handlers =
      webview.HandlersOf(DeferrableEvent::kScriptDialogOpening);
  if (handlers.empty()) {
    // The default dialogs off and nobody handles ScriptDialogOpening: no dialog is shown at all
    // and it returns at once, unanswered (assumption: docs/webview2-rules.md W9.3).
    if (kernel_.traced()) {
      kernel_.Log(absl::StrCat(DialogFunction(step.kind), "(", step.text,
                               ") shows no dialog: the default dialogs are off and nobody "
                               "handles ScriptDialogOpening"));
    }
    if (!step.into.empty())
      GlobalsOf(webview, frame)[step.into] = DialogAnswer(step.kind, false, "");
    return false;
  }
  const DeferrableEventInfo& info = InfoOf(DeferrableEvent::kScriptDialogOpening);
  auto& args =
      core_.events.NewEventArgs<DeferrableEventArgs>(webview, info.name, info.holds_up, info.rule);
  EventAccess::Value(args.kind) = DeferrableEvent::kScriptDialogOpening;
  EventAccess::Value(args.message) = step.text;
  EventAccess::Value(args.dialog_kind) = DialogKindOf(step.kind);
  if (step.kind == StepKind::kPrompt) EventAccess::Value(args.default_text) = step.value;
  renderer.js_hold = JsHold::kDialogEvent;
  renderer.js_held_in = DialogCall(step.kind);
  renderer.js_held_rule = "W9.3";
  if (kernel_.traced()) renderer.js_held_by = EventAccess::Record(args).Name();
  Core* core = &core_;
  WebViewRecord* sender = &webview;
  RendererProcess* process = &renderer;
  const Page::Script* source = &script;
  const size_t next = index + 1;
  DeferrableEventArgs* finished = &args;
  // A frame's dialog (W15): the answer and the rest of the script belong to the frame's
  // document, if it is still the one that opened it.
  const uint64_t document = frame != nullptr ? frame->document : 0;
  EventAccess::Record(args).on_finish = [core, sender, process, source, next, finished, frame,
                                         document] {
    // W9.3: the answers are read now (window.dialogResult, and the global the confirm or prompt
    // returns into), and the dialog returns on the page's JavaScript thread.
    core->pages.ApplyOutcome(*sender, *finished);
    const Page::Script::Step& opened = source->steps[next - 1];
    if (!opened.into.empty() && SameDocument(frame, document)) {
      GlobalsOf(*sender, frame)[opened.into] =
          DialogAnswer(opened.kind, finished->accepted.Peek(), finished->result_text.Peek());
    }
    if (process->dead()) return;
    core->processes.SendToRenderer(
        *process, "alert returns",
        [core, sender, process, source, next, frame, document]() -> Task<> {
          return AlertReturnsTask(core->pages, *sender, *process, *source, next, frame, document);
        });
  };
  core_.events.RaiseEvent(args, handlers);
  return true;
}

bool Pages::OpenWindow(WebViewRecord& webview, RendererProcess& renderer,
                       const Page::Script& script, size_t index) {
  Core* core = &core_;
  WebViewRecord* sender = &webview;
  RendererProcess* process = &renderer;
  const Page::Script* source = &script;
  const size_t next = index + 1;
  auto opener_returns = [core, sender, process, source, next] {
    if (process->dead()) return;
    core->processes.SendToRenderer(
        *process, "window.open returns", [core, sender, process, source, next]() -> Task<> {
          return AlertReturnsTask(core->pages, *sender, *process, *source, next);
        });
  };
  if (!core_.navigation.RaiseNewWindow(webview, script.steps[index].text,
                                       std::move(opener_returns))) {
    // Nobody handles NewWindowRequested: the runtime opens its own popup and window.open
    // returns at once (W9.1).
    return false;
  }
  // W9.1: the opener's JavaScript waits until window.open returned.
  renderer.js_hold = JsHold::kWindowOpen;
  renderer.js_held_in = "window.open()";
  renderer.js_held_rule = "W9.1";
  if (kernel_.traced()) renderer.js_held_by = "NewWindowRequested";
  return true;
}

void Pages::ResumeHeldScript(WebViewRecord& webview, RendererProcess& renderer,
                             const Page::Script& script, size_t next, FrameRecord* frame,
                             uint64_t frame_document) {
  if (!renderer.responsive()) return;  // W12: a dead renderer runs nothing more
  WVSIM_ASSERT_MSG(renderer.js_held(), "a script resumed on a JavaScript thread it did not hold");
  renderer.js_hold = JsHold::kNone;
  renderer.js_held_by.clear();
  // W15: a frame's script whose document was destroyed meanwhile runs no further.
  if (SameDocument(frame, frame_document)) RunScriptFrom(webview, renderer, script, next, frame);
  ReleaseJs(renderer);
}

void Pages::ReleaseJs(RendererProcess& renderer) {
  while (!renderer.js_held() && !renderer.js_waiting.empty() && renderer.responsive()) {
    absl::AnyInvocable<void()> work = std::move(renderer.js_waiting.front());
    renderer.js_waiting.erase(renderer.js_waiting.begin());
    work();
  }
}

}  // namespace wvsim::model::webview2::internal
