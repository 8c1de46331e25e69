// XEP-0420 Stanza Content Encryption for OMEMO 2 (ours: libomemo-c has no SCE). Sends
// <envelope xmlns='urn:xmpp:sce:1'><content><body/></content><rpad/><time/><to/><from/>, as QXmpp
// does; on receipt it takes the jabber:client <body> of <content> and enforces the affix rules
// a client must apply (R-OM2-060, R-OM2-063, R-OM2-064). <time> is not checked.
#pragma once

#include <optional>
#include <string>

#include "base64.h"
#include "crypto/random_source.h"

namespace oi::libomemo_c {

struct EnvelopeContext {
  std::string from;  // bare JID of the sender
  std::string to;    // bare JID the stanza is addressed to
  std::string time;  // XEP-0082 stamp ("" when unknown)
};

Bytes build_envelope(const std::string& body, const EnvelopeContext& context,
                     crypto::RandomSource& random);

struct OpenedEnvelope {
  std::optional<std::string> body;  // the <body> text; "" when the content has none
  std::string error;                // set when the envelope is refused (then body is nullopt)
};
OpenedEnvelope open_envelope(const Bytes& plaintext, const EnvelopeContext& received);

}  // namespace oi::libomemo_c
