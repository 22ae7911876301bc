#include "model/webview2/hresult.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wvsim::model::webview2 {

namespace {

const char* HresultText(HRESULT hr) {
  switch (hr) {
    case kSOk:
      return "The operation completed successfully.";
    case kUiEWrongThread:
      return "This method can only be called from the thread that created the object.";
    case kRpcEChangedMode:
      return "Cannot change thread mode after it is set.";
    case kCoENotInitialized:
      return "CoInitialize has not been called.";
    case kEAbort:
      return "Operation aborted.";
    case kEFail:
      return "Unspecified error.";
    case kErrorInvalidState:
      return "The group or resource is not in the correct state to perform the requested "
             "operation.";
    case kEInvalidArg:
      return "The parameter is incorrect.";
    case kStatusBreakpoint:
      return "A breakpoint has been reached.";
    default:
      return "Unknown error.";
  }
}

}  // namespace

const char* HresultName(HRESULT hr) {
  switch (hr) {
    case kSOk:
      return "S_OK";
    case kUiEWrongThread:
      return "UI_E_WRONG_THREAD";
    case kRpcEChangedMode:
      return "RPC_E_CHANGED_MODE";
    case kCoENotInitialized:
      return "CO_E_NOTINITIALIZED";
    case kEAbort:
      return "E_ABORT";
    case kEFail:
      return "E_FAIL";
    case kErrorInvalidState:
      return "HRESULT_FROM_WIN32(ERROR_INVALID_STATE)";
    case kEInvalidArg:
      return "E_INVALIDARG";
    case kStatusBreakpoint:
      return "STATUS_BREAKPOINT";
    default:
      return "HRESULT";
  }
}

std::string DescribeHresult(HRESULT hr) {
  return absl::StrFormat("0x%08X (%s): %s", static_cast<uint32_t>(hr), HresultName(hr),
                         HresultText(hr));
}

ComException::ComException(HRESULT hr, std::string_view context)
    : std::runtime_error(
          absl::StrCat("COMException ", DescribeHresult(hr), " [", std::string(context), "]")),
      hr_(hr) {}

InvalidOperationException::InvalidOperationException(std::string_view text)
    : std::runtime_error(absl::StrCat("InvalidOperationException: ", std::string(text))) {}

}  // namespace wvsim::model::webview2
