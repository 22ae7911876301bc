// The user as an actor (docs/framework-rules.md F10): a scenario declares what the user may do
// (clicks on named controls, key presses, resizing and closing a window), how many times each; a
// "user" thread delivers each input to the UI thread's queue. When each input arrives is the
// scheduler's: which input comes next is a recorded choice among those left, and each one either
// arrives at once (racing whatever the app is doing) or once the app has gone idle, another
// recorded choice; the user thread's posts are scheduling points like any other. Replayed and
// shrunk like any decision.
//
//   User& user = User::Create(k, ui);
//   user.Click("button1", 1, [&app] { return Button1Click(app); });
//   user.CloseWindow("Form1", [&app] { return FormClose(app); });
//   user.Start();   // from Form1's Shown: the window is on screen
#ifndef WVSIM_MODEL_FRAMEWORK_USER_H_
#define WVSIM_MODEL_FRAMEWORK_USER_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/kernel.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::framework {

class User {
 public:
  static User& Create(sim::Kernel& kernel, sim::Thread ui);
  User(sim::Kernel& kernel, sim::Thread ui) : kernel_(kernel), ui_(ui) {}

  // `count` clicks on `control`, each dispatched as "click <control>" to `handler`.
  void Click(std::string control, int count, absl::AnyInvocable<sim::Task<>()> handler);
  // `count` presses of `key` in `control`, each dispatched as "key <key> in <control>".
  void PressKey(std::string control, std::string key, int count,
                absl::AnyInvocable<sim::Task<>()> handler);
  // `count` resizes of `window` (WM_SIZE), each dispatched as "resize <window>".
  void Resize(std::string window, int count, absl::AnyInvocable<sim::Task<>()> handler);
  // The user closes `window` once (WM_CLOSE): `handler` runs the window's close path. Once the
  // close is posted the user does nothing more (the window is going away).
  void CloseWindow(std::string window, absl::AnyInvocable<sim::Task<>()> handler);
  // Starts the user's thread. Call once, when the window is shown.
  void Start();

 private:
  struct Input {
    std::string label;  // "click button1", "close Form1"
    int left;
    absl::AnyInvocable<sim::Task<>()> handler;
    bool closes;  // closing the window ends the user's input: no control is left to click
  };
  void Declare(std::string label, int count, absl::AnyInvocable<sim::Task<>()> handler,
               bool closes);
  sim::Task<> Act();

  sim::Kernel& kernel_;
  sim::Thread ui_;
  std::vector<Input> inputs_;
  bool started_ = false;
};

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_USER_H_
