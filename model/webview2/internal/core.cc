// The runtime's composition (core.h) and the checks every app call makes (W3, W12, W14).
#include "model/webview2/internal/core.h"

#include "absl/strings/str_cat.h"
#include "model/verdicts.h"
#include "model/webview2/hresult.h"
#include "model/webview2/planted_defects.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::internal {

Core::Core(sim::Kernel& run_kernel)
    : kernel(run_kernel),
      port(run_kernel),
      boundary(*this, run_kernel),
      calls(run_kernel, boundary, names),
      events(*this, run_kernel, boundary, names),
      processes(run_kernel),
      faults(*this, run_kernel),
      pages(*this, run_kernel),
      navigation(*this, run_kernel) {
  RegisterChecks();
}

namespace {

constexpr char kMarshalFix[] =
    " Fix: post the call to the UI thread (SynchronizationContext.Post, Dispatcher.Invoke, "
    "PostMessage).";

}  // namespace

void Core::CheckThread(sim::Thread owner, const sim::Object& object, const char* api,
                       const char* rule) {
  const sim::Thread caller = kernel.Current();
  if (caller == owner || TestOnlyPlantedDefects().skip_thread_check) return;
  kernel.Fail(WebViewVerdict::kWrongThread, api,
              absl::StrCat(rule, ": ", api, " called on thread ", caller.name(), ", but ",
                           object.name(), " belongs to thread ", owner.name(),
                           ", the thread that created it. Win32 callers get HRESULT ",
                           DescribeHresult(kUiEWrongThread),
                           " .NET callers get InvalidOperationException: ", kDotNetWrongThreadText,
                           kMarshalFix));
  throw ComException(kUiEWrongThread, api);
}

void Core::CheckArgsThread(const EventRecord& event, const char* verb) {
  const sim::Thread caller = kernel.Current();
  if (caller == event.owner || TestOnlyPlantedDefects().skip_thread_check) return;
  const std::string api = absl::StrCat(event.type_name, "EventArgs.", verb);
  kernel.Fail(WebViewVerdict::kWrongThread, api,
              absl::StrCat("W3b: ", api, " called on thread ", caller.name(), ", but the args of ",
                           event.Name(), " belong to thread ", event.owner.name(),
                           ", the thread its handlers run on. Win32 callers get HRESULT ",
                           DescribeHresult(kUiEWrongThread),
                           " What .NET raises for event args used off the UI thread is not "
                           "documented: the model assumes InvalidOperationException, as for "
                           "CoreWebView2 (an assumption).",
                           kMarshalFix));
  throw ComException(kUiEWrongThread, api);
}

void Core::CheckCall(const WebViewRecord& webview, const char* api) {
  CheckThread(webview.owner, *webview.handle, api, "W3");
  faults.CheckAlive(webview, api);
}

void Core::RegisterChecks() {
  kernel.AddQuiescenceCheck(sim::CheckPhase::kStall, [this]() -> std::optional<sim::Violation> {
    // W12: work left behind a hung GPU or utility process is why a load never completed.
    if (std::optional<sim::Violation> auxiliary = processes.CheckAuxiliaries()) return auxiliary;
    return calls.CheckPending();
  });
  kernel.AddQuiescenceCheck(sim::CheckPhase::kLeak, [this] { return events.CheckDeferrals(); });
}

}  // namespace wvsim::model::webview2::internal
