// Navigation and page loads (docs/webview2-rules.md W2, W7, W9, W10): NavigationStarting and its
// Cancel, the commit of the new document in its renderer (ContentLoading, DOMContentLoaded), the
// page's subresource request (WebResourceRequested, with its request and response content),
// NavigationCompleted, and window.open (NewWindowRequested). Every event is a message on the
// WebView's UI thread (W2); the browser and renderer steps are messages on their process threads.
#include "absl/strings/str_cat.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2 {

using sim::WaitKind;

namespace {

Task<> MarshalledRead(Promise<void> read) {
  read.Set();
  co_return;
}

void FinishLoad(Runtime& rt, CoreWebView2& webview);

Task<> FinishLoadTask(Runtime& rt, CoreWebView2& webview) {
  if (!webview.environment().browser().dead()) FinishLoad(rt, webview);
  co_return;
}

// The browser's background thread reads the response stream (W10).
Task<> ReadResponse(Runtime& rt, CoreWebView2& webview, ResponseStream& stream,
                    RendererProcess& renderer) {
  Kernel& k = rt.kernel();
  for (int i = 0; i < stream.chunks; ++i) {
    const Thread creator = stream.created_on;
    const bool marshalled = !stream.agile && rt.port().HasMessageQueue(creator) &&
                            rt.ApartmentOf(creator) == Apartment::kSta;
    if (!marshalled) {
      co_await k.Yield({"IStream::Read", &stream});
    } else {
      const Promise<void> read =
          k.MakePromise<void>(k.traced() ? rt.NextName("IStream::Read", rt.reads) : std::string());
      const uint64_t id =
          rt.Send(stream.created_on, k.traced() ? read.future().name() : "IStream::Read",
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
  rt.SendToRenderer(renderer, "resource loaded",
                    [&rt, &webview] { return FinishLoadTask(rt, webview); });
}

Task<> ReadResponseThread(Runtime& rt, CoreWebView2& webview, ResponseStream& stream,
                          RendererProcess& renderer) {
  co_await ReadResponse(rt, webview, stream, renderer);
}

// What the load does once the GPU process composited it (W2: NavigationCompleted last).
void CompleteLoad(Runtime& rt, CoreWebView2& webview) {
  const Page* page = rt.FindPage(webview.document());
  if (page != nullptr && !page->frames.empty()) rt.CreateFrames(webview, *page);  // frames.cc
  rt.RaiseNavigationCompleted(webview);
  if (page == nullptr) return;
  if (!page->web_message.empty()) rt.RaiseWebMessage(webview, page->web_message);
  if (!page->window_open.empty()) rt.RaiseNewWindow(webview, page->window_open);
  rt.RaisePageEvents(webview, *page, 0);
}

// W11, W12: the GPU process composites the document before the load completes, so a hung GPU
// process holds NavigationCompleted back (auxiliary_processes.cc). When the document's renderer
// exits before the composite is done, the load ends with it: no NavigationCompleted for that
// document (the model's reading; the app's ProcessFailed handler reloads). Without a GPU thread
// the composite is done at once, so that never happens.
void FinishLoad(Runtime& rt, CoreWebView2& webview) {
  Runtime* self = &rt;
  CoreWebView2* target = &webview;
  const RendererProcess* renderer = webview.renderer();
  std::string what = rt.kernel().traced() ? absl::StrCat("composite of ", webview.name(),
                                                         "'s document before its "
                                                         "NavigationCompleted")
                                          : std::string();
  rt.RunOnAuxiliary(webview.environment().browser().gpu, std::move(what), [self, target, renderer] {
    if (renderer != nullptr && renderer->crashed) return;
    CompleteLoad(*self, *target);
  });
}

// The renderer commits the new document: ContentLoading, then DOMContentLoaded once it is parsed;
// the page's subresource (if anyone intercepts it) holds NavigationCompleted (W2, W9.2).
Task<> RendererLoad(Runtime& rt, CoreWebView2& webview, std::string_view uri, uint64_t id,
                    RendererProcess& renderer) {
  if (!renderer.responsive()) co_return;                     // W12: a hung renderer loads nothing
  if (!webview.frames().empty()) rt.DestroyFrames(webview);  // the old document's frames
  webview.set_document(uri);
  webview.set_navigation_id(id);
  rt.RaiseContentLoading(webview);
  rt.RaiseDOMContentLoaded(webview);
  const Page* page = rt.FindPage(uri);
  if (page != nullptr && !page->subresource.empty() && webview.has_resource_handlers()) {
    rt.RaiseWebResourceRequested(webview, *page, renderer);
    co_return;  // the load goes on when the request's event finished (W9.2)
  }
  FinishLoad(rt, webview);
}

Task<> BrowserNavigate(Runtime& rt, CoreWebView2& webview, std::string_view uri) {
  if (webview.environment().browser().dead()) co_return;
  const uint64_t id = ++rt.navigations;
  // W9: with NavigationStarting handlers the navigation waits until their Cancel was read.
  if (rt.RaiseNavigationStarting(webview, uri, id)) co_return;
  rt.CommitNavigation(webview, uri, id);
}

Task<> BrowserNavigationAnswered(Runtime& rt, CoreWebView2& webview, std::string_view uri,
                                 uint64_t id, bool cancel) {
  rt.AnswerNavigationStarting(webview, uri, id, cancel);
  co_return;
}

}  // namespace

Task<> PageGoesOn(Runtime& rt, CoreWebView2& webview, const Page& page, size_t next) {
  rt.RaisePageEvents(webview, page, next);
  co_return;
}

void Runtime::StartNavigation(CoreWebView2& webview, const char* label, std::string_view uri) {
  // The navigation's URI lives until the run ends: everything downstream views it.
  const std::string_view kept = kernel_.Make<sim::PooledString>(uri);
  Runtime* rt = this;
  CoreWebView2* target = &webview;
  Send(webview.environment().browser().thread, sim::MessageLabel::Static(label),
       [rt, target, kept] { return BrowserNavigate(*rt, *target, kept); });
}

// ---- NavigationStarting and its Cancel (W9), the commit (W7).

bool Runtime::RaiseNavigationStarting(CoreWebView2& webview, std::string_view uri, uint64_t id) {
  if (webview.navigation_starting_.empty()) return false;
  auto& args = NewEventArgs<NavigationStartingEventArgs>(webview, "NavigationStarting", "", "W9");
  args.uri = uri;
  args.navigation_id = id;
  ++webview.navigations_pending_;
  Runtime* self = this;
  CoreWebView2* sender = &webview;
  NavigationStartingEventArgs* event = &args;
  args.on_finish = [self, sender, event, kept = uri] {
    // W9: no deferral: Cancel is read now, when the handler returned or first suspended.
    const bool cancel = event->cancel;
    if (self->kernel().traced()) {
      self->kernel().Log(absl::StrCat(event->Name(), ": Cancel read as ", cancel ? "true" : "false",
                                      " when its handler returned or first suspended (W9: a "
                                      "Cancel set later has no effect)"));
    }
    const uint64_t navigation = event->navigation_id;
    self->Send(sender->environment().browser().thread,
               cancel ? sim::MessageLabel("navigation cancelled")
                      : sim::MessageLabel("navigation goes on"),
               [self, sender, kept, navigation, cancel] {
                 return BrowserNavigationAnswered(*self, *sender, kept, navigation, cancel);
               });
  };
  RaiseEvent(args, webview.navigation_starting_);
  return true;
}

void Runtime::AnswerNavigationStarting(CoreWebView2& webview, std::string_view uri, uint64_t id,
                                       bool cancel) {
  if (webview.environment().browser().dead()) return;  // W12: a dead process handles nothing
  --webview.navigations_pending_;
  if (webview.closed_) return;  // W14: nothing more happens on a closed WebView
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

void Runtime::CommitNavigation(CoreWebView2& webview, std::string_view uri, uint64_t id) {
  if (RendererProcess* current = webview.renderer(); current != nullptr && current->hung) {
    TerminateHungRenderer(*current, webview);  // W12: a new renderer loads the document
  }
  RendererProcess& renderer = RendererFor(webview.environment().browser(), uri);
  webview.set_renderer(&renderer);
  Runtime* self = this;
  CoreWebView2* target = &webview;
  const std::string_view kept = uri;
  RendererProcess* process = &renderer;
  // W11, W12: the utility process (the network service) fetches the document before the renderer
  // commits it, so a hung utility process holds the load back.
  std::string what = kernel_.traced()
                         ? absl::StrCat("fetch of ", absl::string_view(uri.data(), uri.size()),
                                        " for ", webview.name())
                         : std::string();
  RunOnAuxiliary(webview.environment().browser().utility, std::move(what),
                 [self, target, kept, id, process] {
                   self->SendToRenderer(*process, "load", [self, target, kept, id, process] {
                     return RendererLoad(*self, *target, kept, id, *process);
                   });
                   // W7: scripts held since NavigationStarting reach the renderer after the
                   // load, so they run in the new document, from its ContentLoading on.
                   self->ReleaseHeldScripts(*target);
                 });
}

void Runtime::ReleaseHeldScripts(CoreWebView2& webview) {
  if (webview.navigation_pending() || webview.held_scripts_.empty()) return;
  std::vector<absl::AnyInvocable<void()>> held = std::move(webview.held_scripts_);
  webview.held_scripts_.clear();
  for (absl::AnyInvocable<void()>& forward : held) forward();
}

// ---- ContentLoading, DOMContentLoaded, NavigationCompleted (W2).

void Runtime::RaiseDocumentEvent(CoreWebView2& webview, HandlerList<NavigationEventArgs>& list,
                                 const char* event) {
  if (list.empty()) return;
  auto& args = NewEventArgs<NavigationEventArgs>(webview, event, "", "W2");
  args.uri = webview.document();
  args.navigation_id = webview.navigation_id();
  RaiseEvent(args, list);
}

void Runtime::RaiseContentLoading(CoreWebView2& webview) {
  RaiseDocumentEvent(webview, webview.content_loading_, "ContentLoading");
}

void Runtime::RaiseDOMContentLoaded(CoreWebView2& webview) {
  RaiseDocumentEvent(webview, webview.dom_content_loaded_, "DOMContentLoaded");
}

void Runtime::RaiseNavigationCompleted(CoreWebView2& webview) {
  RaiseDocumentEvent(webview, webview.navigation_completed_, "NavigationCompleted");
}

void Runtime::RaiseNavigationCanceled(CoreWebView2& webview, std::string_view uri, uint64_t id) {
  if (webview.navigation_completed_.empty()) return;
  auto& args = NewEventArgs<NavigationEventArgs>(webview, "NavigationCompleted", "", "W9");
  args.uri = uri;
  args.navigation_id = id;
  args.is_success = false;
  args.web_error_status = WebErrorStatus::kOperationCanceled;
  RaiseEvent(args, webview.navigation_completed_);
}

void CoreWebView2::add_NavigationStarting(Handler<NavigationStartingEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_NavigationStarting", "W3");
  navigation_starting_.push_back(std::move(handler));
}
void CoreWebView2::add_ContentLoading(Handler<NavigationEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_ContentLoading", "W3");
  content_loading_.push_back(std::move(handler));
}
void CoreWebView2::add_DOMContentLoaded(Handler<NavigationEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_DOMContentLoaded", "W3");
  dom_content_loaded_.push_back(std::move(handler));
}
void CoreWebView2::add_NavigationCompleted(Handler<NavigationEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_NavigationCompleted", "W3");
  navigation_completed_.push_back(std::move(handler));
}

// ---- The page's subresource (W9.2, W10).

void Runtime::RaiseWebResourceRequested(CoreWebView2& webview, const Page& page,
                                        RendererProcess& renderer) {
  auto& args = NewEventArgs<WebResourceRequestedEventArgs>(
      webview, "WebResourceRequested", "the request, and the rendering of its content", "W9.2");
  args.uri = page.subresource;
  if (!page.subresource_body.empty()) {
    // W10: a POST's body reaches the handler as Request.Content.
    args.method = "POST";
    args.content = &kernel_.Make<RequestContent>("Request.Content", page.subresource_body);
  }
  Runtime* self = this;
  CoreWebView2* sender = &webview;
  RendererProcess* process = &renderer;
  WebResourceRequestedEventArgs* event = &args;
  args.on_finish = [self, sender, process, event] {
    Kernel& k = self->kernel();
    if (event->response == nullptr) {
      self->SendToRenderer(*process, "resource loaded",
                           [self, sender] { return FinishLoadTask(*self, *sender); });
      return;
    }
    // W10: the response's content is read on the browser's background thread.
    k.Spawn("browser_io", ReadResponseThread(*self, *sender, *event->response, *process));
  };
  RaiseEvent(args, webview.web_resource_requested_);
}

// ---- window.open (W9.1).

void Runtime::RaiseNewWindow(CoreWebView2& webview, const std::string& uri) {
  if (webview.new_window_requested_.empty()) return;
  auto& args = NewEventArgs<NewWindowRequestedEventArgs>(
      webview, "NewWindowRequested", "the opener's script, whose window.open has not returned",
      "W9.1");
  args.uri = uri;
  NewWindowRequestedEventArgs* event = &args;
  Runtime* self = this;
  args.on_finish = [self, event] {
    if (event->new_window_ == nullptr) return;
    self->OpenerGoesOn(*event);  // unless it went on early
    // W9.1: the window window.open returned stays un-navigated until the event completes.
    if (!event->new_window_->closed()) {
      self->StartNavigation(*event->new_window_, "Navigate", event->uri);
    }
  };
  RaiseEvent(args, webview.new_window_requested_);
}

void NewWindowRequestedEventArgs::SetNewWindow(CoreWebView2* window) {
  runtime->NewWindowSet(*this, window);
}

void Runtime::NewWindowSet(NewWindowRequestedEventArgs& args, CoreWebView2* window) {
  CheckThread(args.owner, *args.source, "NewWindowRequestedEventArgs.NewWindow", "W3");
  args.new_window_ = window;
  const bool deferred = args.deferral != nullptr && args.deferral->completions == 0;
  if (args.finished || !deferred || window == nullptr) return;
  // W9.1: set while the deferral is open, the event completes early for the opener: window.open
  // returns now; the window still navigates only when the deferral completes.
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat(args.Name(),
                             ": NewWindow set while the deferral is open: the opener "
                             "goes on now (W9.1)"));
  }
  OpenerGoesOn(args);
  args.holds_up = "the new window's navigation (window.open returned when NewWindow was set)";
}

void Runtime::OpenerGoesOn(NewWindowRequestedEventArgs& args) {
  if (args.opener_went_on_) return;
  args.opener_went_on_ = true;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat(args.Name(), ": window.open returns ", args.new_window_->name()));
  }
  // The page's script after window.open records that it got a window (read by ExecuteScript).
  args.sender->set_global("window.popupOpened", "true");
}

}  // namespace wvsim::model::webview2
