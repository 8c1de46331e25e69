// Generates vectors/primitives/curvesig.vec with libsignal-protocol-c itself as the signer and
// verifier, so that the harness's own curvesig code (oi::crypto) is checked against the library
// that defines the format (spec §2.2, A-11).
//
// Inputs:  none but the fixed labels below (private keys, messages and the 64 bytes of signing
//          randomness are SHA-256/SHA-512 of labels; no RNG). libsignal-protocol-c's
//          curve_calculate_signature draws its randomness from the crypto provider's
//          random_func, which this program feeds from a queue.
// Output:  the .vec text on stdout.
// Rerun:   cmake --build <build dir> --target gen_curvesig
//          <build dir>/vectors/tools/gen_curvesig > vectors/primitives/curvesig.vec
//
// Every record's Result is what libsignal's curve_verify_signature says, except S+L
// (malleated S), which libsignal accepts (it only checks the top three bits of S) while strict
// Ed25519 verifiers reject: those are "acceptable" with a Policy. The program aborts if a
// negative it built is accepted by libsignal or a positive is rejected.
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal/curve.h>
#include <signal/signal_protocol.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

std::deque<std::uint8_t> g_random_queue;

int queued_random(std::uint8_t* data, std::size_t len, void*) {
  if (g_random_queue.size() < len) {
    std::fprintf(stderr, "random queue underflow\n");
    std::abort();
  }
  for (std::size_t i = 0; i < len; ++i) {
    data[i] = g_random_queue.front();
    g_random_queue.pop_front();
  }
  return 0;
}

// The provider callbacks libsignal may need besides random_func: SHA-512 through OpenSSL; the
// others are never reached by signing and verifying and fail if they are.
int sha512_init(void** context, void*) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) != 1) return -1;
  *context = ctx;
  return 0;
}
int sha512_update(void* context, const std::uint8_t* data, std::size_t len, void*) {
  return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context), data, len) == 1 ? 0 : -1;
}
int sha512_final(void* context, signal_buffer** output, void*) {
  std::uint8_t digest[64];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context), digest, &len) != 1) return -1;
  *output = signal_buffer_create(digest, len);
  return *output == nullptr ? -1 : 0;
}
void sha512_cleanup(void* context, void*) {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context));
}
int hmac_init_unused(void**, const std::uint8_t*, std::size_t, void*) {
  return -1;
}
int hmac_update_unused(void*, const std::uint8_t*, std::size_t, void*) {
  return -1;
}
int hmac_final_unused(void*, signal_buffer**, void*) {
  return -1;
}
void hmac_cleanup_unused(void*, void*) {}
int cipher_unused(signal_buffer**, int, const std::uint8_t*, std::size_t, const std::uint8_t*,
                  std::size_t, const std::uint8_t*, std::size_t, void*) {
  return -1;
}

Bytes label_bytes(const std::string& label, std::size_t length) {
  Bytes out;
  for (int counter = 0; out.size() < length; ++counter) {
    std::string input = "omemo-interop vectors/" + label + "/" + std::to_string(counter);
    std::uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
    out.insert(out.end(), digest, digest + SHA256_DIGEST_LENGTH);
  }
  out.resize(length);
  return out;
}

std::string hex(const Bytes& data) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (i > 0 && i % 32 == 0) out += "\n    ";
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 15]);
  }
  return out;
}

void die(const char* what) {
  std::fprintf(stderr, "gen_curvesig: %s\n", what);
  std::exit(1);
}

signal_context* g_context = nullptr;

struct Key {
  Bytes priv;  // clamped scalar
  Bytes pub;   // u-coordinate (without the 0x05 prefix)
  ec_private_key* priv_key = nullptr;
  ec_public_key* pub_key = nullptr;
};

Key make_key(const std::string& label) {
  Key key;
  key.priv = label_bytes(label, 32);
  // libsignal's donna does not clamp at use, so hand it a clamped scalar (RFC 7748).
  key.priv[0] &= 248;
  key.priv[31] &= 127;
  key.priv[31] |= 64;
  if (curve_decode_private_point(&key.priv_key, key.priv.data(), 32, g_context) != 0) {
    die("curve_decode_private_point");
  }
  if (curve_generate_public_key(&key.pub_key, key.priv_key) != 0) die("curve_generate_public_key");
  signal_buffer* serialized = nullptr;
  if (ec_public_key_serialize(&serialized, key.pub_key) != 0) die("ec_public_key_serialize");
  const std::uint8_t* data = signal_buffer_data(serialized);
  if (signal_buffer_len(serialized) != 33 || data[0] != 0x05) die("unexpected public key form");
  key.pub.assign(data + 1, data + 33);
  signal_buffer_free(serialized);
  return key;
}

Bytes sign(const Key& key, const Bytes& msg, const Bytes& random) {
  g_random_queue.assign(random.begin(), random.end());
  signal_buffer* signature = nullptr;
  if (curve_calculate_signature(g_context, &signature, key.priv_key, msg.data(), msg.size()) != 0) {
    die("curve_calculate_signature");
  }
  if (!g_random_queue.empty()) die("libsignal did not draw exactly 64 random bytes");
  Bytes out(signal_buffer_data(signature),
            signal_buffer_data(signature) + signal_buffer_len(signature));
  signal_buffer_free(signature);
  if (out.size() != 64) die("signature is not 64 bytes");
  return out;
}

bool libsignal_verify(const Key& key, const Bytes& msg, const Bytes& sig) {
  int result = curve_verify_signature(key.pub_key, msg.data(), msg.size(), sig.data(), sig.size());
  if (result < 0) die("curve_verify_signature failed");
  return result == 1;
}

// S + L on the 255-bit S with the sign bit (bit 255) kept aside; empty when the sum would
// reach bit 253 (libsignal rejects those through its top-bits check, so they are not
// "malleated but accepted").
Bytes add_group_order(const Bytes& sig) {
  static const std::array<std::uint8_t, 32> kOrder = {
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
      0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
  Bytes out = sig;
  const std::uint8_t sign = sig[63] & 0x80;
  out[63] &= 0x7f;
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    unsigned sum = out[32 + i] + kOrder[i] + carry;
    out[32 + i] = static_cast<std::uint8_t>(sum);
    carry = sum >> 8;
  }
  if (carry != 0 || (out[63] & 0xe0) != 0) return {};
  out[63] |= sign;
  return out;
}

struct Writer {
  int next_id = 1;
  void group(const std::string& name, const std::string& comment) {
    std::printf("\n# %s\n[%s]\n\n", comment.c_str(), name.c_str());
  }
  void record(const std::string& result, const std::string& comment, const std::string& flags,
              const std::string& policy, const Key* priv, const Key& pub, const Bytes& msg,
              const Bytes* random, const Bytes& sig) {
    std::printf("Id = %d\nResult = %s\n", next_id++, result.c_str());
    if (!flags.empty()) std::printf("Flags = %s\n", flags.c_str());
    if (!comment.empty()) std::printf("Comment = \"%s\"\n", comment.c_str());
    if (!policy.empty()) std::printf("Policy = \"%s\"\n", policy.c_str());
    if (priv != nullptr) std::printf("CurvePriv = %s\n", hex(priv->priv).c_str());
    std::printf("CurvePub = %s\n", hex(pub.pub).c_str());
    std::printf("Msg = %s\n", hex(msg).c_str());
    if (random != nullptr) std::printf("Random = %s\n", hex(*random).c_str());
    std::printf("Sig = %s\n\n", hex(sig).c_str());
  }
};

}  // namespace

int main() {
  if (signal_context_create(&g_context, nullptr) != 0) die("signal_context_create");
  signal_crypto_provider provider{};
  provider.random_func = queued_random;
  provider.hmac_sha256_init_func = hmac_init_unused;
  provider.hmac_sha256_update_func = hmac_update_unused;
  provider.hmac_sha256_final_func = hmac_final_unused;
  provider.hmac_sha256_cleanup_func = hmac_cleanup_unused;
  provider.sha512_digest_init_func = sha512_init;
  provider.sha512_digest_update_func = sha512_update;
  provider.sha512_digest_final_func = sha512_final;
  provider.sha512_digest_cleanup_func = sha512_cleanup;
  provider.encrypt_func = cipher_unused;
  provider.decrypt_func = cipher_unused;
  if (signal_context_set_crypto_provider(g_context, &provider) != 0) die("set_crypto_provider");

  std::printf(
      "#! format: omemo-vec/1\n"
      "#! title: libsignal curve25519 signatures (\"curvesig\", sign bit in sig[63] & 0x80)\n"
      "#! spec: libsignal-protocol-c curve.c curve_calculate_signature / curve_verify_signature; "
      "requirements.md §2.2, A-11\n"
      "#! source: generated with libsignal-protocol-c %s (Debian 12 package)\n"
      "#! license: GPL-3.0-or-later (this repository; values computed by libsignal-protocol-c "
      "from our own inputs)\n"
      "#! generator: vectors/tools/gen_curvesig.cpp (libsignal-protocol-c signs; its "
      "curve_verify_signature decides each Result)\n"
      "#! cross-checked: libsignal-protocol-c (generator) vs harness C++ oi::crypto curvesig_sign "
      "/ curvesig_verify (tests/unit/vec_files_test.cpp)\n"
      "#! requirements: R-LEG-012, A-11\n"
      "#! check: curvesig\n"
      "#! fields: CurvePriv:hex CurvePub:hex Msg:hex Random:hex Sig:hex Id:int Result:enum "
      "Flags:list Comment:str Policy:str Upstream:str\n"
      "# CurvePriv is a clamped Curve25519 scalar, CurvePub its u-coordinate (no 0x05 prefix).\n"
      "# Random is the 64 bytes libsignal's signing drew from its random_func. Msg of 33 bytes is\n"
      "# a serialized legacy SPK (0x05 || u), the input of a bundle's signedPreKeySignature.\n",
      "2.3.3");

  Writer out;
  std::vector<Key> keys;
  for (int i = 0; i < 16; ++i) keys.push_back(make_key("curvesig/priv/" + std::to_string(i)));

  struct Signed {
    const Key* key;
    Bytes msg;
    Bytes sig;
  };
  std::vector<Signed> by_sign[2];
  for (int bit = 0; bit < 2; ++bit) {
    out.group("curve25519_sign, sign bit " + std::to_string(bit),
              "valid: signatures made by libsignal-protocol-c whose sig[63] & 0x80 is " +
                  std::to_string(bit));
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const Key& key = keys[i];
      const Key& other = keys[(i + 1) % keys.size()];
      Bytes msg;
      if (i % 2 == 0) {
        msg.push_back(0x05);
        msg.insert(msg.end(), other.pub.begin(), other.pub.end());
      } else {
        msg = label_bytes("curvesig/msg/" + std::to_string(i), (i * 13) % 71);
      }
      Bytes random = label_bytes("curvesig/random/" + std::to_string(i), 64);
      Bytes sig = sign(key, msg, random);
      if ((sig[63] >> 7) != bit) continue;
      if (!libsignal_verify(key, msg, sig)) die("libsignal rejects its own signature");
      out.record("valid", msg.size() == 33 ? "signature over a serialized SPK" : "", "", "", &key,
                 key, msg, &random, sig);
      by_sign[bit].push_back({&key, msg, sig});
    }
    if (by_sign[bit].size() < 3) die("too few signatures with this sign bit");
  }

  out.group("negatives", "invalid: libsignal-protocol-c's curve_verify_signature rejects each");
  for (int bit = 0; bit < 2; ++bit) {
    for (std::size_t n = 0; n < 3; ++n) {
      const Signed& s = by_sign[bit][n];
      const Key& wrong = s.key == &keys[0] ? keys[1] : keys[0];
      Bytes flipped = s.sig;
      flipped[63] ^= 0x80;
      Bytes changed = s.msg;
      if (changed.empty()) {
        changed.push_back(0);
      } else {
        changed[0] ^= 0x01;
      }
      Bytes top_bit_6 = s.sig;
      top_bit_6[63] |= 0x40;
      Bytes top_bit_5 = s.sig;
      top_bit_5[63] |= 0x20;
      Bytes r_changed = s.sig;
      r_changed[0] ^= 0x01;
      struct Case {
        const char* comment;
        const char* flags;
        const Key& key;
        const Bytes& msg;
        const Bytes& sig;
      } cases[] = {
          {"sign bit in sig[63] flipped", "SignBitFlipped", *s.key, s.msg, flipped},
          {"verified with another key", "WrongKey", wrong, s.msg, s.sig},
          {"message changed", "ModifiedMessage", *s.key, changed, s.sig},
          {"bit 254 of S set (top bits of S)", "InvalidS", *s.key, s.msg, top_bit_6},
          {"bit 253 of S set (top bits of S)", "InvalidS", *s.key, s.msg, top_bit_5},
          {"R changed", "ModifiedR", *s.key, s.msg, r_changed},
      };
      for (const Case& c : cases) {
        if (libsignal_verify(c.key, c.msg, c.sig)) die(c.comment);
        out.record("invalid", c.comment, c.flags, "", nullptr, c.key, c.msg, nullptr, c.sig);
      }
    }
  }

  out.group("malleated S",
            "acceptable: S + L, which libsignal accepts and strict verifiers reject");
  int malleated = 0;
  for (int bit = 0; bit < 2; ++bit) {
    for (const Signed& s : by_sign[bit]) {
      Bytes plus_l = add_group_order(s.sig);
      if (plus_l.empty()) continue;
      if (!libsignal_verify(*s.key, s.msg, plus_l)) die("libsignal rejects S + L");
      out.record("acceptable", "S replaced by S + L (non-canonical, below 2^253)",
                 "SignatureMalleability",
                 "libsignal-protocol-c accepts (it checks only the top three bits of S); "
                 "libsodium-style strict Ed25519 verification rejects S >= L",
                 nullptr, *s.key, s.msg, nullptr, plus_l);
      ++malleated;
    }
  }
  if (malleated == 0) die("no malleable signature found");
  signal_context_destroy(g_context);
  return 0;
}
