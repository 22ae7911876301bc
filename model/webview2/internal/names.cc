// Per-run ids (names.h).
#include "model/webview2/internal/names.h"

#include "absl/strings/str_cat.h"
#include "model/webview2/planted_defects.h"

namespace wvsim::model::webview2::internal {

std::string Names::Next(std::string_view kind) {
  auto it = counters_.find(kind);
  if (it == counters_.end()) it = counters_.emplace(std::string(kind), 0).first;
  const uint32_t number = ++it->second;
  const absl::string_view text(kind.data(), kind.size());  // Debian's absl: not std's
  if (TestOnlyPlantedDefects().ids_shared_across_runs) {
    static uint32_t shared_counter = 0;  // the planted defect: a process-wide counter
    return absl::StrCat(text, "#", ++shared_counter);
  }
  return absl::StrCat(text, "#", number);
}

}  // namespace wvsim::model::webview2::internal
