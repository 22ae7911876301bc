#include "model/android/activity.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/assert.h"

namespace wvsim::model::android {

using sim::Task;

Activity::Activity(AndroidRuntime& runtime)
    : sim::Object(absl::StrCat("Activity#", runtime.NextId())), runtime_(&runtime) {}

Task<> Activity::RunOnUiThread(std::string label, Runnable action) {
  co_await runtime_->kernel().Yield({"runOnUiThread", this});
  WVSIM_ASSERT(runtime_->main_looper() != nullptr);  // an Activity runs on the main thread
  if (runtime_->kernel().Current() == runtime_->MainLooper().thread()) {
    ++ran_inline_;
    co_await action();  // "If the current thread is the UI thread, the action is executed
                        // immediately"
    co_return;
  }
  co_await runtime_->MainHandler().Post(std::move(label), std::move(action));
}

}  // namespace wvsim::model::android
