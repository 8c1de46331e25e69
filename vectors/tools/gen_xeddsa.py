#!/usr/bin/python3
"""Generates the Ed25519<->Curve25519 conversion and XEdDSA vectors.

Inputs:  none but fixed labels (keys, messages and nonces are SHA-256 of labels; no RNG), and
         one public KAT: libsignal-protocol-c's internal_fast_tests.c XEdDSA test (private key
         0...0 with byte 8 = 0xbd, clamped; 200 zero bytes; Z = 64 zero bytes).
Outputs: vectors/primitives/ed25519_x25519_conversion.vec and vectors/primitives/xeddsa.vec,
         overwritten.
Rerun:   /usr/bin/python3 vectors/tools/gen_xeddsa.py
         (Debian 12's /usr/bin/python3 with python3-xeddsa, python3-nacl.)

Generators and cross-checks (the script stops on any disagreement; the harness's C++ then
checks the files in tests/unit/vec_files_test.cpp):
  - python3-xeddsa (libxeddsa): key conversions, signing, verification;
  - libsignal-protocol-c's exported xed25519_sign (Debian package, called through ctypes);
  - a from-the-spec pure-Python Ed25519/XEdDSA below (RFC 8032 arithmetic, the Signal XEdDSA
    spec's calculate_key_pair / xeddsa_sign / xeddsa_verify, the RFC 7748 §4.1 map);
  - python3-nacl (libsodium) where it has the operation.

Finding: libxeddsa's ed25519_priv_sign(priv, msg, nonce) equals XEdDSA with Z = nonce only when
priv's Ed25519 key a*B has sign bit 0. Otherwise it signs under the sign-1 key (no negation),
which no XEdDSA verifier accepts; XEdDSA is ed25519_priv_sign(priv_force_sign(priv, False), msg,
Z). With that, libxeddsa, libsignal's xed25519_sign and the pure-Python code agree on every
record (and on libsignal's public KAT 11c7f3e6...d0b97702). The "without priv_force_sign" group
keeps the pitfall as negative vectors.
"""

import ctypes
import hashlib
import os
import sys

import nacl
import nacl.bindings
import xeddsa

sys.dont_write_bytecode = True  # keep vectors/tools free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecwriter import VecFile  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(REPO, "vectors", "primitives")
XEDDSA = f"python3-xeddsa {xeddsa.__version__['short']} (libxeddsa)"
NACL = f"python3-nacl {nacl.__version__} (libsodium)"
PURE = "pure-Python RFC 8032/XEdDSA reference in vectors/tools/gen_xeddsa.py"
LIBSIGNAL = "libsignal-protocol-c 2.3.3 xed25519_sign (via ctypes)"
_libsignal = ctypes.CDLL("libsignal-protocol-c.so.2.3.3")


def libsignal_xed25519_sign(priv, msg, z):
    out = ctypes.create_string_buffer(64)
    if _libsignal.xed25519_sign(out, priv, msg, ctypes.c_ulong(len(msg)), z) != 0:
        raise SystemExit("xed25519_sign failed")
    return out.raw


CPP = "harness C++ oi::crypto (tests/unit/vec_files_test.cpp)"
COMMON = [("Id", "int"), ("Result", "enum"), ("Flags", "list"), ("Comment", "str"), ("Policy", "str"),
          ("Upstream", "str")]

# ---------------------------------------------------------------- reference arithmetic

P = 2 ** 255 - 19
Q = 2 ** 252 + 27742317777372353535851937790883648493  # group order L
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def inv(x):
    return pow(x, P - 2, P)


def point_add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = 2 * t1 * t2 * D % P
    dd = 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def point_mul(s, pt):
    acc = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            acc = point_add(acc, pt)
        pt = point_add(pt, pt)
        s >>= 1
    return acc


def recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * inv(D * y * y + 1) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


GY = 4 * inv(5) % P
BASE = (recover_x(GY, 0), GY, 1, recover_x(GY, 0) * GY % P)


def encode(pt):
    x, y, z, _ = pt
    zi = inv(z)
    x, y = x * zi % P, y * zi % P
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def decode(data):
    value = int.from_bytes(data, "little")
    y, sign = value & ((1 << 255) - 1), value >> 255
    x = recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


def has_small_order(data):
    pt = decode(data)
    return pt is not None and encode(point_mul(8, pt)) == encode((0, 1, 1, 0))


def ed_to_mont(ed):
    y = int.from_bytes(ed, "little") & ((1 << 255) - 1)
    return int.to_bytes((1 + y) * inv(1 - y) % P, 32, "little")


def mont_to_ed(u_bytes, sign):
    u = int.from_bytes(u_bytes, "little") & ((1 << 255) - 1)
    y = (u - 1) * inv(u + 1) % P
    return int.to_bytes(y | (sign << 255), 32, "little")


def clamp(k):
    k = bytearray(k)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    return bytes(k)


def x25519_base(k):
    return nacl.bindings.crypto_scalarmult_base(k)


def sha512_int(data):
    return int.from_bytes(hashlib.sha512(data).digest(), "little")


def calculate_key_pair(k):
    """XEdDSA calculate_key_pair: A with sign bit 0, and the encoding of the scalar a.

    The spec says a = k (mod q) or -k (mod q). libsignal-protocol-c's xed25519_sign (the
    reference implementation) hashes the clamped k unreduced when no negation is needed
    (k >= 2^254 > q), and -k mod q otherwise; only the nonce r depends on it. We follow
    libsignal so that fixed-Z signatures agree byte for byte with deployed code."""
    k_int = int.from_bytes(k, "little")
    e = encode(point_mul(k_int % Q, BASE))
    if e[31] & 0x80:
        return bytes(e[:31]) + bytes([e[31] & 0x7F]), ((Q - k_int) % Q).to_bytes(32, "little")
    return e, bytes(k)


def xeddsa_sign(k, msg, z):
    a_pub, a_enc = calculate_key_pair(k)
    a = int.from_bytes(a_enc, "little") % Q
    prefix = b"\xfe" + b"\xff" * 31
    r = sha512_int(prefix + a_enc + msg + z) % Q
    r_enc = encode(point_mul(r, BASE))
    h = sha512_int(r_enc + a_pub + msg) % Q
    s = (r + h * a) % Q
    return r_enc + int.to_bytes(s, 32, "little")


def xeddsa_verify_spec(u_bytes, msg, sig):
    """The XEdDSA spec's verify: rejects u >= p and s >= 2^253; does not ask s < L. (Its
    "R.y >= 2^255" test cannot fire on a 255-bit y; R's sign bit is part of the encoding.)"""
    u = int.from_bytes(u_bytes, "little")
    if u >= P or len(sig) != 64:
        return False
    r_enc, s = sig[:32], int.from_bytes(sig[32:], "little")
    if s >> 253:
        return False
    a_pub = mont_to_ed(u_bytes, 0)
    a_pt = decode(a_pub)
    if a_pt is None:
        return False
    h = sha512_int(r_enc + a_pub + msg) % Q
    neg_a = (P - a_pt[0], a_pt[1], 1, (P - a_pt[0]) * a_pt[1] % P)
    check = point_add(point_mul(s, BASE), point_mul(h, neg_a))
    return encode(check) == r_enc


def same(label, *values):
    first = values[0]
    for other in values[1:]:
        if other != first:
            raise SystemExit(f"{label}: implementations disagree: " + " / ".join(
                v.hex() if isinstance(v, bytes) else repr(v) for v in values))
    return first


def label_bytes(label, length):
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(f"omemo-interop vectors/{label}/{counter}".encode()).digest()
        counter += 1
    return out[:length]


def counted(vec):
    counts = {}
    for group in vec.groups:
        for record in group[3]:
            result = dict(record)["Result"][1]
            counts[result] = counts.get(result, 0) + 1
    return counts


VALID = ("enum", "valid")
INVALID = ("enum", "invalid")
ACCEPTABLE = ("enum", "acceptable")

# ---------------------------------------------------------------- conversion


def make_conversion():
    vec = VecFile("Ed25519 <-> Curve25519 key conversion (RFC 7748 §4.1 birational map)",
                  "ed25519-x25519-conversion",
                  [("Op", "enum(ed-pub-to-curve|curve-pub-to-ed|seed-to-curve-priv|curve-priv-to-ed-pub)"),
                   ("EdPub", "hex"), ("CurvePub", "hex"), ("SignBit", "int"), ("Seed", "hex"),
                   ("CurvePriv", "hex")] + COMMON,
                  ["R-OM2-003", "R-OM2-057", "A-11"])
    vec.header("spec", "RFC 7748 §4.1; XEP-0384 0.9.1 §4.2 (identity key conversion); libsignal curvesig (sign bit)")
    vec.header("source", "generated from fixed labels (no upstream data)")
    vec.header("license", "GPL-3.0-or-later (this repository)")
    vec.header("generator", f"vectors/tools/gen_xeddsa.py with {XEDDSA}")
    vec.header("cross-checked", f"{XEDDSA}; {PURE}; {NACL} (all but curve-pub-to-ed, which libsodium "
                                f"lacks); {CPP}")
    vec.comment("Keys: CurvePriv is a clamped scalar, CurvePub a u-coordinate, EdPub an RFC 8032 encoding.")

    seeds = [label_bytes(f"conv/seed/{i}", 32) for i in range(12)]

    vec.group("ed25519 public -> curve25519 public", fields=[("Op", ("enum", "ed-pub-to-curve"))],
              comments=["OMEMO 2 identity keys travel as Ed25519; X3DH needs the Montgomery form."])
    signs = set()
    for i, seed in enumerate(seeds):
        ed = same("seed->ed", xeddsa.seed_to_ed25519_pub(seed), nacl.bindings.crypto_sign_seed_keypair(seed)[0],
                  encode(point_mul(sha512_int_clamped(seed), BASE)))
        curve = same("ed->curve", xeddsa.ed25519_pub_to_curve25519_pub(ed),
                     nacl.bindings.crypto_sign_ed25519_pk_to_curve25519(ed), ed_to_mont(ed))
        signs.add(ed[31] >> 7)
        vec.record([("Result", VALID), ("Comment", f"Ed25519 sign bit {ed[31] >> 7}"), ("EdPub", ed),
                    ("CurvePub", curve)])
    assert signs == {0, 1}, "want Ed25519 keys with both sign bits"
    # Small-order and non-decodable encodings: a receiver must refuse to convert them.
    bad = [
        ("identity point (y = 1), small order", (1).to_bytes(32, "little")),
        ("point of order 2 (y = -1)", (P - 1).to_bytes(32, "little")),
        ("point of order 4 (y = 0, sign 0)", bytes(32)),
        ("point of order 4 (y = 0, sign 1)", bytes(31) + b"\x80"),
        ("identity with sign bit 1 (no such point)", (1 | (1 << 255)).to_bytes(32, "little")),
    ]
    y = 2
    while decode(y.to_bytes(32, "little")) is not None:
        y += 1
    bad.append((f"y = {y}: not on the curve", y.to_bytes(32, "little")))
    for comment, ed in bad:
        assert decode(ed) is None or has_small_order(ed), comment
        try:
            nacl.bindings.crypto_sign_ed25519_pk_to_curve25519(ed)
            raise SystemExit(f"libsodium converts {comment}")
        except nacl.exceptions.RuntimeError:
            pass
        except nacl.exceptions.CryptoError:
            pass
        vec.record([("Result", INVALID), ("Flags", ("list", ["SmallOrder" if decode(ed) else "InvalidEncoding"])),
                    ("Comment", comment), ("EdPub", ed), ("CurvePub", bytes(32))])

    vec.group("curve25519 public -> ed25519 public", fields=[("Op", ("enum", "curve-pub-to-ed"))],
              comments=["Legacy identity keys are Curve25519; the Ed25519 sign bit is chosen explicitly."])
    for i in range(8):
        priv = clamp(label_bytes(f"conv/curve-priv/{i}", 32))
        pub = same("priv->curve pub", xeddsa.priv_to_curve25519_pub(priv), x25519_base(priv))
        for bit in (0, 1):
            ed = same("curve->ed", xeddsa.curve25519_pub_to_ed25519_pub(pub, bool(bit)), mont_to_ed(pub, bit))
            assert decode(ed) is not None
            vec.record([("Result", VALID), ("Comment", f"sign bit {bit}"), ("CurvePub", pub), ("SignBit", bit),
                        ("EdPub", ed)])
    minus_one = (P - 1).to_bytes(32, "little")
    for bit in (0, 1):
        vec.record([("Result", INVALID), ("Comment", "u = -1: (u - 1) / (u + 1) is undefined, no Ed25519 point"),
                    ("CurvePub", minus_one), ("SignBit", bit), ("EdPub", bytes(32))])

    vec.group("ed25519 seed -> curve25519 private", fields=[("Op", ("enum", "seed-to-curve-priv"))],
              comments=["The clamped first half of SHA-512(seed) (RFC 8032 §5.1.5)."])
    for i, seed in enumerate(seeds[:8]):
        ed = xeddsa.seed_to_ed25519_pub(seed)
        priv = same("seed->priv", xeddsa.seed_to_priv(seed),
                    nacl.bindings.crypto_sign_ed25519_sk_to_curve25519(seed + ed),
                    clamp(hashlib.sha512(seed).digest()[:32]))
        same("seed->priv->curve pub", x25519_base(priv), ed_to_mont(ed))
        vec.record([("Result", VALID), ("Seed", seed), ("CurvePriv", priv)])

    vec.group("curve25519 private -> ed25519 public", fields=[("Op", ("enum", "curve-priv-to-ed-pub"))],
              comments=["A = a*B with its true sign bit (what libsignal's curvesig carries in sig[63])."])
    signs = set()
    for i in range(10):
        priv = clamp(label_bytes(f"conv/priv-to-ed/{i}", 32))
        ed = same("priv->ed", nacl.bindings.crypto_scalarmult_ed25519_base_noclamp(priv),
                  encode(point_mul(int.from_bytes(priv, "little"), BASE)), xeddsa.priv_to_ed25519_pub(priv))
        signs.add(ed[31] >> 7)
        vec.record([("Result", VALID), ("Comment", f"sign bit {ed[31] >> 7}"), ("CurvePriv", priv), ("EdPub", ed)])
    assert signs == {0, 1}
    return vec


def sha512_int_clamped(seed):
    return int.from_bytes(clamp(hashlib.sha512(seed).digest()[:32]), "little")


# ---------------------------------------------------------------- XEdDSA

KAT_PRIV = clamp(bytes(8) + b"\xbd" + bytes(23))
KAT_SIG = bytes.fromhex("11c7f3e6c4df9e8a5150e1db3b30f92de3a3b3aa438656545fa7390f4bcc7bb2"
                        "6c431d9e90643e4f0eaa0e9c557766fa69ada576d63dcaf2ac326c11d0b97702")


def libxeddsa_sign(priv, msg, z):
    return xeddsa.ed25519_priv_sign(xeddsa.priv_force_sign(priv, False), msg, z)


def libxeddsa_verify(pub, msg, sig):
    return xeddsa.ed25519_verify(sig, xeddsa.curve25519_pub_to_ed25519_pub(pub, False), msg)


def make_xeddsa():
    vec = VecFile("XEdDSA (XEd25519) with fixed Z", "xeddsa",
                  [("CurvePriv", "hex"), ("CurvePub", "hex"), ("Msg", "hex"), ("Z", "hex"), ("Sig", "hex")] + COMMON,
                  ["R-LEG-012", "A-11"])
    vec.header("spec", "Signal XEdDSA and VXEdDSA specification rev. 1 (2016), §2-3 (XEd25519)")
    vec.header("source", "libsignal-protocol-c src/curve25519/ed25519/tests/internal_fast_tests.c (one KAT, Upstream names it)")
    vec.header("source", "generated from fixed labels (all other records)")
    vec.header("license", "GPL-3.0-or-later (this repository; the KAT's inputs and output come from GPL-3.0 libsignal-protocol-c)")
    vec.header("generator", f"vectors/tools/gen_xeddsa.py with {XEDDSA}: "
                            "ed25519_priv_sign(priv_force_sign(priv, False), Msg, Z)")
    vec.header("cross-checked", f"signing: {XEDDSA} = {LIBSIGNAL} = {PURE}; verification: {XEDDSA} "
                                f"ed25519_verify and the spec-literal verifier of {PURE}; {CPP}")
    vec.comment("Fixed-Z signing follows libsignal-protocol-c's xed25519_sign and libxeddsa: when kB has")
    vec.comment("sign bit 0 the nonce hashes the clamped k unreduced; the spec's 'a = k (mod q)' would")
    vec.comment("change only the nonce (an equally valid signature). Where kB has sign bit 1 all agree.")
    vec.comment("Results: valid = libxeddsa and the spec-literal verifier both accept; invalid = both reject;")
    vec.comment("acceptable = they disagree (the spec checks only s < 2^253, strict verifiers want s < L).")

    vec.group("libsignal KAT")
    msg, z = bytes(200), bytes(64)
    pub = x25519_base(KAT_PRIV)
    same("KAT", KAT_SIG, libxeddsa_sign(KAT_PRIV, msg, z), libsignal_xed25519_sign(KAT_PRIV, msg, z),
         xeddsa_sign(KAT_PRIV, msg, z))
    assert xeddsa.ed25519_priv_sign(KAT_PRIV, msg, z) != KAT_SIG  # see the finding above
    vec.record([("Upstream", "libsignal-protocol-c internal_fast_tests.c XEdDSA KAT"), ("Result", VALID),
                ("CurvePriv", KAT_PRIV), ("CurvePub", pub), ("Msg", msg), ("Z", z), ("Sig", KAT_SIG)])

    signed = []
    sign_groups = {0: [], 1: []}
    for i in range(12):
        priv = clamp(label_bytes(f"xeddsa/priv/{i}", 32))
        pub = same("priv->pub", x25519_base(priv), xeddsa.priv_to_curve25519_pub(priv))
        true_sign = nacl.bindings.crypto_scalarmult_ed25519_base_noclamp(priv)[31] >> 7
        if i % 3 == 0:
            msg = b"\x05" + x25519_base(clamp(label_bytes(f"xeddsa/spk/{i}", 32)))
        elif i % 3 == 1:
            msg = x25519_base(clamp(label_bytes(f"xeddsa/spk/{i}", 32)))
        else:
            msg = label_bytes(f"xeddsa/msg/{i}", 7 * i)
        z = label_bytes(f"xeddsa/z/{i}", 64)
        sig = same("sign", libxeddsa_sign(priv, msg, z), libsignal_xed25519_sign(priv, msg, z),
                   xeddsa_sign(priv, msg, z))
        assert libxeddsa_verify(pub, msg, sig) and xeddsa_verify_spec(pub, msg, sig)
        sign_groups[true_sign].append((priv, pub, msg, z, sig))
    assert sign_groups[0] and sign_groups[1]
    for bit in (0, 1):
        vec.group(f"sign, key with Ed25519 sign bit {bit}", comments=[
            "XEdDSA negates the scalar when a*B has sign bit 1, so the signature always verifies under",
            "the sign-0 Ed25519 key. Msg: 33-byte legacy SPK, 32-byte raw SPK, or other lengths."])
        for priv, pub, msg, z, sig in sign_groups[bit]:
            kind = {33: "serialized legacy SPK", 32: "raw 32-byte SPK"}.get(len(msg), f"{len(msg)}-byte message")
            vec.record([("Result", VALID), ("Comment", kind), ("CurvePriv", priv), ("CurvePub", pub), ("Msg", msg),
                        ("Z", z), ("Sig", sig)])
            signed.append((priv, pub, msg, z, sig))

    vec.group("ed25519_priv_sign without priv_force_sign", comments=[
        "libxeddsa's ed25519_priv_sign on a key whose a*B has sign bit 1, without priv_force_sign:",
        "a valid Ed25519 signature under the sign-1 key, but not an XEdDSA signature."])
    made = 0
    for i in range(32):
        priv = clamp(label_bytes(f"xeddsa/no-force-sign/{i}", 32))
        if not xeddsa.priv_to_ed25519_pub(priv)[31] & 0x80:
            continue
        pub = x25519_base(priv)
        msg = label_bytes(f"xeddsa/no-force-sign-msg/{i}", 33)
        sig = xeddsa.ed25519_priv_sign(priv, msg, label_bytes(f"xeddsa/no-force-sign-z/{i}", 64))
        assert xeddsa.ed25519_verify(sig, xeddsa.priv_to_ed25519_pub(priv), msg)
        assert not libxeddsa_verify(pub, msg, sig) and not xeddsa_verify_spec(pub, msg, sig)
        vec.record([("Result", INVALID), ("Flags", ("list", ["WrongSignBit"])),
                    ("Comment", "Ed25519 signature under the sign-1 key"), ("CurvePub", pub), ("Msg", msg),
                    ("Sig", sig)])
        made += 1
        if made == 4:
            break

    vec.group("verify negatives")
    for n, (priv, pub, msg, z, sig) in enumerate(signed[:6]):
        other_pub = signed[(n + 1) % len(signed)][1]
        changed = (bytes([msg[0] ^ 1]) + msg[1:]) if msg else b"\x00"
        s_int = int.from_bytes(sig[32:], "little")
        cases = [
            ("message changed", ["ModifiedMessage"], pub, changed, sig),
            ("another key", ["WrongKey"], other_pub, msg, sig),
            ("top bit of S set (curvesig-style sign bit 1)", ["InvalidS"], pub, msg, sig[:63] + bytes([sig[63] | 0x80])),
            ("bit 253 of S set", ["InvalidS"], pub, msg, sig[:63] + bytes([sig[63] | 0x20])),
            ("R changed", ["ModifiedR"], pub, msg, bytes([sig[0] ^ 1]) + sig[1:]),
            ("signature truncated to 63 bytes", ["TruncatedSignature"], pub, msg, sig[:63]),
        ]
        if s_int + Q < 2 ** 253:
            cases.append(("S replaced by S + L (below 2^253)", ["SignatureMalleability"], pub, msg,
                          sig[:32] + (s_int + Q).to_bytes(32, "little")))
        for comment, flags, key, m, s in cases:
            by_lib = len(s) == 64 and libxeddsa_verify(key, m, s)
            by_spec = xeddsa_verify_spec(key, m, s)
            fields = [("Flags", ("list", flags)), ("Comment", comment), ("CurvePub", key), ("Msg", m), ("Sig", s)]
            if by_lib == by_spec:
                assert not by_lib, comment
                vec.record([("Result", INVALID)] + fields)
            else:
                policy = (f"XEdDSA spec verify (checks s < 2^253 only) {'accepts' if by_spec else 'rejects'}; "
                          f"libxeddsa {'accepts' if by_lib else 'rejects'}")
                vec.record([("Result", ACCEPTABLE), ("Policy", policy)] + fields)
    return vec


def main():
    for name, make in (("ed25519_x25519_conversion", make_conversion), ("xeddsa", make_xeddsa)):
        vec = make()
        out = os.path.join(OUT_DIR, f"{name}.vec")
        vec.write(out)
        print(f"{os.path.relpath(out, REPO)}: {vec.count()} records {counted(vec)}")


if __name__ == "__main__":
    main()
