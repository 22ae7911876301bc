// The interface every scheduling strategy implements (random, PCT, DFS, replay, byte stream,
// portfolio; one file each under sim/strategies/).
//
// The kernel asks its strategy at every decision: which enabled thread takes the next step, and
// any other nondeterministic choice (timer order, faults, model choices). Strategies see only the
// options, never the program, so any strategy drives any scenario. A strategy is used by one
// kernel at a time and is not thread-safe.
#ifndef WVSIM_SIM_STRATEGY_H_
#define WVSIM_SIM_STRATEGY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "sim/schedule.h"

namespace wvsim::sim {

// The options of one thread decision.
struct ThreadChoice {
  absl::Span<const uint32_t> enabled;  // ids of the enabled threads, ascending; never empty
  uint32_t previous = 0;               // the thread that ran the last step
  bool previous_enabled = false;       // choosing another thread now is a preemption
  uint64_t step = 0;                   // steps taken so far in this run
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
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGY_H_
