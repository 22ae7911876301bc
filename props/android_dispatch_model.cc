#include "props/android_dispatch_model.h"

#include "absl/strings/str_cat.h"
#include "model/android/runtime.h"
#include "model/android/webview.h"
#include "sim/future.h"
#include "sim/kernel.h"
#include "sim/strategies/byte_stream.h"

namespace wvsim::props {

// ---- The reference model.

void AndroidDispatchModel::Apply(const AndroidOp& op) {
  last_was_direct_ = false;
  switch (op.kind) {
    case AndroidOpKind::kMainPosts:
      last_was_direct_ = started_;  // on the UI thread of a started engine: no post (A5)
      queued_.push_back(!started_);
      waiting_ += started_ ? 0 : 1;
      ++posted_;
      break;
    case AndroidOpKind::kWorkerPosts:
      queued_.push_back(true);
      ++waiting_;  // its drain may or may not have run while the main thread waited
      ++posted_;
      break;
    case AndroidOpKind::kMainLoads:
      if (!started_) waiting_ = 0;  // the forced start drains the queue (A6)
      started_ = true;
      break;
    case AndroidOpKind::kMainIdles:
      if (started_) waiting_ = 0;  // every drain posted so far ran
      break;
  }
}

std::string MessageText(size_t index) { return absl::StrCat("m", index); }

// ---- The system under test: the Android model.

namespace {

using model::android::AndroidRuntime;
using model::android::WebView;
using sim::Kernel;
using sim::Promise;
using sim::Task;

struct AndroidProgram {
  Kernel* k = nullptr;
  AndroidRuntime* rt = nullptr;
  bool created_on_worker = false;
  const std::vector<AndroidOp>* ops = nullptr;
  WebView* view = nullptr;
  sim::Thread main;
  sim::Thread worker;
  AndroidDispatchRun* out = nullptr;
};

Task<> CreateOnWorker(AndroidProgram& p, Promise<void> created) {
  p.view = co_await WebView::Create(*p.rt);
  created.Set();
}

Task<> Idle() { co_return; }

Task<> PostFromWorker(AndroidProgram& p, std::string text, Promise<void> done) {
  co_await p.view->PostWebMessage(std::move(text));
  done.Set();
}

Task<> Signal(Promise<void> done) {
  done.Set();
  co_return;
}

Task<> Perform(AndroidProgram& p, const AndroidOp& op, size_t& posted) {
  Kernel& k = *p.k;
  switch (op.kind) {
    case AndroidOpKind::kMainPosts:
      co_await p.view->PostWebMessage(MessageText(posted++));
      break;
    case AndroidOpKind::kWorkerPosts: {
      Promise<void> done = k.MakePromise<void>("worker call");
      AndroidProgram* self = &p;
      std::string text = MessageText(posted++);
      auto call = [self, text, done] { return PostFromWorker(*self, text, done); };
      co_await k.Post(p.worker, "call", std::move(call));
      co_await k.PumpUntil(done.future());
      break;
    }
    case AndroidOpKind::kMainLoads:
      co_await p.view->LoadUrl("https://app.example/");
      break;
    case AndroidOpKind::kMainIdles: {
      Promise<void> reached = k.MakePromise<void>("idle marker");
      co_await k.Post(p.main, "idle marker", [reached] { return Signal(reached); });
      co_await k.PumpUntil(reached.future());
      break;
    }
  }
}

Task<> OnCreate(AndroidProgram& p) {
  Kernel& k = *p.k;
  Promise<void> created = k.MakePromise<void>("view created");
  AndroidProgram* self = &p;
  if (p.created_on_worker) {
    p.worker = p.rt->StartLooperThread("worker", CreateOnWorker(p, created));
    co_await k.PumpUntil(created.future());
  } else {
    p.view = co_await WebView::Create(*p.rt);
    p.worker = p.rt->StartLooperThread("worker", Idle());
  }
  size_t posted = 0;
  for (const AndroidOp& op : *self->ops) co_await Perform(p, op, posted);
  p.out->delivered = p.view->web_messages();
  p.out->started = p.rt->chromium_started();
}

}  // namespace

AndroidDispatchRun RunAndroidOps(bool created_on_worker, const std::vector<AndroidOp>& ops) {
  AndroidDispatchRun run;
  Kernel kernel;
  const sim::ParamValues params = {
      {std::string(model::android::kTargetSdkParam), 17}};  // calls from other threads only log
  kernel.SetParams(&params);
  sim::ByteStreamStrategy first_option({});
  kernel.Reset(&first_option, /*traced=*/false);
  first_option.BeginExecution(0);
  AndroidProgram& p = kernel.Make<AndroidProgram>();
  p.k = &kernel;
  p.rt = &AndroidRuntime::Create(kernel);
  p.created_on_worker = created_on_worker;
  p.ops = &ops;
  p.out = &run;
  p.main = p.rt->StartMainThread(OnCreate(p));
  const sim::RunOutcome outcome = kernel.Run();
  if (outcome.violation.kind != sim::Verdict::kClean) {
    run.failure =
        absl::StrCat(sim::VerdictName(outcome.violation.kind), ": ", outcome.violation.report);
  }
  return run;
}

}  // namespace wvsim::props
