// Protobuf wire reader/writer and the typed legacy / OMEMO 2 messages.
#include <catch2/catch.hpp>

#include "codec/omemo2_messages.h"
#include "codec/protobuf_wire.h"
#include "codec/signal_messages.h"

using oi::Bytes;
using namespace oi::codec;

namespace {

Bytes filled(std::size_t n, std::uint8_t first) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(first + i * 13);
  return out;
}

Bytes djb_key(std::uint8_t seed) {
  Bytes key = filled(33, seed);
  key[0] = 0x05;
  return key;
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

SignalMessage sample_signal_message() {
  SignalMessage m;
  m.ratchet_key = djb_key(1);
  m.counter = 3;
  m.previous_counter = 1;
  m.ciphertext = filled(48, 7);
  m.mac = filled(8, 9);
  return m;
}

OmemoAuthenticatedMessage sample_authenticated() {
  OmemoAuthenticatedMessage m;
  m.mac = filled(16, 2);
  m.message.n = 5;
  m.message.pn = 300;
  m.message.dh_pub = filled(32, 3);
  m.message.ciphertext = filled(64, 4);
  return m;
}

}  // namespace

TEST_CASE("protobuf writer emits minimal varints", "[codec][protobuf]") {
  Bytes out;
  pb::Writer::append_varint(out, 0);
  pb::Writer::append_varint(out, 300);
  pb::Writer::append_varint(out, ~0ULL);
  CHECK(oi::to_hex(out) == "00ac02ffffffffffffffffff01");
  pb::Writer writer;
  writer.varint_field(1, 150);
  writer.bytes_field(2, Bytes{0xaa});
  writer.fixed32_field(3, 1);
  writer.fixed64_field(4, 2);
  CHECK(oi::to_hex(writer.bytes()) == "0896011201aa1d01000000210200000000000000");
}

TEST_CASE("protobuf reader names each wire deviation with its byte offset", "[codec][protobuf]") {
  auto om2 = [](const std::string& hex) {
    return parse_omemo_message(*oi::from_hex(hex)).findings;
  };
  const std::string key = "1a20" + oi::to_hex(filled(32, 1));
  const std::string valid = "08011002" + key + "2210" + oi::to_hex(filled(16, 2));
  REQUIRE(parse_omemo_message(*oi::from_hex(valid)).value);
  CHECK(parse_omemo_message(*oi::from_hex(valid)).findings.empty());

  auto f =
      om2("0a0100"
          "1002" +
          key);  // field 1 as length-delimited
  INFO(dump(f));
  CHECK(has(f, "R-OM2-035", Severity::must, "field 1 'n' at byte 0 has wire type 2"));
  CHECK(has(f, "R-OM2-035", Severity::must, "missing required field 1 'n'"));

  f = om2("");
  CHECK(has(f, "R-OM2-035", Severity::must, "missing required field 3 'dh_pub'"));

  f = om2(valid + "4801");
  CHECK(has(f, "R-OM2-035", Severity::note, "unknown field 9 (varint) at byte"));
  CHECK_FALSE(contains_must(f));

  f =
      om2("0801"
          "10ff");
  CHECK(has(f, "R-OM2-035", Severity::must, "truncated varint at byte 3"));

  f = om2("08ffffffffffffffffffff01");
  CHECK(has(f, "R-OM2-035", Severity::must, "overlong varint at byte 1"));
  f = om2("08ffffffffffffffffff7f");
  CHECK(has(f, "R-OM2-035", Severity::must, "more than 64 bits"));

  f =
      om2("088080808010"
          "1002" +
          key);  // 2^32
  CHECK(has(f, "R-OM2-035", Severity::must, "holds 4294967296, more than a uint32"));

  f =
      om2("08011002"
          "1a20" +
          oi::to_hex(filled(3, 1)));
  CHECK(has(f, "R-OM2-035", Severity::must, "truncated length-delimited field at byte 4"));

  f =
      om2("08011002"
          "0d0102");
  CHECK(has(f, "R-OM2-035", Severity::must, "truncated fixed32 at byte 4"));

  f =
      om2("0801"
          "0802"
          "1002" +
          key);
  CHECK(
      has(f, "R-OM2-035", Severity::must, "field 1 'n' occurs again at byte 2 (first at byte 0)"));

  f = om2(valid + "0000");
  CHECK(has(f, "R-OM2-035", Severity::must, "2 trailing zero byte(s) at byte"));

  f =
      om2("0801"
          "0001");
  CHECK(has(f, "R-OM2-035", Severity::must, "invalid field number 0 at byte 2"));
  f =
      om2("0801"
          "0b");
  CHECK(has(f, "R-OM2-035", Severity::must, "unsupported start-group"));

  f =
      om2("088100"
          "1002" +
          key);
  CHECK(has(f, "R-OM2-014", Severity::note, "non-minimal varint at byte 1"));

  f =
      om2("1002"
          "0801" +
          key);
  CHECK(has(f, "R-OM2-014", Severity::note, "field 1 at byte 2 follows field 2"));
  CHECK(parse_omemo_message(*oi::from_hex("10020801" + key + "2210" + oi::to_hex(filled(16, 2))))
            .value);

  f =
      om2("08011002"
          "1a1f" +
          oi::to_hex(filled(31, 1)));
  CHECK(has(f, "R-OM2-035", Severity::must,
            "field 3 'dh_pub' at byte 4 is 31 byte(s) long, expected 32"));
}

TEST_CASE("legacy SignalMessage round trip and findings", "[codec][protobuf][legacy]") {
  SignalMessage m = sample_signal_message();
  Bytes wire = serialize_signal_message(m);
  CHECK(wire[0] == 0x33);
  CHECK(wire.size() ==
        1 + 35 + 2 + 2 + 50 + 8);  // spec §1.1: 98 bytes for 32 bytes of key material
  auto parsed = parse_signal_message(wire);
  INFO(dump(parsed.findings));
  REQUIRE(parsed.value);
  CHECK(parsed.findings.empty());
  CHECK(*parsed.value == m);
  CHECK(parsed.value->authenticated_bytes == serialize_signal_message_body(m));
  CHECK(parsed.value->mac == m.mac);

  CHECK(has(parse_signal_message(Bytes{0x33, 1, 2}).findings, "R-LEG-034", Severity::must,
            "cannot hold the version byte"));
  Bytes old = wire;
  old[0] = 0x23;
  auto old_parsed = parse_signal_message(old);
  CHECK_FALSE(old_parsed.value);
  CHECK(has(old_parsed.findings, "R-LEG-034", Severity::must, "message version 2"));
  Bytes nibble = wire;
  nibble[0] = 0x32;
  auto nibble_parsed = parse_signal_message(nibble);
  CHECK(nibble_parsed.value);
  CHECK(has(nibble_parsed.findings, "R-LEG-034", Severity::note, "low nibble 2"));
  SignalMessage bad_key = m;
  bad_key.ratchet_key[0] = 0x06;
  CHECK(has(parse_signal_message(serialize_signal_message(bad_key)).findings, "R-LEG-034",
            Severity::must, "ratchetKey at byte 1 starts with 0x06"));
  SignalMessage no_ct = m;
  no_ct.ciphertext.clear();
  CHECK(parse_signal_message(serialize_signal_message(no_ct)).value);  // empty ciphertext present
}

TEST_CASE("legacy PreKeySignalMessage round trip and findings", "[codec][protobuf][legacy]") {
  PreKeySignalMessage m;
  m.pre_key_id = 57;
  m.base_key = djb_key(4);
  m.identity_key = djb_key(5);
  m.message = serialize_signal_message(sample_signal_message());
  m.registration_id = 1183726341;
  m.signed_pre_key_id = 1;
  Bytes wire = serialize_pre_key_signal_message(m);
  auto parsed = parse_pre_key_signal_message(wire);
  INFO(dump(parsed.findings));
  REQUIRE(parsed.value);
  CHECK(parsed.findings.empty());
  CHECK(*parsed.value == m);

  PreKeySignalMessage spk_only = m;
  spk_only.pre_key_id.reset();
  spk_only.registration_id.reset();
  auto spk_parsed = parse_pre_key_signal_message(serialize_pre_key_signal_message(spk_only));
  REQUIRE(spk_parsed.value);
  CHECK(*spk_parsed.value == spk_only);
  CHECK(has(spk_parsed.findings, "A-27", Severity::note, "no preKeyId"));
  CHECK_FALSE(contains_must(spk_parsed.findings));

  PreKeySignalMessage short_ik = m;
  short_ik.identity_key.resize(32);
  CHECK(has(parse_pre_key_signal_message(serialize_pre_key_signal_message(short_ik)).findings,
            "R-LEG-001", Severity::must, "identityKey"));
  PreKeySignalMessage bad_inner = m;
  bad_inner.message.resize(20);
  auto inner = parse_pre_key_signal_message(serialize_pre_key_signal_message(bad_inner));
  CHECK(has(inner.findings, "R-LEG-034", Severity::must, "embedded SignalMessage"));
  CHECK(has(parse_pre_key_signal_message({}).findings, "R-LEG-034", Severity::must, "no bytes"));
  Bytes v2 = wire;
  v2[0] = 0x22;
  CHECK_FALSE(parse_pre_key_signal_message(v2).value);
}

TEST_CASE("OMEMO 2 messages round trip and findings", "[codec][protobuf][omemo2]") {
  OmemoAuthenticatedMessage a = sample_authenticated();
  Bytes wire = serialize_omemo_authenticated_message(a);
  auto parsed = parse_omemo_authenticated_message(wire);
  INFO(dump(parsed.findings));
  REQUIRE(parsed.value);
  CHECK(parsed.findings.empty());
  CHECK(*parsed.value == a);
  CHECK(parsed.value->message_bytes == serialize_omemo_message(a.message));

  OmemoKeyExchange k;
  k.pk_id = 91;
  k.spk_id = 3;
  k.ik = filled(32, 20);
  k.ek = filled(32, 21);
  k.message = a;
  auto kex = parse_omemo_key_exchange(serialize_omemo_key_exchange(k));
  REQUIRE(kex.value);
  CHECK(kex.findings.empty());
  CHECK(*kex.value == k);

  OmemoKeyExchange zero = k;
  zero.pk_id = 0;
  zero.ik.push_back(0);
  auto zero_parsed = parse_omemo_key_exchange(serialize_omemo_key_exchange(zero));
  CHECK(has(zero_parsed.findings, "R-OM2-068", Severity::must, "pk_id at byte 0 is 0"));
  CHECK(has(zero_parsed.findings, "R-OM2-002", Severity::must, "field 3 'ik'"));

  OmemoAuthenticatedMessage short_mac = a;
  short_mac.mac.resize(15);
  CHECK(has(
      parse_omemo_authenticated_message(serialize_omemo_authenticated_message(short_mac)).findings,
      "R-OM2-015", Severity::must, "'mac' at byte 0 is 15 byte(s) long, expected 16"));
  OmemoAuthenticatedMessage odd = a;
  odd.message.ciphertext = filled(50, 1);
  CHECK(has(parse_omemo_authenticated_message(serialize_omemo_authenticated_message(odd)).findings,
            "R-OM2-013", Severity::must, "embedded OMEMOMessage: ciphertext"));
  OmemoAuthenticatedMessage empty = a;
  empty.message.ciphertext.reset();
  auto empty_parsed =
      parse_omemo_authenticated_message(serialize_omemo_authenticated_message(empty));
  CHECK(has(empty_parsed.findings, "R-OM2-035", Severity::must, "no ciphertext"));

  // R-OM2-014: a non-canonical inner message is accepted and its exact bytes are kept.
  pb::Writer inner;
  inner.varint_field(2, a.message.pn);
  inner.varint_field(1, a.message.n);
  inner.bytes_field(3, a.message.dh_pub);
  inner.bytes_field(4, *a.message.ciphertext);
  OmemoAuthenticatedMessage noncanonical = a;
  noncanonical.message_bytes = inner.bytes();
  Bytes noncanonical_wire = serialize_omemo_authenticated_message(noncanonical);
  auto nc = parse_omemo_authenticated_message(noncanonical_wire);
  INFO(dump(nc.findings));
  REQUIRE(nc.value);
  CHECK(nc.value->message_bytes == inner.bytes());
  CHECK(nc.value->message == a.message);
  CHECK(has(nc.findings, "R-OM2-014", Severity::note, "not in ascending order"));
  CHECK_FALSE(contains_must(nc.findings));
  CHECK(serialize_omemo_authenticated_message(*nc.value) == noncanonical_wire);
}
