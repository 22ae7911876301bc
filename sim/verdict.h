// The verdicts a run can end with (design.md, "End of a run and verdicts").
//
// The kernel itself decides `deadlock`, `stall`, `assertion` and `exception`; the runtime models
// report the WebView-specific kinds through Kernel::Fail. The names are the strings users see in
// `wvsim list`, JSON output and schedule files, so they never change once released.
#ifndef WVSIM_SIM_VERDICT_H_
#define WVSIM_SIM_VERDICT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace wvsim::sim {

enum class Verdict : uint8_t {
  kClean,
  kDeadlock,
  kStall,
  kAssertion,
  kException,
  kReentrancy,
  kDeferralLeak,
  kDeferralDoubleComplete,
  kWrongThread,
  kSerialCallbacks,
};

inline constexpr int kVerdictCount = 10;

// "clean", "deadlock", "deferral_leak", ...
const char* VerdictName(Verdict verdict);

// Prints VerdictName, for test failure messages.
inline std::ostream& operator<<(std::ostream& os, Verdict verdict) {
  return os << VerdictName(verdict);
}

// The inverse of VerdictName; nullopt for an unknown name.
std::optional<Verdict> ParseVerdict(std::string_view name);

// A violation as the harness reports it: its kind, where it happened (a short stable key used to
// tell distinct violations apart, such as "mutex b" or "ExecuteScript"), and a report a person
// can act on.
struct Violation {
  Verdict kind = Verdict::kClean;
  std::string place;
  std::string report;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_VERDICT_H_
