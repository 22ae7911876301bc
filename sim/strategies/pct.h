// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
// 2010). Each thread gets a random priority; the highest-priority enabled thread always runs; at
// d-1 steps chosen uniformly among the first k, the running thread drops below every initial
// priority. A bug of depth d among n threads and k steps is found with probability at least
// 1/(n·k^(d-1)) per run.
//
// k is the length of the longest run seen so far in the campaign (or `steps_hint`, when given
// and longer): the guarantee holds from the second run on, with k no larger than the program
// needs, so a short program is not searched as if it were long. The first run, with no run seen
// and no hint, makes no priority change. A PCT run therefore depends on the runs before it.
// Threads created during a run get their random priority when first seen. Non-thread choices
// are uniform random.
//
// Cost per step: the threads are kept ranked by priority (a small sorted array, at most 64
// entries), so a step reads the ranking from the top to the first enabled thread, and only a
// new thread or a priority change reorders it; no step compares every pair of threads.
#ifndef WVSIM_SIM_STRATEGIES_PCT_H_
#define WVSIM_SIM_STRATEGIES_PCT_H_

#include <array>
#include <vector>

#include "sim/prng.h"
#include "sim/strategy.h"

namespace wvsim::sim {

class PctStrategy final : public Strategy {
 public:
  // steps_hint: a first estimate of k; 0 for none (k comes from the runs alone).
  PctStrategy(uint64_t seed, uint32_t depth, uint64_t steps_hint = 0);

  std::string_view name() const override { return "pct"; }
  bool BeginExecution(uint64_t index) override;
  uint32_t ChooseThread(const ThreadChoice& choice) override;
  uint32_t Choose(ChoiceKind, uint32_t count) override {
    return count == 1 ? 0 : prng_.Below(count);
  }
  void EndExecution(uint64_t steps) override;

  // Priority changes made in the current run so far (at most depth - 1).
  uint32_t priority_changes() const { return changes_made_; }
  // k: 0 until a run ended (without a hint).
  uint64_t steps_estimate() const { return steps_estimate_; }

 private:
  struct Ranked {
    uint64_t priority;
    uint32_t thread;
  };
  // Gives the threads of `fresh` (a mask, in id order) their random priorities.
  void RankNewThreads(uint64_t fresh);
  void Place(Ranked entry);  // into ranking_, keeping it ordered
  void Lower(uint32_t thread, uint64_t priority);
  uint32_t HighestEnabled(uint64_t enabled) const;  // a thread id

  uint64_t seed_;
  uint32_t depth_;
  uint64_t steps_estimate_;
  Prng prng_;
  // Every thread seen in this run, highest priority first (ties: the lower id first).
  std::array<Ranked, 64> ranking_{};
  uint32_t ranked_ = 0;
  uint64_t seen_ = 0;                   // the threads in ranking_, as bits
  std::vector<uint64_t> change_steps_;  // in draw order; the i-th lowers the runner to depth-1-i
  uint32_t changes_made_ = 0;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_PCT_H_
