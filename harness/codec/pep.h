// OMEMO PEP payloads inside their pubsub wrappers: <publish node><item id>payload</item>
// </publish> (an <iq type='set'>), <items node><item id>payload</item>...</items> (an
// <iq type='result'> or a <message> event notification).
#pragma once

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "codec/bundle.h"
#include "codec/device_list.h"
#include "codec/finding.h"
#include "codec/xml_support.h"

namespace oi::codec {

struct PepItem {
  std::optional<std::string> id;
  std::optional<DeviceList> device_list;  // set when the payload is a device list
  std::optional<Bundle> bundle;           // set when the payload is a bundle
  friend bool operator==(const PepItem&, const PepItem&) = default;
};

struct PepNode {
  std::string node;
  std::vector<PepItem> items;  // document order
  friend bool operator==(const PepNode&, const PepNode&) = default;
};

// Parses the first <publish> or <items> found in `xml`, which may be an <iq>, a <message>
// carrying a pubsub event, <pubsub>, <event>, <publish> or <items>. Beyond the payload parsers'
// findings: no pubsub container ("LINT"); a node that is not an OMEMO node ("LINT") or an
// OMEMO 1 node (R-OM2-068); a payload that does not belong on the node (must, R-LEG-006 /
// R-LEG-010 / R-OM2-024 / R-OM2-028); a device-list item id other than 'current' (should
// R-LEG-006 / R-OM2-025 ); an item without id or several items (notes A-05); an OMEMO 2
// bundle item id that is not the device id (must R-OM2-028); a legacy bundle node whose suffix
// is not a device id (must R-LEG-010); an OMEMO 2 publish inside <pubsub> without the
// publish-options pubsub#access_model=open (must R-OM2-024 / R-OM2-030) or, for bundles,
// pubsub#max_items=max (must R-OM2-029).
Parsed<PepNode> parse_pep(std::string_view xml);

// <publish node='...'><item id='current'><list|devices/></item></publish>.
std::string serialize_device_list_publish(const DeviceList& list);
// <publish node='...'><item id='current' (legacy) | id='<device id>' (OMEMO 2)><bundle/>...
std::string serialize_bundle_publish(const Bundle& bundle, std::uint32_t device_id);

// The first <publish> or <items> at or below `element` (through iq, message, pubsub, event).
pugi::xml_node find_pep_container(pugi::xml_node element);
std::optional<PepNode> parse_pep_container(xml::Context& context, pugi::xml_node container);

}  // namespace oi::codec
