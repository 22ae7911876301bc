#include "props/program_gen.h"

#include <string>

#include "model/programs/program_text.h"
#include "props/program_shapes.h"

namespace wvsim::props {

namespace {

// Choices drawn from rapidcheck, inside gen::exec, so that it shrinks them.
class RapidcheckChoices final : public ChoiceSource {
 public:
  uint32_t Below(uint32_t count) override { return *rc::gen::inRange<uint32_t>(0, count); }
};

rc::Gen<Program> ProgramsOf(ProgramProfile profile) {
  return rc::gen::exec([profile] {
    RapidcheckChoices choices;
    return MakeProgram(profile, choices);
  });
}

}  // namespace

rc::Gen<ScheduleBytes> Schedules() { return rc::gen::arbitrary<ScheduleBytes>(); }

rc::Gen<Program> DeadlockPrograms() { return ProgramsOf(ProgramProfile::kDeadlock); }
rc::Gen<Program> FrameworkWaitPrograms() { return ProgramsOf(ProgramProfile::kFrameworkWaits); }
rc::Gen<Program> FrameworkAsyncPrograms() { return ProgramsOf(ProgramProfile::kFrameworkAsync); }
rc::Gen<Program> HandlerPrograms() { return ProgramsOf(ProgramProfile::kHandler); }
rc::Gen<Program> AffinityPrograms() { return ProgramsOf(ProgramProfile::kAffinity); }
rc::Gen<Program> CrashingHandlerPrograms() { return ProgramsOf(ProgramProfile::kCrashingHandler); }
rc::Gen<Program> ValueCallbackPrograms() { return ProgramsOf(ProgramProfile::kValueCallback); }
rc::Gen<Program> AbandoningPrograms() { return ProgramsOf(ProgramProfile::kAbandoning); }
rc::Gen<Program> PageWaitPrograms() { return ProgramsOf(ProgramProfile::kPageWaits); }
rc::Gen<Program> PageCallbackPrograms() { return ProgramsOf(ProgramProfile::kPageCallbacks); }

rc::Gen<Program> CallbackPrograms() {
  return rc::gen::oneOf(CrashingHandlerPrograms(), ValueCallbackPrograms(), PageWaitPrograms());
}

rc::Gen<Program> AnyPrograms() {
  return rc::gen::oneOf(DeadlockPrograms(), FrameworkWaitPrograms(), FrameworkAsyncPrograms(),
                        HandlerPrograms(), AffinityPrograms(), CrashingHandlerPrograms(),
                        ValueCallbackPrograms(), AbandoningPrograms(), PageWaitPrograms(),
                        PageCallbackPrograms());
}

}  // namespace wvsim::props

namespace wvsim::model::programs {

void showValue(const Program& program, std::ostream& os) {
  for (const std::string& line : FormatProgram(program)) os << "\n  " << line;
}

}  // namespace wvsim::model::programs
