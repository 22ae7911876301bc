// What a message is called in traces, reports and the fuzzer's "which handler ran after which"
// feature: a string literal, kept as a pointer, or text built at run time.
//
//   k.Post(ui, "click", ...);                       // a literal: nothing copied or allocated
//   k.Post(ui, absl::StrCat("load #", n), ...);     // built text: moved into the message
//   k.Post(ui, name, ...);                          // another C string: copied
//   k.Send(ui, MessageLabel::Static(info.name), ...);  // static text held by a non-literal pointer
//
// A run sends a message for every event, request and completion; most labels are literals
// longer than std::string's inline capacity, and copying each into a std::string cost an
// allocation per message.
#ifndef WVSIM_SIM_MESSAGE_LABEL_H_
#define WVSIM_SIM_MESSAGE_LABEL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "sim/trace_hash.h"

namespace wvsim::sim {

class MessageLabel {
 public:
  MessageLabel() = default;
  // consteval: only text that lives for the whole program (a literal) is kept by pointer.
  // Its hash, too, is computed by the compiler.
  template <std::size_t N>
  consteval MessageLabel(const char (&literal)[N])  // NOLINT(google-explicit-constructor)
      : static_text_(literal, N - 1), literal_hash_(HashTrace(static_text_)) {}
  MessageLabel(std::string text)  // NOLINT(google-explicit-constructor)
      : built_text_(std::move(text)) {}
  // Any other C string is copied (a template, so that a literal takes the constructor above).
  template <typename T>
  requires std::is_same_v<T, const char*> || std::is_same_v<T, char*> MessageLabel(
      const T& text)  // NOLINT(google-explicit-constructor)
      : built_text_(std::string(text)) {}
  // `text` must outlive every run that uses the label (static storage: a table of names).
  static MessageLabel Static(std::string_view text) {
    MessageLabel label;
    label.static_text_ = text;
    return label;
  }

  std::string_view view() const {
    return built_text_.has_value() ? std::string_view(*built_text_) : static_text_;
  }
  bool empty() const { return view().empty(); }
  // HashTrace(view()): the fuzzer's dispatch feature hashes the label of every message.
  uint64_t Hash() const { return literal_hash_ != 0 ? literal_hash_ : HashTrace(view()); }

 private:
  std::string_view static_text_;
  // Optional rather than an empty string: a consteval constructor cannot construct a string.
  std::optional<std::string> built_text_;
  uint64_t literal_hash_ = 0;  // 0: Hash() computes it (for a literal that hashes to 0, too)
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_MESSAGE_LABEL_H_
