// The message pump's reference model for the rc::state suite (pump_state_prop.cc): what one
// thread's queue does under post, delayed post, cancel, pumping waits, message loops that run
// until a quit (nested ones too, entered from inside a dispatched message and left at its quit)
// and blocking waits, written from docs/design.md's semantics and not from sim/:
//   - a queue is FIFO; a delayed message joins it when virtual time reaches its due time, and time
//     moves only when no thread can run (a thread that pumps an empty queue lets it move);
//   - messages due at the same instant join in the order they were posted;
//   - a quit is a message too: the innermost loop running when it reaches the front ends there,
//     so a loop that runs until quit dispatches exactly the messages queued before the first quit;
//   - a modal message's handler runs a nested loop (a modal dialog) until a quit; it leaves the
//     stack only then, and what it dispatches meanwhile runs inside it;
//   - a pumping wait keeps the quits it takes for the loops they belong to: once its message ran,
//     they go back to the front of the queue, in order (Win32's modal waits);
//   - a loop with nothing queued and nothing due waits forever: the thread does nothing more, and
//     an idle loop is no violation;
//   - a blocking wait on the thread's own queue can never end: `deadlock`;
//   - at the end, anything still queued (quits included) or due is work nobody will run: `stall`.
#ifndef WVSIM_PROPS_PUMP_MODEL_H_
#define WVSIM_PROPS_PUMP_MODEL_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/verdict.h"

namespace wvsim::props {

enum class PumpOpKind : uint8_t {
  kPost,           // post message `id` to the thread's own queue
  kPostDelayed,    // the same, `delay_ticks` later
  kCancel,         // take message `id` back (Handler.removeCallbacks)
  kPumpUntil,      // a pumping wait until message `id` has run
  kLoopUntilQuit,  // post a quit, then run a (nested) message loop until it arrives
  kBlockOnOwn,     // a blocking wait until message `id` has run: the pump stops
  kBlockOnHelper,  // a blocking wait for work on a helper thread that pumps
  kPostModal,      // post message `id`, whose handler runs a nested message loop until a quit
  kPostQuit,       // post a quit message (no id): it ends the innermost loop it reaches
};
inline constexpr int kPumpOpKindCount = 9;

// How `ran` records that modal message `id` left the stack (its entry is `id` itself).
inline constexpr int LeaveOf(int id) { return -id - 1; }

struct PumpOp {
  PumpOpKind kind = PumpOpKind::kPost;
  int id = 0;
  uint32_t delay_ticks = 0;
};

class PumpModel {
 public:
  // Applies `op`; the caller respects the preconditions (CanApply).
  void Apply(const PumpOp& op);
  bool CanApply(const PumpOp& op) const;

  int next_id() const { return static_cast<int>(posted_); }
  bool Pending(int id) const;  // posted, not run, not cancelled
  bool ended() const { return ended_ || idle_forever_; }
  // Message ids in the order they were dispatched, and LeaveOf(id) where a modal one returned.
  const std::vector<int>& ran() const { return ran_; }
  // The verdict of a run that performs the ops applied so far and then ends its thread.
  sim::Verdict FinalVerdict() const;

 private:
  struct Timer {
    uint64_t due_ticks;
    int id;  // ids grow with posting order: the tie-break
  };
  static constexpr int kQuit = -1;  // a quit message in queue_
  // Each returns false when the thread ends up idle forever in a loop inside (idle_forever_).
  bool Dispatch(int id);
  bool RunLoopUntilQuit();
  bool PumpUntil(int id);
  void FireEarliestTimer();

  std::deque<int> queue_;  // message ids and kQuit
  std::vector<Timer> timers_;
  std::vector<bool> modal_;  // by id
  std::vector<int> ran_;
  uint64_t now_ticks_ = 0;
  uint32_t posted_ = 0;
  bool ended_ = false;         // in a blocking wait that never ends
  bool idle_forever_ = false;  // in a loop with nothing queued or due
};

// Runs `ops` on the kernel: one thread with a queue performs them in order, and a helper thread
// pumps. Returns the ids in the order they ran (with LeaveOf entries) and the run's verdict.
struct PumpRun {
  std::vector<int> ran;
  sim::Verdict verdict = sim::Verdict::kClean;
};
PumpRun RunPumpOps(const std::vector<PumpOp>& ops);

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_PUMP_MODEL_H_
