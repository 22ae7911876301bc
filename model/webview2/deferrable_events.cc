// The deferrable events of W9.3..W9.15 (docs/webview2-rules.md): what each holds up, and what the
// runtime does with the handler's answer when the event finishes (the handler returned and its
// deferral, if taken, completed): the argument values are read at that moment, not before
// (internal/pages.cc applies them).
#include "absl/strings/str_cat.h"
#include "model/webview2/event_args.h"

namespace wvsim::model::webview2 {

const DeferrableEventInfo& InfoOf(DeferrableEvent event) {
  static constexpr DeferrableEventInfo kInfo[kDeferrableEventCount] = {
      {"ScriptDialogOpening", "the page's scripts (alert, confirm, prompt, beforeunload)", "W9.3"},
      {"PermissionRequested", "the page's scripts waiting for the permission", "W9.4"},
      {"DownloadStarting", "the download's progress", "W9.5"},
      {"ContextMenuRequested", "the context menu (Handled is read at completion)", "W9.6"},
      {"BasicAuthenticationRequested", "the authentication decision", "W9.7"},
      {"ClientCertificateRequested", "the choice of a client certificate", "W9.8"},
      {"ServerCertificateErrorDetected", "the navigation's outcome", "W9.9"},
      {"LaunchingExternalUriScheme", "the launch of the external URI", "W9.10"},
      {"NotificationReceived", "the page's scripts after new Notification()", "W9.11"},
      {"ScreenCaptureStarting", "the getDisplayMedia callbacks", "W9.12"},
      {"SaveAsUIShowing", "the Save As UI and the save", "W9.13"},
      {"SaveFileSecurityCheckStarting", "the security check, its UI and the save", "W9.14"},
      {"DragStarting", "further drags", "W9.15"},
  };
  return kInfo[static_cast<int>(event)];
}

namespace {

std::string Quoted(const std::string& text) { return absl::StrCat("\"", text, "\""); }

}  // namespace

std::string DialogResultOf(const DeferrableEventArgs& args) {
  if (!args.accepted.Peek()) return "false";
  return args.result_text.Peek().empty() ? std::string("true") : Quoted(args.result_text.Peek());
}

const char* PermissionStateName(PermissionState state) {
  switch (state) {
    case PermissionState::kAllow:
      return "granted";
    case PermissionState::kDeny:
      return "denied";
    case PermissionState::kDefault:
      break;
  }
  return "prompt";  // the default: the runtime shows its own permission prompt
}

namespace {

std::string CancelledOr(const DeferrableEventArgs& args, const char* cancelled,
                        std::string otherwise) {
  return args.cancel.Peek() ? std::string(cancelled) : std::move(otherwise);
}

}  // namespace

std::string OutcomeOf(const DeferrableEventArgs& args) {
  switch (args.kind.Peek()) {
    case DeferrableEvent::kScriptDialogOpening:
      return absl::StrCat("the dialog returns ", DialogResultOf(args), " to the page's script");
    case DeferrableEvent::kPermissionRequested:
      return absl::StrCat("the permission is ", PermissionStateName(args.state.Peek()));
    case DeferrableEvent::kDownloadStarting:
      return CancelledOr(
          args, "the download is cancelled",
          absl::StrCat("the download proceeds to ",
                       args.result_file_path.Peek().empty() ? "the default path"
                                                            : args.result_file_path.Peek(),
                       args.handled.Peek() ? " without the download UI" : ""));
    case DeferrableEvent::kContextMenuRequested:
      if (!args.handled.Peek()) return "the default context menu is shown";
      return args.selected_command_id.Peek() < 0
                 ? std::string("the app handled it: no default menu")
                 : absl::StrCat("the app handled it: command ", args.selected_command_id.Peek(),
                                " runs");
    case DeferrableEvent::kBasicAuthenticationRequested:
      return CancelledOr(
          args, "the authentication is cancelled: the page gets 401",
          args.user_name.Peek().empty()
              ? std::string("the default login prompt is shown")
              : absl::StrCat("the request is authenticated as ", args.user_name.Peek()));
    case DeferrableEvent::kClientCertificateRequested:
      if (args.cancel.Peek()) return "the request is cancelled";
      if (!args.handled.Peek()) return "the default certificate dialog is shown";
      return args.selected_certificate.Peek().empty()
                 ? std::string("the request goes on without a certificate")
                 : absl::StrCat("the certificate ", args.selected_certificate.Peek(), " is used");
    case DeferrableEvent::kServerCertificateErrorDetected:
      if (args.action.Peek() == ServerCertificateErrorAction::kAlwaysAllow)
        return "the navigation proceeds despite the certificate error";
      return args.action.Peek() == ServerCertificateErrorAction::kCancel
                 ? "the navigation is cancelled"
                 : "the navigation fails with the certificate error page";
    case DeferrableEvent::kLaunchingExternalUriScheme:
      return CancelledOr(args, "the launch is cancelled", "the external URI is launched");
    case DeferrableEvent::kNotificationReceived:
      return args.handled.Peek() ? "the app shows the notification: no default one"
                                 : "the default notification is shown";
    case DeferrableEvent::kScreenCaptureStarting:
      return CancelledOr(args, "getDisplayMedia rejects with NotAllowedError",
                         "the screen capture starts");
    case DeferrableEvent::kSaveAsUIShowing:
      if (args.cancel.Peek()) return "the save is cancelled";
      return args.suppress_default.Peek() ? absl::StrCat("saved to ", args.result_file_path.Peek(),
                                                         " without the Save As dialog")
                                          : std::string("the default Save As dialog is shown");
    case DeferrableEvent::kSaveFileSecurityCheckStarting:
      if (args.cancel.Peek()) return "the save is cancelled";
      return args.suppress_default.Peek() ? "saved without the default security policy"
                                          : "the default security check runs, then the save";
    case DeferrableEvent::kDragStarting:
      return args.handled.Peek() ? "the app handles the drag: no default drag"
                                 : "the default drag starts";
  }
  return "";
}

}  // namespace wvsim::model::webview2
