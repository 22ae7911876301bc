// Replays a recorded schedule. Strict mode checks every decision against the recording (kind,
// number of options, and the chosen option's label) and stops at the first difference; lenient
// mode follows the recorded choices by position only, for hand-edited files, and once the
// recording runs out takes option 0 at every further decision (as the byte stream does).
#ifndef WVSIM_SIM_STRATEGIES_REPLAY_H_
#define WVSIM_SIM_STRATEGIES_REPLAY_H_

#include <string>
#include <vector>

#include "sim/strategy.h"

namespace wvsim::sim {

class ReplayStrategy final : public Strategy {
 public:
  ReplayStrategy(std::vector<Decision> recorded, bool lenient)
      : recorded_(std::move(recorded)), lenient_(lenient) {}

  std::string_view name() const override { return "replay"; }
  bool BeginExecution(uint64_t index) override;
  uint32_t ChooseThread(const ThreadChoice& choice) override {
    return Next(static_cast<uint32_t>(choice.enabled.size()));
  }
  uint32_t Choose(ChoiceKind, uint32_t count) override { return Next(count); }
  bool Observe(uint64_t decision_index, const Decision& decision) override;
  std::string Divergence() const override { return divergence_; }
  void EndExecution(uint64_t steps) override;

 private:
  uint32_t Next(uint32_t count);

  std::vector<Decision> recorded_;
  bool lenient_;
  size_t position_ = 0;
  std::string divergence_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_REPLAY_H_
