"""export_state / import_state blobs (PROTOCOL.md §10): the device's whole python-omemo storage
(identity, x3dh state, sessions with skipped keys, device lists, trust), its seed-stream position
and stanza counter, behind a format marker and version. Canonical JSON: export is a function of the
state."""
import base64
import json

MARKER = b"PYOMEMO-ADAPTER\x00"
VERSION = 1


class BadBlob(Exception):
    pass


def encode(fields):
    body = json.dumps({"version": VERSION, **fields}, sort_keys=True, separators=(",", ":"))
    return base64.b64encode(MARKER + body.encode("utf-8")).decode("ascii")


def decode(text):
    try:
        raw = base64.b64decode(text, validate=True)
    except (TypeError, ValueError) as exc:
        raise BadBlob(f"state is not base64: {exc}")
    if not raw.startswith(MARKER):
        raise BadBlob("not a python-omemo adapter state (format marker missing)")
    try:
        fields = json.loads(raw[len(MARKER):].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadBlob(f"state is corrupt: {exc}")
    if not isinstance(fields, dict) or fields.get("version") != VERSION:
        raise BadBlob(f"state version {fields.get('version') if isinstance(fields, dict) else '?'}, "
                      f"expected {VERSION}")
    for key, kind in (("profile", str), ("jid", str), ("storage", dict), ("seed", str), ("position", int),
                      ("queued_below", list), ("stanza_counter", int), ("started", bool), ("clock", int)):
        if not isinstance(fields.get(key), kind):
            raise BadBlob(f"state field {key!r} missing or of the wrong type")
    return fields
