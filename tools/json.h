// The little JSON the CLI writes: string escaping and a verdict list.
#ifndef WVSIM_TOOLS_JSON_H_
#define WVSIM_TOOLS_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "sim/verdict.h"

namespace wvsim::tools {

// `text` as a JSON string literal, quotes included.
std::string JsonString(std::string_view text);

// ["deadlock", "stall"]
std::string JsonVerdicts(const std::vector<sim::Verdict>& verdicts);

// deadlock|stall, for tables.
std::string VerdictList(const std::vector<sim::Verdict>& verdicts, const char* separator);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_JSON_H_
