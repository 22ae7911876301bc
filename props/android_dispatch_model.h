// Android WebView's dispatch of void calls (A5) through Chromium's pending-task queue (A6): the
// reference model for the rc::state suite in android_state_prop.cc, written from
// docs/android-rules.md and not from model/android/. An app that targets API 17 (so calls from
// other threads only log, A2) posts web messages from the main thread and from a worker:
//   - a call is queued when the engine has not started or the caller is not the UI thread (A5);
//     otherwise it runs at once, overtaking whatever is still queued;
//   - the queue is FIFO; the end of start-up drains it on the UI thread (the main looper here),
//     and a call queued after start posts a drain to the UI looper (A6);
//   - loadUrl forces a start on the main looper (A5).
// So queued messages arrive in the order they were queued, a direct one at once, and nothing
// before the engine started.
#ifndef WVSIM_PROPS_ANDROID_DISPATCH_MODEL_H_
#define WVSIM_PROPS_ANDROID_DISPATCH_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

namespace wvsim::props {

enum class AndroidOpKind : uint8_t {
  kMainPosts,    // the main thread calls postWebMessage
  kWorkerPosts,  // a worker looper thread calls it; main waits for the call to return
  kMainLoads,    // the main thread calls loadUrl
  kMainIdles,    // the main looper runs everything queued so far
};

struct AndroidOp {
  AndroidOpKind kind = AndroidOpKind::kMainPosts;
};

class AndroidDispatchModel {
 public:
  // The WebView is created on the main thread (which starts the engine, A4) or on the worker
  // (which leaves it stopped until something forces a start).
  explicit AndroidDispatchModel(bool created_on_worker) : started_(!created_on_worker) {}

  void Apply(const AndroidOp& op);
  bool started() const { return started_; }
  size_t posted() const { return posted_; }
  // Whether every message posted so far must have arrived by now.
  bool all_delivered() const { return waiting_ == 0; }
  // Whether the message of the last op ran at once (a direct call), and so arrived last.
  bool last_was_direct() const { return last_was_direct_; }
  // Whether message `index` went through the pending-task queue.
  bool queued(size_t index) const { return queued_[index]; }

 private:
  bool started_;
  size_t posted_ = 0;
  size_t waiting_ = 0;  // queued messages a drain has not reached for sure
  bool last_was_direct_ = false;
  std::vector<bool> queued_;
};

// What the Android model did with `ops`: the messages that arrived (in order) and whether the
// engine started, observed on the main thread after the last op.
struct AndroidDispatchRun {
  std::vector<std::string> delivered;
  bool started = false;
  std::string failure;  // a verdict other than clean, with its report
};
AndroidDispatchRun RunAndroidOps(bool created_on_worker, const std::vector<AndroidOp>& ops);

// The text of the i-th message posted.
std::string MessageText(size_t index);

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_ANDROID_DISPATCH_MODEL_H_
