// The GPU and utility (network service) processes as virtual threads (docs/webview2-rules.md W11,
// W12): the browser sends them work as messages, and what they were sent stays pending until
// they did it. So their faults have real effects: a crash relaunches the process (gpu#2), which
// redoes the pending work; a hang leaves it undone, and what waits on it never happens (a
// `stall` naming the hung process).
//
// They are threads only once a scenario enables one of their faults (EnableFaults), or the run
// parameter kAuxiliaryThreadsParam asks for them; otherwise the work is done inline, in the step
// of the process that sent it. That is a deliberate reduction, and a lossy one: it is not true
// that a fault-free auxiliary process only adds a delay that other threads' scheduling already
// spans. Its step is a scheduling point of its own, so with it other messages can overtake the
// work it relays: a script the app starts in DOMContentLoaded may complete before
// NavigationCompleted (inline, never), and a script sent right after Navigate may reach the
// renderer before the fetched document and run in the old one (inline, never).
// W11_InlineAuxiliaryWorkLosesOrderingsThatThreadsReach shows the first. It is kept because the
// threads cost about a fifth of a fault-free wv2 run's speed (measured on the clean wv2.*
// scenarios, random walk) and would change most recorded schedules; what guards it is
// W11_AuxiliaryThreadsForcedOnKeepEveryScenarioVerdict: every registered wv2.* scenario, run
// with the threads forced on, ends with the same expected verdicts. A scenario whose app may
// depend on those orderings should enable an auxiliary fault kind, or declare the parameter.
//
// Determinism: work ids come from a per-run counter; pending work is a vector in send order.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/processes.h"
#include "model/webview2/internal/send.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::internal {

namespace {

Task<> AuxiliaryMain(sim::Kernel& kernel) { co_await kernel.RunMessageLoop(); }

// gpu, gpu#2 for the first browser; gpu-browser#2 for another (thread names stay distinct).
std::string ThreadName(const AuxiliaryProcess& process) {
  std::string name = process.generation == 1 ? std::string(process.name)
                                             : absl::StrCat(process.name, "#", process.generation);
  const std::string& browser = process.browser->thread.name();
  if (browser != "browser") absl::StrAppend(&name, "-", browser);
  return name;
}

Task<> AuxiliaryWorkTask(Processes& processes, AuxiliaryProcess& process, uint64_t id,
                         uint32_t generation) {
  processes.DoAuxiliaryWork(process, id, generation);
  co_return;
}

}  // namespace

void Processes::SpawnAuxiliary(BrowserProcess& browser, AuxiliaryProcess& process) {
  process.browser = &browser;
  process.hung = false;
  process.thread =
      kernel_.Spawn(ThreadName(process), AuxiliaryMain(kernel_), {.message_queue = true});
}

void Processes::SendAuxiliaryWork(AuxiliaryProcess& process, const AuxiliaryWork& work) {
  Processes* self = this;
  AuxiliaryProcess* target = &process;
  const uint64_t id = work.id;
  const uint32_t generation = process.generation;
  Send(
      port_, process.thread,
      kernel_.traced() ? sim::MessageLabel(work.what) : sim::MessageLabel::Static(process.name),
      [self, target, id, generation] { return AuxiliaryWorkTask(*self, *target, id, generation); });
}

void Processes::RunOnAuxiliaryThread(AuxiliaryProcess& process, std::string what,
                                     absl::AnyInvocable<void()> then) {
  process.pending.push_back({++auxiliary_work_, std::move(what), std::move(then)});
  SendAuxiliaryWork(process, process.pending.back());
}

void Processes::DoAuxiliaryWork(AuxiliaryProcess& process, uint64_t id, uint32_t generation) {
  // W12: a hung process does nothing; a message to a process that crashed since is lost (its
  // relaunch was sent the work again); a dead browser takes its processes with it.
  if (process.hung || generation != process.generation || process.browser->dead()) return;
  auto it = std::find_if(process.pending.begin(), process.pending.end(),
                         [id](const AuxiliaryWork& work) { return work.id == id; });
  if (it == process.pending.end()) return;
  absl::AnyInvocable<void()> then = std::move(it->then);
  process.pending.erase(it);
  then();
}

void Processes::EnableAuxiliaryThreads() {
  if (auxiliary_threads_) return;  // forced on (kAuxiliaryThreadsParam): spawned at each launch
  auxiliary_threads_ = true;
  // In folder order: the browsers already up get their processes now, later ones at launch.
  for (const auto& [folder, browser] : browsers_) {
    if (browser->dead()) continue;
    SpawnAuxiliary(*browser, browser->gpu);
    SpawnAuxiliary(*browser, browser->utility);
  }
}

void Processes::LaunchAuxiliaries(BrowserProcess& browser) {
  if (!auxiliary_threads_) return;
  SpawnAuxiliary(browser, browser.gpu);
  SpawnAuxiliary(browser, browser.utility);
}

void Processes::RelaunchAuxiliary(AuxiliaryProcess& process) {
  ++process.generation;  // W12: GPU and utility exits recover by themselves
  if (!process.thread.valid()) return;
  SpawnAuxiliary(*process.browser, process);
  if (kernel_.traced() && !process.pending.empty()) {
    kernel_.Log(absl::StrCat("W12: ", process.thread.name(), " redoes the ", process.pending.size(),
                             " pending work item(s) of its predecessor"));
  }
  for (const AuxiliaryWork& work : process.pending) SendAuxiliaryWork(process, work);
}

std::optional<sim::Violation> Processes::CheckAuxiliaries() const {
  for (const auto& [folder, browser] : browsers_) {
    for (const AuxiliaryProcess* process : {&browser->gpu, &browser->utility}) {
      if (process->pending.empty() || browser->dead()) continue;
      const AuxiliaryWork& work = process->pending.front();
      return sim::Violation{
          sim::Verdict::kStall, process->thread.name(),
          absl::StrCat("W12: the ", work.what, " never happened: the ", process->name, " process ",
                       process->thread.name(), " of ", browser->thread.name(),
                       process->hung ? " hangs (a fault) and does nothing; no ProcessFailed kind "
                                       "reports it, and only a crash would relaunch it"
                                     : " never ran it")};
    }
  }
  return std::nullopt;
}

}  // namespace wvsim::model::webview2::internal
