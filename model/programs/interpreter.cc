#include "model/programs/interpreter.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/programs/program_text.h"
#include "model/webview2/hresult.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::programs {

namespace {

using sim::Kernel;
using sim::Promise;
using sim::Task;
using sim::Thread;
using webview2::Async;
using webview2::CoreWebView2;
using webview2::Deferral;
using webview2::DeferrableEventArgs;
using webview2::Runtime;
using Kind = Observation::Kind;

// One run of one program; lives in the kernel (Kernel::Make) until the next run.
struct ProgramRun {
  Kernel* k = nullptr;
  Runtime* rt = nullptr;
  const Program* program = nullptr;
  ProgramObservations* observations = nullptr;
  std::vector<Thread> threads;
  CoreWebView2* webview = nullptr;
  std::vector<Deferral> kept;  // deferrals a later handler or continuation completes

  Thread ui() const { return threads[0]; }
  void Observe(Observation entry) {
    if (observations == nullptr) return;
    entry.step = k->steps();
    entry.thread = k->Current().name();
    observations->entries.push_back(std::move(entry));
  }
};

// The handler a routine runs as, when it runs as a page event's handler.
struct HandlerContext {
  uint32_t index = 0;
  DeferrableEventArgs* args = nullptr;
};

Task<> RunRoutine(ProgramRun& run, uint32_t routine, HandlerContext* handler);

Task<> RunAndSignal(ProgramRun& run, uint32_t routine, Promise<void> done) {
  co_await RunRoutine(run, routine, nullptr);
  done.Set();
}

// Posts `routine` to `target` and returns a future that completes once it has run.
Task<sim::Future<void>> PostWithResult(ProgramRun& run, uint32_t target, uint32_t routine) {
  Kernel& k = *run.k;
  const Thread thread = run.threads[target];
  Promise<void> done =
      k.MakePromise<void>(k.traced() ? absl::StrCat("r", routine, "@", thread.name()) : "r");
  done.SetProducer(thread.get(), absl::StrCat("routine r", routine, " posted to thread ",
                                              thread.name(), " must run"));
  ProgramRun* self = &run;
  co_await k.Post(thread, "r", [self, routine, done] { return RunAndSignal(*self, routine, done); });
  co_return done.future();
}

// An await inside a handler takes the handler off the stack until its continuation runs (W4, W8).
Task<> AwaitInHandler(ProgramRun& run, sim::Future<void> future, HandlerContext* handler) {
  if (handler != nullptr) run.Observe({.kind = Kind::kHandlerLeave, .handler = handler->index});
  co_await Async<void>(run.rt, future);  // a .NET Task, as the runtime sees it
  if (handler != nullptr) run.Observe({.kind = Kind::kHandlerResume, .handler = handler->index});
}

Task<> ModalBody(ProgramRun& run, uint32_t routine) {
  co_await RunRoutine(run, routine, nullptr);
  co_await run.rt->CloseDialog();
}

Task<> Script(ProgramRun& run, ScriptWait wait, HandlerContext* handler) {
  Async<std::string> op = co_await run.webview->ExecuteScriptAsync("1 + 1");
  if (wait == ScriptWait::kAwait) {
    if (handler != nullptr) run.Observe({.kind = Kind::kHandlerLeave, .handler = handler->index});
    co_await op;
    if (handler != nullptr) run.Observe({.kind = Kind::kHandlerResume, .handler = handler->index});
  } else if (wait == ScriptWait::kBlock) {
    co_await run.rt->Result(op);
  }
}

// A WebView call whose thread check may throw (W3): the app sees the error, as it would.
Task<> CheckedCall(ProgramRun& run, const Op& op, HandlerContext* handler) {
  try {
    if (op.kind == OpKind::kScript) {
      co_await Script(run, op.script, handler);
    } else {
      const std::string page =
          op.kind == OpKind::kCall ? CallTargetPage(run.k->Current().name()) : kProgramHomePage;
      co_await run.webview->Navigate(page);
    }
    run.Observe({.kind = Kind::kCallSucceeded, .document = run.webview->document()});
  } catch (const webview2::ComException& error) {
    run.Observe({.kind = Kind::kCallRejected,
                 .hresult = error.hr(),
                 .document = run.webview->document()});
  }
}

void CompleteKept(ProgramRun& run, size_t kept, uint32_t handler) {
  run.Observe({.kind = Kind::kDeferralComplete, .handler = handler});
  run.kept[kept].Complete();
}

Task<> CompleteFromOtherHandler(ProgramRun& run, size_t kept, uint32_t handler) {
  CompleteKept(run, kept, handler);
  co_return;
}

Task<> Signal(Promise<void> done) {
  done.Set();
  co_return;
}

// W8: the ways an app takes and completes an event's deferral.
Task<> Defer(ProgramRun& run, DeferralMode mode, HandlerContext& handler) {
  const uint32_t index = handler.index;
  run.Observe({.kind = Kind::kDeferralTaken, .handler = index});
  Deferral deferral = handler.args->GetDeferral();
  switch (mode) {
    case DeferralMode::kNow:
      run.Observe({.kind = Kind::kDeferralComplete, .handler = index});
      deferral.Complete();
      break;
    case DeferralMode::kScoped: {
      webview2::ScopedDeferral scoped(std::move(deferral));
      run.Observe({.kind = Kind::kDeferralComplete, .handler = index});
      break;
    }
    case DeferralMode::kLater: {
      run.kept.push_back(std::move(deferral));
      const size_t kept = run.kept.size() - 1;
      Promise<void> done = run.k->MakePromise<void>("work");
      done.SetProducer(run.ui().get(), "work posted to the UI thread must run");
      co_await run.k->Post(run.ui(), "work", [done] { return Signal(done); });
      co_await AwaitInHandler(run, done.future(), &handler);
      CompleteKept(run, kept, index);
      break;
    }
    case DeferralMode::kOther: {
      run.kept.push_back(std::move(deferral));
      const size_t kept = run.kept.size() - 1;
      ProgramRun* self = &run;
      co_await run.k->Post(run.ui(), "OtherHandler", [self, kept, index] {
        return CompleteFromOtherHandler(*self, kept, index);
      });
      break;
    }
    case DeferralMode::kNever:
      break;  // dropped at the end of the handler without Complete
    case DeferralMode::kTwice:
      run.Observe({.kind = Kind::kDeferralComplete, .handler = index});
      deferral.Complete();
      run.Observe({.kind = Kind::kDeferralComplete, .handler = index});
      deferral.Complete();
      break;
  }
}

Task<> RunOp(ProgramRun& run, const Op& op, HandlerContext* handler) {
  Kernel& k = *run.k;
  switch (op.kind) {
    case OpKind::kPost: {
      ProgramRun* self = &run;
      const uint32_t routine = op.routine;
      co_await k.Post(run.threads[op.thread], "r",
                      [self, routine] { return RunRoutine(*self, routine, nullptr); });
      break;
    }
    case OpKind::kPostDelayed: {
      ProgramRun* self = &run;
      const uint32_t routine = op.routine;
      k.PostDelayed(run.threads[op.thread], op.delay_ticks, "r",
                    [self, routine] { return RunRoutine(*self, routine, nullptr); });
      co_await k.Yield({"post_delayed", nullptr});
      break;
    }
    case OpKind::kBlock: {
      sim::Future<void> done = co_await PostWithResult(run, op.thread, op.routine);
      co_await k.BlockOn(done);  // Task.Result: the thread's pump stops (W5)
      break;
    }
    case OpKind::kAwait: {
      sim::Future<void> done = co_await PostWithResult(run, op.thread, op.routine);
      co_await AwaitInHandler(run, done, handler);
      break;
    }
    case OpKind::kModal: {
      ProgramRun* self = &run;
      const uint32_t routine = op.routine;
      co_await run.rt->ShowDialog(absl::StrCat("r", routine),
                                  [self, routine] { return ModalBody(*self, routine); });
      break;
    }
    case OpKind::kScript:
    case OpKind::kCall:
    case OpKind::kNavigate:
      co_await CheckedCall(run, op, handler);
      break;
    case OpKind::kDefer:
      co_await Defer(run, op.deferral, *handler);
      break;
  }
}

Task<> RunRoutine(ProgramRun& run, uint32_t routine, HandlerContext* handler) {
  for (const Op& op : run.program->routines[routine].ops) co_await RunOp(run, op, handler);
}

Task<> OnPageEvent(ProgramRun& run, uint32_t index, DeferrableEventArgs& args) {
  HandlerContext handler{.index = index, .args = &args};
  run.Observe({.kind = Kind::kHandlerEnter, .handler = index});
  co_await RunRoutine(run, run.program->handlers[index].routine, &handler);
  run.Observe({.kind = Kind::kHandlerLeave, .handler = index});
}

// Form1_Load: EnsureCoreWebView2Async, the page event handlers, then the UI thread's main routine.
Task<> UiLoad(ProgramRun& run) {
  webview2::EnvironmentOptions options;
  Async<webview2::Environment*> env_op =
      co_await run.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  webview2::Environment* env = co_await env_op;
  Async<webview2::Controller*> controller_op = co_await env->CreateCoreWebView2ControllerAsync();
  webview2::Controller* controller = co_await controller_op;
  run.webview = &controller->CoreWebView2();
  ProgramRun* self = &run;
  for (uint32_t i = 0; i < run.program->handlers.size(); ++i) {
    run.webview->add_DeferrableEvent(run.program->handlers[i].event,
                                     [self, i](DeferrableEventArgs& args) {
                                       return OnPageEvent(*self, i, args);
                                     });
  }
  const std::optional<uint32_t> main = run.program->threads[0].main;
  if (main.has_value()) co_await RunRoutine(run, *main, nullptr);
}

Task<> UiThread(ProgramRun& run) {
  run.rt->CoInitializeEx(webview2::Apartment::kSta);
  co_await run.k->RunMessageLoop();
}

Task<> WorkerThread(ProgramRun& run, uint32_t thread) {
  const ThreadSpec& spec = run.program->threads[thread];
  if (spec.main.has_value()) co_await RunRoutine(run, *spec.main, nullptr);
  if (spec.pump) co_await run.k->RunMessageLoop();
}

void Setup(Kernel& k, const Program& program, ProgramObservations* observations) {
  if (observations != nullptr) observations->entries.clear();
  ProgramRun& run = k.Make<ProgramRun>();
  run.k = &k;
  run.rt = &Runtime::Create(k);
  run.program = &program;
  run.observations = observations;
  webview2::Page home{.title = "Home"};
  for (const PageEventHandler& handler : program.handlers) home.events.push_back(handler.event);
  run.rt->AddPage(kProgramHomePage, std::move(home));
  for (const ThreadSpec& thread : program.threads) {
    run.rt->AddPage(CallTargetPage(thread.name), webview2::Page{.title = thread.name});
  }
  run.threads.push_back(k.Spawn(program.threads[0].name, UiThread(run), {.message_queue = true}));
  for (uint32_t t = 1; t < program.threads.size(); ++t) {
    run.threads.push_back(k.Spawn(program.threads[t].name, WorkerThread(run, t),
                                  {.message_queue = program.threads[t].pump}));
  }
  ProgramRun* self = &run;
  run.rt->Send(run.ui(), "Form1_Load", [self] { return UiLoad(*self); });
}

}  // namespace

std::string CallTargetPage(const std::string& thread) {
  return absl::StrCat("https://app.example/", thread, ".html");
}

sim::Scenario ProgramScenario(Program program, ProgramObservations* observations) {
  std::vector<std::string> text = FormatProgram(program);
  auto shared = std::make_shared<const Program>(std::move(program));
  return sim::Scenario{
      .id = kProgramScenarioId,
      .description = "a generated app program (props/, fuzz/program_fuzzer)",
      .expected = {sim::Verdict::kClean},
      .setup = [shared, observations](Kernel& k) { Setup(k, *shared, observations); },
      .program = std::move(text),
  };
}

}  // namespace wvsim::model::programs
