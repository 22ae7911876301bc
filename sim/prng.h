// The project's one source of randomness: xoshiro256** seeded through splitmix64.
//
// Everything random in a run (a strategy's choices, PCT's priorities, seeds of later runs) is
// drawn from a Prng that was derived from the user's seed, so that a seed reproduces a run on
// every compiler and standard library. The range reduction is our own integer-only code: the
// standard distributions may differ between library versions (docs/design.md, Determinism rules).
//
//   Prng prng(Prng::Derive(seed, execution_index));
//   uint32_t pick = prng.Below(3);  // 0, 1 or 2
//
// Not thread-safe; each run owns its Prng.
#ifndef WVSIM_SIM_PRNG_H_
#define WVSIM_SIM_PRNG_H_

#include <bit>
#include <cstdint>

#include "sim/assert.h"
namespace wvsim::sim {

class Prng {
 public:
  explicit Prng(uint64_t seed = 0) { Reseed(seed); }

  void Reseed(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& word : state_) word = SplitMix(x);
    spare_bits_ = 0;
    spare_count_ = 0;
  }

  // A 64-bit seed for the index-th run of a campaign that started from `seed`.
  static uint64_t Derive(uint64_t seed, uint64_t index) {
    uint64_t x = seed ^ (index * 0xD1B54A32D192ED03ull);
    SplitMix(x);
    return SplitMix(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound), bound >= 1. A power of two takes bits from a buffered draw (a scheduler
  // mostly chooses between two threads, and this is its hottest call); any other bound uses
  // Lemire's multiply-shift with rejection, so there is no modulo bias either way.
  uint32_t Below(uint32_t bound) {
    WVSIM_ASSERT_MSG(bound >= 1, "Below(0) has no value to return");
    if ((bound & (bound - 1)) == 0) return BelowPowerOfTwo(bound);
    return BelowByMultiply(bound);
  }

 private:
  // log2(bound) bits of a buffered draw, for a power of two `bound`. A bound of 1 takes no bits
  // and never refills: its mask is 0.
  uint32_t BelowPowerOfTwo(uint32_t bound) {
    const auto bits = static_cast<uint32_t>(std::countr_zero(bound));
    if (spare_count_ < bits) {
      spare_bits_ = Next();
      spare_count_ = 64;
    }
    const auto value = static_cast<uint32_t>(spare_bits_) & (bound - 1);
    spare_bits_ >>= bits;
    spare_count_ -= bits;
    return value;
  }

  uint32_t BelowByMultiply(uint32_t bound) {
    uint64_t product = static_cast<uint64_t>(static_cast<uint32_t>(Next() >> 32)) * bound;
    uint32_t low = static_cast<uint32_t>(product);
    if (low < bound) {
      const uint32_t threshold = static_cast<uint32_t>(-bound) % bound;
      while (low < threshold) {
        product = static_cast<uint64_t>(static_cast<uint32_t>(Next() >> 32)) * bound;
        low = static_cast<uint32_t>(product);
      }
    }
    return static_cast<uint32_t>(product >> 32);
  }

  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  uint64_t state_[4];
  uint64_t spare_bits_ = 0;  // unused bits of the last draw, for power-of-two bounds
  uint32_t spare_count_ = 0;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_PRNG_H_
