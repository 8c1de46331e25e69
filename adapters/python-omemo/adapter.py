#!/usr/bin/python3
"""omemo-interop adapter for python-omemo 1.0.2 + oldmemo/twomemo 1.0.3 (PROTOCOL.md 1.0).

Run alone: /usr/bin/python3 adapters/python-omemo/adapter.py (JSON-RPC lines on stdin/stdout).
"""
import sys

PROTO_OUT = sys.stdout   # the only writer of protocol lines
sys.stdout = sys.stderr  # anything the libraries print goes to the log

import asyncio  # noqa: E402
import base64  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402

import omemo  # noqa: E402

import error_classes  # noqa: E402
import key_import  # noqa: E402
import seeded_random  # noqa: E402
import state_blob  # noqa: E402
from device import Device, OperationFailed, fingerprint_of  # noqa: E402
from harness_channel import ChannelClosed, HarnessChannel  # noqa: E402
from memory_storage import MemoryStorage  # noqa: E402

NAME = "python-omemo"
PROFILES = ["legacy", "omemo2"]
CAPABILITIES = ["export_state", "import_keys", "rotate", "catch_up", "muc"]
TRUST_POLICIES = ["btbv", "manual", "tofu"]
IDENTITY_KINDS = ["ed25519_seed", "curve25519_true_sign"]

logging.basicConfig(stream=sys.stderr, level=os.environ.get("PYOMEMO_ADAPTER_LOG", "WARNING"),
                    format="%(levelname)s %(name)s: %(message)s")


class RequestError(Exception):
    """A JSON-RPC error answer (PROTOCOL.md §7.2)."""

    def __init__(self, code, error_class, detail):
        super().__init__(detail)
        self.code, self.error_class, self.detail = code, error_class, detail


def bad_request(detail):
    return RequestError(-32602, "bad_request", detail)


def versions():
    import importlib.metadata as metadata
    parts = []
    for dist in ("OMEMO", "Oldmemo", "Twomemo", "DoubleRatchet", "X3DH", "XEdDSA"):
        try:
            parts.append(f"{dist.lower()} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(parts)


class Adapter:
    def __init__(self, channel):
        self.channel = channel
        self.devices = {}

    def device(self, params):
        handle = params.get("device")
        if handle not in self.devices:
            raise bad_request(f"unknown device handle {handle!r}")
        return self.devices[handle]

    def new_handle(self, params):
        handle = params.get("device")
        if not isinstance(handle, str) or not handle:
            raise bad_request("missing device handle")
        if handle in self.devices:
            raise bad_request(f"device handle {handle!r} is already live")
        for field in ("profile", "jid", "resource"):
            if not isinstance(params.get(field), str) or not params.get(field):
                raise bad_request(f"missing field {field!r}")
        if params["profile"] not in PROFILES:
            raise bad_request(f"unknown profile {params['profile']!r}")
        policy = params.get("trust_policy", "btbv")
        if policy not in TRUST_POLICIES:
            raise RequestError(-32000, "unsupported", f"trust policy {policy!r}")
        return handle

    # ---- methods ----

    async def initialize(self, params):
        seed = base64.b64decode(params.get("seed") or "")
        seeded_random.install(seed)
        return {"protocol": "1.0",
                "implementation": {"name": NAME, "version": omemo.__version__["short"], "backend": versions()},
                "profiles": PROFILES, "capabilities": CAPABILITIES,
                "trust_policies": TRUST_POLICIES, "identity_kinds": IDENTITY_KINDS}

    async def create_device(self, params):
        handle = self.new_handle(params)
        if params.get("keep_device_id"):
            raise RequestError(-32000, "unsupported",
                               "python-omemo's SessionManager.create always checks the own device list "
                               "for a clash and draws another id")
        identity_kind = params.get("identity_kind", "") if params["profile"] == "omemo2" else ""
        if identity_kind not in ("", *IDENTITY_KINDS):
            raise RequestError(-32000, "unsupported",
                               f"python-omemo cannot hold a {identity_kind} identity (it publishes the "
                               "Ed25519 key with the true sign bit)")
        try:
            seed = base64.b64decode(params["seed"], validate=True)
        except (KeyError, ValueError, TypeError):
            raise bad_request("missing or invalid seed")
        device = Device(handle, params, self.channel, seeded_random.SeededStream(seed))
        seeded_random.use_stream(device.stream)
        device_id, fingerprint = await device.prepare_identity(int(params.get("device_id") or 0), identity_kind)
        self.devices[handle] = device
        return {"device_id": device_id, "fingerprint": fingerprint}

    async def import_keys(self, params):
        handle = self.new_handle(params)
        device_id = int(params.get("device_id") or 0)
        if not 1 <= device_id <= omemo.SessionManager.DEVICE_ID_MAX:
            raise bad_request("import_keys needs a device_id")
        if not isinstance(params.get("keys"), dict):
            raise bad_request("missing keys")
        seed = base64.b64decode(params["seed"]) if params.get("seed") else (
            f"import_keys:{params['jid']}:{device_id}".encode())
        device = Device(handle, params, self.channel, seeded_random.SeededStream(seed))
        try:
            device.pending_import = key_import.prepare(params["keys"], device.profile)
            device.pending_keys = params["keys"]
        except key_import.KeyImportError as exc:
            raise RequestError(-32000, exc.error_class, str(exc))
        except (KeyError, TypeError, ValueError) as exc:
            raise bad_request(f"malformed keys: {exc}")
        device.first_candidate = device_id
        self.devices[handle] = device
        return {"device_id": device_id, "fingerprint": fingerprint_of(device.pending_import.identity_key)}

    async def start(self, params):
        device = self.device(params)
        if device.session_manager is not None:
            # Already prepared by an earlier operation (Device.require_started): nothing left to do.
            outcome = {"ok": True, "skipped_devices": []}
        else:
            outcome = await self.outcome(device.start)
        outcome["device_id"] = await device.device_id() or device.first_candidate
        outcome["fingerprint"] = await device.fingerprint()
        return outcome

    async def send(self, params):
        device = self.device(params)
        recipients = params.get("recipients")
        if not isinstance(recipients, list) or "body" not in params:
            raise bad_request("send needs recipients and body")
        if not recipients and params.get("type", "chat") == "chat":
            raise bad_request("send to nobody")
        return await self.outcome(lambda: device.send(recipients, params["body"], params.get("to", ""),
                                                      params.get("type", "chat")))

    async def receive(self, params):
        device = self.device(params)
        if not isinstance(params.get("stanza"), str):
            raise bad_request("missing stanza")
        position, queued = device.stream.position, list(device.stream.queued_below)
        try:
            outcome = await device.receive(params["stanza"])
        except OperationFailed as exc:
            outcome = {"kind": "error", "error_class": exc.error_class, "detail": exc.detail}
        if outcome["kind"] == "error":
            # The seed stream stands in for the OS RNG python-omemo uses: a draw the library made for a
            # decryption it then abandoned (a ratchet key of a session it did not store) leaves no
            # trace with the OS RNG, so it leaves none here either (PROTOCOL.md §10).
            device.rewind_stream(position, queued)
        return outcome

    async def set_trust(self, params):
        device = self.device(params)
        await device.set_trust(params["jid"], int(params["device_id"]), bool(params["trusted"]))
        return {}

    async def export_state(self, params):
        device = self.device(params)
        return {"state": state_blob.encode({
            "profile": device.profile, "jid": device.own_bare_jid, "resource": device.resource,
            "trust_policy": device.trust_policy, "storage": device.storage.snapshot(),
            "seed": base64.b64encode(device.stream.seed).decode("ascii"), "position": device.stream.position,
            "queued_below": list(device.stream.queued_below), "stanza_counter": device.stanza_counter,
            "started": device.session_manager is not None, "clock": seeded_random.clock(),
            "first_candidate": device.first_candidate, "last_archive_id": device.last_archive_id,
            "rooms": device.rooms.snapshot(),
            "pending_keys": device.pending_keys if device.pending_import is not None else None})}

    async def import_state(self, params):
        device = self.device(params)
        try:
            fields = state_blob.decode(params.get("state"))
            if fields["profile"] != device.profile or fields["jid"] != device.own_bare_jid:
                raise state_blob.BadBlob("state of another device (profile or JID differ)")
            stream = seeded_random.SeededStream(base64.b64decode(fields["seed"]), fields["position"])
            replacement = Device(device.handle, {"profile": device.profile, "jid": device.own_bare_jid,
                                                 "resource": device.resource,
                                                 "trust_policy": device.trust_policy},
                                 self.channel, stream)
            stream.queued_below = list(fields["queued_below"])
            replacement.storage = MemoryStorage(fields["storage"])
            replacement.stanza_counter = fields["stanza_counter"]
            replacement.first_candidate = fields.get("first_candidate", 0)
            replacement.last_archive_id = fields.get("last_archive_id")
            replacement.rooms.restore(fields.get("rooms"))
            if fields.get("pending_keys") is not None:  # import_keys before start: keys not yet written
                replacement.pending_import = key_import.prepare(fields["pending_keys"], replacement.profile)
                replacement.pending_keys = fields["pending_keys"]
        except (state_blob.BadBlob, key_import.KeyImportError, KeyError, TypeError, ValueError) as exc:
            raise RequestError(-32000, "bad_data", f"unusable state: {exc}")
        seeded_random.set_clock(fields["clock"])
        seeded_random.use_stream(stream)
        if fields["started"]:
            await replacement.load()
        device.drop()
        self.devices[device.handle] = replacement
        return {"device_id": await replacement.device_id() or replacement.first_candidate,
                "fingerprint": await replacement.fingerprint()}

    async def begin_catch_up(self, params):
        device = self.device(params)
        return await self.outcome(lambda: device.begin_catch_up(bool(params.get("from_start", False))))

    async def end_catch_up(self, params):
        device = self.device(params)
        await device.end_catch_up()
        return {}

    async def join_room(self, params):
        device = self.device(params)
        if not params.get("room") or not params.get("nick"):
            raise bad_request("join_room needs room and nick")
        return await self.outcome(lambda: device.join_room(params["room"], params["nick"]))

    async def leave_room(self, params):
        device = self.device(params)
        return await self.outcome(lambda: device.leave_room(params.get("room", "")))

    async def rotate(self, params):
        device = self.device(params)
        return await self.outcome(device.rotate)

    async def reset(self, params):
        for device in self.devices.values():
            device.drop()
        self.devices.clear()
        seeded_random.use_stream(None)
        return {}

    async def shutdown(self, params):
        await self.reset(params)
        return {}

    async def outcome(self, operation):
        """Runs an operation and returns its SendOutcome (PROTOCOL.md §5.3)."""
        try:
            skipped = await operation()
            return {"ok": True, "skipped_devices": list(skipped or [])}
        except OperationFailed as exc:
            return {"ok": False, "error_class": exc.error_class, "detail": exc.detail}
        except omemo.OMEMOException as exc:
            return {"ok": False, "error_class": "internal", "detail": error_classes.describe(exc)}

    METHODS = ("initialize", "create_device", "import_keys", "start", "send", "receive", "set_trust",
               "export_state", "import_state", "rotate", "begin_catch_up", "end_catch_up", "join_room", "leave_room", "reset",
               "shutdown")

    async def dispatch(self, method, params):
        if method not in self.METHODS:
            raise RequestError(-32601, "unsupported", f"method not found: {method}")
        handle = params.get("device")
        if handle in self.devices:
            seeded_random.use_stream(self.devices[handle].stream)
        try:
            result = await getattr(self, method)(params)
            await settle()
            return result
        finally:
            seeded_random.use_stream(None)


async def settle():
    """Lets every task python-omemo started in the background run until it waits (PROTOCOL.md §2.2
    rule 3). The library's only background task is the signed-prekey rotation loop, which sleeps
    for a rotation period after its first check."""
    for _ in range(20):
        await asyncio.sleep(0)


async def serve():
    channel = HarnessChannel(sys.stdin, PROTO_OUT)
    adapter = Adapter(channel)
    while True:
        try:
            request = channel.read()
        except ChannelClosed:
            return 0
        except ValueError as exc:
            logging.error("unreadable line from the harness: %s", exc)
            continue
        method, request_id = request.get("method"), request.get("id")
        params = request.get("params")
        if not isinstance(params, dict):
            params = {}
        try:
            result = await adapter.dispatch(method, params)
            channel.write({"jsonrpc": "2.0", "id": request_id, "result": result})
        except RequestError as exc:
            channel.write({"jsonrpc": "2.0", "id": request_id, "error": {
                "code": exc.code, "message": exc.detail, "data": {"class": exc.error_class, "detail": exc.detail}}})
        except ChannelClosed:
            return 0
        except Exception as exc:  # noqa: BLE001 - an unexpected library failure is `internal`, never guessed
            logging.exception("request %s failed", method)
            detail = error_classes.describe(exc)
            channel.write({"jsonrpc": "2.0", "id": request_id, "error": {
                "code": -32603, "message": detail, "data": {"class": "internal", "detail": detail}}})
        if method == "shutdown":
            return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(serve()))
