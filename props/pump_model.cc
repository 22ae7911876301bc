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
  if (ended()) return false;
  switch (op.kind) {
    case PumpOpKind::kCancel:
    case PumpOpKind::kPumpUntil:
    case PumpOpKind::kBlockOnOwn:
      return Pending(op.id);
    default:
      return true;
  }
}

bool PumpModel::Dispatch(int id) {
  ran_.push_back(id);
  if (!modal_[static_cast<size_t>(id)]) return true;
  if (!RunLoopUntilQuit()) return false;  // the dialog never closes
  ran_.push_back(LeaveOf(id));
  return true;
}

bool PumpModel::RunLoopUntilQuit() {
  for (;;) {
    if (queue_.empty()) {
      if (timers_.empty()) return false;
      FireEarliestTimer();  // the thread waits with nothing to do: time moves
      continue;
    }
    const int front = queue_.front();
    queue_.pop_front();
    if (front == kQuit) return true;
    if (!Dispatch(front)) return false;
  }
}

bool PumpModel::PumpUntil(int id) {
  int quits_kept = 0;
  while (Pending(id)) {
    if (queue_.empty()) {
      FireEarliestTimer();  // Pending: it is due later
      continue;
    }
    const int front = queue_.front();
    queue_.pop_front();
    if (front == kQuit) {
      ++quits_kept;
      continue;
    }
    if (!Dispatch(front)) return false;
  }
  for (int i = 0; i < quits_kept; ++i) queue_.push_front(kQuit);
  return true;
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
    case PumpOpKind::kPostModal:
      modal_.push_back(op.kind == PumpOpKind::kPostModal);
      queue_.push_back(static_cast<int>(posted_++));
      break;
    case PumpOpKind::kPostDelayed:
      modal_.push_back(false);
      timers_.push_back({now_ticks_ + op.delay_ticks, static_cast<int>(posted_++)});
      break;
    case PumpOpKind::kPostQuit:
      queue_.push_back(kQuit);
      break;
    case PumpOpKind::kCancel:
      queue_.erase(std::remove(queue_.begin(), queue_.end(), op.id), queue_.end());
      timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                                   [&op](const Timer& t) { return t.id == op.id; }),
                    timers_.end());
      break;
    case PumpOpKind::kPumpUntil:
      idle_forever_ = !PumpUntil(op.id);
      break;
    case PumpOpKind::kLoopUntilQuit:
      queue_.push_back(kQuit);
      idle_forever_ = !RunLoopUntilQuit();
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

// A modal dialog's handler: a nested loop on the thread, inside this dispatch, until a quit.
Task<> RecordModal(PumpProgram& p, int id) {
  p.out->ran.push_back(id);
  p.ran[static_cast<size_t>(id)].Set();
  co_await p.k->RunMessageLoop();
  p.out->ran.push_back(LeaveOf(id));
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
    case PumpOpKind::kPostModal:
    case PumpOpKind::kPostDelayed: {
      const int id = static_cast<int>(p.ran.size());
      p.ran.push_back(k.MakePromise<void>("message"));
      const bool modal = op.kind == PumpOpKind::kPostModal;
      auto handler = [self, id, modal] {
        return modal ? RecordModal(*self, id) : Record(*self, id);
      };
      if (op.kind != PumpOpKind::kPostDelayed) {
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
    case PumpOpKind::kPostQuit:
      co_await k.PostQuit(p.thread);
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
