// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
// 2010). Each thread gets a random priority; the highest-priority enabled thread always runs; at
// d-1 steps chosen uniformly among the first k, the running thread drops below every initial
// priority. A bug of depth d among n threads and k steps is found with probability at least
// 1/(n·k^(d-1)) per run.
//
// k is not known before the first run: it starts at `steps_hint` and grows to the longest run
// seen. Threads created during a run get their random priority when first seen. Non-thread
// choices are uniform random.
#ifndef WVSIM_SIM_STRATEGIES_PCT_H_
#define WVSIM_SIM_STRATEGIES_PCT_H_

#include <vector>

#include "sim/prng.h"
#include "sim/strategy.h"

namespace wvsim::sim {

class PctStrategy final : public Strategy {
 public:
  PctStrategy(uint64_t seed, uint32_t depth, uint64_t steps_hint);

  std::string_view name() const override { return "pct"; }
  bool BeginExecution(uint64_t index) override;
  uint32_t ChooseThread(const ThreadChoice& choice) override;
  uint32_t Choose(ChoiceKind, uint32_t count) override {
    return count == 1 ? 0 : prng_.Below(count);
  }
  void EndExecution(uint64_t steps) override;

  // Priority changes made in the current run so far (at most depth - 1).
  uint32_t priority_changes() const { return changes_made_; }
  uint64_t steps_estimate() const { return steps_estimate_; }

 private:
  uint64_t PriorityOf(uint32_t thread);

  uint64_t seed_;
  uint32_t depth_;
  uint64_t steps_estimate_;
  Prng prng_;
  std::vector<uint64_t> priorities_;    // by thread id; 0 = not seen yet in this run
  std::vector<uint64_t> change_steps_;  // in draw order; the i-th lowers the runner to depth-1-i
  uint32_t changes_made_ = 0;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_PCT_H_
