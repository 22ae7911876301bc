// How the runtime's subsystems hand work to a process or an app thread: a message without a
// scheduling point (the app's call already was one), its closure in the run's pooled memory
// (sim::ModelPort::Send, PooledHandler).
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_SEND_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_SEND_H_

#include <cstdint>
#include <utility>

#include "sim/message_label.h"
#include "sim/model_port.h"
#include "sim/thread.h"

namespace wvsim::model::webview2::internal {

template <typename Work>
uint64_t Send(sim::ModelPort port, sim::Thread target, sim::MessageLabel label, Work work) {
  return port.Send(target, std::move(label), port.PooledHandler(std::move(work)));
}

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_SEND_H_
