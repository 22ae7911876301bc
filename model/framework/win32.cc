#include "model/framework/win32.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "model/framework/planted_defects.h"
#include "sim/model_port.h"

namespace wvsim::model::framework {

Win32& Win32::Create(sim::Kernel& kernel) { return kernel.Make<Win32>(kernel); }

sim::Kernel::PostAwaiter Win32::PostMessage(sim::Thread target, sim::MessageLabel label,
                                            absl::AnyInvocable<sim::Task<>()> work) {
  return kernel_.Post(target, std::move(label), std::move(work));
}

internal::SentQueue& Win32::SentQueueOf(sim::Thread thread) {
  internal::SentQueue*& queue = sent_[thread.id()];
  if (queue == nullptr) queue = &kernel_.Make<internal::SentQueue>(thread);
  return *queue;
}

sim::Task<> Win32::SendMessage(sim::Thread target, std::string label,
                               absl::AnyInvocable<sim::Task<>()> work) {
  const sim::Thread self = kernel_.Current();
  internal::SentQueue& queue = SentQueueOf(target);
  co_await kernel_.Yield({"SendMessage", &queue});
  if (target == self) {
    co_await work();  // the window procedure is called directly, as a subroutine
    co_return;
  }
  const sim::Promise<void> done = kernel_.MakePromise<void>(label);
  done.SetProducer(target, absl::StrCat("the message was sent to thread ", target.name(),
                                        ", which handles sent messages only when it retrieves "
                                        "messages or waits in SendMessage or a pumping wait (F7)"));
  AddSent(target, std::move(label), std::move(work), done);
  co_await WaitServicingSent("SendMessage", done.future().state());
  done.future().Get();  // rethrows what the window procedure threw
}

void Win32::AddSent(sim::Thread target, std::string label, absl::AnyInvocable<sim::Task<>()> work,
                    sim::Promise<void> done) {
  internal::SentQueue& queue = SentQueueOf(target);
  sim::MessageLabel check(absl::StrCat("sent ", label));
  queue.Add(internal::SentMessage{std::move(label), std::move(work), done});
  // The receiver's message loop retrieves it like any message; a wait that services sent
  // messages may take it first, and then this check finds nothing to do.
  if (!TestOnlyFrameworkPlantedDefects().loop_ignores_sent) {
    sim::ModelPort(kernel_).Send(target, std::move(check), [&queue] { return queue.RunOldest(); });
  }
}

void Win32::SendNotifyMessage(sim::Thread target, std::string label,
                              absl::AnyInvocable<sim::Task<>()> work) {
  const sim::Promise<void> done = kernel_.MakePromise<void>(label);  // nobody waits for it
  AddSent(target, std::move(label), std::move(work), done);
}

sim::Task<> Win32::WaitServicingSent(const char* verb, const sim::FutureCore& target) {
  co_await internal::WaitServicingSent(kernel_, verb, target, &SentQueueOf(kernel_.Current()));
}

}  // namespace wvsim::model::framework
