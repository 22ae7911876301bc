#include "props/pump_model.h"

#include <algorithm>
#include <memory>

#include "sim/future.h"
#include "sim/kernel.h"
#include "sim/strategies/byte_stream.h"

namespace wvsim::props {

// ---- The reference model.

bool PumpModel::Pending(int id) const {
  if (std::find(queue_.begin(), queue_.end(), id) != queue_.end()) return true;
  return std::any_of(timers_.begin(), timers_.end(), [id](const Timer& t) { return t.id == id; });
}

bool PumpModel::CanApply(const PumpOp& op) const {
  if (ended_) return false;
  switch (op.kind) {
    case PumpOpKind::kCancel:
    case PumpOpKind::kPumpUntil:
    case PumpOpKind::kBlockOnOwn:
      return Pending(op.id);
    default:
      return true;
  }
}

void PumpModel::DispatchFront() {
  ran_.push_back(queue_.front());
  queue_.pop_front();
}

void PumpModel::FireEarliestTimer() {
  auto earliest =
      std::min_element(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) {
        return a.due_ticks != b.due_ticks ? a.due_ticks < b.due_ticks : a.id < b.id;
      });
  now_ticks_ = earliest->due_ticks;
  queue_.push_back(earliest->id);
  timers_.erase(earliest);
}

void PumpModel::Apply(const PumpOp& op) {
  switch (op.kind) {
    case PumpOpKind::kPost:
      queue_.push_back(static_cast<int>(posted_++));
      break;
    case PumpOpKind::kPostDelayed:
      timers_.push_back({now_ticks_ + op.delay_ticks, static_cast<int>(posted_++)});
      break;
    case PumpOpKind::kCancel:
      queue_.erase(std::remove(queue_.begin(), queue_.end(), op.id), queue_.end());
      timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                                   [&op](const Timer& t) { return t.id == op.id; }),
                    timers_.end());
      break;
    case PumpOpKind::kPumpUntil:
      while (Pending(op.id)) {
        if (queue_.empty()) {
          FireEarliestTimer();  // the thread waits with nothing to do: time moves
        } else {
          DispatchFront();
        }
      }
      break;
    case PumpOpKind::kLoopUntilQuit:
      while (!queue_.empty()) DispatchFront();  // everything ahead of the quit
      break;
    case PumpOpKind::kBlockOnOwn:
      ended_ = true;
      break;
    case PumpOpKind::kBlockOnHelper:
      break;
  }
}

sim::Verdict PumpModel::FinalVerdict() const {
  if (ended_) return sim::Verdict::kDeadlock;
  return queue_.empty() && timers_.empty() ? sim::Verdict::kClean : sim::Verdict::kStall;
}

// ---- The system under test: the same ops on the kernel.

namespace {

using sim::Kernel;
using sim::Promise;
using sim::Task;
using sim::Thread;

struct PumpProgram {
  Kernel* k = nullptr;
  const std::vector<PumpOp>* ops = nullptr;
  Thread thread;
  Thread helper;
  std::vector<Promise<void>> ran;  // by id
  std::vector<uint64_t> message_ids;
  PumpRun* out = nullptr;
};

Task<> Record(PumpProgram& p, int id) {
  p.out->ran.push_back(id);
  p.ran[static_cast<size_t>(id)].Set();
  co_return;
}

Task<> Finish(Promise<void> done) {
  done.Set();
  co_return;
}

Task<> Perform(PumpProgram& p, const PumpOp& op) {
  Kernel& k = *p.k;
  PumpProgram* self = &p;
  switch (op.kind) {
    case PumpOpKind::kPost:
    case PumpOpKind::kPostDelayed: {
      const int id = static_cast<int>(p.ran.size());
      p.ran.push_back(k.MakePromise<void>("message"));
      auto handler = [self, id] { return Record(*self, id); };
      if (op.kind == PumpOpKind::kPost) {
        p.message_ids.push_back(co_await k.Post(p.thread, "message", std::move(handler)));
      } else {
        p.message_ids.push_back(
            k.PostDelayed(p.thread, op.delay_ticks, "message", std::move(handler)));
      }
      break;
    }
    case PumpOpKind::kCancel:
      k.Cancel(p.thread, p.message_ids[static_cast<size_t>(op.id)]);
      break;
    case PumpOpKind::kPumpUntil:
      co_await k.PumpUntil(p.ran[static_cast<size_t>(op.id)].future());
      break;
    case PumpOpKind::kLoopUntilQuit:
      co_await k.PostQuit(p.thread);
      co_await k.RunMessageLoop();
      break;
    case PumpOpKind::kBlockOnOwn:
      co_await k.BlockOn(p.ran[static_cast<size_t>(op.id)].future());
      break;
    case PumpOpKind::kBlockOnHelper: {
      Promise<void> done = k.MakePromise<void>("helper work");
      co_await k.Post(p.helper, "work", [done] { return Finish(done); });
      co_await k.BlockOn(done.future());
      break;
    }
  }
}

Task<> Pump(Kernel& k) { co_await k.RunMessageLoop(); }

Task<> Main(PumpProgram& p) {
  for (const PumpOp& op : *p.ops) co_await Perform(p, op);
}

}  // namespace

PumpRun RunPumpOps(const std::vector<PumpOp>& ops) {
  PumpRun run;
  Kernel kernel;
  sim::ByteStreamStrategy first_option({});  // one helper: the interleaving does not matter
  kernel.Reset(&first_option, /*traced=*/false);
  first_option.BeginExecution(0);
  PumpProgram& p = kernel.Make<PumpProgram>();
  p.k = &kernel;
  p.ops = &ops;
  p.out = &run;
  p.thread = kernel.Spawn("ui", Main(p), {.message_queue = true});
  p.helper = kernel.Spawn("helper", Pump(kernel), {.message_queue = true});
  run.verdict = kernel.Run().violation.kind;
  return run;
}

}  // namespace wvsim::props
