// The runtime's records of what the app holds handles to (docs/webview2-rules.md): an
// environment, a WebView, a frame, a raised event and its deferral. A handle (environment.h,
// core_webview2.h, frames.h, event_args.h) points at its record and nothing in an app header
// declares one; the subsystems (core.h) read and write them. Every record lives in the run's
// pooled memory (Kernel::Make), made when the runtime makes its handle.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_RECORDS_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_RECORDS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/any_invocable.h"
#include "model/webview2/core_webview2.h"
#include "model/webview2/environment.h"
#include "model/webview2/event_args.h"
#include "model/webview2/frames.h"
#include "model/webview2/host_object.h"
#include "sim/assert.h"
#include "sim/future.h"
#include "sim/kernel.h"

namespace wvsim::model::webview2::internal {

class Core;
struct BrowserProcess;
struct RendererProcess;

// An event's handlers, in registration order. Most events have one: it sits inline (in the
// record, in the run's pooled memory), so that registering it allocates nothing.
template <typename A>
using HandlerList = absl::InlinedVector<Handler<A>, 1>;

struct EnvironmentRecord {
  EnvironmentRecord() {}  // not an aggregate: see EventRecord
  Core* core = nullptr;
  Environment* handle = nullptr;
  BrowserProcess* browser = nullptr;
  sim::Thread owner;  // the thread that created it (W3)
  HandlerList<BrowserProcessExitedEventArgs> browser_process_exited;
};

struct WebViewRecord {
  WebViewRecord() {}  // not an aggregate: see EventRecord
  Core* core = nullptr;
  CoreWebView2* handle = nullptr;
  EnvironmentRecord* env = nullptr;
  sim::Thread owner;  // the thread that created the controller (W3)
  BrowserProcess& browser() const { return *env->browser; }

  // ---- The page's side.
  sim::PooledString document = "about:blank";  // pooled: a new document costs no allocation
  RendererProcess* renderer = nullptr;         // null: about:blank, or an error page (W12)
  bool content_loading_seen = false;           // ContentLoading of a document ran (W7)
  uint64_t navigation_id = 0;                  // of the current document's navigation (W2)
  std::map<std::string, std::string> globals;  // of the current document
  // W2: document.title as a page script set it; empty: the page's declared title.
  std::string script_title;
  // W2: the new document's own title differs from the one before and DocumentTitleChanged is
  // raised after NavigationCompleted (the recorded choice of Navigation::Load).
  bool title_changed_after_load = false;
  std::vector<std::string> event_outcomes;  // what each finished deferrable event did (W9)
  std::vector<CoreWebView2Frame*> frames;   // of the current document
  std::string user_agent;                   // Emulation.setUserAgentOverride (devtools.cc)
  // W9.3: AreDefaultScriptDialogsEnabled as the app set it; as the last navigation to start read
  // it; and as the current document loaded with it ("used when loading a new HTML document").
  bool default_script_dialogs = true;
  bool navigation_default_script_dialogs = true;
  bool document_default_script_dialogs = true;
  // W17: the host objects the app added (AddHostObjectToScript), by name, in the order added.
  std::vector<std::pair<std::string, HostObject*>> host_objects;
  HostObject* FindHostObject(std::string_view name) const {
    for (const auto& [object_name, object] : host_objects) {
      if (object_name == name) return object;
    }
    return nullptr;
  }
  // A new document: its ContentLoading, and the globals of the added scripts active now (W7).
  void SetDocument(std::string_view uri);
  const std::string* Global(const std::string& name) const {
    auto it = globals.find(name);
    return it == globals.end() ? nullptr : &it->second;
  }

  // ---- Calls in flight.
  bool printing = false;  // W7: one print at a time
  struct AddedScript {
    std::string name;   // "window.bridgeReady"
    std::string value;  // "true"
    sim::Future<std::string> added;
  };
  std::vector<AddedScript> added_scripts;
  // W7: while a NavigationStarting is unanswered, the browser keeps the scripts it receives and
  // sends them on once the navigation commits (so they run in the new document) or is cancelled.
  int navigations_pending = 0;  // NavigationStarting raised, Cancel not read yet (W9)
  std::vector<absl::AnyInvocable<void()>> held_scripts;  // in call order
  bool navigation_pending() const { return navigations_pending > 0; }

  // ---- Handlers (W3: added from the owner thread), dropped by Close (W14).
  HandlerList<NavigationStartingEventArgs> navigation_starting;
  HandlerList<NavigationEventArgs> content_loading;
  HandlerList<NavigationEventArgs> dom_content_loaded;
  HandlerList<NavigationEventArgs> navigation_completed;
  HandlerList<WebMessageReceivedEventArgs> web_message_received;
  HandlerList<WebResourceRequestedEventArgs> web_resource_requested;
  HandlerList<NewWindowRequestedEventArgs> new_window_requested;
  HandlerList<ProcessFailedEventArgs> process_failed;
  HandlerList<DeferrableEventArgs> deferrable[kDeferrableEventCount];
  HandlerList<FrameCreatedEventArgs> frame_created;
  HandlerList<DocumentTitleChangedEventArgs> document_title_changed;
  HandlerList<DeferrableEventArgs>& HandlersOf(DeferrableEvent event) {
    return deferrable[static_cast<int>(event)];
  }
  void DropHandlers();
  bool closed = false;  // W14
};

struct FrameRecord {
  CoreWebView2Frame* handle = nullptr;
  WebViewRecord* webview = nullptr;
  std::string name;
  std::string uri;                      // of its current document
  RendererProcess* renderer = nullptr;  // null once its renderer exited (W12)
  bool destroyed = false;               // removed, or the document holding it is gone (W15)
  // W15: counts the frame's documents; work aimed at one (a script, a web message) carries its
  // number and is dropped when the frame navigated since.
  uint64_t document = 1;
  uint64_t navigation_id = 0;  // of the current document's navigation (W2)
  // W15: the app's scripts sent to the current document and not complete yet, in call order:
  // when the document is destroyed each fails or never completes.
  std::vector<sim::FutureCore*> pending_scripts;
  std::map<std::string, std::string> globals;  // of the current document
  // W17 (CoreWebView2Frame.AddHostObjectToScriptWithOrigins): the frame's host objects, by name,
  // in the order added, each with the origins (normalized) whose documents may call it; they
  // stay with the frame across its navigations and are checked against its origin at each call.
  struct HostObjectEntry {
    std::string name;
    HostObject* object = nullptr;
    std::vector<std::string> origins;  // "*": every origin
  };
  std::vector<HostObjectEntry> host_objects;
  HandlerList<DeferrableEventArgs> permission_requested;
  HandlerList<NavigationStartingEventArgs> navigation_starting;
  HandlerList<NavigationEventArgs> content_loading;
  HandlerList<NavigationEventArgs> dom_content_loaded;
  HandlerList<NavigationEventArgs> navigation_completed;
  HandlerList<WebMessageReceivedEventArgs> web_message_received;
  HandlerList<FrameDestroyedEventArgs> destroyed_handlers;
  const std::string* Global(const std::string& key) const {
    auto it = globals.find(key);
    return it == globals.end() ? nullptr : &it->second;
  }
};

struct DeferralRecord;

// The runtime's side of one raised event (EventArgs is the app's side).
struct EventRecord {
  // Not an aggregate: Kernel::Make<T>() value-initialises, and g++ zero-fills an aggregate's
  // whole record first although every member has its initializer.
  EventRecord() {}
  Core* core = nullptr;
  EventArgs* args = nullptr;
  WebViewRecord* sender = nullptr;      // null for an environment's event
  const sim::Object* source = nullptr;  // the object raising it (WebView, frame or environment)
  sim::Thread owner;                    // the thread its handlers run on
  const char* type_name = "";           // "WebResourceRequested" (static text)
  std::string name;                     // "WebResourceRequested#2", in traced runs only
  // The event's name for reports and outcomes: numbered in traced runs. Untraced runs build no
  // name (most names are longer than a std::string holds inline: an allocation per event).
  const char* Name() const { return name.empty() ? type_name : name.c_str(); }
  const char* holds_up = "";  // what a deferral holds up (W9), for reports
  const char* rule = "W8";    // the W9 item, for reports
  DeferralRecord* deferral = nullptr;
  bool handler_returned = false;  // the handler returned or left the stack at an await
  bool finished = false;
  bool opener_went_on = false;  // NewWindowRequested: window.open returned (W9.1)
  // NewWindowRequested of a page script's window.open: the script goes on (runs once).
  absl::AnyInvocable<void()> opener_returns;
  absl::AnyInvocable<void()> on_finish;  // the runtime goes on (posts to a process)
  // Runs once, the first time the handler returns, suspends at an await or takes a deferral:
  // the moment the runtime reads what must be set synchronously (W9.4: a frame handler's Handled).
  absl::AnyInvocable<void()> on_returned;
};

struct DeferralRecord {
  EventRecord* event = nullptr;
  int handles = 0;      // app handles alive; 0 with no Complete is a dropped deferral
  int completions = 0;  // a second Complete is reported (W8, behaviour unconfirmed)
};

// The runtime's way from a handle to its record.
struct HandleAccess {
  static EnvironmentRecord& Record(const Environment& env) { return *env.record_; }
  static WebViewRecord& Record(const CoreWebView2& webview) { return *webview.record_; }
  static FrameRecord& Record(const CoreWebView2Frame& frame) { return *frame.record_; }
};

// The runtime's way into an event's args.
struct EventAccess {
  static EventRecord& Record(const EventArgs& args) {
    WVSIM_ASSERT_MSG(args.record_ != nullptr, "event args the runtime did not raise");
    return *args.record_;
  }
  static void Bind(EventArgs& args, EventRecord& record) { args.record_ = &record; }
  static Deferral MakeDeferral(DeferralRecord* record) { return Deferral(record); }
  // An args property's value, as the runtime fills it in and reads the app's answer.
  template <typename T>
  static T& Value(ArgsValue<T>& property) {
    return property.value_;
  }
  static void SetMessage(WebMessageReceivedEventArgs& args, std::string message, bool is_json) {
    args.message_ = std::move(message);
    args.is_json_ = is_json;
  }
  static const std::string& Message(const WebMessageReceivedEventArgs& args) {
    return args.message_;
  }
  static bool IsJson(const WebMessageReceivedEventArgs& args) { return args.is_json_; }
  static CoreWebView2* NewWindow(const NewWindowRequestedEventArgs& args) {
    return args.new_window_;
  }
  static void SetNewWindow(NewWindowRequestedEventArgs& args, CoreWebView2* window) {
    args.new_window_ = window;
  }
};

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_RECORDS_H_
