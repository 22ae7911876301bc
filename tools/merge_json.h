// A JSON reader for the files the CLI writes and `wvsim merge` reads back (campaign.json).
//
// Strict RFC 8259: a file cut short by a crash or broken by hand is an error that names its line
// and column, never a guess. Numbers keep the text they were written with, so that a 64-bit seed
// survives (a double would round it); the caller converts. No dependency: the project has no JSON
// library, and what it reads is small.
#ifndef WVSIM_TOOLS_MERGE_JSON_H_
#define WVSIM_TOOLS_MERGE_JSON_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace wvsim::tools {

struct JsonMember;

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type = Type::kNull;
  bool boolean = false;
  std::string text;              // a string's value, a number's literal
  std::vector<JsonValue> items;  // an array's elements
  // An object's, in file order. Not a std::pair: a pair of an incomplete type does not compile
  // with clang's checks of libstdc++ (the sanitizer build).
  std::vector<JsonMember> members;

  // The member named `key` of an object; nullptr when absent or when this is not an object.
  const JsonValue* Find(std::string_view key) const;
  // A number that is a whole number from 0 to 2^64-1; nullopt otherwise.
  std::optional<uint64_t> AsUint() const;
  // Any number; nullopt when this is not one.
  std::optional<double> AsDouble() const;
};

struct JsonMember {
  std::string name;
  JsonValue value;
};

// "array", "object", ...: for error messages.
const char* JsonTypeName(JsonValue::Type type);

// One JSON value (with optional whitespace around it). Errors are InvalidArgument with
// "line L, column C: what". Objects with a repeated key and nesting deeper than 64 are errors.
absl::StatusOr<JsonValue> ParseJson(std::string_view text);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_MERGE_JSON_H_
