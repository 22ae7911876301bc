#include "model/android/webview.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "model/android/planted_defects.h"
#include "model/verdicts.h"
#include "sim/assert.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::android {

using sim::Kernel;
using sim::Task;
using sim::Verdict;

namespace {

template <typename T>
Task<T> Ready(T value) {
  co_return value;
}

}  // namespace

// ---- Construction (A1, A2, A4, A6, A10).

WebView::WebView(AndroidRuntime& runtime, Looper& looper, uint64_t id)
    : sim::Object(absl::StrCat("WebView#", id)), runtime_(&runtime), looper_(&looper), id_(id) {
  renderer_ = &runtime.kernel().Make<Renderer>(runtime, *this);
}

Task<WebView*> WebView::Create(AndroidRuntime& runtime) {
  Kernel& kernel = runtime.kernel();
  co_await kernel.Yield({"new WebView", nullptr});
  Looper* looper = runtime.MyLooper();
  if (looper == nullptr) throw RuntimeException(kNoLooperText, "A1");
  WebView& view = kernel.Make<WebView>(runtime, *looper, runtime.NextId());
  if (runtime.enforces_thread_checks()) {
    // A4: API 18+ binds Chromium to this looper (if nothing bound it yet), then checks that this
    // is Chromium's UI thread: a second view thread fails here (A10).
    co_await runtime.StartYourEngines(/*thread_safe=*/false);
    co_await view.CheckUiThread();
  } else if (!runtime.chromium_started() && looper == runtime.main_looper()) {
    co_await runtime.StartYourEngines(/*thread_safe=*/true);  // A4: older apps bind main
  }
  // A6: AwContents is created by a pending task: now on the UI thread of a started engine,
  // otherwise when the queue drains there.
  WebView* raw = &view;
  Runnable init = [raw] { return InitForReal(raw); };
  co_await runtime.AddTask(absl::StrCat(view.name(), ".initForReal"), std::move(init));
  co_return raw;
}

Task<> WebView::InitForReal(WebView* view) {
  view->aw_contents_ = true;
  co_return;
}

// ---- The checks.

Task<> WebView::Enter(const char* method) {
  co_await runtime_->kernel().Yield({method, this});
  CheckThread(method);
  CheckRendererAlive(method);
}

void WebView::CheckRendererAlive(const char* method) {
  // A16: the documentation says a WebView whose renderer is gone cannot be used, not what a call
  // does: the scenario parameter gone_view_calls decides (0: it goes on without a page, 1: it
  // throws). Destroying it is what the app should do, and is always fine.
  if (!gone_reported_ || std::string_view(method) == "destroy") return;
  runtime_->Warn(
      absl::StrCat(name(), ".", method, " called after its render process was gone [A16]"));
  if (runtime_->kernel().Param(kGoneViewCallsParam, 0) != 1) return;
  throw IllegalStateException(
      absl::StrCat("WebView.", method,
                   " called after its render process was gone (the model's text: the behaviour "
                   "is undocumented)"),
      "A16");
}

void WebView::CheckThread(const char* method) {
  // A2 (WebView.checkThread): the looper the WebView was created on, against the caller's.
  Looper* caller = runtime_->MyLooper();
  if (caller == looper_) return;
  Kernel& kernel = runtime_->kernel();
  const std::string text = absl::StrCat(
      "A WebView method was called on thread '", kernel.Current().name(),
      "'. All WebView methods must be called on the same thread. (Expected Looper ",
      looper_->name(), " called on ", caller != nullptr ? caller->name() : std::string("null"),
      ", FYI main Looper is ", runtime_->MainLooperName(), ")");
  runtime_->Warn(absl::StrCat("java.lang.Throwable: ", text, " (", name(), ".", method, ") [A2]"));
  if (!runtime_->enforces_thread_checks()) return;  // older targets only log
  kernel.Fail(WebViewVerdict::kWrongThread, absl::StrCat("WebView.", method),
              absl::StrCat("java.lang.RuntimeException: ", text, " [A2: ", name(), ".", method,
                           ", targetSdkVersion ", runtime_->target_sdk(), " >= ", kJellyBeanMr2,
                           " throws]"));
  throw RuntimeException(text, "A2");
}

Task<> WebView::CheckUiThread() {
  // WebViewChromium.checkThread (A4): the exception is posted to the UI thread and thrown here.
  if (runtime_->OnUiThread()) co_return;
  co_await runtime_->PostThrowToUiThread(IllegalStateException(kViewThreadText, "A4"));
  throw IllegalStateException(kViewThreadText, "A4");
}

bool WebView::CheckNeedsPost() {
  const bool needs_post = !runtime_->chromium_started() || !runtime_->OnUiThread();
  if (!needs_post) RequireAwContents();
  return needs_post;
}

void WebView::RequireAwContents() const {
  if (!aw_contents_) throw IllegalStateException(kAwContentsText, "A8");
}

Task<> WebView::RunOrQueue(const char* method, Runnable task) {
  if (CheckNeedsPost()) {
    co_await runtime_->AddTask(absl::StrCat(name(), ".", method), std::move(task));  // A6
    co_return;
  }
  co_await task();
}

// ---- Void methods (A5): queued when the engine has not started or off the UI thread.

Task<> WebView::Apply(WebView* view, void (*effect)(WebView&)) {
  effect(*view);
  co_return;
}

Task<> WebView::Reload() {
  co_await Enter("reload");
  WebView* self = this;
  Runnable task = [self] { return LoadOnUi(self, self->url_, /*push_history=*/false); };
  co_await RunOrQueue("reload", std::move(task));
}

Task<> WebView::StopLoading() {
  co_await Enter("stopLoading");
  WebView* self = this;
  Runnable task = [self] { return Apply(self, [](WebView& v) { ++v.loads_; }); };
  co_await RunOrQueue("stopLoading", std::move(task));
}

Task<> WebView::GoBack() {
  co_await Enter("goBack");
  WebView* self = this;
  Runnable task = [self] { return GoBackOnUi(self); };
  co_await RunOrQueue("goBack", std::move(task));
}

Task<> WebView::GoBackOnUi(WebView* view) {
  if (view->history_.size() < 2) co_return;
  view->history_.pop_back();
  co_await LoadOnUi(view, view->history_.back(), /*push_history=*/false);
}

Task<> WebView::Destroy() {
  co_await Enter("destroy");
  WebView* self = this;
  Runnable task = [self] {
    return Apply(self, [](WebView& v) {
      v.destroyed_ = true;
      ++v.loads_;
    });
  };
  co_await RunOrQueue("destroy", std::move(task));
}

Task<> WebView::PostWebMessage(std::string message) {
  co_await PostWebMessage(std::move(message), std::vector<WebMessagePort*>());
}

Task<> WebView::PostWebMessage(std::string message, std::vector<WebMessagePort*> ports) {
  co_await Enter("postWebMessage");
  WebView* self = this;
  Runnable task = [self, message = std::move(message), ports = std::move(ports)] {
    return PostMessageOnUi(self, message, ports);
  };
  co_await RunOrQueue("postWebMessage", std::move(task));
}

Task<> WebView::PostMessageOnUi(WebView* view, std::string message,
                                std::vector<WebMessagePort*> ports) {
  view->web_messages_.push_back(message);
  for (WebMessagePort* port : ports) port->page_ = view->renderer_;  // the page holds it (A17)
  co_await view->renderer_->DeliverMessage(std::move(message), std::move(ports));  // A12
}

Task<> WebView::AddJavascriptInterface(JavascriptInterface* object, std::string name) {
  co_await Enter("addJavascriptInterface");
  WebView* self = this;
  Runnable task = [self, object, name = std::move(name)] {
    return AddInterfaceOnUi(self, object, name);
  };
  co_await RunOrQueue("addJavascriptInterface", std::move(task));
}

Task<> WebView::AddInterfaceOnUi(WebView* view, JavascriptInterface* object, std::string name) {
  view->runtime_->JavaBridgeLooper();  // A11: the bridge's thread exists from the first interface
  view->interfaces_.push_back(InjectedObject{object, std::move(name)});
  co_return;
}

Task<> WebView::SetWebViewClient(WebViewClient* client) {
  co_await Enter("setWebViewClient");
  WebView* self = this;
  Runnable task = [self, client] { return SetClientsOnUi(self, client, self->chrome_client_); };
  co_await RunOrQueue("setWebViewClient", std::move(task));
}

Task<> WebView::SetWebChromeClient(WebChromeClient* client) {
  co_await Enter("setWebChromeClient");
  WebView* self = this;
  Runnable task = [self, client] { return SetClientsOnUi(self, self->client_, client); };
  co_await RunOrQueue("setWebChromeClient", std::move(task));
}

Task<> WebView::SetClientsOnUi(WebView* view, WebViewClient* client, WebChromeClient* chrome) {
  view->client_ = client;
  view->chrome_client_ = chrome;
  co_return;
}

// ---- Value-returning methods (A5): start on main, then block off the UI thread (A7).

template <typename T>
Task<T> WebView::Value(const char* method, absl::AnyInvocable<Task<T>()> call) {
  co_await Enter(method);
  co_await runtime_->StartYourEngines(/*thread_safe=*/true);
  if (CheckNeedsPost()) {
    co_return co_await runtime_->RunOnUiThreadBlocking<T>(absl::StrCat(name(), ".", method),
                                                          std::move(call));
  }
  co_return co_await call();
}

Task<std::string> WebView::GetUrl() {
  WebView* self = this;
  absl::AnyInvocable<Task<std::string>()> call = [self] { return Ready(self->url_); };
  co_return co_await Value<std::string>("getUrl", std::move(call));
}

Task<std::string> WebView::GetTitle() {
  WebView* self = this;
  absl::AnyInvocable<Task<std::string>()> call = [self] { return Ready(self->title_); };
  co_return co_await Value<std::string>("getTitle", std::move(call));
}

Task<bool> WebView::CanGoBack() {
  WebView* self = this;
  absl::AnyInvocable<Task<bool>()> call = [self] { return Ready(self->history_.size() > 1); };
  co_return co_await Value<bool>("canGoBack", std::move(call));
}

Task<std::string> WebView::SaveState() {
  WebView* self = this;
  absl::AnyInvocable<Task<std::string>()> call = [self] {
    return Ready(absl::StrCat("Bundle{url=", self->url_, ", history=", self->history_.size(), "}"));
  };
  co_return co_await Value<std::string>("saveState", std::move(call));
}

Task<std::vector<WebMessagePort*>> WebView::CreateWebMessageChannel() {
  WebView* self = this;
  absl::AnyInvocable<Task<std::vector<WebMessagePort*>>()> call = [self] {
    AndroidRuntime& runtime = *self->runtime_;
    const uint64_t id = runtime.NextId();
    auto& first = runtime.kernel().Make<WebMessagePort>(runtime, absl::StrCat("port#", id, ".0"));
    auto& second = runtime.kernel().Make<WebMessagePort>(runtime, absl::StrCat("port#", id, ".1"));
    WebMessagePort::Entangle(first, second);
    std::vector<WebMessagePort*> ports{&first, &second};
    return Ready(std::move(ports));
  };
  co_return co_await Value<std::vector<WebMessagePort*>>("createWebMessageChannel",
                                                         std::move(call));
}

Task<int> WebView::GetHitTestResult() {
  absl::AnyInvocable<Task<int>()> call = [] { return Ready(kHitTestUnknownType); };
  co_return co_await Value<int>("getHitTestResult", std::move(call));
}

// ---- The load family (A5, A10): force a start on main, then post or run.

Task<> WebView::Load(const char* method, std::string url) {
  co_await Enter(method);
  co_await runtime_->StartYourEngines(/*thread_safe=*/true);
  WebView* self = this;
  Runnable task = [self, url = std::move(url)] {
    return LoadOnUi(self, url, /*push_history=*/true);
  };
  co_await RunOrQueue(method, std::move(task));
}

Task<> WebView::LoadUrl(std::string url) { co_await Load("loadUrl", std::move(url)); }

Task<> WebView::LoadData(std::string data) {
  co_await Load("loadData", absl::StrCat("data:text/html,", data));
}

Task<> WebView::LoadDataWithBaseURL(std::string base_url, std::string data) {
  (void)data;
  co_await Load("loadDataWithBaseURL", std::move(base_url));
}

Task<> WebView::PostUrl(std::string url, std::string post_data) {
  (void)post_data;
  co_await Load("postUrl", std::move(url));
}

Task<> WebView::LoadOnUi(WebView* view, std::string url, bool push_history) {
  // AwContents.loadUrl on the UI thread: the page load reports back as UI-thread messages.
  if (view->destroyed_ || view->renderer_->gone()) co_return;  // no page to load into (A16)
  view->url_ = url;
  if (push_history) view->history_.push_back(url);
  const uint64_t load = ++view->loads_;
  if (view->client_ == nullptr) {
    co_await CommitLoad(view, std::move(url), load);
    co_return;
  }
  // A14: with a WebViewClient, the main document's request first goes through
  // shouldInterceptRequest on the background thread.
  AndroidRuntime& runtime = *view->runtime_;
  const sim::Thread background = runtime.BackgroundThread();
  Runnable intercept = [view, url = std::move(url), load] {
    return InterceptThenCommit(view, url, load);
  };
  co_await runtime.kernel().Post(background, "shouldInterceptRequest", std::move(intercept));
}

Task<> WebView::InterceptThenCommit(WebView* view, std::string url, uint64_t load) {
  if (load != view->loads_) co_return;  // stopped or replaced by a newer load
  AndroidRuntime& runtime = *view->runtime_;
  WebViewClient* client = view->client_;
  if (client != nullptr) {
    runtime.BeginCallback(runtime.BackgroundThread(), "WebViewClient.shouldInterceptRequest");
    WebResourceRequest request{.url = url};
    const std::optional<WebResourceResponse> response =
        co_await client->ShouldInterceptRequest(*view, std::move(request));
    runtime.EndCallback();
    if (response.has_value()) ++view->intercepted_requests_;
  }
  co_await CommitLoad(view, std::move(url), load);
}

Task<> WebView::CommitLoad(WebView* view, std::string url, uint64_t load) {
  // The navigation commits: onPageStarted goes to the UI thread, and the new page, with the
  // objects injected by now (A13), to its JavaScript thread (A12).
  if (load != view->loads_) co_return;
  AndroidRuntime& runtime = *view->runtime_;
  WVSIM_ASSERT(runtime.ui_looper() != nullptr);
  Runnable started = [view, url, load] { return PageStarted(view, url, load); };
  co_await runtime.kernel().Post(runtime.ui_looper()->thread(), "onPageStarted",
                                 std::move(started));
  const Page* page = runtime.FindPage(url);
  if (page != nullptr && page->error_code != 0) {
    // A26: the load fails; no page script runs, and onReceivedError comes on the UI thread.
    WebResourceError error{.error_code = page->error_code, .description = page->error_description};
    Runnable failed = [view, url, load, error] { return FailLoad(view, url, load, error); };
    co_await runtime.kernel().Post(runtime.ui_looper()->thread(), "onReceivedError",
                                   std::move(failed));
    co_return;
  }
  std::vector<InjectedObject> objects = view->interfaces_;
  co_await view->renderer_->Commit(std::move(url), load, std::move(objects));
}

Task<> WebView::PageStarted(WebView* view, std::string url, uint64_t load) {
  if (load != view->loads_) co_return;  // stopped or replaced by a newer load
  if (view->client_ == nullptr) co_return;
  AndroidRuntime& runtime = *view->runtime_;
  runtime.BeginCallback(*runtime.ui_looper(), "WebViewClient.onPageStarted");
  co_await view->client_->OnPageStarted(*view, std::move(url));
  runtime.EndCallback();
}

Task<> WebView::PageFinished(WebView* view, std::string url, std::string title, uint64_t load) {
  if (load != view->loads_) co_return;
  AndroidRuntime& runtime = *view->runtime_;
  view->title_ = std::move(title);
  ++view->pages_finished_;
  if (view->chrome_client_ != nullptr) {
    runtime.BeginCallback(*runtime.ui_looper(), "WebChromeClient.onReceivedTitle");
    co_await view->chrome_client_->OnReceivedTitle(*view, view->title_);
    runtime.EndCallback();
  }
  if (view->client_ != nullptr) {
    runtime.BeginCallback(*runtime.ui_looper(), "WebViewClient.onPageFinished");
    co_await view->client_->OnPageFinished(*view, url);
    runtime.EndCallback();
  }
}

// ---- View and input methods (A5): start on the current looper.

Task<> WebView::ViewMethod(const char* method) {
  co_await Enter(method);
  co_await runtime_->StartYourEngines(/*thread_safe=*/false);
  co_await CheckUiThread();  // A4's exception, also for these two (A5)
  RequireAwContents();
}

Task<> WebView::OnAttachedToWindow() {
  co_await ViewMethod("onAttachedToWindow");
  attached_ = true;
}

Task<> WebView::SetLayoutParams(int width, int height) {
  co_await ViewMethod("setLayoutParams");
  width_ = width;
  height_ = height;
}

Task<bool> WebView::Input(const char* method) {
  co_await Enter(method);
  co_await runtime_->StartYourEngines(/*thread_safe=*/false);
  if (CheckNeedsPost()) {
    absl::AnyInvocable<Task<bool>()> call = [] { return Ready(true); };
    co_return co_await runtime_->RunOnUiThreadBlocking<bool>(absl::StrCat(name(), ".", method),
                                                             std::move(call));
  }
  co_return true;
}

Task<bool> WebView::OnTouchEvent() { co_return co_await Input("onTouchEvent"); }
Task<bool> WebView::DispatchKeyEvent() { co_return co_await Input("dispatchKeyEvent"); }

Task<> WebView::OnDraw() {
  WebView* self = this;
  absl::AnyInvocable<Task<sim::Unit>()> call = [self] {
    ++self->draws_;
    return Ready(sim::Unit{});
  };
  co_await Value<sim::Unit>("onDraw", std::move(call));
}

// ---- evaluateJavascript (A5, A11, A12): checks the thread, never held in the pending-task
// queue; the script runs on the page's JavaScript thread, the callback comes on the UI thread.

Task<> WebView::EvaluateJavascript(std::string script, ValueCallback* callback) {
  co_await Enter("evaluateJavascript");
  co_await CheckUiThread();
  RequireAwContents();
  if (TestOnlyAndroidPlantedDefects().value_callback_inline) {
    if (callback == nullptr) co_return;
    std::string value = renderer_->ValueOf(script);
    co_await DeliverValue(this, callback, std::move(value));
    co_return;
  }
  co_await renderer_->Evaluate(std::move(script), callback);
}

Task<> WebView::DeliverValue(WebView* view, ValueCallback* callback, std::string value) {
  AndroidRuntime& runtime = *view->runtime_;
  runtime.BeginCallback(*runtime.ui_looper(), "ValueCallback.onReceiveValue");
  co_await callback->OnReceiveValue(*view, std::move(value));
  runtime.EndCallback();
}

// ---- Static entry points (A9).

Task<> StaticEntryPoint(AndroidRuntime& runtime, const char* entry_point) {
  co_await runtime.kernel().Yield({entry_point, nullptr});
  co_await runtime.StartYourEngines(/*thread_safe=*/true);  // binds main; may wait (A3)
}

Task<CookieManager*> CookieManagerGetInstance(AndroidRuntime& runtime) {
  co_await runtime.kernel().Yield({"CookieManager.getInstance", nullptr});  // no start (A9)
  CookieManager*& instance = runtime.cookie_manager();
  if (instance == nullptr) instance = &runtime.kernel().Make<CookieManager>(runtime);
  co_return instance;
}

}  // namespace wvsim::model::android
