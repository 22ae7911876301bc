// Test-only switches that plant known defects in the framework layer, one per kind of wait it
// adds, so that the deadlock property over generated programs is shown not to be vacuous for them
// (props/planted_defects_prop.cc). Never set outside those tests. Process-wide and not
// thread-safe: set only from a test's own thread, between runs.
#ifndef WVSIM_MODEL_FRAMEWORK_PLANTED_DEFECTS_H_
#define WVSIM_MODEL_FRAMEWORK_PLANTED_DEFECTS_H_

namespace wvsim::model::framework {

struct FrameworkPlantedDefects {
  // F4, F7: the waits that service sent messages (the CLR's, a SendMessage sender's) do not.
  bool servicing_wait_ignores_sent = false;
  // F7: a message loop never retrieves sent messages (only servicing waits run them).
  bool loop_ignores_sent = false;
  // F2: `await` captures no context: every continuation goes to the thread pool.
  bool await_ignores_context = false;
  // F2: ConfigureAwait(false) is ignored: the continuation goes to the captured context.
  bool configure_await_ignored = false;
  // F3: the pool has one worker whatever thread_pool_workers says.
  bool pool_single_worker = false;
  // F10: the user's inputs never arrive.
  bool user_inputs_dropped = false;
};

FrameworkPlantedDefects& TestOnlyFrameworkPlantedDefects();

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_PLANTED_DEFECTS_H_
