#include "model/android/renderer.h"

#include <cstddef>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/android/webview.h"
#include "sim/assert.h"

namespace wvsim::model::android {

using sim::Kernel;
using sim::Promise;
using sim::Task;

namespace {

Task<> JavaScriptLoop(Kernel& kernel) {
  co_await kernel.RunMessageLoop();  // the renderer's main thread: nobody quits it
}

const char* DialogName(PageStepKind kind) {
  switch (kind) {
    case PageStepKind::kAlert:
      return "alert";
    case PageStepKind::kConfirm:
      return "confirm";
    case PageStepKind::kPrompt:
      return "prompt";
    case PageStepKind::kBridgeCall:
    case PageStepKind::kPortPost:
    case PageStepKind::kRequestPermission:
    case PageStepKind::kNavigate:
    case PageStepKind::kOpenWindow:
      break;
  }
  return "bridge call";
}

const char* DialogCallback(PageStepKind kind) {
  switch (kind) {
    case PageStepKind::kAlert:
      return "WebChromeClient.onJsAlert";
    case PageStepKind::kConfirm:
      return "WebChromeClient.onJsConfirm";
    case PageStepKind::kPrompt:
      return "WebChromeClient.onJsPrompt";
    case PageStepKind::kBridgeCall:
    case PageStepKind::kPortPost:
    case PageStepKind::kRequestPermission:
    case PageStepKind::kNavigate:
    case PageStepKind::kOpenWindow:
      break;
  }
  return "WebChromeClient";
}

// Chromium's text for a Java exception thrown by a bridge method (gin_java_bridge_errors.cc).
constexpr const char* kJavaExceptionRaisedText =
    "Error: Java exception was raised during method invocation";

}  // namespace

Renderer::Renderer(AndroidRuntime& runtime, WebView& view)
    : sim::Object(absl::StrCat("renderer of ", view.name())), runtime_(&runtime), view_(&view) {}

sim::Thread Renderer::JsThread() {
  if (!js_started_) {
    Kernel& kernel = runtime_->kernel();
    js_ = kernel.Spawn(absl::StrCat("js#", view_->id()), JavaScriptLoop(kernel),
                       {.message_queue = true});
    if (!js_.valid()) throw RuntimeException("cannot start the page's JavaScript thread", "A12");
    js_started_ = true;
    runtime_->AddRenderer(*this);  // a renderer process now exists, and may die (A16)
  }
  return js_;
}

void Renderer::Log(std::string line) {
  Kernel& kernel = runtime_->kernel();
  if (kernel.traced()) kernel.Log(absl::StrCat("page of ", view_->name(), ": ", line));
  log_.push_back(std::move(line));
}

// ---- A12: the page's work, queued on its JavaScript thread.

Task<> Renderer::Commit(std::string url, uint64_t load, std::vector<InjectedObject> objects) {
  if (gone_) co_return;  // A16: no page any more
  load_ = load;
  url_ = std::move(url);
  objects_ = std::move(objects);
  const Page* page = runtime_->FindPage(url_);
  page_ = page != nullptr ? *page : Page{};
  Renderer* self = this;
  const sim::Thread js = JsThread();
  co_await runtime_->kernel().Post(js, "page load", [self, load] { return RunLoad(self, load); });
}

Task<> Renderer::RunLoad(Renderer* self, uint64_t load) {
  if (!self->Current(load)) co_return;  // a newer load replaced this page, or it died (A16)
  self->title_ =
      self->page_.title.empty() ? absl::StrCat("Title of ", self->url_) : self->page_.title;
  self->ArmTimers(load);
  co_await self->RunSteps(self->page_.on_load);
  if (!self->Current(load)) co_return;
  // The load event comes after the page's own script, bridge calls and dialogs included (A13).
  WebView* view = self->view_;
  std::string url = self->url_;
  std::string title = self->title_;
  Runnable finished = [view, url = std::move(url), title = std::move(title), load] {
    return WebView::PageFinished(view, url, title, load);
  };
  AndroidRuntime& runtime = *self->runtime_;
  WVSIM_ASSERT(runtime.ui_looper() != nullptr);
  co_await runtime.kernel().Post(runtime.ui_looper()->thread(), "onPageFinished",
                                 std::move(finished));
}

// ---- A20: setTimeout. The load script sets its timers before its own steps; each runs on the
// JavaScript thread as a task of its own once its delay passed, behind what is queued there.

void Renderer::ArmTimers(uint64_t load) {
  Kernel& kernel = runtime_->kernel();
  Renderer* self = this;
  for (size_t timer = 0; timer < page_.timers.size(); ++timer) {
    Runnable fire = [self, load, timer] { return RunTimer(self, load, timer); };
    const uint64_t delay = page_.timers[timer].delay_ms * kTicksPerMillisecond;
    // A zero delay still goes through the queue (the HTML timer task source), never inline.
    const uint64_t message = kernel.PostDelayed(js_, delay, "setTimeout", std::move(fire));
    WVSIM_ASSERT(message != 0);
  }
}

Task<> Renderer::RunTimer(Renderer* self, uint64_t load, size_t timer) {
  if (!self->Current(load)) co_return;  // the page that set it is gone (a new load, A16)
  self->Log(absl::StrCat("setTimeout#", timer, " fired"));
  co_await self->RunSteps(self->page_.timers[timer].steps);
}

Task<> Renderer::DeliverMessage(std::string message, std::vector<WebMessagePort*> ports) {
  if (page_.on_message.empty() || gone_) co_return;  // no window.onmessage, or no page (A16)
  Renderer* self = this;
  const uint64_t load = load_;
  Runnable run = [self, load, message = std::move(message), ports = std::move(ports)] {
    return RunMessage(self, load, message, ports);
  };
  const sim::Thread js = JsThread();
  co_await runtime_->kernel().Post(js, "window.onmessage", std::move(run));
}

Task<> Renderer::RunMessage(Renderer* self, uint64_t load, std::string message,
                            std::vector<WebMessagePort*> ports) {
  if (!self->Current(load)) co_return;  // the page that listened is gone
  self->Log(absl::StrCat("onmessage(", message, ")"));
  self->ports_ = std::move(ports);
  co_await self->RunSteps(self->page_.on_message);
}

Task<> Renderer::DeliverPortMessage(std::string message) {
  if (gone_) co_return;
  Renderer* self = this;
  const uint64_t load = load_;
  Runnable run = [self, load, message = std::move(message)] {
    return RunPortMessage(self, load, message);
  };
  const sim::Thread js = JsThread();
  co_await runtime_->kernel().Post(js, "port.onmessage", std::move(run));
}

Task<> Renderer::RunPortMessage(Renderer* self, uint64_t load, std::string message) {
  if (!self->Current(load)) co_return;
  self->Log(absl::StrCat("port.onmessage(", message, ")"));
  co_return;
}

Task<> Renderer::Evaluate(std::string script, ValueCallback* callback) {
  if (gone_) co_return;  // A16: no page to run it
  Renderer* self = this;
  Runnable run = [self, script = std::move(script), callback] {
    return RunEvaluate(self, script, callback);
  };
  const sim::Thread js = JsThread();
  co_await runtime_->kernel().Post(js, "evaluateJavascript", std::move(run));
}

std::string Renderer::ValueOf(const std::string& script) const {
  return script == "document.title" ? absl::StrCat("\"", title_, "\"") : "null";
}

Task<> Renderer::RunEvaluate(Renderer* self, std::string script, ValueCallback* callback) {
  if (self->gone_) co_return;
  std::string value = self->ValueOf(script);  // computed now, on the JavaScript thread (A12)
  if (callback == nullptr) co_return;
  WebView* view = self->view_;
  Runnable deliver = [view, callback, value = std::move(value)] {
    return WebView::DeliverValue(view, callback, value);
  };
  AndroidRuntime& runtime = *self->runtime_;
  WVSIM_ASSERT(runtime.ui_looper() != nullptr);
  co_await runtime.kernel().Post(runtime.ui_looper()->thread(), "evaluateJavascript result",
                                 std::move(deliver));
}

Task<bool> Renderer::RunSteps(std::vector<PageStep> steps) {
  for (PageStep& step : steps) {
    bool ok = false;
    if (step.kind == PageStepKind::kBridgeCall) {
      ok = co_await CallBridge(std::move(step));
    } else if (step.kind == PageStepKind::kPortPost) {
      ok = co_await PostOnPort(std::move(step));
    } else if (step.kind == PageStepKind::kRequestPermission) {
      ok = co_await RequestPermission(std::move(step));
    } else if (step.kind == PageStepKind::kNavigate) {
      ok = co_await Navigate(std::move(step));
    } else if (step.kind == PageStepKind::kOpenWindow) {
      ok = co_await OpenWindow(std::move(step));
    } else {
      ok = co_await ShowDialog(std::move(step));
    }
    if (!ok || gone_) co_return false;  // an uncaught JavaScript error ends the script
  }
  co_return true;
}

// ---- A13: a bridge call blocks the page's JavaScript until the Java method returns.

Task<bool> Renderer::CallBridge(PageStep step) {
  const std::string call = absl::StrCat(step.object, ".", step.method, "(", step.text, ")");
  JavascriptInterface* object = nullptr;
  for (const InjectedObject& injected : objects_) {
    if (injected.name == step.object) object = injected.object;  // the newest of a name wins
  }
  if (object == nullptr) {
    Log(absl::StrCat("TypeError: window.", step.object, " is undefined (", call, ")"));
    co_return false;
  }
  Kernel& kernel = runtime_->kernel();
  Looper& bridge = runtime_->JavaBridgeLooper();
  const Promise<BridgeReply> reply =
      kernel.MakePromise<BridgeReply>(absl::StrCat(call, "#", runtime_->NextId()));
  reply.SetProducer(bridge.thread(),
                    "the JavaBridge thread runs the @JavascriptInterface method, and the page's "
                    "JavaScript waits until it returns [A13]");
  Renderer* self = this;
  Runnable invoke = [self, object, method = std::move(step.method), argument = std::move(step.text),
                     reply] { return InvokeOnBridge(self, object, method, argument, reply); };
  co_await kernel.Post(bridge.thread(), "@JavascriptInterface", std::move(invoke));
  waiting_reply_ = reply;
  const BridgeReply answer = co_await kernel.BlockOn(reply.future());
  waiting_reply_.reset();
  if (gone_) co_return false;  // A16: the renderer died while it waited
  if (!answer.ok) {
    Log(absl::StrCat(kJavaExceptionRaisedText, " (", call, ": ", answer.value, ")"));
    co_return false;
  }
  Log(absl::StrCat(call, " = ", answer.value));
  co_return true;
}

Task<> Renderer::InvokeOnBridge(Renderer* self, JavascriptInterface* object, std::string method,
                                std::string argument, Promise<BridgeReply> reply) {
  AndroidRuntime& runtime = *self->runtime_;
  runtime.BeginCallback(runtime.JavaBridgeLooper(), "@JavascriptInterface method");
  BridgeReply answer;
  try {
    answer.value = co_await object->Call(*self->view_, std::move(method), std::move(argument));
    answer.ok = true;
  } catch (const JavaException& error) {
    answer.value = error.what();  // Chromium catches it and fails the call in the page
  }
  runtime.EndCallback();
  if (!reply.done()) reply.Set(std::move(answer));  // done: the renderer died meanwhile (A16)
}

// ---- A17: the page posts on the port its last web message brought; it does not wait.

Task<bool> Renderer::PostOnPort(PageStep step) {
  if (ports_.empty()) {
    Log(absl::StrCat("TypeError: the message brought no port (port.postMessage(", step.text, "))"));
    co_return false;
  }
  WebMessagePort* port = ports_.front();
  Log(absl::StrCat("port.postMessage(", step.text, ")"));
  co_await runtime_->kernel().Yield({"port.postMessage", port});
  WVSIM_ASSERT(port->peer_ != nullptr);
  co_await port->peer_->Deliver(std::move(step.text));
  co_return true;
}

// ---- A22: getUserMedia asks the app on the UI thread; the page does not wait for the answer.

Task<bool> Renderer::RequestPermission(PageStep step) {
  AndroidRuntime& runtime = *runtime_;
  WVSIM_ASSERT(runtime.ui_looper() != nullptr);
  auto& request = runtime.kernel().Make<PermissionRequest>(runtime, *this, step.text, load_);
  Log(absl::StrCat("getUserMedia(", step.text, ") asked"));
  Renderer* self = this;
  PermissionRequest* raw = &request;
  Runnable ask = [self, raw] { return PermissionOnUi(self, raw); };
  co_await runtime.kernel().Post(runtime.ui_looper()->thread(), "onPermissionRequest",
                                 std::move(ask));
  co_return true;
}

Task<> Renderer::PermissionOnUi(Renderer* self, PermissionRequest* request) {
  if (self->gone_) co_return;  // A16: the page that asked is gone
  AndroidRuntime& runtime = *self->runtime_;
  WebView& view = *self->view_;
  WebChromeClient* chrome = view.chrome_client_;
  if (chrome == nullptr) {
    co_await request->Deny();  // no WebChromeClient: denied, as by the default client
    co_return;
  }
  runtime.BeginCallback(*runtime.ui_looper(), "WebChromeClient.onPermissionRequest");
  co_await chrome->OnPermissionRequest(view, *request);
  runtime.EndCallback();
}

Task<> Renderer::PermissionAnswered(std::string resource, bool granted, uint64_t load) {
  if (gone_) co_return;
  std::string line = absl::StrCat("getUserMedia(", resource, ") ", granted ? "granted" : "denied");
  Renderer* self = this;
  Runnable settle = [self, load, line = std::move(line)] {
    return SettlePermission(self, load, line);
  };
  const sim::Thread js = JsThread();
  co_await runtime_->kernel().Post(js, "getUserMedia settles", std::move(settle));
}

Task<> Renderer::SettlePermission(Renderer* self, uint64_t load, std::string line) {
  if (!self->Current(load)) co_return;  // the page that asked is gone
  self->Log(std::move(line));
  co_return;
}

// ---- A15: a dialog blocks the page's JavaScript until the app answers its JsResult.

Task<bool> Renderer::ShowDialog(PageStep step) {
  Kernel& kernel = runtime_->kernel();
  AndroidRuntime& runtime = *runtime_;
  WVSIM_ASSERT(runtime.ui_looper() != nullptr);
  const sim::Thread ui = runtime.ui_looper()->thread();
  const std::string what = absl::StrCat(DialogName(step.kind), "(", step.text, ")");
  const Promise<JsAnswer> answer =
      kernel.MakePromise<JsAnswer>(absl::StrCat(what, "#", runtime.NextId()));
  answer.SetProducer(
      ui, absl::StrCat("the app answers the dialog's JsResult (", DialogCallback(step.kind),
                       " on the UI thread), and the page's JavaScript waits for "
                       "it [A15]"));
  JsResult* result = nullptr;
  if (step.kind == PageStepKind::kPrompt) {
    result =
        &kernel.Make<JsPromptResult>(runtime, absl::StrCat("JsPromptResult of ", what), answer);
  } else {
    result = &kernel.Make<JsResult>(runtime, absl::StrCat("JsResult of ", what), answer);
  }
  const PageStepKind kind = step.kind;
  Renderer* self = this;
  Runnable show = [self, step = std::move(step), result] { return DialogOnUi(self, step, result); };
  co_await kernel.Post(ui, "JS dialog", std::move(show));
  waiting_answer_ = answer;
  const JsAnswer got = co_await kernel.BlockOn(answer.future());
  waiting_answer_.reset();
  if (gone_) co_return false;  // A16: the renderer died while it waited
  if (kind == PageStepKind::kAlert) {
    Log(absl::StrCat(what, " dismissed"));
  } else if (kind == PageStepKind::kConfirm) {
    Log(absl::StrCat(what, " = ", got.confirmed ? "true" : "false"));
  } else {
    Log(absl::StrCat(what, " = ", got.confirmed ? got.value : std::string("null")));
  }
  co_return true;
}

Task<> Renderer::DialogOnUi(Renderer* self, PageStep step, JsResult* result) {
  if (self->gone_) co_return;  // A16: the page that asked is gone
  AndroidRuntime& runtime = *self->runtime_;
  WebView& view = *self->view_;
  WebChromeClient* chrome = view.chrome_client_;
  bool handled = false;
  if (chrome != nullptr) {
    runtime.BeginCallback(*runtime.ui_looper(), DialogCallback(step.kind));
    switch (step.kind) {
      case PageStepKind::kAlert:
        handled = co_await chrome->OnJsAlert(view, self->url_, step.text, *result);
        break;
      case PageStepKind::kConfirm:
        handled = co_await chrome->OnJsConfirm(view, self->url_, step.text, *result);
        break;
      case PageStepKind::kPrompt:
        handled = co_await chrome->OnJsPrompt(view, self->url_, step.text, step.default_value,
                                              static_cast<JsPromptResult&>(*result));
        break;
      case PageStepKind::kBridgeCall:
      case PageStepKind::kPortPost:
      case PageStepKind::kRequestPermission:
      case PageStepKind::kNavigate:
      case PageStepKind::kOpenWindow:
        break;
    }
    runtime.EndCallback();
  }
  // WebViewContentsClientAdapter: without a WebChromeClient, or when the client declines and no
  // default dialog can be shown (the model has no Activity), the dialog is cancelled (A15).
  if (!handled && !result->answered()) co_await result->Cancel();
}

}  // namespace wvsim::model::android
