"""The JSON-RPC 2.0 line channel to the harness (PROTOCOL.md §2).

The harness has at most one request outstanding; while the adapter handles it, the adapter's own
requests (`iq`, `send`, `now`) are answered in order. Reading the answer synchronously is therefore
correct: nothing else can arrive in between (§2.2 rule 1).
"""
import json


class ChannelClosed(Exception):
    """stdin reached end of file: the harness went away."""


class HarnessRefused(Exception):
    """The harness answered one of our requests with a JSON-RPC error."""


class ProtocolViolation(Exception):
    """The harness sent something this protocol does not allow at this point."""


class HarnessChannel:
    def __init__(self, reader, writer):
        self._reader = reader
        self._writer = writer
        self._next_id = 0

    def write(self, message):
        self._writer.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._writer.flush()

    def read(self):
        """Returns the next message (a dict), or raises ChannelClosed at end of file."""
        line = self._reader.readline()
        if not line:
            raise ChannelClosed()
        message = json.loads(line)
        if not isinstance(message, dict):
            raise ProtocolViolation(f"not a JSON object: {line[:200]!r}")
        return message

    def call(self, method, params):
        """Sends a request to the harness and returns its result (blocking)."""
        self._next_id += 1
        request_id = f"a{self._next_id}"
        self.write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        reply = self.read()
        if reply.get("id") != request_id or "method" in reply:
            raise ProtocolViolation(f"expected the answer to {request_id} ({method}), got {reply!r:.300}")
        if "error" in reply:
            raise HarnessRefused(f"harness refused {method}: {reply['error']!r}")
        return reply.get("result", {})
