// The `wvsim` command line: list, explore, replay, shrink (docs/design.md, "The wvsim CLI").
// Exit codes: 0 clean, 1 violation found or reproduced, 2 bad usage or input, 3 replay diverged.
#ifndef WVSIM_TOOLS_CLI_H_
#define WVSIM_TOOLS_CLI_H_

namespace wvsim::tools {

int RunCli(int argc, char** argv);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_CLI_H_
