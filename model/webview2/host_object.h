// HostObject: an object of the app that a page's scripts call (CoreWebView2.AddHostObjectToScript,
// docs/webview2-rules.md W17). The page reaches it as chrome.webview.hostObjects.NAME (an
// asynchronous proxy: the call returns a promise) or chrome.webview.hostObjects.sync.NAME (a
// synchronous proxy: the page's JavaScript waits for the answer). Either way each method is app
// code that runs on the WebView's UI thread, delivered through its message pump, and counts as a
// WebView2 callback while it is on the stack (W4; WebView2Feedback #3677).
//
//   HostObject& bridge = k.Make<HostObject>();
//   bridge.AddMethod("getDraft", [&app]() -> Task<std::string> { co_return app.draft; });
//   co_await webview->AddHostObjectToScript("bridge", bridge);
//
// A method returns its result as JSON, as the page receives it. It may await, wait or pump.
#ifndef WVSIM_MODEL_WEBVIEW2_HOST_OBJECT_H_
#define WVSIM_MODEL_WEBVIEW2_HOST_OBJECT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::webview2 {

class HostObject {
 public:
  using Method = absl::AnyInvocable<sim::Task<std::string>()>;

  HostObject& AddMethod(std::string name, Method method) {
    methods_.emplace_back(std::move(name), std::move(method));
    return *this;
  }
  // The method the page calls by `name`; null when the object has none (a TypeError in the page).
  Method* FindMethod(std::string_view name) {
    for (auto& [method_name, method] : methods_) {
      if (method_name == name) return &method;
    }
    return nullptr;
  }

 private:
  std::vector<std::pair<std::string, Method>> methods_;  // in the order they were added
};

// W17: how a host-object call from the page reaches the UI thread (Runtime::DeliverHostCallsWith).
// `call` must run on `ui`; its caller (the page) does not wait on `ui`'s stack.
using HostCallDelivery = absl::AnyInvocable<void(sim::Thread ui, std::string label,
                                                 absl::AnyInvocable<sim::Task<>()> call)>;

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_HOST_OBJECT_H_
