// Delay's timer thread (when_any.h).
#include "sim/when_any.h"

#include "absl/strings/str_cat.h"

namespace wvsim::sim {

namespace {

Task<> CompleteAfter(Kernel& kernel, uint64_t ticks, sim::Promise<void> done) {
  co_await kernel.Sleep(ticks);
  done.Set();
}

}  // namespace

Future<void> Delay(Kernel& kernel, uint64_t ticks) {
  const Promise<void> done = kernel.MakePromise<void>(
      kernel.traced() ? absl::StrCat("Delay(", ticks, ")") : std::string("Delay"));
  const Thread timer = kernel.Spawn("timer", CompleteAfter(kernel, ticks, done));
  if (kernel.traced()) {
    done.SetProducer(timer, absl::StrCat("the timer thread ", timer.name(), " completes it after ",
                                         ticks, " ticks"));
  }
  return done.future();
}

}  // namespace wvsim::sim
