#!/usr/bin/python3
"""Cross-check of vectors/omemo2/*.vec with python-twomemo (Syndace; MIT) and the libraries under
it: python-x3dh, python-doubleratchet, python-xeddsa.

Every record is recomputed by those libraries from the record's fixed inputs. Where a library
draws randomness (the X3DH ephemeral key, the one-time prekey choice, ratchet keys, the payload
key), the draw is replaced by the record's key. Nothing of the harness's C++ runs here, and the
vector files are read by vecread.py, not by the harness's parser.

Usage: /usr/bin/python3 omemo2_twomemo.py VECTORS_DIR
Exit codes: 0 all agree, 1 a disagreement (printed), 77 the Debian packages are missing.
Must run under Debian's /usr/bin/python3: the python3 first on PATH may lack the packages.
"""

import asyncio
import os
import secrets
import sys
import xml.etree.ElementTree as ET

try:
    import doubleratchet
    from doubleratchet.recommended import HashFunction, diffie_hellman_ratchet_curve25519
    import google.protobuf.message
    import twomemo
    from twomemo import twomemo as tm
    from twomemo.twomemo_pb2 import OMEMOAuthenticatedMessage, OMEMOKeyExchange, OMEMOMessage
    import x3dh
    from x3dh.models import BaseStateModel, IdentityKeyPairModel, SignedPreKeyPairModel
    from x3dh.types import SecretType
    import xeddsa
except ImportError as error:
    print(f"skipped: python3-twomemo not installed ({error}); apt-get install python3-twomemo "
          "python3-omemo python3-xmlschema")
    sys.exit(77)

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecread import Tally, VecFile  # noqa: E402

SHA256 = HashFunction.SHA_256
MAX_SKIP = 1000

# ---- randomness replaced by the records' keys ----
_queue = []


def _scripted_priv():
    if not _queue:
        raise RuntimeError("the library drew a ratchet key the record does not provide")
    return _queue.pop(0)


diffie_hellman_ratchet_curve25519.DiffieHellmanRatchet._generate_priv = staticmethod(_scripted_priv)
_token = []


def _scripted_token(n):
    if not _token or len(_token[0]) != n:
        raise RuntimeError(f"the library drew {n} random bytes the record does not provide")
    return _token.pop(0)


secrets.token_bytes = _scripted_token
_choice = []
secrets.choice = lambda seq: _choice.pop(0)


def run(coroutine):
    return asyncio.get_event_loop().run_until_complete(coroutine)


# ---- identities: the three kinds of identity.h in python-x3dh terms ----

def identity_model(kind, secret):
    secret_type = SecretType.SEED if kind == "ed25519_seed" else SecretType.PRIV
    return IdentityKeyPairModel(secret=secret, secret_type=secret_type)


def published_key(kind, secret):
    """The Ed25519 key as published: python-x3dh's own derivation, except that an XEdDSA-style
    identity (libomemo-c and libsignal heritage) publishes the sign-bit-0 form."""
    if kind == "ed25519_seed":
        return xeddsa.seed_to_ed25519_pub(secret)
    if kind == "curve25519_true_sign":
        return xeddsa.priv_to_ed25519_pub(secret)
    return xeddsa.curve25519_pub_to_ed25519_pub(xeddsa.priv_to_curve25519_pub(secret), False)


class State(tm.StateImpl):
    """twomemo's X3DH state, publishing `published` as its identity key when set (only the
    XEdDSA-style kind needs it; X25519 is the same for both sign bits)."""
    published = None

    @property
    def bundle(self):
        bundle = super().bundle
        if self.published is None:
            return bundle
        return x3dh.Bundle(self.published, bundle.signed_pre_key, bundle.signed_pre_key_sig,
                           bundle.pre_keys)


def make_state(kind, secret, spk_priv=None, spk_sig=None, pk_privs=()):
    model = BaseStateModel(
        identity_key=identity_model(kind, secret),
        signed_pre_key=SignedPreKeyPairModel(priv=spk_priv or bytes(32), sig=spk_sig or bytes(64),
                                             timestamp=0),
        old_signed_pre_key=None,
        pre_keys=frozenset(pk_privs))
    state = State.from_model(model, x3dh.IdentityKeyFormat.ED_25519, x3dh.HashFunction.SHA_256,
                             tm.StateImpl.INFO)
    if kind == "curve25519_xeddsa":
        state.published = published_key(kind, secret)
    return state


# ---- per-file checks ----

def check_chain_kdf(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        out = run(tm.MessageChainKDFImpl.derive(r["ChainKey"], tm.DoubleRatchetImpl.MESSAGE_CHAIN_CONSTANT, 64))
        keys = run(tm.AEADImpl._AEADImpl__derive(out[32:], SHA256, b"OMEMO Message Key Material"))
        got = (out[32:], keys[0], keys[1], keys[2], out[:32])
        want = (r["MessageKey"], r["EncKey"], r["AuthKey"], r["IV"], r["NextChainKey"])
        t.ok(got == want, where, "chain step differs")


def check_root_kdf(vec, t):
    for r in vec.records:
        dh = xeddsa.x25519(r["OwnPriv"], r["PeerPub"])
        out = run(tm.RootChainKDFImpl.derive(r["RootKey"], dh, 64))
        t.ok((dh, out[:32], out[32:]) == (r["DhOut"], r["NewRootKey"], r["ChainKey"]),
             f"{vec.path}:{r['_line']}", "root step differs")


def check_x3dh(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        valid = r["Result"] == "valid"
        try:
            if r["Role"] == "initiator":
                t.ok(published_key(r["A_IdentityKind"], r["A_IdentitySecret"]) == r["A_IdentityKey"],
                     where, "A_IdentityKey")
                state = make_state(r["A_IdentityKind"], r["A_IdentitySecret"])
                bundle = x3dh.Bundle(r["B_IdentityKey"], r["B_SignedPreKeyPub"], r["B_SignedPreKeySig"],
                                     frozenset({r["B_PreKeyPub"]}))
                _token.append(r["A_EphemeralPriv"])
                _choice.append(r["B_PreKeyPub"])
                sk, ad, header = run(state.get_shared_secret_active(bundle))
                t.ok(header.ephemeral_key == r["A_EphemeralPub"], where, "A_EphemeralPub")
            else:
                t.ok(published_key(r["B_IdentityKind"], r["B_IdentitySecret"]) == r["B_IdentityKey"],
                     where, "B_IdentityKey")
                state = make_state(r["B_IdentityKind"], r["B_IdentitySecret"], r["B_SignedPreKeyPriv"],
                                   r["B_SignedPreKeySig"], {r["B_PreKeyPriv"]})
                header = x3dh.Header(r["A_IdentityKey"], r["A_EphemeralPub"], r["B_SignedPreKeyPub"],
                                     r["B_PreKeyPub"])
                sk, ad, _ = run(state.get_shared_secret_passive(header))
            accepted = True
        except Exception as error:  # KeyAgreementException, XEdDSAException, ...
            accepted, reason = False, error
        finally:
            _token.clear()
            _choice.clear()
        if valid:
            t.ok(accepted and (sk, ad) == (r["SharedSecret"], r["AssociatedData"]), where,
                 "refused" if not accepted else "SharedSecret/AssociatedData differ")
        else:
            t.ok(not accepted, where, "accepted an invalid record")


class Party:
    def __init__(self, kind, secret, spk_priv=None, spk_sig=None, pk_privs=()):
        self.state = make_state(kind, secret, spk_priv, spk_sig, pk_privs)
        self.ratchet = None
        self.ad = None
        self.kex = None  # (header, spk_id, pk_id) while unconfirmed (initiator)
        self.kex_ek = None  # responder: ek of the session's key exchange


def check_session(vec, t):
    groups = {}
    for r in vec.records:
        groups.setdefault(r["_group"], []).append(r)
    for name, records in groups.items():
        g = records[0]
        alice = Party(g["A_IdentityKind"], g["A_IdentitySecret"])
        bob = Party(g["B_IdentityKind"], g["B_IdentitySecret"], g["B_SignedPreKeyPriv"],
                    g["B_SignedPreKeySig"], {g["B_PreKeyPriv"]})
        bundle = x3dh.Bundle(g["B_IdentityKey"], g["B_SignedPreKeyPub"], g["B_SignedPreKeySig"],
                             frozenset({g["B_PreKeyPub"]}))
        for r in records:
            where = f"{vec.path}:{r['_line']}"
            try:
                if r["Op"] == "encrypt":
                    encrypt_step(r, alice if r["Sender"] == "alice" else bob, bundle, where, t)
                else:
                    decrypt_step(r, bob if r["Sender"] == "alice" else alice, where, t)
            except Exception as error:
                t.ok(False, where, f"{type(error).__name__}: {error}")
            finally:
                _queue.clear()


def payload_checks(r, key_material, where, t, encrypt):
    if "Envelope" not in r:
        return True
    if encrypt:
        _token.append(r["PayloadKey"])
        content, plain = run(tm.Twomemo.encrypt_plaintext(None, r["Envelope"]))
        t.ok(content.ciphertext == r["Payload"] and plain.key + plain.auth_tag == key_material, where,
             "payload encryption differs")
        return True
    try:
        envelope = run(tm.Twomemo.decrypt_plaintext(
            None, tm.ContentImpl(r["Payload"]), tm.PlainKeyMaterialImpl(key_material[:32], key_material[32:])))
    except Exception:
        return False
    return envelope == r["Envelope"]


def encrypt_step(r, sender, bundle, where, t):
    plaintext = r["KeyMaterial"]
    payload_checks(r, plaintext, where, t, encrypt=True)
    if sender.ratchet is None:  # Alice's first message: X3DH and the initial message
        g = r
        _token.append(g["A_EphemeralPriv"])
        _choice.append(g["B_PreKeyPub"])
        sk, ad, header = run(sender.state.get_shared_secret_active(bundle))
        _queue.append(g["A_RatchetPriv"])
        sender.ratchet, encrypted = run(tm.DoubleRatchetImpl.encrypt_initial_message(
            diffie_hellman_ratchet_curve25519.DiffieHellmanRatchet, tm.RootChainKDFImpl,
            tm.MessageChainKDFImpl, tm.DoubleRatchetImpl.MESSAGE_CHAIN_CONSTANT, MAX_SKIP, MAX_SKIP,
            tm.AEADImpl, sk, bundle.signed_pre_key, plaintext, ad))
        sender.ad = ad
        sender.kex = (header, g["B_SignedPreKeyId"], g["B_PreKeyId"])
    else:
        encrypted = run(sender.ratchet.encrypt_message(plaintext, sender.ad))
    data = encrypted.ciphertext
    if sender.kex is not None:
        header, spk_id, pk_id = sender.kex
        data = tm.KeyExchangeImpl(header, spk_id, pk_id).serialize(data)
    t.ok((encrypted.header.sending_chain_length, encrypted.header.previous_sending_chain_length)
         == (r["N"], r["PN"]), where, "header n/pn differ")
    t.ok((1 if sender.kex is not None else 0) == r["Kex"], where, "Kex differs")
    t.ok(data == r["Message"], where, "Message bytes differ")


def decrypt_step(r, receiver, where, t):
    valid = r["Result"] == "valid"
    if "NewRatchetPriv" in r:
        _queue.append(r["NewRatchetPriv"])
    plaintext = None
    try:
        if r["Kex"]:
            kex, inner = tm.KeyExchangeImpl.parse(r["Message"])
            encrypted = tm.EncryptedKeyMaterialImpl.parse(inner, "peer", 1).encrypted_message
            if receiver.ratchet is not None and receiver.kex_ek == kex.header.ephemeral_key:
                plaintext = run(receiver.ratchet.decrypt_message(encrypted, receiver.ad))
            else:
                # Bob holds one SPK and one OPK: fill the header as twomemo's backend does.
                bundle = receiver.state.bundle
                header = x3dh.Header(kex.header.identity_key, kex.header.ephemeral_key,
                                     bundle.signed_pre_key, next(iter(bundle.pre_keys)))
                sk, ad, spk = run(receiver.state.get_shared_secret_passive(header))
                ratchet, plaintext = run(tm.DoubleRatchetImpl.decrypt_initial_message(
                    diffie_hellman_ratchet_curve25519.DiffieHellmanRatchet, tm.RootChainKDFImpl,
                    tm.MessageChainKDFImpl, tm.DoubleRatchetImpl.MESSAGE_CHAIN_CONSTANT, MAX_SKIP,
                    MAX_SKIP, tm.AEADImpl, sk, spk.priv, encrypted, ad))
                receiver.ratchet, receiver.ad, receiver.kex_ek = ratchet, ad, kex.header.ephemeral_key
                receiver.state.delete_pre_key(next(iter(bundle.pre_keys)))
        else:
            encrypted = tm.EncryptedKeyMaterialImpl.parse(r["Message"], "peer", 1).encrypted_message
            plaintext = run(receiver.ratchet.decrypt_message(encrypted, receiver.ad))
            receiver.kex = None  # the initiator's session is confirmed
    except Exception:
        plaintext = None
    if plaintext is not None and _queue:
        t.ok(False, where, "NewRatchetPriv given, but the library did not draw it")
        return
    opened = plaintext == r["KeyMaterial"] and payload_checks(r, plaintext, where, t, encrypt=False)
    if valid:
        t.ok(opened, where, "refused or different key material / envelope")
    else:
        t.ok(not opened, where, "accepted an invalid record")


def check_payload(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        valid = r["Result"] == "valid"
        if r["Op"] == "empty":
            empty = tm.PlainKeyMaterialImpl.make_empty()
            t.ok((r["KeyMaterial"] == empty.key + empty.auth_tag) == valid, where, "empty message")
            continue
        km = r["KeyMaterial"]
        if valid:
            keys = run(tm.AEADImpl._AEADImpl__derive(r["PayloadKey"], SHA256, b"OMEMO Payload"))
            t.ok(keys == (r["EncKey"], r["AuthKey"], r["IV"]), where, "payload HKDF differs")
            payload_checks(r, km, where, t, encrypt=True)
            env = ET.fromstring(r["Envelope"].decode("utf-8"))
            ns = "{urn:xmpp:sce:1}"
            body = env.find(f"{ns}content/{{jabber:client}}body")
            fields_ok = (env.tag == f"{ns}envelope" and body is not None
                         and (body.text or "") == r["Body"]
                         and (env.findtext(f"{ns}rpad") or "") == r["Rpad"]
                         and (env.find(f"{ns}to").get("jid") if env.find(f"{ns}to") is not None else None)
                         == r.get("To")
                         and (env.find(f"{ns}from").get("jid") if env.find(f"{ns}from") is not None else None)
                         == r.get("From")
                         and (env.find(f"{ns}time").get("stamp") if env.find(f"{ns}time") is not None else None)
                         == r.get("Time"))
            t.ok(fields_ok, where, "envelope XML does not hold the record's parts")
        opened = len(km) == 48 and payload_checks(r, km, where, t, encrypt=False)
        t.ok(opened == valid, where, "payload decryption verdict differs")


def check_bundle_signatures(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        valid = r["Result"] == "valid"
        verified = xeddsa.ed25519_verify(r["Sig"], r["IdentityKey"], r["Msg"])
        if r["Op"] == "spk" and len(r["Msg"]) != 32:
            verified = False
        t.ok(verified == valid, where, "Ed25519 verification verdict differs")
        if valid and "IdentitySecret" in r:
            kind, secret = r["IdentityKind"], r["IdentitySecret"]
            t.ok(published_key(kind, secret) == r["IdentityKey"], where, "IdentityKey")
            if kind == "ed25519_seed":
                t.ok(xeddsa.ed25519_seed_sign(secret, r["Msg"]) == r["Sig"], where, "seed signature")
            elif kind == "curve25519_xeddsa":
                t.ok(xeddsa.ed25519_priv_sign(xeddsa.priv_force_sign(secret, False), r["Msg"], r["Nonce"])
                     == r["Sig"], where, "XEdDSA signature")


def check_fingerprints(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        try:
            curve = xeddsa.ed25519_pub_to_curve25519_pub(r["IdentityKey"])
            usable = curve != bytes(32)
        except Exception:
            usable = False
        if r["Result"] == "valid":
            hexed = curve.hex()
            fingerprint = " ".join(hexed[i:i + 8] for i in range(0, 64, 8))
            t.ok(usable and curve == r["CurveKey"] and fingerprint == r["Fingerprint"], where,
                 "fingerprint differs")
        else:
            t.ok(not usable, where, "an invalid identity key converted")


def wire_verdict(fmt, wire):
    """google.protobuf via twomemo_pb2 plus the fixed sizes of XEP-0384 §12 that twomemo relies on."""
    def message_ok(m):
        return len(m.dh_pub) == 32 and len(m.ciphertext) > 0 and len(m.ciphertext) % 16 == 0

    def authenticated_ok(a):
        return len(a.mac) == 16 and message_ok(OMEMOMessage.FromString(a.message))

    try:
        if fmt == "omemo-message":
            m = OMEMOMessage.FromString(wire)
            return m.IsInitialized() and message_ok(m), m
        if fmt == "omemo-authenticated-message":
            a = OMEMOAuthenticatedMessage.FromString(wire)
            return a.IsInitialized() and authenticated_ok(a), a
        if fmt == "omemo-key-exchange":
            k = OMEMOKeyExchange.FromString(wire)
            return (k.IsInitialized() and len(k.ik) == 32 and len(k.ek) == 32
                    and authenticated_ok(k.message)), k
    except (google.protobuf.message.DecodeError, ValueError):
        return False, None
    raise ValueError(fmt)


def check_wire(vec, t):
    for r in vec.records:
        where = f"{vec.path}:{r['_line']}"
        ok, parsed = wire_verdict(r["Format"], r["Wire"])
        if r["Result"] == "valid":
            canonical = r.get("Canonical", r["Wire"])
            if ok:
                parsed.DiscardUnknownFields()
            t.ok(ok and parsed.SerializeToString(deterministic=True) == canonical, where,
                 "not accepted, or re-serializes differently")
        elif r["Result"] == "acceptable":
            print(f"info {where}: {'accepted' if ok else 'rejected'} by google.protobuf "
                  f"({r.get('Comment', '')})")
        else:
            t.ok(not ok, where, "accepted an invalid record")


CHECKS = {"chain-kdf": check_chain_kdf, "root-kdf": check_root_kdf, "x3dh": check_x3dh,
          "omemo2-session": check_session, "omemo2-payload": check_payload,
          "bundle-signature": check_bundle_signatures, "fingerprint": check_fingerprints,
          "wire-format": check_wire}


def main():
    directory = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "vectors", "omemo2")
    tally = Tally("python-twomemo cross-check of vectors/omemo2")
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
