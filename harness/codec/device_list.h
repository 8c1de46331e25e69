// The device list: legacy <list xmlns='eu.siacs.conversations.axolotl'><device id/></list>,
// OMEMO 2 <devices xmlns='urn:xmpp:omemo:2'><device id label labelsig/></devices>.
#pragma once

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "codec/finding.h"
#include "codec/profile.h"
#include "codec/xml_support.h"
#include "crypto/bytes.h"

namespace oi::codec {

struct Device {
  std::uint32_t id = 0;
  std::optional<std::string> label;      // OMEMO 2 only
  std::optional<Bytes> label_signature;  // OMEMO 2 only (labelsig, 64 bytes)
  friend bool operator==(const Device&, const Device&) = default;
};

struct DeviceList {
  Profile profile = Profile::legacy;
  std::vector<Device> devices;  // document order
  friend bool operator==(const DeviceList&, const DeviceList&) = default;
};

// Parses a bare <list>/<devices> element. Findings: malformed XML ("XML"); another root element
// ("LINT", or R-OM2-068 for urn:xmpp:omemo:1); device ids (see xml::id_attribute; devices whose id
// is unusable are dropped); an empty list (note A-28); a repeated id (legacy note R-LEG-009,
// OMEMO 2 must R-OM2-020); unknown attributes/children (notes R-LEG-009 / R-OM2-069); OMEMO 2
// labels: label without labelsig (note A-24), labelsig without label or not 64 bytes of base64
// (R-OM2-027), label of 53+ code points (should R-OM2-027).
Parsed<DeviceList> parse_device_list(std::string_view xml);
// Canonical: <list|devices xmlns=...> with one <device id [label labelsig]/> per device.
std::string serialize_device_list(const DeviceList& list);

// Node-level entry points for the PEP, message and lint parsers.
std::optional<DeviceList> parse_device_list_element(xml::Context& context, pugi::xml_node element);
void append_device_list(pugi::xml_node parent, const DeviceList& list);

}  // namespace oi::codec
