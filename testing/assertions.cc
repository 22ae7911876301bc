// The predicate-formatters behind EXPECT_NO_VIOLATION, EXPECT_VIOLATION and
// EXPECT_EXPECTED_VERDICT (and their RC_ twins): each failure message names what was found, its
// report, and, unless it came from a replay, the file its schedule was written to and the
// command that replays it in this binary.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sim/schedule_io.h"
#include "wvsim/internal/replay_env.h"
#include "wvsim/internal/test_names.h"
#include "wvsim/testing.h"

namespace wvsim::testing {

namespace {

namespace fs = std::filesystem;
using internal::CurrentTestName;
using internal::FileNamePart;
using internal::ProgramPath;
using internal::ShellWord;

// Where failure files go: the user's choice, else Bazel's test outputs, else the working folder.
std::string FailureDir() {
  if (const char* dir = std::getenv("WVSIM_FAILURE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  if (const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
      outputs != nullptr && *outputs != '\0') {
    return absl::StrCat(outputs, "/wvsim-failures");
  }
  return "wvsim-failures";
}

// Writes `found`'s schedule and says where, and how to replay it in this binary.
std::string WriteFailure(const Result& result, const sim::Found& found) {
  const std::string test = CurrentTestName();
  const std::string name = absl::StrCat(FileNamePart(test.empty() ? "no_test" : test), ".",
                                        FileNamePart(result.scenario), ".schedule");
  std::error_code error;
  fs::path path = fs::absolute(fs::path(FailureDir()) / name, error);
  if (error) path = fs::path(FailureDir()) / name;
  if (absl::Status written = sim::WriteScheduleFile(path.string(), found.schedule); !written.ok()) {
    return absl::StrCat("\ncould not write its schedule: ", written.message());
  }
  std::string text =
      absl::StrCat("\nschedule: ", path.string(), "\nreplay it in this test: ",
                   ShellWord(absl::StrCat(internal::kReplayVariable, "=", path.string())), " ",
                   ShellWord(ProgramPath()));
  if (!test.empty()) absl::StrAppend(&text, " ", ShellWord(absl::StrCat("--gtest_filter=", test)));
  return text;
}

// "deadlock at ui Task.Result(...)" with how it was found, its report and its files.
std::string DescribeFound(const Result& result, const sim::Found& found) {
  std::string text =
      absl::StrCat(sim::VerdictName(found.violation.kind), " at ", found.violation.place);
  if (!result.replayed.empty()) {
    absl::StrAppend(&text, " (replayed from ", internal::kReplayVariable, "=", result.replayed,
                    "; the trace is printed above)\n", found.violation.report);
    return text;
  }
  absl::StrAppend(&text, " in execution ", found.execution, " (", result.how, ")\n",
                  found.violation.report);
  if (!found.nondeterminism.empty()) absl::StrAppend(&text, "\nwarning: ", found.nondeterminism);
  absl::StrAppend(&text, WriteFailure(result, found));
  return text;
}

// A failure for a result that cannot be judged (nothing ran, or a replay went elsewhere); null
// when it can be.
std::optional<::testing::AssertionResult> Unjudgeable(const char* result_text,
                                                      const Result& result) {
  if (!result.ok()) {
    return ::testing::AssertionFailure() << result_text << ": " << result.error;
  }
  if (!result.divergence.empty()) {
    return ::testing::AssertionFailure()
           << result.scenario << ": the replay of " << result.replayed
           << " diverged from its recording: " << result.divergence
           << " (the scenario or the model changed since it was recorded; "
           << internal::kLenientVariable << "=1 follows the recorded choices by position)";
  }
  return std::nullopt;
}

std::string NoneFound(const Result& result) {
  return absl::StrCat("found none in ", result.executions, " execution",
                      result.executions == 1 ? "" : "s", " (", result.how, ")",
                      result.exhausted ? ", every schedule within the bound" : "");
}

}  // namespace

::testing::AssertionResult AssertNoViolation(const char* result_text, const Result& result) {
  if (auto failure = Unjudgeable(result_text, result)) return *failure;
  if (result.found.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.scenario << ": expected no violation, found "
                                       << DescribeFound(result, result.found.front());
}

::testing::AssertionResult AssertViolation(const char* result_text, const char* verdict_text,
                                           const Result& result, Verdict verdict) {
  (void)verdict_text;
  if (auto failure = Unjudgeable(result_text, result)) return *failure;
  for (const sim::Found& found : result.found) {
    if (found.violation.kind == verdict) return ::testing::AssertionSuccess();
  }
  ::testing::AssertionResult failure = ::testing::AssertionFailure();
  failure << result.scenario << ": expected a " << sim::VerdictName(verdict) << " violation, ";
  if (result.found.empty()) return failure << NoneFound(result);
  return failure << "found " << DescribeFound(result, result.found.front());
}

::testing::AssertionResult AssertExpectedVerdict(const char* result_text, const Result& result) {
  if (auto failure = Unjudgeable(result_text, result)) return *failure;
  const auto declared = [&result](Verdict verdict) {
    return std::find(result.expected.begin(), result.expected.end(), verdict) !=
           result.expected.end();
  };
  std::vector<std::string> names;
  for (Verdict verdict : result.expected) names.push_back(sim::VerdictName(verdict));
  const std::string expected = absl::StrJoin(names, " or ");
  for (const sim::Found& found : result.found) {
    if (declared(found.violation.kind)) continue;
    return ::testing::AssertionFailure() << result.scenario << ": declares " << expected
                                         << ", found " << DescribeFound(result, found);
  }
  if (!result.found.empty() || declared(Verdict::kClean)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << result.scenario << ": declares " << expected << ", " << NoneFound(result);
}

namespace internal {

void RcCheck(const ::testing::AssertionResult& assertion, const char* file, int line,
             const char* macro) {
  if (assertion) return;
  throw rc::detail::CaseResult(rc::detail::CaseResult::Type::Failure,
                               rc::detail::makeMessage(file, line, macro, assertion.message()));
}

}  // namespace internal

}  // namespace wvsim::testing
