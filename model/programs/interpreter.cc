// The interpreter's core: threads, posts and waits on the kernel; the WebView ops go to the
// binding of the program's runtime (internal/program_run.h).
#include "model/programs/interpreter.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/programs/internal/program_run.h"
#include "model/programs/program_text.h"

namespace wvsim::model::programs {

namespace internal {

namespace {

using sim::Kernel;
using sim::Promise;
using sim::Task;
using sim::Thread;

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
  done.SetProducer(
      thread, absl::StrCat("routine r", routine, " posted to thread ", thread.name(), " must run"));
  ProgramRun* self = &run;
  co_await k.Post(thread, "r",
                  [self, routine, done] { return RunAndSignal(*self, routine, done); });
  co_return done.future();
}

Task<> WebViewCall(ProgramRun& run, const Op& op, HandlerContext* handler) {
  if (run.program->runtime == ProgramRuntime::kAndroid) {
    co_await AndroidCall(run, op);
  } else {
    co_await WebView2Call(run, op, handler);
  }
}

Task<> RunOp(ProgramRun& run, const Op& op, HandlerContext* handler) {
  Kernel& k = *run.k;
  ProgramRun* self = &run;
  const uint32_t routine = op.routine;
  switch (op.kind) {
    case OpKind::kPost:
      co_await k.Post(run.threads[op.thread], "r",
                      [self, routine] { return RunRoutine(*self, routine, nullptr); });
      break;
    case OpKind::kPostDelayed:
      k.PostDelayed(run.threads[op.thread], op.delay_ticks, "r",
                    [self, routine] { return RunRoutine(*self, routine, nullptr); });
      co_await k.Yield({"post_delayed", nullptr});
      break;
    case OpKind::kBlock: {
      sim::Future<void> done = co_await PostWithResult(run, op.thread, routine);
      co_await k.BlockOn(done);  // Task.Result, Future.get: the thread's pump stops (W5, A3)
      break;
    }
    case OpKind::kInvoke: {
      // Control.Invoke: posted, then a CLR wait that runs messages sent to this thread (F4, F5).
      sim::Future<void> done = co_await PostWithResult(run, op.thread, routine);
      co_await run.win32->WaitServicingSent("Control.Invoke", done.state());
      break;
    }
    case OpKind::kSend: {
      // SendMessage: the target runs it when it retrieves messages or services sent ones (F7).
      absl::AnyInvocable<Task<>()> work = [self, routine] {
        return RunRoutine(*self, routine, nullptr);
      };
      co_await run.win32->SendMessage(run.threads[op.thread], "r", std::move(work));
      break;
    }
    case OpKind::kAwait: {
      sim::Future<void> done = co_await PostWithResult(run, op.thread, routine);
      co_await AwaitInHandler(run, done, handler);
      break;
    }
    case OpKind::kModal:
      co_await ShowModal(run, routine);
      break;
    case OpKind::kPump: {
      // Application.DoEvents until the routine ran: the kernel's pump, a loop the app built (W4).
      const uint32_t here = run.IndexOf(k.Current());
      sim::Future<void> done = co_await PostWithResult(run, here, routine);
      co_await k.PumpUntil(done);
      break;
    }
    case OpKind::kScript:
    case OpKind::kCall:
    case OpKind::kNavigate:
    case OpKind::kCookie:  // Android only (ValidateProgram)
      co_await WebViewCall(run, op, handler);
      break;
    case OpKind::kDefer:
      co_await Defer(run, op.deferral, *handler);
      break;
    case OpKind::kCrash:
      co_await CrashProcess(run, op.process);
      break;
  }
}

void Setup(Kernel& k, const Program& program, ProgramObservations* observations) {
  if (observations != nullptr) observations->entries.clear();
  ProgramRun& run = k.Make<ProgramRun>();
  run.k = &k;
  run.program = &program;
  run.observations = observations;
  if (program.runtime == ProgramRuntime::kAndroid) {
    SetUpAndroid(k, run);
  } else {
    SetUpWebView2(k, run);
  }
}

}  // namespace

Task<> RunRoutine(ProgramRun& run, uint32_t routine, HandlerContext* handler) {
  for (const Op& op : run.program->routines[routine].ops) co_await RunOp(run, op, handler);
}

Task<> RunThreadMain(ProgramRun& run, uint32_t thread) {
  const std::optional<uint32_t> main = run.program->threads[thread].main;
  if (main.has_value()) co_await RunRoutine(run, *main, nullptr);
}

}  // namespace internal

bool ProgramObservations::Has(Observation::Kind kind) const {
  for (const Observation& entry : entries) {
    if (entry.kind == kind) return true;
  }
  return false;
}

std::string CallTargetPage(const std::string& thread) {
  return absl::StrCat("https://app.example/", thread, ".html");
}

const char* ProgramScenarioId(ProgramRuntime runtime) {
  return runtime == ProgramRuntime::kAndroid ? kAndroidProgramScenarioId : kProgramScenarioId;
}

sim::Scenario ProgramScenario(Program program, ProgramObservations* observations) {
  std::vector<std::string> text = FormatProgram(program);
  const char* id = ProgramScenarioId(program.runtime);
  // Each runtime's programs replay against its model's behaviour version.
  const uint32_t model_version = program.runtime == ProgramRuntime::kAndroid
                                     ? android::kAndroidModelVersion
                                     : webview2::kWebView2ModelVersion;
  auto shared = std::make_shared<const Program>(std::move(program));
  return sim::Scenario{
      .id = id,
      .description = "a generated app program (props/, fuzz/program_fuzzer)",
      .expected = {sim::Verdict::kClean},
      .model_version = model_version,
      .setup = [shared,
                observations](sim::Kernel& k) { internal::Setup(k, *shared, observations); },
      .program = std::move(text),
  };
}

}  // namespace wvsim::model::programs
