// The CLR thread pool (docs/framework-rules.md F3): Task.Run and continuations that run on no
// captured context. A bounded number of workers, each a virtual thread with a queue, started as
// work arrives; work waits in the pool's queue while every worker is busy.
//
// A work item that awaits keeps its worker reserved until it finishes (the model's reading: .NET
// returns the thread to the pool at the await); a worker that blocks keeps it too, which is how
// an app starves the pool.
#ifndef WVSIM_MODEL_FRAMEWORK_THREAD_POOL_H_
#define WVSIM_MODEL_FRAMEWORK_THREAD_POOL_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/future.h"
#include "sim/kernel.h"
#include "sim/object.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::framework {

// The scenario parameter bounding the pool's workers (default kPoolWorkersDefault).
inline constexpr char kPoolWorkersParam[] = "thread_pool_workers";
inline constexpr int64_t kPoolWorkersDefault = 4;

class ThreadPool final : public sim::Object {
 public:
  ThreadPool(sim::Kernel& kernel, uint32_t max_workers);

  uint32_t max_workers() const { return max_workers_; }
  // Whether `thread` is one of the pool's workers.
  bool IsWorker(sim::Thread thread) const;

  // Queues `work` (not a scheduling point: the caller's operation was one). `result`, when not
  // null, is the future the work completes: the pool names itself as its producer.
  void Queue(std::string name, absl::AnyInvocable<sim::Task<>()> work, sim::FutureCore* result);

 private:
  struct Worker {
    sim::Thread thread;
    bool busy = false;
  };
  struct Item {
    std::string name;
    absl::AnyInvocable<sim::Task<>()> work;
    sim::FutureCore* result;
  };
  // Hands queued items to idle workers, starting workers up to the bound.
  void Assign();
  Worker* IdleWorker();
  sim::Task<> RunItem(Worker& worker, absl::AnyInvocable<sim::Task<>()>& work);
  std::string BusyText() const;

  sim::Kernel& kernel_;
  uint32_t max_workers_;
  std::vector<Worker*> workers_;
  std::deque<Item> queue_;
};

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_THREAD_POOL_H_
