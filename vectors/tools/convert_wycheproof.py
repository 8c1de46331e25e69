#!/usr/bin/python3
"""Converts Wycheproof JSON test vectors to omemo-vec/1, keeping the groups that match OMEMO.

Inputs:  WYCHEPROOF_DIR/{hkdf_sha256,hmac_sha256,x25519,ed25519,aes_gcm,aes_cbc_pkcs5}_test.json
         from C2SP/wycheproof testvectors_v1/ at commit UPSTREAM_COMMIT (Apache-2.0).
Outputs: vectors/primitives/wycheproof_*.vec (one per input), overwritten.
Rerun:   /usr/bin/python3 vectors/tools/convert_wycheproof.py [WYCHEPROOF_DIR]
         (default WYCHEPROOF_DIR: /work/shared/data/wycheproof). The script checks each input's
         SHA-256 against the one recorded below and stops on drift: update UPSTREAM_COMMIT and the
         hashes deliberately when moving to a newer upstream.

The conversion is mechanical: each kept testGroup becomes a [group] whose parameters are
group-level fields; each test becomes a record with Id (running number), Upstream
"wycheproof tcId N", Result, Flags and Comment, and the test's values under the field names our
checkers use. Kept groups: all of hkdf_sha256, hmac_sha256 (tag sizes 128 and 256, every key
size), x25519 and ed25519; aes_gcm with a 128-bit key, 96- or 128-bit IV and 128-bit tag;
aes_cbc_pkcs5 with a 256-bit key.
"""

import hashlib
import json
import os
import sys

sys.dont_write_bytecode = True  # keep vectors/tools free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecwriter import VecFile  # noqa: E402

UPSTREAM_COMMIT = "dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(REPO, "vectors", "primitives")

NOTICE = """\
Converted from Project Wycheproof test vectors (C2SP/wycheproof, testvectors_v1/{name} at
commit {commit}). Copyright the Wycheproof authors. Licensed under the Apache License,
Version 2.0: see vectors/LICENSES/Apache-2.0.txt and vectors/LICENSES/NOTICE-wycheproof.md.
Changes: converted mechanically to omemo-vec/1 by vectors/tools/convert_wycheproof.py; only the
groups matching OMEMO's parameters are kept ({kept}); tcId is kept as Upstream, result, flags
and comment are kept; field names are renamed to the harness's checker fields."""


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def b(hex_text):
    return bytes.fromhex(hex_text)


# name -> (check, title, requirements, group fields, test fields, keep(group), kept text)
SPECS = {
    "hkdf_sha256": dict(
        check="hkdf-sha256",
        title="HKDF-SHA-256 (Wycheproof)",
        requirements=["R-OM2-001", "R-OM2-012", "R-OM2-013", "R-OM2-018"],
        group_fields=[("KeySize", "keySize", int)],
        test_fields=[("IKM", "ikm", b), ("Salt", "salt", b), ("Info", "info", b), ("L", "size", int),
                     ("OKM", "okm", b)],
        keep=lambda g: True,
        kept="all groups",
    ),
    "hmac_sha256": dict(
        check="hmac-sha256",
        title="HMAC-SHA-256 (Wycheproof)",
        requirements=["R-OM2-012", "R-OM2-014", "R-OM2-015", "R-OM2-019"],
        group_fields=[("KeySize", "keySize", int), ("TagSize", "tagSize", int)],
        test_fields=[("Key", "key", b), ("Msg", "msg", b), ("Tag", "tag", b)],
        keep=lambda g: g["tagSize"] in (128, 256),
        kept="tag sizes 128 and 256 bits, all key sizes",
    ),
    "x25519": dict(
        check="x25519",
        title="X25519 (Wycheproof)",
        requirements=["R-OM2-001", "R-OM2-012"],
        group_fields=[],
        test_fields=[("Private", "private", b), ("Public", "public", b), ("Shared", "shared", b)],
        keep=lambda g: g["curve"] == "curve25519",
        kept="all groups",
    ),
    "ed25519": dict(
        check="ed25519",
        title="Ed25519 verification (Wycheproof)",
        requirements=["R-OM2-002", "R-OM2-004", "R-OM2-027"],
        group_fields=[("PublicKey", "publicKey", lambda v: b(v["pk"]))],
        test_fields=[("Msg", "msg", b), ("Sig", "sig", b)],
        keep=lambda g: True,
        kept="all groups",
    ),
    "aes_gcm": dict(
        check="aes-gcm",
        title="AES-128-GCM, 96- and 128-bit IV (Wycheproof)",
        requirements=["R-LEG-017", "R-LEG-018", "R-LEG-019", "R-LEG-035", "A-01"],
        group_fields=[("KeySize", "keySize", int), ("IvSize", "ivSize", int), ("TagSize", "tagSize", int)],
        test_fields=[("Key", "key", b), ("IV", "iv", b), ("Aad", "aad", b), ("Msg", "msg", b),
                     ("Ct", "ct", b), ("Tag", "tag", b)],
        keep=lambda g: g["keySize"] == 128 and g["ivSize"] in (96, 128) and g["tagSize"] == 128,
        kept="128-bit key, 96- and 128-bit IV, 128-bit tag",
    ),
    "aes_cbc_pkcs5": dict(
        check="aes-cbc-pkcs7",
        title="AES-256-CBC with PKCS#7 padding (Wycheproof)",
        requirements=["R-OM2-013", "R-OM2-018"],
        group_fields=[("KeySize", "keySize", int), ("IvSize", "ivSize", int)],
        test_fields=[("Key", "key", b), ("IV", "iv", b), ("Msg", "msg", b), ("Ct", "ct", b)],
        keep=lambda g: g["keySize"] == 256,
        kept="256-bit keys",
    ),
}

FIELD_TYPES = {int: "int"}


def convert(name, source_dir):
    spec = SPECS[name]
    path = os.path.join(source_dir, f"{name}_test.json")
    digest = sha256_file(path)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)

    fields = [(n, FIELD_TYPES.get(conv, "hex")) for n, _, conv in spec["group_fields"] + spec["test_fields"]]
    fields += [("Id", "int"), ("Result", "enum"), ("Flags", "list"), ("Comment", "str"), ("Upstream", "str")]
    vec = VecFile(spec["title"], spec["check"], fields, spec["requirements"])
    vec.header("source", f"C2SP/wycheproof@{UPSTREAM_COMMIT}:testvectors_v1/{name}_test.json")
    vec.header("upstream-sha256", digest)
    vec.header("license", "Apache-2.0")
    vec.header("notice", "vectors/LICENSES/NOTICE-wycheproof.md")
    vec.header("generator", "vectors/tools/convert_wycheproof.py (mechanical conversion)")
    vec.header("cross-checked", "upstream Wycheproof expectations vs harness C++ (oi::crypto), "
                                "tests/unit/vec_files_test.cpp")
    notice = NOTICE.format(name=f"{name}_test.json", commit=UPSTREAM_COMMIT, kept=spec["kept"])
    vec.comment(notice.replace("\n", " "))
    vec.comment("")
    vec.comment("Upstream header: " + " ".join(data.get("header", [])))
    vec.comment("Flags (upstream notes):")
    for flag, note in sorted(data.get("notes", {}).items()):
        description = note["description"] if isinstance(note, dict) else str(note)
        vec.comment(f"{flag}: {description}", indent="  ")

    kept_groups = 0
    for index, group in enumerate(data["testGroups"], start=1):
        if not spec["keep"](group):
            continue
        kept_groups += 1
        params = " ".join(f"{k}={group[k]}" for k in ("keySize", "ivSize", "tagSize") if k in group)
        group_name = f"wycheproof group {index}" + (f" {params}" if params else "")
        group_fields = [(n, conv(group[key])) for n, key, conv in spec["group_fields"]]
        vec.group(group_name, group_fields)
        for test in group["tests"]:
            record = [("Upstream", f"wycheproof tcId {test['tcId']}"),
                      ("Result", ("enum", test["result"]))]
            if test.get("flags"):
                record.append(("Flags", ("list", test["flags"])))
            if test.get("comment"):
                record.append(("Comment", test["comment"]))
            record += [(n, conv(test[key])) for n, key, conv in spec["test_fields"]]
            vec.record(record)
    out = os.path.join(OUT_DIR, f"wycheproof_{name}.vec")
    vec.write(out)
    return out, kept_groups, vec


def main():
    source_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/wycheproof"
    for name in SPECS:
        out, groups, vec = convert(name, source_dir)
        results = {}
        for g in vec.groups:
            for r in g[3]:
                res = dict(r)["Result"][1]
                results[res] = results.get(res, 0) + 1
        print(f"{os.path.relpath(out, REPO)}: {groups} groups, {vec.count()} records {results}")


if __name__ == "__main__":
    main()
