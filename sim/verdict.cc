#include "sim/verdict.h"

#include <array>
#include <cstring>

#include "sim/assert.h"

namespace wvsim::sim {
namespace {

// Registration happens while the process starts (models' inline constants) and is read-only
// afterwards, like the scenario registry. Names are kept as std::string so that a registered
// name outlives the view it came from.
struct Registry {
  std::array<std::string, Verdict::kMaxKinds> names = {"clean", "deadlock", "stall", "assertion",
                                                       "exception"};
  int count = 5;
};

Registry& TheRegistry() {
  static Registry registry;  // built on first use: models register from static initialisers
  return registry;
}

bool IsWellFormedName(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

Verdict Verdict::Register(std::string_view name) {
  if (std::optional<Verdict> known = Find(name)) return *known;
  WVSIM_ASSERT_MSG(IsWellFormedName(name), "a verdict name is lower snake case");
  Registry& registry = TheRegistry();
  WVSIM_ASSERT_MSG(registry.count < kMaxKinds, "too many verdict kinds (Verdict::kMaxKinds)");
  registry.names[registry.count] = std::string(name);
  return Verdict(static_cast<uint8_t>(registry.count++));
}

std::optional<Verdict> Verdict::Find(std::string_view name) {
  const Registry& registry = TheRegistry();
  for (int i = 0; i < registry.count; ++i) {
    if (registry.names[i] == name) return Verdict(static_cast<uint8_t>(i));
  }
  return std::nullopt;
}

std::vector<Verdict> Verdict::All() {
  std::vector<Verdict> all;
  for (int i = 0; i < TheRegistry().count; ++i) all.push_back(Verdict(static_cast<uint8_t>(i)));
  return all;
}

const char* Verdict::name() const {
  const Registry& registry = TheRegistry();
  WVSIM_ASSERT_MSG(index_ < registry.count, "a verdict made by the registry");
  return registry.names[index_].c_str();
}

std::strong_ordering operator<=>(Verdict a, Verdict b) {
  const int order = std::strcmp(a.name(), b.name());
  return order <=> 0;
}

}  // namespace wvsim::sim
