// The app's entry into the WebView2 runtime (runtime.h): COM apartments, environment creation,
// the app's own waits and loops, windows and streams. Everything behind them is internal/.
#include "model/webview2/runtime.h"

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::BrowserProcess;
using internal::Core;
using internal::EnvironmentRecord;

namespace {

Task<> BrowserCreateEnvironment(Core& core, BrowserProcess& browser, Thread caller,
                                Promise<Environment*> done, Apartment apartment, bool differ) {
  if (browser.dead()) co_return;  // W12: a dead process handles nothing
  if (apartment == Apartment::kMta) {
    core.calls.CompleteWithError(caller, done, kRpcEChangedMode,
                                 "W1: created on an MTA thread");  // W1: in the completion
  } else if (differ) {
    core.calls.CompleteWithError(caller, done, kErrorInvalidState,
                                 "W11: user data folder in use with other options");  // W11
  } else {
    EnvironmentRecord& record = core.kernel.Make<EnvironmentRecord>();
    record.core = &core;
    record.browser = &browser;
    record.owner = caller;
    Environment& env = core.kernel.Make<Environment>(core.names.Next("Environment"), &record);
    record.handle = &env;
    browser.environments.push_back(&record);
    core.calls.Complete(caller, done, &env);
  }
  co_return;
}

}  // namespace

Runtime& Runtime::Create(Kernel& kernel) { return kernel.Make<Runtime>(kernel); }

Runtime::Runtime(Kernel& kernel)
    : kernel_(kernel), core_(&kernel.Make<Core>(kernel)), world_(core_) {}

void Runtime::CoInitializeEx(Apartment apartment) {
  core_->boundary.SetApartment(kernel_.Current(), apartment);
}

Task<Async<Environment*>> Runtime::CreateCoreWebView2EnvironmentAsync(EnvironmentOptions options) {
  co_await kernel_.Yield({"CreateCoreWebView2Environment", nullptr});
  const Thread caller = kernel_.Current();
  const Apartment apartment = core_->boundary.ApartmentOf(caller);
  if (apartment == Apartment::kNone) {
    // W1: COM is not initialised on this thread; the call itself returns the error.
    throw ComException(kCoENotInitialized, "CreateCoreWebView2EnvironmentWithOptions");
  }
  bool differ = false;
  BrowserProcess& browser = core_->processes.BrowserFor(options, &differ);
  const Promise<Environment*> done =
      core_->calls.NewOp<Environment*>("CreateCoreWebView2Environment", caller, browser,
                                       browser.thread, internal::Completion::kMustFinish);
  Core* core = core_;
  BrowserProcess* process = &browser;
  internal::Send(core_->port, browser.thread, "CreateEnvironment",
                 [core, process, caller, done, apartment, differ] {
                   return BrowserCreateEnvironment(*core, *process, caller, done, apartment,
                                                   differ);
                 });
  co_return Async<Environment*>(core_, done.future());
}

uint64_t Runtime::BeginNestedLoop(const std::string& loop) {
  return core_->boundary.BeginNestedLoop(loop);
}

void Runtime::EndNestedLoop(uint64_t break_id) { core_->boundary.EndNestedLoop(break_id); }

Task<> Runtime::ShowDialog(std::string title, absl::AnyInvocable<Task<>()> on_shown) {
  const NestedLoopGuard guard{this, BeginNestedLoop("modal dialog '" + title + "'")};
  internal::Send(core_->port, kernel_.Current(),
                 kernel_.traced() ? sim::MessageLabel("dialog '" + title + "' shown")
                                  : sim::MessageLabel("shown"),
                 std::move(on_shown));
  co_await kernel_.RunMessageLoop();
}

Kernel::PostAwaiter Runtime::CloseDialog() { return kernel_.PostQuit(kernel_.Current()); }

Kernel::PostAwaiter Runtime::Post(Thread target, sim::MessageLabel label,
                                  absl::AnyInvocable<Task<>()> work) {
  return kernel_.Post(target, std::move(label), std::move(work));
}

void Runtime::DeliverHostCallsWith(HostCallDelivery delivery) {
  core_->pages.DeliverHostCallsWith(std::move(delivery));
}

ResponseStream& Runtime::CreateResponseStream(bool agile, int chunks, sim::Event* consumed) {
  ResponseStream& stream = kernel_.Make<ResponseStream>(
      kernel_.traced() ? core_->names.Next("Stream") : std::string("Stream"), kernel_.Current(),
      agile, chunks);
  stream.consumed = consumed;
  return stream;
}

Window& Runtime::CreateWindow() {
  return kernel_.Make<Window>(core_->names.Next("HWND"), core_, kernel_.Current());
}

PlantedDefects& TestOnlyPlantedDefects() {
  static PlantedDefects defects;
  return defects;
}

}  // namespace wvsim::model::webview2
