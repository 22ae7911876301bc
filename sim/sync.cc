#include "sim/sync.h"

namespace wvsim::sim {

std::string Mutex::WhyNotReady() const {
  std::string why = "mutex " + name() + " is held by thread " + owner_.name();
  if (owner_.finished()) why += ", which has finished without unlocking it";
  return why;
}

}  // namespace wvsim::sim
