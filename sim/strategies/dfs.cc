#include "sim/strategies/dfs.h"

#include <algorithm>

#include "sim/assert.h"

namespace wvsim::sim {

bool DfsStrategy::BeginExecution(uint64_t index) {
  position_ = 0;
  preemptions_ = 0;
  if (index == 0) {
    path_.clear();
    exhausted_ = false;
    return true;
  }
  // Backtrack: the deepest level with an untried option takes its next one; deeper levels go.
  while (!path_.empty()) {
    Level& level = path_.back();
    WVSIM_ASSERT(level.chosen < level.count);
    if (!level.only_one && level.chosen + 1 < level.count) {
      ++level.chosen;
      return true;
    }
    path_.pop_back();
  }
  exhausted_ = true;
  return false;
}

uint32_t DfsStrategy::Decide(uint32_t count, bool only_one, uint32_t only) {
  WVSIM_ASSERT(count >= 1);
  WVSIM_ASSERT(only < count);
  if (position_ < path_.size()) {
    Level& level = path_[position_++];
    WVSIM_ASSERT(level.chosen < level.count);
    return std::min(level.chosen, count - 1);
  }
  const uint32_t first = only_one ? only : 0;
  path_.push_back(Level{first, count, only_one});
  ++position_;
  return first;
}

uint32_t DfsStrategy::ChooseThread(const ThreadChoice& choice) {
  const auto count = static_cast<uint32_t>(choice.enabled.size());
  WVSIM_ASSERT_MSG(count >= 1, "a thread choice is never empty");
  uint32_t previous_index = 0;
  if (choice.previous_enabled) {
    previous_index = choice.enabled.index_of(choice.previous);
  }
  const bool budget_spent = choice.previous_enabled && preemptions_ >= preemption_bound_;
  const uint32_t chosen = Decide(count, budget_spent || count == 1, previous_index);
  if (choice.previous_enabled && chosen != previous_index) ++preemptions_;
  return chosen;
}

uint32_t DfsStrategy::Choose(ChoiceKind, uint32_t count) { return Decide(count, count == 1, 0); }

}  // namespace wvsim::sim
