// Names a failure file and the command that reproduces it after the running GoogleTest test, so
// that a test's failure files do not pile up (each failure of a test overwrites the last) and the
// printed command re-runs just that test. Shared by wvsim::testing's assertions and the property
// suites (props/program_run.cc). Internal to wvsim::testing; not installed.
//
//   const std::string file = FileNamePart(CurrentTestName()) + ".schedule";
//   std::cout << ShellWord(ProgramPath()) << " --gtest_filter=" << CurrentTestName();
#ifndef WVSIM_TESTING_WVSIM_INTERNAL_TEST_NAMES_H_
#define WVSIM_TESTING_WVSIM_INTERNAL_TEST_NAMES_H_

#include <string>

namespace wvsim::testing::internal {

// "Suite.Test" of the running test, as --gtest_filter takes it; empty outside a test.
std::string CurrentTestName();

// `text` with every character a file name should not hold ('/' of parameterised tests, spaces)
// turned into '_'.
std::string FileNamePart(std::string text);

// `word` as one shell word: as it is when that is safe, else in single quotes.
std::string ShellWord(const std::string& word);

// argv[0] as GoogleTest received it, else the running executable's path.
std::string ProgramPath();

}  // namespace wvsim::testing::internal

#endif  // WVSIM_TESTING_WVSIM_INTERNAL_TEST_NAMES_H_
