// The fuzzer's strategy: each decision reads the next bytes of the input and reduces them modulo
// the number of options (one byte for up to 256 options, two up to 65,536, else four); a decision
// with one option reads nothing. When the bytes run out every further decision takes option 0,
// so any input, even an empty one, is a complete schedule.
#ifndef WVSIM_SIM_STRATEGIES_BYTE_STREAM_H_
#define WVSIM_SIM_STRATEGIES_BYTE_STREAM_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "sim/assert.h"
#include "sim/strategy.h"

namespace wvsim::sim {

class ByteStreamStrategy final : public Strategy {
 public:
  explicit ByteStreamStrategy(absl::Span<const uint8_t> bytes)
      : bytes_(bytes.begin(), bytes.end()) {}

  // Reads `bytes` from now on, from the first; keeps the buffer, so that a fuzz target that
  // reuses one strategy for every input allocates nothing per input.
  void Reset(absl::Span<const uint8_t> bytes) {
    bytes_.assign(bytes.begin(), bytes.end());
    position_ = 0;
  }

  std::string_view name() const override { return "bytes"; }
  bool BeginExecution(uint64_t index) override {
    position_ = 0;
    return index == 0;
  }
  uint32_t ChooseThread(const ThreadChoice& choice) override {
    return Take(static_cast<uint32_t>(choice.enabled.size()));
  }
  uint32_t Choose(ChoiceKind, uint32_t count) override { return Take(count); }

  size_t bytes_used() const { return position_; }

 private:
  uint32_t Take(uint32_t count) {
    WVSIM_ASSERT(count >= 1);
    if (count <= 1) return 0;
    const size_t width = count <= 0x100 ? 1 : count <= 0x10000 ? 2 : 4;
    uint32_t value = 0;
    for (size_t i = 0; i < width; ++i) {
      if (position_ >= bytes_.size()) return 0;
      value = (value << 8) | bytes_[position_++];
    }
    return value % count;
  }

  std::vector<uint8_t> bytes_;
  size_t position_ = 0;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_BYTE_STREAM_H_
