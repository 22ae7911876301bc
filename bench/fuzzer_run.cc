#include "bench/fuzzer_run.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace wvsim::bench {
namespace {

struct Running {
  size_t index;
  std::string log_path;
  std::chrono::steady_clock::time_point start;
};

// Starts `run` with its output in `log_path`; returns the child's pid, or -1.
pid_t Start(const FuzzerRun& run, const std::string& folder, const std::string& log_path) {
  std::vector<std::string> argv_text = {run.binary};
  argv_text.insert(argv_text.end(), run.flags.begin(), run.flags.end());
  argv_text.push_back(absl::StrCat("-artifact_prefix=", folder, "/"));
  argv_text.push_back("-print_final_stats=1");
  std::vector<char*> argv;
  for (std::string& text : argv_text) argv.push_back(text.data());
  argv.push_back(nullptr);
  const pid_t child = fork();
  if (child != 0) return child;
  // The child: only async-signal-safe calls from here to exec, as after any fork.
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log < 0 || dup2(log, STDOUT_FILENO) < 0 || dup2(log, STDERR_FILENO) < 0) _exit(126);
  for (const std::string& variable : run.environment) putenv(const_cast<char*>(variable.c_str()));
  execv(argv[0], argv.data());
  _exit(127);
}

// The number after the first `key` in `log` (libFuzzer's "stat::name: value" lines), or 0.
uint64_t Stat(const std::string& log, const std::string& key) {
  const size_t at = log.find(key);
  if (at == std::string::npos) return 0;
  const size_t end = log.find('\n', at);
  uint64_t value = 0;
  const std::string text = log.substr(at + key.size(), end - at - key.size());
  return absl::SimpleAtoi(text, &value) ? value : 0;
}

double CpuSeconds(const rusage& usage) {
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

FuzzerResult Parse(const std::string& log_path, double seconds) {
  std::ifstream file(log_path);
  std::stringstream text;
  text << file.rdbuf();
  FuzzerResult result;
  result.seconds = seconds;
  const std::string log = text.str();
  result.ran = log.find("stat::number_of_executed_units:") != std::string::npos;
  result.found = log.find("wvsim fuzz: found:") != std::string::npos;
  result.executions = Stat(log, "stat::number_of_executed_units:");
  result.executions_per_second = Stat(log, "stat::average_exec_per_sec:");
  if (!result.ran) result.log = log;
  return result;
}

}  // namespace

void RunFuzzers(const std::vector<FuzzerRun>& runs, int jobs,
                const std::function<bool(size_t)>& skip,
                const std::function<void(size_t, const FuzzerResult&)>& done) {
  char folder_template[] = "/tmp/wvsim-time-to-bug-XXXXXX";
  if (mkdtemp(folder_template) == nullptr) {
    std::perror("wvsim bench: mkdtemp");
    std::exit(2);
  }
  const std::string folder = folder_template;
  std::map<pid_t, Running> running;
  size_t next = 0;
  while (next < runs.size() || !running.empty()) {
    while (next < runs.size() && static_cast<int>(running.size()) < jobs) {
      const size_t index = next++;
      if (skip(index)) continue;
      FuzzerRun run = runs[index];
      // Find mode writes the crash's schedule before aborting; keep it out of the project's out/.
      run.environment.push_back(absl::StrCat("WVSIM_FUZZ_SCHEDULES=", folder));
      const std::string log_path = absl::StrCat(folder, "/run", index, ".log");
      const auto start = std::chrono::steady_clock::now();
      const pid_t child = Start(run, folder, log_path);
      if (child < 0) {
        done(index, FuzzerResult{});
        continue;
      }
      running[child] = Running{index, log_path, start};
    }
    if (running.empty()) continue;
    int status = 0;
    rusage usage{};
    const pid_t child = wait4(-1, &status, 0, &usage);
    if (child < 0 && errno != EINTR) {
      std::perror("wvsim bench: wait4");
      std::exit(2);
    }
    const auto it = running.find(child);
    if (it == running.end()) continue;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.start).count();
    const Running finished = it->second;
    running.erase(it);
    FuzzerResult result = Parse(finished.log_path, seconds);
    result.cpu_seconds = CpuSeconds(usage);
    done(finished.index, result);
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
}

}  // namespace wvsim::bench
