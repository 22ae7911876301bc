#include "sim/strategies/replay.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wvsim::sim {

namespace {

std::string Show(const Decision& decision) {
  std::string text =
      absl::StrFormat("%s %d/%d", ChoiceKindName(decision.kind), decision.chosen, decision.count);
  if (!decision.label.empty()) absl::StrAppend(&text, " ", decision.label);
  return text;
}

}  // namespace

bool ReplayStrategy::BeginExecution(uint64_t index) {
  position_ = 0;
  divergence_.clear();
  return index == 0;  // a recording is one run
}

uint32_t ReplayStrategy::Next(uint32_t count) {
  if (position_ >= recorded_.size()) return 0;  // Observe reports the overrun
  const uint32_t chosen = recorded_[position_++].chosen;
  return chosen < count ? chosen : 0;
}

bool ReplayStrategy::Observe(uint64_t index, const Decision& actual) {
  if (!divergence_.empty()) return false;
  if (index >= recorded_.size()) {
    if (lenient_) return true;  // past a hand-shortened file: every further choice is option 0
    divergence_ = absl::StrFormat(
        "decision %d: the run goes on (%s) but the recording ends after %d decisions", index,
        Show(actual), recorded_.size());
    return false;
  }
  const Decision& expected = recorded_[index];
  const bool in_range = expected.chosen < actual.count;
  const bool same = lenient_ ? in_range
                             : expected.kind == actual.kind && expected.count == actual.count &&
                                   (expected.label.empty() || expected.label == actual.label);
  if (same) return true;
  divergence_ = absl::StrFormat("decision %d differs: recorded '%s', the run offered '%s'", index,
                                Show(expected), Show(actual));
  return false;
}

void ReplayStrategy::EndExecution(uint64_t) {
  if (divergence_.empty() && position_ < recorded_.size() && !lenient_) {
    divergence_ = absl::StrFormat(
        "decision %d: the run ended, but the recording has %d decisions (next: '%s')", position_,
        recorded_.size(), Show(recorded_[position_]));
  }
}

}  // namespace wvsim::sim
