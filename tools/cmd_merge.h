// wvsim merge OUT DIR...: combines the --out folders of a sharded campaign (`wvsim explore
// --shard I/N`) into OUT: one explore.json, one junit.xml and one schedule per distinct violation,
// as one unsharded run would have written them (tools/merge_shards.h has the rules).
#ifndef WVSIM_TOOLS_CMD_MERGE_H_
#define WVSIM_TOOLS_CMD_MERGE_H_

#include <string>
#include <vector>

namespace wvsim::tools {

// Exit 0 no violation (or, with --check-expected, every scenario as expected), 1 otherwise, 2 for
// bad usage, an unreadable or malformed folder, or folders that are not the shards of one campaign.
int RunMerge(const std::vector<std::string>& args);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_CMD_MERGE_H_
