// Per-run ids of the runtime's objects and operations: Environment#1, CoreWebView2#2,
// ExecuteScript#3, NavigationCompleted#4, one counter per kind, so that a schedule's trace names
// the same objects in every run and every build.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_NAMES_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_NAMES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/inlined_vector.h"

namespace wvsim::model::webview2::internal {

class Names {
 public:
  // "kind#N": the next id of `kind` in this run.
  std::string Next(std::string_view kind);

 private:
  // In the order each kind was first named (never iterated for output). A run names a handful of
  // kinds: a linear search over an inline array beats a map's node per kind, allocated every run.
  absl::InlinedVector<std::pair<std::string, uint32_t>, 6> counters_;
};

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_NAMES_H_
