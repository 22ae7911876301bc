// wvsim's promises, each over generated programs and schedules (properties.h says what each
// proves). `make test` runs these with a fixed seed (CTest sets RC_PARAMS); `make props-long`
// runs many more cases with fresh seeds. rapidcheck prints the seed of every run.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "props/properties.h"

namespace wvsim::props {
namespace {

RC_GTEST_PROP(Promises, SerialCallbacksNeverOverlapAndRunOnTheirOwner, ()) {
  CheckSerialCallbacks(*CallbackPrograms(), *Schedules());
}

RC_GTEST_PROP(Promises, ReentrancyReportedExactlyForNestedLoopsInHandlers, ()) {
  CheckNoReentrancy(*rc::gen::oneOf(HandlerPrograms(), PageCallbackPrograms()), *Schedules());
}

RC_GTEST_PROP(Promises, EveryDeferralCompletesOnceOrIsNamed, ()) {
  CheckDeferralCompletion(*CrashingHandlerPrograms(), *Schedules());
}

RC_GTEST_PROP(Promises, DeadlockExactlyWhenABlockingWaitStallsThePump, ()) {
  CheckDeadlockExactlyWhenPredicted(*DeadlockPrograms(), *Schedules());
}

RC_GTEST_PROP(Promises, DeadlockExactlyWhenAFrameworkWaitCannotEnd, ()) {
  CheckDeadlockExactlyWhenPredicted(*FrameworkWaitPrograms(), *Schedules());
}

RC_GTEST_PROP(Promises, DeadlockExactlyWhenAnAsyncMethodsResultCannotEnd, ()) {
  CheckDeadlockExactlyWhenPredicted(*FrameworkAsyncPrograms(), *Schedules());
}

RC_GTEST_PROP(Promises, DeadlockOrStallExactlyWhenAPageWaitCannotEnd, ()) {
  CheckPageWaitsEndAsPredicted(*PageWaitPrograms(), *Schedules());
}

RC_GTEST_PROP(Promises, WrongThreadCallsGetTheRealErrorAndChangeNothing, ()) {
  CheckThreadAffinity(*AffinityPrograms(), *Schedules());
}

RC_GTEST_PROP(Promises, AbandonedCallsEndCleanNotAsStalls, ()) {
  CheckAbandonedCallsEndClean(*AbandoningPrograms(), *Schedules());
}

RC_GTEST_PROP(Promises, SameProgramAndScheduleGiveTheSameTraceAndReplay, ()) {
  CheckDeterminism(*AnyPrograms(), *Schedules());
}

}  // namespace
}  // namespace wvsim::props
