// The arguments of WebView2 events and their deferrals (docs/webview2-rules.md W8, W9, W12, W13):
// what a handler receives, what it may answer, and what the runtime reads back when the event
// finishes. The runtime raises the events and keeps its own bookkeeping of each (whose thread,
// the deferral, what the event holds up) in a record the app cannot reach
// (internal/events.h).
//
//   Task<> OnNavigationStarting(NavigationStartingEventArgs& args) {
//     const std::string uri = co_await args.uri.get();
//     co_await args.cancel.put(IsBlocked(uri));  // before the first suspend (W9)
//   }
//
// Thread-safety: every args object belongs to the UI thread of its sender (W3, W3b): each
// property's get and put (args_property.h) and each method is a scheduling point, then the thread
// check; GetDeferral and Deferral.Complete check the thread. Determinism: args names
// (NavigationStarting#2) come from per-run counters.
#ifndef WVSIM_MODEL_WEBVIEW2_EVENT_ARGS_H_
#define WVSIM_MODEL_WEBVIEW2_EVENT_ARGS_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "model/webview2/args_property.h"
#include "model/webview2/hresult.h"
#include "sim/kernel.h"
#include "sim/sync.h"

namespace wvsim::model::webview2 {

using sim::Task;
using sim::Thread;

class CoreWebView2;
class CoreWebView2Frame;

namespace internal {
struct DeferralRecord;
struct EventRecord;
struct EventAccess;
}  // namespace internal

// ---- Deferrals (W8, W9).

// args.GetDeferral(): keeps the event open after the handler returns until Complete() (W8).
// Copyable like a COM pointer; Complete is bound to the UI thread (W3, FB#376).
class Deferral {
 public:
  Deferral() = default;
  Deferral(const Deferral& other);
  Deferral(Deferral&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  Deferral& operator=(Deferral other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~Deferral();
  void Complete();
  bool completed() const;

 private:
  friend struct internal::EventAccess;
  explicit Deferral(internal::DeferralRecord* state);
  internal::DeferralRecord* state_ = nullptr;
};

// C# `using (args.GetDeferral())`, C++ RAII: completes when it goes out of scope, even when the
// handler throws (W8).
class ScopedDeferral {
 public:
  explicit ScopedDeferral(Deferral deferral) : deferral_(std::move(deferral)) {}
  ScopedDeferral(const ScopedDeferral&) = delete;
  ScopedDeferral& operator=(const ScopedDeferral&) = delete;
  ~ScopedDeferral() {
    if (!deferral_.completed()) deferral_.Complete();
  }

 private:
  Deferral deferral_;
};

// ---- Event arguments.

// What every event's args have. The runtime's record of the event (internal::EventRecord) is
// bound when the runtime raises it.
struct EventArgs {
  EventArgs() = default;
  EventArgs(const EventArgs&) = delete;  // the properties point at their args
  EventArgs& operator=(const EventArgs&) = delete;
  // W8: keeps the event open after the handler returns, until Complete (W3: UI thread only).
  Deferral GetDeferral();
  // "NavigationCompleted#3" in traced runs, "NavigationCompleted" otherwise.
  const char* Name() const;

 private:
  friend struct internal::EventAccess;
  internal::EventRecord* record_ = nullptr;
};

// WR: COREWEBVIEW2_WEB_ERROR_STATUS, the values the model produces (kUnknown on success).
enum class WebErrorStatus : uint8_t { kUnknown, kOperationCanceled };

// ContentLoading, DOMContentLoaded and NavigationCompleted (W2: in that order, after
// NavigationStarting, each a message on the UI thread).
struct NavigationEventArgs : EventArgs {
  ArgsValue<std::string> uri{this, "get_Uri"};
  // NavigationId: the same for every event of one navigation.
  ArgsValue<uint64_t> navigation_id{this, "get_NavigationId"};
  ArgsValue<bool> is_success{this, "get_IsSuccess", true};  // NavigationCompleted
  ArgsValue<WebErrorStatus> web_error_status{this, "get_WebErrorStatus"};
};

// NavigationStarting has no deferral (W9): the runtime reads Cancel when the handler returns or
// first suspends at an await; a Cancel set after that has no effect and the page loads.
struct NavigationStartingEventArgs : EventArgs {
  ArgsValue<std::string> uri{this, "get_Uri"};
  ArgsValue<uint64_t> navigation_id{this, "get_NavigationId"};
  ArgsProperty<bool> cancel{this, "get_Cancel", "put_Cancel"};
  // WR: true for a navigation the app started (its API calls count as user initiated), false for
  // one a page script started (Page::Script::Navigate).
  ArgsValue<bool> is_user_initiated{this, "get_IsUserInitiated", true};
  Deferral GetDeferral() = delete;  // W9: no deferral for NavigationStarting
};

// Page -> host: window.chrome.webview.postMessage(...) (and the page's answer to the host's
// PostWebMessageAsString / PostWebMessageAsJson, web_messages.cc).
struct WebMessageReceivedEventArgs : EventArgs {
  // Source: the document that posted it.
  ArgsValue<std::string> source_uri{this, "get_Source"};
  // WR: the string message; a JSON message is not a string (E_INVALIDARG; .NET ArgumentException).
  sim::Task<std::string> TryGetWebMessageAsString() const;
  // WR: always valid; a string message comes as a JSON string literal.
  sim::Task<std::string> WebMessageAsJson() const;

 private:
  friend struct internal::EventAccess;
  std::string message_;  // the string, or the JSON text when is_json_
  bool is_json_ = false;
};

// A response's content stream (W10). A stream created on an STA thread that pumps is non-agile
// unless made agile: every read from the browser's background thread is marshalled to it.
struct ResponseStream : sim::Object {
  ResponseStream(std::string name, Thread creator, bool is_agile, int chunk_count)
      : sim::Object(std::move(name)), created_on(creator), agile(is_agile), chunks(chunk_count) {}
  Thread created_on;
  bool agile;
  int chunks;
  int read = 0;
  sim::Event* consumed = nullptr;  // the app's own signal, set when the last chunk was read
};

// WebResourceRequest.Content: the body of a POST, as the runtime hands it to the handler (W10).
// A memory stream the runtime made, so the model treats it as agile (unconfirmed): the app reads
// it synchronously, on any thread, without marshalling.
struct RequestContent : sim::Object {
  RequestContent(std::string name, std::string data)
      : sim::Object(std::move(name)), body(std::move(data)) {}
  // IStream::Read: up to `bytes_max` bytes from the current position; empty at the end.
  std::string Read(size_t bytes_max) {
    const size_t count = position < body.size() ? std::min(bytes_max, body.size() - position) : 0;
    std::string chunk = body.substr(position, count);
    position += count;
    return chunk;
  }
  std::string body;
  size_t position = 0;
};

struct WebResourceRequestedEventArgs : EventArgs {
  ArgsValue<std::string> uri{this, "get_Uri"};               // Request.Uri
  ArgsValue<std::string> method{this, "get_Method", "GET"};  // Request.Method
  // Request.Content: the POST body, null for a GET (W10).
  ArgsValue<RequestContent*> content{this, "get_Content", nullptr};
  ArgsProperty<ResponseStream*> response{this, "get_Response", "put_Response", nullptr};
};

struct NewWindowRequestedEventArgs : EventArgs {
  ArgsValue<std::string> uri{this, "get_Uri"};
  ArgsProperty<bool> handled{this, "get_Handled", "put_Handled"};
  // args.NewWindow = window. W9.1: set while the deferral is still open, it ends the hold on the
  // opener at once (window.open returns it); the window itself navigates when the event finishes.
  sim::Task<> SetNewWindow(CoreWebView2* window);
  sim::Task<CoreWebView2*> NewWindow() const;

 private:
  friend struct internal::EventAccess;
  CoreWebView2* new_window_ = nullptr;
};

// W9: the deferrable events besides NewWindowRequested (W9.1) and WebResourceRequested (W9.2),
// which have args of their own. Each holds up what the rule says until its handler returned and
// its deferral (if taken) completed.
enum class DeferrableEvent : uint8_t {
  kScriptDialogOpening,             // W9.3
  kPermissionRequested,             // W9.4
  kDownloadStarting,                // W9.5
  kContextMenuRequested,            // W9.6
  kBasicAuthenticationRequested,    // W9.7
  kClientCertificateRequested,      // W9.8
  kServerCertificateErrorDetected,  // W9.9
  kLaunchingExternalUriScheme,      // W9.10
  kNotificationReceived,            // W9.11
  kScreenCaptureStarting,           // W9.12
  kSaveAsUIShowing,                 // W9.13
  kSaveFileSecurityCheckStarting,   // W9.14
  kDragStarting,                    // W9.15
};
inline constexpr int kDeferrableEventCount = 13;

struct DeferrableEventInfo {
  const char* name;      // "ScriptDialogOpening"
  const char* holds_up;  // "the page's scripts (alert, confirm, prompt, beforeunload)"
  const char* rule;      // "W9.3"
};
const DeferrableEventInfo& InfoOf(DeferrableEvent event);

// W9.3: ScriptDialogOpening's Kind (WR: COREWEBVIEW2_SCRIPT_DIALOG_KIND), the model's three.
enum class ScriptDialogKind : uint8_t { kAlert, kConfirm, kPrompt };

// W9.4: PermissionRequested's State; W9.9: ServerCertificateErrorDetected's Action.
enum class PermissionState : uint8_t { kDefault, kAllow, kDeny };
enum class ServerCertificateErrorAction : uint8_t { kDefault, kAlwaysAllow, kCancel };

// The app's answers, as the events' args name them. The runtime reads them when the event
// finishes (handler returned, deferral completed): a value set after that is ignored (W9).
struct DeferrableEventArgs : EventArgs {
  ArgsValue<DeferrableEvent> kind{this, "get_Kind", DeferrableEvent::kScriptDialogOpening};
  // ContextMenuRequested, DownloadStarting, NotificationReceived, ScreenCaptureStarting,
  // ClientCertificateRequested, DragStarting: the app handles it; no default UI.
  ArgsProperty<bool> handled{this, "get_Handled", "put_Handled"};
  // DownloadStarting, BasicAuthenticationRequested, ClientCertificateRequested,
  // LaunchingExternalUriScheme, ScreenCaptureStarting, SaveAsUIShowing,
  // SaveFileSecurityCheckStarting (CancelSave).
  ArgsProperty<bool> cancel{this, "get_Cancel", "put_Cancel"};
  // ScriptDialogOpening: Accept() was called.
  ArgsValue<bool> accepted{this, "get_Accepted"};
  ArgsProperty<std::string> result_text{this, "get_ResultText", "put_ResultText"};  // prompt()
  // ScriptDialogOpening: the dialog's text (a page script's alert, confirm or prompt), its kind,
  // and a prompt's DefaultText.
  ArgsValue<std::string> message{this, "get_Message"};
  ArgsValue<ScriptDialogKind> dialog_kind{this, "get_Kind", ScriptDialogKind::kAlert};
  ArgsValue<std::string> default_text{this, "get_DefaultText"};
  // PermissionRequested.
  ArgsProperty<PermissionState> state{this, "get_State", "put_State", PermissionState::kDefault};
  // ServerCertificateErrorDetected.
  ArgsProperty<ServerCertificateErrorAction> action{this, "get_Action", "put_Action",
                                                    ServerCertificateErrorAction::kDefault};
  // BasicAuthenticationRequested: Response.UserName.
  ArgsProperty<std::string> user_name{this, "get_UserName", "put_UserName"};
  // ClientCertificateRequested.
  ArgsProperty<std::string> selected_certificate{this, "get_SelectedCertificate",
                                                 "put_SelectedCertificate"};
  // DownloadStarting, SaveAsUIShowing (SaveAsFilePath).
  ArgsProperty<std::string> result_file_path{this, "get_ResultFilePath", "put_ResultFilePath"};
  // SaveAsUIShowing: SuppressDefaultDialog; SaveFileSecurityCheckStarting: SuppressDefaultPolicy.
  ArgsProperty<bool> suppress_default{this, "get_SuppressDefault", "put_SuppressDefault"};
  // ContextMenuRequested: SelectedCommandId (-1: none).
  ArgsProperty<int> selected_command_id{this, "get_SelectedCommandId", "put_SelectedCommandId", -1};
  // PermissionRequested raised by a frame (W9.4): the CoreWebView2Frame whose document asked.
  ArgsValue<CoreWebView2Frame*> frame{this, "get_Frame", nullptr};
  // ScriptDialogOpening: the dialog returns true (confirm) or the result text (prompt).
  sim::Task<> Accept();
};
// What the runtime does with the answers of `args` (W9), as a sentence: "the default context
// menu is shown". Read at the moment the event finishes.
std::string OutcomeOf(const DeferrableEventArgs& args);
// W9.3: what alert, confirm or prompt returns to the page's script: "false", "true", "\"text\"".
std::string DialogResultOf(const DeferrableEventArgs& args);
// What the page's script sees of a PermissionRequested answer: "granted", "denied", "prompt".
const char* PermissionStateName(PermissionState state);

// W12: ProcessFailed kinds and reasons, as the API names them.
enum class ProcessFailedKind : uint8_t {
  kBrowserProcessExited,
  kRenderProcessExited,
  kRenderProcessUnresponsive,
  kFrameRenderProcessExited,
  kUtilityProcessExited,
  kSandboxHelperProcessExited,
  kGpuProcessExited,
  kPpapiPluginProcessExited,
  kPpapiBrokerProcessExited,
  kUnknownProcessExited,
};
enum class ProcessFailedReason : uint8_t {
  kUnexpected,
  kUnresponsive,
  kTerminated,
  kCrashed,
  kLaunchFailed,
  kOutOfMemory,
  kNormalExit,
  kAbnormalExit,
};
const char* ProcessFailedKindName(ProcessFailedKind kind);
const char* ProcessFailedReasonName(ProcessFailedReason reason);
// The exit code ProcessFailed reports with `reason` (process_failed.cc).
int ExitCodeOf(ProcessFailedReason reason);

// W12: the exit code of a process that has not exited (RenderProcessUnresponsive).
inline constexpr int kStillActiveExitCode = 259;  // STILL_ACTIVE

struct ProcessFailedEventArgs : EventArgs {
  ArgsValue<ProcessFailedKind> kind{this, "get_ProcessFailedKind",
                                    ProcessFailedKind::kUnknownProcessExited};
  ArgsValue<ProcessFailedReason> reason{this, "get_Reason", ProcessFailedReason::kUnexpected};
  ArgsValue<int> exit_code{this, "get_ExitCode"};
  // A utility process's service ("Network Service").
  ArgsValue<std::string> process_description{this, "get_ProcessDescription"};
  // FrameInfosForFailedProcess (frame ids).
  ArgsValue<std::vector<std::string>> failed_frames{this, "get_FrameInfosForFailedProcess"};
};

// FrameCreated: an iframe of the document got its CoreWebView2Frame.
struct FrameCreatedEventArgs : EventArgs {
  ArgsValue<CoreWebView2Frame*> frame{this, "get_Frame", nullptr};
};

// CoreWebView2Frame.Destroyed (W15): the iframe was removed or the document holding it was
// destroyed. WR: "No event args exist and the args parameter is set to null"; the model hands the
// handler an empty args object, so that it runs behind the same boundary as every handler.
struct FrameDestroyedEventArgs : EventArgs {};

// CoreWebView2.DocumentTitleChanged (W2): the document's title changed; the handler reads the
// new one with CoreWebView2::get_DocumentTitle. WR: its args are an IUnknown that is null; the
// model hands the handler an empty args object, as for Destroyed.
struct DocumentTitleChangedEventArgs : EventArgs {};

// W13: on the environment, after every process of the group exited.
enum class BrowserProcessExitKind : uint8_t { kNormal, kFailed };
struct BrowserProcessExitedEventArgs : EventArgs {
  ArgsValue<BrowserProcessExitKind> kind{this, "get_BrowserProcessExitKind",
                                         BrowserProcessExitKind::kNormal};
};

// An event handler: a coroutine, so that it can await (and leave the stack, W8).
template <typename A>
using Handler = std::function<Task<>(A&)>;

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_EVENT_ARGS_H_
