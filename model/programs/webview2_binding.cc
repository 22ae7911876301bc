// Programs on the WebView2 model: the UI thread is an STA with a message loop whose Form1_Load
// creates the WebView, registers the page event handlers and runs thread 0's main routine; the
// WebView ops, await, modal dialogs and deferrals as the WebView2 API does them.
#include "absl/strings/str_cat.h"
#include "model/framework/clr.h"
#include "model/programs/internal/program_run.h"
#include "model/webview2/host_object.h"
#include "model/webview2/hresult.h"
#include "model/webview2/settings.h"
#include "model/webview2/world.h"
#include "sim/model_port.h"

namespace wvsim::model::programs::internal {

namespace {

using sim::Kernel;
using sim::Promise;
using sim::Task;
using webview2::Async;
using webview2::DeferrableEventArgs;
using webview2::Deferral;
using Kind = Observation::Kind;

Task<> ModalBody(ProgramRun& run, uint32_t routine) {
  co_await RunRoutine(run, routine, nullptr);
  co_await run.rt->CloseDialog();
}

Task<> Signal(Promise<void> done) {
  done.Set();
  co_return;
}

Task<> CancelClick(const framework::CancellationTokenSource& source) {
  source.Cancel();
  co_return;
}

// What ends the wait of an app that gives up on a call: Task.Delay(ticks), or the token of a
// CancellationTokenSource that the user's Cancel click (posted to the UI thread now) cancels
// (docs/framework-rules.md F6; the app races the script against the token's task).
Task<Async<void>> GiveUpAfter(ProgramRun& run, const Op& spec) {
  if (spec.script == ScriptWait::kRace) co_return run.rt->Delay(spec.delay_ticks);
  const auto& source = run.k->Make<framework::CancellationTokenSource>(*run.k, "Cancel");
  const sim::Future<void> token = source.TokenAsTask().future();
  token.state().SetProducer(run.ui(),
                            "the user's Cancel click, posted to the UI thread, cancels it");
  absl::AnyInvocable<Task<>()> click = [&source] { return CancelClick(source); };
  co_await run.k->Post(run.ui(), "Cancel_Click", std::move(click));
  co_return run.rt->AsAsync(token);
}

Task<> Script(ProgramRun& run, const Op& spec, HandlerContext* handler) {
  Async<std::string> op = co_await run.webview->ExecuteScriptAsync("1 + 1");
  if (spec.script == ScriptWait::kBlock) {
    co_await run.rt->Result(op);
    co_return;
  }
  if (!AwaitsScript(spec)) co_return;
  if (handler != nullptr) run.Observe({.kind = Kind::kHandlerLeave, .handler = handler->index});
  if (spec.script == ScriptWait::kAwait) {
    co_await op;
  } else {
    // await Task.WhenAny(script, give_up): whichever completes first, the app moves on; the
    // script, if it lost, is abandoned (docs/design.md), and its result or error never read.
    const Async<void> give_up = co_await GiveUpAfter(run, spec);
    const Async<size_t> first = run.rt->WhenAny(op, give_up);
    co_await first;
  }
  if (handler != nullptr) run.Observe({.kind = Kind::kHandlerResume, .handler = handler->index});
}

// A WebView call whose thread check may throw (W3): the app sees the error, as it would.
Task<> CheckedCall(ProgramRun& run, const Op& op, HandlerContext* handler) {
  if (run.webview == nullptr) {
    co_await run.k->Abort(sim::Verdict::kAssertion, "program",
                          "the program used the WebView before Form1_Load created it");
  }
  try {
    if (op.kind == OpKind::kScript) {
      co_await Script(run, op, handler);
    } else if (op.kind == OpKind::kMessage) {
      co_await run.webview->PostWebMessageAsString(kProgramWebMessage);
    } else {
      const std::string page =
          op.kind == OpKind::kCall ? CallTargetPage(run.k->Current().name()) : kProgramHomePage;
      co_await run.webview->Navigate(page);
    }
    run.Observe({.kind = Kind::kCallSucceeded,
                 .document = std::string(run.rt->world().Document(*run.webview))});
  } catch (const webview2::ComException& error) {
    run.Observe({.kind = Kind::kCallRejected,
                 .hresult = error.hr(),
                 .document = std::string(run.rt->world().Document(*run.webview))});
  }
}

void CompleteKept(ProgramRun& run, size_t kept, uint32_t handler) {
  run.Observe({.kind = Kind::kDeferralComplete, .handler = handler});
  run.kept[kept].Complete();
}

Task<> CompleteFromOtherHandler(ProgramRun& run, size_t kept, uint32_t handler) {
  CompleteKept(run, kept, handler);
  co_return;
}

}  // namespace

// W8: the ways an app takes and completes an event's deferral.
Task<> Defer(ProgramRun& run, DeferralMode mode, HandlerContext& handler) {
  const uint32_t index = handler.index;
  run.Observe({.kind = Kind::kDeferralTaken, .handler = index});
  Deferral deferral = handler.args->GetDeferral();
  switch (mode) {
    case DeferralMode::kNow:
      run.Observe({.kind = Kind::kDeferralComplete, .handler = index});
      deferral.Complete();
      break;
    case DeferralMode::kScoped: {
      webview2::ScopedDeferral scoped(std::move(deferral));
      run.Observe({.kind = Kind::kDeferralComplete, .handler = index});
      break;
    }
    case DeferralMode::kLater: {
      run.kept.push_back(std::move(deferral));
      const size_t kept = run.kept.size() - 1;
      Promise<void> done = run.k->MakePromise<void>("work");
      done.SetProducer(run.ui(), "work posted to the UI thread must run");
      co_await run.k->Post(run.ui(), "work", [done] { return Signal(done); });
      co_await AwaitInHandler(run, done.future(), &handler);
      CompleteKept(run, kept, index);
      break;
    }
    case DeferralMode::kOther: {
      run.kept.push_back(std::move(deferral));
      const size_t kept = run.kept.size() - 1;
      ProgramRun* self = &run;
      co_await run.k->Post(run.ui(), "OtherHandler", [self, kept, index] {
        return CompleteFromOtherHandler(*self, kept, index);
      });
      break;
    }
    case DeferralMode::kNever:
      break;  // dropped at the end of the handler without Complete
    case DeferralMode::kTwice:
      run.Observe({.kind = Kind::kDeferralComplete, .handler = index});
      deferral.Complete();
      run.Observe({.kind = Kind::kDeferralComplete, .handler = index});
      deferral.Complete();
      break;
    case DeferralMode::kAfterScript: {
      // The script runs on the page's JavaScript thread: behind an alert that this event holds
      // open (W7, W9.3), it waits for this very deferral.
      run.kept.push_back(std::move(deferral));
      const size_t kept = run.kept.size() - 1;
      const Op script{.kind = OpKind::kScript, .script = ScriptWait::kAwait};
      co_await CheckedCall(run, script, &handler);
      CompleteKept(run, kept, index);
      break;
    }
  }
}

// An await inside a handler takes the handler off the stack until its continuation runs (W4, W8).
Task<> AwaitInHandler(ProgramRun& run, sim::Future<void> future, HandlerContext* handler) {
  if (handler != nullptr) run.Observe({.kind = Kind::kHandlerLeave, .handler = handler->index});
  co_await run.rt->AsAsync(future);  // a .NET Task, as the runtime sees it
  if (handler != nullptr) run.Observe({.kind = Kind::kHandlerResume, .handler = handler->index});
}

Task<> ShowModal(ProgramRun& run, uint32_t routine) {
  ProgramRun* self = &run;
  co_await run.rt->ShowDialog(absl::StrCat("r", routine),
                              [self, routine] { return ModalBody(*self, routine); });
}

// W12: the process fails at a step the program chose, through the model's own crash paths, so
// that what follows (W12's closed WebView, W15's pending calls) is the model's, not ours.
Task<> CrashProcess(ProgramRun& run, CrashedProcess process) {
  co_await run.k->Yield(
      {process == CrashedProcess::kBrowser ? "crash(browser)" : "crash(renderer)", nullptr});
  if (run.webview == nullptr) {
    co_await run.k->Abort(sim::Verdict::kAssertion, "program",
                          "the program crashed a process before Form1_Load created the WebView");
  }
  webview2::World& world = run.rt->world();
  const webview2::Environment& env = world.EnvironmentOf(*run.webview);
  if (!world.BrowserAlive(env)) co_return;
  if (process == CrashedProcess::kBrowser) {
    run.Observe({.kind = Kind::kProcessCrashed});
    world.CrashBrowser(env);
  } else if (world.RendererAlive(*run.webview)) {
    run.Observe({.kind = Kind::kProcessCrashed});
    world.CrashRenderer(*run.webview);
  }
}

Task<> WebView2Call(ProgramRun& run, const Op& op, HandlerContext* handler) {
  co_await CheckedCall(run, op, handler);
}

namespace {

// A host method (W17): the routine, on the UI thread, as a WebView2 callback; "null" to the page.
Task<std::string> RunHostMethod(ProgramRun& run, uint32_t routine) {
  co_await RunRoutine(run, routine, nullptr);
  co_return std::string("null");
}

// AddHostObjectToScript of an object whose methods are the program's host methods, if it has any.
Task<> AddHostMethods(ProgramRun& run) {
  webview2::HostObject* object = nullptr;
  ProgramRun* self = &run;
  for (uint32_t r = 0; r < run.program->routines.size(); ++r) {
    if (!IsHostMethod(*run.program, r)) continue;
    if (object == nullptr) object = &run.k->Make<webview2::HostObject>();
    object->AddMethod(absl::StrCat("r", r), [self, r] { return RunHostMethod(*self, r); });
  }
  if (object != nullptr) co_await run.webview->AddHostObjectToScript(kProgramHostObject, *object);
}

webview2::Page::Script::When WhenOf(PageScript::When when) {
  using When = webview2::Page::Script::When;
  switch (when) {
    case PageScript::When::kLoad:
      return When::kLoad;
    case PageScript::When::kDOMContentLoaded:
      return When::kDOMContentLoaded;
    case PageScript::When::kWebMessage:
      return When::kWebMessage;
    case PageScript::When::kTimer:
      return When::kTimer;
  }
  return When::kLoad;
}

webview2::Page::Script PageScriptOf(const PageScript& script) {
  webview2::Page::Script page_script{.when = WhenOf(script.when)};
  for (const PageStep& step : script.steps) {
    switch (step.kind) {
      case PageStep::Kind::kPost:
        page_script.PostMessage("hello");
        break;
      case PageStep::Kind::kHostSync:
        page_script.CallHostSync(kProgramHostObject, absl::StrCat("r", step.routine));
        break;
      case PageStep::Kind::kHostAsync:
        page_script.CallHostAsync(kProgramHostObject, absl::StrCat("r", step.routine));
        break;
      case PageStep::Kind::kAlert:
        page_script.Alert("alert");
        break;
      case PageStep::Kind::kNavigate:
        page_script.Navigate(kProgramNextPage);
        break;
      case PageStep::Kind::kOpenWindow:
        page_script.OpenWindow(kProgramPopupPage);
        break;
    }
  }
  return page_script;
}

// A page event's handler, NewWindowRequested's included: routine `routine` as handler `index`.
Task<> OnPageEvent(ProgramRun& run, uint32_t index, uint32_t routine, webview2::EventArgs& args) {
  HandlerContext handler{.index = index, .args = &args};
  run.Observe({.kind = Kind::kHandlerEnter, .handler = index});
  co_await RunRoutine(run, routine, &handler);
  run.Observe({.kind = Kind::kHandlerLeave, .handler = index});
}

// Form1_Load: EnsureCoreWebView2Async, the page event handlers, then the UI thread's main routine.
Task<> UiLoad(ProgramRun& run) {
  webview2::EnvironmentOptions options;
  Async<webview2::Environment*> env_op =
      co_await run.rt->CreateCoreWebView2EnvironmentAsync(std::move(options));
  webview2::Environment* env = co_await env_op;
  Async<webview2::Controller*> controller_op = co_await env->CreateCoreWebView2ControllerAsync();
  webview2::Controller* controller = co_await controller_op;
  run.webview = &controller->CoreWebView2();
  if (run.user != nullptr) run.user->Start();  // the form is shown: the user may click (F10)
  co_await AddHostMethods(run);
  if (PageOpensAlerts(*run.program)) {
    // The program answers its page's alerts in its ScriptDialogOpening handler, so it turns the
    // browser's own dialogs off before it navigates, as such an app must (W9.3).
    webview2::CoreWebView2Settings* settings = co_await run.webview->get_Settings();
    co_await settings->put_AreDefaultScriptDialogsEnabled(false);
  }
  ProgramRun* self = &run;
  if (run.program->message_handler.has_value()) {
    const uint32_t routine = *run.program->message_handler;
    co_await run.webview->add_WebMessageReceived(
        [self, routine](webview2::WebMessageReceivedEventArgs&) {
          return RunRoutine(*self, routine, nullptr);
        });
  }
  for (uint32_t i = 0; i < run.program->handlers.size(); ++i) {
    const uint32_t routine = run.program->handlers[i].routine;
    co_await run.webview->add_DeferrableEvent(run.program->handlers[i].event,
                                              [self, i, routine](DeferrableEventArgs& args) {
                                                return OnPageEvent(*self, i, routine, args);
                                              });
  }
  if (run.program->new_window_handler.has_value()) {
    // W9.1: the page's window.open waits for it; it sets no NewWindow, so window.open gets null.
    const uint32_t index = NewWindowHandlerIndex(*run.program);
    const uint32_t routine = *run.program->new_window_handler;
    co_await run.webview->add_NewWindowRequested(
        [self, index, routine](webview2::NewWindowRequestedEventArgs& args) {
          return OnPageEvent(*self, index, routine, args);
        });
  }
  co_await RunThreadMain(run, 0);
}

Task<> UiThread(ProgramRun& run) {
  run.rt->CoInitializeEx(webview2::Apartment::kSta);
  co_await run.k->RunMessageLoop();
}

Task<> WorkerThread(ProgramRun& run, uint32_t thread) {
  co_await RunThreadMain(run, thread);
  if (run.program->threads[thread].pump) co_await run.k->RunMessageLoop();
}

}  // namespace

void SetUpWebView2(Kernel& k, ProgramRun& run) {
  const Program& program = *run.program;
  run.rt = &webview2::Runtime::Create(k);
  run.win32 = &framework::Win32::Create(k);
  webview2::Page home{.title = "Home"};
  // Alerts raise ScriptDialogOpening when the page's scripts open them, not after load.
  const bool alerts = PageOpensAlerts(program);
  for (const PageEventHandler& handler : program.handlers) {
    if (alerts && handler.event == webview2::DeferrableEvent::kScriptDialogOpening) continue;
    home.events.push_back(handler.event);
  }
  for (const PageScript& script : program.page_scripts) {
    home.scripts.push_back(PageScriptOf(script));
  }
  run.rt->world().AddPage(kProgramHomePage, std::move(home));
  if (!program.page_scripts.empty()) {
    run.rt->world().AddPage(kProgramNextPage, webview2::Page{.title = "Next"});
  }
  for (const ThreadSpec& thread : program.threads) {
    run.rt->world().AddPage(CallTargetPage(thread.name), webview2::Page{.title = thread.name});
  }
  run.threads.push_back(k.Spawn(program.threads[0].name, UiThread(run), {.message_queue = true}));
  for (uint32_t t = 1; t < program.threads.size(); ++t) {
    run.threads.push_back(k.Spawn(program.threads[t].name, WorkerThread(run, t),
                                  {.message_queue = program.threads[t].pump}));
  }
  ProgramRun* self = &run;
  // Only programs that use them get a CLR and a user, so that other programs run as before.
  if (UsesClr(program)) {
    run.clr = &framework::Clr::Create(k, *run.win32);
    run.clr->InstallContext(run.ui(), framework::UiFramework::kWinForms);
  }
  if (!program.clicks.empty()) run.user = &framework::User::Create(k, run.ui());
  for (size_t i = 0; i < program.clicks.size(); ++i) {
    const uint32_t routine = program.clicks[i].routine;
    run.user->Click(absl::StrCat("button", i + 1), static_cast<int>(program.clicks[i].count),
                    [self, routine] { return RunRoutine(*self, routine, nullptr); });
  }
  sim::ModelPort(*run.k).Send(run.ui(), "Form1_Load", [self] { return UiLoad(*self); });
}

}  // namespace wvsim::model::programs::internal
