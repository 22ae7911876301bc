// The error vocabulary of the WebView2 model: the real HRESULT codes the runtime returns and the
// .NET exception texts the WinForms/WPF wrappers throw (docs/webview2-rules.md, W1, W3, W6, W11,
// W12).
//
//   throw ComException(kRpcEChangedMode, "CreateCoreWebView2Environment#1 completion");
//   e.what() == "COMException 0x80010106 (RPC_E_CHANGED_MODE): Cannot change thread mode after it
//               is set. [CreateCoreWebView2Environment#1 completion]"
//
// Everything here is plain data: deterministic, no state.
#ifndef WVSIM_MODEL_WEBVIEW2_HRESULT_H_
#define WVSIM_MODEL_WEBVIEW2_HRESULT_H_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wvsim::model::webview2 {

using HRESULT = int32_t;

inline constexpr HRESULT kSOk = 0;
// W3: a call from a thread other than the one that created the object.
inline constexpr HRESULT kUiEWrongThread = static_cast<HRESULT>(0x802A000Cu);
// W1: CreateCoreWebView2Environment on an MTA thread (delivered to the completion handler).
inline constexpr HRESULT kRpcEChangedMode = static_cast<HRESULT>(0x80010106u);
// W1: CreateCoreWebView2Environment on a thread where COM is not initialised.
inline constexpr HRESULT kCoENotInitialized = static_cast<HRESULT>(0x800401F0u);
// W6, W7: a controller whose parent window died; a second concurrent print.
inline constexpr HRESULT kEAbort = static_cast<HRESULT>(0x80004004u);
// Generic failure: calls pending on a crashed browser process (W15, unconfirmed).
inline constexpr HRESULT kEFail = static_cast<HRESULT>(0x80004005u);
// W11: HRESULT_FROM_WIN32(ERROR_INVALID_STATE), a second environment on one user data folder
// with different options.
inline constexpr HRESULT kErrorInvalidState = static_cast<HRESULT>(0x8007139Fu);
// WR: a JSON web message read with TryGetWebMessageAsString.
inline constexpr HRESULT kEInvalidArg = static_cast<HRESULT>(0x80070057u);
// W4: the exception code of the runtime's int 3 (EXCEPTION_BREAKPOINT, an NTSTATUS).
inline constexpr HRESULT kStatusBreakpoint = static_cast<HRESULT>(0x80000003u);

// "RPC_E_CHANGED_MODE"; "HRESULT" for a code this model does not know.
const char* HresultName(HRESULT hr);
// "0x80010106 (RPC_E_CHANGED_MODE): Cannot change thread mode after it is set."
std::string DescribeHresult(HRESULT hr);

// The .NET texts (docs/webview2-rules.md W3, W12).
inline constexpr char kDotNetWrongThreadText[] =
    "CoreWebView2 can only be accessed from the UI thread.";
inline constexpr char kDotNetBrowserCrashedText[] =
    "The WebView control is no longer valid because the browser process crashed";
// The runtime's own log line for W4 (FB#2206, FB#3677).
inline constexpr char kReentrancyLogText[] =
    "Running a message loop synchronously in an event handler in Webview can cause reentrancy "
    "issue";

// A failed HRESULT as the app sees it: returned by a Win32 call, passed to a completion handler,
// or thrown by .NET's await.
class ComException : public std::runtime_error {
 public:
  ComException(HRESULT hr, std::string_view context);
  HRESULT hr() const { return hr_; }

 private:
  HRESULT hr_;
};

// .NET's InvalidOperationException, with the wrapper's text (W3, W12).
class InvalidOperationException : public std::runtime_error {
 public:
  explicit InvalidOperationException(std::string_view text);
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_HRESULT_H_
