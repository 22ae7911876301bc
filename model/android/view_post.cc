// View.post and the view tree's attach (A19), for WebView: a Runnable posted to a View that is not
// attached to a window is held by the View and posted to the window's thread when the view tree
// attaches it (View.dispatchAttachedToWindow, API 24+); an app's own call to onAttachedToWindow
// does not run them (A24).
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/android/webview.h"
#include "sim/assert.h"

namespace wvsim::model::android {

using sim::Task;

Task<> WebView::Post(std::string label, Runnable action) {
  sim::Kernel& kernel = runtime_->kernel();
  co_await kernel.Yield({"View.post", this});
  if (window_looper_ == nullptr) {
    // View.post: "Postpone the runnable until we know on which thread it needs to run."
    held_actions_.push_back(HeldAction{std::move(label), std::move(action)});
    co_return;
  }
  co_await kernel.Post(window_looper_->thread(), std::move(label), std::move(action));
}

Task<> WebView::DispatchAttachedToWindow() {
  sim::Kernel& kernel = runtime_->kernel();
  co_await kernel.Yield({"dispatchAttachedToWindow", this});
  Looper* looper = runtime_->MyLooper();
  // A window's view tree runs on a looper (ViewRootImpl's Handler needs one).
  if (looper == nullptr) {
    throw RuntimeException(
        "Can't create handler inside thread that has not called Looper.prepare()", "A19");
  }
  window_looper_ = looper;
  // HandlerActionQueue.executeActions: the held actions go to the window's Handler, in order,
  // before onAttachedToWindow.
  std::vector<HeldAction> held = std::move(held_actions_);
  held_actions_.clear();
  for (HeldAction& action : held) {
    co_await kernel.Post(looper->thread(), std::move(action.label), std::move(action.run));
  }
  co_await OnAttachedToWindow();
}

}  // namespace wvsim::model::android
