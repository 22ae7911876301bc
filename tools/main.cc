// The `wvsim` command: all of its logic is in cli.cc, so tests can run it in-process.
#include "tools/cli.h"

int main(int argc, char** argv) { return wvsim::tools::RunCli(argc, argv); }
