// The typed stanza model of both profiles: round trips, each finding, the lenient cases.
#include <catch2/catch.hpp>

#include "codec/base64.h"
#include "codec/bundle.h"
#include "codec/device_list.h"
#include "codec/encrypted.h"
#include "codec/envelope.h"
#include "codec/hints.h"
#include "codec/message.h"
#include "codec/omemo2_messages.h"
#include "codec/pep.h"
#include "codec/signal_messages.h"

using oi::Bytes;
using namespace oi::codec;

namespace {

Bytes filled(std::size_t n, std::uint8_t first) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(first + i * 29);
  return out;
}

Bytes djb_key(std::uint8_t seed) {
  Bytes key = filled(33, seed);
  key[0] = 0x05;
  return key;
}

std::string b64(const Bytes& data) {
  return encode_base64(data);
}

std::string dump(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) out += format_finding(f) + "\n";
  return out;
}

bool has(const std::vector<Finding>& findings, std::string_view requirement, Severity severity,
         std::string_view text = {}) {
  for (const Finding& f : findings)
    if (f.requirement == requirement && f.severity == severity &&
        f.message.find(text) != std::string::npos)
      return true;
  return false;
}

bool only_notes(const std::vector<Finding>& findings) {
  for (const Finding& f : findings)
    if (f.severity != Severity::note) return false;
  return true;
}

Bundle sample_bundle(Profile profile, std::size_t prekeys) {
  Bundle b;
  b.profile = profile;
  b.signed_pre_key_id = 7;
  bool legacy = profile == Profile::legacy;
  b.signed_pre_key = legacy ? djb_key(1) : filled(32, 1);
  b.signed_pre_key_signature = filled(64, 2);
  b.identity_key = legacy ? djb_key(3) : filled(32, 3);
  for (std::uint32_t i = 1; i <= prekeys; ++i)
    b.pre_keys.push_back(PreKey{i, legacy ? djb_key(static_cast<std::uint8_t>(i))
                                          : filled(32, static_cast<std::uint8_t>(i))});
  return b;
}

Bytes legacy_signal_message() {
  SignalMessage m;
  m.ratchet_key = djb_key(9);
  m.counter = 2;
  m.ciphertext = filled(48, 5);
  m.mac = filled(8, 6);
  return serialize_signal_message(m);
}

Bytes legacy_prekey_message() {
  PreKeySignalMessage m;
  m.pre_key_id = 4;
  m.base_key = djb_key(10);
  m.identity_key = djb_key(11);
  m.message = legacy_signal_message();
  m.signed_pre_key_id = 7;
  return serialize_pre_key_signal_message(m);
}

OmemoAuthenticatedMessage omemo2_authenticated() {
  OmemoAuthenticatedMessage m;
  m.mac = filled(16, 1);
  m.message.n = 1;
  m.message.dh_pub = filled(32, 2);
  m.message.ciphertext = filled(64, 3);
  return m;
}

Bytes omemo2_key_exchange() {
  OmemoKeyExchange k;
  k.pk_id = 5;
  k.spk_id = 7;
  k.ik = filled(32, 8);
  k.ek = filled(32, 9);
  k.message = omemo2_authenticated();
  return serialize_omemo_key_exchange(k);
}

Encrypted legacy_encrypted() {
  Encrypted e;
  e.profile = Profile::legacy;
  e.sid = 1183726341;
  e.recipients.push_back(RecipientKeys{"",
                                       {KeyElement{2008464791, false, legacy_signal_message()},
                                        KeyElement{402117360, true, legacy_prekey_message()}}});
  e.iv = filled(12, 4);
  e.payload = filled(27, 5);
  return e;
}

Encrypted omemo2_encrypted() {
  Encrypted e;
  e.profile = Profile::omemo2;
  e.sid = 27183;
  e.recipients.push_back(RecipientKeys{
      "juliet@capulet.example",
      {KeyElement{31415, false, serialize_omemo_authenticated_message(omemo2_authenticated())},
       KeyElement{1649421813, true, omemo2_key_exchange()}}});
  e.recipients.push_back(RecipientKeys{
      "romeo@montague.example",
      {KeyElement{12321, false, serialize_omemo_authenticated_message(omemo2_authenticated())}}});
  e.payload = filled(96, 6);
  return e;
}

const std::string kLegacyNs = "xmlns='eu.siacs.conversations.axolotl'";
const std::string kOmemo2Ns = "xmlns='urn:xmpp:omemo:2'";

}  // namespace

// ---------------------------------------------------------------- device list

TEST_CASE("device lists round trip in both profiles", "[codec][devicelist]") {
  DeviceList legacy{Profile::legacy, {Device{1, {}, {}}, Device{2147483647, {}, {}}}};
  DeviceList omemo2{
      Profile::omemo2,
      {Device{27183, std::string("Gajim on laptop"), filled(64, 1)}, Device{31415, {}, {}}}};
  for (const DeviceList& list : {legacy, omemo2}) {
    auto parsed = parse_device_list(serialize_device_list(list));
    INFO(serialize_device_list(list) << "\n" << dump(parsed.findings));
    REQUIRE(parsed.value);
    CHECK(*parsed.value == list);
    CHECK(parsed.findings.empty());
  }
  CHECK(serialize_device_list(legacy) ==
        "<list xmlns=\"eu.siacs.conversations.axolotl\"><device id=\"1\"/><device "
        "id=\"2147483647\"/></list>");
}

TEST_CASE("device list ids outside 1..2^31-1 are must findings", "[codec][devicelist]") {
  auto parsed = parse_device_list("<list " + kLegacyNs +
                                  ">\n<device id='0'/>\n<device id='2147483648'/>\n"
                                  "<device id='-5'/>\n<device id='abc'/>\n<device/>\n"
                                  "<device id='4294967296'/>\n<device id='12'/></list>");
  INFO(dump(parsed.findings));
  REQUIRE(parsed.value);
  CHECK(has(parsed.findings, "R-LEG-002", Severity::must,
            "<device id='0'>: device id 0 is outside 1..2^31-1"));
  CHECK(has(parsed.findings, "R-LEG-002", Severity::must, "device id 2147483648 is outside"));
  CHECK(has(parsed.findings, "R-LEG-002", Severity::must, "device id -5 is negative"));
  CHECK(has(parsed.findings, "R-LEG-002", Severity::must, "'abc' is not a decimal integer"));
  CHECK(has(parsed.findings, "R-LEG-002", Severity::must, "no id attribute"));
  CHECK(has(parsed.findings, "R-LEG-002", Severity::must, "does not fit 32 bits"));
  // 0 and 2^31 fit 32 bits and are kept (with their findings); the others are dropped.
  CHECK(parsed.value->devices.size() == 3);
  // Locations: line 2 column 1 is the first <device>.
  CHECK(parsed.findings.front().location == SourceLocation{2, 1});

  auto om2 = parse_device_list("<devices " + kOmemo2Ns + "><device id='0'/></devices>");
  CHECK(has(om2.findings, "R-OM2-020", Severity::must, "device id 0"));
}

TEST_CASE("device list leniency: empty, unknown attributes, odd id spellings",
          "[codec][devicelist]") {
  auto empty = parse_device_list("<list " + kLegacyNs + "/>");
  REQUIRE(empty.value);
  CHECK(empty.value->devices.empty());
  CHECK(has(empty.findings, "A-28", Severity::note));
  CHECK(only_notes(empty.findings));
  auto empty2 = parse_device_list("<devices " + kOmemo2Ns + "/>");
  CHECK(has(empty2.findings, "A-28", Severity::note, "valid since 0.9.0"));

  auto odd = parse_device_list("<list " + kLegacyNs +
                               " foo='bar'><device id=' 0012 ' label='Phone'/><device id='+7'/>"
                               "<extra xmlns='urn:example'/>text</list>");
  INFO(dump(odd.findings));
  REQUIRE(odd.value);
  CHECK(odd.value->devices.size() == 2);
  CHECK(odd.value->devices[0].id == 12);
  CHECK(odd.value->devices[0].label == std::nullopt);
  CHECK(only_notes(odd.findings));
  CHECK(has(odd.findings, "R-LEG-009", Severity::note, "unknown attribute foo='bar'"));
  CHECK(has(odd.findings, "R-LEG-009", Severity::note, "unknown attribute label='Phone'"));
  CHECK(has(odd.findings, "R-LEG-009", Severity::note, "unknown element <extra"));
  CHECK(has(odd.findings, "R-LEG-009", Severity::note, "text content"));
  CHECK(has(odd.findings, "R-LEG-002", Severity::note, "whitespace around"));
  CHECK(has(odd.findings, "R-LEG-002", Severity::note, "leading zeros"));
  CHECK(has(odd.findings, "R-LEG-002", Severity::note, "leading '+'"));

  auto twice = parse_device_list("<list " + kLegacyNs + "><device id='5'/><device id='5'/></list>");
  CHECK(has(twice.findings, "R-LEG-009", Severity::note, "listed twice"));
  CHECK(twice.value->devices.size() == 1);
  auto twice2 =
      parse_device_list("<devices " + kOmemo2Ns + "><device id='5'/><device id='5'/></devices>");
  CHECK(has(twice2.findings, "R-OM2-020", Severity::must, "listed twice"));
}

TEST_CASE("OMEMO 2 device labels", "[codec][devicelist]") {
  auto unsigned_label =
      parse_device_list("<devices " + kOmemo2Ns + "><device id='5' label='Desk'/></devices>");
  CHECK(has(unsigned_label.findings, "A-24", Severity::note, "label without labelsig"));
  auto bad_sig = parse_device_list("<devices " + kOmemo2Ns +
                                   "><device id='5' label='Desk' labelsig='" + b64(filled(10, 1)) +
                                   "'/><device id='6' label='x' labelsig='!!'/>"
                                   "<device id='7' labelsig='" +
                                   b64(filled(64, 1)) + "'/></devices>");
  INFO(dump(bad_sig.findings));
  CHECK(has(bad_sig.findings, "R-OM2-027", Severity::must, "labelsig is 10 byte(s)"));
  CHECK(has(bad_sig.findings, "R-OM2-027", Severity::must, "labelsig is not base64"));
  CHECK(has(bad_sig.findings, "R-OM2-027", Severity::note, "labelsig without label"));
  std::string long_label(60, 'a');
  auto long_one =
      parse_device_list("<devices " + kOmemo2Ns + "><device id='5' label='" + long_label +
                        "' labelsig='" + b64(filled(64, 1)) + "'/></devices>");
  CHECK(has(long_one.findings, "R-OM2-027", Severity::should, "60 code points"));
}

TEST_CASE("device list parser rejects other roots", "[codec][devicelist]") {
  auto other = parse_device_list("<list xmlns='urn:example'/>");
  CHECK_FALSE(other.value);
  CHECK(has(other.findings, "LINT", Severity::must));
  auto omemo1 = parse_device_list("<devices xmlns='urn:xmpp:omemo:1'/>");
  CHECK(has(omemo1.findings, "R-OM2-068", Severity::must, "OMEMO 1"));
  auto malformed = parse_device_list("<list xmlns='x'>\n  <device id='1'>\n</list>");
  REQUIRE(malformed.findings.size() == 1);
  CHECK(malformed.findings[0].requirement == "XML");
  CHECK(malformed.findings[0].location.line == 3);
  CHECK(has(parse_device_list("").findings, "XML", Severity::must));
}

// ---------------------------------------------------------------- bundle

TEST_CASE("bundles round trip in both profiles", "[codec][bundle]") {
  for (const Bundle& bundle :
       {sample_bundle(Profile::legacy, 20), sample_bundle(Profile::omemo2, 25)}) {
    auto parsed = parse_bundle(serialize_bundle(bundle));
    INFO(serialize_bundle(bundle) << "\n" << dump(parsed.findings));
    REQUIRE(parsed.value);
    CHECK(*parsed.value == bundle);
    CHECK(parsed.findings.empty());
  }
}

TEST_CASE("bundle findings", "[codec][bundle]") {
  SECTION("prekey minimum") {
    auto legacy = parse_bundle(serialize_bundle(sample_bundle(Profile::legacy, 19)));
    CHECK(has(legacy.findings, "R-LEG-011", Severity::must, "19 usable prekey(s), at least 20"));
    auto omemo2 = parse_bundle(serialize_bundle(sample_bundle(Profile::omemo2, 24)));
    CHECK(has(omemo2.findings, "R-OM2-006", Severity::must, "24 usable prekey(s), at least 25"));
    CHECK(omemo2.value);
  }
  SECTION("key lengths, type byte, signature length") {
    Bundle legacy = sample_bundle(Profile::legacy, 20);
    legacy.identity_key[0] = 0x08;
    legacy.signed_pre_key.resize(32);
    legacy.signed_pre_key_signature.resize(63);
    legacy.pre_keys[3].public_key.push_back(1);
    auto parsed = parse_bundle(serialize_bundle(legacy));
    INFO(dump(parsed.findings));
    CHECK(has(parsed.findings, "R-LEG-001", Severity::must, "first byte 0x08"));
    CHECK(has(parsed.findings, "R-LEG-010", Severity::must,
              "<signedPreKeyPublic signedPreKeyId='7'>: 32 byte(s), expected 33"));
    CHECK(has(parsed.findings, "R-LEG-012", Severity::must, "63 byte(s), expected 64"));
    CHECK(has(parsed.findings, "R-LEG-010", Severity::must, "<preKeyPublic preKeyId='4'>: 34"));

    Bundle omemo2 = sample_bundle(Profile::omemo2, 25);
    omemo2.identity_key = djb_key(1);
    omemo2.pre_keys[0].public_key.resize(31);
    auto parsed2 = parse_bundle(serialize_bundle(omemo2));
    CHECK(has(parsed2.findings, "R-OM2-002", Severity::must, "legacy 0x05-prefixed"));
    CHECK(has(parsed2.findings, "R-OM2-031", Severity::must, "<pk id='1'>: 31 byte(s)"));
  }
  SECTION("ids: OMEMO 2 rejects 0, legacy accepts it as a note") {
    Bundle omemo2 = sample_bundle(Profile::omemo2, 25);
    omemo2.signed_pre_key_id = 0;
    omemo2.pre_keys[0].id = 0;
    omemo2.pre_keys[1].id = 0x80000000U;
    auto parsed = parse_bundle(serialize_bundle(omemo2));
    INFO(dump(parsed.findings));
    CHECK(has(parsed.findings, "R-OM2-068", Severity::must, "<spk id='0'>: signed prekey id 0"));
    CHECK(has(parsed.findings, "R-OM2-068", Severity::must, "<pk id='0'>: prekey id 0"));
    CHECK(has(parsed.findings, "R-OM2-031", Severity::must, "prekey id 2147483648 is outside"));
    Bundle legacy = sample_bundle(Profile::legacy, 20);
    legacy.signed_pre_key_id = 0;
    legacy.pre_keys[0].id = 0xFFFFFF;
    auto parsed2 = parse_bundle(serialize_bundle(legacy));
    INFO(dump(parsed2.findings));
    CHECK(has(parsed2.findings, "A-09", Severity::note, "signed prekey id 0"));
    CHECK(has(parsed2.findings, "R-LEG-014", Severity::note, "16777215"));
    CHECK(only_notes(parsed2.findings));
  }
  SECTION("missing, repeated and duplicate parts") {
    auto missing = parse_bundle("<bundle " + kOmemo2Ns + "/>");
    CHECK_FALSE(missing.value);
    CHECK(has(missing.findings, "R-OM2-031", Severity::must, "no <spk>"));
    CHECK(has(missing.findings, "R-OM2-031", Severity::must, "no <spks>"));
    CHECK(has(missing.findings, "R-OM2-002", Severity::must, "no <ik>"));
    CHECK(has(missing.findings, "R-OM2-031", Severity::must, "no <prekeys>"));
    std::string xml = serialize_bundle(sample_bundle(Profile::omemo2, 25));
    std::string pk = "<pk id=\"1\">" + b64(filled(32, 1)) + "</pk>";
    std::string doubled = xml;
    doubled.insert(doubled.find("</prekeys>"), pk);
    doubled.insert(doubled.find("<prekeys>"), "<ik>" + b64(filled(32, 3)) + "</ik>");
    auto parsed = parse_bundle(doubled);
    INFO(dump(parsed.findings));
    CHECK(has(parsed.findings, "R-OM2-031", Severity::must, "prekey id 1 appears twice"));
    CHECK(has(parsed.findings, "R-OM2-031", Severity::must, "second <ik> ignored"));
    auto bad_b64 = parse_bundle("<bundle " + kOmemo2Ns + "><ik>@@@@</ik></bundle>");
    CHECK(has(bad_b64.findings, "R-OM2-002", Severity::must, "not base64: invalid character '@'"));
  }
}

TEST_CASE("bundle leniency: whitespace base64, any order, unknown elements", "[codec][bundle]") {
  Bundle bundle = sample_bundle(Profile::legacy, 20);
  std::string prekeys;
  for (const PreKey& p : bundle.pre_keys)
    prekeys += "<preKeyPublic preKeyId='" + std::to_string(p.id) + "'>\n  " + b64(p.public_key) +
               "\n</preKeyPublic>";
  std::string ik = b64(bundle.identity_key);
  std::string xml = "<bundle " + kLegacyNs + "><prekeys>" + prekeys + "</prekeys><identityKey>" +
                    ik.substr(0, 20) + "\n" + ik.substr(20) +
                    "</identityKey><signedPreKeySignature>" + b64(bundle.signed_pre_key_signature) +
                    "</signedPreKeySignature><signedPreKeyPublic signedPreKeyId='7'>" +
                    b64(bundle.signed_pre_key) +
                    "</signedPreKeyPublic><future xmlns='urn:example:x'/></bundle>";
  auto parsed = parse_bundle(xml);
  INFO(dump(parsed.findings));
  REQUIRE(parsed.value);
  CHECK(*parsed.value == bundle);
  CHECK(only_notes(parsed.findings));
  CHECK(has(parsed.findings, "A-22", Severity::note, "whitespace"));
  CHECK(has(parsed.findings, "A-23", Severity::note));
  CHECK(has(parsed.findings, "R-LEG-010", Severity::note, "unknown element <future"));
}

// ---------------------------------------------------------------- encrypted

TEST_CASE("encrypted elements round trip in both profiles", "[codec][encrypted]") {
  Encrypted key_transport = legacy_encrypted();
  key_transport.payload.reset();
  Encrypted empty_message = omemo2_encrypted();
  empty_message.payload.reset();
  for (const Encrypted& e :
       {legacy_encrypted(), omemo2_encrypted(), key_transport, empty_message}) {
    std::string xml = serialize_encrypted(e);
    auto parsed = parse_encrypted(xml);
    INFO(xml << "\n" << dump(parsed.findings));
    REQUIRE(parsed.value);
    CHECK(*parsed.value == e);
    CHECK(parsed.findings.empty());
  }
  Encrypted e = omemo2_encrypted();
  CHECK(keys_for(e, 12321, "romeo@montague.example").size() == 1);
  CHECK(keys_for(e, 12321, "juliet@capulet.example").empty());
  CHECK(keys_for(legacy_encrypted(), 402117360).size() == 1);
  CHECK(serialize_encrypted(legacy_encrypted()).find("prekey=\"true\"") != std::string::npos);
}

TEST_CASE("encrypted leniency: Dino order, prekey='1', wrapped base64, kex='1'",
          "[codec][encrypted]") {
  Encrypted e = legacy_encrypted();
  std::string k1 = b64(e.recipients[0].keys[0].data);
  std::string xml = "<encrypted " + kLegacyNs + "><header sid='1183726341'><iv>" + b64(*e.iv) +
                    "</iv><key rid='2008464791'>\n" + k1.substr(0, 30) + "\n " + k1.substr(30) +
                    "\n</key><key rid='402117360' prekey='1'>" + b64(e.recipients[0].keys[1].data) +
                    "</key></header><payload>" + b64(*e.payload) + "</payload></encrypted>";
  auto parsed = parse_encrypted(xml);
  INFO(dump(parsed.findings));
  REQUIRE(parsed.value);
  CHECK(*parsed.value == e);
  CHECK(only_notes(parsed.findings));
  CHECK(has(parsed.findings, "A-23", Severity::note, "<key> comes after <iv>"));
  CHECK(has(parsed.findings, "A-03", Severity::note, "prekey='1'"));
  CHECK(has(parsed.findings, "A-22", Severity::note));

  Encrypted o = omemo2_encrypted();
  std::string om = "<encrypted " + kOmemo2Ns + "><payload>" + b64(*o.payload) +
                   "</payload><header sid='27183'><keys jid='juliet@capulet.example'>"
                   "<key rid='31415' kex='0'>" +
                   b64(o.recipients[0].keys[0].data) +
                   "</key><key rid='1649421813' kex='1' prekey='true'>" +
                   b64(o.recipients[0].keys[1].data) +
                   "</key></keys><keys jid='romeo@montague.example'><key rid='12321' kex='false'>" +
                   b64(o.recipients[1].keys[0].data) + "</key></keys></header></encrypted>";
  auto parsed2 = parse_encrypted(om);
  INFO(dump(parsed2.findings));
  REQUIRE(parsed2.value);
  CHECK(*parsed2.value == o);
  CHECK(only_notes(parsed2.findings));
  CHECK(has(parsed2.findings, "A-04", Severity::note, "kex='1'"));
  CHECK(has(parsed2.findings, "A-04", Severity::note, "kex='0'"));
  CHECK(has(parsed2.findings, "A-04", Severity::note, "legacy attribute prekey='true'"));
  CHECK(has(parsed2.findings, "A-23", Severity::note, "<header> comes after <payload>"));
}

TEST_CASE("encrypted findings", "[codec][encrypted]") {
  std::string key = b64(legacy_signal_message());
  SECTION("legacy structure") {
    auto parsed =
        parse_encrypted("<encrypted " + kLegacyNs + "><header><key rid='0' prekey='yes'>" + key +
                        "</key><iv>" + b64(filled(16, 1)) +
                        "</iv><iv/></header>"
                        "<header/><payload>%%</payload></encrypted>");
    INFO(dump(parsed.findings));
    CHECK_FALSE(parsed.value);
    CHECK(has(parsed.findings, "R-LEG-025", Severity::must, "no sid attribute"));
    CHECK(has(parsed.findings, "R-LEG-002", Severity::must, "<key rid='0'>: device id 0"));
    CHECK(has(parsed.findings, "R-LEG-021", Severity::must, "prekey='yes' is not an xs:boolean"));
    CHECK(has(parsed.findings, "A-01", Severity::note, "16 bytes"));
    CHECK(has(parsed.findings, "R-LEG-026", Severity::must, "second <iv> ignored"));
    CHECK(has(parsed.findings, "R-LEG-026", Severity::must, "second <header> ignored"));
    CHECK(has(parsed.findings, "R-LEG-026", Severity::must, "<payload>: not base64"));
  }
  SECTION("legacy iv missing or of another length, no keys") {
    auto no_iv = parse_encrypted("<encrypted " + kLegacyNs + "><header sid='5'><key rid='6'>" +
                                 key + "</key></header></encrypted>");
    CHECK(has(no_iv.findings, "R-LEG-026", Severity::must, "no <iv>"));
    auto odd_iv =
        parse_encrypted("<encrypted " + kLegacyNs + "><header sid='5'><key rid='6'>" + key +
                        "</key><iv>" + b64(filled(8, 1)) + "</iv></header></encrypted>");
    CHECK(has(odd_iv.findings, "R-LEG-019", Severity::must, "8 byte(s), expected 12"));
    auto no_keys = parse_encrypted("<encrypted " + kLegacyNs + "><header sid='5'><iv>" +
                                   b64(filled(12, 1)) + "</iv></header></encrypted>");
    CHECK(has(no_keys.findings, "R-LEG-026", Severity::must, "no <key> element"));
    auto empty_key =
        parse_encrypted("<encrypted " + kLegacyNs + "><header sid='5'><key rid='6'/><iv>" +
                        b64(filled(12, 1)) + "</iv></header></encrypted>");
    CHECK(has(empty_key.findings, "R-LEG-026", Severity::must, "empty key"));
    auto no_header = parse_encrypted("<encrypted " + kLegacyNs + "/>");
    CHECK(has(no_header.findings, "R-LEG-026", Severity::must, "no <header>"));
  }
  SECTION("OMEMO 2 structure") {
    std::string k = b64(serialize_omemo_authenticated_message(omemo2_authenticated()));
    auto parsed = parse_encrypted(
        "<encrypted " + kOmemo2Ns + "><header sid='2147483648'><keys><key rid='1'>" + k +
        "</key></keys><keys jid='a@b/c'><key rid='2'>" + k +
        "</key></keys><keys jid='x@y'/><keys jid='x@y'><key rid='3'>" + k +
        "</key></keys><key rid='4'>" + k + "</key><iv>AAAA</iv></header><payload>" +
        b64(filled(20, 1)) + "</payload></encrypted>");
    INFO(dump(parsed.findings));
    CHECK(has(parsed.findings, "R-OM2-020", Severity::must, "device id 2147483648"));
    CHECK(has(parsed.findings, "R-OM2-035", Severity::must, "<keys>: no jid attribute"));
    CHECK(has(parsed.findings, "R-OM2-035", Severity::must, "<keys jid='a@b/c'>: not a bare JID"));
    CHECK(has(parsed.findings, "R-OM2-035", Severity::must, "<keys jid='x@y'>: no <key> element"));
    CHECK(has(parsed.findings, "R-OM2-035", Severity::must, "a second <keys> for the same JID"));
    CHECK(has(parsed.findings, "R-OM2-035", Severity::must, "<key> directly in <header>"));
    CHECK(has(parsed.findings, "R-OM2-035", Severity::note, "<iv> has no meaning"));
    CHECK(has(parsed.findings, "R-OM2-018", Severity::must, "20 byte(s)"));
    auto no_keys = parse_encrypted("<encrypted " + kOmemo2Ns + "><header sid='1'/></encrypted>");
    CHECK(has(no_keys.findings, "R-OM2-035", Severity::must, "no <keys> element"));
  }
  SECTION("key contents are decoded as protobuf") {
    Bytes truncated = legacy_signal_message();
    truncated.resize(12);
    auto parsed = parse_encrypted("<encrypted " + kLegacyNs + "><header sid='5'><key rid='6'>" +
                                  b64(truncated) + "</key><iv>" + b64(filled(12, 1)) +
                                  "</iv></header></encrypted>");
    INFO(dump(parsed.findings));
    CHECK(has(parsed.findings, "R-LEG-034", Severity::must, "<key rid='6'>: SignalMessage:"));
    auto unchecked = parse_encrypted("<encrypted " + kLegacyNs + "><header sid='5'><key rid='6'>" +
                                         b64(truncated) + "</key><iv>" + b64(filled(12, 1)) +
                                         "</iv></header></encrypted>",
                                     false);
    CHECK(unchecked.findings.empty());

    auto wrong_flag = parse_encrypted("<encrypted " + kLegacyNs + "><header sid='5'><key rid='6'>" +
                                      b64(legacy_prekey_message()) + "</key><iv>" +
                                      b64(filled(12, 1)) + "</iv></header></encrypted>");
    INFO(dump(wrong_flag.findings));
    CHECK(has(wrong_flag.findings, "R-LEG-021", Severity::must,
              "content is a PreKeySignalMessage, but prekey says false"));
    auto wrong_kex = parse_encrypted(
        "<encrypted " + kOmemo2Ns + "><header sid='5'><keys jid='a@b'><key rid='6'>" +
        b64(omemo2_key_exchange()) + "</key></keys></header></encrypted>");
    CHECK(has(wrong_kex.findings, "R-OM2-036", Severity::must,
              "content is a OMEMOKeyExchange, but kex says false"));
  }
}

// ---------------------------------------------------------------- envelope

TEST_CASE("SCE envelope round trip", "[codec][envelope]") {
  Envelope envelope;
  envelope.content.push_back(make_content_element("body", "jabber:client", "Wherefore art thou?"));
  envelope.content.push_back(make_content_element("opt-out", "urn:xmpp:omemo:2", ""));
  envelope.rpad = "c2VjcmV0IHBhZGRpbmc=";
  envelope.time = "2026-11-28T14:03:27.311Z";
  envelope.to = "juliet@capulet.example";
  envelope.from = "romeo@montague.example";
  std::string xml = serialize_envelope(envelope);
  auto parsed = parse_envelope(xml);
  INFO(xml << "\n" << dump(parsed.findings));
  REQUIRE(parsed.value);
  CHECK(*parsed.value == envelope);
  CHECK(parsed.findings.empty());
  CHECK(parsed.value->content[0].xml == "<body xmlns=\"jabber:client\">Wherefore art thou?</body>");
}

TEST_CASE("SCE envelope findings", "[codec][envelope]") {
  const std::string ns = "xmlns='urn:xmpp:sce:1'";
  auto parsed = parse_envelope(
      "<envelope " + ns +
      "><content><body>inherits sce</body>"
      "<store xmlns='urn:xmpp:hints'/><stanza-id xmlns='urn:xmpp:sid:0' id='1' by='x'/>"
      "<addresses xmlns='http://jabber.org/protocol/address'/>"
      "<encryption xmlns='urn:xmpp:eme:0' namespace='urn:xmpp:omemo:2'/></content>"
      "<content/><time stamp='yesterday'/><to jid='juliet@capulet.example/balcony'/><from/>"
      "<extra/></envelope>");
  INFO(dump(parsed.findings));
  REQUIRE(parsed.value);
  CHECK(parsed.value->content.size() == 5);
  CHECK(parsed.value->content[0].ns == "urn:xmpp:sce:1");
  CHECK(has(parsed.findings, "R-OM2-067", Severity::must, "namespace 'urn:xmpp:sce:1'"));
  CHECK(has(parsed.findings, "R-OM2-061", Severity::must, "<store xmlns='urn:xmpp:hints'>"));
  CHECK(has(parsed.findings, "R-OM2-061", Severity::must, "<stanza-id"));
  CHECK(has(parsed.findings, "R-OM2-061", Severity::must, "<addresses"));
  CHECK(has(parsed.findings, "R-OM2-061", Severity::must, "<encryption"));
  CHECK(has(parsed.findings, "R-OM2-060", Severity::must, "second <content> ignored"));
  CHECK(has(parsed.findings, "R-OM2-033", Severity::must, "no <rpad>"));
  CHECK(has(parsed.findings, "R-OM2-065", Severity::must, "not a XEP-0082 DateTime"));
  CHECK(has(parsed.findings, "R-OM2-063", Severity::should, "a full JID"));
  CHECK(has(parsed.findings, "R-OM2-064", Severity::must, "<from>: no jid attribute"));
  CHECK(has(parsed.findings, "R-OM2-060", Severity::note, "unknown element <extra"));

  auto no_from = parse_envelope("<envelope " + ns + "><content/><rpad/><time/></envelope>");
  CHECK(has(no_from.findings, "R-OM2-033", Severity::should, "no <from>"));
  CHECK(has(no_from.findings, "R-OM2-065", Severity::must, "no stamp"));
  auto no_content = parse_envelope("<envelope " + ns + "><rpad/></envelope>");
  CHECK_FALSE(no_content.value);
  CHECK(has(no_content.findings, "R-OM2-060", Severity::must, "no <content>"));
  auto sce0 = parse_envelope("<envelope xmlns='urn:xmpp:sce:0'/>");
  CHECK(has(sce0.findings, "R-OM2-060", Severity::must, "A-21"));
  auto malformed = parse_envelope("<envelope " + ns + "><content>");
  CHECK(has(malformed.findings, "R-OM2-060", Severity::must, "not well-formed"));
  // R-OM2-066: a long, non-base64 rpad is never a finding.
  auto long_rpad = parse_envelope("<envelope " + ns + "><content/><rpad>" +
                                  std::string(10000, '~') + "</rpad><from jid='a@b'/></envelope>");
  CHECK(long_rpad.findings.empty());
  CHECK(long_rpad.value->rpad->size() == 10000);
  for (std::string stamp : {"2026-11-28T14:03:27Z", "2026-11-28T14:03:27.5-05:30"}) {
    auto ok = parse_envelope("<envelope " + ns + "><content/><rpad/><time stamp='" + stamp +
                             "'/><from jid='a@b'/></envelope>");
    CHECK(ok.findings.empty());
  }
}

// ---------------------------------------------------------------- hints and message

TEST_CASE("EME hint round trip and findings", "[codec][hints]") {
  for (const EncryptionHint& hint : {encryption_hint_for(Profile::legacy),
                                     EncryptionHint{"urn:xmpp:omemo:2", std::string("OMEMO")}}) {
    auto parsed = parse_encryption_hint(serialize_encryption_hint(hint));
    REQUIRE(parsed.value);
    CHECK(*parsed.value == hint);
  }
  CHECK(has(parse_encryption_hint(
                serialize_encryption_hint(EncryptionHint{"urn:xmpp:omemo:2", std::string("OMEMO")}))
                .findings,
            "A-25", Severity::note));
  CHECK(has(parse_encryption_hint("<encryption xmlns='urn:xmpp:eme:0'/>").findings, "R-OM2-038",
            Severity::must, "no namespace"));
  CHECK(has(parse_encryption_hint("<encryption/>").findings, "LINT", Severity::must));
}

TEST_CASE("messages round trip in both profiles", "[codec][message]") {
  Message legacy;
  legacy.to = "juliet@capulet.example";
  legacy.from = "romeo@montague.example/orchard";
  legacy.id = "m1";
  legacy.type = "chat";
  legacy.encrypted = legacy_encrypted();
  legacy.store_hint = true;
  legacy.encryption = encryption_hint_for(Profile::legacy);
  legacy.body = "I sent you an OMEMO encrypted message";
  Message omemo2 = legacy;
  omemo2.encrypted = omemo2_encrypted();
  omemo2.encryption = encryption_hint_for(Profile::omemo2);
  omemo2.body.reset();
  for (const Message& m : {legacy, omemo2}) {
    std::string xml = serialize_message(m);
    auto parsed = parse_message(xml);
    INFO(xml << "\n" << dump(parsed.findings));
    REQUIRE(parsed.value);
    CHECK(*parsed.value == m);
    CHECK(parsed.findings.empty());
  }
}

TEST_CASE("message-level findings", "[codec][message]") {
  std::string legacy_enc = serialize_encrypted(legacy_encrypted());
  std::string omemo2_enc = serialize_encrypted(omemo2_encrypted());
  auto bare_legacy = parse_message("<message to='a@b'>" + legacy_enc + "</message>");
  INFO(dump(bare_legacy.findings));
  CHECK(has(bare_legacy.findings, "R-LEG-023", Severity::should, "no <store"));
  CHECK(has(bare_legacy.findings, "R-LEG-024", Severity::note, "type='normal'"));
  CHECK(has(bare_legacy.findings, "R-LEG-024", Severity::note, "no <encryption"));

  auto bare_omemo2 = parse_message("<message xmlns='jabber:client' type='normal'>" + omemo2_enc +
                                   "<body>fallback</body><encryption xmlns='urn:xmpp:eme:0' "
                                   "namespace='eu.siacs.conversations.axolotl'/>"
                                   "<envelope xmlns='urn:xmpp:sce:1'/></message>");
  INFO(dump(bare_omemo2.findings));
  CHECK(has(bare_omemo2.findings, "R-OM2-038", Severity::must, "no <store"));
  CHECK(has(bare_omemo2.findings, "R-OM2-038", Severity::must, "fallback <body>"));
  CHECK(has(bare_omemo2.findings, "R-OM2-038", Severity::must, "does not match"));
  CHECK(has(bare_omemo2.findings, "R-OM2-062", Severity::must, "unencrypted <envelope>"));
  CHECK(has(bare_omemo2.findings, "A-26", Severity::note, "type='normal'"));

  auto no_eme = parse_message("<message type='chat'>" + omemo2_enc +
                              "<store xmlns='urn:xmpp:hints'/></message>");
  CHECK(has(no_eme.findings, "R-OM2-038", Severity::note, "SCE 0.5.0"));

  auto plain = parse_message("<message><body>hi</body></message>");
  CHECK(has(plain.findings, "LINT", Severity::must, "no OMEMO <encrypted>"));
  auto omemo1 = parse_message("<message><encrypted xmlns='urn:xmpp:omemo:1'/></message>");
  CHECK(has(omemo1.findings, "R-OM2-068", Severity::must));
  auto twice = parse_message("<message type='chat'>" + legacy_enc + legacy_enc +
                             "<store xmlns='urn:xmpp:hints'/></message>");
  CHECK(has(twice.findings, "LINT", Severity::note, "second <encrypted"));
  CHECK(has(parse_message("<iq/>").findings, "LINT", Severity::must));
}

// ---------------------------------------------------------------- PEP

TEST_CASE("PEP publish round trip", "[codec][pep]") {
  DeviceList list{Profile::omemo2, {Device{27183, {}, {}}}};
  auto parsed_list = parse_pep(serialize_device_list_publish(list));
  INFO(dump(parsed_list.findings));
  REQUIRE(parsed_list.value);
  CHECK(parsed_list.value->node == "urn:xmpp:omemo:2:devices");
  REQUIRE(parsed_list.value->items.size() == 1);
  CHECK(parsed_list.value->items[0].id == "current");
  CHECK(parsed_list.value->items[0].device_list == list);
  CHECK(parsed_list.findings.empty());

  for (Profile profile : {Profile::legacy, Profile::omemo2}) {
    Bundle bundle = sample_bundle(profile, 25);
    auto parsed = parse_pep(serialize_bundle_publish(bundle, 27183));
    INFO(dump(parsed.findings));
    REQUIRE(parsed.value);
    CHECK(parsed.value->node == bundle_node(profile, 27183));
    CHECK(parsed.value->items.at(0).bundle == bundle);
    CHECK(parsed.value->items.at(0).id == (profile == Profile::legacy ? "current" : "27183"));
    CHECK(parsed.findings.empty());
  }
  CHECK(device_list_node(Profile::legacy) == "eu.siacs.conversations.axolotl.devicelist");
  CHECK(bundle_node(Profile::legacy, 5) == "eu.siacs.conversations.axolotl.bundles:5");
}

TEST_CASE("PEP findings", "[codec][pep]") {
  const std::string pubsub = "xmlns='http://jabber.org/protocol/pubsub'";
  std::string legacy_list = serialize_device_list(DeviceList{Profile::legacy, {Device{5, {}, {}}}});
  std::string omemo2_list = serialize_device_list(DeviceList{Profile::omemo2, {Device{5, {}, {}}}});
  std::string omemo2_bundle = serialize_bundle(sample_bundle(Profile::omemo2, 25));

  auto dino = parse_pep("<items " + pubsub +
                        " node='eu.siacs.conversations.axolotl.devicelist'>"
                        "<item id='1'>" +
                        legacy_list + "</item><item>" + legacy_list + "</item></items>");
  INFO(dump(dino.findings));
  CHECK(has(dino.findings, "R-LEG-006", Severity::should, "<item id='1'>: device list item id"));
  CHECK(has(dino.findings, "A-05", Severity::note, "<item> without id"));
  CHECK(has(dino.findings, "A-05", Severity::note, "2 items"));
  CHECK_FALSE(contains_must(dino.findings));

  auto om2_id = parse_pep("<items " + pubsub + " node='urn:xmpp:omemo:2:devices'><item id='x'>" +
                          omemo2_list + "</item></items>");
  CHECK(has(om2_id.findings, "R-OM2-025", Severity::should));

  auto bundle_id = parse_pep("<items " + pubsub +
                             " node='urn:xmpp:omemo:2:bundles'>"
                             "<item id='current'>" +
                             omemo2_bundle + "</item></items>");
  CHECK(has(bundle_id.findings, "R-OM2-028", Severity::must, "must be the device id"));

  auto mismatch = parse_pep("<items " + pubsub + " node='urn:xmpp:omemo:2:bundles'><item id='5'>" +
                            omemo2_list + "</item></items>");
  CHECK(has(mismatch.findings, "R-OM2-028", Severity::must, "does not belong on node"));
  auto mismatch2 = parse_pep("<items " + pubsub +
                             " node='urn:xmpp:omemo:2:devices'>"
                             "<item id='current'>" +
                             legacy_list + "</item></items>");
  CHECK(has(mismatch2.findings, "R-OM2-024", Severity::must, "does not belong on node"));

  auto omemo1 = parse_pep("<items " + pubsub + " node='urn:xmpp:omemo:1:devices'/>");
  CHECK(has(omemo1.findings, "R-OM2-068", Severity::must, "OMEMO 1"));
  CHECK(has(omemo1.findings, "LINT", Severity::note, "no <item>"));
  auto other = parse_pep("<items " + pubsub + " node='urn:xmpp:avatar:data'/>");
  CHECK(has(other.findings, "LINT", Severity::must, "not an OMEMO node"));
  auto bad_node =
      parse_pep("<items " + pubsub + " node='eu.siacs.conversations.axolotl.bundles:x'/>");
  CHECK(has(bad_node.findings, "R-LEG-010", Severity::must, "'x' is not a device id"));
  auto no_node = parse_pep("<items " + pubsub + "/>");
  CHECK(has(no_node.findings, "LINT", Severity::must, "no node attribute"));
  CHECK(has(parse_pep("<iq type='get'/>").findings, "LINT", Severity::must, "no pubsub"));

  auto no_options = parse_pep("<iq type='set'><pubsub " + pubsub +
                              "><publish "
                              "node='urn:xmpp:omemo:2:bundles'><item id='5'>" +
                              omemo2_bundle + "</item></publish></pubsub></iq>");
  INFO(dump(no_options.findings));
  CHECK(has(no_options.findings, "R-OM2-030", Severity::must, "access_model is absent"));
  CHECK(has(no_options.findings, "R-OM2-029", Severity::must, "max_items is absent"));
  auto wrong_access = parse_pep(
      "<iq type='set'><pubsub " + pubsub +
      "><publish node='urn:xmpp:omemo:2:devices'>"
      "<item id='current'>" +
      omemo2_list +
      "</item></publish><publish-options><x "
      "xmlns='jabber:x:data' type='submit'><field var='pubsub#access_model'><value>presence</value>"
      "</field></x></publish-options></pubsub></iq>");
  CHECK(has(wrong_access.findings, "R-OM2-024", Severity::must, "access_model is 'presence'"));
  auto no_payload = parse_pep("<items " + pubsub +
                              " node='urn:xmpp:omemo:2:devices'>"
                              "<item id='current'/></items>");
  CHECK(has(no_payload.findings, "LINT", Severity::note, "no payload"));
  auto foreign = parse_pep("<items " + pubsub +
                           " node='urn:xmpp:omemo:2:devices'>"
                           "<item id='current'><geoloc xmlns='http://jabber.org/protocol/geoloc'/>"
                           "</item></items>");
  CHECK(has(foreign.findings, "LINT", Severity::must, "is not a device list or bundle"));
}

TEST_CASE("base64 deviations inside elements are A-22 notes", "[codec][encrypted]") {
  Encrypted e = legacy_encrypted();
  std::string xml = serialize_encrypted(e);
  std::string canonical = "<payload>" + b64(*e.payload) + "</payload>";
  CHECK(b64(Bytes{1, 2, 3, 4}) == "AQIDBA==");
  std::string unpadded_xml = xml;
  unpadded_xml.replace(unpadded_xml.find(canonical), canonical.size(), "<payload>AQIDBA</payload>");
  auto unpadded = parse_encrypted(unpadded_xml);
  INFO(dump(unpadded.findings));
  CHECK(has(unpadded.findings, "A-22", Severity::note, "without its '=' padding"));
  REQUIRE(unpadded.value);
  CHECK(unpadded.value->payload == Bytes({1, 2, 3, 4}));
  std::string bits_xml = xml;
  bits_xml.replace(bits_xml.find(canonical), canonical.size(), "<payload>AQIDBB==</payload>");
  auto bits = parse_encrypted(bits_xml);
  CHECK(has(bits.findings, "A-22", Severity::note, "non-zero unused bits"));
  CHECK(only_notes(bits.findings));
}

TEST_CASE("legacy EME namespace mismatch", "[codec][message]") {
  auto parsed = parse_message("<message type='chat'>" + serialize_encrypted(legacy_encrypted()) +
                              "<store xmlns='urn:xmpp:hints'/><encryption xmlns='urn:xmpp:eme:0' "
                              "namespace='urn:xmpp:omemo:2'/></message>");
  CHECK(has(parsed.findings, "R-LEG-024", Severity::must, "does not match"));
  auto pep = parse_pep(
      "<items xmlns='http://jabber.org/protocol/pubsub' "
      "node='eu.siacs.conversations.axolotl.devicelist'><item id='current'>" +
      serialize_bundle(sample_bundle(Profile::legacy, 20)) + "</item></items>");
  CHECK(has(pep.findings, "R-LEG-006", Severity::must, "does not belong on node"));
}
