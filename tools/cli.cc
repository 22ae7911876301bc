#include "tools/cli.h"

namespace wvsim::tools {
int RunCli(int, char**) { return 0; }
}  // namespace wvsim::tools
