// NetTask<T>: a .NET Task as the app holds it, over a kernel future (docs/framework-rules.md F2).
//
//   NetTask<std::string> read = co_await clr.Run<std::string>("ReadFile", read_file);
//   std::string text = co_await read;                    // await inside a UI handler: the handler
//                                                        // leaves the stack; its continuation is
//                                                        // posted to this thread's queue, which is
//                                                        // the UI SynchronizationContext's Post
//   std::string same = co_await clr.Result(read);        // .Result: a CLR blocking wait (F4)
//   NetTask<int> n = co_await clr.Await(read.ConfigureAwait(false), "ParseAsync", parse);
//
// Thin: copy freely within a run. Completion is not a scheduling point by itself.
#ifndef WVSIM_MODEL_FRAMEWORK_NET_TASK_H_
#define WVSIM_MODEL_FRAMEWORK_NET_TASK_H_

#include <string>

#include "sim/assert.h"
#include "sim/future.h"

namespace wvsim::model::framework {

template <typename T>
struct ConfiguredTask;

template <typename T>
class NetTask {
 public:
  NetTask() = default;
  explicit NetTask(sim::Future<T> future) : future_(future) {}

  sim::Future<T> future() const { return future_; }
  const std::string& name() const { return future_.name(); }
  bool IsCompleted() const { return future_.done(); }
  // The result of a completed task (what `await` gives once it is done); throws its exception.
  T Get() const { return future_.Get(); }

  // Task.ConfigureAwait: false resumes a Clr::Await continuation on a thread-pool thread instead
  // of the captured SynchronizationContext.
  ConfiguredTask<T> ConfigureAwait(bool continue_on_captured_context) const {
    return ConfiguredTask<T>{*this, continue_on_captured_context};
  }

  auto operator co_await() const { return future_.operator co_await(); }

 private:
  sim::Future<T> future_;
};

// A task with ConfigureAwait applied (ConfiguredTaskAwaitable).
template <typename T>
struct ConfiguredTask {
  NetTask<T> task;
  bool continue_on_captured_context = true;
};

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_NET_TASK_H_
