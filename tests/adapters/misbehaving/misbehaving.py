#!/usr/bin/python3
"""Misbehaving test adapters (adapters/PROTOCOL.md): each MODE breaks the protocol one way.

The harness must turn each into its verdict, finish the run and leave no process behind
(tests/adapters/misbehaving/check_misbehaving.py asserts it). Every mode except `null` answers
the protocol items of `adapter check` (initialize, unknown method, bad requests) correctly, so
that its misbehaviour reaches the cells; the misbehaviour starts at the first `create_device`
or `start` of a device.

  null     answers unsupported to everything, initialize included      -> cases error, score 0
  liar     declares omemo2, then refuses create_device as unsupported  -> fail
  crasher  dies from SIGSEGV in the middle of `start`                   -> crash
  hanger   stops answering in the middle of `start`                     -> timeout
  garbage  answers `create_device` with a line that is not JSON         -> error
  flooder  floods stderr and writes a 4 MiB line to stdout              -> error
  forker   leaves a background child in its group, then refuses start  -> fail; child killed
"""
import json
import os
import signal
import subprocess
import sys
import time

MODE = sys.argv[1]
DEVICE_METHODS = {"start", "send", "receive", "set_trust", "export_state", "import_state",
                  "begin_catch_up", "end_catch_up", "join_room", "leave_room", "rotate",
                  "set_misbehaviour"}
OUT = sys.stdout


def write(message):
    OUT.write(json.dumps(message) + "\n")
    OUT.flush()


def error(rid, code, klass, detail):
    write({"jsonrpc": "2.0", "id": rid,
           "error": {"code": code, "message": detail, "data": {"class": klass, "detail": detail}}})


def result(rid, value):
    write({"jsonrpc": "2.0", "id": rid, "result": value})


def misbehave(rid, method):
    if MODE == "liar":
        error(rid, -32000, "unsupported", "omemo2 is not really supported")
    elif MODE == "crasher":
        sys.stderr.write("crasher: about to crash in %s\n" % method)
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGSEGV)
    elif MODE == "hanger":
        sys.stderr.write("hanger: stops answering in %s\n" % method)
        sys.stderr.flush()
        time.sleep(3600)
    elif MODE == "garbage":
        OUT.write("this is <not> JSON at all\n")
        OUT.flush()
    elif MODE == "flooder":
        chunk = "flood " * 10000 + "\n"
        for _ in range(300):  # 18 MB of stderr
            try:
                sys.stderr.write(chunk)
            except BrokenPipeError:
                break
        OUT.write("x" * (4 << 20))  # one line far over the 1 MiB limit
        OUT.flush()
        time.sleep(3600)
    elif MODE == "forker":
        error(rid, -32000, "unsupported", "refuses after forking")


def main():
    devices = set()
    for line in sys.stdin:
        message = json.loads(line)
        rid, method, params = message["id"], message["method"], message.get("params", {})
        if MODE == "null":
            error(rid, -32601, "unsupported", "null adapter: %s" % method)
            continue
        if method == "initialize":
            if MODE == "forker":
                # A child in the adapter's process group that would outlive it.
                subprocess.Popen(["/bin/sleep", "3001"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            result(rid, {"protocol": "1.0",
                         "implementation": {"name": "misbehaving-" + MODE, "version": "0"},
                         "profiles": ["omemo2"], "capabilities": []})
        elif method in ("reset",):
            devices.clear()
            result(rid, {})
        elif method == "shutdown":
            result(rid, {})
            return
        elif method in ("create_device", "import_keys"):
            if "jid" not in params:
                error(rid, -32602, "bad_request", "jid missing")
            elif MODE in ("liar", "garbage", "flooder"):
                misbehave(rid, method)
            else:
                devices.add(params.get("device"))
                result(rid, {"device_id": 1000 + len(devices),
                             "fingerprint": " ".join(["00000000"] * 8)})
        elif method not in DEVICE_METHODS:
            error(rid, -32601, "unsupported", "method not found: %s" % method)
        elif params.get("device") not in devices:
            error(rid, -32602, "bad_request", "unknown device handle")
        elif method == "start":
            misbehave(rid, method)
        else:
            error(rid, -32601, "unsupported", "not implemented: %s" % method)


if __name__ == "__main__":
    main()
