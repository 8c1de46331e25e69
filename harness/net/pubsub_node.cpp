#include "net/pubsub_node.h"

#include <algorithm>
#include <charconv>

#include "net/namespaces.h"

namespace oi::net {

namespace {

std::optional<bool> parse_boolean(std::string_view value) {
  if (value == "1" || value == "true") return true;
  if (value == "0" || value == "false") return false;
  return std::nullopt;
}

std::optional<std::uint32_t> parse_count(std::string_view value) {
  std::uint32_t out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size() || out == 0) return std::nullopt;
  return out;
}

// The stored max_items for a requested value: nullopt for 'max', the cap for larger numbers.
// Returns false for a bad value.
bool read_max_items(std::string_view value, const PepBehaviour& behaviour,
                    std::optional<std::uint32_t>& out) {
  if (value == "max") {
    if (!behaviour.accepts_max_keyword) return false;
    out = std::nullopt;
    return true;
  }
  auto count = parse_count(value);
  if (!count) return false;
  std::uint32_t ceiling = behaviour.max_items_cap.value_or(kMaxItemsUnbounded);
  out = std::min(*count, ceiling);
  return true;
}

bool is_send_last_value(std::string_view value) {
  return value == "never" || value == "on_sub" || value == "on_sub_and_presence";
}

const char* boolean_text(bool value) {
  return value ? "1" : "0";
}

}  // namespace

const PubsubItem* PubsubNode::find(std::string_view id) const {
  for (const auto& item : items)
    if (item.id == id) return &item;
  return nullptr;
}

std::uint32_t PubsubNode::effective_max_items(const PepBehaviour& behaviour) const {
  std::uint32_t ceiling = behaviour.max_items_cap.value_or(kMaxItemsUnbounded);
  return std::min(config.max_items.value_or(ceiling), ceiling);
}

void PubsubNode::store(PubsubItem item, const PepBehaviour& behaviour) {
  std::erase_if(items, [&](const PubsubItem& existing) { return existing.id == item.id; });
  items.push_back(std::move(item));
  trim(behaviour);
}

void PubsubNode::trim(const PepBehaviour& behaviour) {
  std::size_t limit = effective_max_items(behaviour);
  if (items.size() > limit)
    items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(items.size() - limit));
}

NodeConfig default_node_config(const PepBehaviour& behaviour) {
  NodeConfig config;
  config.access_model = behaviour.default_access_model;
  config.max_items = behaviour.default_max_items;
  if (config.max_items && behaviour.max_items_cap)
    config.max_items = std::min(*config.max_items, *behaviour.max_items_cap);
  return config;
}

FieldResult apply_config_field(NodeConfig& config, std::string_view var, std::string_view value,
                               const PepBehaviour& behaviour) {
  if (var == "pubsub#access_model") {
    auto model = access_model_from_name(value);
    if (!model) return FieldResult::bad_value;
    config.access_model = *model;
    return FieldResult::applied;
  }
  if (var == "pubsub#max_items") {
    std::optional<std::uint32_t> max_items;
    if (!read_max_items(value, behaviour, max_items)) return FieldResult::bad_value;
    config.max_items = max_items;
    return FieldResult::applied;
  }
  if (var == "pubsub#send_last_published_item") {
    if (!is_send_last_value(value)) return FieldResult::bad_value;
    config.send_last_published_item = std::string(value);
    return FieldResult::applied;
  }
  bool* flag = var == "pubsub#persist_items"      ? &config.persist_items
               : var == "pubsub#notify_retract"   ? &config.notify_retract
               : var == "pubsub#notify_delete"    ? &config.notify_delete
               : var == "pubsub#deliver_payloads" ? &config.deliver_payloads
                                                  : nullptr;
  if (!flag) return FieldResult::unknown_field;
  auto parsed = parse_boolean(value);
  if (!parsed) return FieldResult::bad_value;
  *flag = *parsed;
  return FieldResult::applied;
}

bool config_matches(const NodeConfig& config, std::string_view var, std::string_view value,
                    const PepBehaviour& behaviour) {
  NodeConfig probe = config;
  if (apply_config_field(probe, var, value, behaviour) != FieldResult::applied) return false;
  return probe == config;
}

DataForm config_form(const NodeConfig& config) {
  DataForm form;
  form.type = "form";
  form.form_type = std::string(ns::kNodeConfig);
  form.fields["pubsub#access_model"] = {std::string(access_model_name(config.access_model))};
  form.fields["pubsub#max_items"] = {config.max_items ? std::to_string(*config.max_items)
                                                      : std::string("max")};
  form.fields["pubsub#persist_items"] = {boolean_text(config.persist_items)};
  form.fields["pubsub#notify_retract"] = {boolean_text(config.notify_retract)};
  form.fields["pubsub#notify_delete"] = {boolean_text(config.notify_delete)};
  form.fields["pubsub#deliver_payloads"] = {boolean_text(config.deliver_payloads)};
  form.fields["pubsub#send_last_published_item"] = {config.send_last_published_item};
  return form;
}

}  // namespace oi::net
