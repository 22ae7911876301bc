#include "props/reference.h"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "model/framework/thread_pool.h"
#include "model/verdicts.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::props {

namespace {

using model::programs::DeferralMode;
using model::programs::kPoolThread;
using model::programs::Op;
using model::programs::OpKind;
using model::programs::ScriptWait;
using sim::Verdict;

constexpr uint32_t kUiThread = 0;

enum class Outcome { kCompletes, kNeverCompletes, kDeadlock };

// How a thread sits in a wait that waits, directly or not, for the routine being followed: a wait
// that runs nothing (block: WaitForSingleObject), a CLR or SendMessage wait that runs messages sent
// to it (invoke, send, result: F4, F7), or a pool worker held by a kernel await (F3: it keeps its
// worker until its work item ends).
enum class Wait : uint8_t { kRunsNothing, kRunsSent, kHoldsWorker };
using Blocked = std::map<uint32_t, Wait>;

// Pool workers get ids of their own, one per work item followed, above every program thread.
constexpr uint32_t kFirstPoolWorker = 1u << 20;

bool IsPoolWorker(uint32_t thread) { return thread >= kFirstPoolWorker; }

// Follows a program's routines; one per prediction (it numbers the pool's work items).
class Follower {
 public:
  // `js_held`: the routines followed run inside a host method that a page script called
  // synchronously, which holds the page's JavaScript thread until it returns (W17).
  explicit Follower(const Program& program, bool js_held = false)
      : program_(program), js_held_(js_held) {}

  // Follows routine `routine` running on `thread` while the threads in `blocked` wait for it.
  Outcome Follow(uint32_t routine, uint32_t thread, const Blocked& blocked) {
    for (const Op& op : program_.routines[routine].ops) {
      const Outcome outcome = FollowOp(op, thread, blocked);
      if (outcome != Outcome::kCompletes) return outcome;
    }
    return Outcome::kCompletes;
  }

 private:
  // A pool worker for new work, or none when every worker of the bound (F3) is held by a wait in
  // the chain: the work then waits in the pool's queue for good.
  std::optional<uint32_t> PoolWorker(const Blocked& blocked) {
    int64_t held = 0;
    for (const auto& [thread, wait] : blocked) held += IsPoolWorker(thread) ? 1 : 0;
    if (held >= model::framework::kPoolWorkersDefault) return std::nullopt;
    return next_pool_worker_++;
  }

  // Posted work (or a Task.Run) that a thread in a blocking wait needs: whether it completes.
  Outcome WaitedWork(uint32_t target, uint32_t routine, uint32_t thread, const Blocked& blocked) {
    if (target == kPoolThread) {
      const std::optional<uint32_t> worker = PoolWorker(blocked);
      if (!worker.has_value()) return Outcome::kDeadlock;
      return Follow(routine, *worker, blocked) == Outcome::kCompletes ? Outcome::kCompletes
                                                                      : Outcome::kDeadlock;
    }
    // The target thread must pump to run it; this thread no longer can, and a CLR wait runs only
    // sent messages, never posted ones.
    if (target == thread || blocked.count(target) > 0) return Outcome::kDeadlock;
    return Follow(routine, target, blocked) == Outcome::kCompletes ? Outcome::kCompletes
                                                                   : Outcome::kDeadlock;
  }

  // `result rN` on `thread`: the async method runs here up to its first await (F2), then the
  // thread waits in .Result (F4) while the awaited work and the rest of the method go on.
  Outcome AsyncMethod(uint32_t routine, uint32_t thread, const Blocked& blocked) {
    const std::vector<Op>& ops = program_.routines[routine].ops;
    for (size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].kind == OpKind::kAwait || ops[i].kind == OpKind::kAwaitPool) {
        Blocked waiting = blocked;
        waiting[thread] = Wait::kRunsSent;
        return AwaitAndRest(routine, i, thread, waiting);
      }
      const Outcome outcome = FollowOp(ops[i], thread, blocked);
      if (outcome != Outcome::kCompletes) return outcome;
    }
    return Outcome::kCompletes;  // no await: the task completed before .Result read it
  }

  // The await at op `at` of an async method, run on `thread`, and the rest of the method, while
  // the threads in `blocked` (its .Result reader among them) wait: anything that does not
  // complete leaves that reader blocked for good.
  Outcome AwaitAndRest(uint32_t routine, size_t at, uint32_t thread, const Blocked& blocked) {
    const std::vector<Op>& ops = program_.routines[routine].ops;
    const Op& await = ops[at];
    if (WaitedWork(await.thread, await.routine, thread, blocked) != Outcome::kCompletes) {
      return Outcome::kDeadlock;
    }
    // F2: a plain await on the UI thread resumes through its context, whose thread is the one
    // waiting in .Result; elsewhere (no context) and with ConfigureAwait(false), on the pool.
    if (await.kind == OpKind::kAwait && thread == kUiThread) return Outcome::kDeadlock;
    const std::optional<uint32_t> worker = PoolWorker(blocked);
    if (!worker.has_value()) return Outcome::kDeadlock;
    for (size_t i = at + 1; i < ops.size(); ++i) {
      if (ops[i].kind == OpKind::kAwait || ops[i].kind == OpKind::kAwaitPool) {
        return AwaitAndRest(routine, i, *worker, blocked);
      }
      if (FollowOp(ops[i], *worker, blocked) != Outcome::kCompletes) return Outcome::kDeadlock;
    }
    return Outcome::kCompletes;
  }

  Outcome FollowOp(const Op& op, uint32_t thread, const Blocked& blocked) {
    switch (op.kind) {
      case OpKind::kBlock:
      case OpKind::kInvoke: {
        Blocked now_blocked = blocked;
        now_blocked[thread] = op.kind == OpKind::kInvoke ? Wait::kRunsSent : Wait::kRunsNothing;
        return WaitedWork(op.thread, op.routine, thread, now_blocked);
      }
      case OpKind::kSend: {
        // SendMessage: to this thread itself a direct call; to a thread that pumps, or that waits
        // in a wait that runs sent messages, it runs there; a thread in `block` never runs it.
        if (op.thread == thread) return Follow(op.routine, thread, blocked);
        const auto target = blocked.find(op.thread);
        if (target != blocked.end() && target->second == Wait::kRunsNothing) {
          return Outcome::kDeadlock;
        }
        Blocked now_blocked = blocked;
        now_blocked[thread] = Wait::kRunsSent;
        return Follow(op.routine, op.thread, now_blocked) == Outcome::kCompletes
                   ? Outcome::kCompletes
                   : Outcome::kDeadlock;
      }
      case OpKind::kAwait: {
        // An await leaves this thread's pump running; the work still needs its own thread's (or
        // a pool worker). A pool worker that awaits keeps its worker (F3).
        Blocked now_blocked = blocked;
        if (IsPoolWorker(thread)) now_blocked[thread] = Wait::kHoldsWorker;
        if (op.thread == kPoolThread) {
          const std::optional<uint32_t> worker = PoolWorker(now_blocked);
          if (!worker.has_value()) return Outcome::kNeverCompletes;
          return Follow(op.routine, *worker, now_blocked);
        }
        if (blocked.count(op.thread) > 0) return Outcome::kNeverCompletes;
        return Follow(op.routine, op.thread, now_blocked);
      }
      case OpKind::kResult:
        return AsyncMethod(op.routine, thread, blocked);
      case OpKind::kModal:
      case OpKind::kPump:
      case OpKind::kLoop:
        return Follow(op.routine, thread, blocked);
      case OpKind::kCookie:
        // A21: the callback comes on this thread's own looper, which the latch's wait blocks.
        return op.script == ScriptWait::kBlock ? Outcome::kDeadlock : Outcome::kCompletes;
      case OpKind::kScript:
        // The completion is a message to the UI thread (W2): .Result there never sees it (W5).
        // An await, even one that gives up (a race's timer, a Cancel click), resumes through the
        // UI thread's pump too.
        if (op.script == ScriptWait::kBlock) return Outcome::kDeadlock;
        if (model::programs::AwaitsScript(op) && blocked.count(kUiThread) > 0) {
          return Outcome::kNeverCompletes;
        }
        // W7, W17: the script waits behind the synchronous host call that is waiting for this
        // very method; an await that gives up (race, cancel) moves on.
        if (op.script == ScriptWait::kAwait && js_held_) return Outcome::kNeverCompletes;
        return Outcome::kCompletes;
      default:
        return Outcome::kCompletes;  // posts (Task.Run included): fire and forget
    }
  }

  const Program& program_;
  const bool js_held_;
  uint32_t next_pool_worker_ = kFirstPoolWorker;
};

// Whether the page loads at all: some routine navigates to the home page, whose scripts call the
// host methods.
bool Navigates(const Program& program) {
  for (const model::programs::Routine& routine : program.routines) {
    for (const Op& op : routine.ops) {
      if (op.kind == OpKind::kNavigate) return true;
    }
  }
  return false;
}

// Whether handler `routine` completes its deferral only after awaiting a script (`defer script`).
bool CompletesAfterAScript(const Program& program, uint32_t routine) {
  for (const Op& op : program.routines[routine].ops) {
    if (op.kind == OpKind::kDefer && op.deferral == DeferralMode::kAfterScript) return true;
  }
  return false;
}

// The outcome of host method `routine`, run on the UI thread (W17), on its own.
Outcome FollowHostMethod(const Program& program, uint32_t routine) {
  Follower follower(program, model::programs::IsSyncHostMethod(program, routine));
  return follower.Follow(routine, kUiThread, {});
}

// Whether a routine run on `thread` makes a WebView call there, or posts work that does one on a
// thread other than the UI thread.
bool CallsOffUiThread(const Program& program, uint32_t routine, uint32_t thread) {
  for (const Op& op : program.routines[routine].ops) {
    const bool webview_call = op.kind == OpKind::kScript || op.kind == OpKind::kCall ||
                              op.kind == OpKind::kNavigate || op.kind == OpKind::kMessage;
    if (webview_call && thread != kUiThread) return true;
    const bool runs_elsewhere = op.kind == OpKind::kPost || op.kind == OpKind::kPostDelayed ||
                                op.kind == OpKind::kBlock || op.kind == OpKind::kAwait ||
                                op.kind == OpKind::kInvoke || op.kind == OpKind::kSend ||
                                op.kind == OpKind::kAwaitPool;
    if (runs_elsewhere && CallsOffUiThread(program, op.routine, op.thread)) return true;
    // An async method's first part runs here (what follows its awaits, AffinityPrograms have not).
    const bool here = model::programs::OpensNestedLoop(op) || op.kind == OpKind::kResult;
    if (here && CallsOffUiThread(program, op.routine, thread)) return true;
    const bool callback = op.kind == OpKind::kScript && op.script == ScriptWait::kCallback;
    if (callback && CallsOffUiThread(program, op.routine, kUiThread)) return true;  // A11
    const bool cookie = op.kind == OpKind::kCookie && op.script == ScriptWait::kCallback;
    if (cookie && CallsOffUiThread(program, op.routine, thread)) return true;  // A21
  }
  return false;
}

}  // namespace

bool PredictsDeadlock(const Program& program) {
  Follower follower(program);
  for (uint32_t t = 0; t < program.threads.size(); ++t) {
    const std::optional<uint32_t> main = program.threads[t].main;
    if (main.has_value() && follower.Follow(*main, t, {}) == Outcome::kDeadlock) return true;
  }
  // F10: every click comes, as a message on the UI thread.
  for (const model::programs::UserClicks& click : program.clicks) {
    if (follower.Follow(click.routine, kUiThread, {}) == Outcome::kDeadlock) return true;
  }
  // W17: each host method runs on the UI thread, as a message, once the page calls it.
  if (!Navigates(program)) return false;
  for (uint32_t r = 0; r < program.routines.size(); ++r) {
    if (model::programs::IsHostMethod(program, r) &&
        FollowHostMethod(program, r) == Outcome::kDeadlock) {
      return true;
    }
  }
  return false;
}

bool PredictsPageStall(const Program& program) {
  if (PredictsDeadlock(program) || !Navigates(program)) return false;
  for (uint32_t r = 0; r < program.routines.size(); ++r) {
    // W17: a synchronous call's method that awaits a script waits for itself.
    if (model::programs::IsSyncHostMethod(program, r) &&
        FollowHostMethod(program, r) == Outcome::kNeverCompletes) {
      return true;
    }
  }
  // W9.3: the alert's handler completes its deferral after a script that waits behind the alert.
  if (model::programs::PageOpensAlerts(program)) {
    for (const model::programs::PageEventHandler& handler : program.handlers) {
      if (handler.event == model::webview2::DeferrableEvent::kScriptDialogOpening &&
          CompletesAfterAScript(program, handler.routine)) {
        return true;
      }
    }
  }
  // W9.1: so does the NewWindowRequested handler that window.open waits for.
  return model::programs::PageHasStep(program, model::programs::PageStep::Kind::kOpenWindow) &&
         program.new_window_handler.has_value() &&
         CompletesAfterAScript(program, *program.new_window_handler);
}

namespace {

// Whether some page script posts a message (W2): the WebMessageReceived handler then runs.
bool PagePosts(const Program& program) {
  for (const model::programs::PageScript& script : program.page_scripts) {
    for (const model::programs::PageStep& step : script.steps) {
      if (step.kind == model::programs::PageStep::Kind::kPost) return true;
    }
  }
  return false;
}

// W2, W4, W17: a host method and the WebMessageReceived handler are WebView2 callbacks: a nested
// loop before the first await is reentrancy. Each one runs once the page loaded and its script
// called it (or posted).
bool HostMethodReenters(const Program& program) {
  if (!Navigates(program)) return false;
  for (uint32_t r = 0; r < program.routines.size(); ++r) {
    const bool runs = model::programs::IsHostMethod(program, r) ||
                      (program.message_handler == r && PagePosts(program));
    if (!runs) continue;
    for (const Op& op : program.routines[r].ops) {
      if (model::programs::OpensNestedLoop(op)) return true;
      if (op.kind == OpKind::kAwait || model::programs::AwaitsScript(op)) break;
    }
  }
  return false;
}

}  // namespace

Verdict PredictHandlerVerdict(const Program& program) {
  if (HostMethodReenters(program)) return WebViewVerdict::kReentrancy;
  for (const model::programs::PageEventHandler& handler : program.handlers) {
    bool left_stack = false;  // after an await the rest is a continuation, not the callback
    bool dropped = false;
    for (const Op& op : program.routines[handler.routine].ops) {
      // W4: any nested loop, a modal dialog's or one the app builds with the kernel.
      if (model::programs::OpensNestedLoop(op) && !left_stack) return WebViewVerdict::kReentrancy;
      // An await leaves the stack, one that gives up on its script too.
      if (op.kind == OpKind::kAwait || model::programs::AwaitsScript(op)) left_stack = true;
      if (op.kind != OpKind::kDefer) continue;
      if (op.deferral == DeferralMode::kTwice) return WebViewVerdict::kDeferralDoubleComplete;
      if (op.deferral == DeferralMode::kNever) dropped = true;
      if (op.deferral == DeferralMode::kLater) left_stack = true;  // it awaits before Complete
    }
    // A dropped deferral keeps the event open: the page's next event never comes.
    if (dropped) return WebViewVerdict::kDeferralLeak;
    // W9.9: a certificate error the app does not allow cancels the navigation (the default
    // action), so the page goes no further and raises no later event.
    if (handler.event == model::webview2::DeferrableEvent::kServerCertificateErrorDetected) break;
  }
  return Verdict::kClean;
}

bool CrashMayEndWith(const Program& program, Verdict verdict) {
  if (verdict == Verdict::kClean || verdict == Verdict::kException || verdict == Verdict::kStall) {
    return true;
  }
  // Each handler alone, cut after each of its ops: what it could still cause when the crash
  // stopped the page before the other handlers, or ended this one there.
  for (const model::programs::PageEventHandler& handler : program.handlers) {
    Program alone = program;
    alone.handlers = {handler};
    std::vector<Op>& ops = alone.routines[handler.routine].ops;
    const std::vector<Op> all = ops;
    for (size_t kept = 0; kept <= all.size(); ++kept) {
      ops.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(kept));
      if (PredictHandlerVerdict(alone) == verdict) return true;
    }
  }
  return false;
}

Verdict PredictAffinityVerdict(const Program& program) {
  const std::optional<uint32_t> main = program.threads[kUiThread].main;
  if (main.has_value() && CallsOffUiThread(program, *main, kUiThread))
    return WebViewVerdict::kWrongThread;
  return Verdict::kClean;
}

}  // namespace wvsim::props
