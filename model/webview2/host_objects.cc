// CoreWebView2's host objects (core_webview2.h, docs/webview2-rules.md W17): the app's objects
// the page's scripts call. The calls themselves are the renderer's (internal/host_calls.cc).
#include "model/webview2/core_webview2.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

sim::Task<> CoreWebView2::AddHostObjectToScript(std::string_view name, HostObject& object) {
  internal::Core& core = *record_->core;
  co_await core.kernel.Yield({"AddHostObjectToScript", this});
  core.CheckCall(*record_, "CoreWebView2.AddHostObjectToScript");
  for (auto& [object_name, added] : record_->host_objects) {
    if (object_name != name) continue;
    added = &object;  // the same name again replaces the object
    co_return;
  }
  record_->host_objects.emplace_back(std::string(name), &object);
}

sim::Task<> CoreWebView2::RemoveHostObjectFromScript(std::string_view name) {
  internal::Core& core = *record_->core;
  co_await core.kernel.Yield({"RemoveHostObjectFromScript", this});
  core.CheckCall(*record_, "CoreWebView2.RemoveHostObjectFromScript");
  std::vector<std::pair<std::string, HostObject*>>& objects = record_->host_objects;
  for (auto it = objects.begin(); it != objects.end(); ++it) {
    if (it->first != name) continue;
    objects.erase(it);
    co_return;
  }
}

}  // namespace wvsim::model::webview2
