#include "tools/merge_json.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace wvsim::tools {

namespace {

// Deep enough for any file wvsim writes (3 levels), shallow enough that a hostile file cannot
// exhaust the stack through recursion.
constexpr int kMaxDepth = 64;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  absl::StatusOr<JsonValue> ParseDocument() {
    JsonValue value;
    SkipSpace();
    if (!ParseValue(value, 0)) return error_;
    SkipSpace();
    if (pos_ != text_.size()) {
      Fail("unexpected text after the value");
      return error_;
    }
    return value;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  // Records the first error, at the current position; returns false so callers can `return`.
  bool Fail(const std::string& what) {
    if (error_.ok()) {
      int line = 1;
      int column = 1;
      for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
        if (text_[i] == '\n') {
          ++line;
          column = 1;
        } else {
          ++column;
        }
      }
      error_ =
          absl::InvalidArgumentError(absl::StrCat("line ", line, ", column ", column, ": ",
                                                  AtEnd() ? "unexpected end of file; " : "", what));
    }
    return false;
  }

  bool ParseValue(JsonValue& value, int depth) {
    if (depth > kMaxDepth) return Fail("nested more than 64 deep");
    switch (Peek()) {
      case '{':
        return ParseObject(value, depth);
      case '[':
        return ParseArray(value, depth);
      case '"':
        value.type = JsonValue::Type::kString;
        return ParseString(value.text);
      case 't':
        value.type = JsonValue::Type::kBool;
        value.boolean = true;
        return Literal("true");
      case 'f':
        value.type = JsonValue::Type::kBool;
        return Literal("false");
      case 'n':
        value.type = JsonValue::Type::kNull;
        return Literal("null");
      default:
        if (Peek() == '-' || (Peek() >= '0' && Peek() <= '9')) return ParseNumber(value);
        return Fail("expected a value");
    }
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Fail("expected a value");
    pos_ += word.size();
    return true;
  }

  bool Digits() {
    const size_t start = pos_;
    while (Peek() >= '0' && Peek() <= '9') ++pos_;
    return pos_ > start;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool ParseNumber(JsonValue& value) {
    const size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (!Digits()) {
      return Fail("expected a digit");
    }
    if (Peek() == '.') {
      ++pos_;
      if (!Digits()) return Fail("expected a digit after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!Digits()) return Fail("expected a digit in the exponent");
    }
    value.type = JsonValue::Type::kNumber;
    value.text = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  bool Hex4(uint32_t& code) {
    code = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      const char c = Peek();
      int digit = 0;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return Fail("expected 4 hexadecimal digits after \\u");
      }
      code = code * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  static void AppendUtf8(uint32_t code, std::string& out) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  // After the 'u' of \uXXXX; a high surrogate must be followed by \u and a low one.
  bool UnicodeEscape(std::string& out) {
    uint32_t code = 0;
    if (!Hex4(code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return Fail("a low surrogate without a high one");
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") return Fail("a high surrogate without a low one");
      pos_ += 2;
      uint32_t low = 0;
      if (!Hex4(low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return Fail("a high surrogate without a low one");
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code, out);
    return true;
  }

  bool ParseString(std::string& out) {
    ++pos_;  // the opening quote
    while (true) {
      if (AtEnd()) return Fail("a string is not closed");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("a control character in a string");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      const char escape = Peek();
      ++pos_;
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          if (!UnicodeEscape(out)) return false;
          break;
        default:
          --pos_;
          return Fail("an unknown escape in a string");
      }
    }
  }

  bool ParseArray(JsonValue& value, int depth) {
    value.type = JsonValue::Type::kArray;
    ++pos_;
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      value.items.emplace_back();
      if (!ParseValue(value.items.back(), depth + 1)) return false;
      SkipSpace();
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') return Fail("expected ',' or ']'");
      ++pos_;
      SkipSpace();
    }
  }

  bool ParseObject(JsonValue& value, int depth) {
    value.type = JsonValue::Type::kObject;
    ++pos_;
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      if (Peek() != '"') return Fail("expected a member name in quotes");
      const size_t key_pos = pos_;
      std::string key;
      if (!ParseString(key)) return false;
      if (value.Find(key) != nullptr) {
        pos_ = key_pos;
        return Fail(absl::StrCat("member '", key, "' appears twice"));
      }
      SkipSpace();
      if (Peek() != ':') return Fail("expected ':'");
      ++pos_;
      SkipSpace();
      value.members.push_back(JsonMember{std::move(key), JsonValue()});
      if (!ParseValue(value.members.back().value, depth + 1)) return false;
      SkipSpace();
      if (Peek() == '}') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') return Fail("expected ',' or '}'");
      ++pos_;
      SkipSpace();
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  absl::Status error_;
};

}  // namespace

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (type != Type::kObject) return nullptr;
  for (const auto& [name, member] : members) {
    if (name == key) return &member;
  }
  return nullptr;
}

std::optional<uint64_t> JsonValue::AsUint() const {
  uint64_t value = 0;
  // SimpleAtoi takes digits only here: a sign, a fraction or an exponent fails, as they should.
  if (type != Type::kNumber || text.empty() || text[0] == '-' || !absl::SimpleAtoi(text, &value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> JsonValue::AsDouble() const {
  double value = 0;
  if (type != Type::kNumber || !absl::SimpleAtod(text, &value)) return std::nullopt;
  return value;
}

const char* JsonTypeName(JsonValue::Type type) {
  switch (type) {
    case JsonValue::Type::kNull:
      return "null";
    case JsonValue::Type::kBool:
      return "a boolean";
    case JsonValue::Type::kNumber:
      return "a number";
    case JsonValue::Type::kString:
      return "a string";
    case JsonValue::Type::kArray:
      return "an array";
    case JsonValue::Type::kObject:
      return "an object";
  }
  return "?";
}

absl::StatusOr<JsonValue> ParseJson(std::string_view text) { return Parser(text).ParseDocument(); }

}  // namespace wvsim::tools
