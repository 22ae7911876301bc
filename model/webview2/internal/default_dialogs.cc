// The browser's default script dialogs (pages.h; docs/webview2-rules.md W9.3). While
// AreDefaultScriptDialogsEnabled is true (the default) a page script's alert, confirm or prompt
// raises no ScriptDialogOpening: the browser shows its own dialog, and the page's JavaScript
// thread waits until the user answered it. The user is the scenario's (World::AnswerScriptDialog,
// on the user's thread): it waits until a dialog is showing, then clicks OK or Cancel. The click
// is input to the app's window, so it reaches the browser only once the WebView's UI thread
// dispatched it (a message on that thread's queue; assumption: the WebView's windows are children
// of the app's, whose input the UI thread's pump handles). A UI thread blocked meanwhile keeps the
// page's dialog open, and everything queued behind it on the JavaScript thread waits.
//
// Determinism: dialogs are answered in the order they were shown (a vector).
#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/internal/pages.h"

namespace wvsim::model::webview2::internal {

struct DefaultDialog {
  Core* core = nullptr;
  WebViewRecord* webview = nullptr;
  RendererProcess* renderer = nullptr;
  const Page::Script* script = nullptr;
  size_t index = 0;              // the script's step that opened it
  FrameRecord* frame = nullptr;  // a frame's dialog (W15): its document's number below
  uint64_t frame_document = 0;
  bool accept = false;
  std::string text;  // the prompt's answer
};

namespace {

// On the renderer: the answer reached the page; the script goes on after its dialog.
Task<> DialogReturns(DefaultDialog& dialog) {
  RendererProcess& renderer = *dialog.renderer;
  if (!renderer.responsive()) co_return;  // W12: a dead renderer runs nothing more
  const Page::Script::Step& step = dialog.script->steps[dialog.index];
  if (!step.into.empty() && SameDocument(dialog.frame, dialog.frame_document)) {
    GlobalsOf(*dialog.webview, dialog.frame)[step.into] =
        DialogAnswer(step.kind, dialog.accept, dialog.text);
  }
  dialog.core->pages.ResumeHeldScript(*dialog.webview, renderer, *dialog.script, dialog.index + 1,
                                      dialog.frame, dialog.frame_document);
}

// On the UI thread: its pump dispatched the user's click; the browser sends the answer on.
Task<> ClickDispatched(DefaultDialog& dialog) {
  RendererProcess& renderer = *dialog.renderer;
  if (renderer.dead()) co_return;
  DefaultDialog* kept = &dialog;
  dialog.core->processes.SendToRenderer(renderer, "dialog returns",
                                        [kept]() -> Task<> { return DialogReturns(*kept); });
}

}  // namespace

void Pages::ShowDefaultDialog(WebViewRecord& webview, RendererProcess& renderer,
                              const Page::Script& script, size_t index, FrameRecord* frame) {
  const Page::Script::Step& step = script.steps[index];
  DefaultDialog& dialog = kernel_.Make<DefaultDialog>();
  dialog.core = &core_;
  dialog.webview = &webview;
  dialog.renderer = &renderer;
  dialog.script = &script;
  dialog.index = index;
  dialog.frame = frame;
  dialog.frame_document = frame != nullptr ? frame->document : 0;
  renderer.js_hold = JsHold::kDefaultDialog;
  renderer.js_held_owner = webview.owner;
  renderer.js_held_in = DialogCall(step.kind);
  renderer.js_held_rule = "W9.3";
  if (kernel_.traced()) {
    renderer.js_held_by = "the browser's default dialog";
    kernel_.Log(absl::StrCat(DialogCall(step.kind), " shows the browser's default dialog (",
                             step.text, "): the page's JavaScript waits for its user (W9.3)"));
  }
  shown_dialogs_.push_back(&dialog);
  if (dialog_shown_.future().valid()) {
    const sim::Promise<void> shown = dialog_shown_;
    dialog_shown_ = sim::Promise<void>();
    shown.Set();
  }
}

sim::Task<> Pages::UserAnswersDialog(bool accept, std::string text, uint64_t reading_ticks) {
  if (shown_dialogs_.empty()) {
    dialog_shown_ = kernel_.MakePromise<void>("a default script dialog");
    dialog_shown_.SetProducer(
        sim::Thread(),
        "it shows once a page script calls alert, confirm or prompt while the default dialogs are "
        "on (W9.3)");
    const sim::Future<void> shown = dialog_shown_.future();
    co_await shown;
  }
  if (reading_ticks > 0) co_await kernel_.Sleep(reading_ticks);  // the user reads the dialog
  DefaultDialog& dialog = *shown_dialogs_.front();
  shown_dialogs_.erase(shown_dialogs_.begin());
  dialog.accept = accept;
  dialog.text = std::move(text);
  DefaultDialog* kept = &dialog;
  sim::MessageLabel label =
      kernel_.traced() ? sim::MessageLabel(absl::StrCat(
                             "user clicks ", accept ? "OK" : "Cancel", " in the ",
                             DialogCall(dialog.script->steps[dialog.index].kind), " dialog"))
                       : sim::MessageLabel::Static("user answers the dialog");
  auto click = [kept]() -> Task<> { return ClickDispatched(*kept); };
  co_await kernel_.Post(dialog.webview->owner, std::move(label), std::move(click));
}

}  // namespace wvsim::model::webview2::internal
