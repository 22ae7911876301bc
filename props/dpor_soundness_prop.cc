// DPOR is sound (sim/strategies/dpor.h): on generated programs it reaches every distinct result
// (verdict, place, and the final values of the shared variables) that an unreduced exhaustive
// search reaches, and nothing else. The kernel programs (kernel_programs.h) use every primitive
// the dependency relation knows; the WebView2 and Android programs run with a model, whose steps
// DPOR takes for dependent on everything. planted_defects_prop.cc plants a wrong dependency
// relation and shows this property catches it.
#include <gtest/gtest.h>

#include <cstdint>

#include "model/programs/interpreter.h"
#include "props/kernel_programs.h"
#include "props/program_gen.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "sim/strategies/dfs.h"
#include "sim/strategies/dpor.h"

namespace wvsim::props {
namespace {

// A model's program that unreduced DFS does not run through within this is discarded.
constexpr uint64_t kUnreducedCap = 20'000;
constexpr uint32_t kUnbounded = UINT32_MAX;

RC_GTEST_PROP(DporSoundness, ReachesWhatUnreducedSearchReachesOnKernelPrograms, ()) {
  CheckDporSoundness(*KernelPrograms());
}

RC_GTEST_PROP(DporSoundness, ReachesWhatUnreducedSearchReachesOnModelPrograms, ()) {
  const Program program = *rc::gen::resize(4, AnyPrograms());
  model::programs::ProgramObservations observations;
  const sim::Scenario scenario = model::programs::ProgramScenario(program, &observations);
  sim::DfsStrategy unreduced(kUnbounded);
  const Reached all = ReachAll(scenario, unreduced, kUnreducedCap);
  RC_PRE(all.exhausted);
  sim::DporStrategy dpor;
  const Reached reduced = ReachAll(scenario, dpor, kUnreducedCap);
  RC_ASSERT(reduced.exhausted);
  RC_ASSERT(reduced.results == all.results);
}

}  // namespace
}  // namespace wvsim::props
