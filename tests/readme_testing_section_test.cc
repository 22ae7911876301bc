// README's "Writing your own scenario and test" shows examples/android_login/ abridged: every code
// line of its C++ and CMake snippets must be a line of the example (ignoring indentation), so the
// README cannot drift from the project that install.example builds.
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/cli_runner.h"

namespace wvsim::testing {
namespace {

std::set<std::string> TrimmedLines(const std::string& text) {
  std::set<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    lines.insert(std::string(absl::StripAsciiWhitespace(line)));
  }
  return lines;
}

TEST(ReadmeTestingSection, SnippetsAreLinesOfTheExample) {
  const std::string readme = ReadFile(std::string(WVSIM_SOURCE_DIR) + "/README.md");
  const size_t begin = readme.find("## Writing your own scenario and test");
  const size_t end = readme.find("\n## ", begin + 1);
  ASSERT_NE(begin, std::string::npos);
  const std::string section = readme.substr(begin, end - begin);
  const std::string example_dir = std::string(WVSIM_SOURCE_DIR) + "/examples/android_login/";
  const std::set<std::string> example = TrimmedLines(ReadFile(example_dir + "login_scenarios.cc") +
                                                     ReadFile(example_dir + "login_test.cc") +
                                                     ReadFile(example_dir + "CMakeLists.txt"));
  int checked = 0;
  bool in_code = false;
  for (absl::string_view raw : absl::StrSplit(section, '\n')) {
    const std::string line(absl::StripAsciiWhitespace(raw));
    if (absl::StartsWith(line, "```")) {
      in_code = line == "```cpp" || line == "```cmake";
      continue;
    }
    if (!in_code || line.empty() || line == "...") continue;
    // The CMake snippet's comment is README prose; the code before it must match.
    const std::string code(absl::StripAsciiWhitespace(line.substr(0, line.find("  #"))));
    EXPECT_TRUE(example.count(code) == 1) << "README line not in examples/android_login: " << line;
    ++checked;
  }
  EXPECT_GT(checked, 30);
}

}  // namespace
}  // namespace wvsim::testing
