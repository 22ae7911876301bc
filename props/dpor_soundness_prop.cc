// DPOR is sound (sim/strategies/dpor.h): on generated programs it reaches every distinct result
// (verdict, place, and the final values of the shared variables) that an unreduced exhaustive
// search reaches, and nothing else; with a preemption bound b (Coons, Musuvathi and McKinley's
// BPOR) it reaches at least what dfs with bound b reaches. The kernel programs (kernel_programs.h)
// use every primitive the dependency relation knows; the WebView2 and Android programs run with a
// model, whose steps DPOR takes for dependent on everything. planted_defects_prop.cc plants a wrong
// dependency relation, and the two pitfalls of bounded DPOR, and shows these properties catch
// them.
#include <gtest/gtest.h>

#include "model/programs/interpreter.h"
#include "props/kernel_programs.h"
#include "props/program_gen.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace wvsim::props {
namespace {

RC_GTEST_PROP(DporSoundness, ReachesWhatUnreducedSearchReachesOnKernelPrograms, ()) {
  CheckDporSoundness(*KernelPrograms());
}

RC_GTEST_PROP(DporSoundness, ReachesWhatUnreducedSearchReachesOnModelPrograms, ()) {
  const Program program = *rc::gen::resize(4, AnyPrograms());
  CheckDporSoundness(model::programs::ProgramScenario(program));
}

RC_GTEST_PROP(DporSoundness, WithAPreemptionBoundCoversWhatBoundedDfsReachesOnKernelPrograms, ()) {
  const uint32_t bound = *rc::gen::inRange<uint32_t>(0, 3);
  CheckBoundedDporCoverage(*KernelPrograms(), bound);
}

RC_GTEST_PROP(DporSoundness, WithAPreemptionBoundCoversWhatBoundedDfsReachesOnModelPrograms, ()) {
  const uint32_t bound = *rc::gen::inRange<uint32_t>(0, 3);
  const Program program = *rc::gen::resize(4, AnyPrograms());
  CheckBoundedDporCoverage(model::programs::ProgramScenario(program), bound);
}

}  // namespace
}  // namespace wvsim::props
