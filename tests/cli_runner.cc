#include "tests/cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace wvsim::testing {

std::string WvsimPath() { return std::string(WVSIM_BINARY_DIR) + "/bin/wvsim"; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string MakeTempDir(const std::string& name) {
  const std::string path =
      ::testing::TempDir() + "wvsim_" + name + "_" + std::to_string(::getpid());
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
  return path;
}

CommandResult RunWvsim(const std::vector<std::string>& args, const std::string& directory) {
  return RunProgram(WvsimPath(), args, directory);
}

CommandResult RunProgram(const std::string& binary, const std::vector<std::string>& args,
                         const std::string& directory, const std::vector<std::string>& env) {
  const std::string out_path = MakeTempDir("io") + "/out";
  const std::string err_path = out_path + ".err";
  const pid_t child = fork();
  if (child == 0) {
    if (chdir(directory.c_str()) != 0) _exit(127);
    FILE* out = std::fopen(out_path.c_str(), "w");
    FILE* err = std::fopen(err_path.c_str(), "w");
    if (out == nullptr || err == nullptr) _exit(127);
    dup2(fileno(out), STDOUT_FILENO);
    dup2(fileno(err), STDERR_FILENO);
    std::vector<std::string> storage = args;
    for (const std::string& setting : env) putenv(const_cast<char*>(setting.c_str()));
    std::vector<char*> argv{const_cast<char*>(binary.c_str())};
    for (std::string& arg : storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

}  // namespace wvsim::testing
