// The WebView2 scenarios (wv2.*) under fuzzer-chosen schedules; see fuzz_support.h.
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return wvsim::fuzz::RunScenarioFromBytes("wv2", data, size);
}
