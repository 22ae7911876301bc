// Tests for sim/schedule_io: the exact text FormatSchedule writes, the round trip, one test per
// class of malformed input (each checking the error code, the line number and the problem), the
// atomic file writer, and a deterministic mutation "fuzz" run over the parser.
#include "sim/schedule_io.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "model/verdicts.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::sim {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSource = "t.schedule";

// The example of docs/schedule-format.md, as FormatSchedule must write it.
constexpr std::string_view kExampleText =
    "wvsim-schedule 1\n"
    "scenario: sim.abba\n"
    "param: fault_budget=0\n"
    "param: target_sdk=18\n"
    "strategy: random\n"
    "seed: 42\n"
    "depth: 0\n"
    "max-steps: 100000\n"
    "model-version: 1\n"
    "verdict: deadlock\n"
    "trace-hash: 00f3a1b2c3d4e5f6\n"
    "steps: 7\n"
    "preemptions: 1\n"
    "decisions: 3\n"
    "---\n"
    "0 thread 0/2 t1 lock(a)\n"
    "1 thread 1/2 t2 lock(b)\n"
    "2 timer 0/1\n"
    "end\n";

Schedule ExampleSchedule() {
  Schedule s;
  s.scenario = "sim.abba";
  s.params = {{"target_sdk", "18"}, {"fault_budget", "0"}};
  s.strategy = "random";
  s.seed = 42;
  s.depth = 0;
  s.max_steps = 100000;
  s.model_version = 1;
  s.verdict = Verdict::kDeadlock;
  s.trace_hash = 0x00f3a1b2c3d4e5f6;
  s.steps = 7;
  s.preemptions = 1;
  s.decisions = {{ChoiceKind::kThread, 0, 2, "t1 lock(a)"},
                 {ChoiceKind::kThread, 1, 2, "t2 lock(b)"},
                 {ChoiceKind::kTimer, 0, 1, ""}};
  return s;
}

// A minimal valid file, one line per element (line numbers are index + 1), so a test can
// replace, insert or drop a line and know where the error must point.
std::vector<std::string> MinimalLines() {
  return {
      "wvsim-schedule 1",         // 1
      "scenario: sim.abba",       // 2
      "strategy: random",         // 3
      "seed: 42",                 // 4
      "verdict: deadlock",        // 5
      "decisions: 2",             // 6
      "---",                      // 7
      "0 thread 0/2 t1 lock(a)",  // 8
      "1 timer 0/1",              // 9
      "end",                      // 10
  };
}

std::string Join(const std::vector<std::string>& lines) {
  return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
}

std::string MinimalWith(int line_number, std::string replacement) {
  std::vector<std::string> lines = MinimalLines();
  lines[line_number - 1] = std::move(replacement);
  return Join(lines);
}

std::string MinimalInserting(int line_number, std::string inserted) {
  std::vector<std::string> lines = MinimalLines();
  lines.insert(lines.begin() + (line_number - 1), std::move(inserted));
  return Join(lines);
}

// Succeeds when parsing `text` fails with InvalidArgument, a message that starts with
// "t.schedule:<line>: " and mentions `problem`.
::testing::AssertionResult FailsAt(std::string_view text, int line, std::string_view problem) {
  const absl::StatusOr<Schedule> parsed = ParseSchedule(text, kSource);
  if (parsed.ok()) return ::testing::AssertionFailure() << "parsed without an error";
  const std::string message(parsed.status().message());
  if (parsed.status().code() != absl::StatusCode::kInvalidArgument) {
    return ::testing::AssertionFailure() << "wrong code: " << parsed.status();
  }
  const std::string location = absl::StrFormat("%s:%d: ", kSource, line);
  if (!message.starts_with(location)) {
    return ::testing::AssertionFailure() << "expected location " << location << " in: " << message;
  }
  if (message.find(problem) == std::string::npos) {
    return ::testing::AssertionFailure() << "expected '" << problem << "' in: " << message;
  }
  return ::testing::AssertionSuccess();
}

// --- Formatting and round trips ------------------------------------------------------------

TEST(ScheduleIoTest, FormatsTheDocumentedExampleExactly) {
  EXPECT_EQ(FormatSchedule(ExampleSchedule()), kExampleText);
}

TEST(ScheduleIoTest, RoundTripsAPopulatedSchedule) {
  Schedule s = ExampleSchedule();
  s.strategy = "pct";
  s.seed = UINT64_MAX;
  s.depth = UINT32_MAX;
  s.max_steps = UINT64_MAX;
  s.model_version = 7;
  s.verdict = WebViewVerdict::kDeferralDoubleComplete;
  s.trace_hash = UINT64_MAX;
  s.params["note"] = "a value = with spaces and ünïcödé ";
  s.decisions.push_back({ChoiceKind::kFault, 3, 4, "crash renderer  (twice spaced)"});
  s.decisions.push_back({ChoiceKind::kValue, UINT32_MAX - 1, UINT32_MAX, " leading space"});
  ASSERT_TRUE(ValidateSchedule(s).ok());
  const absl::StatusOr<Schedule> parsed = ParseSchedule(FormatSchedule(s), kSource);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, s);
}

TEST(ScheduleIoTest, RoundTripsAnEmptySchedule) {
  Schedule s;
  s.scenario = "a.b";
  const absl::StatusOr<Schedule> parsed = ParseSchedule(FormatSchedule(s), kSource);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, s);
}

TEST(ScheduleIoTest, ChoiceKindNamesRoundTrip) {
  for (ChoiceKind kind :
       {ChoiceKind::kThread, ChoiceKind::kTimer, ChoiceKind::kFault, ChoiceKind::kValue}) {
    EXPECT_EQ(ParseChoiceKind(ChoiceKindName(kind)), kind);
  }
  EXPECT_EQ(ParseChoiceKind("Thread"), std::nullopt);
  EXPECT_EQ(ParseChoiceKind(""), std::nullopt);
}

TEST(ScheduleIoTest, AcceptsCommentsBlankLinesAndAnyHeaderOrder) {
  const std::string text =
      "wvsim-schedule 1\n"
      "# recorded by hand\n"
      "\n"
      "decisions: 2\n"
      "verdict: deadlock\n"
      "   \n"
      "seed: 42\n"
      "strategy: random\n"
      "scenario: sim.abba\n"
      "---\n"
      "# the first lock\n"
      "0 thread 0/2 t1 lock(a)\n"
      "\n"
      "1 timer 0/1\n"
      "end\n"
      "# trailing comment\n"
      "\n";
  const absl::StatusOr<Schedule> parsed = ParseSchedule(text, kSource);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const absl::StatusOr<Schedule> minimal = ParseSchedule(Join(MinimalLines()), kSource);
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_EQ(*parsed, *minimal);
  EXPECT_EQ(parsed->decisions.size(), 2u);
  EXPECT_EQ(parsed->decisions[0].label, "t1 lock(a)");
}

TEST(ScheduleIoTest, KeepsTheLineOfEachHeaderPastCommentsAndCrLf) {
  const std::string text =
      "wvsim-schedule 1\r\n"
      "# recorded by hand\r\n"
      "decisions: 0\r\n"
      "\r\n"
      "verdict: clean\r\n"
      "param: b=2\r\n"
      "seed: 42\r\n"
      "param: a=1\r\n"
      "strategy: random\r\n"
      "x-note: ignored\r\n"
      "scenario: sim.abba\r\n"
      "---\r\n"
      "end\r\n";
  const absl::StatusOr<Schedule> parsed = ParseSchedule(text, kSource);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const ScheduleSource& source = parsed->source;
  EXPECT_EQ(source.name, kSource);
  EXPECT_EQ(source.Line("decisions"), 3u);
  EXPECT_EQ(source.Line("verdict"), 5u);
  EXPECT_EQ(source.Line("param:b"), 6u);
  EXPECT_EQ(source.Line("param:a"), 8u);
  EXPECT_EQ(source.Line("scenario"), 11u);
  EXPECT_EQ(source.Line("---"), 12u);
  EXPECT_EQ(source.Line("x-note"), 0u);
  EXPECT_FALSE(source.Has("trace-hash"));
  EXPECT_EQ(source.At("seed"), "t.schedule:7");
  EXPECT_EQ(source.At("steps"), "t.schedule:12");  // missing: where the headers end
  // A schedule built in memory has every header and no lines.
  const Schedule built;
  EXPECT_TRUE(built.source.Has("trace-hash"));
  EXPECT_EQ(built.source.At("seed"), "");
}

TEST(ScheduleIoTest, OptionalHeadersTakeTheStructDefaults) {
  const absl::StatusOr<Schedule> parsed = ParseSchedule(Join(MinimalLines()), kSource);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Schedule defaults;
  EXPECT_EQ(parsed->depth, defaults.depth);
  EXPECT_EQ(parsed->max_steps, defaults.max_steps);
  EXPECT_EQ(parsed->model_version, defaults.model_version);
  EXPECT_EQ(parsed->trace_hash, defaults.trace_hash);
  EXPECT_TRUE(parsed->params.empty());
}

TEST(ScheduleIoTest, AcceptsCrLfLineEndingsAndNoFinalNewline) {
  std::string crlf;
  for (const std::string& line : MinimalLines()) absl::StrAppend(&crlf, line, "\r\n");
  const absl::StatusOr<Schedule> parsed = ParseSchedule(crlf, kSource);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  std::string unterminated = Join(MinimalLines());
  unterminated.pop_back();
  const absl::StatusOr<Schedule> parsed_unterminated = ParseSchedule(unterminated, kSource);
  ASSERT_TRUE(parsed_unterminated.ok()) << parsed_unterminated.status();
  EXPECT_EQ(*parsed, *parsed_unterminated);
}

TEST(ScheduleIoTest, IgnoresXHeaders) {
  const std::string text = MinimalInserting(3, "x-recorded-by: ci job 17");
  const absl::StatusOr<Schedule> parsed = ParseSchedule(text, kSource);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const absl::StatusOr<Schedule> minimal = ParseSchedule(Join(MinimalLines()), kSource);
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_EQ(*parsed, *minimal);
}

// --- Malformed input, one class per test ----------------------------------------------------

TEST(ScheduleIoTest, RejectsEmptyInput) { EXPECT_TRUE(FailsAt("", 1, "empty file")); }

TEST(ScheduleIoTest, RejectsWrongFirstLine) {
  EXPECT_TRUE(FailsAt(MinimalWith(1, "hello world"), 1, "not a wvsim schedule file"));
  EXPECT_TRUE(FailsAt(MinimalWith(1, "wvsim-schedule one"), 1, "not a wvsim schedule file"));
  EXPECT_TRUE(FailsAt("\xEF\xBB\xBFwvsim-schedule 1\n", 1, "not a wvsim schedule file"));
}

TEST(ScheduleIoTest, RejectsOtherFormatVersions) {
  EXPECT_TRUE(FailsAt(MinimalWith(1, "wvsim-schedule 2"), 1,
                      "unsupported format version 2 (this wvsim reads version 1)"));
  EXPECT_TRUE(FailsAt(MinimalWith(1, "wvsim-schedule 99999999999999999999999"), 1,
                      "unsupported format version"));
}

TEST(ScheduleIoTest, RejectsTruncatedFile) {
  std::vector<std::string> lines = MinimalLines();
  lines.pop_back();  // no "end"
  EXPECT_TRUE(FailsAt(Join(lines), 9, "truncated: missing 'end' line"));
  lines.resize(5);  // stops inside the header
  EXPECT_TRUE(FailsAt(Join(lines), 5, "truncated: missing '---' line"));
}

TEST(ScheduleIoTest, RejectsDecisionCountMismatch) {
  EXPECT_TRUE(FailsAt(MinimalWith(6, "decisions: 3"), 10, "decision count mismatch"));
  EXPECT_TRUE(FailsAt(MinimalWith(6, "decisions: 1"), 9, "decision count mismatch"));
}

TEST(ScheduleIoTest, RejectsNonConsecutiveIndex) {
  EXPECT_TRUE(FailsAt(MinimalWith(9, "2 timer 0/1"), 9, "decision index 2 out of sequence"));
  EXPECT_TRUE(FailsAt(MinimalWith(8, "1 thread 0/2"), 8, "expected 0"));
}

TEST(ScheduleIoTest, RejectsChoiceOutOfRange) {
  EXPECT_TRUE(FailsAt(MinimalWith(8, "0 thread 5/3 t1"), 8, "choice 5 out of range"));
  EXPECT_TRUE(FailsAt(MinimalWith(8, "0 thread 2/2"), 8, "choice 2 out of range"));
}

TEST(ScheduleIoTest, RejectsOptionCountZero) {
  EXPECT_TRUE(FailsAt(MinimalWith(9, "1 timer 0/0"), 9, "option count 0"));
}

TEST(ScheduleIoTest, RejectsMalformedChoice) {
  EXPECT_TRUE(FailsAt(MinimalWith(9, "1 timer 0"), 9, "bad choice"));
  EXPECT_TRUE(FailsAt(MinimalWith(9, "1 timer 0/99999999999"), 9, "bad choice"));
  EXPECT_TRUE(FailsAt(MinimalWith(9, "1 timer -1/2"), 9, "bad choice"));
  EXPECT_TRUE(FailsAt(MinimalWith(9, "1 timer"), 9, "malformed decision line"));
  EXPECT_TRUE(FailsAt(MinimalWith(9, "1 timer 0/1 "), 9, "trailing space"));
}

TEST(ScheduleIoTest, RejectsUnknownKind) {
  EXPECT_TRUE(FailsAt(MinimalWith(8, "0 thraed 0/2 t1"), 8, "unknown decision kind 'thraed'"));
}

TEST(ScheduleIoTest, RejectsUnknownHeaderKey) {
  EXPECT_TRUE(FailsAt(MinimalInserting(3, "colour: blue"), 3, "unknown header 'colour'"));
  EXPECT_TRUE(FailsAt(MinimalInserting(3, "no colon here"), 3, "malformed header line"));
  EXPECT_TRUE(FailsAt(MinimalInserting(3, "seed:42"), 3, "malformed header line"));
}

TEST(ScheduleIoTest, RejectsDuplicateHeader) {
  EXPECT_TRUE(FailsAt(MinimalInserting(5, "seed: 43"), 5, "duplicate header 'seed'"));
  ASSERT_TRUE(ParseSchedule(MinimalInserting(3, "param: fault_budget=0"), kSource).ok());
  std::vector<std::string> lines = MinimalLines();
  lines.insert(lines.begin() + 2, {"param: a=1", "param: a=2"});
  EXPECT_TRUE(FailsAt(Join(lines), 4, "duplicate param 'a'"));
}

TEST(ScheduleIoTest, RejectsMissingRequiredHeader) {
  std::vector<std::string> lines = MinimalLines();
  lines.erase(lines.begin() + 3);  // seed
  EXPECT_TRUE(FailsAt(Join(lines), 6, "missing required header 'seed'"));
}

TEST(ScheduleIoTest, RejectsBadSeedNumbers) {
  EXPECT_TRUE(FailsAt(MinimalWith(4, "seed: 99999999999999999999999"), 4, "bad seed"));
  EXPECT_TRUE(FailsAt(MinimalWith(4, "seed: 18446744073709551616"), 4, "bad seed"));
  EXPECT_TRUE(FailsAt(MinimalWith(4, "seed: -1"), 4, "bad seed"));
  EXPECT_TRUE(FailsAt(MinimalWith(4, "seed: 0x10"), 4, "bad seed"));
  EXPECT_TRUE(FailsAt(MinimalWith(4, "seed: "), 4, "bad seed"));
  EXPECT_TRUE(FailsAt(MinimalInserting(4, "depth: 4294967296"), 4, "bad depth"));
  EXPECT_TRUE(ParseSchedule(MinimalWith(4, "seed: 18446744073709551615"), kSource).ok());
}

TEST(ScheduleIoTest, RejectsBadVerdict) {
  EXPECT_TRUE(FailsAt(MinimalWith(5, "verdict: deadlocked"), 5, "unknown verdict 'deadlocked'"));
}

TEST(ScheduleIoTest, RejectsBadScenarioId) {
  EXPECT_TRUE(FailsAt(MinimalWith(2, "scenario: abba"), 2, "bad scenario id"));
  EXPECT_TRUE(FailsAt(MinimalWith(2, "scenario: Sim.Abba"), 2, "bad scenario id"));
  EXPECT_TRUE(FailsAt(MinimalWith(2, "scenario: sim..abba"), 2, "bad scenario id"));
  EXPECT_TRUE(FailsAt(MinimalWith(2, "scenario: sim.abba."), 2, "bad scenario id"));
}

TEST(ScheduleIoTest, RejectsBadStrategyAndTraceHash) {
  EXPECT_TRUE(FailsAt(MinimalWith(3, "strategy: greedy"), 3, "unknown strategy"));
  EXPECT_TRUE(FailsAt(MinimalInserting(3, "trace-hash: 00F3A1B2C3D4E5F6"), 3, "bad trace-hash"));
  EXPECT_TRUE(FailsAt(MinimalInserting(3, "trace-hash: f3a1"), 3, "bad trace-hash"));
}

TEST(ScheduleIoTest, RejectsTextAfterEnd) {
  std::vector<std::string> lines = MinimalLines();
  lines.push_back("# fine");
  lines.push_back("2 thread 0/1");
  EXPECT_TRUE(FailsAt(Join(lines), 12, "unexpected text after 'end'"));
}

TEST(ScheduleIoTest, RejectsBinaryGarbageWithNulBytes) {
  constexpr char kElf[] =
      "\x7f"
      "ELF\x02\x01\x01\x00\x00\x00\x00\n\x00\xff\xfe---\nend\n";
  const std::string garbage(kElf, sizeof(kElf) - 1);
  EXPECT_TRUE(FailsAt(garbage, 1, "not a wvsim schedule file"));
  const std::string nul_in_value = MinimalWith(2, std::string("scenario: sim.a\0bba", 19));
  EXPECT_TRUE(FailsAt(nul_in_value, 2, "control character 0x00"));
  const std::string nul_in_label = MinimalWith(8, std::string("0 thread 0/2 t1\0", 16));
  EXPECT_TRUE(FailsAt(nul_in_label, 8, "control character 0x00"));
}

TEST(ScheduleIoTest, RejectsInvalidUtf8AndControlCharacters) {
  EXPECT_TRUE(FailsAt(MinimalWith(8, "0 thread 0/2 t1 \xC3("), 8, "invalid UTF-8"));
  EXPECT_TRUE(
      FailsAt(MinimalWith(8, "0 thread 0/2 \xED\xA0\x80"), 8, "invalid UTF-8"));      // surrogate
  EXPECT_TRUE(FailsAt(MinimalWith(8, "0 thread 0/2 \xC0\xAF"), 8, "invalid UTF-8"));  // overlong
  EXPECT_TRUE(FailsAt(MinimalWith(8, "0 thread 0/2 a\tb"), 8, "control character 0x09"));
  EXPECT_TRUE(FailsAt(MinimalWith(8, "0 thread 0/2 \xC2\x85"), 8, "control character U+0085"));
  EXPECT_TRUE(FailsAt(MinimalWith(8, "0 thread 0/2 a\rb"), 8, "control character 0x0d"));
}

TEST(ScheduleIoTest, RejectsEnormousLine) {
  const std::string megabyte(1 << 20, 'x');
  EXPECT_TRUE(
      FailsAt(MinimalWith(8, "0 thread 0/2 " + megabyte), 8, "line longer than 4096 bytes"));
  EXPECT_TRUE(FailsAt(MinimalInserting(3, "x-note: " + megabyte), 3, "line longer than"));
  EXPECT_TRUE(FailsAt("wvsim-schedule 1" + megabyte, 1, "line longer than"));
  // Exactly at the limit is fine.
  const std::string label(kMaxScheduleLineBytes - std::string("0 thread 0/2 ").size(), 'y');
  EXPECT_TRUE(ParseSchedule(MinimalWith(8, "0 thread 0/2 " + label), kSource).ok());
}

TEST(ScheduleIoTest, RejectsTooManyDecisionsAndParams) {
  EXPECT_TRUE(FailsAt(MinimalWith(6, absl::StrCat("decisions: ", kMaxScheduleDecisions + 1)), 6,
                      "bad decisions"));
  std::vector<std::string> lines = MinimalLines();
  for (size_t i = 0; i <= kMaxScheduleParams; ++i) {
    lines.insert(lines.begin() + 2, absl::StrCat("param: p", i, "=1"));
  }
  EXPECT_TRUE(
      FailsAt(Join(lines), 3 + static_cast<int>(kMaxScheduleParams), "more than 64 params"));
}

// --- Validation ----------------------------------------------------------------------------

TEST(ScheduleIoTest, ValidateRejectsWhatCannotRoundTrip) {
  EXPECT_TRUE(ValidateSchedule(ExampleSchedule()).ok());
  Schedule newline_label = ExampleSchedule();
  newline_label.decisions[0].label = "t1\nend";
  EXPECT_EQ(ValidateSchedule(newline_label).code(), absl::StatusCode::kInvalidArgument);
  Schedule bad_choice = ExampleSchedule();
  bad_choice.decisions[1].chosen = 2;
  EXPECT_EQ(ValidateSchedule(bad_choice).code(), absl::StatusCode::kInvalidArgument);
  Schedule bad_param = ExampleSchedule();
  bad_param.params["Bad Name"] = "1";
  EXPECT_EQ(ValidateSchedule(bad_param).code(), absl::StatusCode::kInvalidArgument);
  Schedule long_label = ExampleSchedule();
  long_label.decisions[0].label.assign(kMaxScheduleLineBytes, 'z');
  EXPECT_EQ(ValidateSchedule(long_label).code(), absl::StatusCode::kInvalidArgument);
  Schedule bad_strategy = ExampleSchedule();
  bad_strategy.strategy = "greedy";
  EXPECT_EQ(ValidateSchedule(bad_strategy).code(), absl::StatusCode::kInvalidArgument);
}

// --- Files ---------------------------------------------------------------------------------

// A fresh, empty directory under the test's temporary directory.
fs::path FreshDirectory(std::string_view name) {
  const fs::path dir = fs::path(::testing::TempDir()) / absl::StrFormat("schedule_io_%s", name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

bool HasTemporaryFiles(const fs::path& dir) {
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) return true;
  }
  return false;
}

TEST(ScheduleIoFileTest, WriteThenReadRoundTrips) {
  const fs::path dir = FreshDirectory("round_trip");
  const std::string path = (dir / "new" / "sub" / "sim.abba.schedule").string();  // parents missing
  ASSERT_TRUE(WriteScheduleFile(path, ExampleSchedule()).ok());
  const absl::StatusOr<Schedule> read = ReadScheduleFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, ExampleSchedule());
  std::ifstream file(path, std::ios::binary);
  const std::string contents((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, kExampleText);
  // Overwriting replaces the file whole.
  Schedule other = ExampleSchedule();
  other.seed = 7;
  other.decisions.pop_back();
  ASSERT_TRUE(WriteScheduleFile(path, other).ok());
  const absl::StatusOr<Schedule> reread = ReadScheduleFile(path);
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(*reread, other);
  EXPECT_FALSE(HasTemporaryFiles(dir));
}

TEST(ScheduleIoFileTest, ReadingAMissingFileNamesThePath) {
  const std::string path = (FreshDirectory("missing") / "nope.schedule").string();
  const absl::StatusOr<Schedule> read = ReadScheduleFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(read.status().message().find(path), absl::string_view::npos) << read.status();
}

TEST(ScheduleIoFileTest, ParseErrorsUseThePathAsSourceName) {
  const fs::path dir = FreshDirectory("parse_error");
  const std::string path = (dir / "bad.schedule").string();
  std::ofstream(path) << MinimalWith(8, "0 thread 5/3");
  const absl::StatusOr<Schedule> read = ReadScheduleFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(std::string(read.status().message()).starts_with(path + ":8: ")) << read.status();
}

TEST(ScheduleIoFileTest, RefusesFilesOverTheSizeLimit) {
  const fs::path dir = FreshDirectory("too_large");
  const std::string path = (dir / "huge.schedule").string();
  { std::ofstream(path) << Join(MinimalLines()); }
  fs::resize_file(path, kMaxScheduleFileBytes + 1);  // sparse: cheap to create
  const absl::StatusOr<Schedule> read = ReadScheduleFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(read.status().message().find("larger than"), absl::string_view::npos) << read.status();
}

TEST(ScheduleIoFileTest, FailedWriteUnderARegularFileLeavesNothing) {
  const fs::path dir = FreshDirectory("parent_is_file");
  const fs::path blocker = dir / "blocker";
  std::ofstream(blocker) << "a regular file";
  const std::string path = (blocker / "x.schedule").string();
  const absl::Status written = WriteScheduleFile(path, ExampleSchedule());
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.message().find(path), absl::string_view::npos) << written;
  EXPECT_FALSE(HasTemporaryFiles(dir));
}

TEST(ScheduleIoFileTest, FailedRenameRemovesTheTemporaryFile) {
  const fs::path dir = FreshDirectory("target_is_dir");
  const fs::path target = dir / "taken.schedule";
  fs::create_directories(target / "child");  // rename(2) cannot replace a non-empty directory
  const absl::Status written = WriteScheduleFile(target.string(), ExampleSchedule());
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.message().find(target.string()), absl::string_view::npos) << written;
  EXPECT_FALSE(HasTemporaryFiles(dir));
  EXPECT_TRUE(fs::is_directory(target / "child"));
}

TEST(ScheduleIoFileTest, RefusesToWriteAnInvalidSchedule) {
  const fs::path dir = FreshDirectory("invalid");
  const std::string path = (dir / "x.schedule").string();
  Schedule invalid = ExampleSchedule();
  invalid.scenario = "no dots";
  const absl::Status written = WriteScheduleFile(path, invalid);
  EXPECT_EQ(written.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(HasTemporaryFiles(dir));
}

// --- Robustness ----------------------------------------------------------------------------

// Every error must be InvalidArgument located in `source`, and every success must be a schedule
// that formats and parses back to itself.
void ExpectWellBehaved(std::string_view text, std::string_view source) {
  const absl::StatusOr<Schedule> parsed = ParseSchedule(text, source);
  if (!parsed.ok()) {
    ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << parsed.status();
    ASSERT_TRUE(std::string(parsed.status().message()).starts_with(absl::StrFormat("%s:", source)))
        << parsed.status();
    return;
  }
  ASSERT_TRUE(ValidateSchedule(*parsed).ok()) << ValidateSchedule(*parsed);
  const absl::StatusOr<Schedule> again = ParseSchedule(FormatSchedule(*parsed), source);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(*again, *parsed);
}

TEST(ScheduleIoRobustnessTest, EveryTruncationIsHandled) {
  const std::string text(kExampleText);
  for (size_t size = 0; size <= text.size(); ++size) {
    ExpectWellBehaved(std::string_view(text).substr(0, size), "cut.schedule");
  }
}

// A fixed 64-bit LCG (Knuth's MMIX constants): the same mutations on every platform and run.
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : state_(seed) {}
  uint32_t Below(uint32_t bound) {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>((state_ >> 33) % bound);
  }

 private:
  uint64_t state_;
};

// Bytes that matter to the grammar, so mutations reach deep states more often than random ones.
constexpr char kInterestingBytes[] = "\n\r\0 #/:=-.0129\xff\xc3\x80x";
constexpr uint32_t kInterestingByteCount = sizeof(kInterestingBytes) - 1;

char MutationByte(Lcg& lcg) {
  if (lcg.Below(2) == 0) return kInterestingBytes[lcg.Below(kInterestingByteCount)];
  return static_cast<char>(lcg.Below(256));
}

void Mutate(Lcg& lcg, std::string& text) {
  const uint32_t operation = lcg.Below(3);
  const uint32_t position = lcg.Below(static_cast<uint32_t>(text.size()) + 1);
  if (operation == 0 && position < text.size()) {
    text[position] = static_cast<char>(text[position] ^ (1 << lcg.Below(8)));
  } else if (operation == 1) {
    const char byte = MutationByte(lcg);
    text.insert(text.begin() + position, byte);
  } else if (position < text.size()) {
    text.erase(position, 1);
  }
}

TEST(ScheduleIoRobustnessTest, MutatedFilesNeverCrash) {
  Lcg lcg(20240611);
  int accepted = 0;
  const std::string valid(kExampleText);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::string text = valid;
    const uint32_t mutations = 1 + lcg.Below(8);
    for (uint32_t i = 0; i < mutations; ++i) Mutate(lcg, text);
    SCOPED_TRACE(absl::StrCat("iteration ", iteration));
    ExpectWellBehaved(text, "fuzz.schedule");
    if (ParseSchedule(text, "fuzz.schedule").ok()) ++accepted;
  }
  // Some mutations (inside a label, or a digit for a digit) keep the file valid; most do not.
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, 2000);
}

}  // namespace
}  // namespace wvsim::sim
