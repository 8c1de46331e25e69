// One PEP/pubsub node: its configuration, its items (oldest first) and explicit subscriptions,
// plus the mapping between the configuration and the XEP-0060 node_config / publish-options
// form fields.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "net/data_form.h"
#include "net/server_config.h"

namespace oi::net {

struct NodeConfig {
  AccessModel access_model = AccessModel::presence;
  std::optional<std::uint32_t> max_items;  // nullopt = 'max'
  bool persist_items = true;
  bool notify_retract = true;
  bool notify_delete = true;
  bool deliver_payloads = true;
  std::string send_last_published_item = "on_sub_and_presence";  // never, on_sub, ...
  friend bool operator==(const NodeConfig&, const NodeConfig&) = default;
};

struct PubsubItem {
  std::string id;
  std::string payload;    // the payload element as standalone XML ("" for an empty item)
  std::string publisher;  // full JID
  std::int64_t published_ms = 0;
  friend bool operator==(const PubsubItem&, const PubsubItem&) = default;
};

struct PubsubNode {
  std::string name;
  NodeConfig config;
  std::vector<PubsubItem> items;      // oldest first; ids unique
  std::set<std::string> subscribers;  // explicit XEP-0060 subscriptions (bare or full JIDs)
  std::set<std::string> whitelist;    // bare JIDs with affiliation member or publisher

  const PubsubItem* find(std::string_view id) const;
  // The number of items kept under `behaviour` (the cap applied; 'max' = cap or unbounded).
  std::uint32_t effective_max_items(const PepBehaviour& behaviour) const;
  // Stores `item`: an item with the same id is replaced and becomes the newest; the oldest
  // items beyond effective_max_items are dropped.
  void store(PubsubItem item, const PepBehaviour& behaviour);
  // Drops the oldest items beyond effective_max_items.
  void trim(const PepBehaviour& behaviour);
};

// The default configuration of an auto-created node.
NodeConfig default_node_config(const PepBehaviour& behaviour);

// The outcome of reading one form field into a configuration.
enum class FieldResult {
  applied,
  unknown_field,  // not a node configuration field this service knows
  bad_value,      // a value outside the field's domain ('max' when refused, "abc", "0", ...)
};
// Applies `var` = `value` to `config` (max_items beyond the cap is stored as the cap).
FieldResult apply_config_field(NodeConfig& config, std::string_view var, std::string_view value,
                               const PepBehaviour& behaviour);
// True when `config` already has `var` = `value` (the publish-options precondition check);
// unknown fields and bad values never match.
bool config_matches(const NodeConfig& config, std::string_view var, std::string_view value,
                    const PepBehaviour& behaviour);

// The node_config form (type 'form') describing `config`.
DataForm config_form(const NodeConfig& config);

}  // namespace oi::net
