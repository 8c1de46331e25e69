#include "net/pep_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "net/namespaces.h"

namespace oi::net {

xml::StanzaError pubsub_error(std::string type, std::string condition, std::string app_condition,
                              std::string text) {
  xml::StanzaError error;
  error.type = std::move(type);
  error.condition = std::move(condition);
  if (!app_condition.empty()) {
    error.app_condition = std::move(app_condition);
    error.app_ns = std::string(ns::kPubsubErrors);
  }
  error.text = std::move(text);
  return error;
}

const PubsubNode* PepService::find(std::string_view node) const {
  auto it = nodes_.find(std::string(node));
  return it == nodes_.end() ? nullptr : &it->second;
}

PubsubNode* PepService::find(std::string_view node) {
  auto it = nodes_.find(std::string(node));
  return it == nodes_.end() ? nullptr : &it->second;
}

PubsubNode& PepService::ensure(std::string_view node, const PepBehaviour& behaviour) {
  auto [it, inserted] = nodes_.try_emplace(std::string(node));
  if (inserted) {
    it->second.name = std::string(node);
    it->second.config = default_node_config(behaviour);
  }
  return it->second;
}

std::variant<PubsubNode*, xml::StanzaError> PepService::publish(
    std::string_view node, PubsubItem item, const std::optional<DataForm>& options,
    const PepBehaviour& behaviour) {
  std::optional<DataForm> effective = options;
  if (effective && behaviour.publish_options == PublishOptionsSupport::rejected) {
    auto error = pubsub_error("cancel", "feature-not-implemented", "unsupported");
    error.app_attribute = "feature";
    error.app_attribute_value = "publish-options";
    return error;
  }
  if (behaviour.publish_options == PublishOptionsSupport::ignored) effective.reset();
  if (effective && effective->form_type != ns::kPublishOptions)
    return pubsub_error("modify", "bad-request", "",
                        fmt::format("publish-options FORM_TYPE is '{}'", effective->form_type));

  PubsubNode* existing = find(node);
  if (effective) {
    NodeConfig probe = existing ? existing->config : default_node_config(behaviour);
    for (const auto& [var, values] : effective->fields) {
      std::string value = values.empty() ? std::string() : values.front();
      if (existing) {
        if (!config_matches(existing->config, var, value, behaviour))
          return pubsub_error("cancel", "conflict", "precondition-not-met",
                              fmt::format("node {}: precondition {}={} not met", node, var, value));
        continue;
      }
      FieldResult result = apply_config_field(probe, var, value, behaviour);
      if (result != FieldResult::applied)
        return pubsub_error(
            "cancel", "conflict", "precondition-not-met",
            fmt::format("{} publish-options field {}={}",
                        result == FieldResult::unknown_field ? "unknown" : "bad", var, value));
    }
    if (!existing) {
      PubsubNode& created = ensure(node, behaviour);
      created.config = probe;
      existing = &created;
    }
  }
  if (!existing) existing = &ensure(node, behaviour);
  existing->store(std::move(item), behaviour);
  return existing;
}

std::optional<xml::StanzaError> PepService::check_access(std::string_view node,
                                                         const Requester& requester) const {
  const PubsubNode* found = find(node);
  if (!found) return pubsub_error("cancel", "item-not-found");
  if (requester.is_owner || requester.bare == owner_) return std::nullopt;
  switch (found->config.access_model) {
    case AccessModel::open:
      return std::nullopt;
    case AccessModel::presence:
      if (requester.has_presence_subscription) return std::nullopt;
      return pubsub_error("auth", "not-authorized", "presence-subscription-required");
    case AccessModel::whitelist:
      if (found->whitelist.contains(requester.bare)) return std::nullopt;
      return pubsub_error("cancel", "not-allowed", "closed-node");
  }
  return pubsub_error("cancel", "not-allowed");
}

std::vector<PubsubItem> PepService::items(std::string_view node,
                                          const std::vector<std::string>& ids,
                                          std::optional<std::uint32_t> max_items) const {
  const PubsubNode* found = find(node);
  if (!found) return {};
  std::vector<PubsubItem> out;
  if (!ids.empty()) {
    for (const auto& id : ids)
      if (const PubsubItem* item = found->find(id)) out.push_back(*item);
    return out;
  }
  std::size_t count = found->items.size();
  std::size_t first = max_items && *max_items < count ? count - *max_items : 0;
  out.assign(found->items.begin() + static_cast<std::ptrdiff_t>(first), found->items.end());
  return out;
}

std::variant<PubsubItem, xml::StanzaError> PepService::retract(std::string_view node,
                                                               std::string_view id) {
  PubsubNode* found = find(node);
  if (!found) return pubsub_error("cancel", "item-not-found");
  auto it = std::find_if(found->items.begin(), found->items.end(),
                         [&](const PubsubItem& item) { return item.id == id; });
  if (it == found->items.end()) return pubsub_error("cancel", "item-not-found");
  PubsubItem removed = std::move(*it);
  found->items.erase(it);
  return removed;
}

std::variant<PubsubNode, xml::StanzaError> PepService::remove(std::string_view node) {
  auto it = nodes_.find(std::string(node));
  if (it == nodes_.end()) return pubsub_error("cancel", "item-not-found");
  PubsubNode removed = std::move(it->second);
  nodes_.erase(it);
  return removed;
}

std::optional<xml::StanzaError> PepService::configure(std::string_view node, const DataForm& form,
                                                      const PepBehaviour& behaviour) {
  PubsubNode* found = find(node);
  if (!found) return pubsub_error("cancel", "item-not-found");
  if (!form.form_type.empty() && form.form_type != ns::kNodeConfig)
    return pubsub_error("modify", "bad-request", "",
                        fmt::format("configuration FORM_TYPE is '{}'", form.form_type));
  NodeConfig updated = found->config;
  for (const auto& [var, values] : form.fields) {
    std::string value = values.empty() ? std::string() : values.front();
    FieldResult result = apply_config_field(updated, var, value, behaviour);
    if (result != FieldResult::applied)
      return pubsub_error(
          "modify", "not-acceptable", "",
          fmt::format("{} configuration field {}={}",
                      result == FieldResult::unknown_field ? "unknown" : "bad", var, value));
  }
  found->config = updated;
  found->trim(behaviour);
  return std::nullopt;
}

}  // namespace oi::net
