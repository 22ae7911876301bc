#include "tools/campaign_record.h"

#include <cstdio>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/atomic_file.h"
#include "tools/json.h"
#include "tools/merge_json.h"

namespace wvsim::tools {

namespace {

std::string FormatFinding(const CampaignFinding& f) {
  return absl::StrFormat(
      "{\"scenario\": %s, \"verdict\": %s, \"place\": %s, \"execution\": %d, \"schedule\": %s, "
      "\"report\": %s}",
      JsonString(f.scenario), JsonString(sim::VerdictName(f.verdict)), JsonString(f.place),
      f.execution, JsonString(f.schedule), JsonString(f.report));
}

// Typed access to the members of a parsed record. Each error names the member by its path, such
// as found[2].execution, so a hand-edited or truncated record says where it is wrong.
class Fields {
 public:
  Fields(const JsonValue& object, std::string path) : object_(object), path_(std::move(path)) {}

  absl::StatusOr<const JsonValue*> Get(const std::string& key, JsonValue::Type type) const {
    const JsonValue* value = object_.Find(key);
    if (value == nullptr) return Error(key, "is missing");
    if (value->type != type) {
      return Error(
          key, absl::StrCat("must be ", JsonTypeName(type), ", not ", JsonTypeName(value->type)));
    }
    return value;
  }
  absl::StatusOr<std::string> String(const std::string& key) const {
    absl::StatusOr<const JsonValue*> value = Get(key, JsonValue::Type::kString);
    if (!value.ok()) return value.status();
    return (*value)->text;
  }
  absl::StatusOr<uint64_t> Uint(const std::string& key) const {
    absl::StatusOr<const JsonValue*> value = Get(key, JsonValue::Type::kNumber);
    if (!value.ok()) return value.status();
    if (std::optional<uint64_t> number = (*value)->AsUint()) return *number;
    return Error(key, "must be a whole number from 0 to 2^64-1");
  }
  absl::StatusOr<bool> Bool(const std::string& key) const {
    absl::StatusOr<const JsonValue*> value = Get(key, JsonValue::Type::kBool);
    if (!value.ok()) return value.status();
    return (*value)->boolean;
  }
  absl::StatusOr<sim::Verdict> Verdict(const std::string& key) const {
    absl::StatusOr<std::string> name = String(key);
    if (!name.ok()) return name.status();
    if (std::optional<sim::Verdict> verdict = sim::ParseVerdict(*name)) return *verdict;
    return Error(key, absl::StrCat("'", *name, "' is not a verdict"));
  }
  absl::Status Error(const std::string& key, const std::string& what) const {
    return absl::InvalidArgumentError(absl::StrCat(path_, key, " ", what));
  }

 private:
  const JsonValue& object_;
  std::string path_;  // "" at the top, "found[2]." inside
};

// A status's value into `out`, or return its status: keeps the readers below one line a field.
#define WVSIM_ASSIGN_OR_RETURN(out, expr)               \
  do {                                                  \
    auto wvsim_value = (expr);                          \
    if (!wvsim_value.ok()) return wvsim_value.status(); \
    out = *std::move(wvsim_value);                      \
  } while (false)

absl::Status ReadConfig(const Fields& top, const JsonValue& root, sim::ExploreConfig& config) {
  WVSIM_ASSIGN_OR_RETURN(config.strategy, top.String("strategy"));
  WVSIM_ASSIGN_OR_RETURN(config.seed, top.Uint("seed"));
  WVSIM_ASSIGN_OR_RETURN(config.iterations, top.Uint("iterations"));
  WVSIM_ASSIGN_OR_RETURN(config.max_steps, top.Uint("max_steps"));
  WVSIM_ASSIGN_OR_RETURN(config.keep_going, top.Bool("keep_going"));
  const JsonValue* depth = root.Find("depth");
  if (depth == nullptr) return top.Error("depth", "is missing");
  if (depth->type != JsonValue::Type::kNull) {
    std::optional<uint64_t> value = depth->AsUint();
    if (!value || *value > UINT32_MAX) return top.Error("depth", "must be null or below 2^32");
    config.depth = static_cast<uint32_t>(*value);
  }
  const JsonValue* params = nullptr;
  WVSIM_ASSIGN_OR_RETURN(params, top.Get("params", JsonValue::Type::kObject));
  const Fields param_fields(*params, "params.");
  for (const auto& [name, value] : params->members) {
    WVSIM_ASSIGN_OR_RETURN(config.params[name], param_fields.String(name));
  }
  const JsonValue* shard = nullptr;
  WVSIM_ASSIGN_OR_RETURN(shard, top.Get("shard", JsonValue::Type::kObject));
  const Fields shard_fields(*shard, "shard.");
  uint64_t index = 0;
  uint64_t count = 0;
  WVSIM_ASSIGN_OR_RETURN(index, shard_fields.Uint("index"));
  WVSIM_ASSIGN_OR_RETURN(count, shard_fields.Uint("count"));
  if (count == 0 || count > UINT32_MAX || index >= count) {
    return top.Error("shard", "must have 0 <= index < count < 2^32");
  }
  config.shard_index = static_cast<uint32_t>(index);
  config.shard_count = static_cast<uint32_t>(count);
  return absl::OkStatus();
}

absl::Status ReadResults(const Fields& top, Campaign& campaign) {
  const JsonValue* results = nullptr;
  WVSIM_ASSIGN_OR_RETURN(results, top.Get("results", JsonValue::Type::kArray));
  for (size_t i = 0; i < results->items.size(); ++i) {
    const JsonValue& item = results->items[i];
    const std::string path = absl::StrCat("results[", i, "]");
    if (item.type != JsonValue::Type::kObject) return top.Error(path, "must be an object");
    const Fields fields(item, path + ".");
    CampaignScenarioResult& result = campaign.results.emplace_back();
    WVSIM_ASSIGN_OR_RETURN(result.id, fields.String("id"));
    WVSIM_ASSIGN_OR_RETURN(result.verdict, fields.Verdict("verdict"));
    WVSIM_ASSIGN_OR_RETURN(result.executions, fields.Uint("executions"));
    const JsonValue* seconds = nullptr;
    WVSIM_ASSIGN_OR_RETURN(seconds, fields.Get("seconds", JsonValue::Type::kNumber));
    result.seconds = seconds->AsDouble().value_or(0);
  }
  return absl::OkStatus();
}

absl::Status ReadFound(const Fields& top, Campaign& campaign) {
  const JsonValue* found = nullptr;
  WVSIM_ASSIGN_OR_RETURN(found, top.Get("found", JsonValue::Type::kArray));
  for (size_t i = 0; i < found->items.size(); ++i) {
    const JsonValue& item = found->items[i];
    const std::string path = absl::StrCat("found[", i, "]");
    if (item.type != JsonValue::Type::kObject) return top.Error(path, "must be an object");
    const Fields fields(item, path + ".");
    CampaignFinding& finding = campaign.found.emplace_back();
    WVSIM_ASSIGN_OR_RETURN(finding.scenario, fields.String("scenario"));
    WVSIM_ASSIGN_OR_RETURN(finding.verdict, fields.Verdict("verdict"));
    WVSIM_ASSIGN_OR_RETURN(finding.place, fields.String("place"));
    WVSIM_ASSIGN_OR_RETURN(finding.execution, fields.Uint("execution"));
    WVSIM_ASSIGN_OR_RETURN(finding.schedule, fields.String("schedule"));
    WVSIM_ASSIGN_OR_RETURN(finding.report, fields.String("report"));
    // A bare file name: a record must not make merge read outside its folder.
    if (finding.schedule.empty() || finding.schedule.find('/') != std::string::npos ||
        finding.schedule == "." || finding.schedule == "..") {
      return fields.Error("schedule", "must be a file name in the record's folder");
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string FormatCampaign(const Campaign& campaign) {
  const sim::ExploreConfig& config = campaign.config;
  std::string out =
      absl::StrCat("{\"format\": ", JsonString(kCampaignFormat), ",\n\"scenarios\": [");
  for (size_t i = 0; i < campaign.scenarios.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? ", " : "", JsonString(campaign.scenarios[i]));
  }
  absl::StrAppendFormat(&out,
                        "],\n\"strategy\": %s, \"seed\": %d, \"depth\": %s, \"max_steps\": %d, "
                        "\"iterations\": %d, \"keep_going\": %s,\n\"params\": {",
                        JsonString(config.strategy), config.seed,
                        config.depth ? absl::StrCat(*config.depth) : "null", config.max_steps,
                        config.iterations, config.keep_going ? "true" : "false");
  bool first = true;
  for (const auto& [name, value] : config.params) {
    absl::StrAppend(&out, first ? "" : ", ", JsonString(name), ": ", JsonString(value));
    first = false;
  }
  absl::StrAppendFormat(&out,
                        "},\n\"shard\": {\"index\": %d, \"count\": %d}, \"interrupted\": %s,\n"
                        "\"results\": [",
                        config.shard_index, config.shard_count,
                        campaign.interrupted ? "true" : "false");
  for (size_t i = 0; i < campaign.results.size(); ++i) {
    const CampaignScenarioResult& r = campaign.results[i];
    absl::StrAppendFormat(
        &out, "%s\n  {\"id\": %s, \"verdict\": %s, \"executions\": %d, \"seconds\": %.3f}",
        i > 0 ? "," : "", JsonString(r.id), JsonString(sim::VerdictName(r.verdict)), r.executions,
        r.seconds);
  }
  out += "],\n\"found\": [";
  for (size_t i = 0; i < campaign.found.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? "," : "", "\n  ", FormatFinding(campaign.found[i]));
  }
  out += "]}\n";
  return out;
}

absl::StatusOr<Campaign> ParseCampaign(std::string_view text) {
  absl::StatusOr<JsonValue> root = ParseJson(text);
  if (!root.ok()) return root.status();
  if (root->type != JsonValue::Type::kObject) {
    return absl::InvalidArgumentError("not a wvsim campaign record (not a JSON object)");
  }
  const JsonValue* format = root->Find("format");
  if (format == nullptr || format->type != JsonValue::Type::kString ||
      format->text != kCampaignFormat) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a wvsim campaign record (\"format\" is not \"", kCampaignFormat, "\")"));
  }
  const Fields top(*root, "");
  Campaign campaign;
  const JsonValue* scenarios = nullptr;
  WVSIM_ASSIGN_OR_RETURN(scenarios, top.Get("scenarios", JsonValue::Type::kArray));
  for (const JsonValue& id : scenarios->items) {
    if (id.type != JsonValue::Type::kString) return top.Error("scenarios", "must hold strings");
    campaign.scenarios.push_back(id.text);
  }
  if (absl::Status status = ReadConfig(top, *root, campaign.config); !status.ok()) return status;
  WVSIM_ASSIGN_OR_RETURN(campaign.interrupted, top.Bool("interrupted"));
  if (absl::Status status = ReadResults(top, campaign); !status.ok()) return status;
  if (absl::Status status = ReadFound(top, campaign); !status.ok()) return status;
  return campaign;
}

#undef WVSIM_ASSIGN_OR_RETURN

CampaignRecorder::CampaignRecorder(const std::vector<const sim::Scenario*>& scenarios,
                                   const sim::ExploreConfig& config) {
  for (const sim::Scenario* scenario : scenarios) campaign_.scenarios.push_back(scenario->id);
  campaign_.config = config;
}

void CampaignRecorder::Found(const sim::Found& found, const std::string& schedule_path) {
  campaign_.found.push_back(
      {found.schedule.scenario, found.violation.kind, found.violation.place, found.execution,
       std::filesystem::path(schedule_path).filename().string(), found.violation.report});
}

bool CampaignRecorder::Write(const std::string& out_dir, const std::vector<ScenarioResult>& results,
                             bool interrupted) {
  campaign_.interrupted = interrupted;
  campaign_.results.clear();
  for (const ScenarioResult& r : results) {
    campaign_.results.push_back({r.scenario->id, r.verdict, r.executions, r.seconds});
  }
  const std::string path = (std::filesystem::path(out_dir) / kCampaignFileName).string();
  if (absl::Status written = sim::WriteFileAtomically(path, FormatCampaign(campaign_));
      !written.ok()) {
    std::fprintf(stderr, "wvsim explore: %s\n", std::string(written.message()).c_str());
    return false;
  }
  return true;
}

}  // namespace wvsim::tools
