// The vocabulary shared by every simulated object: a name for reports, an operation label for
// the trace and schedule, and the Waitable interface through which a thread waits for something.
//
// Objects belong to one run of one Kernel; their names appear verbatim in traces, schedules and
// reports, so they must be deterministic (never derived from a pointer value).
#ifndef WVSIM_SIM_OBJECT_H_
#define WVSIM_SIM_OBJECT_H_

#include <string>
#include <utility>

#include "sim/thread.h"

namespace wvsim::sim {

class Object {
 public:
  explicit Object(std::string name) : name_(std::move(name)) {}
  virtual ~Object() = default;
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  const std::string& name() const { return name_; }

 protected:
  // For objects the kernel recycles between runs.
  void set_name(std::string name) { name_ = std::move(name); }

 private:
  std::string name_;
};

// What a thread is about to do at a scheduling point: a verb ("lock", "post") and the object it
// acts on. `verb` must be a string literal (it is stored, not copied); `object` may be null.
struct Op {
  const char* verb = "step";
  const Object* object = nullptr;
};

// Something a thread can wait for at a scheduling point. A waiting thread is enabled exactly when
// Ready() holds; the kernel asks again before every step, so Ready must be cheap and must depend
// only on simulated state.
class Waitable {
 public:
  virtual ~Waitable() = default;
  virtual bool Ready() const = 0;
  // Why the wait cannot end now, in words for a report: "held by thread t1".
  virtual std::string WhyNotReady() const = 0;
  // The thread whose progress would end the wait (invalid if none is known): the wait-for
  // graph's edge.
  virtual Thread Blocker() const { return Thread(); }
};

// Who will end a wait on an object, as the app or a model declares it: the thread that must run
// (the wait-for graph's edge; invalid when unknown) and what it must do, in words. The kernel
// cannot see which code will set an event or complete a promise, so a report can name the
// completer only when someone declared it; otherwise it says so and lists the work not yet run.
class DeclaredProducer {
 public:
  void SetProducer(Thread thread, std::string how) {
    producer_ = thread;
    producer_how_ = std::move(how);
  }

 protected:
  Thread producer() const { return producer_; }
  // `state` ("event e is not set") followed by who will end it, or by the fact nobody said.
  std::string ExplainWith(std::string state, const char* declare_with) const {
    if (producer_how_.empty()) {
      return state + ", and no producer was declared for it (" + declare_with + ")";
    }
    return state + ": " + producer_how_;
  }

 private:
  Thread producer_;
  std::string producer_how_;
};

// How a thread waits; it decides the verdict when the run ends with the thread still waiting.
enum class WaitKind : unsigned char {
  kNone,      // not waiting: enabled at its scheduling point
  kBlocking,  // blocks the thread and its pump: Task.Result, WaitForSingleObject, a lock
  kPumping,   // a nested message loop waiting for a condition: MsgWaitForMultipleObjects
  kAwait,     // an await outside any handler: the thread waits, nothing is blocked
  kIdle,      // a message loop waiting for its next message: not a problem at all
  kSleep,     // waiting for virtual time to pass
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_OBJECT_H_
