#include "sim/strategies/dfs.h"

#include <algorithm>
#include <bit>

#include "sim/assert.h"

namespace wvsim::sim {

namespace {

// The default option of a thread decision: the thread that ran the last step when it can go on,
// else the next enabled thread after it by id, wrapping around (the lowest at the first step).
uint32_t DefaultThreadIndex(const ThreadChoice& choice) {
  if (choice.previous_enabled) return choice.enabled.index_of(choice.previous);
  const uint64_t mask = choice.enabled.mask();
  const uint64_t after = choice.previous >= 63 ? 0 : mask & (~uint64_t{0} << (choice.previous + 1));
  return choice.enabled.index_of(
      static_cast<uint32_t>(std::countr_zero(after != 0 ? after : mask)));
}

}  // namespace

DfsStrategy::DfsStrategy(Options options)
    : options_(options), bound_now_(options.iterative ? 0 : options.bound) {
  WVSIM_ASSERT_MSG(options.iterative || options.budget == Budget::kPreemptions,
                   "delay bounding is iterative (idb)");
}

std::string_view DfsStrategy::name() const {
  if (!options_.iterative) return "dfs";
  return options_.budget == Budget::kPreemptions ? "ipb" : "idb";
}

uint64_t DfsStrategy::Cost(const Level& level, uint32_t ordinal) const {
  if (!level.costs || ordinal == 0) return 0;
  if (options_.budget == Budget::kDelays) return ordinal;  // each thread skipped is a delay
  return level.previous_enabled ? 1 : 0;
}

uint32_t DfsStrategy::Limit(const Level& level) const {
  const uint32_t last = level.count - 1;
  if (!level.costs) return last;
  const uint64_t left = bound_now_ > spent_ ? bound_now_ - spent_ : 0;
  if (options_.budget == Budget::kDelays)
    return static_cast<uint32_t>(std::min<uint64_t>(last, left));
  return (level.previous_enabled && left == 0) ? 0 : last;
}

uint64_t DfsStrategy::PathCost() const {
  uint64_t cost = 0;
  for (const Level& level : path_) cost += Cost(level, level.ordinal);
  return cost;
}

bool DfsStrategy::BeginExecution(uint64_t index) {
  position_ = 0;
  spent_ = 0;
  revisiting_ = false;
  if (index == 0) {
    path_.clear();
    exhausted_ = false;
    pruned_ = false;
    bound_now_ = options_.iterative ? 0 : options_.bound;
    return true;
  }
  if (exhausted_) return false;
  // Backtrack: the deepest level with an untried option takes its next one; deeper levels go.
  while (!path_.empty()) {
    Level& level = path_.back();
    WVSIM_ASSERT(level.ordinal <= level.limit && level.limit < level.count);
    if (level.ordinal < level.limit) {
      ++level.ordinal;
      // Below the new option every level takes its default, which costs nothing: the run spends
      // what its path spends, and one that spends less than the bound ran at a lower bound.
      revisiting_ = options_.iterative && PathCost() < bound_now_;
      return true;
    }
    path_.pop_back();
  }
  // This bound is exhausted. The next one adds schedules only if this one cut some off.
  if (options_.iterative && pruned_ && bound_now_ < options_.bound) {
    ++bound_now_;
    pruned_ = false;
    revisiting_ = true;  // the all-default schedule costs nothing
    return true;
  }
  exhausted_ = true;
  return false;
}

uint32_t DfsStrategy::Decide(uint32_t count, uint32_t first, bool costs, bool previous_enabled) {
  WVSIM_ASSERT(count >= 1);
  WVSIM_ASSERT(first < count);
  if (position_ < path_.size()) {
    const Level& level = path_[position_++];
    WVSIM_ASSERT(level.ordinal <= level.limit);
    const uint32_t ordinal = std::min(level.ordinal, count - 1);
    spent_ += Cost(level, ordinal);
    return (first + ordinal) % count;
  }
  Level level{0, count, first, 0, costs, previous_enabled};
  level.limit = Limit(level);
  if (level.limit + 1 < count) pruned_ = true;
  path_.push_back(level);
  ++position_;
  return first;
}

uint32_t DfsStrategy::ChooseThread(const ThreadChoice& choice) {
  const auto count = static_cast<uint32_t>(choice.enabled.size());
  WVSIM_ASSERT_MSG(count >= 1, "a thread choice is never empty");
  return Decide(count, DefaultThreadIndex(choice), /*costs=*/true, choice.previous_enabled);
}

uint32_t DfsStrategy::Choose(ChoiceKind, uint32_t count) {
  return Decide(count, 0, /*costs=*/false, /*previous_enabled=*/false);
}

}  // namespace wvsim::sim
