#include "props/reference.h"

#include <cstddef>
#include <map>
#include <set>
#include <vector>

#include "model/verdicts.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::props {

namespace {

using model::programs::DeferralMode;
using model::programs::Op;
using model::programs::OpKind;
using model::programs::ScriptWait;
using sim::Verdict;

constexpr uint32_t kUiThread = 0;

enum class Outcome { kCompletes, kNeverCompletes, kDeadlock };

// The threads sitting in waits that wait, directly or not, for the routine being followed, each
// with whether its wait runs messages sent to it (invoke, send: F4, F7) or nothing (block).
using Blocked = std::map<uint32_t, bool>;

// Follows routine `routine` running on `thread` while the threads in `blocked` wait for it.
Outcome Follow(const Program& program, uint32_t routine, uint32_t thread, const Blocked& blocked) {
  for (const Op& op : program.routines[routine].ops) {
    switch (op.kind) {
      case OpKind::kBlock:
      case OpKind::kInvoke: {
        // Posted work: the target thread must pump to run it; this thread no longer can, and a
        // CLR wait runs only sent messages, never posted ones.
        if (op.thread == thread || blocked.count(op.thread) > 0) return Outcome::kDeadlock;
        Blocked now_blocked = blocked;
        now_blocked[thread] = op.kind == OpKind::kInvoke;
        if (Follow(program, op.routine, op.thread, now_blocked) != Outcome::kCompletes) {
          return Outcome::kDeadlock;  // a blocking wait that never returns
        }
        break;
      }
      case OpKind::kSend: {
        // SendMessage: to this thread itself a direct call; to a thread that pumps, or that waits
        // in a wait that runs sent messages, it runs there; a thread in `block` never runs it.
        if (op.thread == thread) {
          const Outcome called = Follow(program, op.routine, thread, blocked);
          if (called != Outcome::kCompletes) return called;
          break;
        }
        const auto target = blocked.find(op.thread);
        if (target != blocked.end() && !target->second) return Outcome::kDeadlock;
        Blocked now_blocked = blocked;
        now_blocked[thread] = true;
        if (Follow(program, op.routine, op.thread, now_blocked) != Outcome::kCompletes) {
          return Outcome::kDeadlock;
        }
        break;
      }
      case OpKind::kAwait: {
        // An await leaves this thread's pump running; the work still needs its own thread's.
        if (blocked.count(op.thread) > 0) return Outcome::kNeverCompletes;
        const Outcome awaited = Follow(program, op.routine, op.thread, blocked);
        if (awaited != Outcome::kCompletes) return awaited;
        break;
      }
      case OpKind::kModal:
      case OpKind::kPump: {
        const Outcome shown = Follow(program, op.routine, thread, blocked);
        if (shown != Outcome::kCompletes) return shown;
        break;
      }
      case OpKind::kCookie:
        // A21: the callback comes on this thread's own looper, which the latch's wait blocks.
        if (op.script == ScriptWait::kBlock) return Outcome::kDeadlock;
        break;
      case OpKind::kScript:
        // The completion is a message to the UI thread (W2): .Result there never sees it (W5).
        if (op.script == ScriptWait::kBlock) return Outcome::kDeadlock;
        if (op.script == ScriptWait::kAwait && blocked.count(kUiThread) > 0) {
          return Outcome::kNeverCompletes;
        }
        break;
      default:
        break;  // posts: fire and forget
    }
  }
  return Outcome::kCompletes;
}

// Whether a routine run on `thread` makes a WebView call there, or posts work that does one on a
// thread other than the UI thread.
bool CallsOffUiThread(const Program& program, uint32_t routine, uint32_t thread) {
  for (const Op& op : program.routines[routine].ops) {
    const bool webview_call =
        op.kind == OpKind::kScript || op.kind == OpKind::kCall || op.kind == OpKind::kNavigate;
    if (webview_call && thread != kUiThread) return true;
    const bool runs_elsewhere = op.kind == OpKind::kPost || op.kind == OpKind::kPostDelayed ||
                                op.kind == OpKind::kBlock || op.kind == OpKind::kAwait ||
                                op.kind == OpKind::kInvoke || op.kind == OpKind::kSend;
    if (runs_elsewhere && CallsOffUiThread(program, op.routine, op.thread)) return true;
    const bool nested_loop = op.kind == OpKind::kModal || op.kind == OpKind::kPump;
    if (nested_loop && CallsOffUiThread(program, op.routine, thread)) return true;
    const bool callback = op.kind == OpKind::kScript && op.script == ScriptWait::kCallback;
    if (callback && CallsOffUiThread(program, op.routine, kUiThread)) return true;  // A11
    const bool cookie = op.kind == OpKind::kCookie && op.script == ScriptWait::kCallback;
    if (cookie && CallsOffUiThread(program, op.routine, thread)) return true;  // A21
  }
  return false;
}

}  // namespace

bool PredictsDeadlock(const Program& program) {
  for (uint32_t t = 0; t < program.threads.size(); ++t) {
    const std::optional<uint32_t> main = program.threads[t].main;
    if (main.has_value() && Follow(program, *main, t, {}) == Outcome::kDeadlock) return true;
  }
  return false;
}

Verdict PredictHandlerVerdict(const Program& program) {
  for (const model::programs::PageEventHandler& handler : program.handlers) {
    bool left_stack = false;  // after an await the rest is a continuation, not the callback
    bool dropped = false;
    for (const Op& op : program.routines[handler.routine].ops) {
      // W4: any nested loop, a modal dialog's or one the app pumps itself.
      const bool nested_loop = op.kind == OpKind::kModal || op.kind == OpKind::kPump;
      if (nested_loop && !left_stack) return WebViewVerdict::kReentrancy;
      if (op.kind == OpKind::kAwait ||
          (op.kind == OpKind::kScript && op.script == ScriptWait::kAwait)) {
        left_stack = true;
      }
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
