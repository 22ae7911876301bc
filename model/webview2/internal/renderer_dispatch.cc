// Every message to a renderer goes through RendererDispatch (processes.h, SendToRenderer): a hung
// renderer holds what it is sent (W12), and one whose hang ended first runs what it held, so the
// order in which it was sent work is the order it does it.
//
// Determinism: held work is a vector in dispatch order.
#include "model/webview2/internal/processes.h"

namespace wvsim::model::webview2::internal {

namespace {

// Runs what the renderer held while it hung, oldest first, until it hangs again or dies.
Task<> RunHeldWork(RendererProcess& renderer) {
  while (!renderer.held.empty() && renderer.responsive()) {
    absl::AnyInvocable<Task<>()> work = std::move(renderer.held.front());
    renderer.held.erase(renderer.held.begin());
    co_await work();
  }
}

Task<> RendererDispatch(RendererProcess& renderer, absl::AnyInvocable<Task<>()> work) {
  if (renderer.hung && !renderer.dead()) {
    if (work) renderer.held.push_back(std::move(work));
    co_return;
  }
  if (!renderer.held.empty()) co_await RunHeldWork(renderer);
  if (work) co_await work();
}

}  // namespace

void Processes::SendHandlerToRenderer(RendererProcess& renderer, sim::MessageLabel label,
                                      absl::AnyInvocable<Task<>()> work) {
  RendererProcess* process = &renderer;
  port_.Send(renderer.thread, std::move(label),
             port_.PooledHandler([process, work = std::move(work)]() mutable {
               return RendererDispatch(*process, std::move(work));
             }));
}

}  // namespace wvsim::model::webview2::internal
