// A property of an event's args, as the app reads and writes it (docs/webview2-rules.md W3b).
// Args are WebView2 objects like any other: every get and put is a call into one, so each is a
// scheduling point, then the thread check (W3): the args belong to the thread their handler runs
// on, and a worker that reads or writes them ends the run `wrong_thread`.
//
//   co_await args.cancel.put(true);
//   const std::string uri = co_await args.uri.get();
//
// The runtime is not the app: it fills the values when it raises the event and reads the answers
// when the event finishes without either (Peek, internal::EventAccess::Value).
#ifndef WVSIM_MODEL_WEBVIEW2_ARGS_PROPERTY_H_
#define WVSIM_MODEL_WEBVIEW2_ARGS_PROPERTY_H_

#include <utility>

#include "sim/task.h"

namespace wvsim::model::webview2 {

struct EventArgs;

namespace internal {
struct EventAccess;
}  // namespace internal

// The scheduling point and the thread check of one access to `args` (event_args.cc). `verb` is a
// string literal naming the accessor ("put_Cancel"): the trace's operation and the report's name.
sim::Task<> AccessArgs(const EventArgs& args, const char* verb);

// A value the runtime reports and the app only reads (NavigationStarting's Uri).
template <typename T>
class ArgsValue {
 public:
  // `args`: the args this is a member of; `get_verb`: a string literal, "get_Uri".
  ArgsValue(const EventArgs* args, const char* get_verb, T initial = T())
      : args_(args), get_verb_(get_verb), value_(std::move(initial)) {}
  ArgsValue(const ArgsValue&) = delete;
  ArgsValue& operator=(const ArgsValue&) = delete;

  sim::Task<T> get() const {
    co_await AccessArgs(*args_, get_verb_);
    co_return value_;
  }
  // The value without a scheduling point or a check: for the runtime, and for a test's checks
  // after the run. Never for app code (it would hide the W3 violation the model is there to find).
  const T& Peek() const { return value_; }

 protected:
  const EventArgs* args() const { return args_; }
  T& value() { return value_; }

 private:
  friend struct internal::EventAccess;
  const EventArgs* args_;
  const char* get_verb_;
  T value_;
};

// An answer the app gives (NavigationStarting's Cancel): read by the runtime when the event
// finishes (W9).
template <typename T>
class ArgsProperty : public ArgsValue<T> {
 public:
  ArgsProperty(const EventArgs* args, const char* get_verb, const char* put_verb, T initial = T())
      : ArgsValue<T>(args, get_verb, std::move(initial)), put_verb_(put_verb) {}

  sim::Task<> put(T new_value) {
    co_await AccessArgs(*this->args(), put_verb_);
    this->value() = std::move(new_value);
  }

 private:
  const char* put_verb_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_ARGS_PROPERTY_H_
