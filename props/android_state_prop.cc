// Android's dispatch of void calls (A5) through the pending-task queue (A6), as an rc::state
// machine against props/android_dispatch_model.h: after every command, the Android model running
// all commands so far must have delivered each message at most once, the queued ones in FIFO
// order, a direct call at once, nothing before the engine started, and everything where the
// reference model says so.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <memory>
#include <ostream>
#include <vector>

#include "props/android_dispatch_model.h"
#include "props/state_suites.h"

namespace wvsim::props {

namespace {

struct AndroidSystem {
  bool created_on_worker = false;
  std::vector<AndroidOp> ops;
};

struct AndroidCommand final : rc::state::Command<AndroidDispatchModel, AndroidSystem> {
  AndroidOp op;
  explicit AndroidCommand(AndroidOp o) : op(o) {}

  void apply(AndroidDispatchModel& model) const override { model.Apply(op); }
  void run(const AndroidDispatchModel& model, AndroidSystem& system) const override {
    system.ops.push_back(op);
    const AndroidDispatchRun run = RunAndroidOps(system.created_on_worker, system.ops);
    AndroidDispatchModel after = model;
    after.Apply(op);
    RC_ASSERT(run.failure.empty());
    RC_ASSERT(run.started == after.started());
    if (!after.started()) RC_ASSERT(run.delivered.empty());
    if (after.all_delivered()) RC_ASSERT(run.delivered.size() == after.posted());
    if (after.last_was_direct()) RC_ASSERT(run.delivered.back() == MessageText(after.posted() - 1));
    // Each message once, and the queued ones in the order they were queued (A6).
    std::vector<bool> seen(after.posted(), false);
    size_t last_queued = 0;
    bool any_queued = false;
    for (const std::string& text : run.delivered) {
      size_t index = after.posted();
      for (size_t i = 0; i < after.posted(); ++i) {
        if (text == MessageText(i)) index = i;
      }
      RC_ASSERT(index < after.posted());
      RC_ASSERT(!seen[index]);
      seen[index] = true;
      if (!after.queued(index)) continue;
      RC_ASSERT(!any_queued || index > last_queued);
      last_queued = index;
      any_queued = true;
    }
  }
  void show(std::ostream& os) const override {
    static constexpr const char* kNames[] = {"main posts", "worker posts", "main loads",
                                             "main idles"};
    os << kNames[static_cast<int>(op.kind)];
  }
};

rc::Gen<std::shared_ptr<const rc::state::Command<AndroidDispatchModel, AndroidSystem>>> NextCommand(
    const AndroidDispatchModel&) {
  return rc::gen::map(rc::gen::inRange(0, 4), [](int kind) {
    return std::shared_ptr<const rc::state::Command<AndroidDispatchModel, AndroidSystem>>(
        std::make_shared<const AndroidCommand>(AndroidOp{static_cast<AndroidOpKind>(kind)}));
  });
}

}  // namespace

void CheckAndroidDispatchAgainstModel() {
  AndroidSystem system;
  system.created_on_worker = *rc::gen::arbitrary<bool>();
  rc::state::check(AndroidDispatchModel(system.created_on_worker), system, &NextCommand);
}

namespace {

RC_GTEST_PROP(StateMachines, AndroidDispatchMatchesItsReferenceModel, ()) {
  CheckAndroidDispatchAgainstModel();
}

}  // namespace
}  // namespace wvsim::props
