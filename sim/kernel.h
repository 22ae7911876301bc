// The deterministic kernel: virtual threads, scheduling points, message pumps, waits, virtual
// time, and the loop that asks a Strategy for every decision and records it.
//
// One Kernel runs one execution at a time on the calling OS thread; Reset() prepares the next one
// and keeps the memory of the last, so a campaign of millions of runs allocates almost nothing.
// Scenario code runs inside virtual threads (coroutines returning Task<>), and everything it does
// that another thread could observe is a scheduling point, written as a co_await:
//
//   Task<> Worker(Kernel& k, Mutex& m, Shared<int>& n) {
//     co_await n.FetchAdd(1);          // a scheduling point, then the increment
//     co_await m.Lock();
//     co_await m.Unlock();
//   }
//   kernel.Spawn("worker", Worker(kernel, m, n));
//   RunOutcome outcome = kernel.Run();
//
// A run ends at its first violation, at the step limit (`stall`), or at quiescence: no thread
// enabled and no timer pending (docs/design.md, "End of a run and verdicts"). Nothing here reads
// the wall clock or depends on pointer values: the same strategy answers give the same run.
#ifndef WVSIM_SIM_KERNEL_H_
#define WVSIM_SIM_KERNEL_H_

#include <array>
#include <bit>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/any_invocable.h"
#include "sim/assert.h"
#include "sim/future.h"
#include "sim/message_label.h"
#include "sim/object.h"
#include "sim/schedule.h"
#include "sim/strategy.h"
#include "sim/task.h"
#include "sim/thread.h"
#include "sim/thread_point.h"
#include "sim/trace.h"
#include "sim/verdict.h"

namespace wvsim::sim {

// Scenario parameters after defaults and overrides: name -> value. Looked up by string_view
// (std::less<>), so that reading one builds no string.
using ParamValues = std::map<std::string, int64_t, std::less<>>;

// Named limits on everything a run can grow (TigerBeetle style), never undefined behaviour.
// Exceeding the queue, timer or step limit ends the run with a `stall` verdict whose report names
// the limit. The thread limit is a configuration error instead (RunOutcome::configuration_error):
// a scenario whose parameters need more threads than the kernel has is bad input, not a verdict.
struct KernelLimits {
  static constexpr uint32_t kThreadsMaxCeiling = 64;  // one bit per thread in the run queue
  uint32_t threads_max = kThreadsMaxCeiling;          // clamped to the ceiling
  uint32_t queue_depth_max = 4096;                    // messages waiting in one thread's queue
  uint32_t timers_max = 4096;
  uint64_t steps_max = 100'000;  // thread steps in one run
};

struct RunOutcome {
  Violation violation;  // kind kClean when the run ended clean
  uint64_t steps = 0;
  uint64_t preemptions = 0;
  uint64_t end_ticks = 0;
  bool diverged = false;  // a replay strategy rejected a decision
  std::string divergence;
  // Non-empty when the run reached a limit of the configuration (the thread limit) and stopped
  // there: the scenario cannot run with these parameters. The violation is then `clean`; callers
  // report this as bad input (the CLI exits 2), not as a verdict.
  std::string configuration_error;
  // A stop request (sim/stop_request.h) ended the run before its end: it has no verdict.
  bool interrupted = false;
};

// When an end-of-run check runs: after the kernel's own deadlock and stall checks, the models'
// outstanding-work checks, then their leak checks, then the scenario's final assertions.
enum class CheckPhase { kStall, kLeak, kFinal };

// The kernel's message record: declared here, defined inside sim/ only.
struct Message;

class Kernel : private SchedulingView {
 public:
  // A scheduling point: the thread stops until chosen; `wait` (may be null) must be ready first.
  struct [[nodiscard]] Point {
    Op op;
    const Waitable* wait = nullptr;
    WaitKind kind = WaitKind::kNone;
    bool await_ready() const noexcept { return false; }
    template <typename P>
    void await_suspend(std::coroutine_handle<P> handle) const noexcept {
      handle.promise().thread->Arrive(op, wait, kind);
    }
    void await_resume() const noexcept {}
  };

  explicit Kernel(KernelLimits limits = {});
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // ---- Preparing and running an execution.

  // Forgets the previous execution and prepares a new one driven by `strategy`. With `traced`
  // the kernel writes the trace text, decision labels and the trace hash (slower).
  void Reset(Strategy* strategy, bool traced);
  // Frees the last run's frames, messages and objects now rather than at the next Reset; what
  // it recorded (decisions, trace, outcome) stays readable. For a fuzz target: libFuzzer takes
  // an input that allocates more than it frees for a leak and re-runs it to check.
  void ReleaseRun() { DestroyRun(); }
  void SetParams(const ParamValues* params) { params_ = params; }
  int64_t Param(std::string_view name, int64_t fallback = 0) const;
  const KernelLimits& limits() const { return limits_; }
  void set_steps_max(uint64_t steps_max) { limits_.steps_max = steps_max; }

  // Starts a thread at its first scheduling point. Past KernelLimits::threads_max it returns an
  // invalid Thread and stops the run with a configuration error: the caller must not keep the
  // handle (Post, Join and ModelPort's Send and queries treat an invalid Thread as absent).
  Thread Spawn(std::string name, Task<> body, ThreadOptions options = {});
  RunOutcome Run();

  // An object that lives until the next Reset. Pointers stay valid for the whole run. At the
  // end, objects are destroyed newest first, and no memory is released before every destructor
  // has run: an object's destructor may still update an object made after it, as long as that
  // one is trivially destructible (its life ends with its memory): a Deferral kept by an app
  // object lowers its DeferralState's handle count.
  template <typename T, typename... Args>
  T& Make(Args&&... args) {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "over-aligned types unsupported");
    void* block = detail::AllocateFrame(sizeof(T));
    T* object = new (block) T(std::forward<Args>(args)...);
    // Only looked up, never iterated: the map's pointer order decides nothing.
    if (recording_accesses_) made_blocks_.emplace(block, MadeBlock{owned_.size() + 1, sizeof(T)});
    if constexpr (std::is_trivially_destructible_v<T>) {
      owned_.push_back({object, sizeof(T), nullptr});
    } else {
      owned_.push_back({object, sizeof(T), [](void* p) { static_cast<T*>(p)->~T(); }});
    }
    return *object;
  }

  template <typename T = void>
  Promise<T> MakePromise(std::string name) {
    return Promise<T>(&Make<FutureState<T>>(this, std::move(name)));
  }

  // Interleaving features for a coverage-guided fuzzer (libFuzzer's extra counters): while set,
  // every step bumps a counter for (thread that ran before, thread that runs, whether that was a
  // preemption, the operation), each of a run's first two preemptions one for (which of them it
  // is, the thread left and how many steps it had taken, the thread entered and its steps), and
  // every dispatch one for (the previous handler on that thread, this one). Edge coverage cannot
  // tell these orders apart. Counters saturate at 255; null (the default) turns this off. Feedback
  // only: nothing in a run depends on it.
  void SetFeatureCounters(uint8_t* counters, size_t size) {
    feature_counters_ = counters;
    feature_counters_size_ = size;
  }
  // While on, every thread keeps a hash of the labels of the messages it dispatched, in the order
  // it dispatched them (its dispatch order, as the app on that thread saw it), readable after the
  // run with DispatchOrderHash. For counting the distinct orders a scenario's UI thread sees
  // (bench/figures.cc); off by default, and nothing in a run depends on it.
  void set_track_dispatch_orders(bool on) { track_dispatch_orders_ = on; }
  // The last run's dispatch-order hash of the thread named `thread_name` (0: no such thread, or
  // tracking off).
  uint64_t DispatchOrderHash(std::string_view thread_name) const;
  // ---- Inside a run: called from virtual threads.

  Thread Current() const { return Thread(current_); }
  uint64_t now_ticks() const { return now_ticks_; }
  uint64_t steps() const { return steps_; }
  bool traced() const { return traced_; }

  // A plain scheduling point (lets other threads run) labelled with `op`.
  Point Yield(Op op = {"yield", nullptr}) const { return Point{op}; }
  Point Wait(Op op, const Waitable& wait, WaitKind kind) const { return Point{op, &wait, kind}; }
  // Waits until `thread` finished. Joining an invalid thread (a failed Spawn) fails the run.
  Point Join(Thread thread);

  // Posts a handler to `target`'s queue (a scheduling point). The closure is kept alive until the
  // run ends, so a coroutine lambda may use its captures. Returns the message id (0 when the post
  // failed the run: an invalid or queue-less target, a full queue).
  //
  // g++ 12 miscompiles a closure that captures a std::string (or another non-trivial value) by
  // value when the lambda is written inside the co_await expression: name the handler first and
  // pass it with std::move.
  struct PostAwaiter;
  PostAwaiter Post(Thread target, MessageLabel label, absl::AnyInvocable<Task<>()> handler);
  PostAwaiter PostQuit(Thread target);
  // Posts `handler` after `delay_ticks` of virtual time (not a scheduling point). Returns the
  // message's id (0 when the post failed the run), given now so that Cancel can name it.
  uint64_t PostDelayed(Thread target, uint64_t delay_ticks, MessageLabel label,
                       absl::AnyInvocable<Task<>()> handler);
  // Takes back a message posted to `target` that has not been dispatched yet: still waiting for
  // its delay, or queued. Returns whether there was one to take back (Handler.removeCallbacks).
  bool Cancel(Thread target, uint64_t message_id);

  // Runs the calling thread's message loop until a quit message reaches it. Call it again from a
  // handler for a nested loop (a modal dialog).
  Task<> RunMessageLoop();

  // Waits for a future, blocking the thread and its pump (Task.Result, WaitForSingleObject).
  template <typename T>
  auto BlockOn(Future<T> future);
  // The same with a timeout; true when the future completed, false when the time ran out.
  template <typename T>
  auto BlockOnFor(Future<T> future, uint64_t timeout_ticks);
  // Waits for a future while pumping the calling thread's queue (MsgWaitForMultipleObjects).
  template <typename T>
  Task<T> PumpUntil(Future<T> future);
  Task<> PumpUntilReady(const Waitable& condition, Op op);

  // Lets `ticks` of virtual time pass for the calling thread (UINT64_MAX: forever).
  struct [[nodiscard]] SleepAwaiter {
    Kernel* kernel;
    uint64_t ticks;
    bool await_ready() const noexcept { return false; }
    template <typename P>
    void await_suspend(std::coroutine_handle<P> handle) const {
      kernel->BeginSleep(*handle.promise().thread, ticks);
    }
    void await_resume() const noexcept {}
  };
  SleepAwaiter Sleep(uint64_t ticks) { return SleepAwaiter{this, ticks}; }

  // A nondeterministic choice for a model, recorded in the schedule. Returns a value < count.
  uint32_t Choose(ChoiceKind kind, uint32_t count, std::string_view label = {});

  // Ends the run with a violation (the first reported wins). The reporting thread goes on to its
  // next scheduling point; `co_await Abort(...)` instead stops it right there.
  void Fail(Verdict kind, std::string place, std::string report);
  Point Abort(Verdict kind, std::string place, std::string report);
  bool failed() const { return violation_.kind != Verdict::kClean; }

  // The kernel's deep self-check between two steps: the run queue against the thread states,
  // every queued message against its queue's thread, parked and posted continuations, timers.
  // A broken invariant fails a WVSIM_ASSERT (the process aborts naming it). Builds configured
  // with WVSIM_SELF_CHECK=ON (CI's sanitizer build) run it every kSelfCheckPeriod steps.
  void CheckInvariants() const;
  static constexpr uint64_t kSelfCheckPeriod = 64;
  // How often, in steps, a run looks for a stop request (sim/stop_request.h).
  static constexpr uint64_t kStopCheckSteps = 4096;

  // Checks the model runs at quiescence, in phase order, when the kernel found nothing itself.
  void AddQuiescenceCheck(CheckPhase phase, absl::AnyInvocable<std::optional<Violation>()> check);

  // A thread still waiting when the run ended: the nodes and edges of the wait-for graph.
  struct WaitingThread {
    std::string thread;
    std::string operation;  // "lock(b)"
    WaitKind kind;
    std::string why;      // why the wait cannot end
    std::string blocker;  // the thread whose progress would end it; empty if none is known
  };
  std::vector<WaitingThread> WaitingThreads() const;

  // For partial-order reduction (--strategy dpor): declares that the running step touches
  // `object` beyond what its scheduling point names (a primitive releasing a mutex inside another
  // object's point, a model's own state). A no-op unless the strategy observes operations.
  void NoteAccess(const Object* object, AccessKind kind) {
    if (recording_accesses_) accesses_.push_back(Access{object, kind});
  }
  // Called by each ModelPort made in a run, and by the Runner for a scenario of a runtime other
  // than `sim`: a model's code touches state no operation names.
  void NoteModelAttached() { model_attached_ = true; }

  // Adds a note to the trace (only when traced).
  void Log(std::string_view text) { Trace(TraceKind::kNote, text); }
  void Trace(TraceKind kind, std::string_view text, WaitKind waited = WaitKind::kNone);
  const std::vector<TraceEvent>& trace_events() const { return trace_; }
  std::string TraceText() const { return FormatTrace(trace_); }
  uint64_t TraceHash() const;
  // The decisions of the current run so far; labels are filled in only when traced.
  std::vector<Decision> Decisions() const;

  // Post's scheduling point; the message is queued when the poster is chosen.
  struct [[nodiscard]] PostAwaiter {
    Kernel* kernel;
    Thread target;        // invalid: the post fails the run when it is chosen
    const Object* queue;  // the target's queue, which the point names (null without one)
    MessageLabel label;
    absl::AnyInvocable<Task<>()> handler;  // empty for a quit message
    bool quit = false;                     // PostQuit's: ends the target's innermost loop
    bool await_ready() const noexcept { return false; }
    template <typename P>
    void await_suspend(std::coroutine_handle<P> handle) const noexcept {
      handle.promise().thread->Arrive({"post", queue}, nullptr, WaitKind::kNone);
    }
    uint64_t await_resume() { return kernel->EnqueuePosted(*this); }
  };

 private:
  friend class ModelPort;      // Send and the queries a model asks (sim/model_port.h)
  friend class AtomicSection;  // sim/atomic_section.h
  friend class KernelAccess;   // the kernel's own awaiters (sim/internal/kernel_access.h)

  // ---- For the kernel's own awaiters (through KernelAccess).
  void ParkContinuation(VThread& thread, FutureCore& core);
  void PostContinuation(Continuation& continuation);
  void Dispatch(VThread& thread, Message& message);
  // Starts a timer that ends `thread`'s current wait after `ticks`; returns its id, or 0 when
  // the wait has no end (UINT64_MAX ticks) or the timer limit failed the run.
  uint64_t StartTimeout(VThread& thread, uint64_t ticks);
  void BeginSleep(detail::ThreadPoint& thread, uint64_t ticks);
  void CancelTimer(uint64_t timer_id);
  void ReportException(VThread& thread, std::exception_ptr error);
  uint64_t Enqueue(VThread& target, Message message);
  uint64_t EnqueuePosted(PostAwaiter& post);
  void CountModelFeature(std::string_view what, uint64_t state) {
    if (feature_counters_ != nullptr) CountFeature(state, UINT64_MAX, what);
  }

  // The records a run keeps that the step loop does not touch at every step: timers, and the
  // slots of dispatched messages and parked continuations (sim/internal/kernel_records.h).
  struct Timer;
  struct Records;
  struct OwnedObject {
    void* object;
    std::size_t bytes;
    void (*destroy)(void*);  // null for a trivially destructible object
  };
  struct QuiescenceCheck {
    CheckPhase phase;
    absl::AnyInvocable<std::optional<Violation>()> check;
  };
  // A model's watch on the kernel's message loops (ModelPort::WatchMessageLoops).
  struct LoopWatcher {
    absl::AnyInvocable<uint64_t(Thread, std::string_view)> begin;
    absl::AnyInvocable<void(Thread, uint64_t)> end;
  };
  // One message loop running on a thread, for its whole life: the thread's loop depth and the
  // watchers' begin and end (RunMessageLoop, PumpUntilReady).
  class LoopScope {
   public:
    LoopScope(Kernel& kernel, VThread& thread, std::string_view loop);
    LoopScope(const LoopScope&) = delete;
    LoopScope& operator=(const LoopScope&) = delete;
    ~LoopScope();

   private:
    Kernel& kernel_;
    VThread& thread_;
    // What each watcher's begin returned, in watcher order; a run has one or two watchers (the
    // models), so a loop start allocates nothing.
    absl::InlinedVector<uint64_t, 2> tokens_;
  };

  // For AtomicSection: the running thread's sections begin and end.
  void EnterAtomicSection();
  void LeaveAtomicSection();
  void FailWaitInAtomicSection(const VThread& thread);

  // SchedulingView, for a strategy that observes operations.
  uint32_t ThreadCount() const override { return thread_count_; }
  Op PendingOp(uint32_t thread) const override;
  bool Finished(uint32_t thread) const override;
  uint64_t ObjectKey(const Object* object) const override;
  uint64_t ThreadKey(uint32_t thread) const override;
  bool InAtomicSection() const override { return atomic_bit_ != 0; }
  bool ModelAttached() const override { return model_attached_; }
  const std::vector<Access>& Accesses() const override { return accesses_; }

  void DestroyRun();
  void CollectEnabled();
  void ListEnabled(uint64_t enabled);
  // kUniform: an untraced run without fuzzer features whose strategy chooses threads uniformly
  // (Strategy::UniformThreadChoices); the kernel draws them itself. kGeneral: any other run.
  enum class StepMode : uint8_t { kGeneral, kUniform };
  template <StepMode kMode>
  void RunSteps();
  template <StepMode kMode>
  void Step();
  template <StepMode kMode>
  uint32_t ChooseThreadIndex(bool previous_enabled);
  void FailAtStepLimit();
  void RunThread(VThread& thread);
  // Files a thread that has just taken a step in the RunQueue by the point it stopped at: ready
  // at a point that does not wait, waiting at one that does, nowhere once it finished.
  void Refile(const VThread& thread);
  void FireNextTimer();
  // Adds a timer `ticks` from now; returns its id, or 0 when none was added: the due time is past
  // the end of time (the wait never ends) or the timer limit failed the run.
  uint64_t AddTimer(uint64_t ticks, VThread* wake, VThread* post_to, Message message);
  void EvaluateQuiescence();
  bool EveryThreadFinishedCleanly() const;
  void FailIfBlockedOrStalled();
  std::string ExplainDeadlock(const std::vector<const VThread*>& blocked) const;
  std::string ExplainStall() const;
  // For a wait nobody declared a producer for: the work not yet run that might end it.
  std::string PendingWorkFor(const VThread& waiter) const;
  // Checks a traced decision (the last in choices_) with the strategy and keeps its label.
  void ObserveTraced(std::string label);
  // A decision as recorded on the hot path: labels live apart, and only in traced runs.
  struct Choice {
    uint32_t chosen;
    uint32_t count;
    ChoiceKind kind;
  };
  Message TakeMessage(VThread& thread);

  KernelLimits limits_;
  Strategy* strategy_ = nullptr;
  Prng* uniform_choices_ = nullptr;  // strategy_->UniformThreadChoices() for this run
  bool traced_ = false;
  const ParamValues* params_ = nullptr;

  // The threads at a scheduling point, one bit per thread id: those free to go, and those whose
  // wait the kernel must ask about. The kernel files a thread when it spawns it and after each
  // of its steps, by the point it stopped at. Kept as bits so that finding the enabled threads,
  // at every step, costs a few instructions rather than a walk over every thread.
  struct RunQueue {
    uint64_t ready = 0;
    uint64_t waiting = 0;
  };
  RunQueue run_queue_;
  std::vector<std::unique_ptr<VThread>> thread_pool_;  // reused across runs
  std::vector<VThread*> threads_;                      // thread_pool_'s pointers, for the hot path
  uint32_t thread_count_ = 0;
  VThread* current_ = nullptr;
  // The RunQueue bit of the thread that took the last step; 0 before the first step. A bit
  // rather than an id: the hot path tests it against the enabled set.
  uint64_t previous_bit_ = 0;
  uint32_t PreviousThread() const {
    return previous_bit_ == 0 ? UINT32_MAX : static_cast<uint32_t>(std::countr_zero(previous_bit_));
  }
  EnabledThreads enabled_;  // at the current step
  // enabled_'s threads in order, so that a step finds the chosen one with a single load.
  std::array<VThread*, KernelLimits::kThreadsMaxCeiling> enabled_threads_{};

  // The RunQueue bit of the thread inside an AtomicSection (0: none), and how deeply nested.
  uint64_t atomic_bit_ = 0;
  uint32_t atomic_depth_ = 0;

  uint64_t steps_ = 0;
  uint64_t preemptions_ = 0;
  uint64_t now_ticks_ = 0;
  uint64_t next_message_id_ = 1;
  uint64_t next_timer_id_ = 1;
  std::unique_ptr<Records> records_;
  std::vector<OwnedObject> owned_;
  std::vector<QuiescenceCheck> checks_;
  std::vector<LoopWatcher> loop_watchers_;  // this run's; cleared first when it is destroyed

  Violation violation_;
  bool diverged_ = false;
  std::string configuration_error_;
  bool interrupted_ = false;
  bool stopped_ = false;  // a violation, a divergence or a configuration error ends the run
  uint8_t* feature_counters_ = nullptr;
  size_t feature_counters_size_ = 0;
  bool track_dispatch_orders_ = false;
  void CountFeature(uint64_t a, uint64_t b, std::string_view what);
  void CountFeature(uint64_t a, uint64_t b, uint64_t what_hash);
  void CountStepFeatures(VThread& thread, bool previous_enabled);
  bool recording_accesses_ = false;  // the strategy observes operations (NoteAccess records)
  bool model_attached_ = false;
  std::vector<Access> accesses_;
  // Make's blocks by address: the order made and the size, so that an object inside one (a
  // member of a Make'd struct) has a key of its block and offset (ObjectKey).
  struct MadeBlock {
    uint64_t order;
    size_t bytes;
  };
  std::map<const void*, MadeBlock> made_blocks_;
  std::vector<Choice> choices_;
  std::vector<std::string> labels_;  // parallel to choices_ in traced runs
  std::vector<TraceEvent> trace_;
};

// ---- Template definitions.

// Not API: the awaiters BlockOn and BlockOnFor return.
namespace detail {

// Starts the timer that ends `thread`'s current wait after `ticks`; returns its id (0: none).
uint64_t StartTimeout(ThreadPoint& thread, uint64_t ticks);
// Stops that timer when the wait ended first.
void CancelTimeout(ThreadPoint& thread, uint64_t timer_id);

template <typename T>
struct [[nodiscard]] BlockingWait {
  FutureState<T>* state;
  bool await_ready() const noexcept { return false; }
  template <typename P>
  void await_suspend(std::coroutine_handle<P> handle) const noexcept {
    handle.promise().thread->Arrive({"block_on", state}, state, WaitKind::kBlocking);
  }
  T await_resume() const { return state->Get(); }
};

template <typename T>
struct [[nodiscard]] TimedWait {
  FutureState<T>* state;
  uint64_t timeout_ticks;
  ThreadPoint* thread = nullptr;
  uint64_t timer_id = 0;
  bool await_ready() const noexcept { return false; }
  template <typename P>
  void await_suspend(std::coroutine_handle<P> handle) noexcept {
    thread = handle.promise().thread;
    thread->Arrive({"block_on_for", state}, state, WaitKind::kBlocking);
    timer_id = StartTimeout(*thread, timeout_ticks);
  }
  bool await_resume() const {
    if (!thread->timed_out) CancelTimeout(*thread, timer_id);
    thread->timed_out = false;
    return state->done();
  }
};

}  // namespace detail

template <typename T>
auto Kernel::BlockOn(Future<T> future) {
  return detail::BlockingWait<T>{&future.state()};
}

template <typename T>
auto Kernel::BlockOnFor(Future<T> future, uint64_t timeout_ticks) {
  return detail::TimedWait<T>{&future.state(), timeout_ticks};
}

template <typename T>
Task<T> Kernel::PumpUntil(Future<T> future) {
  co_await PumpUntilReady(future.state(), {"pump_until", &future.state()});
  co_return future.Get();
}

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_KERNEL_H_
