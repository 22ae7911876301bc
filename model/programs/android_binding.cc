// Programs on the Android model: thread 0 is the main thread, whose onCreate creates the WebView
// and runs thread 0's main routine before Looper.loop(); pumping workers are HandlerThreads, the
// others plain java.lang.Threads. `call` is loadUrl (thread-checked, A2), `navigate` loads the
// home page, and `script` is evaluateJavascript (A11), whose ValueCallback comes on the UI thread
// (`script callback rN` runs rN in it).
#include <optional>

#include "absl/strings/str_cat.h"
#include "model/android/java.h"
#include "model/programs/internal/program_run.h"

namespace wvsim::model::programs::internal {

namespace {

using sim::Kernel;
using sim::Promise;
using sim::Task;
using Kind = Observation::Kind;

// The app's ValueCallback (A11). It records itself as a callback (Observation kHandlerEnter and
// kHandlerLeave, numbered in the order the program made its callbacks) so that the serial-callbacks
// property can check that the model delivers it on the UI thread and never inside another one.
// Then it runs its routine (`script callback rN`) or completes a promise (`script block`).
class ProgramCallback final : public android::ValueCallback {
 public:
  ProgramCallback(ProgramRun& run, std::optional<uint32_t> routine,
                  std::optional<Promise<void>> received)
      : run_(run), number_(run.value_callbacks++), routine_(routine), received_(received) {}

  Task<> OnReceiveValue(android::WebView&, std::string) override {
    run_.Observe({.kind = Kind::kHandlerEnter, .handler = number_});
    if (routine_.has_value()) co_await RunRoutine(run_, *routine_, nullptr);
    if (received_.has_value()) received_->Set();
    run_.Observe({.kind = Kind::kHandlerLeave, .handler = number_});
  }

 private:
  ProgramRun& run_;
  uint32_t number_;
  std::optional<uint32_t> routine_;
  std::optional<Promise<void>> received_;
};

Task<> Script(ProgramRun& run, const Op& op) {
  Kernel& k = *run.k;
  switch (op.script) {
    case ScriptWait::kNone:
    case ScriptWait::kAwait:  // not in Android programs (ValidateProgram)
      co_await run.view->EvaluateJavascript("1 + 1", nullptr);
      break;
    case ScriptWait::kCallback:
      co_await run.view->EvaluateJavascript(
          "1 + 1", &k.Make<ProgramCallback>(run, op.routine, std::nullopt));
      break;
    case ScriptWait::kBlock: {
      Promise<void> received = k.MakePromise<void>("evaluateJavascript result");
      received.SetProducer(run.ui(), "the ValueCallback runs on the UI thread (A11)");
      co_await run.view->EvaluateJavascript("1 + 1",
                                            &k.Make<ProgramCallback>(run, std::nullopt, received));
      co_await k.BlockOn(received.future());
      break;
    }
  }
}

Task<> OnCreate(ProgramRun& run) {
  run.view = co_await android::WebView::Create(*run.android);
  co_await RunThreadMain(run, 0);
}

Task<> HandlerThreadPrepared(ProgramRun& run, uint32_t thread) {
  co_await RunThreadMain(run, thread);
}

}  // namespace

Task<> AndroidCall(ProgramRun& run, const Op& op) {
  if (run.view == nullptr) {
    co_await run.k->Abort(sim::Verdict::kAssertion, "program",
                          "the program used the WebView before onCreate created it");
  }
  try {
    if (op.kind == OpKind::kScript) {
      co_await Script(run, op);
    } else {
      const std::string page =
          op.kind == OpKind::kCall ? CallTargetPage(run.k->Current().name()) : kProgramHomePage;
      co_await run.view->LoadUrl(page);
    }
    run.Observe({.kind = Kind::kCallSucceeded, .document = run.view->url()});
  } catch (const android::JavaException& error) {
    run.Observe({.kind = Kind::kCallRejected, .error = error.what(), .document = run.view->url()});
  }
}

void SetUpAndroid(Kernel& k, ProgramRun& run) {
  const Program& program = *run.program;
  run.android = &android::AndroidRuntime::Create(k);
  run.threads.push_back(run.android->StartMainThread(OnCreate(run)));
  for (uint32_t t = 1; t < program.threads.size(); ++t) {
    const ThreadSpec& spec = program.threads[t];
    run.threads.push_back(
        spec.pump ? run.android->StartLooperThread(spec.name, HandlerThreadPrepared(run, t))
                  : run.android->StartThread(spec.name, RunThreadMain(run, t)));
  }
}

}  // namespace wvsim::model::programs::internal
