#include "model/framework/clr.h"

#include <utility>

#include "model/framework/exceptions.h"
#include "sim/model_port.h"

namespace wvsim::model::framework {

namespace {

uint32_t PoolWorkers(const sim::Kernel& kernel) {
  const int64_t workers = kernel.Param(kPoolWorkersParam, kPoolWorkersDefault);
  return workers < 1 ? 1u : static_cast<uint32_t>(workers);
}

}  // namespace

Clr& Clr::Create(sim::Kernel& kernel, Win32& win32) { return kernel.Make<Clr>(kernel, win32); }

Clr::Clr(sim::Kernel& kernel, Win32& win32)
    : kernel_(kernel), win32_(win32), pool_(kernel.Make<ThreadPool>(kernel, PoolWorkers(kernel))) {}

SynchronizationContext& Clr::InstallContext(sim::Thread thread, UiFramework flavour) {
  WVSIM_ASSERT_MSG(sim::ModelPort(kernel_).HasMessageQueue(thread),
                   "a UI SynchronizationContext posts to its thread's message queue");
  SynchronizationContext& context = kernel_.Make<SynchronizationContext>(kernel_, thread, flavour);
  contexts_[thread.id()] = &context;
  return context;
}

SynchronizationContext* Clr::ContextOf(sim::Thread thread) const {
  auto it = contexts_.find(thread.id());
  return it == contexts_.end() ? nullptr : it->second;
}

void Clr::Continue(SynchronizationContext* context, std::string name,
                   absl::AnyInvocable<sim::Task<>()> rest, sim::FutureCore& result) {
  if (context == nullptr) {
    pool_.Queue(std::move(name), std::move(rest), &result);  // no context: a pool thread
    return;
  }
  const std::string label = kernel_.traced() ? name : std::string();
  const uint64_t id = context->PostFromCompletion(std::move(name), std::move(rest));
  result.SetProducer(context->thread(),
                     absl::StrCat("its continuation ", label, " is message #", id,
                                  " queued on thread ", context->thread().name(), " by its ",
                                  context->name(), " (the context the await captured), and only ",
                                  context->thread().name(), "'s pump dispatches it (F2)"));
}

sim::Task<> Clr::Invoke(SynchronizationContext& context, std::string label,
                        absl::AnyInvocable<sim::Task<>()> work) {
  if (kernel_.Current() == context.thread()) {  // InvokeRequired is false: a direct call
    co_await work();
    co_return;
  }
  const sim::Promise<void> done = kernel_.MakePromise<void>(label);
  auto& kept = kernel_.Make<absl::AnyInvocable<sim::Task<>()>>(std::move(work));
  absl::AnyInvocable<sim::Task<>()> marshalled = [&kept, done] {
    return RunInto<void>(kept, done);
  };
  const uint64_t id = co_await context.Post(label, std::move(marshalled));
  done.SetProducer(
      context.thread(),
      absl::StrCat("its delegate is message #", id, " posted to thread ", context.thread().name(),
                   " (", context.SendApi(), " posts, then waits), and only ",
                   context.thread().name(), "'s pump dispatches it (F5)"));
  co_await win32_.WaitServicingSent(context.SendApi(), done.future().state());
  done.future().Get();
}

namespace {

sim::Task<> RunThenEnd(absl::AnyInvocable<sim::Task<>()>& body, sim::Promise<void> ended) {
  co_await body();
  ended.Set();
}

}  // namespace

Clr::ClrThread Clr::StartThread(std::string name, absl::AnyInvocable<sim::Task<>()> body,
                                bool sta) {
  const sim::Promise<void> ended = kernel_.MakePromise<void>(absl::StrCat(name, " ended"));
  auto& kept = kernel_.Make<absl::AnyInvocable<sim::Task<>()>>(std::move(body));
  const sim::Thread thread = kernel_.Spawn(name, RunThenEnd(kept, ended), {.message_queue = sta});
  ended.SetProducer(thread, absl::StrCat("thread ", name, " must run to its end"));
  return ClrThread{thread, NetTask<void>(ended.future())};
}

sim::Task<> Clr::Join(ClrThread thread) {
  // TJ: "Blocks the calling thread until the thread ... terminates, while continuing to perform
  // standard COM and SendMessage pumping": F4's wait.
  co_await win32_.WaitServicingSent("Thread.Join", thread.ended.future().state());
}

sim::Task<> Clr::DoEvents() {
  // Everything queued before the call, then return: a marker queued last ends the loop.
  const sim::Promise<void> drained = kernel_.MakePromise<void>("Application.DoEvents");
  sim::ModelPort(kernel_).Send(kernel_.Current(), "DoEvents reached the end of the queue",
                               [drained]() -> sim::Task<> {
                                 drained.Set();
                                 co_return;
                               });
  co_await kernel_.PumpUntilReady(drained.future().state(),
                                  {"Application.DoEvents", &drained.future().state()});
}

void CancellationTokenSource::CancelAfter(uint64_t ticks) {
  internal::WhenDone(kernel_, sim::Delay(kernel_, ticks).state(), [this] { Cancel(); });
}

void CancellationTokenSource::ThrowIfCancellationRequested() const {
  if (IsCancellationRequested()) throw OperationCanceledException();
}

}  // namespace wvsim::model::framework
