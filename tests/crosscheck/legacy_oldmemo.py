#!/usr/bin/python3
"""Cross-check of vectors/legacy/*.vec with python-oldmemo (Syndace; AGPL-3.0, run as a separate
tool, never linked) and the libraries under it: python-x3dh, python-doubleratchet,
python-xeddsa, plus python3-cryptography for AES-128-GCM and HKDF.

Every record is recomputed from its fixed inputs; library randomness (the X3DH base key, the
one-time prekey choice, ratchet keys) is replaced by the record's keys. Two documented shims make
python-doubleratchet speak libsignal's dialect where the two differ on purpose:
  * PN: libsignal sends previousCounter = max(Ns - 1, 0), python-doubleratchet the count Ns
    (vector-sources.md §0 item 4); the sending header is adjusted to libsignal's value.
  * The X3DH chain key CK0 (Bob's first sending chain on his SPK) has no python-x3dh equivalent
    (it derives 32 bytes, the root key); it is recomputed with HKDF from the DH outputs.
Bundles go through oldmemo.etree.parse_bundle, which moves the curvesig sign bit (R-LEG-012).

Usage: /usr/bin/python3 legacy_oldmemo.py VECTORS_DIR
Exit codes: 0 all agree, 1 a disagreement (printed), 77 the Debian packages are missing.
"""

import asyncio
import base64
import os
import secrets
import sys
import xml.etree.ElementTree as ET

try:
    import doubleratchet
    from doubleratchet.recommended import HashFunction, diffie_hellman_ratchet_curve25519
    import google.protobuf.message
    import oldmemo
    import oldmemo.etree
    from oldmemo import oldmemo as om
    from oldmemo.oldmemo_pb2 import OMEMOKeyExchange, OMEMOMessage
    import x3dh
    from x3dh.models import BaseStateModel, IdentityKeyPairModel, SignedPreKeyPairModel
    from x3dh.types import SecretType
    import xeddsa
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives import hashes
except ImportError as error:
    print(f"skipped: python3-oldmemo not installed ({error}); apt-get install python3-oldmemo "
          "python3-omemo python3-xmlschema")
    sys.exit(77)

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecread import Tally, VecFile  # noqa: E402

SHA256 = HashFunction.SHA_256
MAX_SKIP = 1000
NS = "eu.siacs.conversations.axolotl"

_queue = []


def _scripted_priv():
    if not _queue:
        raise RuntimeError("the library drew a ratchet key the record does not provide")
    return _queue.pop(0)


class LibsignalPnRatchet(diffie_hellman_ratchet_curve25519.DiffieHellmanRatchet):
    """python-doubleratchet's Curve25519 DH ratchet with scripted keys and libsignal's PN."""

    @staticmethod
    def _generate_priv():
        return _scripted_priv()

    async def next_encryption_key(self):
        key, header = await super().next_encryption_key()
        pn = max(header.previous_sending_chain_length - 1, 0)
        return key, doubleratchet.Header(header.ratchet_pub, pn, header.sending_chain_length)


_token = []
secrets.token_bytes = lambda n: _token.pop(0)
_choice = []
secrets.choice = lambda seq: _choice.pop(0)


def run(coroutine):
    return asyncio.get_event_loop().run_until_complete(coroutine)


def curve_pub(priv):
    return xeddsa.priv_to_curve25519_pub(priv)


def encode(priv):
    return b"\x05" + curve_pub(priv)


def hkdf(ikm, salt, info, length):
    return HKDF(hashes.SHA256(), length, salt, info).derive(ikm)


def make_state(identity_priv, spk_priv=None, spk_sig=None, pk_privs=()):
    model = BaseStateModel(
        identity_key=IdentityKeyPairModel(secret=identity_priv, secret_type=SecretType.PRIV),
        signed_pre_key=SignedPreKeyPairModel(priv=spk_priv or bytes(32), sig=spk_sig or bytes(64),
                                             timestamp=0),
        old_signed_pre_key=None,
        pre_keys=frozenset(pk_privs))
    return om.StateImpl.from_model(model, x3dh.IdentityKeyFormat.ED_25519, x3dh.HashFunction.SHA_256,
                                   om.StateImpl.INFO)


def bundle_xml(identity_pub33, spk_id, spk_pub33, sig, prekeys):
    """A legacy <bundle> as a peer publishes it, for oldmemo.etree.parse_bundle."""
    b64 = lambda data: base64.b64encode(data).decode()
    root = ET.Element(f"{{{NS}}}bundle")
    ET.SubElement(root, f"{{{NS}}}signedPreKeyPublic", signedPreKeyId=str(spk_id)).text = b64(spk_pub33)
    ET.SubElement(root, f"{{{NS}}}signedPreKeySignature").text = b64(sig)
    ET.SubElement(root, f"{{{NS}}}identityKey").text = b64(identity_pub33)
    keys = ET.SubElement(root, f"{{{NS}}}prekeys")
    for pk_id, pub33 in prekeys:
        ET.SubElement(keys, f"{{{NS}}}preKeyPublic", preKeyId=str(pk_id)).text = b64(pub33)
    return root


# ---- per-file checks ----

def check_chain_kdf(vec, t):
    for r in vec.records:
        out = run(om.MessageChainKDFImpl.derive(r["ChainKey"], om.DoubleRatchetImpl.MESSAGE_CHAIN_CONSTANT, 64))
        keys = run(om.AEADImpl._AEADImpl__derive(out[32:], SHA256, b"WhisperMessageKeys"))
        t.ok((out[32:], *keys, out[:32]) ==
             (r["MessageKey"], r["EncKey"], r["AuthKey"], r["IV"], r["NextChainKey"]),
             f"{vec.path}:{r['_line']}", "chain step differs")


def check_root_kdf(vec, t):
    for r in vec.records:
        dh = xeddsa.x25519(r["OwnPriv"], om.StateImpl.parse_public_key(r["PeerPub"]))
        out = run(om.RootChainKDFImpl.derive(r["RootKey"], dh, 64))
        t.ok((dh, out[:32], out[32:]) == (r["DhOut"], r["NewRootKey"], r["ChainKey"]),
             f"{vec.path}:{r['_line']}", "root step differs")


def check_x3dh(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        opk = r.get("B_PreKeyPriv")
        for name, priv in (("A_IdentityPub", r["A_IdentityPriv"]), ("A_BaseKeyPub", r["A_BaseKeyPriv"]),
                           ("B_IdentityPub", r["B_IdentityPriv"]), ("B_SignedPreKeyPub", r["B_SignedPreKeyPriv"])):
            t.ok(encode(priv) == r[name], where, name)
        # CK0: the second half of libsignal's 64-byte "WhisperText" HKDF, from the DH outputs.
        a_ik, ek, b_ik, spk = (r["A_IdentityPriv"], r["A_BaseKeyPriv"], r["B_IdentityPriv"],
                              r["B_SignedPreKeyPriv"])
        ikm = (b"\xff" * 32 + xeddsa.x25519(a_ik, curve_pub(spk)) + xeddsa.x25519(ek, curve_pub(b_ik))
               + xeddsa.x25519(ek, curve_pub(spk)) + (xeddsa.x25519(ek, curve_pub(opk)) if opk else b""))
        derived = hkdf(ikm, bytes(32), b"WhisperText", 64)
        t.ok(derived[32:] == r["ChainKey0"], where, "ChainKey0 (HKDF second half)")
        if r["Role"] == "initiator":
            state = make_state(a_ik)
            bundle = x3dh.Bundle(xeddsa.priv_to_ed25519_pub(b_ik), curve_pub(spk), bytes(64),
                                 frozenset({curve_pub(opk)}) if opk else frozenset())
            # The SPK signature is file 17's business; skip its check by signing here.
            bundle = x3dh.Bundle(bundle.identity_key, bundle.signed_pre_key,
                                 xeddsa.ed25519_priv_sign(b_ik, b"\x05" + curve_pub(spk), bytes(64)),
                                 bundle.pre_keys)
            _token.append(ek)
            if opk:
                _choice.append(curve_pub(opk))
            sk, ad, _ = run(state.get_shared_secret_active(bundle, require_pre_key=False))
            t.ok(sk == derived[:32], where, "python-x3dh SK differs from RootKey0 (initiator)")
            step = run(om.RootChainKDFImpl.derive(sk, xeddsa.x25519(r["A_RatchetPriv"], curve_pub(spk)), 64))
            t.ok((step[:32], step[32:]) == (r["RootKey1"], r["SendingChainKey1"]), where,
                 "RootKey1/SendingChainKey1")
        else:
            state = make_state(b_ik, spk, bytes(64), {opk} if opk else ())
            header = x3dh.Header(xeddsa.priv_to_ed25519_pub(a_ik), curve_pub(ek), curve_pub(spk),
                                 curve_pub(opk) if opk else None)
            sk, ad, _ = run(state.get_shared_secret_passive(header, require_pre_key=False))
            t.ok(sk == r["RootKey0"] == derived[:32], where, "RootKey0 (responder)")


class Party:
    def __init__(self, identity_priv, **kwargs):
        self.identity = identity_priv
        self.state = make_state(identity_priv, **kwargs)
        self.ratchet = None
        self.kex = None  # initiator: (x3dh header, spk id, pk id, registration id) until answered
        self.base_key = None  # responder: the base key of the session's exchange


def ad_of(sender, receiver):
    return encode(sender.identity) + encode(receiver.identity)


def open_payload(r, key_material):
    if "Payload" not in r:
        return True
    payload, iv = r["Payload"], r["IV"]
    if len(key_material) >= 32:
        key, tag, ct = key_material[:16], key_material[16:], payload
    elif len(key_material) == 16:  # the tag at the end of <payload>
        key, tag, ct = key_material, payload[-16:], payload[:-16]
    else:
        return False
    try:
        body = AESGCM(key).decrypt(iv, ct + tag, None) if len(iv) == 12 else \
            run(om.Oldmemo.decrypt_plaintext(None, om.ContentImpl(ct, iv), om.PlainKeyMaterialImpl(key, tag)))
    except Exception:
        return False
    return body == r["Body"]


def seal_payload(r):
    sealed = AESGCM(r["PayloadKey"]).encrypt(r["IV"], r["Body"], None) if len(r["IV"]) == 12 else None
    if sealed is None:  # 16-byte IV: cryptography's GCM mode object takes any IV length
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        enc = Cipher(algorithms.AES(r["PayloadKey"]), modes.GCM(r["IV"])).encryptor()
        sealed = enc.update(r["Body"]) + enc.finalize() + enc.tag
    ct, tag = sealed[:-16], sealed[-16:]
    if r.get("TagInPayload"):
        return ct + tag, r["PayloadKey"]
    return ct, r["PayloadKey"] + tag


class SpkOnly:
    """A parsed bundle without its placeholder prekey (the BundleImpl attributes used here)."""

    def __init__(self, bundle, signed_pre_key_id):
        self.bundle = bundle
        self.signed_pre_key_id = signed_pre_key_id
        self.pre_key_ids = {}


def check_session(vec, t):
    groups = {}
    for r in vec.records:
        groups.setdefault(r["_group"], []).append(r)
    for name, records in groups.items():
        g = records[0]
        alice = Party(g["A_IdentityPriv"])
        opk = g.get("B_PreKeyPriv")
        bob = Party(g["B_IdentityPriv"], spk_priv=g["B_SignedPreKeyPriv"], spk_sig=bytes(64),
                    pk_privs={opk} if opk else ())
        # oldmemo's schema wants at least one preKeyPublic: an SPK-only group publishes a
        # placeholder (Bob's SPK under id 999999), which the X3DH bundle then drops.
        prekeys = [(g["B_PreKeyId"], g["B_PreKeyPub"])] if opk else [(999999, g["B_SignedPreKeyPub"])]
        bundle = oldmemo.etree.parse_bundle(
            bundle_xml(g["B_IdentityPub"], g["B_SignedPreKeyId"], g["B_SignedPreKeyPub"],
                       g["B_SignedPreKeySig"], prekeys), "bob@example.org", g["B_DeviceId"])
        if not opk:
            b = bundle.bundle
            bundle = SpkOnly(x3dh.Bundle(b.identity_key, b.signed_pre_key, b.signed_pre_key_sig, frozenset()),
                             bundle.signed_pre_key_id)
        for r in records:
            where = f"{vec.path}:{r['_line']}"
            sender, receiver = (alice, bob) if r["Sender"] == "alice" else (bob, alice)
            try:
                if r["Op"] == "encrypt":
                    encrypt_step(r, g, sender, receiver, bundle, where, t)
                else:
                    decrypt_step(r, sender, receiver, where, t)
            except Exception as error:
                t.ok(False, where, f"{type(error).__name__}: {error}")
            finally:
                _queue.clear()


def encrypt_step(r, g, sender, receiver, bundle, where, t):
    if "Body" in r:
        t.ok(seal_payload(r) == (r["Payload"], r["KeyMaterial"]), where, "AES-128-GCM payload differs")
    plaintext = r["KeyMaterial"]
    if sender.ratchet is None:
        _token.append(g["A_BaseKeyPriv"])
        if bundle.bundle.pre_keys:
            _choice.append(next(iter(bundle.bundle.pre_keys)))
        sk, ad, header = run(sender.state.get_shared_secret_active(bundle.bundle, require_pre_key=False))
        _queue.append(g["A_RatchetPriv"])
        sender.ratchet, encrypted = run(om.DoubleRatchetImpl.encrypt_initial_message(
            LibsignalPnRatchet, om.RootChainKDFImpl, om.MessageChainKDFImpl,
            om.DoubleRatchetImpl.MESSAGE_CHAIN_CONSTANT, MAX_SKIP, MAX_SKIP, om.AEADImpl, sk,
            bundle.bundle.signed_pre_key, plaintext, ad_of(sender, receiver)))
        pk_id = bundle.pre_key_ids[header.pre_key] if header.pre_key else None
        sender.kex = (header, bundle.signed_pre_key_id, pk_id, g["A_RegistrationId"])
    else:
        encrypted = run(sender.ratchet.encrypt_message(plaintext, ad_of(sender, receiver)))
    data = encrypted.ciphertext
    if sender.kex is not None:
        header, spk_id, pk_id, registration_id = sender.kex
        wrapped, _ = om.KeyExchangeImpl(header, spk_id, pk_id if pk_id is not None else 0).serialize(data)
        message = OMEMOKeyExchange.FromString(wrapped[1:])
        message.unused = registration_id  # libsignal's registrationId (field 5); oldmemo leaves it out
        if pk_id is None:
            message.ClearField("pk_id")  # an SPK-only exchange carries no preKeyId
        data = b"\x33" + message.SerializePartialToString(deterministic=True)
    t.ok((1 if sender.kex is not None else 0) == r["PreKey"], where, "PreKey differs")
    t.ok(data == r["Message"], where, "Message bytes differ")


def decrypt_step(r, sender, receiver, where, t):
    valid = r["Result"] == "valid"
    if "NewRatchetPriv" in r:
        _queue.append(r["NewRatchetPriv"])
    plaintext = None
    try:
        data = r["Message"]
        if r["PreKey"]:
            if data[0] >> 4 != 3:
                raise ValueError("version")
            kex = OMEMOKeyExchange.FromString(data[1:])
            inner = kex.message
            encrypted = om.EncryptedKeyMaterialImpl.parse(inner, "peer", 1).encrypted_message
            if receiver.ratchet is None or receiver.base_key != kex.ek:
                bundle = receiver.state.bundle
                header = x3dh.Header(xeddsa.curve25519_pub_to_ed25519_pub(kex.ik[1:], False), kex.ek[1:],
                                     bundle.signed_pre_key,
                                     next(iter(bundle.pre_keys)) if kex.HasField("pk_id") else None)
                sk, _, spk = run(receiver.state.get_shared_secret_passive(header, require_pre_key=False))
                receiver.ratchet, plaintext = run(om.DoubleRatchetImpl.decrypt_initial_message(
                    LibsignalPnRatchet, om.RootChainKDFImpl, om.MessageChainKDFImpl,
                    om.DoubleRatchetImpl.MESSAGE_CHAIN_CONSTANT, MAX_SKIP, MAX_SKIP, om.AEADImpl, sk,
                    spk.priv, encrypted, ad_of(sender, receiver)))
                receiver.base_key = kex.ek
                if header.pre_key:
                    receiver.state.delete_pre_key(header.pre_key)
            else:
                plaintext = run(receiver.ratchet.decrypt_message(encrypted, ad_of(sender, receiver)))
        else:
            if data[0] != 0x33:
                raise ValueError("version")
            encrypted = om.EncryptedKeyMaterialImpl.parse(data, "peer", 1).encrypted_message
            plaintext = run(receiver.ratchet.decrypt_message(encrypted, ad_of(sender, receiver)))
            receiver.kex = None  # answered: the initiator stops sending PreKeySignalMessages
    except Exception:
        plaintext = None
    if plaintext is not None and _queue:
        t.ok(False, where, "NewRatchetPriv given, but the library did not draw it")
        return
    opened = plaintext == r["KeyMaterial"] and open_payload(r, plaintext)
    t.ok(opened == valid, where, "accepted an invalid record" if opened else "refused or different")


def check_bundle_signatures(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        sig, ik, msg = r["Sig"], r["IdentityKey"], r["Msg"]
        try:
            ed = xeddsa.curve25519_pub_to_ed25519_pub(om.StateImpl.parse_public_key(ik), bool(sig[63] >> 7))
            verified = xeddsa.ed25519_verify(sig[:63] + bytes([sig[63] & 0x7F]), ed, msg)
        except Exception:
            verified = False
        t.ok(verified == (r["Result"] == "valid"), where, "curvesig verification verdict differs")
        if "IdentityPriv" in r:
            t.ok(encode(r["IdentityPriv"]) == ik, where, "IdentityKey")


def check_fingerprints(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        try:
            curve = om.StateImpl.parse_public_key(r["IdentityKey"])
        except ValueError:
            curve = None
        if r["Result"] == "valid":
            fp = " ".join(curve.hex()[i:i + 8] for i in range(0, 64, 8)) if curve else None
            t.ok(curve == r["CurveKey"] and fp == r["Fingerprint"], where, "fingerprint differs")
        else:
            t.ok(curve is None, where, "an invalid identity key parsed")


def signal_message_ok(data):
    """libsignal's rules (protocol.c): version high nibble 3, then OMEMOMessage with ratchetKey
    (0x05 ‖ 32), counter and ciphertext; previousCounter optional; 8-byte MAC after it."""
    if len(data) < 1 + 8 or data[0] >> 4 != 3:
        return False, None
    m = OMEMOMessage.FromString(data[1:-8])
    ok = m.HasField("dh_pub") and m.HasField("n") and m.HasField("ciphertext")
    om.StateImpl.parse_public_key(m.dh_pub)
    m.DiscardUnknownFields()
    if not m.HasField("pn"):
        m.pn = 0
    return ok and data[0] == 0x33, m


def check_wire(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        wire = r["Wire"]
        serialized = None
        try:
            if r["Format"] == "signal-message":
                ok, m = signal_message_ok(wire)
                serialized = b"\x33" + m.SerializePartialToString(deterministic=True) + wire[-8:] if ok else None
            else:
                if wire[0] >> 4 != 3:
                    raise ValueError("version")
                k = OMEMOKeyExchange.FromString(wire[1:])
                ok = (all(k.HasField(f) for f in ("ek", "ik", "message", "spk_id"))
                      and signal_message_ok(k.message)[0])
                om.StateImpl.parse_public_key(k.ek)
                om.StateImpl.parse_public_key(k.ik)
                k.DiscardUnknownFields()
                serialized = wire[:1] + k.SerializePartialToString(deterministic=True) if ok else None
        except (google.protobuf.message.DecodeError, ValueError, IndexError):
            ok = False
        if r["Result"] == "valid":
            t.ok(ok and serialized == r.get("Canonical", wire), where, "not accepted, or re-serializes differently")
        elif r["Result"] == "acceptable":
            print(f"info {where}: {'accepted' if ok else 'rejected'} by google.protobuf ({r.get('Comment', '')})")
        else:
            t.ok(not ok, where, "accepted an invalid record")


CHECKS = {"chain-kdf": check_chain_kdf, "root-kdf": check_root_kdf, "x3dh": check_x3dh,
          "legacy-session": check_session, "bundle-signature": check_bundle_signatures,
          "fingerprint": check_fingerprints, "wire-format": check_wire}


def main():
    directory = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "vectors", "legacy")
    tally = Tally("python-oldmemo cross-check of vectors/legacy")
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".vec"):
            continue
        vec = VecFile(os.path.join(directory, name))
        before = tally.passed + tally.failed
        CHECKS[vec.check()](vec, tally)
        print(f"{name}: {len(vec.records)} records, {tally.passed + tally.failed - before} checks")
    return tally.report()


if __name__ == "__main__":
    sys.exit(main())
