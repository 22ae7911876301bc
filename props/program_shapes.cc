#include "props/program_shapes.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace wvsim::props {

namespace {

using model::programs::AwaitsScript;
using model::programs::CrashedProcess;
using model::programs::DeferralMode;
using model::programs::Op;
using model::programs::OpKind;
using model::programs::PageEventHandler;
using model::programs::ProgramRuntime;
using model::programs::ScriptWait;
using model::programs::ThreadSpec;
using model::webview2::DeferrableEvent;
using model::webview2::kDeferrableEventCount;

// Threads 0..pumping_workers are the UI thread and the pumping workers; posts may target them.
struct Shape {
  uint32_t pumping_threads = 1;
  bool scripts = true;           // whether routines on the UI thread may call ExecuteScript
  bool android = false;          // Java has no await, modal loop or awaited script
  bool crashes = false;          // WebView2: fire-and-forget work may crash a process (W12)
  bool callbacks = false;        // Android: UI-thread scripts may take a ValueCallback (A11)
  bool framework_waits = false;  // WebView2: invoke and send weighted up, sends favour the UI
  bool clr = false;              // WebView2: the pool as a target, async methods and .Result
  bool in_async_method = false;  // the routine being made is an async method: no await of its own
                                 // outside the ones it is made with, no nested loop (F2)
  bool in_callback = false;  // WebView2: the chain runs in a host method, a WebView2 callback on
                             // the UI thread: no nested loop there (W4's reentrancy)
};

// W4: a nested loop built any of the ways an app builds one: a modal dialog, Application.DoEvents
// (the kernel's PumpUntil), or the kernel's RunMessageLoop.
OpKind PickNestedLoop(ChoiceSource& choices) {
  static constexpr OpKind kLoops[] = {OpKind::kModal, OpKind::kPump, OpKind::kLoop};
  return kLoops[choices.Below(3)];
}

// A script the app awaits only until it gives up: raced against a timer of 1 to 50 ticks, or
// cancelled by the user.
Op PickAbandoningScript(ChoiceSource& choices) {
  if (choices.Coin()) return {.kind = OpKind::kScript, .script = ScriptWait::kCancel};
  return {
      .kind = OpKind::kScript, .delay_ticks = 1 + choices.Below(50), .script = ScriptWait::kRace};
}

uint32_t NewRoutine(Program& program) {
  program.routines.emplace_back();
  return static_cast<uint32_t>(program.routines.size() - 1);
}

uint32_t PickPumpingThread(ChoiceSource& choices, const Shape& shape) {
  return choices.Below(shape.pumping_threads);
}

// A pumping thread, or (one time in three, with the CLR) the thread pool: Task.Run (F3).
uint32_t PickTarget(ChoiceSource& choices, const Shape& shape) {
  if (shape.clr && choices.Below(3) == 0) return model::programs::kPoolThread;
  return PickPumpingThread(choices, shape);
}

void AddOp(Program& program, uint32_t routine, Op op) {
  program.routines[routine].ops.push_back(op);
}

// Fire-and-forget work: it posts more of the same and, on the UI thread, starts scripts whose
// results nobody waits for. It never waits, so it can delay others but never block them.
void GenLeaf(ChoiceSource& choices, Program& program, uint32_t routine, uint32_t thread, int depth,
             const Shape& shape) {
  const int count = static_cast<int>(choices.Below(3));
  for (int i = 0; i < count; ++i) {
    // One op in six crashes a process: often enough to hit every stage of a page's events,
    // rarely enough that most runs still get far.
    if (shape.crashes && choices.Below(6) == 0) {
      AddOp(program, routine,
            {.kind = OpKind::kCrash, .process = static_cast<CrashedProcess>(choices.Below(2))});
      continue;
    }
    if (thread == 0 && shape.scripts && choices.Coin()) {
      Op script{.kind = OpKind::kScript, .script = ScriptWait::kNone};
      if (shape.callbacks && depth > 0 && choices.Coin()) {
        script.script = ScriptWait::kCallback;  // its routine runs on the UI thread (A11)
        // Or setCookie's callback, on this (the UI) thread's looper (A21).
        if (choices.Below(3) == 0) script.kind = OpKind::kCookie;
        script.routine = NewRoutine(program);
        GenLeaf(choices, program, script.routine, 0, depth - 1, shape);
      }
      AddOp(program, routine, script);
      continue;
    }
    if (depth == 0) continue;
    const uint32_t target = PickTarget(choices, shape);
    const uint32_t leaf = NewRoutine(program);
    GenLeaf(choices, program, leaf, target, depth - 1, shape);
    if (choices.Coin() || target == model::programs::kPoolThread) {
      AddOp(program, routine, {.kind = OpKind::kPost, .thread = target, .routine = leaf});
    } else {
      AddOp(program, routine,
            {.kind = OpKind::kPostDelayed,
             .thread = target,
             .routine = leaf,
             .delay_ticks = 1 + choices.Below(4)});
    }
  }
}

void GenChain(ChoiceSource& choices, Program& program, uint32_t routine, uint32_t thread, int depth,
              const Shape& shape);

// An async method run by `result` on `thread` (F2): a first part there, then one or two awaits of
// chains on a pumping thread or the pool, plain or ConfigureAwait(false), each followed by more of
// the chain on the pool thread its continuation runs on (or on the UI thread, which waits in
// .Result: F4's deadlock).
void GenAsyncMethod(ChoiceSource& choices, Program& program, uint32_t routine, uint32_t thread,
                    int depth, const Shape& shape) {
  Shape method = shape;
  method.in_async_method = true;
  GenChain(choices, program, routine, thread, choices.Coin() ? depth - 1 : 0, method);
  const int awaits = 1 + static_cast<int>(choices.Below(2));
  for (int a = 0; a < awaits; ++a) {
    const uint32_t target = PickTarget(choices, shape);
    const uint32_t work = NewRoutine(program);
    GenChain(choices, program, work, target, depth - 1, shape);
    const OpKind kind = choices.Coin() ? OpKind::kAwait : OpKind::kAwaitPool;
    AddOp(program, routine, {.kind = kind, .thread = target, .routine = work});
    GenChain(choices, program, routine, model::programs::kPoolThread, depth - 1, method);
  }
}

// The one chain of posts and waits of a deadlock program. `thread` may be kPoolThread: work on
// a pool worker, which has no queue of its own for the program.
void GenChain(ChoiceSource& choices, Program& program, uint32_t routine, uint32_t thread, int depth,
              const Shape& shape) {
  const bool pumps = thread != model::programs::kPoolThread && program.threads[thread].pump &&
                     !shape.in_async_method;
  Shape inner = shape;  // the routines this one runs are not async methods
  inner.in_async_method = false;
  const int count = static_cast<int>(choices.Below(depth < 0 ? 1 : 4));
  for (int i = 0; i < count; ++i) {
    if (shape.clr && depth > 0 && choices.Below(4) == 0) {
      // F2, F4: an async method's .Result here, or Task.Run(...).Wait() (a CLR wait, F3).
      const uint32_t next = NewRoutine(program);
      if (choices.Coin()) {
        GenAsyncMethod(choices, program, next, thread, depth - 1, inner);
        AddOp(program, routine, {.kind = OpKind::kResult, .routine = next});
      } else {
        GenChain(choices, program, next, model::programs::kPoolThread, depth - 1, inner);
        AddOp(program, routine,
              {.kind = OpKind::kInvoke, .thread = model::programs::kPoolThread, .routine = next});
      }
      continue;
    }
    // WebView2 programs also wait the framework's ways (F4, F5, F7): 5 is `invoke`, 6 `send`
    // (7 and 8 too, when they are weighted up).
    const uint32_t kinds = shape.android ? 5 : shape.framework_waits ? 9 : 7;
    int choice = static_cast<int>(choices.Below(kinds));
    if (choice >= 7) choice -= 2;
    if (choice == 5 && depth > 0) {
      const uint32_t target = PickTarget(choices, shape);
      const uint32_t next = NewRoutine(program);
      GenChain(choices, program, next, target, depth - 1, inner);
      AddOp(program, routine, {.kind = OpKind::kInvoke, .thread = target, .routine = next});
    } else if (choice == 6) {
      // What a thread runs inside its wait is fire-and-forget work: a nested loop there would
      // dispatch the waiting thread's posted messages, which PredictsDeadlock does not follow.
      const uint32_t target =
          shape.framework_waits && choices.Coin() ? 0 : PickPumpingThread(choices, shape);
      const uint32_t leaf = NewRoutine(program);
      GenLeaf(choices, program, leaf, target, 1, inner);
      AddOp(program, routine, {.kind = OpKind::kSend, .thread = target, .routine = leaf});
    } else if (choice == 0 || depth <= 0) {
      const uint32_t target = PickTarget(choices, shape);
      const uint32_t leaf = NewRoutine(program);
      GenLeaf(choices, program, leaf, target, 1, inner);
      AddOp(program, routine, {.kind = OpKind::kPost, .thread = target, .routine = leaf});
    } else if (choice == 1 || choice == 2) {
      const uint32_t target = PickTarget(choices, shape);
      const uint32_t next = NewRoutine(program);
      GenChain(choices, program, next, target, depth - 1, inner);
      const bool blocks = choice == 1 || shape.android || shape.in_async_method;
      AddOp(program, routine,
            {.kind = blocks ? OpKind::kBlock : OpKind::kAwait, .thread = target, .routine = next});
    } else if (choice == 3 && pumps && shape.android) {
      // A21: setCookie, its callback on this thread's looper: ignored, waited for, or running
      // more fire-and-forget work.
      Op cookie{.kind = OpKind::kCookie, .script = static_cast<ScriptWait>(choices.Below(3))};
      if (cookie.script == ScriptWait::kAwait) {
        cookie.script = ScriptWait::kCallback;
        cookie.routine = NewRoutine(program);
        GenLeaf(choices, program, cookie.routine, thread, 1, inner);
      }
      AddOp(program, routine, cookie);
    } else if (choice == 3 && pumps && !shape.android && !(shape.in_callback && thread == 0)) {
      const uint32_t next = NewRoutine(program);
      GenChain(choices, program, next, thread, depth - 1, inner);
      AddOp(program, routine, {.kind = PickNestedLoop(choices), .routine = next});
    } else if (thread == 0 && shape.scripts) {
      Op script{.kind = OpKind::kScript, .script = static_cast<ScriptWait>(choices.Below(3))};
      // Now and then an await that gives up (WebView2 only).
      if (script.script == ScriptWait::kAwait && !shape.android && choices.Below(3) == 0) {
        script = PickAbandoningScript(choices);
      }
      if ((shape.android || shape.in_async_method) && AwaitsScript(script)) {
        // A whole new op: a race's timer would otherwise stay behind in a `script none`, which
        // the text form does not carry (the determinism property's round trip found it).
        script = Op{.kind = OpKind::kScript, .script = ScriptWait::kNone};
      }
      AddOp(program, routine, script);
    }
  }
}

Program UiAndWorkers(ProgramRuntime runtime, uint32_t pumping_workers) {
  Program program;
  program.runtime = runtime;
  const char* ui = runtime == ProgramRuntime::kAndroid ? "main" : "ui";
  program.threads.push_back(ThreadSpec{.name = ui, .pump = true, .main = 0});
  for (uint32_t w = 1; w <= pumping_workers; ++w) {
    program.threads.push_back(ThreadSpec{.name = absl::StrCat("w", w), .pump = true});
  }
  NewRoutine(program);  // r0, the UI thread's Form_Load (WebView2) or onCreate (Android)
  return program;
}

// Every mode, the faulty ones (never, twice) a fifth as often as each correct one.
DeferralMode PickDeferralMode(ChoiceSource& choices) {
  static constexpr DeferralMode kModes[] = {
      DeferralMode::kNow,    DeferralMode::kNow,    DeferralMode::kNow,    DeferralMode::kNow,
      DeferralMode::kNow,    DeferralMode::kScoped, DeferralMode::kScoped, DeferralMode::kScoped,
      DeferralMode::kScoped, DeferralMode::kScoped, DeferralMode::kLater,  DeferralMode::kLater,
      DeferralMode::kLater,  DeferralMode::kLater,  DeferralMode::kLater,  DeferralMode::kOther,
      DeferralMode::kOther,  DeferralMode::kOther,  DeferralMode::kOther,  DeferralMode::kOther,
      DeferralMode::kNever,  DeferralMode::kTwice};
  return kModes[choices.Below(sizeof(kModes) / sizeof(kModes[0]))];
}

// What a callback generated by GenHandler is: a page event's handler, or a host method (W17), which
// has no deferral; one that a synchronous call runs awaits no script to the end (it would wait
// behind that very call, W7).
enum class CallbackKind : uint8_t { kHandler, kAsyncHostMethod, kSyncHostMethod };

// A page event's handler or a host method: maybe a deferral, and work that never blocks.
void GenHandler(ChoiceSource& choices, Program& program, uint32_t routine, const Shape& shape,
                CallbackKind kind = CallbackKind::kHandler) {
  // The deferral, if any, is taken first: a deferral taken after an await would be taken from an
  // event that already finished when the handler left the stack (W8).
  if (kind == CallbackKind::kHandler && choices.Coin()) {
    AddOp(program, routine, {.kind = OpKind::kDefer, .deferral = PickDeferralMode(choices)});
  }
  const int count = static_cast<int>(choices.Below(3));
  for (int i = 0; i < count; ++i) {
    const int choice = static_cast<int>(choices.Below(8));
    const uint32_t target = PickPumpingThread(choices, shape);
    if (choice == 0 && kind != CallbackKind::kSyncHostMethod) {
      AddOp(program, routine, {.kind = OpKind::kScript, .script = ScriptWait::kAwait});
      continue;
    }
    if (choice <= 1) {
      AddOp(program, routine, PickAbandoningScript(choices));
      continue;
    }
    // A modal dialog (7) runs its work on the UI thread itself: W4's reentrancy, so only now
    // and then; otherwise the work is awaited (4..6) or posted (2, 3) to the chosen thread.
    const bool modal = choice == 7;
    const uint32_t on = modal ? 0 : target;
    const uint32_t work = NewRoutine(program);
    GenLeaf(choices, program, work, on, 1, shape);
    OpKind kind = choice >= 4 ? OpKind::kAwait : OpKind::kPost;
    if (modal) kind = PickNestedLoop(choices);  // W4: every kind of nested loop
    AddOp(program, routine, {.kind = kind, .thread = on, .routine = work});
  }
}

ProgramRuntime PickRuntime(ChoiceSource& choices) {
  return choices.Coin() ? ProgramRuntime::kAndroid : ProgramRuntime::kWebView2;
}

Program DeadlockProgram(ChoiceSource& choices) {
  const ProgramRuntime runtime = PickRuntime(choices);
  const uint32_t workers = choices.Below(3);
  Program program = UiAndWorkers(runtime, workers);
  Shape shape{.pumping_threads = workers + 1,
              .scripts = true,
              .android = runtime == ProgramRuntime::kAndroid};
  if (choices.Coin()) {
    GenChain(choices, program, 0, 0, 3, shape);
    return program;
  }
  // The chain starts on a plain thread (Future.get from a background thread) while the UI
  // thread is still creating its WebView: no scripts then, the WebView may not exist yet.
  shape.scripts = false;
  const uint32_t root = NewRoutine(program);
  program.threads.push_back(ThreadSpec{.name = "bg", .pump = false, .main = root});
  GenChain(choices, program, root, static_cast<uint32_t>(program.threads.size() - 1), 3, shape);
  GenLeaf(choices, program, 0, 0, 1, shape);
  return program;
}

// The UI thread's Form_Load drives a chain rich in the framework's waits.
Program FrameworkWaitProgram(ChoiceSource& choices) {
  const uint32_t workers = 1 + choices.Below(2);
  Program program = UiAndWorkers(ProgramRuntime::kWebView2, workers);
  const Shape shape{.pumping_threads = workers + 1, .scripts = true, .framework_waits = true};
  GenChain(choices, program, 0, 0, 3, shape);
  return program;
}

// The CLR's threading and the user (F2..F4, F10): Task.Run, async methods read with .Result,
// awaits that resume on the captured context or (ConfigureAwait(false)) the pool. The chain runs
// in Form_Load, or in a button's click handler (one click, at a point the scheduler chooses) while
// Form_Load only starts fire-and-forget work; other buttons' handlers are fire-and-forget too.
Program FrameworkAsyncProgram(ChoiceSource& choices) {
  const uint32_t workers = choices.Below(3);
  Program program = UiAndWorkers(ProgramRuntime::kWebView2, workers);
  const Shape shape{.pumping_threads = workers + 1, .scripts = true, .clr = true};
  uint32_t chain = 0;
  if (choices.Coin()) {
    chain = NewRoutine(program);
    program.clicks.push_back({.routine = chain, .count = 1});
    GenLeaf(choices, program, 0, 0, 1, shape);
  }
  GenChain(choices, program, chain, 0, 3, shape);
  const uint32_t buttons = choices.Below(3);
  for (uint32_t b = 0; b < buttons; ++b) {
    const uint32_t leaf = NewRoutine(program);
    GenLeaf(choices, program, leaf, 0, 1, shape);
    program.clicks.push_back({.routine = leaf, .count = 1 + choices.Below(2)});
  }
  return program;
}

// Host methods as WebView2 callbacks (W4, W17): Form_Load navigates; the page's load script calls
// one to three host methods, synchronously or not, each made like a handler (awaits, posts,
// scripts, now and then a nested loop) without a deferral.
Program PageCallbackProgram(ChoiceSource& choices) {
  using model::programs::PageScript;
  using model::programs::PageStep;
  const uint32_t workers = choices.Below(2);
  Program program = UiAndWorkers(ProgramRuntime::kWebView2, workers);
  const Shape shape{.pumping_threads = workers + 1, .scripts = true};
  GenLeaf(choices, program, 0, 0, 1, shape);
  AddOp(program, 0, {.kind = OpKind::kNavigate});
  PageScript script{.when = choices.Coin() ? PageScript::When::kLoad
                                           : PageScript::When::kDOMContentLoaded};
  const int methods = 1 + static_cast<int>(choices.Below(3));
  for (int m = 0; m < methods; ++m) {
    if (choices.Coin()) script.steps.push_back({.kind = PageStep::Kind::kPost});
    const bool sync = choices.Coin();
    const uint32_t method = NewRoutine(program);
    GenHandler(choices, program, method, shape,
               sync ? CallbackKind::kSyncHostMethod : CallbackKind::kAsyncHostMethod);
    script.steps.push_back(
        {.kind = sync ? PageStep::Kind::kHostSync : PageStep::Kind::kHostAsync, .routine = method});
  }
  program.page_scripts.push_back(std::move(script));
  // The seed's example (W2, W4): WebMessageReceived handles what the page posts.
  if (choices.Coin()) {
    program.message_handler = NewRoutine(program);
    GenHandler(choices, program, *program.message_handler, shape, CallbackKind::kAsyncHostMethod);
  }
  return program;
}

Program HandlerProgram(ChoiceSource& choices, bool crashes) {
  const uint32_t workers = choices.Below(2);
  Program program = UiAndWorkers(ProgramRuntime::kWebView2, workers);  // page events: WebView2
  const Shape shape{.pumping_threads = workers + 1, .scripts = true, .crashes = crashes};
  GenLeaf(choices, program, 0, 0, 1, shape);
  AddOp(program, 0, {.kind = OpKind::kNavigate});
  const int handlers = 1 + static_cast<int>(choices.Below(3));
  bool used[kDeferrableEventCount] = {};
  for (int h = 0; h < handlers; ++h) {
    const int event = static_cast<int>(choices.Below(kDeferrableEventCount));
    if (used[event]) continue;
    used[event] = true;
    const uint32_t routine = NewRoutine(program);
    program.handlers.push_back(
        PageEventHandler{.event = static_cast<DeferrableEvent>(event), .routine = routine});
    GenHandler(choices, program, routine, shape);
  }
  return program;
}

// Android's callbacks: the main thread's onCreate and the work it posts run scripts whose
// ValueCallbacks run more of the same, nested up to three deep, on the UI thread; workers post
// back. Nothing blocks or calls from the wrong thread, so every run is `clean`.
Program ValueCallbackProgram(ChoiceSource& choices) {
  const uint32_t workers = choices.Below(2);
  Program program = UiAndWorkers(ProgramRuntime::kAndroid, workers);
  const Shape shape{
      .pumping_threads = workers + 1, .scripts = true, .android = true, .callbacks = true};
  // Always one callback to begin with, so that every program has a callback to check.
  const uint32_t first = NewRoutine(program);
  GenLeaf(choices, program, first, 0, 2, shape);
  AddOp(program, 0, {.kind = OpKind::kScript, .routine = first, .script = ScriptWait::kCallback});
  GenLeaf(choices, program, 0, 0, 3, shape);
  return program;
}

Program AffinityProgram(ChoiceSource& choices) {
  const ProgramRuntime runtime = PickRuntime(choices);
  const bool android = runtime == ProgramRuntime::kAndroid;
  Program program = UiAndWorkers(runtime, 1);
  if (choices.Coin()) program.routines[0].ops.push_back({.kind = OpKind::kNavigate});
  const int calls = 1 + static_cast<int>(choices.Below(2));
  for (int i = 0; i < calls; ++i) {
    Op call{.kind = OpKind::kCall};
    if (choices.Coin()) {
      call = {.kind = OpKind::kScript, .script = static_cast<ScriptWait>(choices.Below(3))};
    }
    // From the worker (wrong thread), or marshalled back to the UI thread (right thread, where
    // reading .Result would be W5's deadlock instead). Java has no await.
    const uint32_t target = choices.Below(2);
    if (target == 0 && call.script == ScriptWait::kBlock) call.script = ScriptWait::kAwait;
    if (android && call.script == ScriptWait::kAwait) call.script = ScriptWait::kNone;
    const uint32_t routine = NewRoutine(program);
    AddOp(program, routine, call);
    AddOp(program, 0, {.kind = OpKind::kPost, .thread = target, .routine = routine});
  }
  return program;
}

// Calls the app gives up on (docs/design.md, abandoned calls). Form_Load navigates, then runs
// scripts it races against a timer, lets the user cancel, or does not await (fire-and-forget
// work), while work posted to the UI thread or a worker may crash the renderer (W12): a script
// pending there then fails or never completes (W15), and nothing waits for it any longer.
Program AbandoningProgram(ChoiceSource& choices) {
  const uint32_t workers = choices.Below(2);
  Program program = UiAndWorkers(ProgramRuntime::kWebView2, workers);
  const Shape shape{.pumping_threads = workers + 1, .scripts = true};
  AddOp(program, 0, {.kind = OpKind::kNavigate});
  const int count = 1 + static_cast<int>(choices.Below(4));
  for (int i = 0; i < count; ++i) {
    const uint32_t choice = choices.Below(4);
    if (choice == 0) {
      const uint32_t crash = NewRoutine(program);
      AddOp(program, crash, {.kind = OpKind::kCrash, .process = CrashedProcess::kRenderer});
      AddOp(program, 0,
            {.kind = OpKind::kPost, .thread = PickPumpingThread(choices, shape), .routine = crash});
    } else if (choice == 3) {
      GenLeaf(choices, program, 0, 0, 1, shape);
    } else {
      AddOp(program, 0, PickAbandoningScript(choices));
    }
  }
  return program;
}

// Whether `routine`, or a routine it runs, awaits a script to the end.
bool AwaitsAScript(const Program& program, uint32_t routine) {
  for (const Op& op : program.routines[routine].ops) {
    if (op.kind == OpKind::kScript && op.script == ScriptWait::kAwait) return true;
    if (model::programs::RunsRoutine(op) && AwaitsAScript(program, op.routine)) return true;
  }
  return false;
}

// A handler for an event that holds the page's JavaScript thread until it finished (the alert's
// ScriptDialogOpening, W9.3; window.open's NewWindowRequested, W9.1), as a new routine: its
// deferral taken and completed at once, by RAII, after awaiting posted work, or (`may_stall`)
// after awaiting a script, which waits behind the held page script for the deferral: a stall
// (W7); or no deferral at all.
uint32_t GenHoldingEventHandler(ChoiceSource& choices, Program& program, bool may_stall) {
  const uint32_t routine = NewRoutine(program);
  static constexpr DeferralMode kModes[] = {DeferralMode::kNow, DeferralMode::kScoped,
                                            DeferralMode::kLater, DeferralMode::kAfterScript};
  uint32_t mode = choices.Below(5);
  if (mode == 3 && !may_stall) mode = 0;
  if (mode < 4) AddOp(program, routine, {.kind = OpKind::kDefer, .deferral = kModes[mode]});
  return routine;
}

Program PageWaitProgram(ChoiceSource& choices) {
  using model::programs::PageScript;
  using model::programs::PageStep;
  const uint32_t workers = choices.Below(2);
  Program program = UiAndWorkers(ProgramRuntime::kWebView2, workers);
  const Shape shape{.pumping_threads = workers + 1, .scripts = true, .in_callback = true};
  AddOp(program, 0, {.kind = OpKind::kNavigate});
  // The user's click posts a web message to the page (F10): before the page loaded it is dropped
  // (W2: it goes to the document current at the call), after it the page's message script runs.
  const bool messages = choices.Coin();
  if (messages) {
    const uint32_t send = NewRoutine(program);
    AddOp(program, send, {.kind = OpKind::kMessage});
    program.clicks.push_back({.routine = send, .count = 1 + choices.Below(2)});
  }
  if (const uint32_t wait = choices.Below(4); wait > 0) {
    AddOp(program, 0, {.kind = OpKind::kScript, .script = static_cast<ScriptWait>(wait - 1)});
  }
  // The first script runs first on the JavaScript thread (DOMContentLoaded before load): its
  // first step calls the host method that drives the chain, so that the chain always runs.
  PageScript first{.when = choices.Coin() ? PageScript::When::kLoad
                                          : PageScript::When::kDOMContentLoaded};
  const uint32_t chain = NewRoutine(program);
  GenChain(choices, program, chain, 0, 2, shape);
  first.steps.push_back(
      {.kind = choices.Coin() ? PageStep::Kind::kHostSync : PageStep::Kind::kHostAsync,
       .routine = chain});
  program.page_scripts.push_back(first);
  bool alert = false;
  bool open = false;
  const int scripts = 1 + static_cast<int>(choices.Below(2));
  for (int s = 0; s < scripts; ++s) {
    // A second script at load (after the first), on the app's message, or on a timer: the latter
    // two run at a time the page's load does not fix, so they only post and call fire-and-forget
    // methods.
    if (s > 0) {
      PageScript::When when = PageScript::When::kLoad;
      if (messages && choices.Coin()) {
        when = PageScript::When::kWebMessage;
      } else if (choices.Below(3) == 0) {
        when = PageScript::When::kTimer;
      }
      program.page_scripts.push_back({.when = when});
    }
    PageScript& script = program.page_scripts.back();
    const bool unfixed_time =
        script.when == PageScript::When::kWebMessage || script.when == PageScript::When::kTimer;
    const int steps = static_cast<int>(choices.Below(3));
    for (int i = 0; i < steps; ++i) {
      // Each wait for an app's event (alert, window.open) at most once, and only at load.
      const uint32_t kind = choices.Below(unfixed_time ? 3 : 5);
      if (kind == 0 || (kind == 3 && alert) || (kind == 4 && open)) {
        script.steps.push_back({.kind = PageStep::Kind::kPost});
      } else if (kind == 3) {
        script.steps.push_back({.kind = PageStep::Kind::kAlert});
        alert = true;
      } else if (kind == 4) {
        script.steps.push_back({.kind = PageStep::Kind::kOpenWindow});
        open = true;
      } else {
        const uint32_t method = NewRoutine(program);
        GenLeaf(choices, program, method, 0, 1, shape);
        const bool sync = kind == 1 && !unfixed_time;
        script.steps.push_back(
            {.kind = sync ? PageStep::Kind::kHostSync : PageStep::Kind::kHostAsync,
             .routine = method});
      }
    }
  }
  // The chain must not await a script behind an alert or window.open that never returns: whether
  // its script slipped in before the wait is the scheduler's, and so would be what the chain does
  // next.
  const bool may_stall = !AwaitsAScript(program, chain);
  if (alert) {
    const uint32_t routine = GenHoldingEventHandler(choices, program, may_stall);
    program.handlers.push_back(
        PageEventHandler{.event = DeferrableEvent::kScriptDialogOpening, .routine = routine});
  }
  // Without a NewWindowRequested handler window.open returns at once (W9.1).
  if (open && choices.Below(6) > 0) {
    program.new_window_handler = GenHoldingEventHandler(choices, program, may_stall);
  }
  // The page may navigate away at the very end of its last load script: nothing of the home
  // page's is left to run then (message and timer scripts aside, which only post or call
  // fire-and-forget, and a timer's not even that once the page is gone).
  PageScript& last = program.page_scripts.back();
  const bool at_load =
      last.when == PageScript::When::kLoad || last.when == PageScript::When::kDOMContentLoaded;
  if (at_load && choices.Below(4) == 0) {
    last.steps.push_back({.kind = PageStep::Kind::kNavigate});
  }
  return program;
}

}  // namespace

Program MakeProgram(ProgramProfile profile, ChoiceSource& choices) {
  switch (profile) {
    case ProgramProfile::kDeadlock:
      return DeadlockProgram(choices);
    case ProgramProfile::kFrameworkWaits:
      return FrameworkWaitProgram(choices);
    case ProgramProfile::kFrameworkAsync:
      return FrameworkAsyncProgram(choices);
    case ProgramProfile::kHandler:
      return HandlerProgram(choices, /*crashes=*/false);
    case ProgramProfile::kCrashingHandler:
      return HandlerProgram(choices, /*crashes=*/true);
    case ProgramProfile::kValueCallback:
      return ValueCallbackProgram(choices);
    case ProgramProfile::kAffinity:
      return AffinityProgram(choices);
    case ProgramProfile::kAbandoning:
      return AbandoningProgram(choices);
    case ProgramProfile::kPageWaits:
      return PageWaitProgram(choices);
    case ProgramProfile::kPageCallbacks:
      return PageCallbackProgram(choices);
  }
  return DeadlockProgram(choices);
}

}  // namespace wvsim::props
