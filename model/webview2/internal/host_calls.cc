// Host-object calls from the page (pages.h, docs/webview2-rules.md W17): a page script's step
// calls a method of an object the app added with AddHostObjectToScript. The method is app code:
// it runs on the WebView's UI thread, delivered through its pump (a posted message, or the app's
// framework's delivery of COM calls, kHostCallsInStaWaitsParam), as a WebView2 callback on the
// handler boundary (W4: the reentrancy oracle sees a nested loop it starts; WebView2Feedback
// #3677). A synchronous proxy holds the page's JavaScript thread until the method returned and its
// answer came back to the renderer; an asynchronous one lets the script go on and resolves its
// promise later, on the JavaScript thread, behind whatever holds it.
//
// A frame's script (W15) calls the frame's own host objects
// (CoreWebView2Frame.AddHostObjectToScriptWithOrigins), each only while the frame's document has
// one of the object's origins; its call holds its renderer's JavaScript thread the same way, and
// when the frame's document is destroyed meanwhile the method still runs, its answer reaches
// nobody and the rest of the script does not run.
//
// Determinism: a call is a message to the UI thread and one back to the renderer, in order.
#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
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
  FrameRecord* frame = nullptr;       // a frame's script (W15), or null: the main document's
  uint64_t frame_document = 0;        // the frame's document that called
  std::optional<std::string> answer;  // empty: the method threw (the page's call throws)

  const Page::Script::Step& step() const { return script->steps[index]; }
  bool sync() const { return step().kind == StepKind::kCallHostSync; }
  std::string What() const {
    return absl::StrCat(sync() ? "synchronous" : "asynchronous", " host object call ", step().text,
                        ".", step().value, "()", frame != nullptr ? " in frame " : "",
                        frame != nullptr ? frame->name : "");
  }
  // Whether the document that called is still the one shown (W15 for a frame's).
  bool SameDocumentAsCaller() const {
    return frame != nullptr ? SameDocument(frame, frame_document)
                            : std::string_view(webview->document) == document;
  }
};

// On the renderer: the answer reached the page.
Task<> HostCallReturns(HostCall& call) {
  RendererProcess& renderer = *call.renderer;
  WebViewRecord& webview = *call.webview;
  if (!renderer.responsive()) co_return;  // W12: a dead renderer runs nothing more
  const bool same_document = call.SameDocumentAsCaller();
  const std::string& into = call.step().into;
  if (call.sync()) {
    if (same_document && call.answer.has_value() && !into.empty()) {
      GlobalsOf(webview, call.frame)[into] = *call.answer;
    }
    // A call that threw throws in the page: the rest of its script does not run. A frame's
    // document destroyed meanwhile runs no more of it (ResumeHeldScript, W15).
    const size_t next = call.answer.has_value() ? call.index + 1 : call.script->steps.size();
    call.core->pages.ResumeHeldScript(webview, renderer, *call.script, next, call.frame,
                                      call.frame_document);
    co_return;
  }
  if (!same_document || !call.answer.has_value() || into.empty()) co_return;
  HostCall* kept = &call;
  // The promise resolves on the JavaScript thread, behind a script that holds it (W7).
  call.core->pages.RunJs(renderer, [kept] {
    if (SameDocument(kept->frame, kept->frame_document)) {  // W15: a frame's document is gone
      GlobalsOf(*kept->webview, kept->frame)[kept->step().into] = *kept->answer;
    }
  });
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

// W17: the frame's host object `name` when the frame's document has one of its origins; null
// otherwise, with `refused` set when the object is there for other origins only.
HostObject* FrameHostObject(const FrameRecord& frame, std::string_view name, bool& refused) {
  for (const FrameRecord::HostObjectEntry& entry : frame.host_objects) {
    if (entry.name != name) continue;
    const std::string origin = OriginOf(frame.uri);
    for (const std::string& allowed : entry.origins) {
      if (allowed == "*" || (!origin.empty() && allowed == origin)) return entry.object;
    }
    refused = true;
    return nullptr;
  }
  return nullptr;
}

}  // namespace

std::string OriginOf(std::string_view uri) {
  const size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  const size_t host_begin = scheme_end + 3;
  const size_t host_end = std::min(uri.find_first_of("/?#", host_begin), uri.size());
  if (host_end == host_begin) return {};
  std::string origin = absl::AsciiStrToLower(std::string(uri.substr(0, host_end)));
  // The scheme's default port is no part of the normalized origin.
  if ((absl::StartsWith(origin, "https://") && absl::EndsWith(origin, ":443")) ||
      (absl::StartsWith(origin, "http://") && absl::EndsWith(origin, ":80"))) {
    origin.erase(origin.rfind(':'));
  }
  return origin;
}

std::string NormalizedOrigin(std::string_view origin) {
  if (origin == "*") return std::string(origin);
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return {};
  // An origin has no path, query or fragment.
  if (origin.find_first_of("/?#", scheme_end + 3) != std::string_view::npos) return {};
  return OriginOf(origin);
}

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
                     size_t index, FrameRecord* frame) {
  const Page::Script::Step& step = script.steps[index];
  const bool sync = step.kind == StepKind::kCallHostSync;
  // A frame's script reaches the frame's host objects only (the WebView's are the top-level
  // document's: the model's reading, docs/webview2-rules.md W17).
  bool refused = false;
  HostObject* object = frame != nullptr ? FrameHostObject(*frame, step.text, refused)
                                        : webview.FindHostObject(step.text);
  if (refused) {
    // W17: not accessible to the frame's document's origin; what its call does is the
    // parameter's (assumption): it throws as for an object never added, or returns undefined.
    const bool throws = kernel_.Param(kFrameHostCallRefusedThrowsParam, 1) != 0;
    if (kernel_.traced()) {
      kernel_.Log(absl::StrCat("frame ", frame->name, "'s document (", frame->uri, ") calls ",
                               step.text, ".", step.value,
                               "(), which the app added for other origins only: it ",
                               !throws ? "returns undefined" : (sync ? "throws" : "rejects")));
    }
    return !throws || !sync;
  }
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
  call.frame = frame;
  call.frame_document = frame != nullptr ? frame->document : 0;
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
