// The interpreter's core: threads, posts and waits on the kernel; the WebView ops go to the
// binding of the program's runtime (internal/program_run.h).
#include "model/programs/interpreter.h"

#include <memory>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/programs/internal/program_run.h"
#include "model/programs/program_text.h"
#include "sim/assert.h"

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

// Posts `routine` to `thread` and returns a future that completes once it has run.
Task<sim::Future<void>> PostWithResult(ProgramRun& run, Thread thread, uint32_t routine) {
  Kernel& k = *run.k;
  Promise<void> done =
      k.MakePromise<void>(k.traced() ? absl::StrCat("r", routine, "@", thread.name()) : "r");
  done.SetProducer(
      thread, absl::StrCat("routine r", routine, " posted to thread ", thread.name(), " must run"));
  ProgramRun* self = &run;
  co_await k.Post(thread, "r",
                  [self, routine, done] { return RunAndSignal(*self, routine, done); });
  co_return done.future();
}

// Starts `routine` on program thread `target` (posted), or on the CLR thread pool (Task.Run, F3);
// the future completes once it has run.
Task<sim::Future<void>> StartWork(ProgramRun& run, uint32_t target, uint32_t routine) {
  if (target != kPoolThread) co_return co_await PostWithResult(run, run.threads[target], routine);
  ProgramRun* self = &run;
  absl::AnyInvocable<Task<>()> work = [self, routine] {
    return RunRoutine(*self, routine, nullptr);
  };
  const framework::NetTask<void> task =
      co_await run.clr->Run<void>(absl::StrCat("r", routine), std::move(work));
  co_return task.future();
}

// The ops of async method `routine` from `first` on, up to its next await: that await's rest
// goes through Clr::Await, which resumes it on the captured context or the pool (F2); `task`, the
// method's Task, completes after its last op.
Task<> RunAsyncMethod(ProgramRun& run, uint32_t routine, size_t first, Promise<void> task) {
  const std::vector<Op>& ops = run.program->routines[routine].ops;
  for (size_t i = first; i < ops.size(); ++i) {
    const Op& op = ops[i];
    if (op.kind != OpKind::kAwait && op.kind != OpKind::kAwaitPool) {
      co_await RunOp(run, op, nullptr);
      continue;
    }
    const sim::Future<void> work = co_await StartWork(run, op.thread, op.routine);
    const framework::ConfiguredTask<void> awaited =
        framework::NetTask<void>(work).ConfigureAwait(op.kind == OpKind::kAwait);
    ProgramRun* self = &run;
    absl::AnyInvocable<Task<>()> rest = [self, routine, i, task] {
      return RunAsyncMethod(*self, routine, i + 1, task);
    };
    co_await run.clr->Await<void, void>(awaited, absl::StrCat("r", routine), std::move(rest));
    co_return;
  }
  task.Set();
}

// The body of a `loop`: the routine, then the quit that ends the loop it runs in.
Task<> RunThenQuit(ProgramRun& run, uint32_t routine, Thread loop_thread) {
  co_await RunRoutine(run, routine, nullptr);
  co_await run.k->PostQuit(loop_thread);
}

Task<> WebViewCall(ProgramRun& run, const Op& op, HandlerContext* handler) {
  if (run.program->runtime == ProgramRuntime::kAndroid) {
    co_await AndroidCall(run, op);
  } else {
    co_await WebView2Call(run, op, handler);
  }
}

}  // namespace

Task<> RunOp(ProgramRun& run, const Op& op, HandlerContext* handler) {
  Kernel& k = *run.k;
  ProgramRun* self = &run;
  const uint32_t routine = op.routine;
  switch (op.kind) {
    case OpKind::kPost:
      if (op.thread == kPoolThread) {
        co_await StartWork(run, op.thread, routine);  // Task.Run, its task dropped
        break;
      }
      co_await k.Post(run.threads[op.thread], "r",
                      [self, routine] { return RunRoutine(*self, routine, nullptr); });
      break;
    case OpKind::kPostDelayed:
      k.PostDelayed(run.threads[op.thread], op.delay_ticks, "r",
                    [self, routine] { return RunRoutine(*self, routine, nullptr); });
      co_await k.Yield({"post_delayed", nullptr});
      break;
    case OpKind::kBlock: {
      sim::Future<void> done = co_await StartWork(run, op.thread, routine);
      co_await k.BlockOn(done);  // Task.Result, Future.get: the thread's pump stops (W5, A3)
      break;
    }
    case OpKind::kInvoke: {
      // Control.Invoke: posted, then a CLR wait that runs messages sent to this thread (F4, F5);
      // to the pool, Task.Run(...).Wait(), the same wait.
      sim::Future<void> done = co_await StartWork(run, op.thread, routine);
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
    case OpKind::kAwait:
    case OpKind::kAwaitPool: {  // kAwaitPool: only in async methods, which RunAsyncMethod runs
      sim::Future<void> done = co_await StartWork(run, op.thread, routine);
      co_await AwaitInHandler(run, done, handler);
      break;
    }
    case OpKind::kResult: {
      // An async method runs here up to its first await; then .Result, a CLR wait (F2, F4).
      const Promise<void> task =
          k.MakePromise<void>(k.traced() ? absl::StrCat("async method r", routine) : "r");
      co_await RunAsyncMethod(run, routine, 0, task);
      const framework::NetTask<void> method(task.future());
      co_await run.clr->Result(method);
      break;
    }
    case OpKind::kModal:
      co_await ShowModal(run, routine);
      break;
    case OpKind::kPump: {
      // Application.DoEvents until the routine ran: the kernel's pump, a loop the app built (W4).
      sim::Future<void> done = co_await PostWithResult(run, k.Current(), routine);
      co_await k.PumpUntil(done);
      break;
    }
    case OpKind::kLoop: {
      // A nested GetMessage/DispatchMessage loop built with the kernel, ended by a quit that the
      // posted routine sends once it ran (W4 counts it like a modal dialog's).
      const Thread here = k.Current();
      co_await k.Post(here, "r",
                      [self, routine, here] { return RunThenQuit(*self, routine, here); });
      co_await k.RunMessageLoop();
      break;
    }
    case OpKind::kScript:
    case OpKind::kCall:
    case OpKind::kNavigate:
    case OpKind::kMessage:  // WebView2 only (ValidateProgram)
    case OpKind::kCookie:   // Android only (ValidateProgram)
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

namespace {

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
      .payload = std::move(text),
  };
}

namespace {

// The family `id`'s scenario from a schedule's `program:` lines: the program they spell, which must
// be of the runtime the id names.
absl::StatusOr<sim::Scenario> BuildProgramScenario(const char* id,
                                                   const std::vector<std::string>& payload) {
  absl::StatusOr<Program> program = ParseProgram(payload);
  if (!program.ok()) return program.status();
  if (std::string_view(ProgramScenarioId(program->runtime)) != id) {
    return absl::InvalidArgumentError(
        absl::StrCat("the program's runtime does not match scenario ", id));
  }
  return ProgramScenario(*std::move(program));
}

}  // namespace

void RegisterProgramFamilies() {
  for (const char* id : {kProgramScenarioId, kAndroidProgramScenarioId}) {
    sim::ScenarioFamily family{
        .id = id,
        .build =
            [id](const std::vector<std::string>& payload) {
              return BuildProgramScenario(id, payload);
            },
    };
    absl::Status added = sim::ScenarioRegistry::Global().AddFamily(std::move(family));
    WVSIM_ASSERT_MSG(added.ok(), "the program families register once");
  }
}

}  // namespace wvsim::model::programs
