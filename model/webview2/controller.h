// CoreWebView2Controller and its COM reference (docs/webview2-rules.md W6, W14): what
// CreateCoreWebView2ControllerAsync hands the app.
//
//   ControllerPtr controller(co_await op);  // a local: closed when the function returns
//   CoreWebView2& wv = controller->CoreWebView2();
//
// Thread-safety: the controller belongs to its WebView's thread (W3).
#ifndef WVSIM_MODEL_WEBVIEW2_CONTROLLER_H_
#define WVSIM_MODEL_WEBVIEW2_CONTROLLER_H_

#include <string>
#include <utility>

#include "model/webview2/core_webview2.h"
#include "sim/object.h"
#include "sim/task.h"

namespace wvsim::model::webview2 {

class Controller : public sim::Object {
 public:
  Controller(std::string name, webview2::CoreWebView2* webview)
      : sim::Object(std::move(name)), webview_(webview) {}
  // W3: from the thread that created the controller.
  webview2::CoreWebView2& CoreWebView2() const;
  // W14: synchronous; fires no beforeunload, drops every handler; later calls fail. The browser
  // process shuts down when no other WebView uses it.
  sim::Task<> Close();
  // The WebView's position in its parent window, in pixels. The WinForms and WPF controls set it
  // from their resize handlers (WM_SIZE). W3: from the controller's thread; W14: fails with
  // HRESULT_FROM_WIN32(ERROR_INVALID_STATE) after Close.
  struct Rect {
    int left = 0;
    int top = 0;
    int right = 0;
    int bottom = 0;
  };
  sim::Task<> put_Bounds(Rect bounds);
  Rect Bounds() const { return bounds_; }
  // COM reference counting. The creation's completion hands the app one reference; releasing the
  // last one closes the controller implicitly (W14), as Close would.
  void AddRef() { ++references_; }
  void Release();
  int references() const { return references_; }

 private:
  webview2::CoreWebView2* webview_;
  int references_ = 1;
  Rect bounds_;
};

// wil::com_ptr<ICoreWebView2Controller> (or the .NET object the GC finalizes): adopts the
// reference the completion handed over; copies add one; the last one gone closes it (W14).
class ControllerPtr {
 public:
  ControllerPtr() = default;
  explicit ControllerPtr(Controller* adopted) : controller_(adopted) {}
  ControllerPtr(const ControllerPtr& other) : controller_(other.controller_) {
    if (controller_ != nullptr) controller_->AddRef();
  }
  ControllerPtr(ControllerPtr&& other) noexcept
      : controller_(std::exchange(other.controller_, nullptr)) {}
  ControllerPtr& operator=(ControllerPtr other) noexcept {
    std::swap(controller_, other.controller_);
    return *this;
  }
  ~ControllerPtr() { reset(); }
  void reset() {
    if (Controller* released = std::exchange(controller_, nullptr)) released->Release();
  }
  Controller* get() const { return controller_; }
  Controller* operator->() const { return controller_; }

 private:
  Controller* controller_ = nullptr;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_CONTROLLER_H_
