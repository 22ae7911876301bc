#include "sim/verdict.h"

#include <array>

namespace wvsim::sim {
namespace {

constexpr std::array<std::string_view, kVerdictCount> kNames = {
    "clean",        "deadlock",         "stall",         "assertion",
    "exception",    "reentrancy",       "deferral_leak", "deferral_double_complete",
    "wrong_thread", "serial_callbacks",
};

}  // namespace

const char* VerdictName(Verdict verdict) { return kNames[static_cast<int>(verdict)].data(); }

std::optional<Verdict> ParseVerdict(std::string_view name) {
  for (int i = 0; i < kVerdictCount; ++i) {
    if (kNames[i] == name) return static_cast<Verdict>(i);
  }
  return std::nullopt;
}

}  // namespace wvsim::sim
