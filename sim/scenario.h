// Scenarios: registered app programs that wvsim explores.
//
// A scenario has an id (`<runtime>.<snake_case_name>`), a one-line description, the verdicts it is
// expected to end with (`clean` alone for a correct program), its parameters with their defaults
// (every scenario has `fault_budget`, default 0), and a setup function that spawns its threads on
// a fresh Kernel. The registry is public: the models register theirs, and users register their own
// the same way, from any binary:
//
//   WVSIM_REGISTER_SCENARIO(my_app_login_race) {
//     return Scenario{
//         .id = "myapp.login_race",
//         .description = "two logins race for the session cookie",
//         .expected = {Verdict::kClean},
//         .setup = [](Kernel& k) { k.Spawn("ui", LoginFlow(k), {.message_queue = true}); },
//     };
//   }
//
// The registry is filled before main() runs or by explicit calls, and read-only afterwards.
#ifndef WVSIM_SIM_SCENARIO_H_
#define WVSIM_SIM_SCENARIO_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/kernel.h"
#include "sim/verdict.h"

namespace wvsim::sim {

// A parameter: an integer the scenario reads with Kernel::Param, settable with
// `wvsim explore --param NAME=VALUE` and recorded in schedules. Its range is part of its
// declaration: ResolveParams refuses a value outside min..max (so no model ever sees one), and
// the registry refuses a default outside it. The default range, 0 to 2^31-1, suits a count read
// into an int; declare a tighter one wherever a large value means unbounded work.
struct ScenarioParam {
  std::string name;
  int64_t default_value = 0;
  std::string description;
  int64_t min = 0;
  int64_t max = std::numeric_limits<int32_t>::max();
};

inline constexpr std::string_view kFaultBudgetParam = "fault_budget";
// Each unit of fault budget is a virtual thread (an injector) and may bring up a replacement
// process thread once its fault has happened, so a budget of 16 takes up to 32 of the kernel's
// 64 threads (KernelLimits::kThreadsMaxCeiling), leaving the rest for the app and the runtime's
// own threads; beyond it runs reach the thread limit, and a budget in the billions was a hang.
inline constexpr int64_t kFaultBudgetMax = 16;

// `fault_budget` with its range, 0 to kFaultBudgetMax, and `default_value`.
ScenarioParam FaultBudgetParam(int64_t default_value, std::string description);

struct Scenario {
  std::string id;
  std::string description;
  std::vector<Verdict> expected;
  std::vector<ScenarioParam> params = {};  // fault_budget is added when missing
  uint32_t model_version = 1;              // bump when the scenario's behaviour changes on purpose
  std::function<void(Kernel&)> setup = {};
  // What app a scenario built at run time runs (a generated program's lines, model/programs/),
  // written into its schedules (their `program:` headers) so that a replay builds it again
  // through its ScenarioFamily. The kernel carries the lines without reading them; empty for a
  // registered scenario.
  std::vector<std::string> payload = {};

  std::string runtime() const { return id.substr(0, id.find('.')); }
  bool Expects(Verdict verdict) const;
};

// The defaults overridden by `overrides` (name -> decimal text). An unknown name, a value that is
// not an integer, or one outside the parameter's range is InvalidArgument naming the parameter
// (and its range).
absl::StatusOr<ParamValues> ResolveParams(const Scenario& scenario,
                                          const std::map<std::string, std::string>& overrides);

// "<id> with name=value, ..." (every parameter, defaults included): names a run's configuration
// in an error, such as the thread limit a run reached with these parameters.
std::string DescribeConfiguration(const Scenario& scenario, const ParamValues& values);

// Whether `id` is a well-formed scenario id.
bool IsValidScenarioId(std::string_view id);

// A scenario id whose scenarios a model builds from a payload (Scenario::payload) instead of
// registering them: model/programs registers wv2.generated_program and android.generated_program.
// A schedule of such a scenario carries its payload, and replay, shrink and the testing API build
// the scenario from it.
struct ScenarioFamily {
  std::string id;
  // The scenario `payload` describes, with `id`; an InvalidArgument says what is wrong with the
  // payload (the caller names the file and line).
  std::function<absl::StatusOr<Scenario>(const std::vector<std::string>& payload)> build;
};

class ScenarioRegistry {
 public:
  static ScenarioRegistry& Global();

  // Rejects a malformed id, a duplicate, a missing setup, an empty expected set, or a parameter
  // whose range is empty or excludes its default.
  absl::Status Add(Scenario scenario);
  const Scenario* Find(std::string_view id) const;
  std::vector<const Scenario*> All() const;  // ordered by id

  // Rejects a malformed id, a missing build function, or an id already taken by a scenario or a
  // family.
  absl::Status AddFamily(ScenarioFamily family);
  const ScenarioFamily* FindFamily(std::string_view id) const;

 private:
  std::map<std::string, std::unique_ptr<Scenario>, std::less<>> scenarios_;
  std::map<std::string, ScenarioFamily, std::less<>> families_;
};

// Adds `scenario` to the global registry, or, when it is malformed or a duplicate, prints why and
// aborts: a broken built-in registration is a programming error in the binary.
void RegisterScenarioOrDie(Scenario scenario);

namespace detail {
struct ScenarioRegistration {
  explicit ScenarioRegistration(Scenario (*make)());
};
}  // namespace detail

#define WVSIM_REGISTER_SCENARIO(name)                                               \
  static ::wvsim::sim::Scenario WvsimMakeScenario_##name();                         \
  static const ::wvsim::sim::detail::ScenarioRegistration WvsimRegistration_##name( \
      &WvsimMakeScenario_##name);                                                   \
  static ::wvsim::sim::Scenario WvsimMakeScenario_##name()

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_SCENARIO_H_
