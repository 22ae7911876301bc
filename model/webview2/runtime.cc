// The WebView2 runtime model: processes, calls, completions, events, deferrals and the oracles
// that cite docs/webview2-rules.md (W1..W11, W3a). See runtime.h for the shape of the API.
#include "model/webview2/runtime.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "model/verdicts.h"
#include "model/webview2/planted_defects.h"
#include "sim/scenario.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2 {

using sim::Verdict;
using sim::WaitKind;

namespace {

Task<> ProcessMain(Kernel& kernel) { co_await kernel.RunMessageLoop(); }

// "https://app.example/settings" -> "https://app.example" (site isolation, W11): a view into
// `uri`, so that finding the site's renderer builds no string.
std::string_view SiteOf(std::string_view uri) {
  const size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return uri;
  const size_t path = uri.find('/', scheme + 3);
  return path == std::string_view::npos ? uri : uri.substr(0, path);
}

// ---- What the browser and renderer processes do with the host's requests.

Task<> BrowserCreateEnvironment(Runtime& rt, BrowserProcess& browser, Thread caller,
                                Promise<Environment*> done, Apartment apartment, bool differ) {
  if (browser.dead()) co_return;  // W12: a dead process handles nothing
  if (apartment == Apartment::kMta) {
    rt.CompleteWithError(caller, done, kRpcEChangedMode,
                         "W1: created on an MTA thread");  // W1: in the completion, not returned
  } else if (differ) {
    rt.CompleteWithError(caller, done, kErrorInvalidState,
                         "W11: user data folder in use with other options");  // W11
  } else {
    Environment& env = rt.kernel().Make<Environment>(rt.NextName("Environment", rt.environments),
                                                     &rt, &browser, caller);
    browser.environments.push_back(&env);
    rt.Complete(caller, done, &env);
  }
  co_return;
}

Task<> BrowserCreateController(Runtime& rt, Environment& env, Thread caller,
                               Promise<Controller*> done) {
  BrowserProcess& browser = env.browser();
  if (browser.dead()) co_return;
  const std::string id = rt.NextName("CoreWebView2", rt.controllers);
  CoreWebView2& webview = rt.kernel().Make<CoreWebView2>(id, &rt, &env, caller);
  Controller& controller = rt.kernel().Make<Controller>(id + " controller", &webview);
  browser.webviews.push_back(&webview);
  ++browser.webviews_open;
  rt.Complete(caller, done, &controller);
  co_return;
}

Task<> RendererExecuteScript(Runtime& rt, CoreWebView2& webview, const std::string& script,
                             Promise<std::string> done, RendererProcess& renderer) {
  if (!renderer.responsive()) co_return;  // W12: a hung renderer runs nothing
  std::string result = rt.EvaluateScript(webview.document(), script);
  if (const std::string* value = webview.global(script); value != nullptr) result = *value;
  rt.Complete(webview.owner(), done, std::move(result));
  co_return;
}

void ForwardScript(Runtime& rt, CoreWebView2& webview, const std::string& script,
                   Promise<std::string> done) {
  RendererProcess* renderer = webview.renderer();
  if (renderer == nullptr) {
    rt.Complete(webview.owner(), done, std::string("null"));  // about:blank runs nothing
    return;
  }
  rt.SendToRenderer(*renderer, "script", [&rt, &webview, &script, done, renderer] {
    return RendererExecuteScript(rt, webview, script, done, *renderer);
  });
}

Task<> BrowserForwardScript(Runtime& rt, CoreWebView2& webview, const std::string& script,
                            Promise<std::string> done) {
  if (webview.environment().browser().dead()) co_return;
  if (webview.navigation_pending()) {
    // W7: called after NavigationStarting, it runs in the new document: the browser keeps it
    // until the navigation commits (or is cancelled: then in the document that stays).
    webview.HoldScript(
        [&rt, &webview, &script, done] { ForwardScript(rt, webview, script, done); });
    co_return;
  }
  ForwardScript(rt, webview, script, done);
}

Task<> BrowserGetCookies(Runtime& rt, CoreWebView2& webview, Thread caller,
                         Promise<std::vector<Cookie*>> done) {
  if (webview.environment().browser().dead()) co_return;
  Cookie& cookie = rt.kernel().Make<Cookie>(&rt, webview.owner(), "session", ".app.example");
  rt.Complete(caller, done, std::vector<Cookie*>{&cookie});
  co_return;
}

}  // namespace

// ---- Runtime: threads and apartments.

Runtime& Runtime::Create(Kernel& kernel) {
  Runtime& runtime = kernel.Make<Runtime>(kernel);
  runtime.RegisterChecks();
  return runtime;
}

Runtime::Runtime(Kernel& kernel)
    : kernel_(kernel),
      port_(kernel),
      auxiliary_threads_(kernel.Param(kAuxiliaryThreadsParam, 0) != 0) {}

void Runtime::CoInitializeEx(Apartment apartment) { Info(kernel_.Current()).apartment = apartment; }

Apartment Runtime::ApartmentOf(Thread thread) const { return threads_[thread.id()].apartment; }

std::string Runtime::NextName(const char* kind, uint32_t& counter) const {
  ++counter;
  if (TestOnlyPlantedDefects().ids_shared_across_runs) {
    static uint32_t shared_counter = 0;
    return absl::StrCat(kind, "#", ++shared_counter);
  }
  return absl::StrCat(kind, "#", counter);
}

void Runtime::CheckThread(Thread owner, const sim::Object& object, const char* api,
                          const char* rule) {
  const Thread caller = kernel_.Current();
  if (caller == owner || TestOnlyPlantedDefects().skip_thread_check) return;
  kernel_.Fail(WebViewVerdict::kWrongThread, api,
               absl::StrCat(rule, ": ", api, " called on thread ", caller.name(), ", but ",
                            object.name(), " belongs to thread ", owner.name(),
                            ", the thread that created it. Win32 callers get HRESULT ",
                            DescribeHresult(kUiEWrongThread),
                            " .NET callers get InvalidOperationException: ", kDotNetWrongThreadText,
                            " Fix: post the call to the UI thread (SynchronizationContext.Post, "
                            "Dispatcher.Invoke, PostMessage)."));
  throw ComException(kUiEWrongThread, api);
}

BrowserProcess& Runtime::BrowserFor(const EnvironmentOptions& options, bool* options_differ) {
  *options_differ = false;
  if (auto it = browsers_.find(std::string_view(options.user_data_folder));
      it != browsers_.end() && !it->second->crashed && !it->second->exited) {
    // A hung browser is still the folder's browser (W11): a new environment waits on it (W12).
    *options_differ =
        it->second->options.additional_browser_arguments != options.additional_browser_arguments;
    return *it->second;
  }
  BrowserProcess& browser = kernel_.Make<BrowserProcess>();
  browser.user_data_folder = options.user_data_folder;
  browser.options = options;
  ++browser_generation_;
  browser.thread =
      kernel_.Spawn(browser_generation_ == 1 ? std::string("browser")
                                             : absl::StrCat("browser#", browser_generation_),
                    ProcessMain(kernel_), {.message_queue = true});
  browsers_.insert_or_assign(sim::PooledString(options.user_data_folder), &browser);
  LaunchAuxiliaries(browser);  // W11: the GPU and utility processes start with the browser
  return browser;
}

RendererProcess& Runtime::RendererFor(BrowserProcess& browser, std::string_view uri) {
  const std::string_view site = SiteOf(uri);
  if (auto it = browser.renderers.find(site);
      it != browser.renderers.end() && !it->second->crashed) {
    return *it->second;
  }
  RendererProcess& renderer = kernel_.Make<RendererProcess>();
  renderer.site = sim::PooledString(site);
  renderer.browser = &browser;
  ++renderer_generation_;
  renderer.thread =
      kernel_.Spawn(renderer_generation_ == 1 ? std::string("renderer")
                                              : absl::StrCat("renderer#", renderer_generation_),
                    ProcessMain(kernel_), {.message_queue = true});
  browser.renderers.insert_or_assign(renderer.site, &renderer);
  return renderer;
}

const Page* Runtime::FindPage(std::string_view uri) const {
  auto it = pages_.find(uri);
  return it == pages_.end() ? nullptr : &it->second;
}

// ---- Environment and controller creation (W1, W2, W6, W11).

Task<Async<Environment*>> Runtime::CreateCoreWebView2EnvironmentAsync(EnvironmentOptions options) {
  co_await kernel_.Yield({"CreateCoreWebView2Environment", nullptr});
  const Thread caller = kernel_.Current();
  const Apartment apartment = ApartmentOf(caller);
  if (apartment == Apartment::kNone) {
    // W1: COM is not initialised on this thread; the call itself returns the error.
    throw ComException(kCoENotInitialized, "CreateCoreWebView2EnvironmentWithOptions");
  }
  bool differ = false;
  BrowserProcess& browser = BrowserFor(options, &differ);
  const Promise<Environment*> done =
      NewOp<Environment*>("CreateCoreWebView2Environment", caller, browser, browser.thread);
  Runtime* self = this;
  BrowserProcess* process = &browser;
  Send(browser.thread, "CreateEnvironment", [self, process, caller, done, apartment, differ] {
    return BrowserCreateEnvironment(*self, *process, caller, done, apartment, differ);
  });
  co_return Async<Environment*>(this, done.future());
}

Task<Async<Controller*>> Environment::CreateCoreWebView2ControllerAsync(Window* parent) {
  Kernel& k = runtime_->kernel();
  co_await k.Yield({"CreateCoreWebView2Controller", this});
  runtime_->CheckThread(owner_, *this, "CreateCoreWebView2ControllerAsync", "W3");
  const Thread caller = k.Current();
  const Promise<Controller*> done = runtime_->NewOp<Controller*>(
      "CreateCoreWebView2Controller", caller, *browser_, browser_->thread);
  runtime_->SetParent(done.future().state(), parent);
  Runtime* rt = runtime_;
  Environment* env = this;
  runtime_->Send(browser_->thread, "CreateController", [rt, env, caller, done] {
    return BrowserCreateController(*rt, *env, caller, done);
  });
  co_return Async<Controller*>(runtime_, done.future());
}

// ---- CoreWebView2 calls (W3, W6, W7).

Task<Async<std::string>> CoreWebView2::ExecuteScriptAsync(std::string_view script) {
  Kernel& k = runtime_->kernel();
  co_await k.Yield({"ExecuteScript", this});
  runtime_->CheckThread(owner_, *this, "CoreWebView2.ExecuteScriptAsync", "W3");
  runtime_->CheckAlive(*this, "CoreWebView2.ExecuteScriptAsync");
  const Thread caller = k.Current();
  const Promise<std::string> done = runtime_->NewOp<std::string>(
      "ExecuteScript", caller, env_->browser(),
      renderer_ != nullptr ? renderer_->thread : env_->browser().thread);
  const std::string& text = k.Make<std::string>(script);
  Runtime* rt = runtime_;
  CoreWebView2* webview = this;
  const std::string* kept = &text;
  runtime_->Send(env_->browser().thread, "ExecuteScript", [rt, webview, kept, done] {
    return BrowserForwardScript(*rt, *webview, *kept, done);
  });
  co_return Async<std::string>(runtime_, done.future());
}

Task<> CoreWebView2::Navigate(std::string_view uri) {
  Kernel& k = runtime_->kernel();
  co_await k.Yield({"Navigate", this});
  runtime_->CheckThread(owner_, *this, "CoreWebView2.Navigate", "W3");
  runtime_->CheckAlive(*this, "CoreWebView2.Navigate");
  runtime_->StartNavigation(*this, "Navigate", std::string(uri));
}

Task<> CoreWebView2::Reload() {
  Kernel& k = runtime_->kernel();
  co_await k.Yield({"Reload", this});
  runtime_->CheckThread(owner_, *this, "CoreWebView2.Reload", "W3");
  runtime_->CheckAlive(*this, "CoreWebView2.Reload");
  runtime_->StartNavigation(*this, "Reload", document_);
}

std::string Runtime::EvaluateScript(std::string_view document, const std::string& script) const {
  // W7: the result is JSON; "null" for undefined or an exception.
  const Page* page = FindPage(document);
  if (page != nullptr && script == "document.title") return "\"" + page->title + "\"";
  return "null";
}

CookieManager& CoreWebView2::GetCookieManager() {
  runtime_->CheckThread(owner_, *this, "CoreWebView2.CookieManager", "W3");
  return cookies_;
}

void CoreWebView2::add_WebMessageReceived(Handler<WebMessageReceivedEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_WebMessageReceived", "W3");
  web_message_received_.push_back(std::move(handler));
}
void CoreWebView2::add_WebResourceRequested(Handler<WebResourceRequestedEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_WebResourceRequested", "W3");
  web_resource_requested_.push_back(std::move(handler));
}
void CoreWebView2::add_NewWindowRequested(Handler<NewWindowRequestedEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_NewWindowRequested", "W3");
  new_window_requested_.push_back(std::move(handler));
}

namespace {

// W7, W11: the GPU process renders a print or a capture; while it hangs the call stays pending
// (a `stall` naming it), and its relaunch after a crash does it again (auxiliary_processes.cc).
void RenderOnGpu(Runtime& rt, CoreWebView2& webview, Promise<bool> done, const char* what,
                 bool printing) {
  Runtime* self = &rt;
  CoreWebView2* target = &webview;
  std::string work = rt.kernel().traced()
                         ? absl::StrCat(what, " of ", webview.name(), " for ", done.future().name())
                         : std::string();
  rt.RunOnAuxiliary(webview.environment().browser().gpu, std::move(work),
                    [self, target, done, printing] {
                      if (printing) target->set_printing(false);
                      self->Complete(target->owner(), done, true);
                    });
}

Task<> RendererPrint(Runtime& rt, CoreWebView2& webview, Promise<bool> done) {
  if (webview.environment().browser().dead() ||
      (webview.renderer() != nullptr && webview.renderer()->crashed)) {
    co_return;
  }
  RenderOnGpu(rt, webview, done, "rendering of the PDF", true);
}

Task<> RendererCapture(Runtime& rt, CoreWebView2& webview, Promise<bool> done) {
  if (webview.environment().browser().dead()) co_return;
  RenderOnGpu(rt, webview, done, "capture of the preview", false);
}

}  // namespace

Task<Async<bool>> CoreWebView2::PrintToPdfAsync(std::string_view path) {
  Kernel& k = runtime_->kernel();
  (void)path;
  co_await k.Yield({"PrintToPdf", this});
  runtime_->CheckThread(owner_, *this, "CoreWebView2.PrintToPdfAsync", "W3");
  runtime_->CheckAlive(*this, "CoreWebView2.PrintToPdfAsync");
  const Thread caller = k.Current();
  const Promise<bool> done =
      runtime_->NewOp<bool>("PrintToPdf", caller, env_->browser(), env_->browser().thread);
  if (printing_) {
    runtime_->CompleteWithError(caller, done, kEAbort, "W7: another print is in progress");
  } else {
    printing_ = true;
    Runtime* rt = runtime_;
    CoreWebView2* webview = this;
    auto print = [rt, webview, done] { return RendererPrint(*rt, *webview, done); };
    if (renderer_ != nullptr) {
      runtime_->SendToRenderer(*renderer_, "print", std::move(print));  // held while it hangs
    } else {
      runtime_->Send(env_->browser().thread, "print", std::move(print));  // about:blank
    }
  }
  co_return Async<bool>(runtime_, done.future());
}

Task<Async<bool>> CoreWebView2::CapturePreviewAsync() {
  Kernel& k = runtime_->kernel();
  co_await k.Yield({"CapturePreview", this});
  runtime_->CheckThread(owner_, *this, "CoreWebView2.CapturePreviewAsync", "W3");
  runtime_->CheckAlive(*this, "CoreWebView2.CapturePreviewAsync");
  const Thread caller = k.Current();
  const Promise<bool> done =
      runtime_->NewOp<bool>("CapturePreview", caller, env_->browser(), env_->browser().thread);
  if (!content_loading_seen_ || renderer_ == nullptr) {
    // W7: nothing to capture before the first ContentLoading (the HRESULT is unconfirmed).
    runtime_->CompleteWithError(caller, done, kEFail, "W7: CapturePreview before ContentLoading");
  } else {
    Runtime* rt = runtime_;
    CoreWebView2* webview = this;
    runtime_->SendToRenderer(*renderer_, "capture",
                             [rt, webview, done] { return RendererCapture(*rt, *webview, done); });
  }
  co_return Async<bool>(runtime_, done.future());
}

namespace {

Task<> BrowserAddScript(Runtime& rt, CoreWebView2& webview, Promise<std::string> done) {
  if (webview.environment().browser().dead()) co_return;
  rt.Complete(webview.owner(), done, std::string("script-1"));
}

}  // namespace

Task<Async<std::string>> CoreWebView2::AddScriptToExecuteOnDocumentCreatedAsync(
    std::string_view script) {
  Kernel& k = runtime_->kernel();
  co_await k.Yield({"AddScriptToExecuteOnDocumentCreated", this});
  runtime_->CheckThread(owner_, *this, "CoreWebView2.AddScriptToExecuteOnDocumentCreatedAsync",
                        "W3");
  runtime_->CheckAlive(*this, "CoreWebView2.AddScriptToExecuteOnDocumentCreatedAsync");
  const Thread caller = k.Current();
  const Promise<std::string> done = runtime_->NewOp<std::string>(
      "AddScriptToExecuteOnDocumentCreated", caller, env_->browser(), env_->browser().thread);
  AddedScript added;
  const size_t equals = script.find(" = ");
  if (equals != std::string_view::npos) {
    added.name = std::string(script.substr(0, equals));
    added.value = std::string(script.substr(equals + 3));
  }
  added.added = done.future();
  added_scripts_.push_back(std::move(added));
  Runtime* rt = runtime_;
  CoreWebView2* webview = this;
  runtime_->Send(env_->browser().thread, "AddScript",
                 [rt, webview, done] { return BrowserAddScript(*rt, *webview, done); });
  co_return Async<std::string>(runtime_, done.future());
}

// ---- Windows (W6).

Window& Runtime::CreateWindow() {
  return kernel_.Make<Window>(NextName("HWND", windows_), this, kernel_.Current());
}

void Runtime::SetParent(const sim::FutureCore& op, const Window* parent) {
  for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
    if (it->future != &op) continue;
    it->parent = parent;
    return;
  }
}

void Runtime::AbortCreationsOn(const Window& window) {
  for (size_t i = 0; i < pending_.size(); ++i) {
    const Pending& pending = pending_[i];
    if (pending.parent != &window || pending.future->done()) continue;
    // W6: the one synchronous completion: inside DestroyWindow, with E_ABORT.
    pending.fail(*this, pending, kEAbort, "W6: the parent window was destroyed", true);
  }
}

Task<> Window::DestroyWindow() {
  co_await runtime_->kernel().Yield({"DestroyWindow", this});
  destroyed_ = true;
  runtime_->AbortCreationsOn(*this);
}

// ---- Cookies (W3a).

Task<Async<std::vector<Cookie*>>> CookieManager::GetCookiesAsync(std::string_view uri) {
  Runtime& rt = webview_->runtime();
  Kernel& k = rt.kernel();
  co_await k.Yield({"GetCookies", webview_});
  (void)uri;
  // W3a: GetCookiesAsync itself succeeds from any thread and returns the cookies there.
  const Thread caller = k.Current();
  const Promise<std::vector<Cookie*>> done =
      rt.NewOp<std::vector<Cookie*>>("GetCookies", caller, webview_->environment().browser(),
                                     webview_->environment().browser().thread);
  Runtime* runtime = &rt;
  CoreWebView2* webview = webview_;
  rt.Send(webview_->environment().browser().thread, "GetCookies", [runtime, webview, caller, done] {
    return BrowserGetCookies(*runtime, *webview, caller, done);
  });
  co_return Async<std::vector<Cookie*>>(&rt, done.future());
}

namespace {
void CheckCookieThread(Runtime& rt, Thread owner, const char* property) {
  const Thread caller = rt.kernel().Current();
  if (caller == owner) return;
  rt.kernel().Fail(
      WebViewVerdict::kWrongThread, absl::StrCat("CoreWebView2Cookie.", property),
      absl::StrCat("W3a: CoreWebView2Cookie.", property, " read on thread ", caller.name(),
                   "; cookie objects are single-threaded and belong "
                   "to the UI thread ",
                   owner.name(),
                   " even when GetCookiesAsync ran on another thread and succeeded. "
                   "Win32: HRESULT ",
                   DescribeHresult(kUiEWrongThread),
                   " .NET: InvalidOperationException: ", kDotNetWrongThreadText));
  throw InvalidOperationException(kDotNetWrongThreadText);
}
}  // namespace

const std::string& Cookie::Domain() const {
  CheckCookieThread(*runtime_, owner_, "Domain");
  return domain_;
}
const std::string& Cookie::Name() const {
  CheckCookieThread(*runtime_, owner_, "Name");
  return name_;
}

void Runtime::FinishIfDone(EventArgs& args) {
  if (args.finished || !args.handler_returned) return;
  if (args.deferral != nullptr && args.deferral->completions == 0 &&
      !TestOnlyPlantedDefects().finish_event_with_open_deferral) {
    return;
  }
  args.finished = true;
  if (args.deferral == nullptr) CountDeferralFeature(args, DeferralFeature::kNone);
  if (args.on_finish) args.on_finish();
}

void Runtime::NoteReturned(EventArgs& args) {
  if (args.handler_returned) return;
  args.handler_returned = true;
  RunOnReturned(args);
}

void Runtime::RunOnReturned(EventArgs& args) {
  // Once: what the runtime reads synchronously is read at the first of these moments (W9).
  absl::AnyInvocable<void()> read = std::move(args.on_returned);
  args.on_returned = nullptr;
  if (read) read();
}

void Runtime::CountDeferralFeature(const EventArgs& args, DeferralFeature state) {
  // Fuzzer feedback: the W9 item identifies the kind of event, whatever its per-run number.
  port_.CountFeature(args.rule, static_cast<uint64_t>(state));
}

void Runtime::CheckDroppedDeferral(const EventArgs& args) {
  const DeferralState* deferral = args.deferral;
  if (deferral == nullptr || deferral->completions > 0 || deferral->handles > 0) return;
  CountDeferralFeature(args, DeferralFeature::kDropped);
  kernel_.Fail(WebViewVerdict::kDeferralLeak, absl::StrCat(args.Name(), " deferral"),
               absl::StrCat("W8: the deferral of ", args.Name(),
                            " was dropped without Complete when its handler returned (an "
                            "exception skipped Complete, or it was forgotten). Until the garbage "
                            "collector disposes it, an unbounded later time, the WebView waits: ",
                            args.rule, " holds up ", args.holds_up,
                            ". Use a scoped deferral (C# using, C++ RAII)."));
}

Deferral EventArgs::GetDeferral() { return runtime->GetDeferral(*this); }

Deferral Runtime::GetDeferral(EventArgs& args) {
  CheckThread(args.owner, *args.source, "GetDeferral", "W3");
  // W9.4: what must be set before a deferral is taken (a frame handler's Handled) is read now.
  RunOnReturned(args);
  if (args.deferral == nullptr) {
    args.deferral = &kernel_.Make<DeferralState>();
    args.deferral->runtime = this;
    args.deferral->event = &args;
    deferrals_.push_back(args.deferral);
  }
  return Deferral(args.deferral);
}

void Deferral::Complete() {
  if (state_ == nullptr) throw ComException(kEFail, "Deferral.Complete on an empty deferral");
  state_->runtime->CompleteDeferral(*state_);
}

void Runtime::CompleteDeferral(DeferralState& state) {
  EventArgs& args = *state.event;
  // FB#376: Deferral.Complete is bound to the UI thread like every other call (W3).
  CheckThread(args.owner, *args.source, "Deferral.Complete", "W3");
  CountDeferralFeature(args, state.completions > 0   ? DeferralFeature::kCompletedTwice
                             : args.handler_returned ? DeferralFeature::kCompletedAfterReturn
                                                     : DeferralFeature::kCompletedInHandler);
  if (state.completions++ > 0) {
    kernel_.Fail(WebViewVerdict::kDeferralDoubleComplete, absl::StrCat(args.Name(), " deferral"),
                 absl::StrCat("W8: the deferral of ", args.Name(),
                              " was completed twice (the runtime's behaviour is unconfirmed)"));
    return;
  }
  FinishIfDone(args);
}

void Runtime::CatchAtBoundary(const EventArgs& args, const char* what) {
  // docs/design.md: an exception escaping a WebView2 event handler is caught at the boundary and
  // logged, as the host framework would; the run goes on to report what it left behind.
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("exception escaped the ", args.Name(),
                             " handler, caught at the WebView2 event boundary: ", what));
  }
}

// ---- W4: handlers on the stack, nested loops, serial callbacks.

HandlerFrame* Runtime::WebViewHandlerOnStack(Thread thread) {
  for (auto it = handlers_.rbegin(); it != handlers_.rend(); ++it) {
    HandlerFrame* frame = *it;
    if (frame->thread == thread && !frame->parked && port_.IsOnStack(thread, frame->frame)) {
      return frame;
    }
  }
  return nullptr;
}

void Runtime::NoteAwait(Thread thread) {
  for (HandlerFrame* frame : handlers_) {
    if (frame->thread != thread || frame->parked) continue;
    if (!port_.IsInInnermostDispatch(thread, frame->frame)) continue;
    // The handler leaves the stack: for the runtime it returned (W8).
    frame->parked = true;
    if (frame->event != nullptr) {
      NoteReturned(*frame->event);
      FinishIfDone(*frame->event);
    }
  }
}

Task<> Runtime::EnterHandler(HandlerFrame& frame) {
  const Thread thread = kernel_.Current();
  frame.thread = thread;
  if (frame.event != nullptr && frame.event->owner != thread) {
    kernel_.Fail(
        WebViewVerdict::kSerialCallbacks, frame.What(),
        absl::StrCat("model self-check (W2): ", frame.What(), " ran on thread ", thread.name(),
                     ", not on the WebView's thread ", frame.event->owner.name()));
  }
  // W4: WebView2 does not dispatch its callbacks re-entrantly; a callback that a nested loop
  // pulls waits until the handler below it returns.
  while (WebViewHandlerOnStack(thread) != nullptr) {
    ThreadInfo& info = Info(thread);
    if (!info.gate_open) {
      info.gate = kernel_.MakePromise<void>("W4 gate: the WebView2 handler below on the stack");
      info.gate.SetProducer(thread, "a WebView2 handler on the stack must return first (W4)");
      info.gate_open = true;
    }
    const Future<void> gate = info.gate.future();
    co_await gate;
  }
  if (HandlerFrame* other = WebViewHandlerOnStack(thread); other != nullptr) {
    kernel_.Fail(WebViewVerdict::kSerialCallbacks, frame.What(),
                 absl::StrCat("model self-check (W4): ", frame.What(), " started while ",
                              other->What(), " is on the stack of thread ", thread.name()));
  }
  handlers_.push_back(&frame);
}

void Runtime::ExitHandler(HandlerFrame& frame) {
  frame.exited = true;
  auto it = std::find(handlers_.begin(), handlers_.end(), &frame);
  if (it != handlers_.end()) handlers_.erase(it);
  ThreadInfo& info = Info(frame.thread);
  if (info.gate_open && WebViewHandlerOnStack(frame.thread) == nullptr) {
    info.gate_open = false;
    info.gate.Set();
  }
}

uint64_t Runtime::CheckNestedLoop(const std::string& loop) {
  const Thread thread = kernel_.Current();
  HandlerFrame* handler = WebViewHandlerOnStack(thread);
  if (handler == nullptr || TestOnlyPlantedDefects().no_reentrancy_report) return 0;
  if (kernel_.traced()) kernel_.Log(kReentrancyLogText);
  const int64_t break_ms = kernel_.Param(kReentrancyBreakParam, 0);
  if (break_ms > 0) return ArmReentrancyBreak(thread, *handler, loop, break_ms);
  kernel_.Fail(
      WebViewVerdict::kReentrancy, "nested loop in " + handler->What(),
      absl::StrCat("W4: ", loop, " (a nested message loop) started on thread ", thread.name(),
                   " while the ", handler->What(),
                   " is on its stack. WebView2 will not dispatch its callbacks re-entrantly: "
                   "every WebView2 event and completion of this thread waits until the loop "
                   "ends, and a WebView created inside it never finishes initialising. The "
                   "runtime logs \"",
                   kReentrancyLogText,
                   "\". Fix: post the work (SynchronizationContext.Post, PostMessage(WM_APP)) "
                   "so it runs after the handler returns."));
  return 0;
}

namespace {

Task<> ReentrancyBreak(Kernel& kernel, const std::string& place, const std::string& report) {
  // W4: the runtime breaks into the debugger; without one attached, the app crashes.
  kernel.Fail(Verdict::kException, place, report);
  co_return;
}

}  // namespace

uint64_t Runtime::ArmReentrancyBreak(Thread thread, const HandlerFrame& handler,
                                     const std::string& loop, int64_t break_ms) {
  // W4: the runtime does not stop the loop; it breaks (int 3) when the loop is still running
  // some seconds later (the timeout is unconfirmed: the scenario's parameter says how long).
  const std::string& place = kernel_.Make<std::string>("int 3 in " + handler.What());
  const std::string& report = kernel_.Make<std::string>(absl::StrCat(
      "W4: ", loop, " (a nested message loop) started on thread ", thread.name(), " while the ",
      handler.What(), " was on its stack, and was still running ", break_ms,
      " ms later (the runtime's timeout is unconfirmed; this run assumed ",
      std::string(kReentrancyBreakParam), "=", break_ms, "). The runtime logged \"",
      kReentrancyLogText, "\" and broke (int 3, ", DescribeHresult(kStatusBreakpoint),
      "); without a debugger attached, the app crashes. Fix: post the work "
      "(SynchronizationContext.Post, PostMessage(WM_APP)) so it runs after the handler returns."));
  Kernel* kernel = &kernel_;
  return kernel_.PostDelayed(
      thread, static_cast<uint64_t>(break_ms), "W4 int 3",
      [kernel, &place, &report] { return ReentrancyBreak(*kernel, place, report); });
}

void Runtime::EndNestedLoop(uint64_t break_id) {
  // The loop ended before the runtime's timeout: no break (W4).
  if (break_id != 0) kernel_.Cancel(kernel_.Current(), break_id);
}

Task<> Runtime::ShowDialog(std::string title, absl::AnyInvocable<Task<>()> on_shown) {
  const NestedLoopGuard guard{this, CheckNestedLoop("modal dialog '" + title + "'")};
  Send(kernel_.Current(),
       kernel_.traced() ? sim::MessageLabel("dialog '" + title + "' shown")
                        : sim::MessageLabel("shown"),
       std::move(on_shown));
  co_await kernel_.RunMessageLoop();
}

Kernel::PostAwaiter Runtime::CloseDialog() { return kernel_.PostQuit(kernel_.Current()); }

Kernel::PostAwaiter Runtime::Post(Thread target, sim::MessageLabel label,
                                  absl::AnyInvocable<Task<>()> work) {
  return kernel_.Post(target, std::move(label), std::move(work));
}

ResponseStream& Runtime::CreateResponseStream(bool agile, int chunks, sim::Event* consumed) {
  ResponseStream& stream = kernel_.Make<ResponseStream>(
      kernel_.traced() ? NextName("Stream", streams) : std::string("Stream"), kernel_.Current(),
      agile, chunks);
  stream.consumed = consumed;
  return stream;
}

// ---- End-of-run checks.

void Runtime::RegisterChecks() {
  kernel_.AddQuiescenceCheck(sim::CheckPhase::kStall, [this] { return CheckPending(); });
  kernel_.AddQuiescenceCheck(sim::CheckPhase::kLeak, [this] { return CheckDeferrals(); });
}

std::optional<sim::Violation> Runtime::CheckPending() const {
  // W12: work left behind a hung GPU or utility process is why a load never completed.
  if (std::optional<sim::Violation> auxiliary = CheckAuxiliaries()) return auxiliary;
  for (const Pending& pending : pending_) {
    if (pending.future->done()) continue;
    if (pending.browser != nullptr && pending.browser->hung) {
      return sim::Violation{
          Verdict::kStall, pending.future->name(),
          absl::StrCat("W12: ", pending.future->name(), " never completed: the browser process ",
                       pending.browser->thread.name(),
                       " hangs (a fault) and processes nothing; every call pending on it waits "
                       "forever unless the app stops waiting for it")};
    }
    return sim::Violation{
        Verdict::kStall, pending.future->name(),
        absl::StrCat(pending.never ? "W15" : pending.rule, ": ", pending.future->name(),
                     " never completed: ", pending.future->WhyNotReady())};
  }
  return std::nullopt;
}

std::optional<sim::Violation> Runtime::CheckDeferrals() const {
  for (const DeferralState* deferral : deferrals_) {
    if (deferral->completions > 0) continue;
    const EventArgs& args = *deferral->event;
    return sim::Violation{
        WebViewVerdict::kDeferralLeak, absl::StrCat(args.Name(), " deferral"),
        absl::StrCat("W8: the deferral of ", args.Name(), " taken in its handler on thread ",
                     args.owner.name(), " was never completed; ", args.rule, " holds up ",
                     args.holds_up, " until it is")};
  }
  return std::nullopt;
}

}  // namespace wvsim::model::webview2

namespace wvsim::model::webview2 {

PlantedDefects& TestOnlyPlantedDefects() {
  static PlantedDefects defects;
  return defects;
}

}  // namespace wvsim::model::webview2
