#!/usr/bin/python3
"""Drives the lurch adapter through a scripted exchange (PROTOCOL.md) with an in-script PEP store.

Usage: protocol_exchange.py ADAPTER_BINARY ADAPTER_JSON

Checks: initialize matches adapter.json; start publishes the device list and the bundle; a send
to an account whose device list was never pushed goes out unencrypted (lurch's behaviour); after
pushed device lists a message each way decrypts, the receiver republishes its bundle after the key
exchange, a replay is `replay`, a flipped GCM tag is `bad_payload_mac`; bad requests and unknown
methods get the right error answers; reset deletes the SQLite files; the same seeds give the same
protocol lines in a second process; shutdown and end of input exit 0.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEVICELIST = "eu.siacs.conversations.axolotl.devicelist"


class Adapter:
    def __init__(self, binary, workdir):
        self.workdir = workdir
        self.proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(workdir, "stderr.log"), "w"),
                                     text=True, cwd=workdir,
                                     env={"HOME": workdir, "TMPDIR": workdir,
                                          "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        self.next_id = 0
        self.pep = {}        # (bare jid, node) -> "<item>...</item>"
        self.jid = {}        # handle -> bare jid
        self.sent = []       # (handle, stanza) of `send` requests
        self.iqs = []        # (handle, stanza) of `iq` requests
        self.lines = []      # every line the adapter wrote

    def _read(self):
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError("adapter closed stdout")
        self.lines.append(line)
        return json.loads(line)

    def _answer_iq(self, handle, stanza):
        sid = re.search(r' id="([^"]*)"', stanza).group(1)
        items = re.search(r'<items node="([^"]*)"', stanza)
        if items:
            to = re.search(r' to="([^"]*)"', stanza).group(1)
            item = self.pep.get((to, items.group(1)))
            if item is None:
                return (f'<iq type="error" id="{sid}"><error type="cancel"><item-not-found '
                        f'xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>')
            return (f'<iq type="result" id="{sid}"><pubsub xmlns="http://jabber.org/protocol/'
                    f'pubsub"><items node="{items.group(1)}">{item}</items></pubsub></iq>')
        node = re.search(r'<publish node="([^"]*)"', stanza).group(1)
        self.pep[(self.jid[handle], node)] = re.search(r"<item[ >].*</item>", stanza, re.S).group(0)
        return f'<iq type="result" id="{sid}"/>'

    def request(self, method, params):
        self.next_id += 1
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                                          "params": params}) + "\n")
        self.proc.stdin.flush()
        while True:
            message = self._read()
            if "method" not in message:
                assert message["id"] == self.next_id, message
                return message
            handle, stanza = message["params"]["device"], message["params"].get("stanza", "")
            if message["method"] == "iq":
                self.iqs.append((handle, stanza))
                result = {"stanza": self._answer_iq(handle, stanza)}
            elif message["method"] == "send":
                self.sent.append((handle, stanza))
                result = {}
            else:
                raise AssertionError(f"unexpected request {message}")
            self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": message["id"],
                                              "result": result}) + "\n")
            self.proc.stdin.flush()

    def result(self, method, params):
        answer = self.request(method, params)
        assert "result" in answer, f"{method}: {answer}"
        return answer["result"]

    def push_devicelist(self, owner, to_handle):
        item = self.pep[(owner, DEVICELIST)]
        event = (f'<message from="{owner}" to="{self.jid[to_handle]}/{to_handle}" type="headline">'
                 f'<event xmlns="http://jabber.org/protocol/pubsub#event"><items node="{DEVICELIST}">'
                 f'{item}</items></event></message>')
        return self.result("receive", {"device": to_handle, "stanza": event})


def seed(n):
    return base64.b64encode(bytes([n]) * 32).decode()


def delivered(stanza, sender_full):
    return stanza.replace("<message ", f'<message from="{sender_full}" ', 1)


def exchange(binary, manifest):
    workdir = tempfile.mkdtemp(prefix="lurch-test-")
    a = Adapter(binary, workdir)
    init = a.result("initialize", {"protocol": "1.0", "profiles": ["legacy"], "seed": seed(0),
                                   "harness": {"name": "test", "version": "0"}})
    assert init["profiles"] == manifest["profiles"], init
    assert sorted(init["capabilities"]) == sorted(manifest["capabilities"]), init

    for handle, jid, n in (("b1", "bob@example.org", 1), ("a1", "alice@example.org", 2)):
        a.jid[handle] = jid
        created = a.result("create_device", {"device": handle, "profile": "legacy", "jid": jid,
                                             "resource": handle, "seed": seed(n)})
        assert 0 < created["device_id"] < 2**31 and len(created["fingerprint"]) == 71, created
        started = a.result("start", {"device": handle})
        assert started["ok"] and started["device_id"] == created["device_id"], started
        device_id = created["device_id"]
        assert f'<device id="{device_id}"' in a.pep[(jid, DEVICELIST)]
        assert (jid, f"eu.siacs.conversations.axolotl.bundles:{device_id}") in a.pep
    b_id = a.result("start", {"device": "b1"})["device_id"]

    # No pushed device list: lurch sends the body in the clear.
    plain = a.result("send", {"device": "a1", "recipients": ["bob@example.org"],
                              "body": "in the clear", "to": "", "type": "chat"})
    assert plain["ok"] and "UNENCRYPTED" in plain["detail"], plain
    assert "<encrypted" not in a.sent[-1][1] and "<body>in the clear</body>" in a.sent[-1][1]

    assert a.push_devicelist("bob@example.org", "a1") == {"kind": "pep_update"}
    body = "Hello <Bob> & \u00e9"
    assert a.result("send", {"device": "a1", "recipients": ["bob@example.org"], "body": body,
                             "to": "", "type": "chat"})["ok"]
    first = a.sent[-1][1]
    assert re.search(rf'<key\s+rid="{b_id}"\s+prekey="true"', first), first
    iqs_before = len(a.iqs)
    got = a.result("receive", {"device": "b1",
                               "stanza": delivered(first, "alice@example.org/a1")})
    assert got["kind"] == "message" and got["body"] == body, got
    assert any(f"bundles:{b_id}" in s for _, s in a.iqs[iqs_before:]), "no bundle republish"

    assert a.push_devicelist("alice@example.org", "b1") == {"kind": "pep_update"}
    assert a.result("send", {"device": "b1", "recipients": ["alice@example.org"],
                             "body": "Hi Alice", "to": "", "type": "chat"})["ok"]
    reply = delivered(a.sent[-1][1], "bob@example.org/b1")
    assert "prekey=" not in reply, reply
    tampered = re.sub(r"<payload>(.)", lambda m: "<payload>" + ("B" if m.group(1) != "B" else "C"),
                      reply)
    bad = a.result("receive", {"device": "a1", "stanza": tampered})
    assert bad["kind"] == "error" and bad["error_class"] == "bad_payload_mac", bad
    # The tag check failed after the ratchet step (not atomic): the genuine copy is a duplicate.
    again = a.result("receive", {"device": "a1", "stanza": reply})
    assert again["kind"] == "error" and again["error_class"] == "replay", again

    unknown = a.request("check.probe_1234", {})
    assert unknown["error"]["code"] == -32601, unknown
    assert a.request("start", {"device": "zz"})["error"]["data"]["class"] == "bad_request"
    assert a.request("create_device", {"device": "c1", "profile": "legacy", "resource": "r",
                                       "seed": seed(3)})["error"]["data"]["class"] == "bad_request"
    assert a.request("set_trust", {"device": "a1", "jid": "bob@example.org", "device_id": b_id,
                                   "trusted": False})["error"]["data"]["class"] == "unsupported"

    # import_keys (implemented, not declared): the keys of PROTOCOL.md §11's example (Bob of
    # vectors/legacy/session.vec). axc can publish signed prekey 0 only: id 5 is unsupported.
    keys = {"identity": {"private": "sCqavfTaKwsgGn/YvieSLySL0E7SOlpi7rzPs9qwxmQ=",
                         "public": "BZYp4jA5RuRvFyqT+HqUkfSD7vENwK4yj8pWYeuDjHgh"},
            "registration_id": 2222,
            "signed_pre_key": {"id": 5, "private": "qCnfNGzPcYYX1LXYhvyULriKEeui7cmLQgsiXZbDxU4=",
                               "public": "BSIZjN8H82VjuhCIVokV9LYCYTCPRGyoEDI1APn0yKo3",
                               "signature": "mrHzvPlc4+lLrYK7ke/6P1Izjc7FGX6KMh7Qv/ocoosBv8mTxKGAfxWogQlJEsgId2oBuhw8aLe/k0kVxuSHhw=="},
            "pre_keys": [{"id": 55, "private": "WFMktuA4ZFzpRZr05oinOAs5cH4JEUixK7TfD1X3hm4=",
                          "public": "BYTH8onNfRbdwvmxX713Pn77xQRqMpXu3f2NXZ8VU0xM"}]}
    spec = {"device": "v1", "profile": "legacy", "jid": "vec@example.org", "resource": "v1",
            "device_id": 2222, "keep_device_id": True, "keys": keys}
    refused = a.request("import_keys", spec)
    assert refused["error"]["data"]["class"] == "unsupported", refused
    keys["signed_pre_key"]["id"] = 0
    a.jid["v1"] = "vec@example.org"
    imported = a.result("import_keys", spec)
    assert imported == {"device_id": 2222, "fingerprint": "9629e230 3946e46f 172a93f8 7a9491f4 "
                        "83eef10d c0ae328f ca5661eb 838c7821"}, imported
    # The vector's one prekey is too few for libomemo's bundle export (20 at least).
    started = a.result("start", {"device": "v1"})
    assert not started["ok"] and "fewer than 20 prekeys" in started["detail"], started
    keys["pre_keys"][0]["public"] = "BYTH8onN"
    short = a.request("import_keys", {**spec, "device": "v2"})
    assert short["error"]["data"]["class"] == "bad_data", short

    assert any(f.endswith(".sqlite") for f in os.listdir(workdir))
    assert a.result("reset", {}) == {}
    assert not any(f.endswith(".sqlite") for f in os.listdir(workdir)), os.listdir(workdir)
    assert a.request("start", {"device": "a1"})["error"]["data"]["class"] == "bad_request"
    assert a.result("shutdown", {}) == {}
    assert a.proc.wait(timeout=10) == 0
    shutil.rmtree(workdir)
    return a.lines


def main():
    binary, manifest_path = sys.argv[1], sys.argv[2]
    manifest = json.load(open(manifest_path))
    first = exchange(binary, manifest)
    second = exchange(binary, manifest)
    if "deterministic" in manifest["capabilities"]:
        assert first == second, "same seeds, different protocol lines"
    # End of input: exit 0.
    workdir = tempfile.mkdtemp(prefix="lurch-test-eof-")
    proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=workdir,
                            env={"HOME": workdir, "PATH": "/usr/bin:/bin"})
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    shutil.rmtree(workdir)
    print(f"ok: {len(first)} protocol lines, identical in two processes")


if __name__ == "__main__":
    main()
