// Programs on the Android model: thread 0 is the main thread, whose onCreate creates the WebView
// and runs thread 0's main routine before Looper.loop(); pumping workers are HandlerThreads, the
// others plain java.lang.Threads. `call` is loadUrl (thread-checked, A2), `navigate` loads the
// home page, and `script` is evaluateJavascript (A11), whose ValueCallback comes on the UI thread
// (`script callback rN` runs rN in it). `cookie` is CookieManager.setCookie, whose callback comes
// on the calling thread's looper (A21): `cookie callback rN` runs rN there, `cookie block` waits
// for it with a CountDownLatch (a deadlock: the looper it needs is the one that waits).
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/android/cookie_manager.h"
#include "model/android/java.h"
#include "model/programs/internal/program_run.h"

namespace wvsim::model::programs::internal {

namespace {

using sim::Kernel;
using sim::Promise;
using sim::Task;
using Kind = Observation::Kind;

// What a program's callback does, whichever callback interface delivers it: it records itself as
// a callback (Observation kHandlerEnter and kHandlerLeave, numbered in the order the program made
// its callbacks) so that the serial-callbacks property can check where and when the model
// delivers it, then runs its routine (`script|cookie callback rN`) or completes a promise
// (`script|cookie block`: the future the caller waits on, a CountDownLatch for a cookie).
class CallbackBody {
 public:
  CallbackBody(ProgramRun& run, std::optional<uint32_t> routine,
               std::optional<Promise<void>> received)
      : run_(run), number_(run.value_callbacks++), routine_(routine), received_(received) {}

  const std::optional<Promise<void>>& received() const { return received_; }

  Task<> Run() {
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

// evaluateJavascript's ValueCallback, on the UI thread (A11).
class ProgramCallback final : public android::ValueCallback {
 public:
  explicit ProgramCallback(CallbackBody body) : body_(std::move(body)) {}
  Task<> OnReceiveValue(android::WebView&, std::string) override { co_await body_.Run(); }

 private:
  CallbackBody body_;
};

// setCookie's ValueCallback<Boolean>, on the looper of the thread that set the cookie (A21).
class ProgramCookieCallback final : public android::BooleanValueCallback {
 public:
  explicit ProgramCookieCallback(CallbackBody body) : body_(std::move(body)) {}
  Task<> OnReceiveValue(bool) override { co_await body_.Run(); }

 private:
  CallbackBody body_;
};

// The body of a `script|cookie callback|block` op's callback, and for `block` the promise it
// completes, which the caller then waits for (`producer` says where the callback runs).
CallbackBody BodyFor(ProgramRun& run, const Op& op, const char* name, const char* producer) {
  std::optional<Promise<void>> received;
  if (op.script == ScriptWait::kBlock) {
    received = run.k->MakePromise<void>(name);
    received->SetProducer(op.kind == OpKind::kCookie ? run.k->Current() : run.ui(), producer);
  }
  std::optional<uint32_t> routine;
  if (op.script == ScriptWait::kCallback) routine = op.routine;
  return CallbackBody(run, routine, received);
}

// Whether the op's call takes a callback: `none` (and `await`, which no Android program has)
// takes none.
bool TakesCallback(const Op& op) {
  return op.script == ScriptWait::kCallback || op.script == ScriptWait::kBlock;
}

Task<> Cookie(ProgramRun& run, const Op& op) {
  android::CookieManager* cookies = co_await android::CookieManagerGetInstance(*run.android);
  if (!TakesCallback(op)) {
    co_await cookies->SetCookie(kProgramHomePage, "program=1", nullptr);
    co_return;
  }
  CallbackBody body = BodyFor(run, op, "setCookie callback",
                              "the setCookie callback runs on this thread's looper (A21)");
  std::optional<Promise<void>> received = body.received();
  auto* callback = &run.k->Make<ProgramCookieCallback>(std::move(body));
  co_await cookies->SetCookie(kProgramHomePage, "program=1", callback);
  if (received.has_value()) co_await run.k->BlockOn(received->future());  // CountDownLatch.await
}

Task<> Script(ProgramRun& run, const Op& op) {
  if (!TakesCallback(op)) {
    co_await run.view->EvaluateJavascript("1 + 1", nullptr);
    co_return;
  }
  CallbackBody body = BodyFor(run, op, "evaluateJavascript result",
                              "the ValueCallback runs on the UI thread (A11)");
  std::optional<Promise<void>> received = body.received();
  auto* callback = &run.k->Make<ProgramCallback>(std::move(body));
  co_await run.view->EvaluateJavascript("1 + 1", callback);
  if (received.has_value()) co_await run.k->BlockOn(received->future());
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
  if (op.kind == OpKind::kCookie) {  // no WebView needed (A9)
    co_await Cookie(run, op);
    co_return;
  }
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
