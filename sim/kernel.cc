#include "sim/kernel.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sim/internal/kernel_access.h"
#include "sim/internal/kernel_records.h"
#include "sim/stop_request.h"
#include "sim/trace_hash.h"

namespace wvsim::sim {

using internal::Frame;
using internal::MessageKind;
using internal::MessageQueue;
using internal::ThreadState;

VThread::~VThread() = default;

namespace internal {

void ReportEscapedException(VThread& thread, std::exception_ptr error) {
  KernelAccess::ReportException(thread, std::move(error));
}

void ReportHandlerEnd(VThread& thread) {
  thread.kernel->Trace(TraceKind::kHandlerEnd, "handler returned");
}

}  // namespace internal

namespace detail {

void FinishFrame(PromiseBase& promise) noexcept {
  VThread& thread = VThread::Of(*promise.thread);
  if (promise.owned_by_kernel && promise.error) {
    internal::ReportEscapedException(thread, promise.error);
  }
  thread.PopFrame();
}

void PushFrame(ThreadPoint& thread, std::coroutine_handle<> frame) {
  VThread::Of(thread).frames.push_back({frame, false});
}

Thread HandleOf(const ThreadPoint& thread) {
  return VThread::Of(const_cast<ThreadPoint&>(thread)).handle();
}

}  // namespace detail

uint32_t Thread::id() const {
  WVSIM_ASSERT(valid());
  return thread_->id;
}

const std::string& Thread::name() const {
  WVSIM_ASSERT(valid());
  return thread_->name();
}

bool Thread::finished() const {
  WVSIM_ASSERT(valid());
  return thread_->state == ThreadState::kFinished;
}

Kernel::Point Kernel::Join(Thread thread) {
  if (!thread.valid()) Fail(Verdict::kAssertion, "join", "joined an invalid thread");
  VThread* record = VThread::Of(thread);
  return Point{{"join", record}, record, WaitKind::kBlocking};
}

Kernel::Kernel(KernelLimits limits) : limits_(limits), records_(std::make_unique<Records>()) {
  limits_.threads_max = std::min(limits_.threads_max, KernelLimits::kThreadsMaxCeiling);
}

Kernel::~Kernel() { DestroyRun(); }

void Kernel::DestroyRun() {
  loop_watchers_.clear();  // before any frame: a loop ended by destruction is not reported
  // Destroy owned frames innermost first: an owned frame's locals own the child frames above it.
  auto destroy_frames = [](std::vector<Frame>& frames) {
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
      if (it->owned) it->handle.destroy();
    }
    frames.clear();
  };
  for (uint32_t i = 0; i < thread_count_; ++i) destroy_frames(thread_pool_[i]->frames);
  // Parked continuations own their frames until a dispatch moves them back onto a stack.
  for (Continuation& continuation : records_->continuations) destroy_frames(continuation.frames);
  for (uint32_t i = 0; i < thread_count_; ++i) {
    if (thread_pool_[i]->queue != nullptr) thread_pool_[i]->queue->items.clear();
  }
  // Reset, not freed: the next run reuses them (internal::RecycledSlots).
  records_->continuations.Recycle([](Continuation& continuation) {
    continuation.owner = nullptr;
    continuation.frames.clear();  // keeps its capacity
    continuation.awaited = nullptr;
    continuation.posted = false;
  });
  records_->dispatched.Recycle([](Message& message) { internal::ClearMessage(message); });
  records_->timers.clear();
  checks_.clear();
  // Every destructor first, then the memory (Make says why).
  for (auto it = owned_.rbegin(); it != owned_.rend(); ++it) {
    if (it->destroy != nullptr) it->destroy(it->object);
  }
  for (const OwnedObject& owned : owned_) detail::FreeFrame(owned.object, owned.bytes);
  owned_.clear();
}

void Kernel::Reset(Strategy* strategy, bool traced) {
  DestroyRun();
  strategy_ = strategy;
  traced_ = traced;
  thread_count_ = 0;
  current_ = nullptr;
  previous_bit_ = 0;
  atomic_bit_ = 0;
  atomic_depth_ = 0;
  steps_ = 0;
  preemptions_ = 0;
  now_ticks_ = 0;
  next_message_id_ = 1;
  next_timer_id_ = 1;
  violation_ = Violation{};
  diverged_ = false;
  configuration_error_.clear();
  interrupted_ = false;
  stopped_ = false;
  run_queue_ = RunQueue{};
  choices_.clear();
  labels_.clear();
  trace_.clear();
  recording_accesses_ = strategy != nullptr && strategy->ObservesOperations();
  model_attached_ = false;
  accesses_.clear();
  made_blocks_.clear();
}

int64_t Kernel::Param(std::string_view name, int64_t fallback) const {
  if (params_ == nullptr) return fallback;
  auto it = params_->find(name);
  return it == params_->end() ? fallback : it->second;
}

Thread Kernel::Spawn(std::string name, Task<> body, ThreadOptions options) {
  if (!body.valid()) {
    Fail(Verdict::kAssertion, "spawn", absl::StrCat("thread ", name, " spawned without a body"));
    return Thread();
  }
  if (thread_count_ >= limits_.threads_max) {
    if (configuration_error_.empty()) {
      configuration_error_ = absl::StrFormat(
          "thread limit reached: spawning thread %s would make %d threads, and a run has at most "
          "%d (KernelLimits::threads_max)",
          name, thread_count_ + 1, limits_.threads_max);
    }
    stopped_ = true;
    return Thread();
  }
  if (thread_count_ == thread_pool_.size()) {
    thread_pool_.push_back(std::make_unique<VThread>(this, thread_count_));
    threads_.push_back(thread_pool_.back().get());
  }
  VThread& thread = *thread_pool_[thread_count_++];
  WVSIM_ASSERT(thread.frames.empty() && (run_queue_.ready & thread.bit) == 0);
  if (thread.name() != name) thread.Rename(std::move(name));  // a campaign reuses the same names
  thread.state = ThreadState::kReady;
  thread.op = {"start", nullptr};
  thread.wait = nullptr;
  thread.wait_kind = WaitKind::kNone;
  thread.timed_out = false;
  thread.dispatch_bases.clear();
  thread.loop_depth = 0;
  thread.last_dispatch_hash = 0;
  thread.dispatch_order_hash = 0;
  thread.steps_taken = 0;
  if (options.message_queue) {
    if (thread.queue == nullptr) thread.queue = std::make_unique<MessageQueue>(std::string());
    if (thread.queue->name() != thread.name()) thread.queue->Rename(thread.name());
  } else {
    thread.queue.reset();
  }
  auto handle = body.Release();
  handle.promise().thread = &thread;
  thread.frames.push_back({handle, true});
  run_queue_.ready |= thread.bit;
  // A spawn inside a step happens before the child's first step (which touches the child).
  if (current_ != nullptr) NoteAccess(&thread, AccessKind::kWrite);
  if (traced_) Trace(TraceKind::kSpawn, absl::StrCat("spawn ", thread.name()));
  return thread.handle();
}

[[gnu::always_inline]] inline void Kernel::CollectEnabled() {
  // The hot path of every step: threads free to go are a bit mask already; only waiting threads
  // are asked whether their wait is over.
  uint64_t enabled = run_queue_.ready;
  for (uint64_t waiting = run_queue_.waiting; waiting != 0; waiting &= waiting - 1) {
    const VThread& thread = *threads_[std::countr_zero(waiting)];
    if (thread.timed_out || thread.wait->Ready()) enabled |= thread.bit;
  }
  // A thread inside an atomic section goes on alone (it cannot wait, so it is enabled).
  if ((enabled & atomic_bit_) != 0) enabled = atomic_bit_;
  // Most steps see the same set as the last one: count it and list its threads only on a change.
  if (enabled != enabled_.mask()) ListEnabled(enabled);
}

void Kernel::ListEnabled(uint64_t enabled) {
  WVSIM_ASSERT_MSG((enabled & ~(run_queue_.ready | run_queue_.waiting)) == 0,
                   "only threads filed in the run queue can be enabled");
  enabled_ = EnabledThreads(enabled);
  size_t position = 0;
  for (const uint32_t id : enabled_) {
    WVSIM_ASSERT(id < thread_count_);
    enabled_threads_[position++] = threads_[id];
  }
}

template <Kernel::StepMode kMode>
[[gnu::always_inline]] inline uint32_t Kernel::ChooseThreadIndex(bool previous_enabled) {
  if constexpr (kMode == StepMode::kUniform) {
    return uniform_choices_->Below(static_cast<uint32_t>(enabled_.size()));
  } else {
    return strategy_->ChooseThread(
        ThreadChoice{enabled_, PreviousThread(), previous_enabled, steps_});
  }
}

template <Kernel::StepMode kMode>
[[gnu::always_inline]] inline void Kernel::Step() {
  constexpr bool kGeneral = kMode == StepMode::kGeneral;
  const bool previous_enabled = (enabled_.mask() & previous_bit_) != 0;
  const uint32_t index = ChooseThreadIndex<kMode>(previous_enabled);
  if (index >= enabled_.size()) {
    Fail(Verdict::kAssertion, "strategy",
         absl::StrFormat("strategy %s chose thread option %d of %d", strategy_->name(), index,
                         enabled_.size()));
    return;
  }
  VThread& thread = *enabled_threads_[index];
  // Enabled means at a point with a frame to resume (CheckInvariants checks it as a whole).
  WVSIM_ASSERT_MSG(!thread.frames.empty(), "the chosen thread has a frame to resume");
  // Counted without a branch: under a random strategy whether a step preempts is a coin flip.
  preemptions_ += static_cast<uint64_t>(previous_enabled & (thread.bit != previous_bit_));
  if (kGeneral && feature_counters_ != nullptr) CountStepFeatures(thread, previous_enabled);
  previous_bit_ = thread.bit;
  choices_.push_back(Choice{index, static_cast<uint32_t>(enabled_.size()), ChoiceKind::kThread});
  if (kGeneral && traced_) {
    std::string operation = internal::DescribeOperation(thread);
    current_ = &thread;
    Trace(TraceKind::kStep, operation, thread.wait_kind);
    std::string label = absl::StrCat(thread.name(), " ", operation);
    ObserveTraced(std::move(label));
  }
  // The step's own events (posts, dispatches, ...) are traced under its number; it counts as
  // taken once it ran. Only a traced run can diverge.
  if (!kGeneral || !diverged_) {
    RunThread(thread);
  } else {
    current_ = nullptr;  // set above only to trace the step; a diverged run stops here
  }
  ++steps_;
}

[[gnu::always_inline]] inline void Kernel::RunThread(VThread& thread) {
  // Set already when the step was traced under this thread's name.
  WVSIM_ASSERT(current_ == nullptr || current_ == &thread);
  thread.state = ThreadState::kRunning;
  current_ = &thread;
  // The thread's innermost frame runs until the next scheduling point; a call into a child task,
  // a return from one and a dispatch only push or pop a frame and come back here.
  while (thread.state == ThreadState::kRunning) thread.frames.back().handle.resume();
  current_ = nullptr;
  Refile(thread);
}

[[gnu::always_inline]] inline void Kernel::Refile(const VThread& thread) {
  // Filed here, once a step, rather than by every awaiter. Most steps end as they began, a ready
  // thread at a point that does not wait, and then there is nothing to change.
  const uint64_t bit = thread.bit;
  const bool ready = thread.state == ThreadState::kReady && thread.wait == nullptr;
  if (ready && (run_queue_.ready & bit) != 0) return;
  run_queue_.ready &= ~bit;
  run_queue_.waiting &= ~bit;
  if (bit == atomic_bit_ && thread.wait != nullptr) FailWaitInAtomicSection(thread);
  if (thread.state == ThreadState::kFinished) {
    NoteAccess(&thread, AccessKind::kWrite);  // what a join of it waits for
    return;
  }
  WVSIM_ASSERT(thread.state == ThreadState::kReady);
  (ready ? run_queue_.ready : run_queue_.waiting) |= bit;
}

template <Kernel::StepMode kMode>
void Kernel::RunSteps() {
  while (!stopped_) {
    CollectEnabled();
    if (enabled_.empty()) {
      if (records_->timers.empty()) {
        EvaluateQuiescence();
        break;
      }
      FireNextTimer();
      continue;
    }
    if (steps_ >= limits_.steps_max) {
      FailAtStepLimit();
      break;
    }
    Step<kMode>();
    // Not after a step that ended the run itself: its violation must not be discarded.
    if (steps_ % kStopCheckSteps == 0 && !stopped_ && StopRequested()) {
      interrupted_ = stopped_ = true;
      break;
    }
#ifdef WVSIM_SELF_CHECK
    if (steps_ % kSelfCheckPeriod == 0) CheckInvariants();
#endif
  }
}

RunOutcome Kernel::Run() {
  WVSIM_ASSERT_MSG(strategy_ != nullptr, "Run needs a Reset with a strategy first");
  // Most runs of a campaign are untraced random walks. They take a loop of their own that does
  // not test, at every step, for tracing, fuzzer features or which strategy chooses.
  const bool plain = !traced_ && feature_counters_ == nullptr;
  if (recording_accesses_) strategy_->AttachView(this);
  uniform_choices_ = plain ? strategy_->UniformThreadChoices() : nullptr;
  if (uniform_choices_ != nullptr) {
    RunSteps<StepMode::kUniform>();
  } else {
    RunSteps<StepMode::kGeneral>();
  }
  strategy_->EndExecution(steps_);
  if (!diverged_ && !strategy_->Divergence().empty()) diverged_ = stopped_ = true;
  RunOutcome outcome;
  outcome.violation = violation_;
  outcome.steps = steps_;
  outcome.preemptions = preemptions_;
  outcome.end_ticks = now_ticks_;
  outcome.diverged = diverged_;
  if (diverged_) outcome.divergence = strategy_->Divergence();
  outcome.configuration_error = configuration_error_;
  outcome.interrupted = interrupted_;
  strategy_ = nullptr;  // the caller's strategy may not outlive this run
  uniform_choices_ = nullptr;
  return outcome;
}

Op Kernel::PendingOp(uint32_t thread) const {
  WVSIM_ASSERT(thread < thread_count_);
  return threads_[thread]->op;
}

bool Kernel::Finished(uint32_t thread) const {
  WVSIM_ASSERT(thread < thread_count_);
  return threads_[thread]->state == ThreadState::kFinished;
}

namespace {
// ObjectKey's ranges: made objects count from 1; threads and queues sit far above them.
constexpr uint64_t kThreadKeyBase = uint64_t{1} << 62;
constexpr uint64_t kQueueKeyBase = uint64_t{1} << 61;
}  // namespace

uint64_t Kernel::ThreadKey(uint32_t thread) const {
  WVSIM_ASSERT(thread < thread_count_);
  return kThreadKeyBase + thread;
}

uint64_t Kernel::ObjectKey(const Object* object) const {
  if (object == nullptr) return 0;
  for (uint32_t id = 0; id < thread_count_; ++id) {
    if (object == threads_[id]) return kThreadKeyBase + id;
    if (object == threads_[id]->queue.get()) return kQueueKeyBase + id;
  }
  // The Make'd block holding the object (a lookup: the map's address order decides nothing).
  const auto* address = reinterpret_cast<const char*>(object);
  auto it = made_blocks_.upper_bound(object);
  if (it == made_blocks_.begin()) return 0;
  --it;
  const auto* base = static_cast<const char*>(it->first);
  const auto offset = static_cast<uint64_t>(address - base);
  if (offset >= it->second.bytes) return 0;
  return it->second.order << 24 | offset;
}

void Kernel::FailAtStepLimit() {
  // Name the limit as the other limits' reports do; add the outstanding work when there is any.
  std::string report = absl::StrFormat(
      "step limit reached: %d steps (KernelLimits::steps_max) without the run ending (the "
      "program livelocks, or raise --max-steps)",
      limits_.steps_max);
  if (std::string stall = ExplainStall(); !stall.empty()) absl::StrAppend(&report, "; ", stall);
  Fail(Verdict::kStall, "steps_max", std::move(report));
}

namespace {

// Only a run's first preemptions, and as many as PCT's default depth 3 places: a bug of depth d
// needs d-1 particular preemptions (Burckhardt et al.), and features for every later one would
// fill the corpus with schedules that differ only where no shallow bug can be.
constexpr uint64_t kPreemptionsCounted = 2;

// Step positions up to 16 count exactly, later ones by their bit length: a campaign tells "b
// preempted a at a's 4th step" from "at its 5th", while a long run's thousands of steps add a
// few dozen features rather than one per step.
uint64_t StepPositionBucket(uint32_t steps_taken) {
  constexpr uint32_t kExact = 16;
  if (steps_taken < kExact) return steps_taken;
  return kExact + static_cast<uint64_t>(std::bit_width(steps_taken));
}

}  // namespace

void Kernel::CountStepFeatures(VThread& thread, bool previous_enabled) {
  const uint32_t previous = PreviousThread();
  CountFeature(uint64_t{previous} * 2 + (previous_enabled ? 1 : 0), thread.id, thread.op.verb);
  // The n-th preemption of the run and where each thread stood: an ordering bug (a8 < b1 and
  // b8 < a9) depends on exactly that, and edge coverage cannot see it, since the same code runs
  // whatever the order. A schedule whose second preemption lands somewhere new after the same
  // first one is new here, so a campaign closes in on the pair a bug needs one step at a time.
  if (previous_enabled && previous != thread.id && preemptions_ <= kPreemptionsCounted) {
    const VThread& left = *threads_[previous];
    CountFeature(
        preemptions_ << 40 | uint64_t{previous} << 32 | StepPositionBucket(left.steps_taken),
        uint64_t{thread.id} << 32 | StepPositionBucket(thread.steps_taken), "nth_preemption");
  }
  ++thread.steps_taken;
}

void Kernel::CountFeature(uint64_t a, uint64_t b, std::string_view what) {
  // Hashes the text, not a pointer, so that a feature means the same in every process.
  CountFeature(a, b, HashTrace(what));
}

void Kernel::CountFeature(uint64_t a, uint64_t b, uint64_t what_hash) {
  uint64_t hash = what_hash ^ (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full);
  hash ^= hash >> 29;
  WVSIM_ASSERT(feature_counters_ != nullptr && feature_counters_size_ > 0);
  uint8_t& counter = feature_counters_[hash % feature_counters_size_];
  if (counter != UINT8_MAX) ++counter;
}

void Kernel::ObserveTraced(std::string label) {
  WVSIM_ASSERT_MSG(labels_.size() + 1 == choices_.size(), "one label per traced decision");
  const Choice& choice = choices_.back();
  labels_.push_back(label);
  const Decision decision{choice.kind, choice.chosen, choice.count, std::move(label)};
  if (!strategy_->Observe(choices_.size() - 1, decision)) diverged_ = stopped_ = true;
}

std::vector<Decision> Kernel::Decisions() const {
  std::vector<Decision> decisions;
  decisions.reserve(choices_.size());
  for (size_t i = 0; i < choices_.size(); ++i) {
    const Choice& choice = choices_[i];
    decisions.push_back(Decision{choice.kind, choice.chosen, choice.count,
                                 i < labels_.size() ? labels_[i] : std::string()});
  }
  return decisions;
}

uint32_t Kernel::Choose(ChoiceKind kind, uint32_t count, std::string_view label) {
  // The strategy is asked even when there is one option, as ChooseThread is: a replay consumes
  // one recorded decision per call, and a decision recorded without a call shifts all later ones.
  if (count == 0) {
    Fail(Verdict::kAssertion, "choose", absl::StrFormat("a choice with no options: %s", label));
    return 0;
  }
  WVSIM_ASSERT_MSG(strategy_ != nullptr, "Choose is called inside a run");
  const uint32_t chosen = strategy_->Choose(kind, count);
  if (chosen >= count) {
    Fail(Verdict::kAssertion, "strategy",
         absl::StrFormat("strategy %s chose option %d of %d", strategy_->name(), chosen, count));
    return 0;
  }
  choices_.push_back(Choice{chosen, count, kind});
  if (traced_) {
    std::string text = absl::StrFormat("%s %d", std::string(label), chosen);
    Trace(TraceKind::kChoice, absl::StrCat("choose ", text, "/", count));
    ObserveTraced(std::move(text));
  }
  return chosen;
}

void Kernel::Trace(TraceKind kind, std::string_view text, WaitKind waited) {
  if (!traced_) return;
  trace_.push_back(TraceEvent{steps_, now_ticks_,
                              current_ != nullptr ? current_->name() : std::string(), kind, waited,
                              std::string(text)});
}

uint64_t Kernel::TraceHash() const { return HashTrace(TraceText()); }

void Kernel::Fail(Verdict kind, std::string place, std::string report) {
  // After a configuration error the run is void: what its threads do on the way out is no verdict.
  if (failed() || !configuration_error_.empty()) return;
  if (traced_) {
    Trace(TraceKind::kViolation,
          absl::StrCat("VIOLATION ", VerdictName(kind), " at ", place, ": ", report));
  }
  violation_ = Violation{kind, std::move(place), std::move(report)};
  stopped_ = true;
}

void Kernel::EnterAtomicSection() {
  WVSIM_ASSERT_MSG(current_ != nullptr, "an atomic section begins on a running virtual thread");
  WVSIM_ASSERT_MSG(atomic_depth_ == 0 || atomic_bit_ == current_->bit,
                   "only one thread is ever inside an atomic section");
  atomic_bit_ = current_->bit;
  ++atomic_depth_;
}

void Kernel::LeaveAtomicSection() {
  // Destroying a run's frames ends the sections still open in them, on no running thread.
  if (atomic_depth_ == 0) return;
  WVSIM_ASSERT_MSG(current_ == nullptr || current_->bit == atomic_bit_,
                   "an atomic section ends on the thread that began it");
  if (--atomic_depth_ == 0) atomic_bit_ = 0;
}

void Kernel::FailWaitInAtomicSection(const VThread& thread) {
  Fail(Verdict::kAssertion, absl::StrCat("atomic section ", thread.name()),
       absl::StrCat("thread ", thread.name(), " waits in ", internal::DescribeOperation(thread),
                    " inside an atomic section, which cannot wait (sim/atomic_section.h)"));
}

Kernel::Point Kernel::Abort(Verdict kind, std::string place, std::string report) {
  Fail(kind, std::move(place), std::move(report));
  // A wait that is never ready: the run ends before anyone could choose this thread again.
  return Point{{"abort", nullptr}, &internal::kNeverReady, WaitKind::kNone};
}

void Kernel::ReportException(VThread& thread, std::exception_ptr error) {
  std::string what = "an exception of unknown type";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  Fail(Verdict::kException, absl::StrCat("thread ", thread.name()),
       absl::StrCat("unhandled exception escaped thread ", thread.name(), ": ", what));
}

void Kernel::AddQuiescenceCheck(CheckPhase phase,
                                absl::AnyInvocable<std::optional<Violation>()> check) {
  checks_.push_back({phase, std::move(check)});
}

}  // namespace wvsim::sim
