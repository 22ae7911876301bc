// The hostile-input suite: every case of tests/hostile/cases.txt, run against the built wvsim as
// its own test (CTest label `hostile`). A case is a malformed schedule file or a bad argument
// list with the exit code and the message fragment wvsim must answer with; none may crash, hang
// or write outside the folder it was given (each runs in a fresh folder, and nothing may appear
// in the root folder, where `--out ""` once wrote).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/cli_runner.h"

namespace wvsim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kHostileDir = std::string(WVSIM_SOURCE_DIR) + "/tests/hostile";

struct HostileCase {
  std::string name;
  int exit_code = 0;
  std::string fragment;
  std::vector<std::string> args;
  std::string problem;  // non-empty when cases.txt's line is malformed: the case fails with it
};

// The case's name, rather than gtest's dump of its bytes, in test names and messages.
void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.name; }

// "\xNN" is the byte NN, so that a case can hold control characters and invalid UTF-8.
std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    int byte = 0;
    if (text.compare(i, 2, "\\x") == 0 && i + 4 <= text.size() &&
        absl::SimpleHexAtoi(absl::string_view(text.data() + i + 2, 2), &byte)) {
      out.push_back(static_cast<char>(byte));
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

HostileCase ParseCase(const std::string& line, int number) {
  HostileCase parsed;
  const std::vector<std::string> fields = absl::StrSplit(line, " | ");
  parsed.name = absl::StrCat("line_", number);
  if (fields.size() != 4 || !absl::SimpleAtoi(fields[1], &parsed.exit_code)) {
    parsed.problem =
        absl::StrCat("cases.txt:", number, ": expected 'name | exit | fragment | args'");
    return parsed;
  }
  parsed.name = fields[0];
  parsed.fragment = Unescape(fields[2]);
  for (const std::string& arg :
       std::vector<std::string>(absl::StrSplit(fields[3], ' ', absl::SkipEmpty()))) {
    parsed.args.push_back(arg == "''" ? std::string() : Unescape(arg));
  }
  return parsed;
}

std::vector<HostileCase> LoadCases() {
  std::ifstream in(kHostileDir + "/cases.txt");
  std::vector<HostileCase> cases;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    cases.push_back(ParseCase(line, number));
  }
  if (cases.empty()) {
    HostileCase none;
    none.name = "none";
    none.problem = "no cases in cases.txt";
    cases.push_back(none);
  }
  return cases;
}

// The files too large to check in, each built from the valid recording.
std::string Generate(const std::string& kind, const std::string& folder) {
  const std::string valid = ReadFile(kHostileDir + "/files/valid.schedule");
  const size_t first_line = valid.find('\n') + 1;
  const std::string path = absl::StrCat(folder, "/", kind, ".schedule");
  std::ofstream out(path, std::ios::binary);
  if (kind == "huge_line") {  // line 2: an x- header 10 MB long
    out << valid.substr(0, first_line) << "x-note: " << std::string(10'000'000, 'a') << "\n"
        << valid.substr(first_line);
  } else if (kind == "over_size_limit") {  // comment lines, each within the line limit
    out << valid;
    const std::string comment = "#" + std::string(4000, 'c') + "\n";
    for (size_t size = valid.size(); size <= (size_t{64} << 20); size += comment.size()) {
      out << comment;
    }
  } else if (kind == "many_decisions") {  // a count that claims much, then no 'end'
    out << absl::StrReplaceAll(valid.substr(0, valid.find("---\n") + 4),
                               {{"decisions: 4", "decisions: 10000000"}});
    for (int i = 0; i < 100'000; ++i) out << i << " thread 0/1\n";
  } else {
    ADD_FAILURE() << "unknown generated file kind '" << kind << "'";
  }
  return path;
}

std::vector<std::string> Expand(const std::vector<std::string>& args, const std::string& folder) {
  std::vector<std::string> expanded;
  for (const std::string& arg : args) {
    if (absl::StartsWith(arg, "@")) {
      expanded.push_back(absl::StrCat(kHostileDir, "/files/", arg.substr(1)));
    } else if (absl::StartsWith(arg, "{gen:") && absl::EndsWith(arg, "}")) {
      expanded.push_back(Generate(arg.substr(5, arg.size() - 6), folder));
    } else {
      expanded.push_back(absl::StrReplaceAll(arg, {{"{tmp}", folder}}));
    }
  }
  return expanded;
}

// What the root folder holds now: a case must add nothing to it.
std::vector<std::string> RootEntries() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/", error)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class HostileInput : public ::testing::TestWithParam<HostileCase> {};

TEST_P(HostileInput, ExitsWithItsCodeAndMessage) {
  const HostileCase& c = GetParam();
  ASSERT_EQ(c.problem, "");
  const std::string folder = MakeTempDir(absl::StrCat("hostile_", c.name));
  const std::vector<std::string> root_before = RootEntries();
  const CommandResult result = RunWvsim(Expand(c.args, folder), folder);
  const std::string said = absl::StrCat(result.err, result.out);
  EXPECT_EQ(result.exit_code, c.exit_code) << "wvsim " << absl::StrJoin(c.args, " ") << "\n"
                                           << said.substr(0, 2000);
  EXPECT_NE(said.find(c.fragment), std::string::npos) << "expected '" << c.fragment << "' in:\n"
                                                      << said.substr(0, 2000);
  EXPECT_EQ(RootEntries(), root_before) << "the case wrote into /";
  fs::remove_all(folder);  // a generated file can be 64 MiB
}

INSTANTIATE_TEST_SUITE_P(Cases, HostileInput, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<HostileCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace wvsim::testing
