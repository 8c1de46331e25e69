#include "engine/omemo2/sce.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <pugixml.hpp>

#include "codec/profile.h"

namespace oi::engine::omemo2 {
namespace {

constexpr std::string_view kForeignJid = "mallory@evil.example";
constexpr std::string_view kFallbackStamp = "2000-01-01T00:00:00Z";
constexpr std::string_view kRpadAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string random_rpad(std::size_t length, crypto::RandomSource& random) {
  std::string out(length, ' ');
  for (char& c : out)
    c = kRpadAlphabet[random.uniform(static_cast<std::uint32_t>(kRpadAlphabet.size()))];
  return out;
}

std::string time_off_stamp(std::string_view stanza_time) {
  std::optional<std::int64_t> sent = parse_datetime(stanza_time);
  return sent ? format_datetime(*sent + kTimeOffSeconds) : std::string(kFallbackStamp);
}

// XEP-0420 §Server-processed Elements (hints, stanza-id, addresses, EME).
bool is_server_processed(const codec::ContentElement& element) {
  return element.ns == codec::kHintsNamespace ||
         (element.ns == "urn:xmpp:sid:0" && element.name == "stanza-id") ||
         (element.ns == "http://jabber.org/protocol/address" && element.name == "addresses") ||
         (element.ns == codec::kEmeNamespace && element.name == "encryption");
}

std::optional<std::string> body_text(const std::vector<codec::ContentElement>& content) {
  for (const codec::ContentElement& element : content) {
    if (element.name != "body" || element.ns != codec::kClientNamespace) continue;
    pugi::xml_document document;
    if (!document.load_buffer(element.xml.data(), element.xml.size())) continue;
    return std::string(document.document_element().child_value());
  }
  return std::nullopt;
}

// Bare JID with ASCII letters lowered: localpart and domain compare case-insensitively.
std::string comparable_jid(std::string_view jid) {
  std::string bare(jid.substr(0, jid.find('/')));
  std::transform(bare.begin(), bare.end(), bare.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return bare;
}

bool is_digits(std::string_view s, std::size_t from, std::size_t count) {
  if (s.size() < from + count) return false;
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(from),
                     s.begin() + static_cast<std::ptrdiff_t>(from + count),
                     [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s, std::size_t from, std::size_t count) {
  int out = 0;
  for (std::size_t i = from; i < from + count; ++i) out = out * 10 + (s[i] - '0');
  return out;
}

// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2);
  return Civil{year, month, day};
}

codec::Finding affix_finding(std::string_view requirement, std::string message) {
  return codec::Finding{std::string(requirement), codec::Severity::must, {}, std::move(message)};
}

std::string format_duration(std::int64_t seconds) {
  const std::int64_t magnitude = seconds < 0 ? -seconds : seconds;
  return fmt::format("{}{}h{:02}m", seconds < 0 ? "-" : "+", magnitude / 3600,
                     (magnitude % 3600) / 60);
}

}  // namespace

Bytes build_envelope(std::string_view body, const StanzaContext& stanza,
                     crypto::RandomSource& random, const Switchboard& switchboard) {
  if (switchboard.is_enabled(Misbehaviour::sce_not_envelope)) {
    return Bytes(body.begin(), body.end());
  }
  codec::Envelope envelope;
  envelope.content.push_back(codec::make_content_element("body", codec::kClientNamespace, body));
  if (switchboard.is_enabled(Misbehaviour::sce_rpad_huge)) {
    envelope.rpad = random_rpad(kHugeRpadLength, random);
  } else if (!switchboard.is_enabled(Misbehaviour::sce_rpad_missing)) {
    envelope.rpad = random_rpad(random.uniform(kMaxRpadLength + 1), random);
  }
  if (switchboard.is_enabled(Misbehaviour::sce_time_off)) {
    envelope.time = time_off_stamp(stanza.time);
  } else if (!stanza.time.empty()) {
    envelope.time = stanza.time;
  }
  envelope.to =
      switchboard.is_enabled(Misbehaviour::sce_wrong_to) ? std::string(kForeignJid) : stanza.to;
  envelope.from =
      switchboard.is_enabled(Misbehaviour::sce_wrong_from) ? std::string(kForeignJid) : stanza.from;
  std::string xml = codec::serialize_envelope(envelope);
  return Bytes(xml.begin(), xml.end());
}

Result<OpenedEnvelope> open_envelope(ByteView plaintext, const StanzaContext& stanza) {
  std::string_view text(reinterpret_cast<const char*>(plaintext.data()), plaintext.size());
  codec::Parsed<codec::Envelope> parsed = codec::parse_envelope(text);
  if (!parsed.value) {
    std::string reason = "the decrypted payload is not an SCE <envelope> (R-OM2-060)";
    for (const codec::Finding& finding : parsed.findings) {
      if (finding.severity == codec::Severity::must) {
        reason = fmt::format("{} ({})", finding.message, finding.requirement);
        break;
      }
    }
    return fail(DecryptError::bad_data, reason);
  }
  OpenedEnvelope out;
  out.envelope = std::move(*parsed.value);
  std::erase_if(out.envelope.content, is_server_processed);
  out.body = body_text(out.envelope.content);
  out.findings = std::move(parsed.findings);
  std::vector<codec::Finding> affixes = check_affixes(out.envelope, stanza);
  out.findings.insert(out.findings.end(), affixes.begin(), affixes.end());
  return out;
}

std::vector<codec::Finding> check_affixes(const codec::Envelope& envelope,
                                          const StanzaContext& stanza) {
  std::vector<codec::Finding> out;
  if (envelope.to && !stanza.to.empty() &&
      comparable_jid(*envelope.to) != comparable_jid(stanza.to))
    out.push_back(affix_finding(
        "R-OM2-063",
        fmt::format("<to jid='{}'> is not the stanza's recipient '{}'", *envelope.to, stanza.to)));
  if (envelope.from && !stanza.from.empty() &&
      comparable_jid(*envelope.from) != comparable_jid(stanza.from))
    out.push_back(
        affix_finding("R-OM2-064", fmt::format("<from jid='{}'> is not the stanza's sender '{}'",
                                               *envelope.from, stanza.from)));
  if (envelope.time) {
    std::optional<std::int64_t> stamped = parse_datetime(*envelope.time);
    std::optional<std::int64_t> sent = parse_datetime(stanza.time);
    if (stamped && sent &&
        (*stamped - *sent > kTimeMarginSeconds || *sent - *stamped > kTimeMarginSeconds))
      out.push_back(affix_finding(
          "R-OM2-065",
          fmt::format("<time stamp='{}'> is {} from the stanza's sending time {} (margin {} h, "
                      "A-17)",
                      *envelope.time, format_duration(*stamped - *sent), stanza.time,
                      kTimeMarginSeconds / 3600)));
  }
  return out;
}

std::optional<std::int64_t> parse_datetime(std::string_view s) {
  // CCYY-MM-DDThh:mm:ss[.sss]TZD with TZD = Z | (+|-)hh:mm.
  if (s.size() < 20 || !is_digits(s, 0, 4) || s[4] != '-' || !is_digits(s, 5, 2) || s[7] != '-' ||
      !is_digits(s, 8, 2) || s[10] != 'T' || !is_digits(s, 11, 2) || s[13] != ':' ||
      !is_digits(s, 14, 2) || s[16] != ':' || !is_digits(s, 17, 2))
    return std::nullopt;
  const int month = number(s, 5, 2), day = number(s, 8, 2);
  const int hour = number(s, 11, 2), minute = number(s, 14, 2), second = number(s, 17, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::size_t i = 19;
  if (s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  std::string_view zone = s.substr(i);
  std::int64_t offset = 0;
  if (zone != "Z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !is_digits(zone, 1, 2) ||
        zone[3] != ':' || !is_digits(zone, 4, 2))
      return std::nullopt;
    offset = (number(zone, 1, 2) * 60 + number(zone, 4, 2)) * 60;
    if (zone[0] == '-') offset = -offset;
  }
  const std::int64_t days =
      days_from_civil(number(s, 0, 4), static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

std::string format_datetime(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const Civil date = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", date.year, date.month, date.day,
                     rest / 3600, (rest % 3600) / 60, rest % 60);
}

}  // namespace oi::engine::omemo2
