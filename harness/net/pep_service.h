// The PEP service of one account (XEP-0163 on XEP-0060): its nodes and the operations on them,
// without any routing. Every operation returns either a value or the stanza error the service
// answers with; notifications are the caller's business (server_pubsub.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "net/data_form.h"
#include "net/pubsub_node.h"
#include "net/server_config.h"
#include "net/xml_tools.h"

namespace oi::net {

// How a requester relates to the node owner, for the access-model check.
struct Requester {
  std::string bare;                        // bare JID of the requester
  bool is_owner = false;                   // the account itself
  bool has_presence_subscription = false;  // subscribed to the owner's presence (from / both)
};

class PepService {
 public:
  explicit PepService(std::string owner) : owner_(std::move(owner)) {}

  const std::string& owner() const { return owner_; }
  const std::map<std::string, PubsubNode>& nodes() const { return nodes_; }
  const PubsubNode* find(std::string_view node) const;
  PubsubNode* find(std::string_view node);

  // XEP-0060 §7.1 with §7.1.5 publish-options, under `behaviour` (see PublishOptionsSupport).
  // A missing node is auto-created (R-SRV-002) with the defaults plus the options (R-SRV-008).
  // An existing node whose configuration differs from an option, or an option that is not a
  // known node configuration field (R-SRV-009), gives <conflict/> + <precondition-not-met/> and
  // stores nothing (R-SRV-007); a bad value for a missing node does too. A publish-options form
  // with another FORM_TYPE is <bad-request/>. Returns the node on success.
  std::variant<PubsubNode*, xml::StanzaError> publish(std::string_view node, PubsubItem item,
                                                      const std::optional<DataForm>& options,
                                                      const PepBehaviour& behaviour);

  // <item-not-found/> for a missing node; the access-model errors of XEP-0060 §6.5.9
  // (presence: <not-authorized/> + <presence-subscription-required/>; whitelist:
  // <not-allowed/> + <closed-node/>).
  std::optional<xml::StanzaError> check_access(std::string_view node,
                                               const Requester& requester) const;
  // True when `requester` may read `node` (the node exists and the access model allows it).
  bool may_read(std::string_view node, const Requester& requester) const {
    return !check_access(node, requester);
  }

  // Retrieval (§6.5): `ids` non-empty selects those items in the requested order (unknown ids
  // are skipped); otherwise the newest `max_items` (all when nullopt), oldest first.
  std::vector<PubsubItem> items(std::string_view node, const std::vector<std::string>& ids,
                                std::optional<std::uint32_t> max_items) const;

  // §7.2: <item-not-found/> when the node or the item is missing. Returns the removed item.
  std::variant<PubsubItem, xml::StanzaError> retract(std::string_view node, std::string_view id);
  // §8.4: <item-not-found/> when the node is missing. Returns the deleted node.
  std::variant<PubsubNode, xml::StanzaError> remove(std::string_view node);
  // §8.2: applies a submitted node_config form. Unknown fields or bad values give
  // <not-acceptable/> and change nothing; a missing node is <item-not-found/>. Lowering
  // max_items drops the oldest items.
  std::optional<xml::StanzaError> configure(std::string_view node, const DataForm& form,
                                            const PepBehaviour& behaviour);

  // Direct access for scenario steps and setup: creates the node when missing.
  PubsubNode& ensure(std::string_view node, const PepBehaviour& behaviour);

 private:
  std::string owner_;
  std::map<std::string, PubsubNode> nodes_;
};

// The pubsub error helpers shared with the routing code.
xml::StanzaError pubsub_error(std::string type, std::string condition,
                              std::string app_condition = {}, std::string text = {});

}  // namespace oi::net
