#include "tools/trace_export.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/json.h"

namespace wvsim::tools {

namespace {

using sim::TraceKind;
using sim::WaitKind;

const char* WaitKindName(WaitKind kind) {
  switch (kind) {
    case WaitKind::kNone:
      return "none";
    case WaitKind::kBlocking:
      return "blocking";
    case WaitKind::kPumping:
      return "pumping";
    case WaitKind::kAwait:
      return "await";
    case WaitKind::kIdle:
      return "idle";
    case WaitKind::kSleep:
      return "sleep";
  }
  return "unknown";
}

// Where an event lands inside its step's 10-microsecond slot.
constexpr int kSlotMicros = 10;
constexpr int kHandlerBeginOffset = 1;
constexpr int kHandlerEndOffset = 8;
constexpr int kArriveOffset = 9;

class PerfettoWriter {
 public:
  std::string Finish(const std::vector<sim::Kernel::WaitingThread>& waiting, uint64_t end_step) {
    for (const auto& thread : waiting) {
      const int tid = Tid(thread.thread);
      Slice(tid, absl::StrCat(WaitKindName(thread.kind), ": ", thread.operation), arrived_[tid],
            end_step * kSlotMicros + kSlotMicros, thread.why);
    }
    return absl::StrCat("{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n", events_, "\n]}\n");
  }

  void Add(const sim::TraceEvent& event) {
    const uint64_t slot = event.step * kSlotMicros;
    if (event.thread.empty()) {
      Instant(0, event.text, slot, "g");
      return;
    }
    const int tid = Tid(event.thread);
    switch (event.kind) {
      case TraceKind::kStep:
        if (event.waited != WaitKind::kNone && slot > arrived_[tid]) {
          Slice(tid, absl::StrCat(WaitKindName(event.waited), ": ", event.text), arrived_[tid],
                slot, "");
        }
        Instant(tid, event.text, slot, "t");
        arrived_[tid] = slot + kArriveOffset;
        break;
      case TraceKind::kDispatch:
        Emit(absl::StrFormat("{\"name\": %s, \"ph\": \"B\", \"ts\": %d, \"pid\": 1, \"tid\": %d}",
                             JsonString(event.text), slot + kHandlerBeginOffset, tid));
        break;
      case TraceKind::kHandlerEnd:
      case TraceKind::kPark:
        Emit(
            absl::StrFormat("{\"ph\": \"E\", \"ts\": %d, \"pid\": 1, \"tid\": %d, \"args\": "
                            "{\"how\": %s}}",
                            slot + kHandlerEndOffset, tid, JsonString(event.text)));
        break;
      default:
        Instant(tid, event.text, slot, "t");
    }
  }

 private:
  int Tid(const std::string& thread) {
    auto [it, inserted] = tids_.emplace(thread, static_cast<int>(tids_.size()) + 1);
    if (inserted) {
      Emit(
          absl::StrFormat("{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": %d, "
                          "\"args\": {\"name\": %s}}",
                          it->second, JsonString(thread)));
      arrived_[it->second] = 0;
    }
    return it->second;
  }
  void Slice(int tid, const std::string& name, uint64_t begin, uint64_t end,
             const std::string& why) {
    Emit(
        absl::StrFormat("{\"name\": %s, \"cat\": \"wait\", \"ph\": \"X\", \"ts\": %d, "
                        "\"dur\": %d, \"pid\": 1, \"tid\": %d, \"args\": {\"why\": %s}}",
                        JsonString(name), begin, end - begin, tid, JsonString(why)));
  }
  void Instant(int tid, const std::string& name, uint64_t ts, const char* scope) {
    Emit(
        absl::StrFormat("{\"name\": %s, \"ph\": \"i\", \"s\": \"%s\", \"ts\": %d, \"pid\": 1, "
                        "\"tid\": %d}",
                        JsonString(name), scope, ts, tid));
  }
  void Emit(const std::string& event) {
    if (!events_.empty()) events_ += ",\n";
    events_ += event;
  }

  std::map<std::string, int> tids_;
  std::map<int, uint64_t> arrived_;  // when each thread reached its current scheduling point
  std::string events_;
};

}  // namespace

std::string TraceToJson(const std::vector<sim::TraceEvent>& events) {
  std::string out = "[";
  for (size_t i = 0; i < events.size(); ++i) {
    const sim::TraceEvent& e = events[i];
    absl::StrAppendFormat(&out,
                          "%s\n  {\"step\": %d, \"ticks\": %d, \"thread\": %s, \"kind\": "
                          "\"%s\", \"text\": %s}",
                          i > 0 ? "," : "", e.step, e.ticks, JsonString(e.thread),
                          sim::TraceKindName(e.kind), JsonString(e.text));
  }
  return out + "\n]";
}

std::string TraceToPerfetto(const std::vector<sim::TraceEvent>& events,
                            const std::vector<sim::Kernel::WaitingThread>& waiting) {
  PerfettoWriter writer;
  for (const sim::TraceEvent& event : events) writer.Add(event);
  return writer.Finish(waiting, events.empty() ? 0 : events.back().step);
}

std::string WaitForGraphToDot(const std::vector<sim::Kernel::WaitingThread>& waiting) {
  std::string out =
      "digraph wait_for {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n";
  int causes = 0;
  for (const auto& thread : waiting) {
    absl::StrAppendFormat(&out, "  %s [label=%s];\n", JsonString(thread.thread),
                          JsonString(absl::StrCat(thread.thread, "\n", WaitKindName(thread.kind),
                                                  " in ", thread.operation)));
    std::string target = thread.blocker;
    if (target.empty()) {
      target = absl::StrCat("cause ", ++causes);
      absl::StrAppendFormat(&out, "  %s [shape=note, label=%s];\n", JsonString(target),
                            JsonString(thread.why));
    }
    absl::StrAppendFormat(&out, "  %s -> %s [label=%s];\n", JsonString(thread.thread),
                          JsonString(target), JsonString(thread.why));
  }
  return out + "}\n";
}

}  // namespace wvsim::tools
