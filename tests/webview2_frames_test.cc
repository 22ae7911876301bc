// Tests of frames that live (issue 15, model/webview2/internal/frame_navigation.cc, rule W15 of
// docs/webview2-rules.md): a frame navigates by itself and by its parent; its events are raised on
// the UI thread in a navigation's order; web messages go both ways; navigating or removing it
// destroys its document, whose pending scripts fail or never complete (a recorded choice); and a
// removed frame is destroyed, with one Destroyed event.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/webview2/frames.h"
#include "model/webview2/internal/records.h"
#include "model/webview2/runtime.h"
#include "sim/strategies/random.h"
#include "test_programs.h"
#include "webview2_probe.h"

namespace wvsim::model::webview2 {
namespace {

using sim::Verdict;
using sim::testing::ForEverySchedule;
using sim::testing::RunProgram;
using sim::testing::RunResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kChat[] = "https://chat.example/room";
constexpr char kLobby[] = "https://chat.example/lobby";
constexpr char kOther[] = "https://app.example/other.html";

// The app's view of its one frame.
struct FrameProbe {
  Probe* p = nullptr;
  CoreWebView2Frame* frame = nullptr;
};

// Logs the message as JSON (a string message comes as a JSON string literal).
Task<> LogFrameMessage(Probe& p, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.WebMessageAsJson();
  const std::string source = co_await args.source_uri.get();
  p.log->push_back("frame message " + message + " from " + source);
}

Task<> LogFrameEvent(Probe& p, const char* what, NavigationEventArgs& args) {
  const std::string uri = co_await args.uri.get();
  const uint64_t id = co_await args.navigation_id.get();
  p.log->push_back(std::string(what) + " " + uri + " #" + std::to_string(id));
}

Task<> LogFrameStarting(Probe& p, NavigationStartingEventArgs& args) {
  const std::string uri = co_await args.uri.get();
  const uint64_t id = co_await args.navigation_id.get();
  p.log->push_back("starting " + uri + " #" + std::to_string(id));
}

Task<> LogWebViewMessage(Probe& p, WebMessageReceivedEventArgs& args) {
  const std::string message = co_await args.TryGetWebMessageAsString();
  p.log->push_back("webview message " + message);
}

Task<> PingFrame(FrameProbe& f) { co_await f.frame->PostWebMessageAsString("go"); }

// FrameCreated: subscribes to every navigation event of the frame, then sends it "go".
Task<> SubscribeAndGo(FrameProbe& f, FrameCreatedEventArgs& args) {
  f.frame = co_await args.frame.get();
  Probe* p = f.p;
  co_await f.frame->add_NavigationStarting(
      [p](NavigationStartingEventArgs& a) { return LogFrameStarting(*p, a); });
  co_await f.frame->add_ContentLoading(
      [p](NavigationEventArgs& a) { return LogFrameEvent(*p, "content loading", a); });
  co_await f.frame->add_DOMContentLoaded(
      [p](NavigationEventArgs& a) { return LogFrameEvent(*p, "dom content loaded", a); });
  co_await f.frame->add_NavigationCompleted(
      [p](NavigationEventArgs& a) { return LogFrameEvent(*p, "completed", a); });
  co_await f.frame->add_WebMessageReceived(
      [p](WebMessageReceivedEventArgs& a) { return LogFrameMessage(*p, a); });
  FrameProbe* kept = &f;
  co_await p->rt->Post(p->ui, "ping frame", [kept] { return PingFrame(*kept); });
}

Task<> LoadWithFrame(Probe& p, FrameProbe& f) {
  co_await ProbeCreate(p);
  FrameProbe* kept = &f;
  Probe* probe = &p;
  co_await p.webview->add_FrameCreated(
      [kept](FrameCreatedEventArgs& args) { return SubscribeAndGo(*kept, args); });
  co_await p.webview->add_WebMessageReceived(
      [probe](WebMessageReceivedEventArgs& args) { return LogWebViewMessage(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

// The chat frame navigates itself to the lobby when the app says "go" (a frame's own script,
// W15); the lobby says "ready" at DOMContentLoaded.
void FrameNavigatesItself(Kernel& k, std::vector<std::string>* log) {
  FrameProbe& f = k.Make<FrameProbe>();
  FrameProbe* kept = &f;
  Probe& p = MakeProbe(k, log, [kept](Probe& probe) { return LoadWithFrame(probe, *kept); });
  f.p = &p;
  p.rt->world().AddPage(kPage, Page{.title = "Home", .frames = {{.name = "chat", .uri = kChat}}});
  Page chat{.title = "Room"};
  chat.scripts.push_back(Page::Script::OnWebMessage("go").Navigate(kLobby));
  p.rt->world().AddPage(kChat, std::move(chat));
  Page lobby{.title = "Lobby"};
  lobby.scripts.push_back(Page::Script::AtDOMContentLoaded().PostMessage("ready"));
  p.rt->world().AddPage(kLobby, std::move(lobby));
}

// W15 (WR: ICoreWebView2Frame2): a frame's navigation raises its NavigationStarting,
// ContentLoading, DOMContentLoaded and NavigationCompleted in that order, with one NavigationId,
// on the UI thread; the lobby's postMessage is the frame's WebMessageReceived, not the WebView's.
TEST(WebView2Frames, W15_FrameNavigatingItselfRaisesItsEventsInOrder) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log](Kernel& k) { FrameNavigatesItself(k, &log); });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_THAT(log, ElementsAre("starting https://chat.example/lobby #2",
                               "content loading https://chat.example/lobby #2",
                               "dom content loaded https://chat.example/lobby #2",
                               "completed https://chat.example/lobby #2",
                               "frame message \"ready\" from https://chat.example/lobby"));
  EXPECT_THAT(run.trace, HasSubstr("CoreWebView2Frame.NavigationStarting"));
}

// The same order under every schedule within two preemptions: the events of one navigation are
// messages on the UI thread, posted in order.
TEST(WebView2Frames, W15_FrameEventsKeepTheirOrderUnderEverySchedule) {
  std::vector<std::string> log;
  const int schedules = ForEverySchedule(
      [&log](Kernel& k) {
        log.clear();
        FrameNavigatesItself(k, &log);
      },
      [&log](const sim::RunOutcome& outcome) {
        EXPECT_EQ(outcome.violation.kind, Verdict::kClean) << outcome.violation.report;
        ASSERT_EQ(log.size(), 5u);
        EXPECT_THAT(log[0], HasSubstr("starting"));
        EXPECT_THAT(log[1], HasSubstr("content loading"));
        EXPECT_THAT(log[2], HasSubstr("dom content loaded"));
        EXPECT_THAT(log[3], HasSubstr("completed"));
        EXPECT_THAT(log[4], HasSubstr("frame message \"ready\""));
      },
      /*preemption_bound=*/2);
  EXPECT_GT(schedules, 10);
}

// ---- Host -> frame -> host.

Task<> PostBoth(FrameProbe& f) {
  co_await f.frame->PostWebMessageAsString("ping");
  co_await f.frame->PostWebMessageAsJson("{\"n\":1}");
}

Task<> FramePostsBack(FrameProbe& f, FrameCreatedEventArgs& args) {
  f.frame = co_await args.frame.get();
  Probe* p = f.p;
  co_await f.frame->add_WebMessageReceived(
      [p](WebMessageReceivedEventArgs& a) { return LogFrameMessage(*p, a); });
  FrameProbe* kept = &f;
  co_await p->rt->Post(p->ui, "post to frame", [kept] { return PostBoth(*kept); });
}

Task<> LoadAndPostToFrame(Probe& p, FrameProbe& f) {
  co_await ProbeCreate(p);
  FrameProbe* kept = &f;
  Probe* probe = &p;
  co_await p.webview->add_FrameCreated(
      [kept](FrameCreatedEventArgs& args) { return FramePostsBack(*kept, args); });
  co_await p.webview->add_WebMessageReceived(
      [probe](WebMessageReceivedEventArgs& args) { return LogWebViewMessage(*probe, args); });
  co_await p.webview->Navigate(kPage);
}

// W15: PostWebMessageAsString/AsJson reach the frame's document (its OnWebMessage script answers
// through its own postMessage); an echoing frame answers JSON as JSON. The WebView's handler hears
// nothing: it is the top-level document's event.
TEST(WebView2Frames, W15_FramePostWebMessageBothWays) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log](Kernel& k) {
    FrameProbe& f = k.Make<FrameProbe>();
    FrameProbe* kept = &f;
    Probe& p =
        MakeProbe(k, &log, [kept](Probe& probe) { return LoadAndPostToFrame(probe, *kept); });
    f.p = &p;
    p.rt->world().AddPage(kPage, Page{.title = "Home", .frames = {{.name = "chat", .uri = kChat}}});
    Page chat{.title = "Room", .echoes_web_messages = true};
    chat.scripts.push_back(Page::Script::OnWebMessage("ping").PostMessage("pong"));
    p.rt->world().AddPage(kChat, std::move(chat));
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  EXPECT_THAT(log, ElementsAre("frame message \"ping\" from https://chat.example/room",
                               "frame message \"pong\" from https://chat.example/room",
                               "frame message {\"n\":1} from https://chat.example/room"));
}

// ---- A destroyed document's pending script (W15; FB#3124).

Task<> AskFrame(FrameProbe& f) {
  Async<std::string> op = co_await f.frame->ExecuteScriptAsync("document.title");
  try {
    const std::string title = co_await op;
    f.p->log->push_back("title " + title);
  } catch (const ComException& error) {
    f.p->log->push_back(std::string("failed: ") + error.what());
  }
}

Task<> AskOnCreated(FrameProbe& f, FrameCreatedEventArgs& args) {
  f.frame = co_await args.frame.get();
  FrameProbe* kept = &f;
  co_await f.p->rt->Post(f.p->ui, "ask frame", [kept] { return AskFrame(*kept); });
}

Task<> LoadAndAskFrame(Probe& p, FrameProbe& f) {
  co_await ProbeCreate(p);
  FrameProbe* kept = &f;
  co_await p.webview->add_FrameCreated(
      [kept](FrameCreatedEventArgs& args) { return AskOnCreated(*kept, args); });
  co_await p.webview->Navigate(kPage);
}

// W15: the page navigates its frame at load while the app's script for the frame's first
// document is pending. A script that ran before the navigation committed gives that document's
// title; one still pending when the document went fails with E_FAIL or never completes (the
// recorded choice), and never gives a title. Over random schedules all three happen.
TEST(WebView2Frames, W15_ParentNavigatingAFrameFailsOrStrandsItsPendingScript) {
  std::set<std::string> outcomes;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    std::vector<std::string> log;
    sim::RandomStrategy random(seed);
    const RunResult run = RunProgram(
        [&log](Kernel& k) {
          FrameProbe& f = k.Make<FrameProbe>();
          FrameProbe* kept = &f;
          Probe& p =
              MakeProbe(k, &log, [kept](Probe& probe) { return LoadAndAskFrame(probe, *kept); });
          f.p = &p;
          Page home{.title = "Home", .frames = {{.name = "chat", .uri = kChat}}};
          home.scripts.push_back(Page::Script::AtLoad().NavigateFrame("chat", kLobby));
          p.rt->world().AddPage(kPage, std::move(home));
          p.rt->world().AddPage(kChat, Page{.title = "Room"});
          p.rt->world().AddPage(kLobby, Page{.title = "Lobby"});
        },
        random);
    if (run.violation.kind == Verdict::kStall) {
      EXPECT_THAT(run.violation.report,
                  HasSubstr("Frame.ExecuteScript#1 is not complete: the frame's document it was "
                            "sent to was destroyed while it was pending, and it never completes "
                            "(W15)"));
      EXPECT_TRUE(log.empty()) << "seed " << seed;
      outcomes.insert("never");
      continue;
    }
    ASSERT_EQ(run.violation.kind, Verdict::kClean) << "seed " << seed << run.violation.report;
    ASSERT_EQ(log.size(), 1u) << "seed " << seed;
    if (log[0] == "title \"Room\"" || log[0] == "title \"Lobby\"") {
      outcomes.insert("ran");
    } else {
      EXPECT_THAT(log[0], HasSubstr("W15: the frame's document was destroyed while the script "
                                    "was pending"));
      outcomes.insert("failed");
    }
  }
  EXPECT_THAT(outcomes, ElementsAre("failed", "never", "ran"));
}

// ---- Removed frames and Destroyed.

Task<> LogDestroyed(FrameProbe& f, FrameDestroyedEventArgs& args) {
  (void)args;
  f.p->log->push_back(f.frame->IsDestroyed() ? "destroyed, IsDestroyed" : "destroyed, alive");
  try {
    Async<std::string> op = co_await f.frame->ExecuteScriptAsync("document.title");
    (void)op;
    f.p->log->push_back("script sent");
  } catch (const ComException&) {
    f.p->log->push_back("ExecuteScript throws");
  }
}

Task<> NavigateAway(Probe& p) { co_await p.webview->Navigate(kOther); }

Task<> RemoveThenNavigate(FrameProbe& f) {
  co_await f.p->webview->PostWebMessageAsString(f.p->mode == 0 ? "remove" : "stay");
  Probe* p = f.p;
  co_await p->rt->Post(p->ui, "navigate away", [p] { return NavigateAway(*p); });
}

Task<> WatchDestroyed(FrameProbe& f, FrameCreatedEventArgs& args) {
  f.frame = co_await args.frame.get();
  FrameProbe* kept = &f;
  co_await f.frame->add_Destroyed(
      [kept](FrameDestroyedEventArgs& a) { return LogDestroyed(*kept, a); });
  co_await f.p->rt->Post(f.p->ui, "remove", [kept] { return RemoveThenNavigate(*kept); });
}

Task<> LoadAndWatchFrame(Probe& p, FrameProbe& f) {
  co_await ProbeCreate(p);
  FrameProbe* kept = &f;
  co_await p.webview->add_FrameCreated(
      [kept](FrameCreatedEventArgs& args) { return WatchDestroyed(*kept, args); });
  co_await p.webview->Navigate(kPage);
}

std::vector<std::string> RunRemoval(int mode) {
  std::vector<std::string> log;
  const RunResult run = RunProgram([&log, mode](Kernel& k) {
    FrameProbe& f = k.Make<FrameProbe>();
    FrameProbe* kept = &f;
    Probe& p = MakeProbe(k, &log, [kept](Probe& probe) { return LoadAndWatchFrame(probe, *kept); });
    p.mode = mode;
    f.p = &p;
    Page home{.title = "Home", .frames = {{.name = "chat", .uri = kChat}}};
    home.scripts.push_back(Page::Script::OnWebMessage("remove").RemoveFrame("chat"));
    p.rt->world().AddPage(kPage, std::move(home));
    p.rt->world().AddPage(kChat, Page{.title = "Room"});
    p.rt->world().AddPage(kOther, Page{.title = "Other"});
  });
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  return log;
}

// W15 (WR: ICoreWebView2Frame add_Destroyed, IsDestroyed): the page removes its iframe: Destroyed
// is raised once (not again when the document that held it navigates), IsDestroyed is true in it,
// and the frame takes no more scripts.
TEST(WebView2Frames, W15_RemovedFrameIsDestroyedOnce) {
  EXPECT_THAT(RunRemoval(0), ElementsAre("destroyed, IsDestroyed", "ExecuteScript throws"));
}

// W15: the document holding the frame navigates away: the frame is destroyed with it, once.
TEST(WebView2Frames, W15_FrameIsDestroyedWithTheDocumentHoldingIt) {
  EXPECT_THAT(RunRemoval(1), ElementsAre("destroyed, IsDestroyed", "ExecuteScript throws"));
}

// ---- W9.3, W15: a frame's dialogs hold its script as the main page's do.

struct FrameDialogProbe {
  Probe* p = nullptr;
  CoreWebView2Frame* frame = nullptr;
};

Task<> KeepFrame(FrameDialogProbe& f, FrameCreatedEventArgs& args) {
  f.frame = co_await args.frame.get();
}

Task<> ReadAllowed(FrameDialogProbe& f) {
  Async<std::string> op = co_await f.frame->ExecuteScriptAsync("window.allowed");
  const std::string allowed = co_await op;
  f.p->log->push_back("allowed " + allowed);
}

Task<> OnFrameConfirm(FrameDialogProbe& f, DeferrableEventArgs& args) {
  f.p->log->push_back("ScriptDialogOpening " + args.message.Peek());
  FrameDialogProbe* kept = &f;
  // Sent while the frame's confirm holds its JavaScript: it runs once the dialog returned.
  co_await f.p->rt->Post(f.p->ui, "read allowed", [kept] { return ReadAllowed(*kept); });
  co_await args.Accept();
}

// p.mode 0: the default dialogs (the user clicks OK); 1: off, ScriptDialogOpening accepts.
Task<> LoadWithDialogFrame(Probe& p, FrameDialogProbe& f) {
  co_await ProbeCreate(p);
  FrameDialogProbe* kept = &f;
  co_await p.webview->add_FrameCreated(
      [kept](FrameCreatedEventArgs& args) { return KeepFrame(*kept, args); });
  if (p.mode == 1) {
    co_await ProbeDisableDefaultDialogs(p);
    co_await p.webview->add_DeferrableEvent(
        DeferrableEvent::kScriptDialogOpening,
        [kept](DeferrableEventArgs& args) { return OnFrameConfirm(*kept, args); });
  }
  co_await p.webview->Navigate(kPage);
}

Task<> UserClicksOkInFrame(Probe& p) {
  co_await p.rt->world().AnswerScriptDialog(/*accept=*/true);
  p.log->push_back("user clicked OK");
}

std::vector<std::string> RunFrameDialog(int mode, uint64_t seed) {
  std::vector<std::string> log;
  sim::RandomStrategy random(seed);
  const RunResult run = RunProgram(
      [&log, mode](Kernel& k) {
        FrameDialogProbe& f = k.Make<FrameDialogProbe>();
        FrameDialogProbe* kept = &f;
        Probe& p =
            MakeProbe(k, &log, [kept](Probe& probe) { return LoadWithDialogFrame(probe, *kept); });
        p.mode = mode;
        f.p = &p;
        p.rt->world().AddPage(kPage,
                              Page{.title = "Home", .frames = {{.name = "chat", .uri = kChat}}});
        Page chat{.title = "Room"};
        chat.scripts.push_back(Page::Script::AtLoad()
                                   .Confirm("Allow notifications?", "window.allowed")
                                   .PostMessage("asked"));
        p.rt->world().AddPage(kChat, std::move(chat));
        if (mode == 0) k.Spawn("user", UserClicksOkInFrame(p));
        k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [kept]() -> std::optional<sim::Violation> {
          const std::string* allowed =
              kept->frame != nullptr
                  ? internal::HandleAccess::Record(*kept->frame).Global("window.allowed")
                  : nullptr;
          kept->p->log->push_back("final allowed " +
                                  (allowed != nullptr ? *allowed : std::string("undefined")));
          return std::nullopt;
        });
      },
      random);
  EXPECT_EQ(run.violation.kind, Verdict::kClean) << run.violation.report;
  return log;
}

// A frame's confirm is a dialog like the main page's (W9.3): with the default dialogs it waits for
// the user, otherwise it raises the WebView's ScriptDialogOpening and waits for it; either way the
// frame's JavaScript is held, so a script sent to the frame meanwhile sees the answer (W7).
TEST(WebView2Frames, W9_3_AFrameDialogHoldsTheFrameScriptLikeThePageOne) {
  for (uint64_t seed = 0; seed < 30; ++seed) {
    EXPECT_THAT(RunFrameDialog(1, seed), ElementsAre("ScriptDialogOpening Allow notifications?",
                                                     "allowed true", "final allowed true"))
        << "seed " << seed;
    EXPECT_THAT(RunFrameDialog(0, seed), ElementsAre("user clicked OK", "final allowed true"))
        << "seed " << seed;
  }
}

// ---- W15: a frame document's timers run as the main document's do.

struct FrameTimerRun {
  Verdict verdict = Verdict::kClean;
  std::vector<std::string> log;  // the app's read of the frame's title, when it completed
  bool timer_script_sent = false;
  std::string final_title = "unset";  // the frame document's document.title global at the end
};

// The chat frame's document sets its title on a timer; the app asks for the frame's title once
// the frame is created (AskOnCreated). With `navigates`, the main page also sends the frame to the
// lobby at load.
FrameTimerRun RunFrameTimer(bool navigates, uint64_t seed) {
  FrameTimerRun out;
  sim::RandomStrategy random(seed);
  const RunResult run = RunProgram(
      [&out, navigates](Kernel& k) {
        FrameProbe& f = k.Make<FrameProbe>();
        FrameProbe* kept = &f;
        Probe& p =
            MakeProbe(k, &out.log, [kept](Probe& probe) { return LoadAndAskFrame(probe, *kept); });
        f.p = &p;
        Page home{.title = "Home", .frames = {{.name = "chat", .uri = kChat}}};
        if (navigates) home.scripts.push_back(Page::Script::AtLoad().NavigateFrame("chat", kLobby));
        p.rt->world().AddPage(kPage, std::move(home));
        Page chat{.title = "Room"};
        chat.scripts.push_back(Page::Script::OnTimer().SetTitle("Ticked"));
        p.rt->world().AddPage(kChat, std::move(chat));
        p.rt->world().AddPage(kLobby, Page{.title = "Lobby"});
        k.AddQuiescenceCheck(sim::CheckPhase::kFinal,
                             [kept, &out]() -> std::optional<sim::Violation> {
                               const std::string* title =
                                   kept->frame != nullptr
                                       ? kept->p->rt->world().Global(*kept->frame, "document.title")
                                       : nullptr;
                               out.final_title = title != nullptr ? *title : "undefined";
                               return std::nullopt;
                             });
      },
      random);
  out.verdict = run.violation.kind;
  out.timer_script_sent = run.trace.find("frame timer script") != std::string::npos;
  return out;
}

// A frame document's timer (setTimeout from its load event) fires where the scheduler chooses, as
// the main document's does (a "setTimeout fires" point, then a message to the frame's renderer):
// before the app's read of the frame's title in some runs, after it in others; it runs once.
TEST(WebView2Frames, W15_AFrameDocumentsTimerFiresWhereTheSchedulerChooses) {
  std::set<std::string> reads;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const FrameTimerRun out = RunFrameTimer(/*navigates=*/false, seed);
    ASSERT_EQ(out.verdict, Verdict::kClean) << "seed " << seed;
    EXPECT_TRUE(out.timer_script_sent) << "seed " << seed;
    EXPECT_EQ(out.final_title, "\"Ticked\"") << "seed " << seed;
    ASSERT_EQ(out.log.size(), 1u) << "seed " << seed;
    reads.insert(out.log[0]);
  }
  EXPECT_THAT(reads, ElementsAre("title \"Room\"", "title \"Ticked\""));
}

// A timer of a frame document that is gone by the time it fires (its parent navigated the frame)
// runs nothing: its script is not even sent, and the new document never gets its title.
TEST(WebView2Frames, W15_AFrameTimerOfADocumentGoneByThenRunsNothing) {
  int sent = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const FrameTimerRun out = RunFrameTimer(/*navigates=*/true, seed);
    if (out.timer_script_sent) ++sent;
    // The app's read of the chat document may never complete (W15): a stall, with no title.
    if (out.verdict == Verdict::kStall) continue;
    ASSERT_EQ(out.verdict, Verdict::kClean) << "seed " << seed;
    EXPECT_EQ(out.final_title, "undefined") << "seed " << seed;
  }
  EXPECT_GT(sent, 0);    // fired while the chat document was there
  EXPECT_LT(sent, 200);  // fired after the lobby replaced it: nothing sent
}

}  // namespace
}  // namespace wvsim::model::webview2
