// Host-object calls from the page (pages.h, docs/webview2-rules.md W17): a page script's step
// calls a method of an object the app added with AddHostObjectToScript. The method is app code:
// it runs on the WebView's UI thread, delivered through its pump (a posted message, or the app's
// framework's delivery of COM calls, kHostCallsInStaWaitsParam), as a WebView2 callback on the
// handler boundary (W4: the reentrancy oracle sees a nested loop it starts; WebView2Feedback
// #3677). A synchronous proxy holds the page's JavaScript thread until the method returned and its
// answer came back to the renderer; an asynchronous one lets the script go on and resolves its
// promise later, on the JavaScript thread, behind whatever holds it.
//
// Determinism: a call is a message to the UI thread and one back to the renderer, in order.
#include <optional>

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/internal/pages.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2::internal {

namespace {

using StepKind = Page::Script::Step::Kind;

// One call in flight, in the run's pooled memory.
struct HostCall {
  Core* core = nullptr;
  WebViewRecord* webview = nullptr;
  RendererProcess* renderer = nullptr;
  const Page::Script* script = nullptr;
  size_t index = 0;  // the script's step that calls
  HostObject::Method* method = nullptr;
  std::string_view document;          // the document that called (in pooled memory)
  std::optional<std::string> answer;  // empty: the method threw (the page's call throws)

  const Page::Script::Step& step() const { return script->steps[index]; }
  bool sync() const { return step().kind == StepKind::kCallHostSync; }
  std::string What() const {
    return absl::StrCat(sync() ? "synchronous" : "asynchronous", " host object call ", step().text,
                        ".", step().value, "()");
  }
};

// On the renderer: the answer reached the page.
Task<> HostCallReturns(HostCall& call) {
  RendererProcess& renderer = *call.renderer;
  WebViewRecord& webview = *call.webview;
  if (!renderer.responsive()) co_return;  // W12: a dead renderer runs nothing more
  const bool same_document = std::string_view(webview.document) == call.document;
  const std::string& into = call.step().into;
  if (call.sync()) {
    if (same_document && call.answer.has_value() && !into.empty()) {
      webview.globals[into] = *call.answer;
    }
    // A call that threw throws in the page: the rest of its script does not run.
    const size_t next = call.answer.has_value() ? call.index + 1 : call.script->steps.size();
    call.core->pages.ResumeHeldScript(webview, renderer, *call.script, next);
    co_return;
  }
  if (!same_document || !call.answer.has_value() || into.empty()) co_return;
  HostCall* kept = &call;
  // The promise resolves on the JavaScript thread, behind a script that holds it (W7).
  call.core->pages.RunJs(renderer,
                         [kept] { kept->webview->globals[kept->step().into] = *kept->answer; });
}

// On the UI thread: the app's method, as a WebView2 callback (W4, W17).
Task<> RunHostMethod(HostCall& call) {
  Core& core = *call.core;
  HandlerFrame& frame = core.kernel.Make<HandlerFrame>();
  frame.completion = call.What();
  frame.frame = co_await CurrentFrame{};
  co_await core.boundary.Enter(frame);
  try {
    std::string answer = co_await (*call.method)();
    call.answer = std::move(answer);
  } catch (const std::exception& error) {
    if (core.kernel.traced()) {
      core.kernel.Log(absl::StrCat("exception escaped the ", call.What(),
                                   " on the UI thread; the page's call throws: ", error.what()));
    }
  }
  core.boundary.Exit(frame);
  RendererProcess& renderer = *call.renderer;
  if (renderer.dead()) co_return;
  HostCall* kept = &call;
  core.processes.SendToRenderer(renderer, "host call returns",
                                [kept]() -> Task<> { return HostCallReturns(*kept); });
}

}  // namespace

void Pages::DeliverHostCall(sim::Thread ui, std::string label, absl::AnyInvocable<Task<>()> call) {
  if (host_call_delivery_ && kernel_.Param(kHostCallsInStaWaitsParam, 1) != 0) {
    host_call_delivery_(ui, std::move(label), std::move(call));
    return;
  }
  Send(core_.port, ui,
       kernel_.traced() ? sim::MessageLabel(std::move(label))
                        : sim::MessageLabel::Static("host object call"),
       std::move(call));
}

bool Pages::CallHost(WebViewRecord& webview, RendererProcess& renderer, const Page::Script& script,
                     size_t index) {
  const Page::Script::Step& step = script.steps[index];
  const bool sync = step.kind == StepKind::kCallHostSync;
  HostObject* object = webview.FindHostObject(step.text);
  HostObject::Method* method = object != nullptr ? object->FindMethod(step.value) : nullptr;
  if (method == nullptr) {
    // W17: no such object (never added, or removed) or method: the call throws in the page (a
    // synchronous call, ending its script) or its promise rejects (an asynchronous one).
    if (kernel_.traced()) {
      kernel_.Log(absl::StrCat("the page calls ", step.text, ".", step.value,
                               "(), which the app did not add to the script: it ",
                               sync ? "throws" : "rejects"));
    }
    return !sync;
  }
  HostCall& call = kernel_.Make<HostCall>();
  call.core = &core_;
  call.webview = &webview;
  call.renderer = &renderer;
  call.script = &script;
  call.index = index;
  call.method = method;
  call.document = kernel_.Make<sim::PooledString>(webview.document);
  if (sync) {
    renderer.js_hold = JsHold::kHostCall;
    renderer.js_held_owner = webview.owner;
    if (kernel_.traced()) renderer.js_held_by = call.What();
  }
  HostCall* kept = &call;
  DeliverHostCall(webview.owner, kernel_.traced() ? call.What() : std::string(),
                  [kept]() -> Task<> { return RunHostMethod(*kept); });
  return !sync;
}

}  // namespace wvsim::model::webview2::internal
