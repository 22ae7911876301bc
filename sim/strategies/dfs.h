// Bounded exhaustive search: a stateless depth-first walk of the decision tree, re-running the
// program from the start for every schedule, with a preemption bound (Musuvathi and Qadeer's
// iterative context bounding): a run may switch away from a thread that could have gone on at
// most `preemption_bound` times. Each schedule within the bound is visited exactly once; when
// the tree is exhausted BeginExecution returns false and the campaign ends.
//
// The program must be deterministic given the decisions (every wvsim scenario is); a run that
// offers a different number of options where the tree recorded another is clamped, not trusted.
#ifndef WVSIM_SIM_STRATEGIES_DFS_H_
#define WVSIM_SIM_STRATEGIES_DFS_H_

#include <vector>

#include "sim/strategy.h"

namespace wvsim::sim {

class DfsStrategy final : public Strategy {
 public:
  explicit DfsStrategy(uint32_t preemption_bound) : preemption_bound_(preemption_bound) {}

  std::string_view name() const override { return "dfs"; }
  bool BeginExecution(uint64_t index) override;
  uint32_t ChooseThread(const ThreadChoice& choice) override;
  uint32_t Choose(ChoiceKind kind, uint32_t count) override;

  bool exhausted() const { return exhausted_; }

 private:
  // One decision on the current path. Either every option is allowed, or (when the preemption
  // budget is spent) only the one that continues the running thread.
  struct Level {
    uint32_t chosen;
    uint32_t count;
    bool only_one;
  };
  uint32_t Decide(uint32_t count, bool only_one, uint32_t only);

  uint32_t preemption_bound_;
  std::vector<Level> path_;
  size_t position_ = 0;
  uint32_t preemptions_ = 0;
  bool exhausted_ = false;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_DFS_H_
