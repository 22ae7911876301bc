// CoreWebView2's calls (core_webview2.h): scripts (W6, W7), navigation (W2), printing and
// capture rendered by the GPU process (W7, W11), added scripts (W7), and event registration (W3).
// Each call is a scheduling point, then the thread check (W3); its work goes to the browser and
// the renderer as messages.
#include "model/webview2/core_webview2.h"

#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/planted_defects.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2 {

using internal::BrowserProcess;
using internal::Core;
using internal::JsHold;
using internal::RendererProcess;
using internal::RunsPastHold;
using internal::WebViewRecord;
using sim::Kernel;
using sim::Promise;
using sim::Task;
using sim::Thread;

namespace {

// ---- Scripts (W7): the renderer runs them in the document current when they arrive.

// On the page's JavaScript thread: the script's result is its completion (W7).
void RunScript(Core& core, WebViewRecord& webview, const std::string& script,
               Promise<std::string> done) {
  std::string result = core.pages.RunAppScript(webview, script);
  core.calls.Complete(webview.owner, done, std::move(result));
}

// Whether a planted defect (planted_defects.h) lets an ExecuteScript overtake this hold.
bool PlantedDefectIgnoresHold(JsHold hold) {
  const PlantedDefects& planted = TestOnlyPlantedDefects();
  switch (hold) {
    case JsHold::kNone:
      return false;
    case JsHold::kHostCall:
      return planted.script_runs_past_host_call;
    case JsHold::kWindowOpen:
      return planted.script_runs_past_window_open;
    case JsHold::kDialogEvent:
    case JsHold::kDefaultDialog:
      return planted.script_runs_past_alert;
  }
  return false;
}

// W7, W9.1, W9.3, W17: a script that reaches the renderer while a page script holds its
// JavaScript thread (an alert, window.open, a synchronous host-object call) waits behind it; the
// report says so.
void NoteWaitsBehindHeldScript(Core& core, const RendererProcess& renderer,
                               const Promise<std::string>& done) {
  if (!core.kernel.traced()) return;
  const std::string& renderer_name = renderer.thread.name();
  if (renderer.js_hold == JsHold::kHostCall) {
    core.kernel.Log(absl::StrCat(done.future().name(), " waits on ", renderer_name,
                                 "'s JavaScript thread behind the page's ", renderer.js_held_by));
    done.SetProducer(
        renderer.thread,
        absl::StrCat("it waits on ", renderer_name, "'s JavaScript thread behind the page's ",
                     renderer.js_held_by, ", which waits for the app's method to run on thread ",
                     renderer.js_held_owner.name(),
                     " (W17: a synchronous host-object call blocks the page's JavaScript until the "
                     "UI thread ran the method; W7: an ExecuteScript runs after the script that is "
                     "running)"));
    return;
  }
  if (renderer.js_hold == JsHold::kDefaultDialog) {
    core.kernel.Log(absl::StrCat(done.future().name(), " waits on ", renderer_name,
                                 "'s JavaScript thread behind the page's ", renderer.js_held_in,
                                 ", which waits for its user"));
    done.SetProducer(
        renderer.js_held_owner,
        absl::StrCat("it waits on ", renderer_name, "'s JavaScript thread behind the page's ",
                     renderer.js_held_in,
                     ", which shows the browser's default dialog and waits "
                     "for its user to answer (W9.3: AreDefaultScriptDialogsEnabled is true); the "
                     "user's click is input that thread ",
                     renderer.js_held_owner.name(),
                     "'s pump must dispatch (assumption), and an ExecuteScript waits behind an "
                     "open dialog (assumption: ",
                     std::string(kScriptDuringAlertParam), "=0; W7)"));
    return;
  }
  core.kernel.Log(absl::StrCat(done.future().name(), " waits on ", renderer_name,
                               "'s JavaScript thread behind the alert that ", renderer.js_held_by,
                               " holds"));
  done.SetProducer(renderer.thread,
                   absl::StrCat("it waits on ", renderer_name,
                                "'s JavaScript thread behind the page's script, whose ",
                                renderer.js_held_in, " is held until ", renderer.js_held_by,
                                " finished, its deferral included (W7: an ExecuteScript runs "
                                "after the script that is running; ",
                                renderer.js_held_rule, ")"));
}

}  // namespace

namespace internal {

bool RunsPastHold(Core& core, const RendererProcess& renderer, const Promise<std::string>& done) {
  if (!renderer.js_held()) return false;
  if (renderer.js_hold != JsHold::kHostCall && core.kernel.Param(kScriptDuringAlertParam, 0) != 0) {
    // The parameter's other reading (unconfirmed): the script runs during the open dialog.
    if (core.kernel.traced()) {
      core.kernel.Log(absl::StrCat(done.future().name(), " runs during the ", renderer.js_held_in,
                                   " that ", renderer.js_held_by, " holds (",
                                   std::string(kScriptDuringAlertParam), "=1)"));
    }
    return true;
  }
  if (PlantedDefectIgnoresHold(renderer.js_hold)) return true;  // the hold is ignored
  NoteWaitsBehindHeldScript(core, renderer, done);
  return false;
}

}  // namespace internal

namespace {

Task<> RendererExecuteScript(Core& core, WebViewRecord& webview, const std::string& script,
                             Promise<std::string> done, RendererProcess& renderer) {
  if (!renderer.responsive()) co_return;  // W12: a hung renderer runs nothing
  if (RunsPastHold(core, renderer, done)) {
    RunScript(core, webview, script, done);
    co_return;
  }
  Core* self = &core;
  WebViewRecord* target = &webview;
  const std::string* kept = &script;
  core.pages.RunJs(renderer,
                   [self, target, kept, done] { RunScript(*self, *target, *kept, done); });
  co_return;
}

void ForwardScript(Core& core, WebViewRecord& webview, const std::string& script,
                   Promise<std::string> done) {
  RendererProcess* renderer = webview.renderer;
  if (renderer == nullptr) {
    core.calls.Complete(webview.owner, done, std::string("null"));  // about:blank runs nothing
    return;
  }
  // W15: from now on the call is the renderer's, and dies with it.
  core.calls.HandOver(done.future().state(), renderer->thread);
  Core* self = &core;
  WebViewRecord* target = &webview;
  const std::string* kept = &script;
  core.processes.SendToRenderer(*renderer, "script", [self, target, kept, done, renderer] {
    return RendererExecuteScript(*self, *target, *kept, done, *renderer);
  });
}

Task<> BrowserForwardScript(Core& core, WebViewRecord& webview, const std::string& script,
                            Promise<std::string> done) {
  if (webview.browser().dead()) co_return;
  // W7: called after NavigationStarting, it runs in the new document: the browser keeps it until
  // the navigation commits (or is cancelled: then in the document that stays).
  if (webview.navigation_pending()) {
    Core* self = &core;
    WebViewRecord* target = &webview;
    const std::string* kept = &script;
    core.navigation.HoldScript(
        webview, [self, target, kept, done] { ForwardScript(*self, *target, *kept, done); });
    co_return;
  }
  ForwardScript(core, webview, script, done);
}

// ---- Printing and capture (W7, W11).

// The GPU process renders a print or a capture; while it hangs the call stays pending (a `stall`
// naming it), and its relaunch after a crash does it again (auxiliary_processes.cc).
void RenderOnGpu(Core& core, WebViewRecord& webview, Promise<bool> done, const char* what,
                 bool printing) {
  Core* self = &core;
  WebViewRecord* target = &webview;
  std::string work = core.kernel.traced() ? absl::StrCat(what, " of ", webview.handle->name(),
                                                         " for ", done.future().name())
                                          : std::string();
  // The renderer's part is done: a renderer crash no longer touches the call. The browser keeps
  // GPU work across a GPU crash and sends it to the relaunched process (W12).
  core.calls.HandOver(done.future().state(), webview.browser().thread);
  core.processes.RunOnAuxiliary(webview.browser().gpu, std::move(work),
                                [self, target, done, printing] {
                                  if (printing) target->printing = false;
                                  self->calls.Complete(target->owner, done, true);
                                });
}

// `renderer`: the process the browser sent the work to (null: about:blank, the browser prints
// it). A crashed renderer does no more work: its calls were failed or left pending (W15).
Task<> RendererPrint(Core& core, WebViewRecord& webview, Promise<bool> done,
                     const RendererProcess* renderer) {
  if (webview.browser().dead() || (renderer != nullptr && renderer->crashed)) co_return;
  RenderOnGpu(core, webview, done, "rendering of the PDF", true);
}

Task<> RendererCapture(Core& core, WebViewRecord& webview, Promise<bool> done,
                       const RendererProcess& renderer) {
  if (webview.browser().dead() || renderer.crashed) co_return;
  RenderOnGpu(core, webview, done, "capture of the preview", false);
}

Task<> BrowserAddScript(Core& core, WebViewRecord& webview, Promise<std::string> done) {
  if (webview.browser().dead()) co_return;
  core.calls.Complete(webview.owner, done, std::string("script-1"));
}

// The thread a call's work is processed on, for reports: the renderer, or the browser.
Thread ProducerOf(const WebViewRecord& webview) {
  return webview.renderer != nullptr ? webview.renderer->thread : webview.browser().thread;
}

}  // namespace

Task<Async<std::string>> CoreWebView2::ExecuteScriptAsync(std::string_view script) {
  Core& core = *record_->core;
  Kernel& k = core.kernel;
  co_await k.Yield({"ExecuteScript", this});
  core.CheckCall(*record_, "CoreWebView2.ExecuteScriptAsync");
  BrowserProcess& browser = record_->browser();
  const Promise<std::string> done =
      core.calls.NewOp<std::string>("ExecuteScript", k.Current(), browser, ProducerOf(*record_));
  const std::string* kept = &k.Make<std::string>(script);
  Core* runtime = &core;
  WebViewRecord* webview = record_;
  internal::Send(core.port, browser.thread, "ExecuteScript", [runtime, webview, kept, done] {
    return BrowserForwardScript(*runtime, *webview, *kept, done);
  });
  co_return Async<std::string>(&core, done.future());
}

Task<> CoreWebView2::Navigate(std::string_view uri) {
  Core& core = *record_->core;
  co_await core.kernel.Yield({"Navigate", this});
  core.CheckCall(*record_, "CoreWebView2.Navigate");
  core.navigation.StartNavigation(*record_, "Navigate", std::string(uri));
}

Task<> CoreWebView2::Reload() {
  Core& core = *record_->core;
  co_await core.kernel.Yield({"Reload", this});
  core.CheckCall(*record_, "CoreWebView2.Reload");
  core.navigation.StartNavigation(*record_, "Reload", record_->document);
}

Task<Async<bool>> CoreWebView2::PrintToPdfAsync(std::string_view path) {
  Core& core = *record_->core;
  Kernel& k = core.kernel;
  (void)path;
  co_await k.Yield({"PrintToPdf", this});
  core.CheckCall(*record_, "CoreWebView2.PrintToPdfAsync");
  const Thread caller = k.Current();
  BrowserProcess& browser = record_->browser();
  const Promise<bool> done = core.calls.NewOp<bool>("PrintToPdf", caller, browser, browser.thread);
  if (record_->printing) {
    core.calls.CompleteWithError(caller, done, kEAbort, "W7: another print is in progress");
  } else {
    record_->printing = true;
    Core* runtime = &core;
    WebViewRecord* webview = record_;
    const RendererProcess* renderer = record_->renderer;
    auto print = [runtime, webview, done, renderer] {
      return RendererPrint(*runtime, *webview, done, renderer);
    };
    if (record_->renderer != nullptr) {
      // W15: the print is the renderer's from now on (reports name it; it dies with it).
      core.calls.HandOver(done.future().state(), record_->renderer->thread);
      core.processes.SendToRenderer(*record_->renderer, "print", std::move(print));  // held
    } else {
      internal::Send(core.port, browser.thread, "print", std::move(print));  // about:blank
    }
  }
  co_return Async<bool>(&core, done.future());
}

Task<Async<bool>> CoreWebView2::CapturePreviewAsync() {
  Core& core = *record_->core;
  Kernel& k = core.kernel;
  co_await k.Yield({"CapturePreview", this});
  core.CheckCall(*record_, "CoreWebView2.CapturePreviewAsync");
  const Thread caller = k.Current();
  BrowserProcess& browser = record_->browser();
  const Promise<bool> done =
      core.calls.NewOp<bool>("CapturePreview", caller, browser, browser.thread);
  if (!record_->content_loading_seen || record_->renderer == nullptr) {
    // W7: nothing to capture before the first ContentLoading (the HRESULT is unconfirmed).
    core.calls.CompleteWithError(caller, done, kEFail, "W7: CapturePreview before ContentLoading");
  } else {
    Core* runtime = &core;
    WebViewRecord* webview = record_;
    core.calls.HandOver(done.future().state(), record_->renderer->thread);  // W15, as print
    const RendererProcess* renderer = record_->renderer;
    core.processes.SendToRenderer(*record_->renderer, "capture",
                                  [runtime, webview, done, renderer] {
                                    return RendererCapture(*runtime, *webview, done, *renderer);
                                  });
  }
  co_return Async<bool>(&core, done.future());
}

Task<Async<std::string>> CoreWebView2::AddScriptToExecuteOnDocumentCreatedAsync(
    std::string_view script) {
  Core& core = *record_->core;
  Kernel& k = core.kernel;
  co_await k.Yield({"AddScriptToExecuteOnDocumentCreated", this});
  core.CheckCall(*record_, "CoreWebView2.AddScriptToExecuteOnDocumentCreatedAsync");
  BrowserProcess& browser = record_->browser();
  const Promise<std::string> done =
      core.calls.NewOp<std::string>("AddScriptToExecuteOnDocumentCreated", k.Current(), browser,
                                    browser.thread, internal::Completion::kMustFinish);
  WebViewRecord::AddedScript added;
  const size_t equals = script.find(" = ");
  if (equals != std::string_view::npos) {
    added.name = std::string(script.substr(0, equals));
    added.value = std::string(script.substr(equals + 3));
  }
  added.added = done.future();
  record_->added_scripts.push_back(std::move(added));
  Core* runtime = &core;
  WebViewRecord* webview = record_;
  internal::Send(core.port, browser.thread, "AddScript",
                 [runtime, webview, done] { return BrowserAddScript(*runtime, *webview, done); });
  co_return Async<std::string>(&core, done.future());
}

Task<CookieManager*> CoreWebView2::GetCookieManager() {
  co_await record_->core->kernel.Yield({"get_CookieManager", this});
  record_->core->CheckThread(record_->owner, *this, "CoreWebView2.CookieManager", "W3");
  co_return &cookies_;
}

Task<std::string> CoreWebView2::get_DocumentTitle() {
  co_await record_->core->kernel.Yield({"get_DocumentTitle", this});
  record_->core->CheckThread(record_->owner, *this, "CoreWebView2.DocumentTitle", "W3");
  co_return record_->core->pages.DocumentTitle(*record_);
}

Task<CoreWebView2Settings*> CoreWebView2::get_Settings() {
  co_await record_->core->kernel.Yield({"get_Settings", this});
  record_->core->CheckThread(record_->owner, *this, "CoreWebView2.Settings", "W3");
  co_return &settings_;
}

// ---- Event registration (W3): a call like any other, so a scheduling point, then the check.

namespace {

template <typename A>
Task<> AddHandler(WebViewRecord& webview, const char* api, internal::HandlerList<A>& list,
                  Handler<A> handler) {
  co_await webview.core->kernel.Yield({api, webview.handle});
  webview.core->CheckThread(webview.owner, *webview.handle, api, "W3");
  list.push_back(std::move(handler));
}

// "add_ScriptDialogOpening": the trace's operation and the report's name for each event.
const char* AddVerbOf(DeferrableEvent event) {
  static const std::array<std::string, kDeferrableEventCount>* const verbs = [] {
    auto* names = new std::array<std::string, kDeferrableEventCount>();
    for (int i = 0; i < kDeferrableEventCount; ++i) {
      (*names)[i] = absl::StrCat("add_", InfoOf(static_cast<DeferrableEvent>(i)).name);
    }
    return names;
  }();
  return (*verbs)[static_cast<size_t>(event)].c_str();
}

}  // namespace

Task<> CoreWebView2::add_NavigationStarting(Handler<NavigationStartingEventArgs> handler) {
  return AddHandler(*record_, "add_NavigationStarting", record_->navigation_starting,
                    std::move(handler));
}
Task<> CoreWebView2::add_ContentLoading(Handler<NavigationEventArgs> handler) {
  return AddHandler(*record_, "add_ContentLoading", record_->content_loading, std::move(handler));
}
Task<> CoreWebView2::add_DOMContentLoaded(Handler<NavigationEventArgs> handler) {
  return AddHandler(*record_, "add_DOMContentLoaded", record_->dom_content_loaded,
                    std::move(handler));
}
Task<> CoreWebView2::add_NavigationCompleted(Handler<NavigationEventArgs> handler) {
  return AddHandler(*record_, "add_NavigationCompleted", record_->navigation_completed,
                    std::move(handler));
}
Task<> CoreWebView2::add_WebMessageReceived(Handler<WebMessageReceivedEventArgs> handler) {
  return AddHandler(*record_, "add_WebMessageReceived", record_->web_message_received,
                    std::move(handler));
}
Task<> CoreWebView2::add_WebResourceRequested(Handler<WebResourceRequestedEventArgs> handler) {
  return AddHandler(*record_, "add_WebResourceRequested", record_->web_resource_requested,
                    std::move(handler));
}
Task<> CoreWebView2::add_NewWindowRequested(Handler<NewWindowRequestedEventArgs> handler) {
  return AddHandler(*record_, "add_NewWindowRequested", record_->new_window_requested,
                    std::move(handler));
}
Task<> CoreWebView2::add_ProcessFailed(Handler<ProcessFailedEventArgs> handler) {
  return AddHandler(*record_, "add_ProcessFailed", record_->process_failed, std::move(handler));
}
Task<> CoreWebView2::add_FrameCreated(Handler<FrameCreatedEventArgs> handler) {
  return AddHandler(*record_, "add_FrameCreated", record_->frame_created, std::move(handler));
}
Task<> CoreWebView2::add_DocumentTitleChanged(Handler<DocumentTitleChangedEventArgs> handler) {
  return AddHandler(*record_, "add_DocumentTitleChanged", record_->document_title_changed,
                    std::move(handler));
}
Task<> CoreWebView2::add_DeferrableEvent(DeferrableEvent event,
                                         Handler<DeferrableEventArgs> handler) {
  return AddHandler(*record_, AddVerbOf(event), record_->HandlersOf(event), std::move(handler));
}

}  // namespace wvsim::model::webview2
