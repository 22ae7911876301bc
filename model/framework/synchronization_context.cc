#include "model/framework/synchronization_context.h"

#include "sim/model_port.h"

namespace wvsim::model::framework {

uint64_t SynchronizationContext::PostFromCompletion(sim::MessageLabel label,
                                                    absl::AnyInvocable<sim::Task<>()> work) {
  return sim::ModelPort(kernel_).Send(thread_, std::move(label), std::move(work));
}

}  // namespace wvsim::model::framework
