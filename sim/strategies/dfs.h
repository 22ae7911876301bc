// Bounded exhaustive search: a stateless depth-first walk of the decision tree, re-running the
// program from the start for every schedule, under a budget that each schedule may spend:
//
// - `dfs`: a preemption bound (Musuvathi and Qadeer, "Iterative context bounding for systematic
//   testing of multithreaded programs", PLDI 2007): a run may switch away from a thread that
//   could have gone on at most `bound` times.
// - `ipb`: iterative preemption bounding, the same walk at bound 0, then 1, then 2, ..., each
//   bound exhausted before the next, up to `bound`.
// - `idb`: iterative delay bounding (Emmi, Qadeer and Rakamaric, "Delay-bounded scheduling",
//   POPL 2011): the default scheduler is a deterministic round robin (the running thread goes on
//   until it blocks or ends, then the next enabled thread after it by id, wrapping around); a
//   delay skips the thread it would run for the next one, and a schedule may make at most
//   `bound` delays in all; bound 0, then 1, ... as for ipb.
//
// At each thread decision the options are tried in round-robin order from the default one (the
// thread that ran the last step when it can go on), so the schedules that spend nothing come
// first and shallow bugs early. Other choices (timers, faults, values) cost nothing and are all
// tried, in order. Each schedule within the bound is visited exactly once per bound.
//
// An iterative walk at bound b must pass through schedules it already ran at lower bounds to
// reach the new ones below them (the walk keeps no tree between runs): those runs are flagged
// Revisiting(), and the explorer neither counts nor judges them again. A bound that cut nothing
// off proves the tree complete and ends the walk before the cap. When the tree is exhausted
// BeginExecution returns false and the campaign ends; index 0 starts over.
//
// The program must be deterministic given the decisions (every wvsim scenario is); a run that
// offers a different number of options where the tree recorded another is clamped, not trusted.
// The walk is one tree: it cannot be split into shards (CanShard() is false).
#ifndef WVSIM_SIM_STRATEGIES_DFS_H_
#define WVSIM_SIM_STRATEGIES_DFS_H_

#include <vector>

#include "sim/strategy.h"

namespace wvsim::sim {

class DfsStrategy final : public Strategy {
 public:
  // What a schedule spends its budget on.
  enum class Budget { kPreemptions, kDelays };
  struct Options {
    Budget budget = Budget::kPreemptions;
    uint32_t bound = 2;      // the most a schedule may spend (the cap, when iterative)
    bool iterative = false;  // bound 0 first, then 1, ... up to `bound`
  };

  // Plain `dfs` with a preemption bound.
  explicit DfsStrategy(uint32_t preemption_bound)
      : DfsStrategy(Options{.bound = preemption_bound}) {}
  explicit DfsStrategy(Options options);

  std::string_view name() const override;
  bool BeginExecution(uint64_t index) override;
  uint32_t ChooseThread(const ThreadChoice& choice) override;
  uint32_t Choose(ChoiceKind kind, uint32_t count) override;
  bool CanShard() const override { return false; }
  bool Revisiting() const override { return revisiting_; }

  bool exhausted() const { return exhausted_; }
  // The bound the walk is at now (the fixed bound for plain dfs).
  uint32_t current_bound() const { return bound_now_; }

 private:
  // One decision on the current path. Options are tried by ordinal: ordinal 0 is option `first`,
  // ordinal j is option (first + j) mod count; `limit` is the largest ordinal the budget allows.
  struct Level {
    uint32_t ordinal;
    uint32_t count;
    uint32_t first;
    uint32_t limit;
    bool costs;             // a thread decision (spends budget) rather than a free choice
    bool previous_enabled;  // at a thread decision: leaving the last thread is a preemption
  };
  uint32_t Decide(uint32_t count, uint32_t first, bool costs, bool previous_enabled);
  uint64_t Cost(const Level& level, uint32_t ordinal) const;
  uint32_t Limit(const Level& level) const;
  uint64_t PathCost() const;

  Options options_;
  uint32_t bound_now_;
  std::vector<Level> path_;
  size_t position_ = 0;
  uint64_t spent_ = 0;   // budget spent so far in this run
  bool pruned_ = false;  // the current bound cut off an option somewhere
  bool revisiting_ = false;
  bool exhausted_ = false;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_DFS_H_
