// Per-run ids (names.h).
#include "model/webview2/internal/names.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "model/webview2/planted_defects.h"

namespace wvsim::model::webview2::internal {

std::string Names::Next(std::string_view kind) {
  auto it = std::find_if(counters_.begin(), counters_.end(),
                         [kind](const auto& counter) { return counter.first == kind; });
  if (it == counters_.end()) it = &counters_.emplace_back(std::string(kind), 0);
  const uint32_t number = ++it->second;
  const absl::string_view text(kind.data(), kind.size());  // Debian's absl: not std's
  if (TestOnlyPlantedDefects().ids_shared_across_runs) {
    static uint32_t shared_counter = 0;  // the planted defect: a process-wide counter
    return absl::StrCat(text, "#", ++shared_counter);
  }
  return absl::StrCat(text, "#", number);
}

}  // namespace wvsim::model::webview2::internal
