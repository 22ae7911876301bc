#include "model/framework/internal/sent_messages.h"

#include <exception>
#include <utility>

#include "model/framework/planted_defects.h"

namespace wvsim::model::framework::internal {

sim::Task<> SentQueue::RunOldest() {
  if (pending_.empty()) co_return;  // already serviced by a wait: the check has nothing to do
  SentMessage message = std::move(pending_.front());
  pending_.pop_front();
  std::exception_ptr error;
  try {
    co_await message.work();
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    message.done.Fail(error);
  } else {
    message.done.Set();
  }
}

sim::Task<> WaitServicingSent(sim::Kernel& kernel, const char* verb, const sim::FutureCore& target,
                              SentQueue* sent) {
  if (TestOnlyFrameworkPlantedDefects().servicing_wait_ignores_sent) sent = nullptr;
  TargetOrSent& wait = kernel.Make<TargetOrSent>(target, sent);
  while (!target.done()) {
    co_await kernel.Wait({verb, &wait}, wait, sim::WaitKind::kBlocking);
    if (!target.done() && sent != nullptr && !sent->empty()) co_await sent->RunOldest();
  }
}

}  // namespace wvsim::model::framework::internal
