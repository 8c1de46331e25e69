#!/usr/bin/python3
"""Drives omemo-interop-reference-adapter through a scripted exchange of adapters/PROTOCOL.md 1.0.

The script plays the harness: it sends requests, answers the adapter's own requests (iq, send,
now) from a tiny in-script server (a PEP store per account, an outbox for sent stanzas, a fixed
clock), and checks every answer. For each profile two devices start, exchange a message each way
and decrypt them; around that it checks the declarations against adapter.json, the error
answers (unknown method, unknown or duplicate handle, missing field, corrupt state), the state
round trip, reset, determinism of ids and fingerprints, shutdown, and exit 0 at end of input.

usage: protocol_exchange.py ADAPTER_BINARY ADAPTER_JSON
Exit status 0 when every check passed; 1 with the failing check on stderr.
"""

import base64
import json
import os
import re
import select
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

TIMEOUT_S = 10.0
PUBSUB = "http://jabber.org/protocol/pubsub"
NAMESPACES = {"legacy": "eu.siacs.conversations.axolotl", "omemo2": "urn:xmpp:omemo:2"}
NOW = "2026-01-01T00:00:00Z"


class CheckFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CheckFailed(what)


def seed(byte):
    return base64.b64encode(bytes([byte]) * 32).decode()


class PepServer:
    """PEP nodes per account, enough for device lists and bundles: publish, items (all, or one
    item by id), item-not-found for a node never published."""

    def __init__(self):
        self.nodes = {}  # (bare jid, node) -> {item id: payload xml}
        self.outbox = []  # (sender full jid, stanza) of every `send`

    def iq(self, own_jid, full_jid, stanza):
        root = ET.fromstring(stanza)
        check(root.tag in ("iq", "{jabber:client}iq"), f"iq request is not an <iq>: {stanza}")
        iq_type = root.get("type")
        check(iq_type in ("get", "set"), f"iq request of type {iq_type}")
        iq_id = root.get("id")
        check(iq_id, f"iq without id: {stanza}")
        target = root.get("to") or own_jid
        pubsub = root.find(f"{{{PUBSUB}}}pubsub")
        head = f'<iq xmlns="jabber:client" id="{iq_id}" from="{target}" to="{full_jid}"'
        if pubsub is None:
            return head + ' type="error"><error type="cancel"><feature-not-implemented ' \
                'xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>'
        publish = pubsub.find(f"{{{PUBSUB}}}publish")
        items = pubsub.find(f"{{{PUBSUB}}}items")
        if iq_type == "set" and publish is not None:
            check(target == own_jid, f"publish to another account: {stanza}")
            node = publish.get("node")
            item = publish.find(f"{{{PUBSUB}}}item")
            check(item is not None, f"publish without item: {stanza}")
            item_id = item.get("id") or "current"
            # The payload exactly as the client wrote it (ElementTree would rename namespaces).
            match = re.search(r'<publish node="[^"]*"><item id="[^"]*">(.*?)</item></publish>',
                              stanza)
            check(match, f"publish not in the expected form: {stanza}")
            self.nodes.setdefault((own_jid, node), {})[item_id] = match.group(1)
            return head + f' type="result"><pubsub xmlns="{PUBSUB}"><publish node="{node}">' \
                f'<item id="{item_id}"/></publish></pubsub></iq>'
        if iq_type == "get" and items is not None:
            node = items.get("node")
            stored = self.nodes.get((target, node))
            if stored is None:
                return head + ' type="error"><error type="cancel"><item-not-found ' \
                    'xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>'
            wanted = [i.get("id") for i in items.findall(f"{{{PUBSUB}}}item")]
            chosen = [(k, v) for k, v in stored.items() if not wanted or k in wanted]
            body = "".join(f'<item id="{k}">{v}</item>' for k, v in chosen)
            return head + f' type="result"><pubsub xmlns="{PUBSUB}"><items node="{node}">' \
                f'{body}</items></pubsub></iq>'
        # Node configuration and anything else: accepted.
        return head + ' type="result"/>'


class Adapter:
    """One adapter process, seen from the harness."""

    def __init__(self, binary):
        self.process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=sys.stderr, cwd=os.environ.get("TMPDIR", "/tmp"))
        self.next_id = 1
        self.buffer = b""
        self.server = PepServer()
        self.accounts = {}  # device handle -> (bare jid, resource)
        self.adapter_ids = []  # ids of the adapter's requests, in order
        self.adapter_requests = []  # (method, params) of the adapter's requests

    def write(self, message):
        line = json.dumps(message, separators=(",", ":")) + "\n"
        self.process.stdin.write(line.encode())
        self.process.stdin.flush()

    def read(self):
        deadline = time.monotonic() + TIMEOUT_S
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            check(left > 0, "no line from the adapter within the timeout")
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                check(chunk, f"adapter closed its stdout (exit {self.process.poll()})")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        check(not line.endswith(b"\r") and line.strip() == line, f"line padded: {line!r}")
        message = json.loads(line.decode("utf-8"))
        check(isinstance(message, dict) and message.get("jsonrpc") == "2.0",
              f"not a JSON-RPC 2.0 object: {line!r}")
        return message

    def answer(self, message):
        """Answers one request of the adapter, as the server of its device."""
        method, params, request_id = message["method"], message["params"], message["id"]
        check(request_id not in self.adapter_ids, f"adapter reused request id {request_id}")
        self.adapter_ids.append(request_id)
        self.adapter_requests.append((method, params))
        check(params.get("device") in self.accounts, f"adapter request for unknown device: {message}")
        jid, resource = self.accounts[params["device"]]
        if method == "iq":
            reply = self.server.iq(jid, f"{jid}/{resource}", params["stanza"])
            self.write({"jsonrpc": "2.0", "id": request_id, "result": {"stanza": reply}})
        elif method == "send":
            self.server.outbox.append((f"{jid}/{resource}", params["stanza"]))
            self.write({"jsonrpc": "2.0", "id": request_id, "result": {}})
        elif method == "now":
            self.write({"jsonrpc": "2.0", "id": request_id, "result": {"now": NOW}})
        else:
            raise CheckFailed(f"adapter sent unknown method {method}")

    def request(self, method, params=None):
        """Sends a request, serves the adapter's own requests, returns the response."""
        request_id = self.next_id
        self.next_id += 1
        self.write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}})
        while True:
            message = self.read()
            if "method" in message:
                self.answer(message)
                continue
            check(message.get("id") == request_id,
                  f"response id {message.get('id')} to request {request_id}")
            check(("result" in message) != ("error" in message),
                  f"response needs exactly one of result and error: {message}")
            return message

    def result(self, method, params=None):
        response = self.request(method, params)
        check("result" in response, f"{method} failed: {response}")
        return response["result"]

    def error(self, method, params, code, error_class):
        response = self.request(method, params)
        check("error" in response, f"{method} should fail with {error_class}: {response}")
        error = response["error"]
        check(error.get("code") == code, f"{method}: code {error.get('code')}, expected {code}")
        check(error.get("data", {}).get("class") == error_class,
              f"{method}: class {error.get('data')}, expected {error_class}")
        return error

    def wait_exit(self, what):
        try:
            status = self.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise CheckFailed(f"adapter did not exit after {what}")
        check(status == 0, f"adapter exited with {status} after {what}")


def initialize(adapter, manifest, profiles):
    result = adapter.result("initialize", {"protocol": "1.0", "profiles": profiles,
                                           "seed": seed(0xA0),
                                           "harness": {"name": "omemo-interop", "version": "test"}})
    check(result["protocol"] == "1.0", f"protocol {result['protocol']}")
    check(result["implementation"]["name"] == manifest["name"], "implementation name")
    check(result["profiles"] == manifest["profiles"], "profiles differ from adapter.json")
    check(result["capabilities"] == manifest["capabilities"],
          "capabilities differ from adapter.json")
    check(set(result["trust_policies"]) == {"manual", "btbv", "tofu"}, "trust policies")
    return result


def create(adapter, handle, profile, jid, seed_byte):
    adapter.accounts[handle] = (jid, handle)
    result = adapter.result("create_device", {
        "device": handle, "profile": profile, "jid": jid, "resource": handle, "device_id": 0,
        "keep_device_id": False, "trust_policy": "btbv", "identity_kind": "",
        "pre_key_count": 30, "seed": seed(seed_byte)})
    check(1 <= result["device_id"] < 2**31, f"device id {result['device_id']}")
    check(re.fullmatch(r"([0-9a-f]{8} ){7}[0-9a-f]{8}", result["fingerprint"]),
          f"fingerprint {result['fingerprint']}")
    return result


def delivered(sender_full_jid, stanza):
    """The stanza as the server delivers it: with the sender's full JID as `from`."""
    check(stanza.startswith("<message"), f"not a message: {stanza}")
    return '<message xmlns="jabber:client" from="' + sender_full_jid + '"' + stanza[len("<message"):]


def messages_to(adapter, jid, since):
    return [(sender, stanza) for sender, stanza in adapter.server.outbox[since:]
            if ET.fromstring(stanza).get("to") == jid]


def exchange(adapter, profile):
    """Two devices start, exchange a message each way, and round-trip their state."""
    namespace = NAMESPACES[profile]
    bob = create(adapter, "b1", profile, "bob@example.org", 0x0B)
    alice = create(adapter, "a1", profile, "alice@example.org", 0x0A)
    adapter.error("create_device", {"device": "b1", "profile": profile, "jid": "x@example.org",
                                    "resource": "x", "seed": seed(1)}, -32602, "bad_request")

    for handle, identity in (("b1", bob), ("a1", alice)):
        started = adapter.result("start", {"device": handle})
        check(started["ok"] is True, f"start {handle}: {started}")
        check(started["device_id"] == identity["device_id"], "device id changed on start")
        jid = adapter.accounts[handle][0]
        device_list = adapter.server.nodes.get((jid, f"{namespace}.devicelist"
                                                if profile == "legacy" else f"{namespace}:devices"))
        check(device_list and f'id="{identity["device_id"]}"' in "".join(device_list.values()),
              f"{handle}'s device list was not published with its id: {device_list}")
        bundles = [node for (owner, node) in adapter.server.nodes if owner == jid and
                   ("bundle" in node)]
        check(bundles, f"{handle} published no bundle")

    sent_before = len(adapter.server.outbox)
    outcome = adapter.result("send", {"device": "a1", "recipients": ["bob@example.org"],
                                      "body": "Hello Bob", "to": "", "type": "chat"})
    check(outcome["ok"] is True, f"send a1: {outcome}")
    to_bob = messages_to(adapter, "bob@example.org", sent_before)
    check(len(to_bob) == 1, f"expected one message to bob, got {len(to_bob)}")
    check(f'xmlns="{namespace}"' in to_bob[0][1], f"message without {namespace}: {to_bob[0][1]}")
    check("Hello Bob" not in to_bob[0][1], "the body travels in clear")
    message_to_bob = delivered(*to_bob[0])

    before = adapter.result("export_state", {"device": "b1"})["state"]
    check(adapter.result("export_state", {"device": "b1"})["state"] == before,
          "two exports with nothing between differ")
    received = adapter.result("receive", {"device": "b1", "stanza": message_to_bob})
    check(received.get("kind") == "message" and received.get("body") == "Hello Bob",
          f"b1 did not decrypt Hello Bob: {received}")
    after = adapter.result("export_state", {"device": "b1"})["state"]
    check(after != before, "decrypting a key exchange changed no state")

    # A corrupt blob is bad_data and changes nothing; the genuine one restores the device.
    truncated = base64.b64encode(base64.b64decode(before)[:-7]).decode()
    adapter.error("import_state", {"device": "b1", "state": truncated}, -32000, "bad_data")
    check(adapter.result("export_state", {"device": "b1"})["state"] == after,
          "a refused import changed the state")
    restored = adapter.result("import_state", {"device": "b1", "state": before})
    check(restored["device_id"] == bob["device_id"], "import_state changed the device id")
    again = adapter.result("receive", {"device": "b1", "stanza": message_to_bob})
    check(again.get("kind") == "message" and again.get("body") == "Hello Bob",
          f"the restored device did not decrypt the message again: {again}")

    sent_before = len(adapter.server.outbox)
    outcome = adapter.result("send", {"device": "b1", "recipients": ["alice@example.org"],
                                      "body": "Hi Alice \u00e9\u4e16", "to": "", "type": "chat"})
    check(outcome["ok"] is True, f"send b1: {outcome}")
    to_alice = [m for m in messages_to(adapter, "alice@example.org", sent_before)
                if "<body" in m[1] or "payload" in m[1]]
    check(to_alice, "no message to alice")
    received = adapter.result("receive", {"device": "a1", "stanza": delivered(*to_alice[-1])})
    check(received.get("kind") == "message" and received.get("body") == "Hi Alice \u00e9\u4e16",
          f"a1 did not decrypt Hi Alice: {received}")

    # A tampered copy fails and leaves the receiver's state alone.
    state = adapter.result("export_state", {"device": "a1"})["state"]
    tampered = re.sub(r"<payload>(.)", lambda m: "<payload>" + ("B" if m.group(1) != "B" else "C"),
                      delivered(*to_alice[-1]), count=1)
    failed = adapter.result("receive", {"device": "a1", "stanza": tampered})
    check(failed.get("kind") == "error" and failed.get("error_class"),
          f"a tampered message did not fail: {failed}")
    check(adapter.result("export_state", {"device": "a1"})["state"] == state,
          "a failed decryption changed the state")

    applied = adapter.result("set_misbehaviour", {"device": "a1", "knob": "wrong-ratchet-mac",
                                                  "on": True})
    check(applied == {"applied": True}, f"set_misbehaviour: {applied}")
    unknown = adapter.result("set_misbehaviour", {"device": "a1", "knob": "no-such-knob",
                                                  "on": True})
    check(unknown == {"applied": False}, f"unknown knob: {unknown}")
    check(adapter.result("set_trust", {"device": "a1", "jid": "bob@example.org",
                                       "device_id": bob["device_id"], "trusted": True}) == {},
          "set_trust")
    return bob


def import_keys_errors(adapter):
    """import_keys refuses keys of the wrong length (bad_data) and a missing signed prekey
    (unsupported) and leaves no device behind."""
    keys = {"identity": {"private": base64.b64encode(b"\x01" * 31).decode(),
                         "public": base64.b64encode(b"\x05" + b"\x02" * 32).decode()},
            "registration_id": 1,
            "signed_pre_key": {"id": 1, "private": base64.b64encode(b"\x03" * 32).decode(),
                               "public": base64.b64encode(b"\x05" + b"\x04" * 32).decode(),
                               "signature": base64.b64encode(b"\x06" * 64).decode()},
            "pre_keys": []}
    params = {"device": "v1", "profile": "legacy", "jid": "bob@vectors.example",
              "resource": "v1", "device_id": 2222, "keep_device_id": True, "keys": keys}
    adapter.error("import_keys", params, -32000, "bad_data")
    adapter.error("start", {"device": "v1"}, -32602, "bad_request")
    del keys["signed_pre_key"]
    adapter.error("import_keys", params, -32000, "unsupported")
    adapter.error("import_keys", {"device": "v1", "profile": "legacy", "jid": "b@x",
                                  "resource": "v1"}, -32602, "bad_request")


def first_vector_group(path):
    """The key fields of the first group of a session.vec and its first record, as text."""
    group, record, current = {}, None, None
    with open(path, encoding="utf-8") as vec:
        for raw in vec:
            line = raw.rstrip("\n")
            if line.startswith("#") or not line.strip():
                if record is not None and record and not line.strip():
                    break  # the first record ended
                continue
            if line.startswith("["):
                if group:
                    break
                continue
            if line.startswith("    "):
                current[last] += line.strip()
                continue
            name, value = (part.strip() for part in line.split("=", 1))
            if name == "Id":
                record = {}
            current = group if record is None else record
            current[name] = value.strip('"')
            last = name
    return group, record


def curve25519_of_ed25519(ed_public):
    """The Curve25519 u of an Ed25519 public key: u = (1 + y) / (1 - y) mod p (RFC 7748 §4.1)."""
    p = 2**255 - 19
    y = int.from_bytes(ed_public, "little") & ((1 << 255) - 1)
    u = (1 + y) * pow(1 - y, p - 2, p) % p
    return u.to_bytes(32, "little")


def b64hex(text):
    return base64.b64encode(bytes.fromhex(text)).decode()


def replay_first_vector(adapter, profile, vectors_dir):
    """import_keys of B's keys from the first group of vectors/<profile>/session.vec: the
    published bundle holds exactly those keys, and the group's first message, wrapped in a
    stanza, decrypts to its body (PROTOCOL.md §11, §15 item 10)."""
    group, record = first_vector_group(os.path.join(vectors_dir, profile, "session.vec"))
    check(record and record["Op"] == "encrypt" and record["Sender"] == "alice",
          f"{profile}: unexpected first record {record}")
    bob_jid, alice_jid, bob_id, alice_id = "bob@example.org", "alice@example.org", 2222, 1111
    keys = {"signed_pre_key": {"id": int(group["B_SignedPreKeyId"]),
                               "private": b64hex(group["B_SignedPreKeyPriv"]),
                               "public": b64hex(group["B_SignedPreKeyPub"]),
                               "signature": b64hex(group["B_SignedPreKeySig"])},
            "pre_keys": [{"id": int(group["B_PreKeyId"]), "private": b64hex(group["B_PreKeyPriv"]),
                          "public": b64hex(group["B_PreKeyPub"])}]}
    if profile == "legacy":
        keys["identity"] = {"private": b64hex(group["B_IdentityPriv"]),
                            "public": b64hex(group["B_IdentityPub"])}
        keys["registration_id"] = int(group["B_RegistrationId"])
        bob_id, alice_id = int(group["B_DeviceId"]), int(group["A_DeviceId"])
        fingerprint = bytes.fromhex(group["B_IdentityPub"])[1:]
    else:
        keys["identity"] = {"kind": group["B_IdentityKind"],
                            "private": b64hex(group["B_IdentitySecret"]),
                            "public": b64hex(group["B_IdentityKey"])}
        fingerprint = curve25519_of_ed25519(bytes.fromhex(group["B_IdentityKey"]))
    adapter.accounts["v1"] = (bob_jid, "v1")
    imported = adapter.result("import_keys", {
        "device": "v1", "profile": profile, "jid": bob_jid, "resource": "v1", "device_id": bob_id,
        "keep_device_id": True, "trust_policy": "btbv", "seed": seed(0x51), "keys": keys})
    check(imported["device_id"] == bob_id, f"{profile}: imported device id {imported}")
    check(imported["fingerprint"].replace(" ", "") == fingerprint.hex(),
          f"{profile}: fingerprint {imported['fingerprint']} is not B's identity")

    check(adapter.result("start", {"device": "v1"})["ok"] is True, f"{profile}: start v1")
    bundle = "".join(payload for (owner, node), items in adapter.server.nodes.items()
                     if owner == bob_jid and "bundle" in node for payload in items.values())
    for field in ("B_SignedPreKeyPub", "B_SignedPreKeySig", "B_PreKeyPub",
                  "B_IdentityPub" if profile == "legacy" else "B_IdentityKey"):
        check(b64hex(group[field]) in bundle, f"{profile}: the bundle lacks {field}: {bundle}")
    check(bundle.count("<preKeyPublic " if profile == "legacy" else "<pk ") == 1,
          f"{profile}: the bundle holds other prekeys than the one given: {bundle}")

    message = b64hex(record["Message"])
    if profile == "legacy":
        encrypted = (f'<encrypted xmlns="{NAMESPACES[profile]}"><header sid="{alice_id}">'
                     f'<key rid="{bob_id}" prekey="true">{message}</key>'
                     f'<iv>{b64hex(record["IV"])}</iv></header>'
                     f'<payload>{b64hex(record["Payload"])}</payload></encrypted>')
    else:
        encrypted = (f'<encrypted xmlns="{NAMESPACES[profile]}"><header sid="{alice_id}">'
                     f'<keys jid="{bob_jid}"><key rid="{bob_id}" kex="true">{message}</key></keys>'
                     f'</header><payload>{b64hex(record["Payload"])}</payload></encrypted>')
    stanza = (f'<message xmlns="jabber:client" from="{alice_jid}/a1" to="{bob_jid}" '
              f'type="chat" id="vector-1">{encrypted}</message>')
    received = adapter.result("receive", {"device": "v1", "stanza": stanza})
    check(received.get("kind") == "message" and received.get("body") == record["Body"]
          if "Body" in record else received.get("kind") == "message",
          f"{profile}: the vector's first message did not decrypt: {received}")
    if profile == "omemo2":
        envelope = bytes.fromhex(record["Envelope"]).decode()
        body = re.search(r"<body[^>]*>(.*)</body>", envelope).group(1)
        check(received.get("body") == body, f"omemo2: body {received.get('body')!r}, "
              f"envelope says {body!r}")
    adapter.result("reset")
    adapter.server = PepServer()


def main():
    binary, manifest_path = os.path.abspath(sys.argv[1]), sys.argv[2]
    with open(manifest_path, encoding="utf-8") as manifest_file:
        manifest = json.load(manifest_file)

    version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    check(version.returncode == 0 and re.fullmatch(r"reference \S+\n", version.stdout),
          f"--version printed {version.stdout!r}")

    adapter = Adapter(binary)
    adapter.error("start", {"device": "b1"}, -32602, "bad_request")  # before initialize
    initialize(adapter, manifest, ["legacy", "omemo2"])
    adapter.error("check.probe_5f3a", {}, -32601, "unsupported")
    adapter.error("start", {"device": "nobody"}, -32602, "bad_request")
    adapter.error("create_device", {"device": "x1", "profile": "omemo2", "resource": "x",
                                    "seed": seed(1)}, -32602, "bad_request")  # no jid
    adapter.error("create_device", {"device": "x1", "profile": "omemo3", "jid": "x@example.org",
                                    "resource": "x", "seed": seed(1)}, -32602, "bad_request")

    first_ids = {}
    for profile in ("omemo2", "legacy"):
        bob = exchange(adapter, profile)
        first_ids[profile] = (bob["device_id"], bob["fingerprint"])
        check(adapter.result("reset") == {}, "reset")
        adapter.error("start", {"device": "a1"}, -32602, "bad_request")  # dropped by reset
        adapter.server = PepServer()
    for profile in ("omemo2", "legacy"):
        again = create(adapter, "b1", profile, "bob@example.org", 0x0B)
        check((again["device_id"], again["fingerprint"]) == first_ids[profile],
              f"{profile}: the same seed gave another device after reset")
        adapter.result("reset")
    import_keys_errors(adapter)
    vectors_dir = os.path.join(os.path.dirname(os.path.abspath(manifest_path)), "..", "..",
                               "vectors")
    for profile in ("legacy", "omemo2"):
        replay_first_vector(adapter, profile, vectors_dir)

    check(all(isinstance(i, str) for i in adapter.adapter_ids), "adapter ids are not strings")
    check(adapter.adapter_ids == [f"a{n}" for n in range(1, len(adapter.adapter_ids) + 1)],
          "adapter request ids are not a1, a2, ...")
    check(len(adapter.adapter_ids) > 10, "the adapter made almost no requests")

    check(adapter.result("shutdown") == {}, "shutdown")
    adapter.wait_exit("shutdown")
    check(adapter.process.stdout.read() == b"", "output after the shutdown answer")

    # End of input: between requests, and while the adapter waits for its own request.
    idle = Adapter(binary)
    initialize(idle, manifest, ["omemo2"])
    idle.process.stdin.close()
    idle.wait_exit("end of input")

    waiting = Adapter(binary)
    initialize(waiting, manifest, ["omemo2"])
    waiting.accounts["b1"] = ("bob@example.org", "b1")
    create(waiting, "b1", "omemo2", "bob@example.org", 0x0B)
    waiting.write({"jsonrpc": "2.0", "id": waiting.next_id, "method": "start",
                   "params": {"device": "b1"}})
    nested = waiting.read()
    check(nested.get("method") == "iq", f"start did not ask the server first: {nested}")
    waiting.process.stdin.close()
    waiting.wait_exit("end of input during a nested request")

    # A harness that breaks the protocol (a response to nothing) ends the process non-zero.
    broken = Adapter(binary)
    initialize(broken, manifest, ["omemo2"])
    broken.write({"jsonrpc": "2.0", "id": "a99", "result": {}})
    status = broken.process.wait(timeout=3)
    check(status == 1, f"a stray response gave exit {status}, expected 1")

    print(f"adapter.reference.protocol: {len(adapter.adapter_ids)} adapter requests served, "
          "all checks passed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CheckFailed as failure:
        print(f"adapter.reference.protocol: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
