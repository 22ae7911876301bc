// Per-subcommand argument parsing for the wvsim CLI.
//
// absl::ParseCommandLine exits 1 on a bad flag, and 1 means "violation found" here, so each
// subcommand declares its flags in a table and parses them with this, turning every problem into
// a Status the caller reports with exit code 2. Accepts `--name value`, `--name=value`, short
// aliases (`-o`), repeated flags, and `--` to end the flags.
#ifndef WVSIM_TOOLS_ARGS_H_
#define WVSIM_TOOLS_ARGS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace wvsim::tools {

// Plain C strings, so that they work with absl::StrCat (which, in Debian's abseil, does not
// take std::string_view).
struct FlagSpec {
  const char* name;        // "iterations", used as --iterations
  const char* value_name;  // "N"; "" for a switch that takes no value
  const char* help;
  const char* short_name = "";  // "o", used as -o
  bool repeatable = false;
};

class ParsedArgs {
 public:
  std::vector<std::string> positional;

  bool Has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  // The last value given for a flag, or `fallback`.
  std::string Get(std::string_view name, std::string fallback = {}) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  absl::StatusOr<uint64_t> GetUint(std::string_view name, uint64_t fallback) const;
  absl::StatusOr<double> GetDouble(std::string_view name, double fallback) const;

  void Add(std::string_view name, std::string value) {
    values_[std::string(name)].push_back(std::move(value));
  }

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

absl::StatusOr<ParsedArgs> ParseArgs(absl::Span<const std::string> args,
                                     absl::Span<const FlagSpec> flags);

// "Usage: <usage>\n\n<description>\n\nOptions:\n  --name VALUE  help\n..."
std::string FormatHelp(std::string_view usage, std::string_view description,
                       absl::Span<const FlagSpec> flags);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_ARGS_H_
