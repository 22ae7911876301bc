#include "sim/sync.h"

namespace wvsim::sim {

std::string Mutex::WhyNotReady() const {
  return "mutex " + name() + " is held by thread " + owner_.name();
}

}  // namespace wvsim::sim
