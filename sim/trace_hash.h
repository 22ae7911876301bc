// The trace hash: 64-bit FNV-1a over the trace text. A fixed algorithm of our own, so that the
// same schedule gives the same hash with every compiler and standard library (std::hash and
// absl::Hash differ between them, and absl::Hash is seeded per process).
#ifndef WVSIM_SIM_TRACE_HASH_H_
#define WVSIM_SIM_TRACE_HASH_H_

#include <cstdint>
#include <string_view>

namespace wvsim::sim {

inline constexpr uint64_t kTraceHashBasis = 0xcbf29ce484222325ull;

// FNV-1a goes byte by byte, so HashTrace(b, HashTrace(a)) == HashTrace(a + b).
constexpr uint64_t HashTrace(std::string_view text, uint64_t hash = kTraceHashBasis) {
  for (unsigned char byte : text) {
    hash ^= byte;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_TRACE_HASH_H_
