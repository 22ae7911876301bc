// Runs the built `wvsim` binary as a child process, for tests of the command line as users see
// it: exit codes, stdout and stderr.
#ifndef WVSIM_TESTS_CLI_RUNNER_H_
#define WVSIM_TESTS_CLI_RUNNER_H_

#include <string>
#include <vector>

namespace wvsim::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when the child did not exit normally
  std::string out;
  std::string err;
};

// The path of build/bin/wvsim.
std::string WvsimPath();

// Runs wvsim with `args` in `directory` and waits for it.
CommandResult RunWvsim(const std::vector<std::string>& args, const std::string& directory = ".");

// Runs `binary` with `args` in `directory`, with `env` ("NAME=value") added to this process's
// environment, and waits for it.
CommandResult RunProgram(const std::string& binary, const std::vector<std::string>& args,
                         const std::string& directory = ".",
                         const std::vector<std::string>& env = {});

// A fresh empty directory under the test's temporary directory.
std::string MakeTempDir(const std::string& name);

std::string ReadFile(const std::string& path);

}  // namespace wvsim::testing

#endif  // WVSIM_TESTS_CLI_RUNNER_H_
