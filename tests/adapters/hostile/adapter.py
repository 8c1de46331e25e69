"""A hostile adapter for the report-escaping tests (tests/unit/report_html_test.cpp,
tests/browser/). It wraps no OMEMO implementation: it speaks the adapter protocol
(adapters/PROTOCOL.md 1.0) correctly, but every string it hands the harness -- version,
fingerprints, details, decrypted bodies, stanza ids, stderr -- carries markup that would run if
a report pasted it into HTML unescaped, and its stderr carries invalid UTF-8.

To reach the scenario cells it passes the contract self-test (`omemo-interop adapter check`):
its messages carry their body in the clear (plus a marker element), and it "decrypts" its own
messages to that body. Anything else -- every real OMEMO message -- "decrypts" to the hostile
text. Its cells fail by design; it must never appear in a real matrix."""

import hashlib
import json
import sys
import xml.etree.ElementTree as ElementTree

# Each payload sets window.__pwned in a browser if it is ever interpreted instead of shown.
MARKER = "urn:omemo-interop:test:hostile"
SCRIPT = "<script>window.__pwned=1</script>"
CLOSE = "</script><script>window.__pwned=2</script>"
ATTRIBUTE = "\"onload=\"window.__pwned=3\" x=\""
IMAGE = "<img src=x onerror=\"window.__pwned=4\">"
HOSTILE = SCRIPT + " " + CLOSE + " " + ATTRIBUTE + " " + IMAGE
INVALID_UTF8 = b"\xff\xfe\xc0\xaf\xed\xa0\x80 (invalid UTF-8)"


def xml_attribute(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\"", "&quot;"))


class Channel:
    def __init__(self):
        self.next_id = 1
        self.stdin = sys.stdin.buffer
        self.stdout = sys.stdout.buffer

    def write(self, message):
        self.stdout.write(json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n")
        self.stdout.flush()

    def read(self):
        line = self.stdin.readline()
        if not line:
            sys.exit(0)
        return json.loads(line)

    def call(self, method, params):
        """Asks the harness (PROTOCOL.md section 6) and waits for its answer."""
        request_id = "h%d" % self.next_id
        self.next_id += 1
        self.write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        answer = self.read()
        if answer.get("id") != request_id:
            raise RuntimeError("unexpected message while waiting for %s" % request_id)
        return answer


def log(text):
    sys.stderr.buffer.write(text.encode("utf-8") + b" " + INVALID_UTF8 + b"\n")
    sys.stderr.buffer.flush()


def main():
    channel = Channel()
    devices = {}
    stanza_counter = 0
    while True:
        request = channel.read()
        method, params, request_id = request.get("method"), request.get("params", {}), request.get("id")

        def answer(result):
            channel.write({"jsonrpc": "2.0", "id": request_id, "result": result})

        log("hostile adapter got %s %s" % (method, HOSTILE))
        if method == "initialize":
            answer({"protocol": "1.0",
                    "implementation": {"name": "hostile", "version": "0.1 " + SCRIPT,
                                       "backend": HOSTILE},
                    "profiles": ["legacy", "omemo2"], "capabilities": []})
        elif (method in ("start", "send", "receive", "set_trust")
              and params.get("device") not in devices) or (method == "create_device"
                                                           and "jid" not in params):
            channel.write({"jsonrpc": "2.0", "id": request_id,
                           "error": {"code": -32602, "message": "bad request " + HOSTILE,
                                     "data": {"class": "bad_request", "detail": HOSTILE}}})
        elif method == "create_device":
            seed = params.get("seed", "")
            device_id = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:4], "big") % (2**31 - 1) + 1
            devices[params["device"]] = {"id": device_id, "jid": params.get("jid", "")}
            answer({"device_id": device_id, "fingerprint": ATTRIBUTE + " " + SCRIPT})
        elif method in ("start", "send"):
            device = devices.get(params.get("device"))
            if device is None:
                channel.write({"jsonrpc": "2.0", "id": request_id,
                               "error": {"code": -32602, "message": "unknown device " + HOSTILE,
                                         "data": {"class": "bad_request", "detail": HOSTILE}}})
                continue
            stanza_counter += 1
            stanza_id = xml_attribute("%d-%s" % (stanza_counter, HOSTILE))
            if method == "start":
                channel.call("send", {"device": params["device"],
                                      "stanza": "<presence id=\"%s\"/>" % stanza_id})
                answer({"ok": True, "device_id": device["id"],
                        "fingerprint": ATTRIBUTE + " " + SCRIPT, "detail": HOSTILE})
            else:
                to = params.get("to") or (params.get("recipients") or [""])[0]
                body = params.get("body")
                channel.call("send", {"device": params["device"], "stanza":
                                      "<message type=\"%s\" to=\"%s\" id=\"%s\"><body>%s</body>"
                                      "<hostile xmlns=\"%s\">%s</hostile></message>"
                                      % (xml_attribute(params.get("type") or "chat"),
                                         xml_attribute(to), stanza_id,
                                         xml_attribute(body if body is not None else ""), MARKER,
                                         xml_attribute(HOSTILE))})
                answer({"ok": True, "detail": "sent in the clear: " + HOSTILE,
                        "skipped_devices": ["hostile@example.org/1: " + HOSTILE]})
        elif method == "receive":
            try:
                stanza = ElementTree.fromstring(params.get("stanza", ""))
            except ElementTree.ParseError:
                answer({"kind": "error", "error_class": "bad_data", "detail": "unparsable " + HOSTILE})
                continue
            if stanza.tag.rsplit("}", 1)[-1] != "message" or stanza.get("type") == "headline":
                answer({"kind": "ignored", "detail": HOSTILE})
            elif any(child.tag == "{%s}hostile" % MARKER for child in stanza):
                body = next((child.text or "" for child in stanza
                             if child.tag.rsplit("}", 1)[-1] == "body"), "")
                answer({"kind": "message", "body": body, "detail": HOSTILE})
            else:
                answer({"kind": "message", "body": "decrypted " + HOSTILE, "detail": HOSTILE,
                        "sender_trusted": False})
        elif method in ("set_trust", "reset", "shutdown"):
            if method == "reset":
                devices.clear()
            answer({})
            if method == "shutdown":
                return
        else:
            channel.write({"jsonrpc": "2.0", "id": request_id,
                           "error": {"code": -32601, "message": "method not found: " + HOSTILE,
                                     "data": {"class": "unsupported", "detail": HOSTILE}}})


if __name__ == "__main__":
    main()
