#!/usr/bin/python3
"""ctest adapter.misbehaving: every misbehaving test adapter gets its verdict, the run finishes
and writes its report, memory stays bounded under a flood, and no process of theirs survives.

usage: check_misbehaving.py OMEMO_INTEROP_BINARY REPO_DIR WORK_DIR
"""
import json
import os
import resource
import subprocess
import sys

BINARY, REPO, WORK = sys.argv[1:4]
EXPECTED = {  # adapter -> verdict of its cell (PROTOCOL.md §7.3, §8, §13.3)
    "null": "error",     # initialize refused: every case error, score zero
    "liar": "fail",      # declares omemo2, then refuses it
    "crasher": "crash",
    "hanger": "timeout",
    "garbage": "error",
    "flooder": "error",
    "forker": "fail",    # refuses start; its background child must be killed
}
SCENARIO = "session/first-message"


def run(pairs, out):
    """Runs the harness as a child and returns (exit code, results, peak RSS of children in KiB)."""
    command = [BINARY, "run", "--adapter-dir", os.path.join(REPO, "tests/adapters"),
               "--scenario", SCENARIO, "--profile", "omemo2", "--no-vectors", "--seed", "5eed",
               "--format", "json", "--out", out]
    for pair in pairs:
        command += ["--pair", pair]
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=300)
    with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
        results = json.load(f)
    return completed.returncode, results, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def survivors():
    """Processes started by the test adapters that are still alive."""
    found = subprocess.run(["pgrep", "-af", "tests/adapters/misbehaving/misbehaving.py|sleep 3001"],
                           stdout=subprocess.PIPE, text=True).stdout.strip()
    return [line for line in found.splitlines() if "pgrep" not in line]


failures = []
code, results, _ = run(["misbehaving-%s:reference" % name for name in EXPECTED],
                       os.path.join(WORK, "all"))
if code != 1:
    failures.append("exit code %d, expected 1 (unexpected results)" % code)
verdicts = {case["id"]: case for case in results["results"]}
for name, verdict in EXPECTED.items():
    case_id = "%s/omemo2/misbehaving-%s-reference" % (SCENARIO, name)
    case = verdicts.get(case_id)
    if case is None:
        failures.append("%s: no result" % case_id)
    elif case["verdict"] != verdict:
        failures.append("%s: verdict %s, expected %s (%s)" % (case_id, case["verdict"], verdict,
                                                              case["message"]))
    else:
        print("ok  %-10s %-8s %s" % (name, verdict, case["message"][:110]))
left = survivors()
if left:
    failures.append("processes survived the run: %s" % left)
    subprocess.run(["pkill", "-9", "-f", "tests/adapters/misbehaving/misbehaving.py|sleep 3001"])

# Bounded memory: a run against the flooder (18 MB of stderr, a 4 MiB stdout line) needs no more
# memory than a run against the null adapter plus a margin well below what keeping the flood
# would take (a string holding 18 MB grows to 32 MiB; the driver's caps are 1 MiB each). Each
# run is measured in a fresh interpreter (RUSAGE_CHILDREN is a high-water mark). ASan's
# quarantine of freed memory is switched off so that an ASan build measures the same thing.
measure = ("import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
           " stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
peaks = {}
for name in ("null", "flooder"):
    command = [sys.executable, "-c", measure, BINARY, "run", "--adapter-dir",
               os.path.join(REPO, "tests/adapters"), "--scenario", SCENARIO, "--no-vectors",
               "--seed", "5eed", "--format", "json", "--out", os.path.join(WORK, name),
               "--pair", "misbehaving-%s:reference" % name]
    env = dict(os.environ, ASAN_OPTIONS="quarantine_size_mb=0:thread_local_quarantine_size_kb=0")
    peaks[name] = int(subprocess.run(command, stdout=subprocess.PIPE, text=True, env=env,
                                     timeout=300).stdout.strip())
growth_kib = peaks["flooder"] - peaks["null"]
print("peak RSS: null %d KiB, flooder %d KiB (growth %d KiB)" % (peaks["null"], peaks["flooder"],
                                                                 growth_kib))
if growth_kib > 24 * 1024:
    failures.append("the flooder grew the harness by %d KiB (bound: 24 MiB)" % growth_kib)

for failure in failures:
    print("FAIL", failure)
sys.exit(1 if failures else 0)
