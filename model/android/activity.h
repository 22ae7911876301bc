// android.app.Activity, the part an app's threading uses: runOnUiThread (A18). An Activity's UI
// thread is the thread it runs on, the main thread.
//
//   Activity& activity = kernel.Make<Activity>(rt);
//   co_await activity.RunOnUiThread("show", [&app] { return Show(app); });
//
// On the main thread the action runs at once, before RunOnUiThread returns; elsewhere it is posted
// to the main looper. Code that assumes "runOnUiThread always posts" misorders itself when it is
// called on the main thread.
#ifndef WVSIM_MODEL_ANDROID_ACTIVITY_H_
#define WVSIM_MODEL_ANDROID_ACTIVITY_H_

#include <string>

#include "model/android/java.h"
#include "model/android/runtime.h"
#include "sim/kernel.h"

namespace wvsim::model::android {

class Activity final : public sim::Object {
 public:
  explicit Activity(AndroidRuntime& runtime);
  // Activity.runOnUiThread: inline on the main thread, posted to the main looper otherwise.
  sim::Task<> RunOnUiThread(std::string label, Runnable action);
  int ran_inline() const { return ran_inline_; }  // how many actions ran at once (for tests)

 private:
  AndroidRuntime* runtime_;
  int ran_inline_ = 0;
};

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_ACTIVITY_H_
