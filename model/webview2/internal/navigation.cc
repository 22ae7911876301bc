// Navigation and page loads (navigation.h, docs/webview2-rules.md W2, W7, W9, W10):
// NavigationStarting and its Cancel, the commit of the new document in its renderer
// (ContentLoading, DOMContentLoaded), the page's subresource request (WebResourceRequested, with
// its request and response content), NavigationCompleted, and window.open (NewWindowRequested).
// Every event is a message on the WebView's UI thread (W2); the browser and renderer steps are
// messages on their process threads.
#include "model/webview2/internal/navigation.h"

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2::internal {

using sim::Thread;
using sim::WaitKind;

namespace {

Task<> MarshalledRead(sim::Promise<void> read) {
  read.Set();
  co_return;
}

Task<> FinishLoadTask(Core& core, WebViewRecord& webview) {
  if (!webview.browser().dead()) core.navigation.FinishLoad(webview);
  co_return;
}

// The browser's background thread reads the response stream (W10).
Task<> ReadResponse(Core& core, WebViewRecord& webview, ResponseStream& stream,
                    RendererProcess& renderer) {
  sim::Kernel& k = core.kernel;
  for (int i = 0; i < stream.chunks; ++i) {
    const Thread creator = stream.created_on;
    const bool marshalled = !stream.agile && core.port.HasMessageQueue(creator) &&
                            core.boundary.ApartmentOf(creator) == Apartment::kSta;
    if (!marshalled) {
      co_await k.Yield({"IStream::Read", &stream});
    } else {
      const sim::Promise<void> read =
          k.MakePromise<void>(k.traced() ? core.names.Next("IStream::Read") : std::string());
      const uint64_t id =
          Send(core.port, stream.created_on, k.traced() ? read.future().name() : "IStream::Read",
               [read] { return MarshalledRead(read); });
      if (k.traced()) {
        read.SetProducer(creator,
                         absl::StrCat("the read is message #", id, " marshalled to thread ",
                                      creator.name(), ", the apartment of the non-agile stream ",
                                      stream.name(), ", which must pump to run it (W10)"));
      }
      sim::FutureState<void>& state = read.future().state();
      co_await k.Wait({"IStream::Read", &state}, state, WaitKind::kBlocking);
    }
    ++stream.read;
  }
  if (stream.consumed != nullptr) co_await stream.consumed->Set();
  Core* self = &core;
  WebViewRecord* target = &webview;
  core.processes.SendToRenderer(renderer, "resource loaded",
                                [self, target] { return FinishLoadTask(*self, *target); });
}

Task<> ReadResponseThread(Core& core, WebViewRecord& webview, ResponseStream& stream,
                          RendererProcess& renderer) {
  co_await ReadResponse(core, webview, stream, renderer);
}

Task<> RendererLoad(Core& core, WebViewRecord& webview, std::string_view uri, uint64_t id,
                    RendererProcess& renderer) {
  core.navigation.Load(webview, uri, id, renderer);
  co_return;
}

Task<> BrowserNavigate(Core& core, WebViewRecord& webview, std::string_view uri,
                       bool user_initiated) {
  if (webview.browser().dead()) co_return;
  core.navigation.Navigate(webview, uri, user_initiated);
}

Task<> BrowserNavigationAnswered(Core& core, WebViewRecord& webview, std::string_view uri,
                                 uint64_t id, bool cancel) {
  core.navigation.AnswerNavigationStarting(webview, uri, id, cancel);
  co_return;
}

}  // namespace

void Navigation::StartNavigation(WebViewRecord& webview, const char* label, std::string_view uri,
                                 bool user_initiated) {
  // The navigation's URI lives until the run ends: everything downstream views it.
  const std::string_view kept = kernel_.Make<sim::PooledString>(uri);
  Core* core = &core_;
  WebViewRecord* target = &webview;
  Send(core_.port, webview.browser().thread, sim::MessageLabel::Static(label),
       [core, target, kept, user_initiated] {
         return BrowserNavigate(*core, *target, kept, user_initiated);
       });
}

void Navigation::Navigate(WebViewRecord& webview, std::string_view uri, bool user_initiated) {
  const uint64_t id = NextNavigationId();
  // W9.3: the settings a new document loads with are read when its navigation starts.
  webview.navigation_default_script_dialogs = webview.default_script_dialogs;
  // W9: with NavigationStarting handlers the navigation waits until their Cancel was read.
  if (RaiseNavigationStarting(webview, uri, id, user_initiated)) return;
  CommitNavigation(webview, uri, id);
}

// ---- NavigationStarting and its Cancel (W9), the commit (W7).

bool Navigation::RaiseNavigationStarting(WebViewRecord& webview, std::string_view uri, uint64_t id,
                                         bool user_initiated) {
  if (webview.navigation_starting.empty()) return false;
  auto& args = core_.events.NewEventArgs<NavigationStartingEventArgs>(webview, "NavigationStarting",
                                                                      "", "W9");
  EventAccess::Value(args.uri) = uri;
  EventAccess::Value(args.navigation_id) = id;
  EventAccess::Value(args.is_user_initiated) = user_initiated;
  ++webview.navigations_pending;
  Core* core = &core_;
  WebViewRecord* sender = &webview;
  NavigationStartingEventArgs* event = &args;
  EventAccess::Record(args).on_finish = [core, sender, event, kept = uri] {
    // W9: no deferral: Cancel is read now, when the handler returned or first suspended.
    const bool cancel = event->cancel.Peek();
    if (core->kernel.traced()) {
      core->kernel.Log(absl::StrCat(event->Name(), ": Cancel read as ", cancel ? "true" : "false",
                                    " when its handler returned or first suspended (W9: a "
                                    "Cancel set later has no effect)"));
    }
    const uint64_t navigation = event->navigation_id.Peek();
    Send(core->port, sender->browser().thread,
         cancel ? sim::MessageLabel("navigation cancelled")
                : sim::MessageLabel("navigation goes on"),
         [core, sender, kept, navigation, cancel] {
           return BrowserNavigationAnswered(*core, *sender, kept, navigation, cancel);
         });
  };
  core_.events.RaiseEvent(args, webview.navigation_starting);
  return true;
}

void Navigation::AnswerNavigationStarting(WebViewRecord& webview, std::string_view uri, uint64_t id,
                                          bool cancel) {
  if (webview.browser().dead()) return;  // W12: a dead process handles nothing
  --webview.navigations_pending;
  if (webview.closed) return;  // W14: nothing more happens on a closed WebView
  if (!cancel) {
    CommitNavigation(webview, uri, id);
    return;
  }
  // W9: a cancelled navigation does not load; NavigationCompleted reports it.
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W9: the navigation to ", absl::string_view(uri.data(), uri.size()),
                             " was cancelled: it does not load; NavigationCompleted has "
                             "IsSuccess false, WebErrorStatus OperationCanceled"));
  }
  RaiseNavigationCanceled(webview, uri, id);
  ReleaseHeldScripts(webview);  // they run in the document that stays
}

void Navigation::CommitNavigation(WebViewRecord& webview, std::string_view uri, uint64_t id) {
  if (RendererProcess* current = webview.renderer; current != nullptr && current->hung) {
    core_.faults.TerminateHungRenderer(*current, webview);  // W12: a new renderer loads it
  }
  RendererProcess& renderer = core_.processes.RendererFor(webview.browser(), uri);
  webview.renderer = &renderer;
  Core* core = &core_;
  WebViewRecord* target = &webview;
  const std::string_view kept = uri;
  RendererProcess* process = &renderer;
  // W11, W12: the utility process (the network service) fetches the document before the renderer
  // commits it, so a hung utility process holds the load back.
  std::string what = kernel_.traced()
                         ? absl::StrCat("fetch of ", absl::string_view(uri.data(), uri.size()),
                                        " for ", webview.handle->name())
                         : std::string();
  core_.processes.RunOnAuxiliary(
      webview.browser().utility, std::move(what), [core, target, kept, id, process] {
        core->processes.SendToRenderer(*process, "load", [core, target, kept, id, process] {
          return RendererLoad(*core, *target, kept, id, *process);
        });
        // W7: scripts held since NavigationStarting reach the renderer after the load, so they
        // run in the new document, from its ContentLoading on.
        core->navigation.ReleaseHeldScripts(*target);
      });
}

void Navigation::HoldScript(WebViewRecord& webview, absl::AnyInvocable<void()> forward) {
  WVSIM_ASSERT_MSG(webview.navigation_pending(), "a script held with no navigation to wait for");
  webview.held_scripts.push_back(std::move(forward));
}

void Navigation::ReleaseHeldScripts(WebViewRecord& webview) {
  if (webview.navigation_pending() || webview.held_scripts.empty()) return;
  std::vector<absl::AnyInvocable<void()>> held = std::move(webview.held_scripts);
  webview.held_scripts.clear();
  for (absl::AnyInvocable<void()>& forward : held) forward();
}

// ---- The renderer commits the new document: ContentLoading, then DOMContentLoaded once it is
// parsed; the page's subresource (if anyone intercepts it) holds NavigationCompleted (W2, W9.2).

void Navigation::Load(WebViewRecord& webview, std::string_view uri, uint64_t id,
                      RendererProcess& renderer) {
  if (!renderer.responsive()) return;  // W12: a hung renderer loads nothing
  if (!webview.frames.empty()) core_.pages.DestroyFrames(webview);  // the old document's frames
  const std::string old_title = core_.pages.DocumentTitle(webview);
  webview.SetDocument(uri);
  webview.navigation_id = id;
  RaiseDocumentEvent(webview, webview.content_loading, "ContentLoading");
  RaiseDocumentEvent(webview, webview.dom_content_loaded, "DOMContentLoaded");
  // W2: the new document's own title, known once it is parsed, changes DocumentTitle; its
  // DocumentTitleChanged "may run before or after the NavigationCompleted event": a recorded
  // choice, made only for an app that listens.
  webview.title_changed_after_load = false;
  if (!webview.document_title_changed.empty() && core_.pages.DocumentTitle(webview) != old_title) {
    if (kernel_.Choose(sim::ChoiceKind::kValue, 2,
                       "W2: DocumentTitleChanged before or after NavigationCompleted") == 0) {
      core_.pages.RaiseDocumentTitleChanged(webview);
    } else {
      webview.title_changed_after_load = true;
    }
  }
  core_.pages.SendPageScripts(webview, Page::Script::When::kDOMContentLoaded);
  const Page* page = core_.pages.FindPage(uri);
  if (page != nullptr && !page->subresource.empty() && !webview.web_resource_requested.empty()) {
    RaiseWebResourceRequested(webview, *page, renderer);
    return;  // the load goes on when the request's event finished (W9.2)
  }
  FinishLoad(webview);
}

// W11, W12: the GPU process composites the document before the load completes, so a hung GPU
// process holds NavigationCompleted back (auxiliary_processes.cc). When the document's renderer
// exits before the composite is done, the load ends with it: no NavigationCompleted for that
// document (the model's reading; the app's ProcessFailed handler reloads). Without a GPU thread
// the composite is done at once, so that never happens.
void Navigation::FinishLoad(WebViewRecord& webview) {
  Navigation* self = this;
  WebViewRecord* target = &webview;
  const RendererProcess* renderer = webview.renderer;
  std::string what = kernel_.traced() ? absl::StrCat("composite of ", webview.handle->name(),
                                                     "'s document before its "
                                                     "NavigationCompleted")
                                      : std::string();
  core_.processes.RunOnAuxiliary(webview.browser().gpu, std::move(what), [self, target, renderer] {
    if (renderer != nullptr && renderer->crashed) return;
    self->CompleteLoad(*target);
  });
}

// What the load does once the GPU process composited it (W2: NavigationCompleted last).
void Navigation::CompleteLoad(WebViewRecord& webview) {
  const Page* page = core_.pages.FindPage(webview.document);
  if (page != nullptr && !page->frames.empty()) core_.pages.CreateFrames(webview, *page);
  RaiseDocumentEvent(webview, webview.navigation_completed, "NavigationCompleted");
  if (webview.title_changed_after_load) {
    webview.title_changed_after_load = false;
    core_.pages.RaiseDocumentTitleChanged(webview);  // W2: after NavigationCompleted
  }
  if (page == nullptr) return;
  if (!page->web_message.empty()) core_.pages.RaiseWebMessage(webview, page->web_message);
  if (!page->window_open.empty()) RaiseNewWindow(webview, page->window_open);
  core_.pages.SendPageScripts(webview, Page::Script::When::kLoad);  // the window's load event
  core_.pages.RaisePageEvents(webview, *page, 0);
}

// ---- ContentLoading, DOMContentLoaded, NavigationCompleted (W2).

void Navigation::RaiseDocumentEvent(WebViewRecord& webview, HandlerList<NavigationEventArgs>& list,
                                    const char* event) {
  if (list.empty()) return;
  auto& args = core_.events.NewEventArgs<NavigationEventArgs>(webview, event, "", "W2");
  EventAccess::Value(args.uri) = std::string_view(webview.document);
  EventAccess::Value(args.navigation_id) = webview.navigation_id;
  core_.events.RaiseEvent(args, list);
}

void Navigation::RaiseNavigationCanceled(WebViewRecord& webview, std::string_view uri,
                                         uint64_t id) {
  if (webview.navigation_completed.empty()) return;
  auto& args =
      core_.events.NewEventArgs<NavigationEventArgs>(webview, "NavigationCompleted", "", "W9");
  EventAccess::Value(args.uri) = uri;
  EventAccess::Value(args.navigation_id) = id;
  EventAccess::Value(args.is_success) = false;
  EventAccess::Value(args.web_error_status) = WebErrorStatus::kOperationCanceled;
  core_.events.RaiseEvent(args, webview.navigation_completed);
}

// ---- The page's subresource (W9.2, W10).

void Navigation::RaiseWebResourceRequested(WebViewRecord& webview, const Page& page,
                                           RendererProcess& renderer) {
  auto& args = core_.events.NewEventArgs<WebResourceRequestedEventArgs>(
      webview, "WebResourceRequested", "the request, and the rendering of its content", "W9.2");
  EventAccess::Value(args.uri) = page.subresource;
  if (!page.subresource_body.empty()) {
    // W10: a POST's body reaches the handler as Request.Content.
    EventAccess::Value(args.method) = "POST";
    EventAccess::Value(args.content) =
        &kernel_.Make<RequestContent>("Request.Content", page.subresource_body);
  }
  Core* core = &core_;
  WebViewRecord* sender = &webview;
  RendererProcess* process = &renderer;
  WebResourceRequestedEventArgs* event = &args;
  EventAccess::Record(args).on_finish = [core, sender, process, event] {
    if (event->response.Peek() == nullptr) {
      core->processes.SendToRenderer(*process, "resource loaded",
                                     [core, sender] { return FinishLoadTask(*core, *sender); });
      return;
    }
    // W10: the response's content is read on the browser's background thread.
    core->kernel.Spawn("browser_io",
                       ReadResponseThread(*core, *sender, *event->response.Peek(), *process));
  };
  core_.events.RaiseEvent(args, webview.web_resource_requested);
}

// ---- window.open (W9.1).

bool Navigation::RaiseNewWindow(WebViewRecord& webview, const std::string& uri,
                                absl::AnyInvocable<void()> opener_returns) {
  if (webview.new_window_requested.empty()) return false;
  auto& args = core_.events.NewEventArgs<NewWindowRequestedEventArgs>(
      webview, "NewWindowRequested", "the opener's script, whose window.open has not returned",
      "W9.1");
  EventAccess::Value(args.uri) = uri;
  EventAccess::Record(args).opener_returns = std::move(opener_returns);
  NewWindowRequestedEventArgs* event = &args;
  Navigation* self = this;
  EventAccess::Record(args).on_finish = [self, event] {
    CoreWebView2* window = EventAccess::NewWindow(*event);
    if (window == nullptr) {
      OpenerReturns(EventAccess::Record(*event));  // window.open returns null
      return;
    }
    self->OpenerGoesOn(*event);  // unless it went on early
    // W9.1: the window window.open returned stays un-navigated until the event completes.
    WebViewRecord& opened = HandleAccess::Record(*window);
    if (!opened.closed) self->StartNavigation(opened, "Navigate", event->uri.Peek());
  };
  core_.events.RaiseEvent(args, webview.new_window_requested);
  return true;
}

void Navigation::OpenerReturns(EventRecord& event) {
  if (!event.opener_returns) return;
  absl::AnyInvocable<void()> returns = std::move(event.opener_returns);
  event.opener_returns = nullptr;
  returns();
}

void Navigation::SetNewWindow(NewWindowRequestedEventArgs& args, CoreWebView2* window) {
  EventRecord& event = EventAccess::Record(args);
  EventAccess::SetNewWindow(args, window);
  const bool deferred = event.deferral != nullptr && event.deferral->completions == 0;
  if (event.finished || !deferred || window == nullptr) return;
  // W9.1: set while the deferral is open, the event completes early for the opener: window.open
  // returns now; the window still navigates only when the deferral completes.
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat(event.Name(),
                             ": NewWindow set while the deferral is open: the opener "
                             "goes on now (W9.1)"));
  }
  OpenerGoesOn(args);
  event.holds_up = "the new window's navigation (window.open returned when NewWindow was set)";
}

void Navigation::OpenerGoesOn(NewWindowRequestedEventArgs& args) {
  EventRecord& event = EventAccess::Record(args);
  if (event.opener_went_on) return;
  event.opener_went_on = true;
  if (kernel_.traced()) {
    kernel_.Log(
        absl::StrCat(event.Name(), ": window.open returns ", EventAccess::NewWindow(args)->name()));
  }
  // The page's script after window.open records that it got a window (read by ExecuteScript).
  event.sender->globals["window.popupOpened"] = "true";
  OpenerReturns(event);
}

}  // namespace wvsim::model::webview2::internal
