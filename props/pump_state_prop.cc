// The message pump against its reference model (pump_model.h), as an rc::state machine: after
// every command, the kernel running all commands so far must have dispatched exactly the messages
// the model did, in the same order, entered and left the same nested loops (modal messages whose
// handlers pump until a quit), and end with the verdict the model predicts.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <memory>
#include <ostream>
#include <vector>

#include "props/pump_model.h"
#include "props/state_suites.h"
#include "sim/verdict.h"

namespace wvsim::props {

namespace {

struct PumpSystem {
  std::vector<PumpOp> ops;
};

struct PumpCommand final : rc::state::Command<PumpModel, PumpSystem> {
  PumpOp op;
  explicit PumpCommand(PumpOp o) : op(o) {}

  void checkPreconditions(const PumpModel& model) const override { RC_PRE(model.CanApply(op)); }
  void apply(PumpModel& model) const override { model.Apply(op); }
  void run(const PumpModel& model, PumpSystem& system) const override {
    system.ops.push_back(op);
    const PumpRun run = RunPumpOps(system.ops);
    PumpModel after = model;
    after.Apply(op);
    RC_ASSERT(run.ran == after.ran());
    RC_ASSERT(run.verdict == after.FinalVerdict());
  }
  void show(std::ostream& os) const override {
    static constexpr const char* kNames[kPumpOpKindCount] = {
        "post",         "post_delayed",    "cancel",     "pump_until", "loop_until_quit",
        "block_on_own", "block_on_helper", "post_modal", "post_quit"};
    os << kNames[static_cast<int>(op.kind)];
    if (op.kind != PumpOpKind::kPostQuit) os << " #" << op.id;
    if (op.kind == PumpOpKind::kPostDelayed) os << " +" << op.delay_ticks;
  }
};

// Quits and modal messages come often enough that nested loops are entered, dispatch inside
// them and are left again in many sequences; the ops after which the thread never comes back (a
// blocking wait on its own queue) come rarely.
rc::Gen<PumpOpKind> KindOfNextCommand() {
  return rc::gen::weightedElement<PumpOpKind>({{3, PumpOpKind::kPost},
                                               {2, PumpOpKind::kPostDelayed},
                                               {1, PumpOpKind::kCancel},
                                               {2, PumpOpKind::kPumpUntil},
                                               {2, PumpOpKind::kLoopUntilQuit},
                                               {1, PumpOpKind::kBlockOnOwn},
                                               {1, PumpOpKind::kBlockOnHelper},
                                               {2, PumpOpKind::kPostModal},
                                               {3, PumpOpKind::kPostQuit}});
}

// Ops that need a message pick one of those still pending; posts get the next id.
rc::Gen<std::shared_ptr<const rc::state::Command<PumpModel, PumpSystem>>> NextCommand(
    const PumpModel& model) {
  std::vector<int> pending;
  for (int id = 0; id < model.next_id(); ++id) {
    if (model.Pending(id)) pending.push_back(id);
  }
  return rc::gen::exec(
      [model, pending]() -> std::shared_ptr<const rc::state::Command<PumpModel, PumpSystem>> {
        PumpOp op;
        op.kind = *KindOfNextCommand();
        op.id = model.next_id();
        const bool needs_pending = op.kind == PumpOpKind::kCancel ||
                                   op.kind == PumpOpKind::kPumpUntil ||
                                   op.kind == PumpOpKind::kBlockOnOwn;
        if (needs_pending) {
          if (pending.empty()) {
            op.kind = PumpOpKind::kPost;
          } else {
            op.id = *rc::gen::elementOf(pending);
          }
        }
        if (op.kind == PumpOpKind::kPostDelayed) op.delay_ticks = *rc::gen::inRange<uint32_t>(0, 4);
        return std::make_shared<const PumpCommand>(op);
      });
}

}  // namespace

void CheckPumpAgainstModel() {
  PumpSystem system;
  rc::state::check(PumpModel(), system, &NextCommand);
}

namespace {

RC_GTEST_PROP(StateMachines, MessagePumpMatchesItsReferenceModel, ()) { CheckPumpAgainstModel(); }

}  // namespace
}  // namespace wvsim::props
