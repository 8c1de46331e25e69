#!/usr/bin/python3
"""ctest adapter.reference.identical_verdicts: the whole suite run twice with the same seed,
the reference engine in process and through adapters/reference (PROTOCOL.md), gives the same
verdict for every cell, and the adapter passes its contract self-test.

usage: compare_reference_runs.py OMEMO_INTEROP_BINARY WORK_DIR
"""
import json
import os
import subprocess
import sys

BINARY, WORK = sys.argv[1:3]


def run(name, extra):
    out = os.path.join(WORK, name)
    command = [BINARY, "run", "--impl", "reference", "--seed", "5eed", "--jobs", "2",
               "--no-vectors", "--format", "json", "--out", out] + extra
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=1800)
    with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
        results = json.load(f)["results"]
    return completed.returncode, {case["id"]: case for case in results}


failures = []
in_process_code, in_process = run("in-process", [])
adapter_code, via_adapter = run("via-adapter", ["--reference-via-adapter"])
checks = {k: v for k, v in via_adapter.items() if k.startswith("adapter-check/")}
via_adapter = {k: v for k, v in via_adapter.items() if not k.startswith("adapter-check/")}
if not checks:
    failures.append("the via-adapter run has no adapter-check results")
for case_id, case in sorted(checks.items()):
    if case["verdict"] not in ("pass", "not-applicable"):
        failures.append("%s: %s %s" % (case_id, case["verdict"], case["message"]))
if set(in_process) != set(via_adapter):
    failures.append("different cases: only in process %s, only via adapter %s" % (
        sorted(set(in_process) - set(via_adapter))[:5], sorted(set(via_adapter) - set(in_process))[:5]))
differences = [(case_id, in_process[case_id]["verdict"], via_adapter[case_id]["verdict"],
                via_adapter[case_id]["message"])
               for case_id in sorted(set(in_process) & set(via_adapter))
               if in_process[case_id]["verdict"] != via_adapter[case_id]["verdict"]]
for case_id, a, b, message in differences[:20]:
    failures.append("%s: in process %s, via adapter %s (%s)" % (case_id, a, b, message[:200]))
if in_process_code != adapter_code:
    failures.append("exit codes differ: %d in process, %d via adapter" % (in_process_code,
                                                                         adapter_code))
print("%d cells compared, %d differ; %d adapter-check items" % (len(in_process), len(differences),
                                                                len(checks)))
for failure in failures:
    print("FAIL", failure)
sys.exit(1 if failures else 0)
