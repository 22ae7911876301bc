#include "model/programs/program.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wvsim::model::programs {

namespace {

bool NeedsTargetThread(OpKind kind) {
  return kind == OpKind::kPost || kind == OpKind::kPostDelayed || kind == OpKind::kBlock ||
         kind == OpKind::kAwait || kind == OpKind::kInvoke || kind == OpKind::kSend ||
         kind == OpKind::kAwaitPool;
}

// Ops that may target the CLR thread pool instead of a program thread (F3).
bool MayTargetPool(OpKind kind) {
  return kind == OpKind::kPost || kind == OpKind::kBlock || kind == OpKind::kInvoke ||
         kind == OpKind::kAwait || kind == OpKind::kAwaitPool;
}

// The checks of the CLR's ops (F2..F4): what runs async methods, what only they do.
absl::Status ValidateClrOp(const Program& program, uint32_t routine, const Op& op,
                           const std::string& where) {
  const bool clr_op = op.kind == OpKind::kResult || op.kind == OpKind::kAwaitPool ||
                      (NeedsTargetThread(op.kind) && op.thread == kPoolThread);
  if (clr_op && program.runtime == ProgramRuntime::kAndroid) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": an Android program has no CLR"));
  }
  if (RunsRoutine(op) && op.kind != OpKind::kResult && IsAsyncMethod(program, op.routine)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: r%u is an async method, which only `result` runs", where, op.routine));
  }
  if (RunsRoutine(op) && IsClickHandler(program, op.routine)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: r%u is a click's handler, which only the user runs", where, op.routine));
  }
  const bool async = IsAsyncMethod(program, routine);
  if (op.kind == OpKind::kAwaitPool && !async) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": only an async method (run by `result`) has ConfigureAwait(false)"));
  }
  if (async && AwaitsScript(op)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": an async method awaits posted work, not a script"));
  }
  return absl::OkStatus();
}

absl::Status ValidateOp(const Program& program, uint32_t routine, const Op& op) {
  const std::string where = absl::StrFormat("routine r%u: %s", routine, OpKindName(op.kind));
  if (RunsRoutine(op) && op.routine >= program.routines.size()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: no routine r%u", where, op.routine));
  }
  if (NeedsTargetThread(op.kind) && op.thread == kPoolThread) {
    if (!MayTargetPool(op.kind)) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": the thread pool takes no such op"));
    }
  } else if (NeedsTargetThread(op.kind)) {
    if (op.thread >= program.threads.size()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: no thread #%u", where, op.thread));
    }
    if (!program.threads[op.thread].pump) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": thread ", program.threads[op.thread].name, " has no message queue"));
    }
  }
  if (RunsRoutine(op) && IsPageCallback(program, op.routine)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: r%u is a host method or message handler, which only the page runs",
                        where, op.routine));
  }
  if (RunsRoutine(op) && IsHandler(program, op.routine)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: r%u is a page event's handler, which only the page runs", where, op.routine));
  }
  const bool java_has_none = op.kind == OpKind::kAwait || OpensNestedLoop(op) ||
                             op.kind == OpKind::kDefer || op.kind == OpKind::kCrash ||
                             op.kind == OpKind::kInvoke || op.kind == OpKind::kSend ||
                             op.kind == OpKind::kMessage || AwaitsScript(op) ||
                             (op.kind == OpKind::kCookie && op.script != ScriptWait::kNone &&
                              op.script != ScriptWait::kBlock &&
                              op.script != ScriptWait::kCallback);  // await, race, cancel
  if (program.runtime == ProgramRuntime::kAndroid && java_has_none) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": an Android program has no such op"));
  }
  if (program.runtime == ProgramRuntime::kWebView2 && op.kind == OpKind::kScript &&
      op.script == ScriptWait::kCallback) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": a WebView2 program awaits its script instead"));
  }
  if (program.runtime == ProgramRuntime::kWebView2 && op.kind == OpKind::kCookie) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": only an Android program has CookieManager callbacks"));
  }
  if (op.kind == OpKind::kDefer && !IsHandler(program, routine)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": only a page event's handler has a deferral to take"));
  }
  return ValidateClrOp(program, routine, op, where);
}

// A click's routine exists and is nothing else; WebView2 only (F10).
absl::Status ValidateClicks(const Program& program) {
  if (program.runtime == ProgramRuntime::kAndroid && !program.clicks.empty()) {
    return absl::InvalidArgumentError("an Android program has no user clicks");
  }
  for (size_t i = 0; i < program.clicks.size(); ++i) {
    const UserClicks& click = program.clicks[i];
    if (click.routine >= program.routines.size()) {
      return absl::InvalidArgumentError(absl::StrFormat("click: no routine r%u", click.routine));
    }
    if (click.count == 0 || click.count > kClicksMax) {
      return absl::InvalidArgumentError(
          absl::StrFormat("click r%u: 1 to %u clicks", click.routine, kClicksMax));
    }
    if (IsHandler(program, click.routine) || IsAsyncMethod(program, click.routine)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("click r%u: the routine is a handler or an async method", click.routine));
    }
    for (size_t j = 0; j < i; ++j) {
      if (program.clicks[j].routine == click.routine) {
        return absl::InvalidArgumentError(
            absl::StrFormat("click r%u: two buttons run one routine", click.routine));
      }
    }
  }
  return absl::OkStatus();
}

// Whether `routine`, or a routine it runs, reloads the page or messages it: from a host method
// that would run the page's scripts, and so the method, again without end.
bool ReachesPage(const Program& program, uint32_t routine, std::vector<bool>& seen) {
  if (seen[routine]) return false;
  seen[routine] = true;
  for (const Op& op : program.routines[routine].ops) {
    if (op.kind == OpKind::kMessage || op.kind == OpKind::kNavigate) return true;
    if (RunsRoutine(op) && ReachesPage(program, op.routine, seen)) return true;
  }
  return false;
}

// A callback only the page runs (a host method, the message handler) exists, is nothing else, and
// never runs the page's scripts again.
absl::Status ValidatePageCallback(const Program& program, uint32_t r) {
  if (r >= program.routines.size()) {
    return absl::InvalidArgumentError(absl::StrFormat("page: no routine r%u", r));
  }
  if (IsHandler(program, r) || IsAsyncMethod(program, r) || IsClickHandler(program, r)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "page: host method or message handler r%u is also a handler, an async method or a "
        "click's",
        r));
  }
  std::vector<bool> seen(program.routines.size(), false);
  if (ReachesPage(program, r, seen)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "page: host method or message handler r%u navigates or messages the page, which runs it "
        "again",
        r));
  }
  return absl::OkStatus();
}

// The page's scripts and the message handler: WebView2 only; ValidatePageCallback for each
// callback they run.
absl::Status ValidatePageScripts(const Program& program) {
  const bool page = !program.page_scripts.empty() || program.message_handler.has_value();
  if (program.runtime == ProgramRuntime::kAndroid && page) {
    return absl::InvalidArgumentError("an Android program has no page scripts");
  }
  if (program.message_handler.has_value()) {
    if (absl::Status status = ValidatePageCallback(program, *program.message_handler);
        !status.ok()) {
      return status;
    }
  }
  for (const PageScript& script : program.page_scripts) {
    for (const PageStep& step : script.steps) {
      if (step.kind != PageStep::Kind::kHostSync && step.kind != PageStep::Kind::kHostAsync) {
        continue;
      }
      if (program.message_handler == step.routine) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "page: r%u is both a host method and the message handler", step.routine));
      }
      if (absl::Status status = ValidatePageCallback(program, step.routine); !status.ok()) {
        return status;
      }
    }
  }
  return absl::OkStatus();
}

// Depth-first search for a routine that reaches itself: such a program would never end.
absl::Status CheckAcyclic(const Program& program) {
  enum class Mark : uint8_t { kNew, kOnPath, kDone };
  std::vector<Mark> marks(program.routines.size(), Mark::kNew);
  struct Frame {
    uint32_t routine;
    size_t next_op;
  };
  for (uint32_t start = 0; start < program.routines.size(); ++start) {
    if (marks[start] != Mark::kNew) continue;
    std::vector<Frame> path = {{start, 0}};
    marks[start] = Mark::kOnPath;
    while (!path.empty()) {
      Frame& frame = path.back();
      const std::vector<Op>& ops = program.routines[frame.routine].ops;
      if (frame.next_op == ops.size()) {
        marks[frame.routine] = Mark::kDone;
        path.pop_back();
        continue;
      }
      const Op& op = ops[frame.next_op++];
      if (!RunsRoutine(op)) continue;
      if (marks[op.routine] == Mark::kOnPath) {
        return absl::InvalidArgumentError(
            absl::StrFormat("routine r%u reaches itself through its ops", op.routine));
      }
      if (marks[op.routine] == Mark::kNew) {
        marks[op.routine] = Mark::kOnPath;
        path.push_back({op.routine, 0});
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool RunsRoutine(const Op& op) {
  return NeedsTargetThread(op.kind) || OpensNestedLoop(op) || op.kind == OpKind::kResult ||
         ((op.kind == OpKind::kScript || op.kind == OpKind::kCookie) &&
          op.script == ScriptWait::kCallback);
}

bool AwaitsScript(const Op& op) {
  return op.kind == OpKind::kScript &&
         (op.script == ScriptWait::kAwait || op.script == ScriptWait::kRace ||
          op.script == ScriptWait::kCancel);
}

bool OpensNestedLoop(const Op& op) {
  return op.kind == OpKind::kModal || op.kind == OpKind::kPump || op.kind == OpKind::kLoop;
}

bool IsHandler(const Program& program, uint32_t routine) {
  for (const PageEventHandler& handler : program.handlers) {
    if (handler.routine == routine) return true;
  }
  return program.new_window_handler == routine;
}

bool IsAsyncMethod(const Program& program, uint32_t routine) {
  for (const Routine& r : program.routines) {
    for (const Op& op : r.ops) {
      if (op.kind == OpKind::kResult && op.routine == routine) return true;
    }
  }
  return false;
}

bool IsClickHandler(const Program& program, uint32_t routine) {
  for (const UserClicks& click : program.clicks) {
    if (click.routine == routine) return true;
  }
  return false;
}

namespace {

bool HostStepRuns(const Program& program, uint32_t routine, bool sync_only) {
  for (const PageScript& script : program.page_scripts) {
    for (const PageStep& step : script.steps) {
      const bool host = step.kind == PageStep::Kind::kHostSync ||
                        (!sync_only && step.kind == PageStep::Kind::kHostAsync);
      if (host && step.routine == routine) return true;
    }
  }
  return false;
}

}  // namespace

bool IsHostMethod(const Program& program, uint32_t routine) {
  return HostStepRuns(program, routine, /*sync_only=*/false);
}

bool IsPageCallback(const Program& program, uint32_t routine) {
  return IsHostMethod(program, routine) || program.message_handler == routine;
}

bool IsSyncHostMethod(const Program& program, uint32_t routine) {
  return HostStepRuns(program, routine, /*sync_only=*/true);
}

bool PageHasStep(const Program& program, PageStep::Kind kind) {
  for (const PageScript& script : program.page_scripts) {
    for (const PageStep& step : script.steps) {
      if (step.kind == kind) return true;
    }
  }
  return false;
}

bool UsesClr(const Program& program) {
  for (const Routine& r : program.routines) {
    for (const Op& op : r.ops) {
      if (op.kind == OpKind::kResult || (NeedsTargetThread(op.kind) && op.thread == kPoolThread)) {
        return true;
      }
    }
  }
  return false;
}

absl::Status ValidateProgram(const Program& program) {
  if (program.threads.empty() || !program.threads[0].pump) {
    return absl::InvalidArgumentError("thread 0 (the UI thread) must exist and pump");
  }
  for (const ThreadSpec& thread : program.threads) {
    if (thread.main.has_value() && *thread.main >= program.routines.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("thread %s: no routine r%u", thread.name, *thread.main));
    }
    if (thread.main.has_value() && IsPageCallback(program, *thread.main)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("thread %s: r%u is a host method or message handler, which only the page "
                          "runs",
                          thread.name, *thread.main));
    }
    if (thread.main.has_value() && IsHandler(program, *thread.main)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("thread %s: r%u is a page event's handler, which only the page runs",
                          thread.name, *thread.main));
    }
    if (thread.main.has_value() &&
        (IsAsyncMethod(program, *thread.main) || IsClickHandler(program, *thread.main))) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "thread %s: r%u is an async method or a click's handler", thread.name, *thread.main));
    }
    if (thread.name == kPoolThreadName) {
      return absl::InvalidArgumentError("the name 'pool' is the CLR thread pool's");
    }
  }
  const bool handlers = !program.handlers.empty() || program.new_window_handler.has_value();
  if (program.runtime == ProgramRuntime::kAndroid && handlers) {
    return absl::InvalidArgumentError("an Android program has no page event handlers");
  }
  if (program.new_window_handler.has_value()) {
    const uint32_t routine = *program.new_window_handler;
    if (routine >= program.routines.size()) {
      return absl::InvalidArgumentError(absl::StrFormat("handler: no routine r%u", routine));
    }
    for (const PageEventHandler& handler : program.handlers) {
      if (handler.routine == routine) {
        return absl::InvalidArgumentError(
            absl::StrFormat("handler: routine r%u handles two events", routine));
      }
    }
  }
  for (size_t i = 0; i < program.handlers.size(); ++i) {
    const PageEventHandler& handler = program.handlers[i];
    if (handler.routine >= program.routines.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("handler: no routine r%u", handler.routine));
    }
    for (size_t j = 0; j < i; ++j) {
      if (program.handlers[j].event == handler.event) {
        return absl::InvalidArgumentError(
            absl::StrCat("handler: a second handler for ", webview2::InfoOf(handler.event).name));
      }
      if (program.handlers[j].routine == handler.routine) {
        return absl::InvalidArgumentError(
            absl::StrFormat("handler: routine r%u handles two events", handler.routine));
      }
    }
  }
  if (absl::Status status = ValidateClicks(program); !status.ok()) return status;
  if (absl::Status status = ValidatePageScripts(program); !status.ok()) return status;
  for (uint32_t r = 0; r < program.routines.size(); ++r) {
    for (const Op& op : program.routines[r].ops) {
      if (absl::Status status = ValidateOp(program, r, op); !status.ok()) return status;
    }
  }
  return CheckAcyclic(program);
}

const char* OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kPost:
      return "post";
    case OpKind::kPostDelayed:
      return "post_delayed";
    case OpKind::kBlock:
      return "block";
    case OpKind::kAwait:
      return "await";
    case OpKind::kModal:
      return "modal";
    case OpKind::kPump:
      return "pump";
    case OpKind::kScript:
      return "script";
    case OpKind::kCall:
      return "call";
    case OpKind::kNavigate:
      return "navigate";
    case OpKind::kDefer:
      return "defer";
    case OpKind::kCrash:
      return "crash";
    case OpKind::kCookie:
      return "cookie";
    case OpKind::kInvoke:
      return "invoke";
    case OpKind::kSend:
      return "send";
    case OpKind::kResult:
      return "result";
    case OpKind::kAwaitPool:
      return "await_pool";
    case OpKind::kLoop:
      return "loop";
    case OpKind::kMessage:
      return "message";
  }
  return "?";
}

const char* ScriptWaitName(ScriptWait wait) {
  switch (wait) {
    case ScriptWait::kNone:
      return "none";
    case ScriptWait::kAwait:
      return "await";
    case ScriptWait::kBlock:
      return "block";
    case ScriptWait::kCallback:
      return "callback";
    case ScriptWait::kRace:
      return "race";
    case ScriptWait::kCancel:
      return "cancel";
  }
  return "?";
}

const char* DeferralModeName(DeferralMode mode) {
  switch (mode) {
    case DeferralMode::kNow:
      return "now";
    case DeferralMode::kScoped:
      return "scoped";
    case DeferralMode::kLater:
      return "later";
    case DeferralMode::kOther:
      return "other";
    case DeferralMode::kNever:
      return "never";
    case DeferralMode::kTwice:
      return "twice";
    case DeferralMode::kAfterScript:
      return "script";
  }
  return "?";
}

const char* PageStepName(PageStep::Kind kind) {
  switch (kind) {
    case PageStep::Kind::kPost:
      return "post";
    case PageStep::Kind::kHostSync:
      return "host sync";
    case PageStep::Kind::kHostAsync:
      return "host async";
    case PageStep::Kind::kAlert:
      return "alert";
    case PageStep::Kind::kNavigate:
      return "navigate";
    case PageStep::Kind::kOpenWindow:
      return "open";
  }
  return "?";
}

const char* PageScriptWhenName(PageScript::When when) {
  switch (when) {
    case PageScript::When::kLoad:
      return "load";
    case PageScript::When::kDOMContentLoaded:
      return "dom";
    case PageScript::When::kWebMessage:
      return "message";
    case PageScript::When::kTimer:
      return "timer";
  }
  return "?";
}

const char* CrashedProcessName(CrashedProcess process) {
  return process == CrashedProcess::kBrowser ? "browser" : "renderer";
}

}  // namespace wvsim::model::programs
