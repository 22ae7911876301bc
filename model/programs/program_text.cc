#include "model/programs/program_text.h"

#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace wvsim::model::programs {

namespace {

using webview2::DeferrableEvent;
using webview2::kDeferrableEventCount;

// The event of `handler NewWindowRequested rN` (W9.1), which is not a DeferrableEvent: its args
// are its own.
constexpr char kNewWindowRequested[] = "NewWindowRequested";

std::string FormatOp(const Program& program, const Op& op) {
  const std::string target = op.thread == kPoolThread             ? kPoolThreadName
                             : op.thread < program.threads.size() ? program.threads[op.thread].name
                                                                  : "?";
  switch (op.kind) {
    case OpKind::kPost:
    case OpKind::kBlock:
    case OpKind::kAwait:
    case OpKind::kInvoke:
    case OpKind::kSend:
    case OpKind::kAwaitPool:
      return absl::StrFormat("%s %s r%u", OpKindName(op.kind), target, op.routine);
    case OpKind::kPostDelayed:
      return absl::StrFormat("post_delayed %s r%u %u", target, op.routine, op.delay_ticks);
    case OpKind::kModal:
    case OpKind::kPump:
    case OpKind::kLoop:
    case OpKind::kResult:
      return absl::StrFormat("%s r%u", OpKindName(op.kind), op.routine);
    case OpKind::kScript:
    case OpKind::kCookie:
      if (op.script == ScriptWait::kCallback) {
        return absl::StrFormat("%s callback r%u", OpKindName(op.kind), op.routine);
      }
      if (op.script == ScriptWait::kRace) {
        return absl::StrFormat("%s race %u", OpKindName(op.kind), op.delay_ticks);
      }
      return absl::StrCat(OpKindName(op.kind), " ", ScriptWaitName(op.script));
    case OpKind::kCrash:
      return absl::StrCat("crash ", CrashedProcessName(op.process));
    case OpKind::kDefer:
      return absl::StrCat("defer ", DeferralModeName(op.deferral));
    case OpKind::kCall:
    case OpKind::kNavigate:
    case OpKind::kMessage:
      return OpKindName(op.kind);
  }
  return "?";
}

std::string FormatPageStep(const PageStep& step) {
  if (step.kind == PageStep::Kind::kHostSync || step.kind == PageStep::Kind::kHostAsync) {
    return absl::StrFormat("%s r%u", PageStepName(step.kind), step.routine);
  }
  return PageStepName(step.kind);
}

// Parses one program; `line` is the 1-based number of the line being read, for errors.
class Parser {
 public:
  absl::StatusOr<Program> Parse(const std::vector<std::string>& lines) {
    // Thread names are declared before routines use them, whatever the line order: two passes.
    for (line_ = 1; line_ <= lines.size(); ++line_) {
      absl::string_view text = lines[line_ - 1];
      if (absl::ConsumePrefix(&text, "thread ")) {
        if (absl::Status s = ParseThread(text); !s.ok()) return s;
      }
    }
    for (line_ = 1; line_ <= lines.size(); ++line_) {
      absl::string_view text = lines[line_ - 1];
      absl::Status status;
      if (absl::ConsumePrefix(&text, "thread ")) continue;
      if (text == "runtime android" || text == "runtime wv2") {
        if (line_ != 1) return Error("'runtime' must be the first line");
        program_.runtime =
            text == "runtime android" ? ProgramRuntime::kAndroid : ProgramRuntime::kWebView2;
        continue;
      }
      if (absl::ConsumePrefix(&text, "routine ")) {
        status = ParseRoutine(text);
      } else if (absl::ConsumePrefix(&text, "handler ")) {
        status = ParseHandler(text);
      } else if (absl::ConsumePrefix(&text, "click ")) {
        status = ParseClick(text);
      } else if (absl::ConsumePrefix(&text, "page ")) {
        status = ParsePageScript(text);
      } else if (absl::ConsumePrefix(&text, "onmessage ")) {
        status = ParseMessageHandler(text);
      } else {
        status = Error(
            "expected 'runtime', 'thread', 'routine', 'handler', 'click', 'page' or 'onmessage'");
      }
      if (!status.ok()) return status;
    }
    for (uint32_t r = 0; r < program_.routines.size(); ++r) {
      if (!defined_[r])
        return absl::InvalidArgumentError(
            absl::StrFormat("routine r%u is used but not defined", r));
    }
    if (absl::Status status = ValidateProgram(program_); !status.ok()) return status;
    return std::move(program_);
  }

 private:
  absl::Status Error(absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrFormat("program line %u: %s", line_, problem));
  }

  absl::Status ParseThread(absl::string_view text) {
    std::vector<absl::string_view> words = absl::StrSplit(text, ' ');
    if (words.size() < 2 || words.size() > 3)
      return Error("expected 'thread NAME pump|nopump [main=rN]'");
    if (program_.threads.size() == kProgramThreadsMax) return Error("too many threads");
    ThreadSpec thread{.name = std::string(words[0])};
    if (thread.name.empty() || FindThread(words[0]).has_value())
      return Error("empty or repeated thread name");
    if (words[1] != "pump" && words[1] != "nopump") return Error("expected 'pump' or 'nopump'");
    thread.pump = words[1] == "pump";
    if (words.size() == 3) {
      absl::string_view main = words[2];
      if (!absl::ConsumePrefix(&main, "main=")) return Error("expected 'main=rN'");
      absl::StatusOr<uint32_t> routine = RoutineRef(main);
      if (!routine.ok()) return routine.status();
      thread.main = *routine;
    }
    program_.threads.push_back(std::move(thread));
    return absl::OkStatus();
  }

  absl::Status ParseRoutine(absl::string_view text) {
    const size_t colon = text.find(':');
    if (colon == absl::string_view::npos) return Error("expected 'routine rN: op; op; ...'");
    absl::StatusOr<uint32_t> id = RoutineRef(text.substr(0, colon));
    if (!id.ok()) return id.status();
    if (defined_[*id]) return Error(absl::StrFormat("routine r%u defined twice", *id));
    defined_[*id] = true;
    absl::string_view body = absl::StripLeadingAsciiWhitespace(text.substr(colon + 1));
    if (body.empty()) return absl::OkStatus();
    for (absl::string_view op_text : absl::StrSplit(body, "; ")) {
      if (program_.routines[*id].ops.size() == kProgramOpsMax) return Error("too many ops");
      absl::StatusOr<Op> op = ParseOp(op_text);
      if (!op.ok()) return op.status();
      program_.routines[*id].ops.push_back(*op);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Op> ParseOp(absl::string_view text) {
    std::vector<absl::string_view> words = absl::StrSplit(text, ' ');
    const absl::string_view verb = words[0];
    Op op;
    auto want = [&](size_t count) -> absl::Status {
      if (words.size() == count) return absl::OkStatus();
      return Error(absl::StrCat("'", verb, "' takes ", count - 1, " argument(s)"));
    };
    absl::Status status;
    if (verb == "post" || verb == "block" || verb == "await" || verb == "post_delayed" ||
        verb == "invoke" || verb == "send" || verb == "await_pool") {
      op.kind = verb == "post"         ? OpKind::kPost
                : verb == "block"      ? OpKind::kBlock
                : verb == "await"      ? OpKind::kAwait
                : verb == "invoke"     ? OpKind::kInvoke
                : verb == "send"       ? OpKind::kSend
                : verb == "await_pool" ? OpKind::kAwaitPool
                                       : OpKind::kPostDelayed;
      if (status = want(op.kind == OpKind::kPostDelayed ? 4 : 3); !status.ok()) return status;
      std::optional<uint32_t> thread = FindThread(words[1]);
      if (!thread.has_value()) return Error(absl::StrCat("unknown thread '", words[1], "'"));
      op.thread = *thread;
      absl::StatusOr<uint32_t> routine = RoutineRef(words[2]);
      if (!routine.ok()) return routine.status();
      op.routine = *routine;
      if (op.kind == OpKind::kPostDelayed && !absl::SimpleAtoi(words[3], &op.delay_ticks)) {
        return Error("expected a delay in ticks");
      }
    } else if (verb == "modal" || verb == "pump" || verb == "loop" || verb == "result") {
      op.kind = verb == "modal"  ? OpKind::kModal
                : verb == "pump" ? OpKind::kPump
                : verb == "loop" ? OpKind::kLoop
                                 : OpKind::kResult;
      if (status = want(2); !status.ok()) return status;
      absl::StatusOr<uint32_t> routine = RoutineRef(words[1]);
      if (!routine.ok()) return routine.status();
      op.routine = *routine;
    } else if (verb == "script" || verb == "cookie") {
      op.kind = verb == "script" ? OpKind::kScript : OpKind::kCookie;
      const bool callback = words.size() > 1 && words[1] == "callback";
      const bool race = words.size() > 1 && words[1] == "race";
      if (status = want(callback || race ? 3 : 2); !status.ok()) return status;
      if (!ParseName(words[1], ScriptWaitName, ScriptWait::kCancel, &op.script)) {
        return Error(
            absl::StrCat("expected '", verb, " none|await|block|callback rN|race D|cancel'"));
      }
      if (race && !absl::SimpleAtoi(words[2], &op.delay_ticks)) {
        return Error("expected a delay in ticks");
      }
      if (callback) {
        absl::StatusOr<uint32_t> routine = RoutineRef(words[2]);
        if (!routine.ok()) return routine.status();
        op.routine = *routine;
      }
    } else if (verb == "crash") {
      op.kind = OpKind::kCrash;
      if (status = want(2); !status.ok()) return status;
      if (!ParseName(words[1], CrashedProcessName, CrashedProcess::kRenderer, &op.process)) {
        return Error("expected 'crash browser|renderer'");
      }
    } else if (verb == "defer") {
      op.kind = OpKind::kDefer;
      if (status = want(2); !status.ok()) return status;
      if (!ParseName(words[1], DeferralModeName, DeferralMode::kAfterScript, &op.deferral)) {
        return Error("expected 'defer now|scoped|later|other|never|twice|script'");
      }
    } else if (verb == "call" || verb == "navigate" || verb == "message") {
      op.kind = verb == "call"       ? OpKind::kCall
                : verb == "navigate" ? OpKind::kNavigate
                                     : OpKind::kMessage;
      if (status = want(1); !status.ok()) return status;
    } else {
      return Error(absl::StrCat("unknown op '", verb, "'"));
    }
    return op;
  }

  absl::Status ParseHandler(absl::string_view text) {
    std::vector<absl::string_view> words = absl::StrSplit(text, ' ');
    if (words.size() != 2) return Error("expected 'handler EVENT rN'");
    if (words[0] == kNewWindowRequested) {
      if (program_.new_window_handler.has_value()) {
        return Error("a second handler for NewWindowRequested");
      }
      absl::StatusOr<uint32_t> routine = RoutineRef(words[1]);
      if (!routine.ok()) return routine.status();
      program_.new_window_handler = *routine;
      return absl::OkStatus();
    }
    if (program_.handlers.size() == kProgramHandlersMax) return Error("too many handlers");
    PageEventHandler handler;
    bool known = false;
    for (int i = 0; i < kDeferrableEventCount && !known; ++i) {
      known = words[0] == webview2::InfoOf(static_cast<DeferrableEvent>(i)).name;
      if (known) handler.event = static_cast<DeferrableEvent>(i);
    }
    if (!known) return Error(absl::StrCat("unknown deferrable event '", words[0], "'"));
    absl::StatusOr<uint32_t> routine = RoutineRef(words[1]);
    if (!routine.ok()) return routine.status();
    handler.routine = *routine;
    program_.handlers.push_back(handler);
    return absl::OkStatus();
  }

  absl::Status ParseClick(absl::string_view text) {
    std::vector<absl::string_view> words = absl::StrSplit(text, ' ');
    if (words.size() != 2) return Error("expected 'click rN COUNT'");
    if (program_.clicks.size() == kProgramHandlersMax) return Error("too many buttons");
    UserClicks click;
    absl::StatusOr<uint32_t> routine = RoutineRef(words[0]);
    if (!routine.ok()) return routine.status();
    click.routine = *routine;
    if (!absl::SimpleAtoi(words[1], &click.count) || absl::StrCat(click.count) != words[1]) {
      return Error("expected a number of clicks");
    }
    program_.clicks.push_back(click);
    return absl::OkStatus();
  }

  // "r4": the WebMessageReceived handler.
  absl::Status ParseMessageHandler(absl::string_view text) {
    if (program_.message_handler.has_value()) return Error("a second 'onmessage'");
    absl::StatusOr<uint32_t> routine = RoutineRef(text);
    if (!routine.ok()) return routine.status();
    program_.message_handler = *routine;
    return absl::OkStatus();
  }

  // "load: post; host sync r3; alert".
  absl::Status ParsePageScript(absl::string_view text) {
    const size_t colon = text.find(':');
    if (colon == absl::string_view::npos)
      return Error("expected 'page load|dom|message|timer: step; ...'");
    if (program_.page_scripts.size() == kProgramHandlersMax) return Error("too many page scripts");
    PageScript script;
    if (!ParseName(text.substr(0, colon), PageScriptWhenName, PageScript::When::kTimer,
                   &script.when)) {
      return Error("expected 'page load|dom|message|timer: ...'");
    }
    absl::string_view body = absl::StripLeadingAsciiWhitespace(text.substr(colon + 1));
    if (!body.empty()) {
      for (absl::string_view step_text : absl::StrSplit(body, "; ")) {
        if (script.steps.size() == kProgramOpsMax) return Error("too many page steps");
        absl::StatusOr<PageStep> step = ParsePageStep(step_text);
        if (!step.ok()) return step.status();
        script.steps.push_back(*step);
      }
    }
    program_.page_scripts.push_back(std::move(script));
    return absl::OkStatus();
  }

  absl::StatusOr<PageStep> ParsePageStep(absl::string_view text) {
    PageStep step;
    const bool host = absl::ConsumePrefix(&text, "host ");
    if (!host) {
      if (!ParseName(text, PageStepName, PageStep::Kind::kOpenWindow, &step.kind) ||
          step.kind == PageStep::Kind::kHostSync || step.kind == PageStep::Kind::kHostAsync) {
        return Error(absl::StrCat("unknown page step '", text,
                                  "' (post, host sync rN, host async rN, alert, open, navigate)"));
      }
      return step;
    }
    std::vector<absl::string_view> words = absl::StrSplit(text, ' ');
    if (words.size() != 2 || (words[0] != "sync" && words[0] != "async")) {
      return Error("expected 'host sync rN' or 'host async rN'");
    }
    step.kind = words[0] == "sync" ? PageStep::Kind::kHostSync : PageStep::Kind::kHostAsync;
    absl::StatusOr<uint32_t> routine = RoutineRef(words[1]);
    if (!routine.ok()) return routine.status();
    step.routine = *routine;
    return step;
  }

  // "r7": grows the routine table to hold it.
  absl::StatusOr<uint32_t> RoutineRef(absl::string_view text) {
    uint32_t id = 0;
    if (!absl::ConsumePrefix(&text, "r") || !absl::SimpleAtoi(text, &id) ||
        absl::StrCat(id) != text) {
      return Error("expected a routine 'rN'");
    }
    if (id >= kProgramRoutinesMax) return Error("routine number too large");
    if (id >= program_.routines.size()) {
      program_.routines.resize(id + 1);
      defined_.resize(id + 1, false);
    }
    return id;
  }

  std::optional<uint32_t> FindThread(absl::string_view name) const {
    if (name == kPoolThreadName) return kPoolThread;
    for (uint32_t t = 0; t < program_.threads.size(); ++t) {
      if (program_.threads[t].name == name) return t;
    }
    return std::nullopt;
  }

  template <typename E>
  static bool ParseName(absl::string_view text, const char* (*name_of)(E), E last, E* out) {
    for (int i = 0; i <= static_cast<int>(last); ++i) {
      if (text == name_of(static_cast<E>(i))) {
        *out = static_cast<E>(i);
        return true;
      }
    }
    return false;
  }

  Program program_;
  std::vector<bool> defined_;
  size_t line_ = 0;
};

}  // namespace

std::vector<std::string> FormatProgram(const Program& program) {
  std::vector<std::string> lines;
  if (program.runtime == ProgramRuntime::kAndroid) lines.push_back("runtime android");
  for (const ThreadSpec& thread : program.threads) {
    std::string line = absl::StrCat("thread ", thread.name, thread.pump ? " pump" : " nopump");
    if (thread.main.has_value()) absl::StrAppend(&line, " main=r", *thread.main);
    lines.push_back(std::move(line));
  }
  for (uint32_t r = 0; r < program.routines.size(); ++r) {
    std::vector<std::string> ops;
    for (const Op& op : program.routines[r].ops) ops.push_back(FormatOp(program, op));
    lines.push_back(
        absl::StrCat("routine r", r, ":", ops.empty() ? "" : " ", absl::StrJoin(ops, "; ")));
  }
  for (const PageEventHandler& handler : program.handlers) {
    lines.push_back(
        absl::StrCat("handler ", webview2::InfoOf(handler.event).name, " r", handler.routine));
  }
  if (program.new_window_handler.has_value()) {
    lines.push_back(
        absl::StrCat("handler ", kNewWindowRequested, " r", *program.new_window_handler));
  }
  for (const UserClicks& click : program.clicks) {
    lines.push_back(absl::StrCat("click r", click.routine, " ", click.count));
  }
  if (program.message_handler.has_value()) {
    lines.push_back(absl::StrCat("onmessage r", *program.message_handler));
  }
  for (const PageScript& script : program.page_scripts) {
    std::vector<std::string> steps;
    for (const PageStep& step : script.steps) steps.push_back(FormatPageStep(step));
    lines.push_back(absl::StrCat("page ", PageScriptWhenName(script.when), ":",
                                 steps.empty() ? "" : " ", absl::StrJoin(steps, "; ")));
  }
  return lines;
}

absl::StatusOr<Program> ParseProgram(const std::vector<std::string>& lines) {
  return Parser().Parse(lines);
}

}  // namespace wvsim::model::programs
