// The wvsim subcommands. Each takes the arguments after its name and returns the process's exit
// code (0 clean, 1 violation, 2 bad usage or input, 3 replay diverged).
#ifndef WVSIM_TOOLS_COMMANDS_H_
#define WVSIM_TOOLS_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace wvsim::tools {

inline constexpr int kExitClean = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDiverged = 3;
inline constexpr int kExitInterrupted = 130;  // explore stopped by SIGINT or SIGTERM (128 + 2)

int RunList(const std::vector<std::string>& args);
int RunExplore(const std::vector<std::string>& args, const std::string& program);
int RunReplay(const std::vector<std::string>& args);
int RunShrink(const std::vector<std::string>& args);

// Prints "wvsim <command>: <message>" and a pointer to --help on stderr; returns kExitUsage.
int UsageError(const char* command, const std::string& message);
int UsageError(const char* command, const absl::Status& status);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_COMMANDS_H_
