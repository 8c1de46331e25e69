// `omemo-interop lint`: every finding for one pasted stanza or element.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/finding.h"
#include "codec/profile.h"

namespace oi::codec {

struct LintResult {
  std::optional<Profile> profile;  // from the first OMEMO namespace or node met; none if absent
  // What was recognised: "message", "forwarded message", "iq", "pubsub", "device list",
  // "bundle", "encrypted", "envelope", "encryption"; empty when nothing was.
  std::string element;
  std::vector<Finding> findings;  // sorted by location
};

// Accepts a whole <message> (an OMEMO message, a PEP event, or a carbon/MAM wrapper of one),
// an <iq> with a pubsub publish or items result, or a bare <pubsub>, <publish>, <items>, device
// list, bundle, <encrypted>, SCE <envelope> or EME <encryption>. Runs the matching parsers with
// <key> contents decoded as protobuf. Malformed XML is one `must` finding "XML" at the position
// pugixml reports; an unrecognised root is a `must` finding "LINT" (R-OM2-068 for OMEMO 1);
// several top-level elements are a note "LINT" (only the first is checked). Never throws for
// bad input.
LintResult lint_xml(std::string_view text);

}  // namespace oi::codec
