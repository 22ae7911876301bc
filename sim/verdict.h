// The verdicts a run can end with (docs/design.md, "End of a run and verdicts"), and the registry
// through which models add their own.
//
// The kernel decides `clean`, `deadlock`, `stall`, `assertion` and `exception` itself; those are
// the constants below. A runtime model registers the kinds its oracles report, once, by name, and
// reports them through Kernel::Fail like any other:
//
//   inline const sim::Verdict kReentrancy = sim::Verdict::Register("reentrancy");
//   kernel.Fail(kReentrancy, "ExecuteScript", "...");
//
// Names are what users see in `wvsim list`, JSON output and schedule files, so a registered name
// never changes once released. A kind's index is only meaningful inside one process (it depends
// on the order models register in): nothing persists it, and ordering compares names.
#ifndef WVSIM_SIM_VERDICT_H_
#define WVSIM_SIM_VERDICT_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace wvsim::sim {

class Verdict {
 public:
  static const Verdict kClean;
  static const Verdict kDeadlock;
  static const Verdict kStall;
  static const Verdict kAssertion;
  static const Verdict kException;

  // Most kinds a process can know: the kernel's five and up to 27 of the models'.
  static constexpr int kMaxKinds = 32;

  constexpr Verdict() = default;  // clean

  // The kind called `name` (lower snake case), registered now if it is new; registering a name
  // again returns the same kind. A malformed name or more than kMaxKinds kinds is a programming
  // error (asserted).
  static Verdict Register(std::string_view name);
  // The registered kind called `name`, or nullopt.
  static std::optional<Verdict> Find(std::string_view name);
  // Every registered kind, the kernel's first, then the models' in registration order.
  static std::vector<Verdict> All();

  // "clean", "deadlock", "reentrancy", ...
  const char* name() const;
  uint8_t index() const { return index_; }

  friend bool operator==(Verdict a, Verdict b) { return a.index_ == b.index_; }
  // By name, so that sets of verdicts iterate the same in every process.
  friend std::strong_ordering operator<=>(Verdict a, Verdict b);

 private:
  constexpr explicit Verdict(uint8_t index) : index_(index) {}
  uint8_t index_ = 0;
};

inline constexpr Verdict Verdict::kClean{0};
inline constexpr Verdict Verdict::kDeadlock{1};
inline constexpr Verdict Verdict::kStall{2};
inline constexpr Verdict Verdict::kAssertion{3};
inline constexpr Verdict Verdict::kException{4};

// The same as verdict.name() and Verdict::Find, for code written before the registry.
inline const char* VerdictName(Verdict verdict) { return verdict.name(); }
inline std::optional<Verdict> ParseVerdict(std::string_view name) { return Verdict::Find(name); }

// Prints the name, for test failure messages.
inline std::ostream& operator<<(std::ostream& os, Verdict verdict) { return os << verdict.name(); }

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
