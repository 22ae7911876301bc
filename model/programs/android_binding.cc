// Programs on the Android model: thread 0 is the main thread, whose onCreate creates the WebView
// and runs thread 0's main routine before Looper.loop(); pumping workers are HandlerThreads, the
// others plain java.lang.Threads. `call` is loadUrl (thread-checked, A2), `navigate` loads the
// home page, and `script` is evaluateJavascript (A11), whose ValueCallback comes on the UI thread.
#include "absl/strings/str_cat.h"
#include "model/android/java.h"
#include "model/programs/internal/program_run.h"

namespace wvsim::model::programs::internal {

namespace {

using sim::Kernel;
using sim::Promise;
using sim::Task;
using Kind = Observation::Kind;

// A ValueCallback that completes a promise, for `script block` (Future.get on the result).
class ResultCallback final : public android::ValueCallback {
 public:
  explicit ResultCallback(Promise<void> received) : received_(received) {}
  Task<> OnReceiveValue(android::WebView&, std::string) override {
    received_.Set();
    co_return;
  }

 private:
  Promise<void> received_;
};

Task<> Script(ProgramRun& run, ScriptWait wait) {
  Kernel& k = *run.k;
  if (wait == ScriptWait::kNone) {
    co_await run.view->EvaluateJavascript("1 + 1", nullptr);
    co_return;
  }
  Promise<void> received = k.MakePromise<void>("evaluateJavascript result");
  received.SetProducer(run.ui().get(), "the ValueCallback runs on the UI thread (A11)");
  ResultCallback& callback = k.Make<ResultCallback>(received);
  co_await run.view->EvaluateJavascript("1 + 1", &callback);
  co_await k.BlockOn(received.future());
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
      co_await Script(run, op.script);
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
