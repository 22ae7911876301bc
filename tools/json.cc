#include "tools/json.h"

#include "absl/strings/str_format.h"

namespace wvsim::tools {

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += "\"";
  return out;
}

std::string JsonVerdicts(const std::vector<sim::Verdict>& verdicts) {
  std::string out = "[";
  for (size_t i = 0; i < verdicts.size(); ++i) {
    if (i > 0) out += ", ";
    out += JsonString(sim::VerdictName(verdicts[i]));
  }
  return out + "]";
}

std::string VerdictList(const std::vector<sim::Verdict>& verdicts, const char* separator) {
  std::string out;
  for (size_t i = 0; i < verdicts.size(); ++i) {
    if (i > 0) out += separator;
    out += sim::VerdictName(verdicts[i]);
  }
  return out;
}

}  // namespace wvsim::tools
