// Dynamic partial-order reduction (`--strategy dpor`): an exhaustive search that runs one schedule
// per equivalence class of schedules that differ only in the order of independent steps, and so
// proves a small program free of violations with far fewer runs than a plain depth-first walk.
//
// The search is stateless, as dfs is: every run re-executes the program from the start along a
// path of decisions kept between runs. What is new is which alternatives a decision gets:
//
// - Dependency. Each step is an event: the operation its thread stopped at (verb and object, from
//   the kernel's SchedulingView) plus what the step touched that the operation does not name
//   (Kernel::NoteAccess: a message queued, a future completed, a thread spawned or finished, a
//   mutex a condition variable's wait released, virtual time). Two events of different threads
//   are dependent when they touch one object and not both only read, or when either touches
//   global state (a timer, a sleep, an operation on an object the kernel cannot name, any step of
//   a run in which a runtime model takes part). Unsure means dependent: soundness first
//   (dpor_events.h, private to the strategy).
// - Backtracking (Flanagan and Godefroid, "Dynamic partial-order reduction for model checking
//   software", POPL 2005), with races analysed over the whole run once it ended, as source-DPOR
//   does (Abdulla, Aronis, Jonsson and Sagonas, "Optimal dynamic partial order reduction", POPL
//   2014), with their source-set test: after a run, for every thread's next event and every
//   earlier event of another thread it depends on and that does not happen before it (vector
//   clocks over the dependency), nothing is added when the backtrack set of the state before
//   that event already holds an initial of the reversed order (a thread whose first step among
//   the events after it that do not happen after it, then the racing step, follows none of
//   them); otherwise the thread is added there, when it could run there (where source-DPOR
//   would pick any initial), and when it could not (it did not exist, or stood at another
//   operation and was blocked) every thread enabled there. Under a preemption bound (below) the
//   source-set test is off: BPOR builds on Flanagan and Godefroid's rule. An event that the
//   waiting thread could not precede because the thread was blocked at this very operation there
//   (an unlock before the lock that waits for it) is passed over for the earlier events, as
//   Flanagan and Godefroid's co-enabledness does.
// - Sleep sets (Godefroid, "Partial-Order Methods for the Verification of Concurrent Systems",
//   1996): a thread whose subtree was explored from a state sleeps in the states below until an
//   event dependent on its next one runs; a run that reaches a state whose enabled threads all
//   sleep is redundant and goes on without adding alternatives.
//
// Decisions that are not thread choices (timer order, faults, model values) are branching points
// whose every option is explored, as dfs does; an event's accesses are the union over the
// options taken below it. A thread inside an AtomicSection makes one event of the section.
//
// With a preemption bound b (`--depth b`; Coons, Musuvathi and McKinley, "Bounded partial-order
// reduction", OOPSLA 2013): a run may switch away from a thread that could have gone on at most b
// times, counted as dfs counts them, and a backtrack alternative that would exceed the bound is
// not taken. Pruning alone is unsound: the bound makes independent steps dependent (a thread
// that could run before the racing step only by preempting the one that ran it may run at the
// start of that thread's block for free). So, as their BPOR does, each race also adds the racing
// thread (or every enabled thread, when it could not run there) at the last context switch at or
// before the earlier step: the state where the block containing it began. Sleep sets are off
// under a bound: a sleeping thread's subtree was explored along another path whose preemptions
// differ, so the bound may have cut off there what it allows here. The result covers every
// result (verdict and state) a preemption-bounded dfs with the same bound reaches; a property
// checks it on generated programs (props/dpor_soundness_prop.cc).
//
// The program must be deterministic given the decisions (every wvsim scenario is). The walk is
// one tree: it cannot be split into shards (CanShard() is false). BeginExecution returns false
// when every backtrack set is exhausted: the search verified the program.
#ifndef WVSIM_SIM_STRATEGIES_DPOR_H_
#define WVSIM_SIM_STRATEGIES_DPOR_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "sim/strategy.h"

namespace wvsim::sim {

class DporStrategy final : public Strategy {
 public:
  // Unbounded, or with a preemption bound (see above).
  explicit DporStrategy(std::optional<uint32_t> preemption_bound = std::nullopt);
  ~DporStrategy() override;
  DporStrategy(const DporStrategy&) = delete;
  DporStrategy& operator=(const DporStrategy&) = delete;

  std::string_view name() const override { return "dpor"; }
  bool BeginExecution(uint64_t index) override;
  uint32_t ChooseThread(const ThreadChoice& choice) override;
  uint32_t Choose(ChoiceKind kind, uint32_t count) override;
  void EndExecution(uint64_t steps) override;
  bool CanShard() const override { return false; }
  bool ObservesOperations() const override { return true; }
  void AttachView(const SchedulingView* view) override;

  bool exhausted() const;
  // Runs that reached a state whose enabled threads all slept (redundant, but run to the end).
  uint64_t sleep_blocked_runs() const;
  // Whether the preemption bound kept an alternative from running (always false unbounded).
  bool bound_cut() const;

  // The search's state and machinery (dpor_search.h, private to the strategy): an opaque handle,
  // so that this header names none of the events and paths it keeps between runs.
  struct Search;

 private:
  std::unique_ptr<Search> search_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_DPOR_H_
