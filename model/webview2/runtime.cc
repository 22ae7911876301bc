// The WebView2 runtime model: processes, calls, completions, events, deferrals and the oracles
// that cite webview-rules.md (W1..W11, W3a). See runtime.h for the shape of the API.
#include "model/webview2/runtime.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2 {

using sim::Verdict;
using sim::WaitKind;

namespace {

Task<> ProcessMain(Kernel& kernel) { co_await kernel.RunMessageLoop(); }

// "https://app.example/settings" -> "https://app.example" (site isolation, W11).
std::string SiteOf(const std::string& uri) {
  const size_t scheme = uri.find("://");
  if (scheme == std::string::npos) return uri;
  const size_t path = uri.find('/', scheme + 3);
  return path == std::string::npos ? uri : uri.substr(0, path);
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
  if (renderer.dead()) co_return;
  // W7: the result is JSON; "null" for undefined or an exception.
  const Page* page = rt.FindPage(webview.document());
  std::string result = "null";
  if (page != nullptr && script == "document.title") result = "\"" + page->title + "\"";
  if (const std::string* value = webview.global(script); value != nullptr) result = *value;
  rt.Complete(webview.owner(), done, std::move(result));
  co_return;
}

Task<> MarshalledRead(Promise<void> read) {
  read.Set();
  co_return;
}

}  // namespace

// ---- Loading a page, in the renderer.

namespace {

void FinishLoad(Runtime& rt, CoreWebView2& webview);

}  // namespace

Task<> PageGoesOn(Runtime& rt, CoreWebView2& webview, const Page& page, size_t next) {
  rt.RaisePageEvents(webview, page, next);
  co_return;
}

namespace {

Task<> FinishLoadTask(Runtime& rt, CoreWebView2& webview) {
  if (!webview.environment().browser().dead()) FinishLoad(rt, webview);
  co_return;
}

// The browser's background thread reads the response stream (W10).
Task<> ReadResponse(Runtime& rt, CoreWebView2& webview, ResponseStream& stream,
                    RendererProcess& renderer) {
  Kernel& k = rt.kernel();
  for (int i = 0; i < stream.chunks; ++i) {
    const Thread creator = stream.created_on;
    const bool marshalled = !stream.agile && Kernel::HasMessageQueue(creator) &&
                            rt.ApartmentOf(creator) == Apartment::kSta;
    if (!marshalled) {
      co_await k.Yield({"IStream::Read", &stream});
    } else {
      const Promise<void> read =
          k.MakePromise<void>(k.traced() ? rt.NextName("IStream::Read", rt.reads) : std::string());
      const uint64_t id =
          rt.Send(stream.created_on, k.traced() ? read.future().name() : "IStream::Read",
                  [read] { return MarshalledRead(read); });
      if (k.traced()) {
        read.SetProducer(creator.get(),
                         absl::StrCat("the read is message #", id, " marshalled to thread ",
                                      creator.name(), ", the apartment of the non-agile stream ",
                                      stream.name(), ", which must pump to run it (W10)"));
      }
      sim::internal::FutureState<void>& state = read.future().state();
      co_await k.Wait({"IStream::Read", &state}, state, WaitKind::kBlocking);
    }
    ++stream.read;
  }
  if (stream.consumed != nullptr) co_await stream.consumed->Set();
  rt.Send(renderer.thread, "resource loaded",
          [&rt, &webview] { return FinishLoadTask(rt, webview); });
}

Task<> ReadResponseThread(Runtime& rt, CoreWebView2& webview, ResponseStream& stream,
                          RendererProcess& renderer) {
  co_await ReadResponse(rt, webview, stream, renderer);
}

void FinishLoad(Runtime& rt, CoreWebView2& webview) {
  rt.RaiseNavigationCompleted(webview);
  const Page* page = rt.FindPage(webview.document());
  if (page == nullptr) return;
  if (!page->web_message.empty()) rt.RaiseWebMessage(webview, page->web_message);
  if (!page->window_open.empty()) rt.RaiseNewWindow(webview, page->window_open);
  rt.RaisePageEvents(webview, *page, 0);
}

Task<> RendererLoad(Runtime& rt, CoreWebView2& webview, const std::string& uri,
                    RendererProcess& renderer) {
  if (renderer.dead()) co_return;
  webview.set_document(uri);
  const Page* page = rt.FindPage(uri);
  if (page != nullptr && !page->subresource.empty() && webview.has_resource_handlers()) {
    rt.RaiseWebResourceRequested(webview, page->subresource, renderer);
    co_return;  // the load goes on when the request's event finished (W9.2)
  }
  FinishLoad(rt, webview);
}

Task<> BrowserNavigate(Runtime& rt, CoreWebView2& webview, const std::string& uri) {
  if (webview.environment().browser().dead()) co_return;
  RendererProcess& renderer = rt.RendererFor(webview.environment().browser(), uri);
  webview.set_renderer(&renderer);
  rt.Send(renderer.thread, "load",
          [&rt, &webview, &uri, &renderer] { return RendererLoad(rt, webview, uri, renderer); });
  co_return;
}

Task<> BrowserForwardScript(Runtime& rt, CoreWebView2& webview, const std::string& script,
                            Promise<std::string> done) {
  if (webview.environment().browser().dead()) co_return;
  RendererProcess* renderer = webview.renderer();
  if (renderer == nullptr) {
    rt.Complete(webview.owner(), done, std::string("null"));  // about:blank runs nothing
    co_return;
  }
  rt.Send(renderer->thread, "script", [&rt, &webview, &script, done, renderer] {
    return RendererExecuteScript(rt, webview, script, done, *renderer);
  });
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
    : kernel_(kernel), threads_(sim::KernelLimits::kThreadsMaxCeiling) {}

void Runtime::CoInitializeEx(Apartment apartment) {
  Info(kernel_.Current()).apartment = apartment;
}

Apartment Runtime::ApartmentOf(Thread thread) const {
  return threads_[thread.id()].apartment;
}

std::string Runtime::NextName(const char* kind, uint32_t& counter) const {
  ++counter;
  return absl::StrCat(kind, "#", counter);
}

uint64_t Runtime::Send(Thread process, std::string label, absl::AnyInvocable<Task<>()> work) {
  return kernel_.Send(process, std::move(label), std::move(work));
}

void Runtime::CheckThread(Thread owner, const sim::Object& object, const char* api,
                          const char* rule) {
  const Thread caller = kernel_.Current();
  if (caller == owner) return;
  kernel_.Fail(Verdict::kWrongThread, api,
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
  if (auto it = browsers_.find(options.user_data_folder);
      it != browsers_.end() && !it->second->dead()) {
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
  browsers_[options.user_data_folder] = &browser;
  return browser;
}

RendererProcess& Runtime::RendererFor(BrowserProcess& browser, const std::string& uri) {
  std::string site = SiteOf(uri);
  if (auto it = browser.renderers.find(site);
      it != browser.renderers.end() && !it->second->crashed) {
    return *it->second;
  }
  RendererProcess& renderer = kernel_.Make<RendererProcess>();
  renderer.site = site;
  renderer.browser = &browser;
  ++renderer_generation_;
  renderer.thread =
      kernel_.Spawn(renderer_generation_ == 1 ? std::string("renderer")
                                              : absl::StrCat("renderer#", renderer_generation_),
                    ProcessMain(kernel_), {.message_queue = true});
  browser.renderers[std::move(site)] = &renderer;
  return renderer;
}

const Page* Runtime::FindPage(const std::string& uri) const {
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
  const std::string* kept = &k.Make<std::string>(uri);
  Runtime* rt = runtime_;
  CoreWebView2* webview = this;
  runtime_->Send(env_->browser().thread, "Navigate",
                 [rt, webview, kept] { return BrowserNavigate(*rt, *webview, *kept); });
}

Task<> CoreWebView2::Reload() {
  Kernel& k = runtime_->kernel();
  co_await k.Yield({"Reload", this});
  runtime_->CheckThread(owner_, *this, "CoreWebView2.Reload", "W3");
  runtime_->CheckAlive(*this, "CoreWebView2.Reload");
  const std::string* kept = &k.Make<std::string>(document_);
  Runtime* rt = runtime_;
  CoreWebView2* webview = this;
  runtime_->Send(env_->browser().thread, "Reload",
                 [rt, webview, kept] { return BrowserNavigate(*rt, *webview, *kept); });
}

CookieManager& CoreWebView2::GetCookieManager() {
  runtime_->CheckThread(owner_, *this, "CoreWebView2.CookieManager", "W3");
  return cookies_;
}

void CoreWebView2::add_NavigationCompleted(Handler<NavigationEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_NavigationCompleted", "W3");
  navigation_completed_.push_back(std::move(handler));
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

Task<> RendererPrint(Runtime& rt, CoreWebView2& webview, Promise<bool> done) {
  if (webview.environment().browser().dead() ||
      (webview.renderer() != nullptr && webview.renderer()->crashed)) {
    co_return;
  }
  webview.set_printing(false);
  rt.Complete(webview.owner(), done, true);
}

Task<> RendererCapture(Runtime& rt, CoreWebView2& webview, Promise<bool> done) {
  if (webview.environment().browser().dead()) co_return;
  rt.Complete(webview.owner(), done, true);
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
    runtime_->Send(renderer_ != nullptr ? renderer_->thread : env_->browser().thread, "print",
                   [rt, webview, done] { return RendererPrint(*rt, *webview, done); });
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
    runtime_->Send(renderer_->thread, "capture",
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

void Runtime::SetParent(const sim::internal::FutureCore& op, const Window* parent) {
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
      Verdict::kWrongThread, absl::StrCat("CoreWebView2Cookie.", property),
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

// ---- Events (W9).

void Runtime::RaiseNavigationCompleted(CoreWebView2& webview) {
  if (webview.navigation_completed_.empty()) return;
  auto& args = NewEventArgs<NavigationEventArgs>(webview, "NavigationCompleted", "", "W2");
  args.uri = webview.document();
  RaiseEvent(args, webview.navigation_completed_);
}

void Runtime::RaiseWebMessage(CoreWebView2& webview, const std::string& message) {
  if (webview.web_message_received_.empty()) return;
  auto& args = NewEventArgs<WebMessageReceivedEventArgs>(webview, "WebMessageReceived", "", "W2");
  args.message = message;
  RaiseEvent(args, webview.web_message_received_);
}

void Runtime::RaiseWebResourceRequested(CoreWebView2& webview, const std::string& uri,
                                        RendererProcess& renderer) {
  auto& args = NewEventArgs<WebResourceRequestedEventArgs>(
      webview, "WebResourceRequested", "the request, and the rendering of its content", "W9.2");
  args.uri = uri;
  Runtime* self = this;
  CoreWebView2* sender = &webview;
  RendererProcess* process = &renderer;
  WebResourceRequestedEventArgs* event = &args;
  args.on_finish = [self, sender, process, event] {
    Kernel& k = self->kernel();
    if (event->response == nullptr) {
      self->Send(process->thread, "resource loaded",
                 [self, sender] { return FinishLoadTask(*self, *sender); });
      return;
    }
    // W10: the response's content is read on the browser's background thread.
    k.Spawn("browser_io", ReadResponseThread(*self, *sender, *event->response, *process));
  };
  RaiseEvent(args, webview.web_resource_requested_);
}

void Runtime::RaiseNewWindow(CoreWebView2& webview, const std::string& uri) {
  if (webview.new_window_requested_.empty()) return;
  auto& args = NewEventArgs<NewWindowRequestedEventArgs>(
      webview, "NewWindowRequested", "the opener's script, whose window.open has not returned",
      "W9.1");
  args.uri = uri;
  NewWindowRequestedEventArgs* event = &args;
  Runtime* self = this;
  args.on_finish = [self, event] {
    if (event->new_window != nullptr && self->kernel().traced()) {
      self->kernel().Log(
          absl::StrCat(event->name, ": window.open returns ", event->new_window->name()));
    }
  };
  RaiseEvent(args, webview.new_window_requested_);
}

const DeferrableEventInfo& InfoOf(DeferrableEvent event) {
  static constexpr DeferrableEventInfo kInfo[kDeferrableEventCount] = {
      {"ScriptDialogOpening", "the page's scripts (alert, confirm, prompt, beforeunload)", "W9.3"},
      {"PermissionRequested", "the page's scripts waiting for the permission", "W9.4"},
      {"DownloadStarting", "the download's progress", "W9.5"},
      {"ContextMenuRequested", "the context menu (Handled is read at completion)", "W9.6"},
      {"BasicAuthenticationRequested", "the authentication decision", "W9.7"},
      {"ClientCertificateRequested", "the choice of a client certificate", "W9.8"},
      {"ServerCertificateErrorDetected", "the navigation's outcome", "W9.9"},
      {"LaunchingExternalUriScheme", "the launch of the external URI", "W9.10"},
      {"NotificationReceived", "the page's scripts after new Notification()", "W9.11"},
      {"ScreenCaptureStarting", "the getDisplayMedia callbacks", "W9.12"},
      {"SaveAsUIShowing", "the Save As UI and the save", "W9.13"},
      {"SaveFileSecurityCheckStarting", "the security check, its UI and the save", "W9.14"},
      {"DragStarting", "further drags", "W9.15"},
  };
  return kInfo[static_cast<int>(event)];
}

void CoreWebView2::add_DeferrableEvent(DeferrableEvent event,
                                       Handler<DeferrableEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, InfoOf(event).name, "W3");
  deferrable_[static_cast<int>(event)].push_back(std::move(handler));
}

void Runtime::RaisePageEvents(CoreWebView2& webview, const Page& page, size_t index) {
  for (; index < page.events.size(); ++index) {
    const DeferrableEvent event = page.events[index];
    std::vector<Handler<DeferrableEventArgs>>& handlers =
        webview.deferrable_[static_cast<int>(event)];
    if (handlers.empty()) continue;  // nobody listens: the runtime goes on at once
    const DeferrableEventInfo& info = InfoOf(event);
    auto& args = NewEventArgs<DeferrableEventArgs>(webview, info.name, info.holds_up, info.rule);
    args.kind = event;
    Runtime* self = this;
    CoreWebView2* sender = &webview;
    const Page* source = &page;
    const size_t next = index + 1;
    args.on_finish = [self, sender, source, next] {
      // The page's script goes on from the renderer (W9: held up until now).
      RendererProcess* renderer = sender->renderer();
      if (renderer == nullptr || renderer->dead()) return;
      self->Send(renderer->thread, "page goes on", [self, sender, source, next]() -> Task<> {
        return PageGoesOn(*self, *sender, *source, next);
      });
    };
    RaiseEvent(args, handlers);
    return;
  }
}

void Runtime::FinishIfDone(EventArgs& args) {
  if (args.finished || !args.handler_returned) return;
  if (args.deferral != nullptr && args.deferral->completions == 0) return;
  args.finished = true;
  if (args.on_finish) args.on_finish();
}

void Runtime::CheckDroppedDeferral(const EventArgs& args) {
  const DeferralState* deferral = args.deferral;
  if (deferral == nullptr || deferral->completions > 0 || deferral->handles > 0) return;
  kernel_.Fail(Verdict::kDeferralLeak, args.name + " deferral",
               absl::StrCat("W8: the deferral of ", args.name,
                            " was dropped without Complete when its handler returned (an "
                            "exception skipped Complete, or it was forgotten). Until the garbage "
                            "collector disposes it, an unbounded later time, the WebView waits: ",
                            args.rule, " holds up ", args.holds_up,
                            ". Use a scoped deferral (C# using, C++ RAII)."));
}

Deferral EventArgs::GetDeferral() { return runtime->GetDeferral(*this); }

Deferral Runtime::GetDeferral(EventArgs& args) {
  CheckThread(args.owner, *args.source, "GetDeferral", "W3");
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
  if (state.completions++ > 0) {
    kernel_.Fail(Verdict::kDeferralDoubleComplete, args.name + " deferral",
                 absl::StrCat("W8: the deferral of ", args.name,
                              " was completed twice (the runtime's behaviour is unconfirmed)"));
    return;
  }
  FinishIfDone(args);
}

void Runtime::CatchAtBoundary(const EventArgs& args, const char* what) {
  // design.md: an exception escaping a WebView2 event handler is caught at the boundary and
  // logged, as the host framework would; the run goes on to report what it left behind.
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("exception escaped the ", args.name,
                             " handler, caught at the WebView2 event boundary: ", what));
  }
}

// ---- W4: handlers on the stack, nested loops, serial callbacks.

HandlerFrame* Runtime::WebViewHandlerOnStack(Thread thread) {
  for (auto it = handlers_.rbegin(); it != handlers_.rend(); ++it) {
    HandlerFrame* frame = *it;
    if (frame->thread == thread && !frame->parked && Kernel::IsOnStack(thread, frame->frame)) {
      return frame;
    }
  }
  return nullptr;
}

void Runtime::NoteAwait(Thread thread) {
  for (HandlerFrame* frame : handlers_) {
    if (frame->thread != thread || frame->parked) continue;
    if (!Kernel::IsInInnermostDispatch(thread, frame->frame)) continue;
    // The handler leaves the stack: for the runtime it returned (W8).
    frame->parked = true;
    if (frame->event != nullptr) {
      frame->event->handler_returned = true;
      FinishIfDone(*frame->event);
    }
  }
}

Task<> Runtime::EnterHandler(HandlerFrame& frame) {
  const Thread thread = kernel_.Current();
  frame.thread = thread;
  if (frame.event != nullptr && frame.event->owner != thread) {
    kernel_.Fail(
        Verdict::kSerialCallbacks, frame.what,
        absl::StrCat("model self-check (W2): ", frame.what, " ran on thread ", thread.name(),
                     ", not on the WebView's thread ", frame.event->owner.name()));
  }
  // W4: WebView2 does not dispatch its callbacks re-entrantly; a callback that a nested loop
  // pulls waits until the handler below it returns.
  while (WebViewHandlerOnStack(thread) != nullptr) {
    ThreadInfo& info = Info(thread);
    if (!info.gate_open) {
      info.gate = kernel_.MakePromise<void>("W4 gate: the WebView2 handler below on the stack");
      info.gate.SetProducer(thread.get(), "a WebView2 handler on the stack must return first (W4)");
      info.gate_open = true;
    }
    const Future<void> gate = info.gate.future();
    co_await gate;
  }
  if (HandlerFrame* other = WebViewHandlerOnStack(thread); other != nullptr) {
    kernel_.Fail(Verdict::kSerialCallbacks, frame.what,
                 absl::StrCat("model self-check (W4): ", frame.what, " started while ", other->what,
                              " is on the stack of thread ", thread.name()));
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

void Runtime::CheckNestedLoop(const std::string& loop) {
  const Thread thread = kernel_.Current();
  HandlerFrame* handler = WebViewHandlerOnStack(thread);
  if (handler == nullptr) return;
  if (kernel_.traced()) kernel_.Log(kReentrancyLogText);
  kernel_.Fail(
      Verdict::kReentrancy, "nested loop in " + handler->what,
      absl::StrCat("W4: ", loop, " (a nested message loop) started on thread ", thread.name(),
                   " while the ", handler->what,
                   " is on its stack. WebView2 will not dispatch its callbacks re-entrantly: "
                   "every WebView2 event and completion of this thread waits until the loop "
                   "ends, and a WebView created inside it never finishes initialising. The "
                   "runtime logs \"",
                   kReentrancyLogText,
                   "\". Fix: post the work (SynchronizationContext.Post, PostMessage(WM_APP)) "
                   "so it runs after the handler returns."));
}

Task<> Runtime::ShowDialog(std::string title, absl::AnyInvocable<Task<>()> on_shown) {
  CheckNestedLoop("modal dialog '" + title + "'");
  Send(kernel_.Current(), kernel_.traced() ? "dialog '" + title + "' shown" : std::string("shown"),
       std::move(on_shown));
  co_await kernel_.RunMessageLoop();
}

Kernel::PostAwaiter Runtime::CloseDialog() { return kernel_.PostQuit(kernel_.Current()); }

Kernel::PostAwaiter Runtime::Post(Thread target, std::string label,
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

// ---- Processes failing and exiting (W12..W16).

const char* ProcessFailedKindName(ProcessFailedKind kind) {
  static constexpr const char* kNames[] = {
      "BrowserProcessExited",     "RenderProcessExited",      "RenderProcessUnresponsive",
      "FrameRenderProcessExited", "UtilityProcessExited",     "SandboxHelperProcessExited",
      "GpuProcessExited",         "PpapiPluginProcessExited", "PpapiBrokerProcessExited",
      "UnknownProcessExited"};
  return kNames[static_cast<int>(kind)];
}

const char* ProcessFailedReasonName(ProcessFailedReason reason) {
  static constexpr const char* kNames[] = {"Unexpected", "Unresponsive", "Terminated",
                                           "Crashed",    "LaunchFailed", "OutOfMemory",
                                           "NormalExit", "AbnormalExit"};
  return kNames[static_cast<int>(reason)];
}

void Environment::add_BrowserProcessExited(Handler<BrowserProcessExitedEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_BrowserProcessExited", "W3");
  browser_process_exited_.push_back(std::move(handler));
}

void CoreWebView2::add_ProcessFailed(Handler<ProcessFailedEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_ProcessFailed", "W3");
  process_failed_.push_back(std::move(handler));
}

void Runtime::CheckAlive(const CoreWebView2& webview, const char* api) {
  if (webview.closed_)
    throw ComException(kErrorInvalidState, absl::StrCat(api, " after Close (W14)"));
  if (webview.env_->browser().crashed) throw InvalidOperationException(kDotNetBrowserCrashedText);
}

namespace {

Task<> BrowserShutdown(Runtime& rt, BrowserProcess& browser) {
  if (browser.dead() || browser.webviews_open > 0) co_return;  // W13: still in use
  browser.exited = true;
  rt.RaiseBrowserProcessExited(browser, BrowserProcessExitKind::kNormal);
}

Task<> FaultInjector(Runtime& rt) {
  Kernel& k = rt.kernel();
  co_await k.Yield({"inject_fault", nullptr});  // the scheduler picks the step
  BrowserProcess* target = rt.FaultTarget();
  if (target == nullptr) co_return;
  // Option 0: no fault; 1: the browser process crashes; 2..: one of its renderers crashes.
  const std::vector<RendererProcess*> renderers = rt.LiveRenderers(*target);
  const uint32_t choice =
      k.Choose(sim::ChoiceKind::kFault, 2 + static_cast<uint32_t>(renderers.size()),
               "no fault, a browser crash or a renderer crash (W12)");
  if (choice == 0) co_return;
  if (choice == 1) {
    rt.CrashBrowser(*target);
  } else {
    rt.CrashRenderer(*renderers[choice - 2]);
  }
}

}  // namespace

Task<> Controller::Close() {
  Runtime& rt = webview_->runtime();
  co_await rt.kernel().Yield({"Close", this});
  rt.CheckThread(webview_->owner(), *webview_, "CoreWebView2Controller.Close", "W3");
  rt.CloseController(*webview_);
}

void Runtime::CloseController(CoreWebView2& webview) {
  if (webview.closed_) return;
  webview.closed_ = true;  // W14: every handler is dropped; no handler runs afterwards
  webview.navigation_completed_.clear();
  webview.web_message_received_.clear();
  webview.web_resource_requested_.clear();
  webview.new_window_requested_.clear();
  webview.process_failed_.clear();
  BrowserProcess& browser = webview.env_->browser();
  if (--browser.webviews_open > 0 || browser.dead()) return;
  BrowserProcess* process = &browser;
  Send(browser.thread, "shutdown", [this, process] { return BrowserShutdown(*this, *process); });
}

void Runtime::RaiseProcessFailed(BrowserProcess& browser) {
  for (CoreWebView2* webview : browser.webviews) {
    if (webview->closed_ || webview->process_failed_.empty()) continue;
    auto& args = NewEventArgs<ProcessFailedEventArgs>(*webview, "ProcessFailed", "", "W12");
    args.kind = ProcessFailedKind::kBrowserProcessExited;
    args.reason = ProcessFailedReason::kUnexpected;
    args.exit_code = 1;
    RaiseEvent(args, webview->process_failed_);
  }
}

void Runtime::RaiseBrowserProcessExited(BrowserProcess& browser, BrowserProcessExitKind kind) {
  for (Environment* env : browser.environments) {
    if (env->browser_process_exited_.empty()) continue;
    auto& args =
        NewEnvironmentEventArgs<BrowserProcessExitedEventArgs>(*env, "BrowserProcessExited");
    args.kind = kind;
    RaiseEvent(args, env->browser_process_exited_);
  }
}

void Runtime::EnableFaults() {
  const int64_t budget = kernel_.Param(sim::kFaultBudgetParam, 0);
  for (int64_t i = 0; i < budget; ++i) kernel_.Spawn("faults", FaultInjector(*this));
}

BrowserProcess* Runtime::FaultTarget() const {
  for (const auto& [folder, browser] : browsers_) {
    if (!browser->dead()) return browser;
  }
  return nullptr;
}

void Runtime::CrashBrowser(BrowserProcess& browser) {
  browser.crashed = true;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: browser process ", browser.thread.name(),
                             " crashed (ProcessFailed kind BrowserProcessExited, reason "
                             "Unexpected, exit code 1); every WebView of it is closed"));
  }
  FailPendingOn(Thread(), &browser);
  // W13: BrowserProcessExited and ProcessFailed come in no guaranteed order.
  if (kernel_.Choose(sim::ChoiceKind::kValue, 2,
                     "W13: ProcessFailed first or BrowserProcessExited first") == 0) {
    RaiseProcessFailed(browser);
    RaiseBrowserProcessExited(browser, BrowserProcessExitKind::kFailed);
  } else {
    RaiseBrowserProcessExited(browser, BrowserProcessExitKind::kFailed);
    RaiseProcessFailed(browser);
  }
}

void Runtime::FailPendingOn(Thread producer, BrowserProcess* browser) {
  // W15 (unconfirmed): each call pending on it fails, or never completes: the scheduler says.
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& pending = pending_[i];
    const bool hit = browser != nullptr ? pending.browser == browser : pending.producer == producer;
    if (!hit || pending.future->done() || pending.never) continue;
    if (kernel_.Choose(sim::ChoiceKind::kFault, 2,
                       "W15: a pending call fails or never completes") == 0) {
      pending.fail(*this, pending, kEFail,
                   "W15: the browser process crashed while the call was pending", false);
    } else {
      pending.never = true;
      if (kernel_.traced()) {
        pending.future->SetProducer(nullptr,
                                    "the process crashed while it was pending, "
                                    "and it never completes (W15)");
      }
    }
  }
}

std::vector<RendererProcess*> Runtime::LiveRenderers(const BrowserProcess& browser) const {
  std::vector<RendererProcess*> live;
  for (const auto& [site, renderer] : browser.renderers) {
    if (!renderer->crashed) live.push_back(renderer);
  }
  return live;
}

void Runtime::CrashRenderer(RendererProcess& renderer) {
  renderer.crashed = true;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: renderer process ", renderer.thread.name(), " of ",
                             renderer.site,
                             " crashed (ProcessFailed kind RenderProcessExited, "
                             "reason Crashed); its WebViews show an error page until Reload"));
  }
  FailPendingOn(renderer.thread, nullptr);
  for (CoreWebView2* webview : renderer.browser->webviews) {
    if (webview->renderer_ != &renderer || webview->closed_) continue;
    webview->renderer_ = nullptr;  // the error page: scripts run nowhere ("null")
    if (webview->process_failed_.empty()) continue;
    auto& args = NewEventArgs<ProcessFailedEventArgs>(*webview, "ProcessFailed", "", "W12");
    args.kind = ProcessFailedKind::kRenderProcessExited;
    args.reason = ProcessFailedReason::kCrashed;
    args.exit_code = 1;
    RaiseEvent(args, webview->process_failed_);
  }
}

// ---- End-of-run checks.

void Runtime::RegisterChecks() {
  kernel_.AddQuiescenceCheck(sim::CheckPhase::kStall, [this] { return CheckPending(); });
  kernel_.AddQuiescenceCheck(sim::CheckPhase::kLeak, [this] { return CheckDeferrals(); });
}

std::optional<sim::Violation> Runtime::CheckPending() const {
  for (const Pending& pending : pending_) {
    if (pending.future->done()) continue;
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
        Verdict::kDeferralLeak, args.name + " deferral",
        absl::StrCat("W8: the deferral of ", args.name, " taken in its handler on thread ",
                     args.owner.name(), " was never completed; ", args.rule, " holds up ",
                     args.holds_up, " until it is")};
  }
  return std::nullopt;
}

}  // namespace wvsim::model::webview2
