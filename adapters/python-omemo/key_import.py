"""`import_keys` (PROTOCOL.md §11): fixed key material written where python-omemo reads it.

python-omemo 1.0.2 has no import API, but its storage layout is its persistence format:
- `/ikp/is_seed`, `/ikp/key`: the identity (an Ed25519 seed, or a Curve25519/Ed25519 private scalar)
  — omemo/identity_key_pair.py;
- `/<ns>/x3dh`: the x3dh BaseState JSON (identity, signed prekey with signature and timestamp,
  prekey private keys) — x3dh/models.py BaseStateModel;
- `/<ns>/signed_pre_key_ids`, `/<ns>/pre_key_ids` ({base64(public): id}) and
  `/<ns>/pre_key_id_counter` — the id maps of oldmemo.py / twomemo.py;
- `/own_device_id`, `/devices/<jid>/<id>/…`, `/devices/<jid>/list`, `/trust/<jid>/<ik>`: what
  SessionManager.create writes on its first run, before it generates 100 prekeys and publishes.

A device imported this way is one python-omemo loads as an existing installation: `start` then
runs create (load), ensure_data_consistency (publishes the device list and the bundle) and
after_history_sync, exactly as for a created device. Keys are checked, never repaired: a public
key the library would derive differently from the private key is `unsupported` (the library
cannot hold that pair), a wrong length `bad_data`.
"""
import base64
import json

import xeddsa.bindings as xeddsa
from x3dh.models import BaseStateModel, IdentityKeyPairModel, SignedPreKeyPairModel
from x3dh.types import SecretType

from session_manager_impl import UNDECIDED


class KeyImportError(Exception):
    def __init__(self, error_class, detail):
        super().__init__(detail)
        self.error_class = error_class


def _b64(value, field, length=None):
    try:
        data = base64.b64decode(value, validate=True)
    except (TypeError, ValueError) as exc:
        raise KeyImportError("bad_data", f"{field}: not base64 ({exc})")
    if length is not None and len(data) != length:
        raise KeyImportError("bad_data", f"{field}: {len(data)} bytes, expected {length}")
    return data


def _curve_public(value, field, profile):
    """legacy: 0x05 || u (33 bytes); omemo2: u (32 bytes)."""
    if profile == "legacy":
        data = _b64(value, field, 33)
        if data[0] != 0x05:
            raise KeyImportError("bad_data", f"{field}: type byte {data[0]:#04x}, expected 0x05")
        return data[1:]
    return _b64(value, field, 32)


def _identity(keys, profile):
    identity = keys.get("identity") or {}
    private = _b64(identity.get("private"), "identity.private", 32)
    if profile == "legacy":
        public = _curve_public(identity.get("public"), "identity.public", profile)
        if xeddsa.priv_to_curve25519_pub(private) != public:
            raise KeyImportError("bad_data", "identity.public is not the public key of identity.private")
        return False, private
    kind = identity.get("kind", "ed25519_seed")
    public = _b64(identity.get("public"), "identity.public", 32)
    if kind == "ed25519_seed":
        derived, is_seed = xeddsa.seed_to_ed25519_pub(private), True
    elif kind in ("curve25519_true_sign", "curve25519_xeddsa"):
        derived, is_seed = xeddsa.priv_to_ed25519_pub(private), False
    else:
        raise KeyImportError("unsupported", f"identity kind {kind!r}")
    if derived != public:
        raise KeyImportError("unsupported", f"python-omemo derives the Ed25519 identity {derived.hex()} from "
                             f"this {kind} private key, not the given {public.hex()}: it cannot hold this pair")
    return is_seed, private


class PreparedKeys:
    """Checked key material, written into the storage by `write` when the device starts."""

    def __init__(self, is_seed, identity_secret, spk_id, spk_private, spk_public, spk_signature, pre_keys):
        self.is_seed = is_seed
        self.identity_secret = identity_secret
        self.spk_id = spk_id
        self.spk_private = spk_private
        self.spk_public = spk_public
        self.spk_signature = spk_signature
        self.pre_keys = pre_keys  # [(id, private, public)]

    @property
    def identity_key(self):
        """The Ed25519 identity public key python-omemo derives (and publishes)."""
        return (xeddsa.seed_to_ed25519_pub(self.identity_secret) if self.is_seed
                else xeddsa.priv_to_ed25519_pub(self.identity_secret))


def prepare(keys, profile):
    """Checks the keys of an import_keys request. Raises KeyImportError; writes nothing."""
    is_seed, identity_secret = _identity(keys, profile)
    spk = keys.get("signed_pre_key")
    if not spk:
        raise KeyImportError("unsupported", "python-omemo's x3dh state always holds a signed prekey; "
                             "a device without one cannot be represented")
    spk_private = _b64(spk.get("private"), "signed_pre_key.private", 32)
    spk_public = _curve_public(spk.get("public"), "signed_pre_key.public", profile)
    if xeddsa.priv_to_curve25519_pub(spk_private) != spk_public:
        raise KeyImportError("bad_data", "signed_pre_key.public is not the public key of its private key")
    spk_signature = _b64(spk.get("signature"), "signed_pre_key.signature", 64)
    pre_keys = []
    for index, pre_key in enumerate(keys.get("pre_keys") or []):
        private = _b64(pre_key.get("private"), f"pre_keys[{index}].private", 32)
        public = _curve_public(pre_key.get("public"), f"pre_keys[{index}].public", profile)
        if xeddsa.priv_to_curve25519_pub(private) != public:
            raise KeyImportError("bad_data", f"pre_keys[{index}].public is not the public key of its private key")
        pre_keys.append((int(pre_key["id"]), private, public))
    return PreparedKeys(is_seed, identity_secret, int(spk["id"]), spk_private, spk_public, spk_signature,
                        pre_keys)


async def write(storage, prepared, namespace, bare_jid, device_id, clock):
    """Fills an empty MemoryStorage with `prepared`; `clock` stamps the signed prekey (x3dh rotates it
    a week later), as python-omemo stamps the signed prekeys it generates."""
    identity_key = prepared.identity_key
    await storage.store("/ikp/is_seed", prepared.is_seed)
    await storage.store_bytes("/ikp/key", prepared.identity_secret)
    state = BaseStateModel(
        identity_key=IdentityKeyPairModel(secret=prepared.identity_secret,
                                          secret_type=SecretType.SEED if prepared.is_seed else SecretType.PRIV),
        signed_pre_key=SignedPreKeyPairModel(priv=prepared.spk_private, sig=prepared.spk_signature,
                                             timestamp=int(clock)),
        old_signed_pre_key=None,
        pre_keys=frozenset(private for _, private, _ in prepared.pre_keys))
    await storage.store(f"/{namespace}/x3dh", json.loads(state.json()))
    await storage.store(f"/{namespace}/signed_pre_key_ids",
                        {base64.b64encode(prepared.spk_public).decode("ascii"): prepared.spk_id})
    await storage.store(f"/{namespace}/pre_key_ids",
                        {base64.b64encode(public).decode("ascii"): key_id
                         for key_id, _, public in prepared.pre_keys})
    await storage.store(f"/{namespace}/pre_key_id_counter",
                        max([key_id for key_id, _, _ in prepared.pre_keys] or [0]))
    # What SessionManager.create stores on its first run (omemo/session_manager.py).
    await storage.store(f"/devices/{bare_jid}/{device_id}/namespaces", [namespace])
    await storage.store(f"/devices/{bare_jid}/{device_id}/active", {namespace: True})
    await storage.store(f"/devices/{bare_jid}/{device_id}/label", None)
    await storage.store_bytes(f"/devices/{bare_jid}/{device_id}/identity_key", identity_key)
    await storage.store(f"/devices/{bare_jid}/list", [device_id])
    await storage.store(f"/trust/{bare_jid}/{base64.urlsafe_b64encode(identity_key).decode('ascii')}", UNDECIDED)
    await storage.store("/own_device_id", device_id)
