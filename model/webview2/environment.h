// The WebView2 environment and the app's windows, as the app holds them (docs/webview2-rules.md
// W1, W3, W6, W11, W13): thin handles; the runtime's bookkeeping of each is a record the app
// cannot reach (internal/records.h).
//
//   EnvironmentOptions options;  // one browser process per user data folder (W11)
//   Async<Environment*> env_op = co_await
//   rt.CreateCoreWebView2EnvironmentAsync(std::move(options)); Environment* env = co_await env_op;
//   Async<Controller*> ctl_op = co_await env->CreateCoreWebView2ControllerAsync(&window);
//
// Thread-safety: an environment belongs to the thread that created it (W3); a window to the
// thread that called CreateWindow.
#ifndef WVSIM_MODEL_WEBVIEW2_ENVIRONMENT_H_
#define WVSIM_MODEL_WEBVIEW2_ENVIRONMENT_H_

#include <cstdint>
#include <string>
#include <utility>

#include "model/webview2/async.h"
#include "model/webview2/event_args.h"
#include "sim/object.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::webview2 {

class Controller;

namespace internal {
class Core;
struct EnvironmentRecord;
struct HandleAccess;
}  // namespace internal

// CoInitializeEx: the calling thread's COM apartment (W1).
enum class Apartment : uint8_t { kNone, kSta, kMta };

// CreateCoreWebView2EnvironmentWithOptions: one browser process per user data folder; another
// environment on the folder must use the same options (W11).
struct EnvironmentOptions {
  std::string user_data_folder = "EBWebView";
  std::string additional_browser_arguments;
};

// The app's window (HWND) that hosts a controller.
class Window : public sim::Object {
 public:
  Window(std::string name, internal::Core* core, sim::Thread owner)
      : sim::Object(std::move(name)), core_(core), owner_(owner) {}
  // W6: a controller creation pending on this parent completes with E_ABORT synchronously,
  // inside this call.
  sim::Task<> DestroyWindow();
  bool destroyed() const { return destroyed_; }
  sim::Thread owner() const { return owner_; }

 private:
  internal::Core* core_;
  sim::Thread owner_;
  bool destroyed_ = false;
};

class Environment : public sim::Object {
 public:
  Environment(std::string name, internal::EnvironmentRecord* record)
      : sim::Object(std::move(name)), record_(record) {}
  // W6: returns at once; the completion is posted to the caller's queue.
  sim::Task<Async<Controller*>> CreateCoreWebView2ControllerAsync(Window* parent = nullptr);
  // W13: after every process of the browser exited. A scheduling point, then the thread check
  // (W3: from the environment's thread).
  sim::Task<> add_BrowserProcessExited(Handler<BrowserProcessExitedEventArgs> handler);

 private:
  friend struct internal::HandleAccess;
  internal::EnvironmentRecord* record_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_ENVIRONMENT_H_
