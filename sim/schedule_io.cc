#include "sim/schedule_io.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/assert.h"
#include "sim/atomic_file.h"
#include "sim/scenario.h"

namespace wvsim::sim {
namespace {

constexpr std::string_view kMagic = "wvsim-schedule ";
constexpr std::string_view kHeaderEnd = "---";
constexpr std::string_view kBodyEnd = "end";
constexpr std::array<std::string_view, 4> kChoiceKindNames = {"thread", "timer", "fault", "value"};
constexpr std::array<std::string_view, 9> kStrategyNames = {
    "random", "pct", "dfs", "ipb", "idb", "dpor", "portfolio", "bytes", "replay"};
// The most bytes of the input an error message quotes: enough to recognise, short enough to read.
constexpr size_t kQuoteBytesMax = 64;
// The shortest decision line, "0 value 0/1\n". Bounds how much a header's count may reserve.
constexpr size_t kDecisionLineBytesMin = 12;

// ---------------------------------------------------------------------------------------------
// Small text helpers.

absl::Status Problem(std::string message) { return absl::InvalidArgumentError(std::move(message)); }

// Input text as an error message shows it: escaped (it may be any bytes) and shortened.
std::string Shorten(std::string_view text) {
  const std::string_view shown = text.substr(0, kQuoteBytesMax);
  return absl::StrCat(absl::CHexEscape(absl::string_view(shown.data(), shown.size())),
                      text.size() > kQuoteBytesMax ? "..." : "");
}

// The same, in quotes, for text that could be empty or hold spaces.
std::string Quote(std::string_view text) { return absl::StrCat("'", Shorten(text), "'"); }

bool IsLowerAlnumOr(char c, char extra) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == extra;
}

bool AllOf(std::string_view text, char extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [extra](char c) { return IsLowerAlnumOr(c, extra); });
}

// [a-z0-9_]+: param names and each part of a scenario id.
bool IsIdentifier(std::string_view text) { return AllOf(text, '_'); }

// One grammar for scenario ids, the registry's (sim/scenario.h).
bool IsScenarioId(std::string_view text) { return IsValidScenarioId(text); }

bool IsStrategyName(std::string_view text) {
  return std::find(kStrategyNames.begin(), kStrategyNames.end(), text) != kStrategyNames.end();
}

// Digits only: no sign, no spaces, no hex. nullopt when empty, not a number, or above `max`.
std::optional<uint64_t> ParseDecimal(std::string_view text, uint64_t max) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (digit > max || value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

bool IsDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

size_t DecimalDigits(uint64_t value) {
  size_t digits = 1;
  for (; value >= 10; value /= 10) ++digits;
  return digits;
}

// Decodes the UTF-8 sequence at the start of `text` (whose first byte is >= 0x80). Returns its
// length, or 0 when it is malformed: a bad lead or continuation byte, truncated, overlong, a
// surrogate, or beyond U+10FFFF.
size_t DecodeUtf8(std::string_view text, uint32_t* code_point) {
  const auto lead = static_cast<unsigned char>(text[0]);
  size_t length = 0;
  uint32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    *code_point = lead & 0x1Fu;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    *code_point = lead & 0x0Fu;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    *code_point = lead & 0x07u;
    smallest = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[i]);
    if ((next & 0xC0) != 0x80) return 0;
    *code_point = (*code_point << 6) | (next & 0x3Fu);
  }
  const bool surrogate = *code_point >= 0xD800 && *code_point <= 0xDFFF;
  if (*code_point < smallest || *code_point > 0x10FFFF || surrogate) return 0;
  return length;
}

// Why `text` cannot be part of a schedule file (a control character: C0, DEL or C1; or malformed
// UTF-8), or "" when it can. Control characters are refused because a label or value holding
// one could end its line early or garble the terminal of whoever reads the file.
std::string TextProblem(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) {
      return absl::StrFormat("control character 0x%02x at column %d", byte, i + 1);
    }
    if (byte < 0x80) {
      ++i;
      continue;
    }
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8(text.substr(i), &code_point);
    if (length == 0) return absl::StrFormat("invalid UTF-8 at column %d", i + 1);
    if (code_point < 0xA0) {
      return absl::StrFormat("control character U+%04X at column %d", code_point, i + 1);
    }
    i += length;
  }
  return "";
}

std::string_view VerdictText(Verdict verdict) { return verdict.name(); }

std::string VerdictList() {
  std::string list;
  for (const Verdict verdict : Verdict::All()) {
    absl::StrAppendFormat(&list, "%s%s", list.empty() ? "" : ", ", verdict.name());
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Lines.

// Splits a schedule's text into lines and enforces what every line obeys: at most
// kMaxScheduleLineBytes bytes, no control characters, valid UTF-8. A '\r' before the '\n' is
// dropped, so that a file checked out with Windows line endings still reads.
class LineReader {
 public:
  LineReader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  bool AtEnd() const { return position_ >= text_.size(); }
  // The 1-based number of the line Next returned last.
  uint32_t line_number() const { return static_cast<uint32_t>(line_number_); }
  size_t remaining_bytes() const { return text_.size() - position_; }

  // The next line without its ending. Precondition: !AtEnd().
  absl::StatusOr<std::string_view> Next() {
    WVSIM_ASSERT(!AtEnd());
    ++line_number_;
    const std::string_view rest = text_.substr(position_);
    // Search no further than the longest allowed line reaches, so a huge line costs nothing more.
    const size_t window = std::min(rest.size(), kMaxScheduleLineBytes + 2);
    const size_t newline = rest.substr(0, window).find('\n');
    if (newline == std::string_view::npos && rest.size() > window) return TooLong();
    std::string_view line = rest.substr(0, newline);
    position_ += newline == std::string_view::npos ? rest.size() : newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxScheduleLineBytes) return TooLong();
    if (std::string problem = TextProblem(line); !problem.empty()) return Error(problem);
    return line;
  }

  // An error located at the current line (line 1 before the first Next, for an empty file).
  absl::Status Error(std::string_view problem) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s:%d: %s", source_, std::max<uint64_t>(line_number_, 1), problem));
  }
  // The same for a problem a helper reported without knowing where it was.
  absl::Status Error(const absl::Status& problem) const {
    const absl::string_view message = problem.message();
    return Error(std::string_view(message.data(), message.size()));
  }

 private:
  absl::Status TooLong() const {
    return Error(absl::StrFormat("line longer than %d bytes", kMaxScheduleLineBytes));
  }

  std::string_view text_;
  std::string_view source_;
  size_t position_ = 0;
  uint64_t line_number_ = 0;
};

// Comments and blank lines may stand anywhere after the first line; they carry nothing.
bool IsIgnorable(std::string_view line) {
  return line.find_first_not_of(' ') == std::string_view::npos || line.front() == '#';
}

// ---------------------------------------------------------------------------------------------
// Line 1: "wvsim-schedule <version>".

absl::Status ReadFirstLine(std::string_view text, LineReader& lines) {
  const std::string expected = absl::StrFormat("wvsim-schedule %d", kScheduleFormatVersion);
  if (text.empty()) return lines.Error(absl::StrFormat("empty file; expected '%s'", expected));
  const absl::Status not_schedule = lines.Error(
      absl::StrFormat("not a wvsim schedule file (the first line must be '%s')", expected));
  if (text.substr(0, kMagic.size()) != kMagic) return not_schedule;
  absl::StatusOr<std::string_view> line = lines.Next();
  if (!line.ok()) return line.status();
  const std::string_view version = line->substr(kMagic.size());
  if (version == expected.substr(kMagic.size())) return absl::OkStatus();
  // Any run of digits is a version number, even one too large for an integer.
  if (!IsDigits(version)) return not_schedule;
  return lines.Error(absl::StrFormat("unsupported format version %s (this wvsim reads version %d)",
                                     Shorten(version), kScheduleFormatVersion));
}

// ---------------------------------------------------------------------------------------------
// Header lines: "key: value" until "---".

// What the header section yields: the schedule's fields, and how many decision lines follow.
struct Header {
  Schedule* schedule = nullptr;
  uint64_t decisions = 0;
  uint32_t seen = 0;  // bit i is set once kHeaderFields[i] has been read
  uint32_t line = 0;  // the line being applied, for schedule->source
};

using FieldParser = absl::Status (*)(std::string_view value, Header& header);

struct HeaderField {
  std::string_view key;
  bool required;
  bool repeatable;
  FieldParser parse;
};

template <typename T>
absl::Status ParseNumberField(std::string_view key, std::string_view value, T* out) {
  const std::optional<uint64_t> number = ParseDecimal(value, std::numeric_limits<T>::max());
  if (!number.has_value()) {
    return Problem(absl::StrFormat("bad %s %s: expected a decimal number from 0 to %d", key,
                                   Quote(value), std::numeric_limits<T>::max()));
  }
  *out = static_cast<T>(*number);
  return absl::OkStatus();
}

absl::Status ParseScenarioField(std::string_view value, Header& header) {
  if (!IsScenarioId(value)) {
    return Problem(absl::StrFormat(
        "bad scenario id %s: expected <runtime>.<name> of [a-z0-9_], such as 'sim.abba'",
        Quote(value)));
  }
  header.schedule->scenario = std::string(value);
  return absl::OkStatus();
}

absl::Status ParseParamField(std::string_view value, Header& header) {
  const size_t equals = value.find('=');
  const std::string_view name = value.substr(0, equals);
  if (equals == std::string_view::npos || !IsIdentifier(name)) {
    return Problem(
        absl::StrFormat("bad param %s: expected <name>=<value>, name of [a-z0-9_]", Quote(value)));
  }
  std::map<std::string, std::string>& params = header.schedule->params;
  if (params.size() >= kMaxScheduleParams) {
    return Problem(absl::StrFormat("more than %d params", kMaxScheduleParams));
  }
  const bool added =
      params.emplace(std::string(name), std::string(value.substr(equals + 1))).second;
  if (!added) return Problem(absl::StrFormat("duplicate param %s", Quote(name)));
  header.schedule->source.lines.emplace("param:" + std::string(name), header.line);
  return absl::OkStatus();
}

absl::Status ParseProgramField(std::string_view value, Header& header) {
  std::vector<std::string>& program = header.schedule->payload;
  if (program.size() >= kMaxScheduleProgramLines) {
    return Problem(absl::StrFormat("more than %d program lines", kMaxScheduleProgramLines));
  }
  program.emplace_back(value);
  return absl::OkStatus();
}

absl::Status ParseStrategyField(std::string_view value, Header& header) {
  if (!IsStrategyName(value)) {
    return Problem(
        absl::StrFormat("unknown strategy %s (expected random, pct, dfs, ipb, idb, dpor, "
                        "portfolio, bytes or replay)",
                        Quote(value)));
  }
  header.schedule->strategy = std::string(value);
  return absl::OkStatus();
}

absl::Status ParseVerdictField(std::string_view value, Header& header) {
  const std::optional<Verdict> verdict = ParseVerdict(value);
  if (!verdict.has_value()) {
    return Problem(
        absl::StrFormat("unknown verdict %s (expected one of %s)", Quote(value), VerdictList()));
  }
  header.schedule->verdict = *verdict;
  return absl::OkStatus();
}

absl::Status ParseTraceHashField(std::string_view value, Header& header) {
  if (value.size() != 16 || value.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return Problem(
        absl::StrFormat("bad trace-hash %s: expected 16 lowercase hex digits", Quote(value)));
  }
  uint64_t hash = 0;
  for (char c : value) {
    const uint64_t nibble = static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    hash = (hash << 4) | nibble;
  }
  header.schedule->trace_hash = hash;
  return absl::OkStatus();
}

absl::Status ParseDecisionsField(std::string_view value, Header& header) {
  const std::optional<uint64_t> count = ParseDecimal(value, kMaxScheduleDecisions);
  if (!count.has_value()) {
    return Problem(absl::StrFormat("bad decisions %s: expected a decimal number from 0 to %d",
                                   Quote(value), kMaxScheduleDecisions));
  }
  header.decisions = *count;
  return absl::OkStatus();
}

// Every key a version 1 file may use (besides x-...), in the order FormatSchedule writes them.
constexpr std::array<HeaderField, 13> kHeaderFields = {{
    {"scenario", true, false, ParseScenarioField},
    {"program", false, true, ParseProgramField},
    {"param", false, true, ParseParamField},
    {"strategy", true, false, ParseStrategyField},
    {"seed", true, false,
     [](std::string_view v, Header& h) { return ParseNumberField("seed", v, &h.schedule->seed); }},
    {"depth", false, false,
     [](std::string_view v, Header& h) {
       return ParseNumberField("depth", v, &h.schedule->depth);
     }},
    {"max-steps", false, false,
     [](std::string_view v, Header& h) {
       return ParseNumberField("max-steps", v, &h.schedule->max_steps);
     }},
    {"model-version", false, false,
     [](std::string_view v, Header& h) {
       return ParseNumberField("model-version", v, &h.schedule->model_version);
     }},
    {"verdict", true, false, ParseVerdictField},
    {"trace-hash", false, false, ParseTraceHashField},
    {"steps", false, false,
     [](std::string_view v, Header& h) {
       return ParseNumberField("steps", v, &h.schedule->steps);
     }},
    {"preemptions", false, false,
     [](std::string_view v, Header& h) {
       return ParseNumberField("preemptions", v, &h.schedule->preemptions);
     }},
    {"decisions", true, false, ParseDecisionsField},
}};

// Header::seen has a bit per field.
static_assert(kHeaderFields.size() <= 32);

absl::Status ApplyHeaderLine(std::string_view line, Header& header) {
  const size_t colon = line.find(": ");
  const std::string_view key = line.substr(0, colon);
  if (colon == std::string_view::npos || !AllOf(key, '-')) {
    return Problem(absl::StrFormat("malformed header line %s: expected 'key: value'", Quote(line)));
  }
  // The forward-compatibility rule: a newer writer may add x- headers; they never change replay.
  if (key.substr(0, 2) == "x-") return absl::OkStatus();
  for (size_t i = 0; i < kHeaderFields.size(); ++i) {
    const HeaderField& field = kHeaderFields[i];
    if (field.key != key) continue;
    const uint32_t bit = uint32_t{1} << i;
    if (!field.repeatable && (header.seen & bit) != 0) {
      return Problem(absl::StrFormat("duplicate header '%s'", key));
    }
    header.seen |= bit;
    // A repeatable header's line is its first one ("program"); a param's is its own (above).
    header.schedule->source.lines.emplace(std::string(key), header.line);
    return field.parse(line.substr(colon + 2), header);
  }
  return Problem(
      absl::StrFormat("unknown header %s (a header this version does not know is an error unless "
                      "it starts with 'x-')",
                      Quote(key)));
}

absl::Status CheckRequiredHeaders(const Header& header, const LineReader& lines) {
  for (size_t i = 0; i < kHeaderFields.size(); ++i) {
    if (kHeaderFields[i].required && (header.seen & (uint32_t{1} << i)) == 0) {
      return lines.Error(absl::StrFormat("missing required header '%s'", kHeaderFields[i].key));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadHeader(LineReader& lines, Header& header) {
  while (!lines.AtEnd()) {
    absl::StatusOr<std::string_view> line = lines.Next();
    if (!line.ok()) return line.status();
    if (IsIgnorable(*line)) continue;
    header.line = lines.line_number();
    if (*line == kHeaderEnd) {
      header.schedule->source.lines.emplace(std::string(kHeaderEnd), header.line);
      return CheckRequiredHeaders(header, lines);
    }
    if (absl::Status applied = ApplyHeaderLine(*line, header); !applied.ok()) {
      return lines.Error(applied);
    }
  }
  return lines.Error("truncated: missing '---' line after the headers");
}

// ---------------------------------------------------------------------------------------------
// Decision lines: "<index> <kind> <chosen>/<count>[ <label>]" until "end".

// Splits `text` at its first space into `field` and the rest after the space. False (and `text`
// emptied) when there is no space.
bool SplitAtSpace(std::string_view& text, std::string_view* field) {
  const size_t space = text.find(' ');
  *field = text.substr(0, space);
  text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  return space != std::string_view::npos;
}

absl::Status ParseChoice(std::string_view text, Decision* decision) {
  const size_t slash = text.find('/');
  constexpr uint64_t kMax = std::numeric_limits<uint32_t>::max();
  const std::optional<uint64_t> chosen = ParseDecimal(text.substr(0, slash), kMax);
  const std::optional<uint64_t> count =
      slash == std::string_view::npos ? std::nullopt : ParseDecimal(text.substr(slash + 1), kMax);
  if (!chosen.has_value() || !count.has_value()) {
    return Problem(absl::StrFormat("bad choice %s: expected <chosen>/<count>", Quote(text)));
  }
  if (*count == 0) {
    return Problem(
        absl::StrFormat("option count 0 in %s: a decision has at least 1 option", Quote(text)));
  }
  if (*chosen >= *count) {
    return Problem(absl::StrFormat("choice %d out of range: %s has options 0 to %d", *chosen,
                                   Quote(text), *count - 1));
  }
  decision->chosen = static_cast<uint32_t>(*chosen);
  decision->count = static_cast<uint32_t>(*count);
  WVSIM_ASSERT(decision->count >= 1 && decision->chosen < decision->count);
  return absl::OkStatus();
}

absl::StatusOr<Decision> ParseDecisionLine(std::string_view line, uint64_t expected_index) {
  std::string_view index_text, kind_text, choice_text;
  std::string_view label = line;
  if (!SplitAtSpace(label, &index_text) || !SplitAtSpace(label, &kind_text)) {
    return Problem(absl::StrFormat(
        "malformed decision line %s: expected '<index> <kind> <chosen>/<count>[ <label>]'",
        Quote(line)));
  }
  const bool has_label = SplitAtSpace(label, &choice_text);
  const std::optional<uint64_t> index =
      ParseDecimal(index_text, std::numeric_limits<uint64_t>::max());
  if (!index.has_value()) {
    return Problem(
        absl::StrFormat("bad decision index %s: expected a decimal number", Quote(index_text)));
  }
  if (*index != expected_index) {
    return Problem(
        absl::StrFormat("decision index %d out of sequence: expected %d (indices count up from 0)",
                        *index, expected_index));
  }
  Decision decision;
  const std::optional<ChoiceKind> kind = ParseChoiceKind(kind_text);
  if (!kind.has_value()) {
    return Problem(absl::StrFormat(
        "unknown decision kind %s (expected thread, timer, fault or value)", Quote(kind_text)));
  }
  decision.kind = *kind;
  if (absl::Status choice = ParseChoice(choice_text, &decision); !choice.ok()) return choice;
  if (has_label && label.empty()) {
    return Problem("trailing space after the choice (a decision without a label ends there)");
  }
  decision.label = std::string(label);
  return decision;
}

absl::Status ReadDecisions(LineReader& lines, uint64_t declared, std::vector<Decision>* decisions) {
  // The header's count is only a claim: never reserve more than the remaining text could hold.
  decisions->reserve(std::min<uint64_t>(declared, lines.remaining_bytes() / kDecisionLineBytesMin));
  while (!lines.AtEnd()) {
    absl::StatusOr<std::string_view> line = lines.Next();
    if (!line.ok()) return line.status();
    if (IsIgnorable(*line)) continue;
    if (*line == kBodyEnd) {
      if (decisions->size() == declared) return absl::OkStatus();
      return lines.Error(absl::StrFormat(
          "decision count mismatch: the header says 'decisions: %d' but %d decision lines follow",
          declared, decisions->size()));
    }
    if (decisions->size() >= declared) {
      return lines.Error(absl::StrFormat(
          "decision count mismatch: more decision lines than the header's 'decisions: %d'",
          declared));
    }
    absl::StatusOr<Decision> decision = ParseDecisionLine(*line, decisions->size());
    if (!decision.ok()) return lines.Error(decision.status());
    WVSIM_ASSERT(decisions->size() < declared);  // never more than the header's count
    decisions->push_back(*std::move(decision));
  }
  return lines.Error("truncated: missing 'end' line");
}

absl::Status ReadTrailer(LineReader& lines) {
  while (!lines.AtEnd()) {
    absl::StatusOr<std::string_view> line = lines.Next();
    if (!line.ok()) return line.status();
    if (!IsIgnorable(*line)) {
      return lines.Error(absl::StrFormat("unexpected text after 'end': %s", Quote(*line)));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Formatting and validation.

std::string FormatHeader(const Schedule& s) {
  std::string out =
      absl::StrFormat("wvsim-schedule %d\nscenario: %s\n", kScheduleFormatVersion, s.scenario);
  for (const std::string& line : s.payload) absl::StrAppendFormat(&out, "program: %s\n", line);
  for (const auto& [name, value] : s.params)
    absl::StrAppendFormat(&out, "param: %s=%s\n", name, value);
  absl::StrAppendFormat(&out, "strategy: %s\nseed: %d\ndepth: %d\nmax-steps: %d\n", s.strategy,
                        s.seed, s.depth, s.max_steps);
  absl::StrAppendFormat(&out, "model-version: %d\nverdict: %s\ntrace-hash: %016x\n",
                        s.model_version, VerdictText(s.verdict), s.trace_hash);
  absl::StrAppendFormat(&out, "steps: %d\npreemptions: %d\ndecisions: %d\n---\n", s.steps,
                        s.preemptions, s.decisions.size());
  return out;
}

// Bytes of a decision's line without its '\n', computed without building it.
size_t DecisionLineBytes(uint64_t index, const Decision& d) {
  return DecimalDigits(index) + 1 + std::string_view(ChoiceKindName(d.kind)).size() + 1 +
         DecimalDigits(d.chosen) + 1 + DecimalDigits(d.count) +
         (d.label.empty() ? 0 : 1 + d.label.size());
}

absl::Status ValidateText(std::string_view what, std::string_view text, size_t line_bytes) {
  if (std::string problem = TextProblem(text); !problem.empty()) {
    return Problem(absl::StrFormat("%s: %s", what, problem));
  }
  if (line_bytes > kMaxScheduleLineBytes) {
    return Problem(
        absl::StrFormat("%s: its line would be longer than %d bytes", what, kMaxScheduleLineBytes));
  }
  return absl::OkStatus();
}

absl::Status ValidateHeaderFields(const Schedule& s) {
  if (!IsScenarioId(s.scenario) || s.scenario.size() > kMaxScheduleLineBytes - 10) {
    return Problem(absl::StrFormat("bad scenario id %s", Quote(s.scenario)));
  }
  if (s.params.size() > kMaxScheduleParams) {
    return Problem(absl::StrFormat("%d params, more than %d", s.params.size(), kMaxScheduleParams));
  }
  if (s.payload.size() > kMaxScheduleProgramLines) {
    return Problem(absl::StrFormat("%d program lines, more than %d", s.payload.size(),
                                   kMaxScheduleProgramLines));
  }
  for (size_t i = 0; i < s.payload.size(); ++i) {
    const std::string what = absl::StrFormat("program line %d", i + 1);
    const size_t line_bytes = 9 + s.payload[i].size();  // "program: line"
    if (absl::Status valid = ValidateText(what, s.payload[i], line_bytes); !valid.ok())
      return valid;
  }
  for (const auto& [name, value] : s.params) {
    if (!IsIdentifier(name)) return Problem(absl::StrFormat("bad param name %s", Quote(name)));
    const std::string what = absl::StrFormat("param %s", Quote(name));
    const size_t line_bytes = 7 + name.size() + 1 + value.size();  // "param: name=value"
    if (absl::Status valid = ValidateText(what, value, line_bytes); !valid.ok()) return valid;
  }
  if (!IsStrategyName(s.strategy))
    return Problem(absl::StrFormat("unknown strategy %s", Quote(s.strategy)));
  if (s.decisions.size() > kMaxScheduleDecisions) {
    return Problem(
        absl::StrFormat("%d decisions, more than %d", s.decisions.size(), kMaxScheduleDecisions));
  }
  return absl::OkStatus();
}

absl::Status ValidateDecision(uint64_t index, const Decision& d) {
  const std::string what = absl::StrFormat("decision %d", index);
  if (static_cast<size_t>(d.kind) >= kChoiceKindNames.size()) {
    return Problem(absl::StrFormat("%s: kind out of range", what));
  }
  if (d.count == 0 || d.chosen >= d.count) {
    return Problem(absl::StrFormat("%s: choice %d/%d out of range", what, d.chosen, d.count));
  }
  return ValidateText(what, d.label, DecisionLineBytes(index, d));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public functions.

uint32_t ScheduleSource::Line(std::string_view key) const {
  const auto it = lines.find(key);
  return it == lines.end() ? 0 : it->second;
}

std::string ScheduleSource::At(std::string_view key) const {
  uint32_t line = Line(key);
  if (line == 0) line = Line(kHeaderEnd);
  return line == 0 ? name : absl::StrFormat("%s:%d", name, line);
}

const char* ChoiceKindName(ChoiceKind kind) {
  const auto index = static_cast<size_t>(kind);
  // The names are literals, so data() is NUL-terminated.
  return index < kChoiceKindNames.size() ? kChoiceKindNames[index].data() : "invalid";
}

std::optional<ChoiceKind> ParseChoiceKind(std::string_view name) {
  for (size_t i = 0; i < kChoiceKindNames.size(); ++i) {
    if (kChoiceKindNames[i] == name) return static_cast<ChoiceKind>(i);
  }
  return std::nullopt;
}

absl::Status ValidateSchedule(const Schedule& schedule) {
  if (absl::Status valid = ValidateHeaderFields(schedule); !valid.ok()) return valid;
  size_t total_bytes = FormatHeader(schedule).size() + kBodyEnd.size() + 1;
  for (size_t i = 0; i < schedule.decisions.size(); ++i) {
    if (absl::Status valid = ValidateDecision(i, schedule.decisions[i]); !valid.ok()) return valid;
    total_bytes += DecisionLineBytes(i, schedule.decisions[i]) + 1;
  }
  if (total_bytes > kMaxScheduleFileBytes) {
    return Problem(absl::StrFormat("its text would be %d bytes, more than the %d-byte limit",
                                   total_bytes, kMaxScheduleFileBytes));
  }
  return absl::OkStatus();
}

std::string FormatSchedule(const Schedule& schedule) {
  std::string out = FormatHeader(schedule);
  for (size_t i = 0; i < schedule.decisions.size(); ++i) {
    const Decision& d = schedule.decisions[i];
    absl::StrAppendFormat(&out, "%d %s %d/%d%s%s\n", i, ChoiceKindName(d.kind), d.chosen, d.count,
                          d.label.empty() ? "" : " ", d.label);
  }
  out.append(kBodyEnd).push_back('\n');
  return out;
}

absl::StatusOr<Schedule> ParseSchedule(std::string_view text, std::string_view source_name) {
  LineReader lines(text, source_name);
  if (text.size() > kMaxScheduleFileBytes) {
    return lines.Error(absl::StrFormat("schedule text is %d bytes, more than the %d-byte limit",
                                       text.size(), kMaxScheduleFileBytes));
  }
  if (absl::Status first = ReadFirstLine(text, lines); !first.ok()) return first;
  Schedule schedule;
  schedule.source.name = std::string(source_name);
  Header header{.schedule = &schedule};
  if (absl::Status status = ReadHeader(lines, header); !status.ok()) return status;
  if (absl::Status status = ReadDecisions(lines, header.decisions, &schedule.decisions);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = ReadTrailer(lines); !status.ok()) return status;
  WVSIM_ASSERT(schedule.decisions.size() == header.decisions);
  WVSIM_ASSERT(schedule.source.Line(kHeaderEnd) != 0);
  return schedule;
}

// ---------------------------------------------------------------------------------------------
// Files.

absl::Status WriteScheduleFile(const std::string& path, const Schedule& schedule) {
  if (path.empty()) return absl::InvalidArgumentError("empty schedule file path");
  if (absl::Status valid = ValidateSchedule(schedule); !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not writing an invalid schedule: %s", path, valid.message()));
  }
  return WriteFileAtomically(path, FormatSchedule(schedule));
}

absl::StatusOr<Schedule> ReadScheduleFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileAtMost(path, kMaxScheduleFileBytes + 1);
  if (!text.ok()) return text.status();
  if (text->size() > kMaxScheduleFileBytes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: schedule file larger than the %d-byte limit", path, kMaxScheduleFileBytes));
  }
  return ParseSchedule(*text, path);
}

}  // namespace wvsim::sim
