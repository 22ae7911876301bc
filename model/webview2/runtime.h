// The Microsoft Edge WebView2 runtime model (docs/webview2-rules.md, W1..W16, W3a), built on the
// wvsim kernel. A scenario reads like the app code it stands for:
//
//   Runtime& rt = Runtime::Create(k);
//   rt.CoInitializeEx(Apartment::kSta);                  // on the UI thread (W1)
//   EnvironmentOptions options;                          // named first: see README (g++ 12)
//   Async<Environment*> env_op =
//       co_await rt.CreateCoreWebView2EnvironmentAsync(std::move(options));
//   Environment* env = co_await env_op;                  // await: the pump goes on (W2)
//   Async<Controller*> ctl_op = co_await env->CreateCoreWebView2ControllerAsync();
//   CoreWebView2& wv = (co_await ctl_op)->CoreWebView2();
//   Async<std::string> script = co_await wv.ExecuteScriptAsync("document.title");
//   std::string title = co_await rt.Result(script);      // Task.Result: blocks (W5)
//
// Every call into a WebView object is a scheduling point and checks the calling thread (W3).
// The browser and renderer processes are virtual threads with message queues; requests go to them
// as messages, and completions and events come back as messages on the UI thread's queue (W2, W6),
// so the scheduler chooses every cross-process order. Handlers run behind one boundary
// (DispatchEvent / completion delivery) that tracks which WebView handlers are on each thread's
// stack (W4), checks that callbacks stay serial, and catches exceptions that escape a handler.
//
// Thread-safety and determinism: everything belongs to one run of one Kernel (Runtime::Create makes
// it with Kernel::Make); ids (ExecuteScript#3) come from per-run counters; maps are ordered.
#ifndef WVSIM_MODEL_WEBVIEW2_RUNTIME_H_
#define WVSIM_MODEL_WEBVIEW2_RUNTIME_H_

#include <array>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/any_invocable.h"
#include "model/webview2/event_args.h"
#include "model/webview2/hresult.h"
#include "model/webview2/planted_defects.h"
#include "model/webview2/processes.h"
#include "sim/kernel.h"
#include "sim/model_port.h"
#include "sim/sync.h"

namespace wvsim::model::webview2 {

using sim::Future;
using sim::Kernel;
using sim::Promise;
using sim::Task;
using sim::Thread;

class Runtime;
class CoreWebView2;
class Controller;
class Environment;
class Window;
class CoreWebView2Frame;
struct EventArgs;

enum class Apartment : uint8_t { kNone, kSta, kMta };

// An async operation's result as the app holds it (.NET Task, or the Win32 completion handler's
// arguments). `co_await op` is await (W2): inside a handler the handler leaves the stack, which is
// also the moment the runtime considers the handler returned (W8). rt.Result(op) blocks (W5).
template <typename T>
class Async {
 public:
  Async() = default;
  Async(Runtime* runtime, Future<T> future) : runtime_(runtime), future_(future) {}
  Future<T> future() const { return future_; }
  const std::string& name() const { return future_.name(); }

  struct [[nodiscard]] Awaiter {
    Runtime* runtime;
    typename Future<T>::Awaiter inner;
    bool await_ready() const noexcept { return inner.await_ready(); }
    template <typename P>
    void await_suspend(std::coroutine_handle<P> handle) const;
    T await_resume() const { return inner.await_resume(); }
  };
  Awaiter operator co_await() const { return Awaiter{runtime_, future_.operator co_await()}; }

 private:
  Runtime* runtime_ = nullptr;
  Future<T> future_;
};

// What a URL does when it loads (the page's script).
struct Page {
  std::string title = {};
  std::string web_message = {};  // window.chrome.webview.postMessage(...) after load
  std::string subresource = {};  // a request the page makes while loading (WebResourceRequested)
  // Non-empty: that request is a POST with this body, its Request.Content (W10).
  std::string subresource_body = {};
  std::string window_open = {};  // window.open(...) after load (NewWindowRequested)
  // Deferrable events the page causes after load, in order; each waits for the one before to
  // finish, as the page's script does (W9).
  std::vector<DeferrableEvent> events = {};
  // Iframes (<iframe name=... src=...>), each a CoreWebView2Frame; a frame of another site runs in
  // a renderer of its own (site isolation, W11), so its exit affects only it (W12).
  struct Frame {
    std::string name = {};
    std::string uri = {};
    // The frame's script asks for a permission once it loaded: PermissionRequested on the
    // frame's handlers first, then on the WebView's (W9.4).
    bool requests_permission = false;
  };
  std::vector<Frame> frames = {};
  // The page answers every web message from the host with the same message (web_messages.cc).
  bool echoes_web_messages = false;
};

// ---- Cookies (W3a).

class Cookie {
 public:
  Cookie(Runtime* runtime, Thread owner, std::string name, std::string domain)
      : runtime_(runtime), owner_(owner), name_(std::move(name)), domain_(std::move(domain)) {}
  // Property reads are bound to the UI thread, even when GetCookiesAsync ran elsewhere (W3a).
  const std::string& Domain() const;
  const std::string& Name() const;

 private:
  Runtime* runtime_;
  Thread owner_;
  std::string name_;
  std::string domain_;
};

class CookieManager {
 public:
  explicit CookieManager(CoreWebView2* webview) : webview_(webview) {}
  // Callable from any thread; the cookies come back to the caller (W3a).
  Task<Async<std::vector<Cookie*>>> GetCookiesAsync(std::string_view uri);

 private:
  CoreWebView2* webview_;
};

// ---- Environment, controller, WebView: thin handles into the Runtime's bookkeeping.

// The app's window (HWND) that hosts a controller.
class Window : public sim::Object {
 public:
  Window(std::string name, Runtime* runtime, Thread owner)
      : sim::Object(std::move(name)), runtime_(runtime), owner_(owner) {}
  // W6: a controller creation pending on this parent completes with E_ABORT synchronously,
  // inside this call.
  Task<> DestroyWindow();
  bool destroyed() const { return destroyed_; }
  Thread owner() const { return owner_; }

 private:
  Runtime* runtime_;
  Thread owner_;
  bool destroyed_ = false;
};

class Environment : public sim::Object {
 public:
  Environment(std::string name, Runtime* runtime, BrowserProcess* browser, Thread owner)
      : sim::Object(std::move(name)), runtime_(runtime), browser_(browser), owner_(owner) {}
  // W6: returns at once; the completion is posted to the caller's queue.
  Task<Async<Controller*>> CreateCoreWebView2ControllerAsync(Window* parent = nullptr);
  BrowserProcess& browser() const { return *browser_; }
  Thread owner() const { return owner_; }
  void add_BrowserProcessExited(Handler<BrowserProcessExitedEventArgs> handler);

 private:
  friend class Runtime;
  Runtime* runtime_;
  BrowserProcess* browser_;
  Thread owner_;
  HandlerList<BrowserProcessExitedEventArgs> browser_process_exited_;
};

class CoreWebView2 : public sim::Object {
 public:
  CoreWebView2(std::string name, Runtime* runtime, Environment* env, Thread owner)
      : sim::Object(std::move(name)), runtime_(runtime), env_(env), owner_(owner), cookies_(this) {}

  Task<Async<std::string>> ExecuteScriptAsync(std::string_view script);  // W6, W7
  Task<> Navigate(std::string_view uri);
  // W12: after a renderer crash, reloads the document in a new renderer process.
  Task<> Reload();
  // W7: one print at a time; a concurrent one completes with E_ABORT.
  Task<Async<bool>> PrintToPdfAsync(std::string_view path);
  // W7: fails before the document's first ContentLoading.
  Task<Async<bool>> CapturePreviewAsync();
  // W7: the script runs in every new document, but only once its completion ran on the UI
  // thread; a navigation before that runs without it. The model understands scripts of the form
  // "window.name = value".
  Task<Async<std::string>> AddScriptToExecuteOnDocumentCreatedAsync(std::string_view script);
  webview2::CookieManager& GetCookieManager();  // thread-checked (W3)
  // Host -> page (web_messages.cc): delivered to the document current at the call; dropped when
  // that document is gone by the time it arrives. The page answers through WebMessageReceived.
  Task<> PostWebMessageAsString(std::string_view message);
  Task<> PostWebMessageAsJson(std::string_view json);
  // W6, W7 (devtools.cc): calls are dispatched in order but may be processed out of order; the
  // completion carries the method's JSON result. Understands Emulation.setUserAgentOverride and
  // Runtime.evaluate of navigator.userAgent; other methods fail with E_FAIL.
  Task<Async<std::string>> CallDevToolsProtocolMethodAsync(std::string_view method,
                                                           std::string_view params_json);

  // Event registration (W3: from the UI thread).
  // W2: NavigationStarting -> ContentLoading -> DOMContentLoaded -> NavigationCompleted, each a
  // message on the UI thread (navigation.cc). NavigationStarting's Cancel is read when its
  // handler returns or first suspends (W9: no deferral).
  void add_NavigationStarting(Handler<NavigationStartingEventArgs> handler);
  void add_ContentLoading(Handler<NavigationEventArgs> handler);
  void add_DOMContentLoaded(Handler<NavigationEventArgs> handler);
  void add_NavigationCompleted(Handler<NavigationEventArgs> handler);
  void add_WebMessageReceived(Handler<WebMessageReceivedEventArgs> handler);
  void add_WebResourceRequested(Handler<WebResourceRequestedEventArgs> handler);
  void add_NewWindowRequested(Handler<NewWindowRequestedEventArgs> handler);
  void add_ProcessFailed(Handler<ProcessFailedEventArgs> handler);
  void add_FrameCreated(Handler<FrameCreatedEventArgs> handler);  // frames.cc
  // add_ScriptDialogOpening, add_PermissionRequested, ... (W9.3..W9.15).
  void add_DeferrableEvent(DeferrableEvent event, Handler<DeferrableEventArgs> handler);
  bool closed() const { return closed_; }

  Thread owner() const { return owner_; }
  Environment& environment() const { return *env_; }
  Runtime& runtime() const { return *runtime_; }
  // The runtime's view (not app calls).
  std::string_view document() const { return document_; }
  void set_document(std::string_view uri) {
    document_ = uri;
    content_loading_seen_ = true;  // ContentLoading of the new document
    globals_.clear();
    for (const AddedScript& script : added_scripts_) {
      if (script.added.done()) globals_[script.name] = script.value;  // active scripts only (W7)
    }
  }
  // A global of the current document, or nullptr.
  const std::string* global(const std::string& name) const {
    auto it = globals_.find(name);
    return it == globals_.end() ? nullptr : &it->second;
  }
  bool content_loading_seen() const { return content_loading_seen_; }
  // The NavigationId of the current document's navigation (W2).
  uint64_t navigation_id() const { return navigation_id_; }
  void set_navigation_id(uint64_t id) { navigation_id_ = id; }
  // W7: while a NavigationStarting is unanswered, the browser keeps the scripts it receives and
  // sends them on once the navigation commits (so they run in the new document) or is cancelled.
  bool navigation_pending() const { return navigations_pending_ > 0; }
  void HoldScript(absl::AnyInvocable<void()> forward) {
    held_scripts_.push_back(std::move(forward));
  }
  void set_printing(bool printing) { printing_ = printing; }
  RendererProcess* renderer() const { return renderer_; }
  void set_renderer(RendererProcess* renderer) { renderer_ = renderer; }
  bool has_resource_handlers() const { return !web_resource_requested_.empty(); }
  // What each finished deferrable event did (W9), in order: "ContextMenuRequested#1: ...".
  const std::vector<std::string>& event_outcomes() const { return event_outcomes_; }
  void set_global(const std::string& name, std::string value) { globals_[name] = std::move(value); }
  void add_event_outcome(std::string outcome) { event_outcomes_.push_back(std::move(outcome)); }
  // The current document's frames (frames.cc).
  const std::vector<CoreWebView2Frame*>& frames() const { return frames_; }
  // The user agent DevTools reports (Emulation.setUserAgentOverride, devtools.cc).
  const std::string& user_agent() const { return user_agent_; }
  void set_user_agent(std::string user_agent) { user_agent_ = std::move(user_agent); }

 private:
  friend class Runtime;
  Runtime* runtime_;
  Environment* env_;
  Thread owner_;
  webview2::CookieManager cookies_;
  sim::PooledString document_ = "about:blank";  // pooled: a new document costs no allocation
  RendererProcess* renderer_ = nullptr;
  bool printing_ = false;
  struct AddedScript {
    std::string name;   // "window.bridgeReady"
    std::string value;  // "true"
    Future<std::string> added;
  };
  std::vector<AddedScript> added_scripts_;
  std::map<std::string, std::string> globals_;  // of the current document
  bool content_loading_seen_ = false;
  uint64_t navigation_id_ = 0;
  int navigations_pending_ = 0;  // NavigationStarting raised, Cancel not read yet (W9)
  std::vector<absl::AnyInvocable<void()>> held_scripts_;  // W7, in call order
  HandlerList<NavigationStartingEventArgs> navigation_starting_;
  HandlerList<NavigationEventArgs> content_loading_;
  HandlerList<NavigationEventArgs> dom_content_loaded_;
  HandlerList<NavigationEventArgs> navigation_completed_;
  HandlerList<WebMessageReceivedEventArgs> web_message_received_;
  HandlerList<WebResourceRequestedEventArgs> web_resource_requested_;
  HandlerList<NewWindowRequestedEventArgs> new_window_requested_;
  HandlerList<ProcessFailedEventArgs> process_failed_;
  HandlerList<DeferrableEventArgs> deferrable_[kDeferrableEventCount];
  HandlerList<FrameCreatedEventArgs> frame_created_;
  std::vector<std::string> event_outcomes_;
  std::vector<CoreWebView2Frame*> frames_;
  std::string user_agent_;
  bool closed_ = false;
};

class Controller : public sim::Object {
 public:
  Controller(std::string name, webview2::CoreWebView2* webview)
      : sim::Object(std::move(name)), webview_(webview) {}
  webview2::CoreWebView2& CoreWebView2() const { return *webview_; }
  // W14: synchronous; fires no beforeunload, drops every handler; later calls fail. The browser
  // process shuts down when no other WebView uses it.
  Task<> Close();
  // COM reference counting. The creation's completion hands the app one reference; releasing the
  // last one closes the controller implicitly (W14), as Close would.
  void AddRef() { ++references_; }
  void Release();
  int references() const { return references_; }

 private:
  webview2::CoreWebView2* webview_;
  int references_ = 1;
};

// wil::com_ptr<ICoreWebView2Controller> (or the .NET object the GC finalizes): adopts the
// reference the completion handed over; copies add one; the last one gone closes it (W14).
//
//   ControllerPtr controller(co_await op);  // a local: closed when the function returns
class ControllerPtr {
 public:
  ControllerPtr() = default;
  explicit ControllerPtr(Controller* adopted) : controller_(adopted) {}
  ControllerPtr(const ControllerPtr& other) : controller_(other.controller_) {
    if (controller_ != nullptr) controller_->AddRef();
  }
  ControllerPtr(ControllerPtr&& other) noexcept
      : controller_(std::exchange(other.controller_, nullptr)) {}
  ControllerPtr& operator=(ControllerPtr other) noexcept {
    std::swap(controller_, other.controller_);
    return *this;
  }
  ~ControllerPtr() { reset(); }
  void reset() {
    if (Controller* released = std::exchange(controller_, nullptr)) released->Release();
  }
  Controller* get() const { return controller_; }
  Controller* operator->() const { return controller_; }

 private:
  Controller* controller_ = nullptr;
};

// W4: the scenario parameter that turns the reentrancy oracle into the runtime's own behaviour:
// 0 (default) reports a nested loop in a WebView2 handler at once; N > 0 lets the loop run, as
// the runtime does, and breaks (int 3) when it is still running N ms later (timeout unconfirmed).
inline constexpr std::string_view kReentrancyBreakParam = "reentrancy_break_ms";

// W11: the run parameter that makes the GPU and utility processes virtual threads in every run,
// not only in runs whose scenario enables one of their faults. Off (0) by default: a fault-free
// auxiliary process is a reduction (auxiliary_processes.cc says what it keeps and what it loses);
// tests turn it on (1) to check that every scenario keeps its verdicts with the threads. A
// scenario that declares it takes `--param auxiliary_threads=1`.
inline constexpr std::string_view kAuxiliaryThreadsParam = "auxiliary_threads";

// A WebView handler (event or completion) the boundary has entered on a thread (W4).
struct HandlerFrame {
  // "WebMessageReceived#3 handler": composed when a report needs it, so that entering a handler
  // builds no string.
  std::string What() const {
    return event != nullptr ? std::string(event->Name()) + " handler" : completion;
  }
  std::string completion;  // "ExecuteScript#2 completion handler"; traced runs only
  Thread thread;           // set when the boundary enters it
  std::coroutine_handle<> frame;
  EventArgs* event = nullptr;  // null for a completion
  bool parked = false;         // left the stack at an await: no longer a callback on the stack
  bool exited = false;
};

class Runtime {
 public:
  // The run's Runtime, made with Kernel::Make; registers the end-of-run checks.
  static Runtime& Create(Kernel& kernel);
  explicit Runtime(Kernel& kernel);
  Kernel& kernel() const { return kernel_; }
  sim::ModelPort port() const { return port_; }

  // ---- The app's side.
  void CoInitializeEx(Apartment apartment);  // for the calling thread (W1)
  Apartment ApartmentOf(Thread thread) const;
  void AddPage(std::string_view uri, Page page) {
    pages_.insert_or_assign(sim::PooledString(uri), std::move(page));
  }

  // W1, W2, W6, W11: the environment for a user data folder; starts its browser process.
  Task<Async<Environment*>> CreateCoreWebView2EnvironmentAsync(EnvironmentOptions options);

  // Task.Result / WaitForSingleObject on an async operation: blocks the thread and its pump (W5).
  template <typename T>
  Task<T> Result(Async<T> op);
  // A modal dialog (Form.ShowDialog, MessageBox): a nested message loop until CloseDialog. Reports
  // W4 when a WebView handler is on this thread's stack. `on_shown` runs inside the dialog.
  Task<> ShowDialog(std::string title, absl::AnyInvocable<Task<>()> on_shown);
  Kernel::PostAwaiter CloseDialog();
  // A pumping wait (CoWaitForMultipleHandles, MsgWaitForMultipleObjects, a synchronous
  // host-object call): a nested loop until `op` completes. Reports W4 inside a WebView handler.
  template <typename T>
  Task<T> CoWait(Async<T> op);
  // Reports W4 when a WebView2 handler is on the calling thread's stack; `loop` names the loop.
  // With kReentrancyBreakParam set, returns the id of the int 3 break it armed (0: none); pass
  // it to EndNestedLoop when the loop ends.
  uint64_t CheckNestedLoop(const std::string& loop);
  void EndNestedLoop(uint64_t break_id);
  uint64_t ArmReentrancyBreak(Thread thread, const HandlerFrame& handler, const std::string& loop,
                              int64_t break_ms);
  // SynchronizationContext.Post / PostMessage(WM_APP): runs after the current handler returns.
  Kernel::PostAwaiter Post(Thread target, sim::MessageLabel label,
                           absl::AnyInvocable<Task<>()> work);
  // A response stream created by the calling thread (W10).
  ResponseStream& CreateResponseStream(bool agile, int chunks, sim::Event* consumed);
  // CreateWindowEx on the calling thread.
  Window& CreateWindow();
  void AbortCreationsOn(const Window& window);
  void SetParent(const sim::FutureCore& op, const Window* parent);

  // ---- The runtime's side (used by the handles above).
  template <typename A>
  void RaiseEvent(A& args, HandlerList<A>& handlers);
  template <typename A>
  Task<> DispatchEvent(A& args, HandlerList<A>& handlers);
  // `event`, `holds_up` and `rule` are static text (literals, the W9 table): the args keep the
  // pointers, and an untraced run's message label is `event` itself.
  template <typename A>
  A& NewEventArgs(CoreWebView2& sender, const char* event, const char* holds_up, const char* rule);
  template <typename A>
  A& NewEnvironmentEventArgs(Environment& source, const char* event);
  void RaiseBrowserProcessExited(BrowserProcess& browser, BrowserProcessExitKind kind);
  void RaiseProcessFailed(BrowserProcess& browser);
  // W15: every call pending on the process fails (with `why`) or never completes.
  void FailPendingOn(Thread producer, BrowserProcess* browser,
                     const char* why =
                         "W15: the browser process crashed while the call was "
                         "pending");

  // ---- Faults (W12, W13, W15, W16), within the scenario's fault budget.
  // Spawns `fault_budget` injector threads: each, at a step the scheduler picks, may make a
  // process of a live browser (the scheduler picks which) fail as `kinds` allow. Call it once the
  // app is up.
  void EnableFaults(FaultKinds kinds = {});
  void CrashBrowser(BrowserProcess& browser);
  // W12: the browser process hangs: calls pending on it, and every later one, never complete.
  void HangBrowser(BrowserProcess& browser);
  // W12: a renderer exits (reason Crashed); its WebViews show an error page until Reload; the
  // WebViews that only have frames in it get FrameRenderProcessExited, and only those frames die.
  void CrashRenderer(RendererProcess& renderer);
  // W12: the browser terminates a hung renderer for `reloading` (a Reload or a navigation); the
  // other WebViews on it get RenderProcessExited with reason Terminated (the model's assumption).
  void TerminateHungRenderer(RendererProcess& renderer, const CoreWebView2& reloading);
  // W12: the renderer stops responding; ProcessFailed RenderProcessUnresponsive every 15 s
  // until it is terminated or, after a number of reports the scheduler picks, the hang ends by
  // itself (renderer_hangs.cc).
  void HangRenderer(RendererProcess& renderer);
  void ReportUnresponsive(RendererProcess& renderer);
  // W12: a hang ends by itself: the renderer runs what it held, in order, and the page goes on.
  void EndRendererHang(RendererProcess& renderer);
  // Sends work to a renderer's thread; a hung renderer holds it until its hang ends. The
  // closure goes to the run's pooled memory (sim::ModelPort::PooledHandler).
  template <typename Work>
  void SendToRenderer(RendererProcess& renderer, sim::MessageLabel label, Work work) {
    SendHandlerToRenderer(renderer, std::move(label), port_.PooledHandler(std::move(work)));
  }
  // W12: the reason ProcessFailed gives for an exit of `kind`: a recorded choice among the
  // reasons that apply to the kind, or the only one (process_failed.cc).
  ProcessFailedReason ChooseExitReason(ProcessFailedKind kind);
  // W12: a sandbox helper, PPAPI plugin or broker, or unknown process of `browser` exits (which,
  // and its reason, are recorded choices): ProcessFailed on every WebView; nothing breaks.
  void ExitOtherProcess(BrowserProcess& browser);
  // W12: a GPU or utility process exits and is relaunched; ProcessFailed for every WebView.
  void CrashAuxiliaryProcess(BrowserProcess& browser, ProcessFailedKind kind);
  // W12: a GPU or utility process stops working; what it was sent stays pending until a crash
  // relaunches it (auxiliary_processes.cc). No ProcessFailed kind reports it.
  void HangAuxiliaryProcess(BrowserProcess& browser, ProcessFailedKind kind);
  // W11: `process` does `then` as a message on its thread; inline when it is not a thread.
  template <typename Then>
  void RunOnAuxiliary(AuxiliaryProcess& process, std::string what, Then then) {
    if (!process.thread.valid()) {
      then();  // not a thread in this scenario: the work is done at once
      return;
    }
    RunOnAuxiliaryThread(process, std::move(what), port_.PooledHandler<void()>(std::move(then)));
  }
  // The message of RunOnAuxiliary: does work `id` unless the process hangs or was relaunched
  // since `generation` sent it (the relaunch sent it again).
  void DoAuxiliaryWork(AuxiliaryProcess& process, uint64_t id, uint32_t generation);
  using Renderers = absl::InlinedVector<RendererProcess*, 4>;
  // The live processes a fault can hit, browser first, in a fixed order.
  Renderers LiveRenderers(const BrowserProcess& browser) const;
  // Whether an app's call on `browser` has not completed yet (W13: it keeps the browser up).
  bool HasPendingCalls(const BrowserProcess& browser) const;
  // Whether a WebView's main document runs in `renderer` (else it runs only frames, or nothing).
  bool RunsMainDocument(const RendererProcess& renderer) const;
  // Throws unless `webview` can still be called: closed (W14) or its browser crashed (W12).
  void CheckAlive(const CoreWebView2& webview, const char* api);
  void CloseController(CoreWebView2& webview);
  // Navigation (navigation.cc, W2, W7, W9). Each Raise* returns false when nobody listens.
  bool RaiseNavigationStarting(CoreWebView2& webview, std::string_view uri, uint64_t id);
  void AnswerNavigationStarting(CoreWebView2& webview, std::string_view uri, uint64_t id,
                                bool cancel);
  void CommitNavigation(CoreWebView2& webview, std::string_view uri, uint64_t id);
  void ReleaseHeldScripts(CoreWebView2& webview);
  void RaiseDocumentEvent(CoreWebView2& webview, HandlerList<NavigationEventArgs>& list,
                          const char* event);
  void RaiseContentLoading(CoreWebView2& webview);
  void RaiseDOMContentLoaded(CoreWebView2& webview);
  void RaiseNavigationCompleted(CoreWebView2& webview);
  void RaiseNavigationCanceled(CoreWebView2& webview, std::string_view uri, uint64_t id);
  void RaiseWebMessage(CoreWebView2& webview, const std::string& message, bool is_json = false);
  void RaiseFrameCreated(CoreWebView2& webview, CoreWebView2Frame& frame);
  // Raises ProcessFailed on `webview` (when it has handlers and is open).
  ProcessFailedEventArgs* RaiseProcessFailedOn(CoreWebView2& webview, ProcessFailedKind kind,
                                               ProcessFailedReason reason, int exit_code);
  // The page's subresource request (navigation.cc, W9.2); a POST carries Request.Content (W10).
  void RaiseWebResourceRequested(CoreWebView2& webview, const Page& page,
                                 RendererProcess& renderer);
  void RaiseNewWindow(CoreWebView2& webview, const std::string& uri);
  // W9.1: window.open returns `args`' NewWindow to the opener's script, which goes on.
  void OpenerGoesOn(NewWindowRequestedEventArgs& args);
  void NewWindowSet(NewWindowRequestedEventArgs& args, CoreWebView2* window);
  // W9.4: a frame's PermissionRequested, frame handlers first, then the WebView's (frames.cc).
  void RaiseFramePermission(CoreWebView2& webview, CoreWebView2Frame& frame);
  // Raises the page's deferrable events from `index` on, one after the other finished (W9).
  void RaisePageEvents(CoreWebView2& webview, const Page& page, size_t index);
  void FinishIfDone(EventArgs& args);
  // The handler returned or left the stack at an await (once): marks it and runs on_returned.
  void NoteReturned(EventArgs& args);
  void RunOnReturned(EventArgs& args);
  // W9: what a finished deferrable event does with its args (deferrable_events.cc); false when
  // the page's script stops there (a certificate error that was not allowed).
  bool ApplyOutcome(CoreWebView2& webview, const DeferrableEventArgs& args);
  // Sends Navigate/Reload to the browser (W12: it terminates a hung renderer first).
  void StartNavigation(CoreWebView2& webview, const char* label, std::string_view uri);
  // W7: the JSON result of `script` in `document` ("null" for undefined).
  std::string EvaluateScript(std::string_view document, const std::string& script) const;
  // Frames (frames.cc): made when the document loads, destroyed with it; a renderer's exit
  // detaches the frames it ran and returns their names.
  void CreateFrames(CoreWebView2& webview, const Page& page);
  void DestroyFrames(CoreWebView2& webview);
  std::vector<std::string> DetachFramesOn(CoreWebView2& webview, const RendererProcess& renderer);
  // Host -> page web messages (web_messages.cc), after the caller's scheduling point.
  void PostWebMessage(CoreWebView2& webview, const char* api, std::string_view message,
                      bool is_json);
  void CheckDroppedDeferral(const EventArgs& args);
  // How an event's deferral stood when the event ended, as a fuzzer feature (issue 6).
  enum class DeferralFeature : uint8_t {
    kNone,                  // no deferral: the event ended when its handler returned
    kCompletedInHandler,    // completed before the handler returned
    kCompletedAfterReturn,  // the event waited for it after the handler returned
    kCompletedTwice,
    kDropped,  // dropped without Complete: the event never ends
  };
  void CountDeferralFeature(const EventArgs& args, DeferralFeature state);
  Deferral GetDeferral(EventArgs& args);
  void CompleteDeferral(DeferralState& state);

  // Throws (and reports W3) unless the calling thread is `owner`.
  void CheckThread(Thread owner, const sim::Object& object, const char* api, const char* rule);
  // Sends a request to a process thread (not a scheduling point: the caller's call was one).
  // The closure goes to the run's pooled memory (sim::ModelPort::PooledHandler).
  template <typename Work>
  uint64_t Send(Thread process, sim::MessageLabel label, Work work) {
    return port_.Send(process, std::move(label), port_.PooledHandler(std::move(work)));
  }
  template <typename T>
  Promise<T> NewOp(const char* kind, Thread caller, BrowserProcess& browser, Thread producer);
  // Delivers a completion to the caller: a message on its queue (W2, W6), or, for a thread
  // without a pump (an MTA thread, a worker), a direct call from a COM thread.
  template <typename T>
  void Complete(Thread caller, Promise<T> promise, typename Promise<T>::Value value);
  template <typename T>
  void CompleteWithError(Thread caller, Promise<T> promise, HRESULT hr, const char* why);

  BrowserProcess& BrowserFor(const EnvironmentOptions& options, bool* options_differ);
  RendererProcess& RendererFor(BrowserProcess& browser, std::string_view uri);
  const Page* FindPage(std::string_view uri) const;
  std::string NextName(const char* kind, uint32_t& counter) const;

  // W4 bookkeeping: the handler boundary every event and completion handler runs behind.
  Task<> EnterHandler(HandlerFrame& frame);
  // The live browser a fault hits: a recorded choice when there are several (W12).
  BrowserProcess* FaultTarget();
  void ExitHandler(HandlerFrame& frame);
  void NoteAwait(Thread thread);  // the thread's innermost handler leaves the stack
  HandlerFrame* WebViewHandlerOnStack(Thread thread);

  // Counters for object ids, per run (Environment#1, CoreWebView2#2, Stream#1, IStream::Read#3).
  uint32_t environments = 0, controllers = 0, streams = 0, reads = 0, frames = 0;
  uint64_t navigations = 0;  // NavigationId (W2), per run

 private:
  template <typename T>
  friend class Async;
  struct ThreadInfo {
    Apartment apartment = Apartment::kNone;
    Promise<void> gate;  // set when the last WebView handler on the thread's stack returns
    bool gate_open = false;
  };
  struct Pending {
    sim::FutureCore* future;
    const char* rule;
    BrowserProcess* browser;
    Thread caller;
    // Completes it with a failure: through the caller's queue, or inline (W6's E_ABORT).
    void (*fail)(Runtime&, const Pending&, HRESULT, const char* why, bool inline_call);
    bool never = false;              // W15: it will never complete
    const Window* parent = nullptr;  // a controller creation's parent window (W6)
    Thread producer;
  };
  template <typename T>
  static void FailPending(Runtime& runtime, const Pending& pending, HRESULT hr, const char* why,
                          bool inline_call);
  ThreadInfo& Info(Thread thread) { return threads_[thread.id()]; }
  void CatchAtBoundary(const EventArgs& args, const char* what);
  std::optional<sim::Violation> CheckPending() const;
  std::optional<sim::Violation> CheckDeferrals() const;
  std::optional<sim::Violation> CheckAuxiliaries() const;
  void SendHandlerToRenderer(RendererProcess& renderer, sim::MessageLabel label,
                             absl::AnyInvocable<Task<>()> work);
  void RunOnAuxiliaryThread(AuxiliaryProcess& process, std::string what,
                            absl::AnyInvocable<void()> then);
  void SpawnAuxiliary(BrowserProcess& browser, AuxiliaryProcess& process);
  void SendAuxiliaryWork(AuxiliaryProcess& process, const AuxiliaryWork& work);
  void EnableAuxiliaryThreads();                      // EnableFaults with a GPU or utility fault
  void LaunchAuxiliaries(BrowserProcess& browser);    // with each browser, once enabled
  void RelaunchAuxiliary(AuxiliaryProcess& process);  // W12: after its crash, redoing its work
  void RegisterChecks();

  // The run's bookkeeping is inline (the Runtime lives in the run's pooled memory) up to sizes
  // that cover every built-in scenario: a run allocates nothing for it (an allocation costs more
  // than a scheduling step under a fuzzer's AddressSanitizer).
  Kernel& kernel_;
  sim::ModelPort port_;  // Send, pooled handlers and stack queries (sim/model_port.h)
  std::array<ThreadInfo, sim::KernelLimits::kThreadsMaxCeiling> threads_;
  // In the run's pooled memory, like the model's other maps (processes.h).
  sim::PooledMap<sim::PooledString, BrowserProcess*> browsers_;  // by user data folder (W11)
  sim::PooledMap<sim::PooledString, Page> pages_;
  absl::InlinedVector<HandlerFrame*, 4> handlers_;  // entered and not exited
  absl::InlinedVector<Pending, 8> pending_;         // async operations, for the stall check
  absl::InlinedVector<DeferralState*, 4> deferrals_;
  uint32_t browser_generation_ = 0;
  uint32_t windows_ = 0;
  uint32_t renderer_generation_ = 0;  // browser, browser#2 (after a crash, W16)
  // GPU and utility processes are threads (EnableFaults, kAuxiliaryThreadsParam).
  bool auxiliary_threads_ = false;
  uint64_t auxiliary_work_ = 0;                  // AuxiliaryWork ids, per run
  std::map<std::string, uint32_t> op_counters_;  // ExecuteScript#3: per kind, per run (traced)
};

// The renderer's side of W9: the page's script resumes after a deferrable event finished.
Task<> PageGoesOn(Runtime& rt, CoreWebView2& webview, const Page& page, size_t next);

// ---- Template definitions.

namespace internal {
// Hands the awaiting frame's handle to the caller without suspending.
struct CurrentFrame {
  std::coroutine_handle<> handle;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) noexcept {
    handle = h;
    return false;
  }
  std::coroutine_handle<> await_resume() const noexcept { return handle; }
};
}  // namespace internal

template <typename T>
template <typename P>
void Async<T>::Awaiter::await_suspend(std::coroutine_handle<P> handle) const {
  runtime->NoteAwait(sim::ThreadOf(handle));
  inner.await_suspend(handle);
}

template <typename T>
Task<T> Runtime::Result(Async<T> op) {
  sim::FutureState<T>& state = op.future().state();
  if (TestOnlyPlantedDefects().result_pumps) co_return co_await kernel_.PumpUntil(op.future());
  co_await kernel_.Wait({"Task.Result", &state}, state, sim::WaitKind::kBlocking);
  co_return state.Get();
}

// Ends the W4 watch of a nested loop when the loop ends, however it ends.
struct NestedLoopGuard {
  Runtime* runtime;
  uint64_t break_id;
  NestedLoopGuard(Runtime* owner, uint64_t id) : runtime(owner), break_id(id) {}
  NestedLoopGuard(const NestedLoopGuard&) = delete;
  NestedLoopGuard& operator=(const NestedLoopGuard&) = delete;
  ~NestedLoopGuard() { runtime->EndNestedLoop(break_id); }
};

template <typename T>
Task<T> Runtime::CoWait(Async<T> op) {
  const NestedLoopGuard guard{
      this, CheckNestedLoop(kernel_.traced() ? "CoWaitForMultipleHandles(" + op.name() + ")"
                                             : std::string("CoWaitForMultipleHandles"))};
  co_return co_await kernel_.PumpUntil(op.future());
}

template <typename T>
void Runtime::FailPending(Runtime& runtime, const Pending& pending, HRESULT hr, const char* why,
                          bool inline_call) {
  auto* state = static_cast<sim::FutureState<T>*>(pending.future);
  if (inline_call) {
    state->Fail(
        std::make_exception_ptr(ComException(hr, state->name() + " completion (" + why + ")")));
    return;
  }
  runtime.CompleteWithError(pending.caller, Promise<T>(state), hr, why);
}

template <typename T>
Promise<T> Runtime::NewOp(const char* kind, Thread caller, BrowserProcess& browser,
                          Thread producer) {
  Promise<T> promise =
      kernel_.MakePromise<T>(kernel_.traced() ? NextName(kind, op_counters_[kind]) : std::string());
  pending_.push_back({&promise.future().state(), "W2", &browser, caller, &FailPending<T>, false,
                      nullptr, producer});
  if (kernel_.traced()) {
    promise.SetProducer(producer, browser.hung ? BrowserHangHoldsUp(browser)
                                               : "it is being processed by " + producer.name() +
                                                     " for thread " + caller.name());
  }
  return promise;
}

// The completion handler: runs behind the handler boundary (W4: not while another WebView2
// handler is on the stack), then completes the Task, which posts every awaiting continuation (W2).
template <typename T>
Task<> DeliverCompletion(Runtime& runtime, Promise<T> promise, typename Promise<T>::Value value) {
  HandlerFrame& frame = runtime.kernel().template Make<HandlerFrame>();
  if (runtime.kernel().traced()) {
    frame.completion = promise.future().name() + " completion handler";
  }
  frame.frame = co_await internal::CurrentFrame{};
  co_await runtime.EnterHandler(frame);
  promise.Set(std::move(value));
  runtime.ExitHandler(frame);
}

template <typename T>
void Runtime::Complete(Thread caller, Promise<T> promise, typename Promise<T>::Value value) {
  if (!port_.HasMessageQueue(caller)) {
    promise.Set(std::move(value));
    return;
  }
  const uint64_t id =
      Send(caller,
           kernel_.traced() ? sim::MessageLabel(promise.future().name() + " completion")
                            : sim::MessageLabel("completion"),
           [self = this, promise, value = std::move(value)]() mutable {
             return DeliverCompletion<T>(*self, promise, std::move(value));
           });
  if (kernel_.traced()) {
    promise.SetProducer(caller, "its completion is message #" + std::to_string(id) +
                                    " queued on thread " + caller.name() +
                                    "'s pump, which must dispatch it (W2, W5: a blocking "
                                    "wait on that thread stops the pump that would deliver it)");
  }
}

template <typename T>
Task<> DeliverFailure(Promise<T> promise, std::exception_ptr error) {
  promise.Fail(std::move(error));
  co_return;
}

template <typename T>
void Runtime::CompleteWithError(Thread caller, Promise<T> promise, HRESULT hr, const char* why) {
  // The completion handler receives the HRESULT; .NET's await rethrows it as a COMException.
  std::exception_ptr error = std::make_exception_ptr(
      ComException(hr, promise.future().name() + " completion (" + why + ")"));
  if (!port_.HasMessageQueue(caller)) {
    promise.Fail(std::move(error));
    return;
  }
  Send(caller, "completion", [promise, error] { return DeliverFailure<T>(promise, error); });
}

template <typename A>
A& Runtime::NewEventArgs(CoreWebView2& sender, const char* event, const char* holds_up,
                         const char* rule) {
  A& args = kernel_.Make<A>();
  args.runtime = this;
  args.sender = &sender;
  args.source = &sender;
  args.owner = sender.owner();
  args.type_name = event;
  if (kernel_.traced()) args.name = NextName(event, op_counters_[event]);
  args.holds_up = holds_up;
  args.rule = rule;
  return args;
}

template <typename A>
A& Runtime::NewEnvironmentEventArgs(Environment& source, const char* event) {
  A& args = kernel_.Make<A>();
  args.runtime = this;
  args.source = &source;
  args.owner = source.owner();
  args.type_name = event;
  if (kernel_.traced()) args.name = NextName(event, op_counters_[event]);
  return args;
}

template <typename A>
void Runtime::RaiseEvent(A& args, HandlerList<A>& handlers) {
  Runtime* self = this;
  A* event = &args;
  HandlerList<A>* list = &handlers;
  const Thread target =
      TestOnlyPlantedDefects().handlers_on_raising_thread ? kernel_.Current() : args.owner;
  Send(target,
       kernel_.traced() ? sim::MessageLabel(args.name) : sim::MessageLabel::Static(args.type_name),
       [self, event, list] { return self->DispatchEvent(*event, *list); });
}

template <typename A>
Task<> Runtime::DispatchEvent(A& args, HandlerList<A>& handlers) {
  HandlerFrame& frame = kernel_.Make<HandlerFrame>();
  frame.event = &args;
  frame.frame = co_await internal::CurrentFrame{};
  co_await EnterHandler(frame);
  for (size_t i = 0; i < handlers.size(); ++i) {
    try {
      co_await handlers[i](args);
    } catch (const std::exception& error) {
      CatchAtBoundary(args, error.what());
    }
  }
  ExitHandler(frame);
  NoteReturned(args);
  CheckDroppedDeferral(args);
  FinishIfDone(args);
}

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_RUNTIME_H_
