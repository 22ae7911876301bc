// Generated app programs: a small vocabulary of UI-thread app behaviour that the property suites
// (props/) and the program fuzzer (fuzz/) generate, that the interpreter (interpreter.h) runs
// against the WebView2 model, and that a `.schedule` file carries as `program:` lines so that
// `wvsim replay` reproduces a failure of a generated program (docs/design.md, Schedule files).
//
// A program has threads, routines (lists of ops) and page events with handlers:
//
//   thread ui pump main=r0          <- thread 0 is the UI thread: an STA with a message loop that
//   thread w1 pump                     owns the WebView; r0 is its Form_Load, run as a message
//   thread w2 nopump main=r3        <- a plain thread: runs its main routine, then ends
//   routine r0: block w1 r1; navigate
//   routine r1: post ui r2
//   routine r2: script await
//   routine r3: call
//   handler ScriptDialogOpening r4  <- the page raises this event after navigate; r4 handles it
//   routine r4: defer later
//
// Ops, run in order by a routine on the thread it runs on:
//   post T rN        post rN to thread T's queue (fire and forget)
//   post_delayed T rN D   the same, D virtual ticks later
//   block T rN       post rN to T, then block until it has run (WaitForSingleObject: a wait
//                    that runs nothing meanwhile, not even messages sent to this thread)
//   invoke T rN      post rN to T, then wait until it has run in a CLR wait, which runs the
//                    messages other threads send to this thread meanwhile (Control.Invoke,
//                    Task.Wait on an STA: docs/framework-rules.md F4, F5)
//   send T rN        SendMessage rN to T: T runs it when it retrieves messages or while it waits
//                    in `invoke` or `send`, never while it is in `block`; to this thread itself
//                    it runs at once; the sender waits as `invoke` does (F7)
//   await T rN       post rN to T, then await it (C# await: a handler leaves the stack and the pump
//                    goes on; a thread's main routine just waits)
//   modal rN         a modal dialog: a nested message loop that runs rN (posted to this thread)
//                    and ends when it returns
//   pump rN          Application.DoEvents until rN has run: rN is posted to this thread and the
//                    thread pumps with the kernel's PumpUntil, a nested loop the app builds
//                    itself (W4 counts it as a modal dialog)
//   loop rN          a nested message loop built with the kernel's RunMessageLoop: rN is posted
//                    to this thread, then a quit once rN has run ends the loop (W4 counts it too)
//   script none|await|block   ExecuteScriptAsync, its result ignored, awaited or read with .Result
//   script race D    WebView2: await Task.WhenAny(script, Task.Delay(D)): the app moves on when
//                    either completes; a script that loses the race is abandoned (docs/design.md)
//   script cancel    WebView2: await the script with a CancellationToken that the user's Cancel
//                    click (a message posted to the UI thread at the call) cancels: the app stops
//                    waiting at whichever comes first, and a script it stopped waiting for is
//                    abandoned, whatever becomes of it (it still completes, fails or never does)
//   script callback rN   Android: evaluateJavascript whose ValueCallback runs rN (A11: on the UI
//                    thread, later, as a message)
//   call             a synchronous WebView call (Navigate to a second page), thread-checked (W3)
//   navigate         Navigate to the home page, whose load raises the program's page events
//   defer now|scoped|later|other|never|twice   in a handler: take the event's deferral and
//                    complete it before returning, by RAII, after awaiting a routine posted to the
//                    UI thread, from another (posted) handler, never, or twice
//   cookie none|block|callback rN   Android: CookieManager.setCookie without a callback, with one
//                    that a CountDownLatch.await here waits for, or with one that runs rN; the
//                    callback comes on this thread's looper (A21), so `block` waits for its own
//                    looper: a deadlock on every thread that has one
//   crash browser|renderer   WebView2: the WebView's browser process, or the renderer of its
//                    document, crashes at this point (W12; pending calls fail or never complete,
//                    W15); nothing happens when that process is already gone
//   result rN        WebView2: call rN as a C# async method on this thread (it runs here up to its
//                    first await), then read its task's .Result: a CLR wait that runs sent
//                    messages, not posted ones (F4)
//   await_pool T rN  inside an async method (a routine run by `result`): `await` with
//                    ConfigureAwait(false): the rest of the method runs on a thread-pool thread;
//                    a plain `await T rN` there resumes through the context it captured (the UI
//                    thread's WindowsFormsSynchronizationContext; the pool on other threads, F2)
//
// The target thread `pool` (WebView2) is the CLR thread pool: `post pool rN` is Task.Run(rN),
// `block pool rN` Task.Run(rN) waited for without pumping, `invoke pool rN` Task.Run(rN).Wait() (a
// CLR wait), `await pool rN` and `await_pool pool rN` await Task.Run(rN) (F3). No thread may be
// named `pool`, and nothing is sent to it.
//
// A WebView2 program may also declare its user (F10): `click rN C` is C clicks on a button whose
// handler runs rN on the UI thread; each arrives on the UI thread's queue at a point the scheduler
// chooses, once Form1_Load created the WebView (the form is shown).
//
// A WebView2 program may also declare its home page's scripts (docs/webview2-rules.md W2, W7,
// W9.1, W9.3, W17): each runs on the renderer's single JavaScript thread, in order with the
// app's ExecuteScript calls, when the page loaded (`load`), when its document was parsed (`dom`),
// when a web message from the app (`message`, the op) reaches it (`message`), or on a timer its
// load event started, which fires at a time the scheduler chooses (`timer`):
//
//   page load: post; host sync r5; alert; open; navigate
//   page message: host async r6
//
// Steps: `post` window.chrome.webview.postMessage (WebMessageReceived, which the program does not
// handle); `host sync rN` a synchronous host-object call (chrome.webview.hostObjects.sync): the
// page's JavaScript waits until the app's method, routine rN run on the UI thread as a WebView2
// callback, returned (W17); `host async rN` the asynchronous proxy: the script goes on; `alert`
// alert(): the page's JavaScript waits until ScriptDialogOpening finished, deferral included
// (W9.3; the program's ScriptDialogOpening handler, if any, handles it); `open` window.open():
// the page's JavaScript waits until NewWindowRequested finished, deferral included (W9.1; the
// program's `handler NewWindowRequested rN` handles it, sets no NewWindow, so window.open returns
// null; with no such handler it returns at once); `navigate` location = another page, which has
// no scripts. A routine a `host` step names is a host method: Form1_Load
// adds it to the script (AddHostObjectToScript) before its main routine runs, and only the page
// runs it. `onmessage rN` makes routine rN the WebView's WebMessageReceived handler (W2), which the
// page's `post` steps raise; like a host method it is a WebView2 callback that only the page runs.
// A program whose page scripts open alerts raises ScriptDialogOpening only from them (not
// after load with its other page events). More ops for such programs:
//   message          WebView2: PostWebMessageAsString to the page: runs its `page message` scripts
//                    (in the document current at the call: one posted before the page loaded is
//                    dropped, W2)
//   defer script     in a handler: take the deferral, await an ExecuteScript, then complete it
//
// A first line `runtime android` runs it on the Android model instead (interpreter.h says how
// each op maps); Android programs use no await, modal, pump, loop, defer, `script await`, `script
// race`, `script cancel`, crash or
// handler (the Android model has no process crashes), and only they use `script callback` (a
// WebView2 program awaits the script instead) and `cookie` (never `cookie await`).
//
// A program is well formed (ValidateProgram) when: thread 0 pumps; posts, blocks and awaits
// target threads that pump; routine ids exist; no routine reaches itself through ops (programs
// are finite); `defer` appears only in handler routines; a handler's routine runs only as that
// handler, and each event (NewWindowRequested too) has at most one; an async method (a routine
// `result` runs) runs only that way and awaits no script, and only it has `await_pool`; a click's
// routine runs only as the click; a host method (and the message handler) runs only as one, is no
// handler or click, takes no deferral and never reloads or messages the page; only a WebView2
// program has page scripts, `onmessage`, `message` and a NewWindowRequested handler. Plain data;
// copy freely.
#ifndef WVSIM_MODEL_PROGRAMS_PROGRAM_H_
#define WVSIM_MODEL_PROGRAMS_PROGRAM_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::programs {

// Which model runs the program: WebView2 (the default), or Android WebView, where the UI thread
// is the main looper and Java has no await, modal loop, deferral or page event handler.
enum class ProgramRuntime : uint8_t { kWebView2, kAndroid };

enum class OpKind : uint8_t {
  kPost,
  kPostDelayed,
  kBlock,
  kAwait,
  kModal,
  kPump,
  kScript,
  kCall,
  kNavigate,
  kDefer,
  kCrash,
  kCookie,  // Android: CookieManager.setCookie with a callback on this thread's looper (A21)
  kInvoke,
  kSend,
  kResult,     // WebView2: an async method's .Result (F2, F4)
  kAwaitPool,  // WebView2, in an async method: await ... ConfigureAwait(false) (F2)
  kLoop,       // WebView2: a nested RunMessageLoop the app builds (W4)
  kMessage,    // WebView2: PostWebMessageAsString to the page (W2)
};

// Op::thread of an op whose target is the CLR thread pool (Task.Run, F3); its text name.
inline constexpr uint32_t kPoolThread = 0xFFFFu;
inline constexpr char kPoolThreadName[] = "pool";

// kCallback: Android's ValueCallback, which runs Op::routine. kRace: Task.WhenAny against
// Task.Delay(Op::delay_ticks); kCancel: a wait the user's Cancel click cancels (WebView2).
enum class ScriptWait : uint8_t { kNone, kAwait, kBlock, kCallback, kRace, kCancel };

enum class CrashedProcess : uint8_t { kBrowser, kRenderer };

// kAfterScript: taken, then completed after awaiting an ExecuteScript (text form `script`).
enum class DeferralMode : uint8_t { kNow, kScoped, kLater, kOther, kNever, kTwice, kAfterScript };

struct Op {
  OpKind kind = OpKind::kPost;
  uint32_t thread = 0;       // target thread (post, post_delayed, block, await, invoke, send)
  uint32_t routine = 0;      // routine run (the same, modal, pump, script callback)
  uint32_t delay_ticks = 0;  // post_delayed; script race: the timer
  ScriptWait script = ScriptWait::kNone;              // script, cookie
  DeferralMode deferral = DeferralMode::kNow;         // defer
  CrashedProcess process = CrashedProcess::kBrowser;  // crash

  bool operator==(const Op&) const = default;
};

struct Routine {
  std::vector<Op> ops = {};
  bool operator==(const Routine&) const = default;
};

struct ThreadSpec {
  std::string name;
  bool pump = true;
  std::optional<uint32_t> main = std::nullopt;  // routine run first (for thread 0: as a message)
  bool operator==(const ThreadSpec&) const = default;
};

struct PageEventHandler {
  webview2::DeferrableEvent event = webview2::DeferrableEvent::kScriptDialogOpening;
  uint32_t routine = 0;
  bool operator==(const PageEventHandler&) const = default;
};

// The user's clicks on one button (F10): `count` of them, each running `routine` on the UI thread.
struct UserClicks {
  uint32_t routine = 0;
  uint32_t count = 1;
  bool operator==(const UserClicks&) const = default;
};
inline constexpr uint32_t kClicksMax = 8;  // per button

// A step of a page script: what the page's JavaScript does (see above).
struct PageStep {
  enum class Kind : uint8_t { kPost, kHostSync, kHostAsync, kAlert, kNavigate, kOpenWindow };
  Kind kind = Kind::kPost;
  uint32_t routine = 0;  // kHostSync, kHostAsync: the host method
  bool operator==(const PageStep&) const = default;
};

struct PageScript {
  // kTimer: setTimeout from the load event; it runs once, after the load, at a time the
  // scheduler chooses among the app's work, if the document is still the page's then.
  enum class When : uint8_t { kLoad, kDOMContentLoaded, kWebMessage, kTimer };
  When when = When::kLoad;
  std::vector<PageStep> steps = {};
  bool operator==(const PageScript&) const = default;
};

struct Program {
  ProgramRuntime runtime = ProgramRuntime::kWebView2;
  std::vector<ThreadSpec> threads;  // threads[0] is the UI thread
  std::vector<Routine> routines;
  std::vector<PageEventHandler> handlers;  // raised in this order after `navigate`
  std::vector<UserClicks> clicks;          // WebView2: button i is "button<i+1>"
  std::vector<PageScript> page_scripts;    // WebView2: the home page's, in declaration order
  std::optional<uint32_t> message_handler = std::nullopt;  // WebView2: `onmessage rN`
  // WebView2: `handler NewWindowRequested rN`, raised by the page's `open` steps (W9.1).
  std::optional<uint32_t> new_window_handler = std::nullopt;

  bool operator==(const Program&) const = default;
};

// OK when `program` is well formed (see above); InvalidArgument naming the first problem.
absl::Status ValidateProgram(const Program& program);

// Whether routine `routine` is a page event's handler (NewWindowRequested's included).
bool IsHandler(const Program& program, uint32_t routine);
// The index a program's NewWindowRequested handler has among its handlers (Observation::handler):
// after those of `handlers`.
inline uint32_t NewWindowHandlerIndex(const Program& program) {
  return static_cast<uint32_t>(program.handlers.size());
}
// Whether routine `routine` is an async method: some `result` op runs it.
bool IsAsyncMethod(const Program& program, uint32_t routine);
// Whether routine `routine` is a click's handler.
bool IsClickHandler(const Program& program, uint32_t routine);
// Whether routine `routine` is a host method: some page script's `host` step runs it.
bool IsHostMethod(const Program& program, uint32_t routine);
// Whether it is a callback that only the page runs: a host method or the WebMessageReceived
// handler.
bool IsPageCallback(const Program& program, uint32_t routine);
// Whether it is one that a synchronous call (`host sync`) runs: the page's JavaScript waits.
bool IsSyncHostMethod(const Program& program, uint32_t routine);
// Whether some page script has a step of `kind`: opens an alert, calls window.open, ...
bool PageHasStep(const Program& program, PageStep::Kind kind);
inline bool PageOpensAlerts(const Program& program) {
  return PageHasStep(program, PageStep::Kind::kAlert);
}
// Whether the program uses the CLR (the pool, async methods), so that its run installs one.
bool UsesClr(const Program& program);

const char* OpKindName(OpKind kind);          // "post", "block", ...
const char* ScriptWaitName(ScriptWait wait);  // "none", "await", "block"
const char* DeferralModeName(DeferralMode mode);
const char* CrashedProcessName(CrashedProcess process);  // "browser", "renderer"
const char* PageStepName(PageStep::Kind kind);           // "post", "host sync", ...
const char* PageScriptWhenName(PageScript::When when);   // "load", "dom", "message", "timer"

// Whether `op` runs a routine (Op::routine) of its own: posts, waits, modal dialogs, callbacks.
bool RunsRoutine(const Op& op);
// Whether `op` is a script whose result the app awaits, and how long: to the end (`script await`)
// or until it gives up (`script race`, `script cancel`). Each takes a handler off the stack.
bool AwaitsScript(const Op& op);
// Whether `op` opens a nested message loop on its thread: modal, pump, loop (W4).
bool OpensNestedLoop(const Op& op);

}  // namespace wvsim::model::programs

#endif  // WVSIM_MODEL_PROGRAMS_PROGRAM_H_
