#include "tools/cli.h"

#include <cstdio>
#include <string>
#include <vector>

#include "model/builtin_scenarios.h"
#include "tools/cmd_merge.h"
#include "tools/commands.h"

namespace wvsim::tools {

namespace {

constexpr const char* kHelp =
    "wvsim: deterministic simulation and fuzzing of UI-thread code on modelled WebView runtimes\n"
    "\n"
    "Usage: wvsim <command> [options]\n"
    "\n"
    "Commands:\n"
    "  list      the scenarios, with their expected verdicts\n"
    "  explore   run scenarios under a scheduling strategy and report violations\n"
    "  replay    re-execute a recorded .schedule file and print its trace and verdict\n"
    "  shrink    make a violating schedule shorter, keeping its violation\n"
    "  merge     combine the --out folders of a sharded campaign into one report\n"
    "\n"
    "Run 'wvsim <command> --help' for a command's options.\n"
    "Exit codes: 0 clean, 1 violation found or reproduced, 2 bad usage or input,\n"
    "3 a replay diverged from its recording.\n";

}  // namespace

int UsageError(const char* command, const std::string& message) {
  std::fprintf(stderr, "wvsim %s: %s\nRun 'wvsim %s --help' for usage.\n", command, message.c_str(),
               command);
  return kExitUsage;
}

int UsageError(const char* command, const absl::Status& status) {
  return UsageError(command, std::string(status.message()));
}

int RunCli(int argc, char** argv) {
  model::RegisterBuiltinScenarios();
  const std::string program = argc > 0 ? argv[0] : "wvsim";
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (args.empty()) {
    std::fputs(kHelp, stderr);
    return kExitUsage;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kHelp, stdout);
    return kExitClean;
  }
  if (command == "list") return RunList(args);
  if (command == "explore") return RunExplore(args, program);
  if (command == "replay") return RunReplay(args);
  if (command == "shrink") return RunShrink(args);
  if (command == "merge") return RunMerge(args);
  std::fprintf(stderr, "wvsim: unknown command '%s'\n\n%s", command.c_str(), kHelp);
  return kExitUsage;
}

}  // namespace wvsim::tools
