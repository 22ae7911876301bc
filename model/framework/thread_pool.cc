#include "model/framework/thread_pool.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "model/framework/planted_defects.h"
#include "sim/model_port.h"

namespace wvsim::model::framework {

namespace {

sim::Task<> WorkerMain(sim::Kernel& kernel) { co_await kernel.RunMessageLoop(); }

}  // namespace

ThreadPool::ThreadPool(sim::Kernel& kernel, uint32_t max_workers)
    : sim::Object("thread pool"), kernel_(kernel), max_workers_(max_workers) {
  WVSIM_ASSERT_MSG(max_workers_ > 0, "a thread pool has at least one worker");
}

bool ThreadPool::IsWorker(sim::Thread thread) const {
  for (const Worker* worker : workers_) {
    if (worker->thread == thread) return true;
  }
  return false;
}

void ThreadPool::Queue(std::string name, absl::AnyInvocable<sim::Task<>()> work,
                       sim::FutureCore* result) {
  queue_.push_back(Item{std::move(name), std::move(work), result});
  Assign();
}

ThreadPool::Worker* ThreadPool::IdleWorker() {
  for (Worker* worker : workers_) {
    if (!worker->busy) return worker;
  }
  const uint32_t bound = TestOnlyFrameworkPlantedDefects().pool_single_worker ? 1 : max_workers_;
  if (workers_.size() >= bound) return nullptr;
  const sim::Thread thread = kernel_.Spawn(absl::StrCat("pool-", workers_.size() + 1),
                                           WorkerMain(kernel_), {.message_queue = true});
  if (!thread.valid()) return nullptr;  // the thread limit stopped the run
  Worker& worker = kernel_.Make<Worker>();
  worker.thread = thread;
  workers_.push_back(&worker);
  return &worker;
}

std::string ThreadPool::BusyText() const {
  std::string text =
      absl::StrCat("it waits in the thread pool's queue: all ", workers_.size(),
                   " workers (the bound, ", kPoolWorkersParam, "=", max_workers_, ") are busy (");
  for (size_t i = 0; i < workers_.size(); ++i) {
    absl::StrAppend(&text, i == 0 ? "" : ", ", workers_[i]->thread.name());
  }
  absl::StrAppend(&text, ") and one must finish its work item first (F3)");
  return text;
}

void ThreadPool::Assign() {
  while (!queue_.empty()) {
    Worker* worker = IdleWorker();
    if (worker == nullptr) {
      for (const Item& item : queue_) {
        if (item.result != nullptr) item.result->SetProducer(sim::Thread(), BusyText());
      }
      return;
    }
    Item item = std::move(queue_.front());
    queue_.pop_front();
    worker->busy = true;
    if (item.result != nullptr) {
      item.result->SetProducer(worker->thread,
                               absl::StrCat("it runs on thread-pool worker ", worker->thread.name(),
                                            " (", item.name, ")"));
    }
    absl::AnyInvocable<sim::Task<>()>& work =
        kernel_.Make<absl::AnyInvocable<sim::Task<>()>>(std::move(item.work));
    sim::ModelPort(kernel_).Send(worker->thread, std::move(item.name),
                                 [this, worker, &work] { return RunItem(*worker, work); });
  }
}

sim::Task<> ThreadPool::RunItem(Worker& worker, absl::AnyInvocable<sim::Task<>()>& work) {
  co_await work();
  worker.busy = false;
  Assign();
}

}  // namespace wvsim::model::framework
