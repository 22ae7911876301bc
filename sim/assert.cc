#include "sim/assert.h"

#include <cstdio>
#include <cstdlib>

namespace wvsim::sim::detail {

void AssertionFailed(const char* condition, const char* file, int line, const char* message) {
  std::fprintf(stderr, "wvsim: internal error: assertion '%s' failed at %s:%d%s%s\n", condition,
               file, line, message != nullptr ? ": " : "", message != nullptr ? message : "");
  std::fflush(stderr);
  std::abort();
}

}  // namespace wvsim::sim::detail
