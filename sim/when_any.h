// Waits an app may give up: WhenAny (Task.WhenAny: the first of several futures to complete) and
// Delay (Task.Delay: a future that completes after virtual time passes). Racing a call against a
// Delay is how an app stops waiting for a call it no longer needs:
//
//   Future<void> timeout = Delay(k, 2000);
//   Future<size_t> first = WhenAny(k, "script or timeout", script, timeout);
//   if (co_await first == 1) ...  // timed out: nothing awaits `script` any more
//
// WhenAny listens to its futures (FutureCore::Listen) without waiting on them, so the futures
// that lost the race are awaited by nobody: they may complete later, fail, or never complete.
// Completion of a WhenAny is not a scheduling point; awaiting it is, like any future.
#ifndef WVSIM_SIM_WHEN_ANY_H_
#define WVSIM_SIM_WHEN_ANY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "sim/future.h"
#include "sim/kernel.h"

namespace wvsim::sim {

// Not API: the listener WhenAny's template makes.
namespace detail {

// One future's place in a WhenAny: the first to complete sets the result to its index.
class WhenAnyArm final : public CompletionListener {
 public:
  WhenAnyArm(sim::Promise<size_t> any, size_t index) : any_(any), index_(index) {}
  void OnComplete() override {
    if (!any_.done()) any_.Set(index_);
  }

 private:
  sim::Promise<size_t> any_;
  size_t index_;
};

}  // namespace detail

// A future that completes with the index (0-based, in argument order) of the first of `futures`
// to complete, failed or not; at once when one has already. `name` names it in reports.
template <typename... T>
Future<size_t> WhenAny(Kernel& kernel, std::string name, const Future<T>&... futures) {
  static_assert(sizeof...(T) > 0, "WhenAny of no future never completes");
  const Promise<size_t> any = kernel.MakePromise<size_t>(std::move(name));
  size_t index = 0;
  (futures.state().Listen(kernel.Make<detail::WhenAnyArm>(any, index++)), ...);
  return any.future();
}

// Task.Delay: a future that completes `ticks` of virtual time from now, on a timer thread of its
// own (as .NET's timers do: it completes even while the thread that asked is blocked). Each Delay
// is a thread, so a run holds at most KernelLimits::threads_max of them with its other threads
// (beyond that the run ends with a configuration error, as any Spawn past the limit does).
Future<void> Delay(Kernel& kernel, uint64_t ticks);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_WHEN_ANY_H_
