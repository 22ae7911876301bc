// A WinForms Form's close path (docs/framework-rules.md F11): the WM_CLOSE the user's close
// posts runs the FormClosing handlers in order, any of which may cancel; unless one did, the form
// disposes its controls (a WebView2 control closes its controller, W14) and is disposed.
//
//   Form& form = k.Make<Form>("Form1");
//   form.AddControl(webView21);
//   form.add_FormClosing([&](FormClosingEventArgs& e) { ...; return done(); });
//   user.CloseWindow("Form1", [&form] { return form.Close(); });
#ifndef WVSIM_MODEL_FRAMEWORK_FORM_H_
#define WVSIM_MODEL_FRAMEWORK_FORM_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "model/framework/webview2_control.h"
#include "sim/object.h"
#include "sim/task.h"

namespace wvsim::model::framework {

struct FormClosingEventArgs {
  bool cancel = false;  // FormClosingEventArgs.Cancel: the form stays open
};

class Form final : public sim::Object {
 public:
  explicit Form(std::string name) : sim::Object(std::move(name)) {}

  // FormClosing handlers run synchronously, in the order added (an `async void` handler's
  // continuation would run after the form closed: write it as posted work instead).
  void add_FormClosing(absl::AnyInvocable<sim::Task<>(FormClosingEventArgs&)> handler) {
    closing_.push_back(std::move(handler));
  }
  void AddControl(WebView2Control& control) { controls_.push_back(&control); }
  bool IsDisposed() const { return disposed_; }

  // The close path, on the form's UI thread (WM_CLOSE): FormClosing, then the controls' Dispose.
  sim::Task<> Close();

 private:
  std::vector<absl::AnyInvocable<sim::Task<>(FormClosingEventArgs&)>> closing_;
  std::vector<WebView2Control*> controls_;
  bool disposed_ = false;
};

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_FORM_H_
