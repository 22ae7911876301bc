#include "tools/args.h"

#include <algorithm>

#include "absl/flags/marshalling.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wvsim::tools {

namespace {

const FlagSpec* FindFlag(absl::Span<const FlagSpec> flags, std::string_view name, bool is_short) {
  for (const FlagSpec& flag : flags) {
    if (!name.empty() && std::string_view(is_short ? flag.short_name : flag.name) == name) {
      return &flag;
    }
  }
  return nullptr;
}

template <typename T>
absl::StatusOr<T> Convert(const ParsedArgs& args, std::string_view name, T fallback) {
  if (!args.Has(name)) return fallback;
  const std::string text = args.Get(name);
  T value{};
  std::string error;
  if (!absl::ParseFlag(text, &value, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", std::string(name), ": '", text, "' is not a valid value (", error, ")"));
  }
  return value;
}

}  // namespace

std::string ParsedArgs::Get(std::string_view name, std::string fallback) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

absl::StatusOr<uint64_t> ParsedArgs::GetUint(std::string_view name, uint64_t fallback) const {
  return Convert<uint64_t>(*this, name, fallback);
}

absl::StatusOr<double> ParsedArgs::GetDouble(std::string_view name, double fallback) const {
  return Convert<double>(*this, name, fallback);
}

absl::StatusOr<ParsedArgs> ParseArgs(absl::Span<const std::string> args,
                                     absl::Span<const FlagSpec> flags) {
  ParsedArgs parsed;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || arg.size() < 2 || arg[0] != '-') {
      parsed.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    const bool is_short = arg[1] != '-';
    std::string name = arg.substr(is_short ? 1 : 2);
    std::string value;
    bool has_inline_value = false;
    if (const size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
      has_inline_value = true;
    }
    const FlagSpec* flag = FindFlag(flags, name, is_short);
    if (flag == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
    if (*flag->value_name == '\0') {
      if (has_inline_value) {
        return absl::InvalidArgumentError(absl::StrCat("--", flag->name, " takes no value"));
      }
    } else if (!has_inline_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", flag->name, " needs a value (", flag->value_name, ")"));
      }
      value = args[++i];
    }
    if (parsed.Has(flag->name) && !flag->repeatable) {
      return absl::InvalidArgumentError(absl::StrCat("--", flag->name, " given twice"));
    }
    parsed.Add(flag->name, std::move(value));
  }
  return parsed;
}

std::string FormatHelp(std::string_view usage, std::string_view description,
                       absl::Span<const FlagSpec> flags) {
  std::string text = absl::StrFormat("Usage: %s\n\n%s\n", usage, description);
  if (flags.empty()) return text;
  absl::StrAppend(&text, "\nOptions:\n");
  for (const FlagSpec& flag : flags) {
    std::string left = *flag.short_name == '\0'
                           ? absl::StrCat("--", flag.name)
                           : absl::StrCat("-", flag.short_name, ", --", flag.name);
    if (*flag.value_name != '\0') absl::StrAppend(&left, " ", flag.value_name);
    absl::StrAppendFormat(&text, "  %-26s %s\n", left, flag.help);
  }
  return text;
}

}  // namespace wvsim::tools
