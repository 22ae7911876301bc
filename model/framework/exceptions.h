// The .NET exceptions the framework layer raises, with the text .NET prints for them
// (docs/framework-rules.md). An exception that escapes a handler the kernel dispatched ends the run
// `exception` with this text.
#ifndef WVSIM_MODEL_FRAMEWORK_EXCEPTIONS_H_
#define WVSIM_MODEL_FRAMEWORK_EXCEPTIONS_H_

#include <stdexcept>

namespace wvsim::model::framework {

class NullReferenceException : public std::runtime_error {
 public:
  NullReferenceException()
      : std::runtime_error(
            "System.NullReferenceException: Object reference not set to an instance of an "
            "object.") {}
};

class OperationCanceledException : public std::runtime_error {
 public:
  OperationCanceledException()
      : std::runtime_error("System.OperationCanceledException: The operation was canceled.") {}
};

// What C# does to `p.Member` when p is null: the dereference throws NullReferenceException.
template <typename T>
T& Deref(T* pointer) {
  if (pointer == nullptr) throw NullReferenceException();
  return *pointer;
}

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_EXCEPTIONS_H_
