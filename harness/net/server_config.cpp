#include "net/server_config.h"

#include <fmt/format.h>

namespace oi::net {

namespace {

std::string_view publish_options_name(PublishOptionsSupport support) {
  switch (support) {
    case PublishOptionsSupport::honoured:
      return "honoured";
    case PublishOptionsSupport::ignored:
      return "ignored";
    case PublishOptionsSupport::rejected:
      return "rejected";
  }
  return "?";
}

std::string max_items_text(const std::optional<std::uint32_t>& value) {
  return value ? std::to_string(*value) : std::string("max");
}

}  // namespace

std::string_view access_model_name(AccessModel model) {
  switch (model) {
    case AccessModel::open:
      return "open";
    case AccessModel::presence:
      return "presence";
    case AccessModel::whitelist:
      return "whitelist";
  }
  return "?";
}

std::optional<AccessModel> access_model_from_name(std::string_view name) {
  if (name == "open") return AccessModel::open;
  if (name == "presence") return AccessModel::presence;
  if (name == "whitelist") return AccessModel::whitelist;
  return std::nullopt;
}

std::vector<std::string> describe_deviations(const ServerConfig& config) {
  const ServerConfig defaults;
  std::vector<std::string> out;
  auto note = [&](bool differs, std::string line) {
    if (differs) out.push_back(std::move(line));
  };
  const PepBehaviour& pep = config.pep;
  note(pep.publish_options != defaults.pep.publish_options,
       fmt::format("pep.publish_options={}", publish_options_name(pep.publish_options)));
  note(pep.default_access_model != defaults.pep.default_access_model,
       fmt::format("pep.default_access_model={}", access_model_name(pep.default_access_model)));
  note(pep.default_max_items != defaults.pep.default_max_items,
       fmt::format("pep.default_max_items={}", max_items_text(pep.default_max_items)));
  note(pep.accepts_max_keyword != defaults.pep.accepts_max_keyword,
       fmt::format("pep.accepts_max_keyword={}", pep.accepts_max_keyword));
  note(pep.max_items_cap != defaults.pep.max_items_cap,
       fmt::format("pep.max_items_cap={}", max_items_text(pep.max_items_cap)));
  note(pep.owner_configure != defaults.pep.owner_configure,
       fmt::format("pep.owner_configure={}", pep.owner_configure));
  note(config.carbons != defaults.carbons, fmt::format("carbons={}", config.carbons));
  note(config.carbons_copy_bodyless_normal != defaults.carbons_copy_bodyless_normal,
       fmt::format("carbons_copy_bodyless_normal={}", config.carbons_copy_bodyless_normal));
  note(config.offline_storage != defaults.offline_storage,
       fmt::format("offline_storage={}", config.offline_storage));
  note(config.offline_store_bodyless != defaults.offline_store_bodyless,
       fmt::format("offline_store_bodyless={}", config.offline_store_bodyless));
  note(config.mam != defaults.mam, fmt::format("mam={}", config.mam));
  note(config.mam_archive_bodyless != defaults.mam_archive_bodyless,
       fmt::format("mam_archive_bodyless={}", config.mam_archive_bodyless));
  note(config.muc_service != defaults.muc_service,
       fmt::format("muc_service={}", config.muc_service));
  note(config.muc_mam != defaults.muc_mam, fmt::format("muc_mam={}", config.muc_mam));
  return out;
}

}  // namespace oi::net
