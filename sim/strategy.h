// The interface every scheduling strategy implements (random, PCT, DFS and its iterative forms,
// DPOR, replay, byte stream, portfolio; one file each under sim/strategies/).
//
// The kernel asks its strategy at every decision: which enabled thread takes the next step, and
// any other nondeterministic choice (timer order, faults, model choices). Strategies see only the
// options, never the program, so any strategy drives any scenario. A strategy is used by one
// kernel at a time and is not thread-safe.
#ifndef WVSIM_SIM_STRATEGY_H_
#define WVSIM_SIM_STRATEGY_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/assert.h"
#include "sim/object.h"
#include "sim/prng.h"
#include "sim/schedule.h"

namespace wvsim::sim {

// Set bits in `mask`. The baseline x86-64 target has no popcount instruction and std::popcount
// becomes a library call there; thread sets are small, so clearing the lowest bit is cheaper.
inline uint32_t CountThreads(uint64_t mask) {
  uint32_t count = 0;
  for (; mask != 0; mask &= mask - 1) ++count;
  return count;
}

// The ids of the enabled threads, ascending, as a read-only sequence over a bit mask (the kernel
// keeps one bit per thread, so a step never builds a list it may not need).
class EnabledThreads {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = uint32_t;
    using difference_type = std::ptrdiff_t;
    using pointer = const uint32_t*;
    using reference = uint32_t;

    iterator() = default;
    explicit iterator(uint64_t rest) : rest_(rest) {}
    uint32_t operator*() const { return static_cast<uint32_t>(std::countr_zero(rest_)); }
    iterator& operator++() {
      rest_ &= rest_ - 1;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator&) const = default;
    // Positions between two iterators of one sequence (`it - begin()` is an index).
    friend difference_type operator-(const iterator& later, const iterator& earlier) {
      return static_cast<difference_type>(CountThreads(earlier.rest_)) -
             static_cast<difference_type>(CountThreads(later.rest_));
    }

   private:
    uint64_t rest_ = 0;
  };

  explicit EnabledThreads(uint64_t mask = 0) : mask_(mask), size_(CountThreads(mask)) {}
  // The set of the given thread ids (each below 64), for tests and strategies' own use.
  static EnabledThreads Of(std::initializer_list<uint32_t> threads) {
    uint64_t mask = 0;
    for (uint32_t thread : threads) {
      WVSIM_ASSERT(thread < 64);
      mask |= uint64_t{1} << thread;
    }
    return EnabledThreads(mask);
  }
  size_t size() const { return size_; }
  bool empty() const { return mask_ == 0; }
  bool contains(uint32_t thread) const { return thread < 64 && ((mask_ >> thread) & 1) != 0; }
  // The id of the index-th enabled thread; index < size().
  uint32_t operator[](size_t index) const {
    WVSIM_ASSERT(index < size_);
    uint64_t rest = mask_;
    for (; index > 0; --index) rest &= rest - 1;
    return static_cast<uint32_t>(std::countr_zero(rest));
  }
  // The position of enabled thread `thread` in the sequence.
  uint32_t index_of(uint32_t thread) const {
    WVSIM_ASSERT_MSG(contains(thread), "index_of a thread that is not enabled");
    return CountThreads(mask_ & ((uint64_t{1} << thread) - 1));
  }
  iterator begin() const { return iterator(mask_); }
  iterator end() const { return iterator(0); }
  uint64_t mask() const { return mask_; }

 private:
  uint64_t mask_;
  uint32_t size_;
};

// The options of one thread decision.
struct ThreadChoice {
  EnabledThreads enabled;         // never empty
  uint32_t previous = 0;          // the thread that ran the last step
  bool previous_enabled = false;  // choosing another thread now is a preemption
  uint64_t step = 0;              // steps taken so far in this run
};

// How a step touches an object, for a partial-order reduction's dependency relation: two steps
// of different threads are independent when every pair of their accesses is, that is when they
// touch different objects or both only read; a global access depends on everything.
enum class AccessKind : uint8_t {
  kRead,
  kWrite,
  kGlobal,      // touches state no object names (virtual time, a model's runtime)
  kTimerFired,  // marks a timer that fired between two steps (its accesses follow it)
};
struct Access {
  const Object* object;  // compared by identity only, never ordered; null for kGlobal/kTimerFired
  AccessKind kind;
};

// What the kernel shows a strategy that reduces by partial order (Strategy::ObservesOperations):
// the operation each thread is about to perform, and what steps did that their operations do not
// name (Kernel::NoteAccess). Valid for one run, from Strategy::AttachView to EndExecution.
class SchedulingView {
 public:
  virtual uint32_t ThreadCount() const = 0;
  // The operation thread `thread` (< ThreadCount) stopped at; meaningless once it finished.
  virtual Op PendingOp(uint32_t thread) const = 0;
  virtual bool Finished(uint32_t thread) const = 0;
  // A key for `object` that is the same in every run of one program (pointers are not): a thread
  // and its message queue by the thread's id, an object made with Kernel::Make by the order it
  // was made in. 0 for null or an object the kernel cannot name so (treat it as global).
  virtual uint64_t ObjectKey(const Object* object) const = 0;
  // The key of thread `thread` itself: what its first step and a join of it touch.
  virtual uint64_t ThreadKey(uint32_t thread) const = 0;
  // Whether the thread that takes the next step is inside an AtomicSection (it goes on alone).
  virtual bool InAtomicSection() const = 0;
  // Whether a runtime model takes part in this run (Kernel::NoteModelAttached): its code touches
  // state between scheduling points that no operation names, so every step counts as dependent.
  virtual bool ModelAttached() const = 0;
  // Every access noted in this run so far, in order (steps' extra accesses, fired timers).
  virtual const std::vector<Access>& Accesses() const = 0;

 protected:
  ~SchedulingView() = default;
};

class Strategy {
 public:
  virtual ~Strategy() = default;

  // "random", "pct", ...: the name written in schedule files.
  virtual std::string_view name() const = 0;

  // Prepares the index-th run of a campaign. False when the strategy has nothing left to try
  // (an exhausted DFS, a replay already done), which ends the campaign.
  virtual bool BeginExecution(uint64_t index) = 0;

  // Returns an index into choice.enabled.
  virtual uint32_t ChooseThread(const ThreadChoice& choice) = 0;

  // A strategy whose every thread choice is `prng.Below(choice.enabled.size())` may return that
  // Prng here. In an untraced run the kernel then draws the thread choices from it itself, inline,
  // instead of calling ChooseThread at every step (the hottest call of a campaign); the answers
  // are the same, and Choose still goes to the strategy. Asked at the start of a run, after
  // BeginExecution. Null (the default) for every other strategy.
  virtual Prng* UniformThreadChoices() { return nullptr; }

  // Returns a value in [0, count) for any other decision; count >= 1.
  virtual uint32_t Choose(ChoiceKind kind, uint32_t count) = 0;

  // Sees each decision as the kernel recorded it (with its label when traced). Returns false when
  // the decision contradicts what the strategy expected, which ends the run as diverged; only
  // replay checks anything.
  virtual bool Observe(uint64_t decision_index, const Decision& decision) {
    (void)decision_index;
    (void)decision;
    return true;
  }

  // Why the run diverged, after Observe returned false or the run ended early.
  virtual std::string Divergence() const { return {}; }

  // Called when a run ended; `steps` is how many thread steps it took.
  virtual void EndExecution(uint64_t steps) { (void)steps; }

  // Whether a campaign may give this strategy only every N-th run index (--shard): false for a
  // walk of one tree (dfs, ipb, idb), whose runs depend on every run before them.
  virtual bool CanShard() const { return true; }

  // True when the run BeginExecution prepared repeats a schedule an earlier run of the campaign
  // already took (an iterative bound passing through its lower bounds to reach new schedules):
  // its outcome is known, and the explorer neither counts nor judges it again.
  virtual bool Revisiting() const { return false; }

  // Whether the kernel should note each step's accesses and show this strategy a SchedulingView
  // (dpor); false for every other strategy, whose runs then record nothing of the kind.
  virtual bool ObservesOperations() const { return false; }
  // Called at the start of a run when ObservesOperations() holds.
  virtual void AttachView(const SchedulingView* view) { (void)view; }
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGY_H_
