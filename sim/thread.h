// Thread: a handle to one virtual thread of a run, and ThreadOptions, how to spawn one.
//
// A handle is what scenario code and models hold; the kernel's record behind it is private to
// sim/. A default-constructed handle, or the one a failed Kernel::Spawn returns, is invalid:
// only valid() and == may be asked of it.
#ifndef WVSIM_SIM_THREAD_H_
#define WVSIM_SIM_THREAD_H_

#include <cstdint>
#include <string>

namespace wvsim::sim {

class Kernel;
// The kernel's record of a thread: declared here, defined inside sim/ only (sim/internal/).
struct VThread;

// Valid for the run that spawned it.
class Thread {
 public:
  Thread() = default;
  bool valid() const { return thread_ != nullptr; }
  // These three require a valid handle (asserted).
  uint32_t id() const;
  const std::string& name() const;
  bool finished() const;
  bool operator==(const Thread&) const = default;

 private:
  friend class Kernel;
  friend struct VThread;
  explicit Thread(VThread* thread) : thread_(thread) {}
  VThread* thread_ = nullptr;
};

struct ThreadOptions {
  bool message_queue = false;  // a thread with a queue can be posted to and can pump
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_THREAD_H_
