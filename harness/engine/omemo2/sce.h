// The XEP-0420 (SCE) envelope as the OMEMO 2 device builds and checks it (spec §1.2, §2.4,
// R-OM2-033, R-OM2-060..067).
//
// Sending: <envelope xmlns='urn:xmpp:sce:1'> with <content><body xmlns='jabber:client'>,
// <rpad> of 0..200 random characters (SCE 0.4.1, A-18), <time stamp> = the stanza's sending time,
// <to jid> = the stanza's recipient (the room in group chat), <from jid> = the sender.
//
// Receiving: the codec's static findings, plus the affixes checked against the stanza. A
// mismatch is an alert, not a rejection: the content is still delivered and the finding
// (severity must, the sender broke a MUST) goes to ReceivedMessage::envelope_findings, where a
// scenario or client decides. Only a plaintext that is not an envelope at all is rejected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/envelope.h"
#include "codec/finding.h"
#include "crypto/bytes.h"
#include "crypto/random_source.h"
#include "engine/decrypt_error.h"
#include "engine/device.h"
#include "engine/misbehaviour.h"

namespace oi::engine::omemo2 {

// "a reasonable margin" is undefined. Stamps up to this far from the stanza's sending time
// (either direction) pass; hours pass, days do not.
inline constexpr std::int64_t kTimeMarginSeconds = 24 * 60 * 60;
inline constexpr std::size_t kMaxRpadLength = 200;
// sce-rpad-huge and sce-time-off, as misbehaviour.h describes them.
inline constexpr std::size_t kHugeRpadLength = 10000;
inline constexpr std::int64_t kTimeOffSeconds = 2 * 24 * 60 * 60;

// The serialised envelope for `body` (the payload plaintext). The <time> affix is left out when
// stanza.time is empty. The sce-* knobs of `switchboard` change it:
//   sce-wrong-from / sce-wrong-to  another bare JID (mallory@evil.example) in <from> / <to>
//   sce-time-off                   the stamp two days after stanza.time (a fixed 2000-01-01 stamp
//                                  when stanza.time is not a XEP-0082 DateTime)
//   sce-rpad-missing / -huge       no <rpad> / 10 000 characters of it
//   sce-not-envelope               the bare UTF-8 body, as a legacy sender would encrypt it
Bytes build_envelope(std::string_view body, const StanzaContext& stanza,
                     crypto::RandomSource& random, const Switchboard& switchboard);

struct OpenedEnvelope {
  // As received, minus the server-processed elements inside <content> (R-OM2-061).
  codec::Envelope envelope;
  // The text of the first <body xmlns='jabber:client'> in <content>; a body in another namespace
  // is not a body (R-OM2-067).
  std::optional<std::string> body;
  // The codec's static findings followed by those of check_affixes().
  std::vector<codec::Finding> findings;
};

// bad_data when `plaintext` is not well-formed XML, its root is not <envelope> in urn:xmpp:sce:1,
// or it has no <content> (R-OM2-060).
Result<OpenedEnvelope> open_envelope(ByteView plaintext, const StanzaContext& stanza);

// The affix checks against the stanza, one finding each (severity must, no location):
//   R-OM2-063  <to jid> present and not the stanza's `to` (bare JIDs, ASCII case ignored)
//   R-OM2-064  <from jid> present and not the stanza's `from`
//   R-OM2-065  <time stamp> more than kTimeMarginSeconds from stanza.time
// An absent affix, or a stanza field that is empty or not a DateTime, is not checked here (the
// codec reports a missing <rpad>/<from> and a malformed stamp).
std::vector<codec::Finding> check_affixes(const codec::Envelope& envelope,
                                          const StanzaContext& stanza);

// XEP-0082 DateTime -> seconds since 1970-01-01T00:00:00Z (fractions dropped, offsets applied);
// nullopt when `text` is not one.
std::optional<std::int64_t> parse_datetime(std::string_view text);
// Seconds since the epoch -> "CCYY-MM-DDThh:mm:ssZ".
std::string format_datetime(std::int64_t seconds);

}  // namespace oi::engine::omemo2
