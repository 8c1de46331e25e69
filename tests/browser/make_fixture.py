"""Builds a results.json with several implementations from a real reference run, for the
browser test: the matrix and filters need more than one implementation to be tested at all.

Every scenario cell of the real run is copied for each producer x consumer pair of
IMPLEMENTATIONS (roles A and B; other roles stay as they were). The copies of the synthetic
implementations get deterministic, labelled verdicts: "synthetic-beta" fails every legacy session
case it consumes, "synthetic-alpha" has predicted failures (xfail with a reason and link) for the
omemo2 bundle cases it produces, and one cell carries markup in every adapter-supplied field.
An unavailable implementation is listed with its reason. The fixture says it is synthetic in the
implementations' detail; it is test input, never a result."""

import copy
import json
import sys

IMPLEMENTATIONS = ["reference", "synthetic-alpha", "synthetic-beta"]
HOSTILE = ("<script>window.__pwned=1</script> </script><script>window.__pwned=2</script> "
           "\"onload=\"window.__pwned=3\" x=\" <img src=x onerror=\"window.__pwned=4\">")


def rebind(case, producer, consumer):
    roles = sorted(case["roles"])
    bound = dict(case["roles"])
    bound[roles[0]] = producer
    if len(roles) > 1:
        bound[roles[1]] = consumer
    elif producer != consumer:
        return None
    copy_ = copy.deepcopy(case)
    copy_["roles"] = bound
    copy_["id"] = "%s/%s/%s" % (case["scenario"], case["profile"],
                                "-".join(bound[role] for role in roles))
    return copy_


def make_fixture(real):
    fixture = copy.deepcopy(real)
    fixture["run"]["command"] += "  (relabelled by tests/browser/make_fixture.py)"
    for name in IMPLEMENTATIONS[1:]:
        fixture["implementations"].append({
            "name": name, "version": "0.0-fixture", "kind": "adapter",
            "profiles": ["legacy", "omemo2"], "available": True,
            "detail": "test fixture: the reference's results relabelled"})
    fixture["implementations"].append({
        "name": "synthetic-missing", "version": "", "kind": "adapter", "profiles": ["omemo2"],
        "available": False, "detail": "requires.debian: python3-nothing is not installed"})
    results = []
    hostile_done = False
    for case in real["results"]:
        if not case["roles"] or case["scenario"].startswith("vectors/"):
            results.append(case)
            continue
        for producer in IMPLEMENTATIONS:
            for consumer in IMPLEMENTATIONS:
                cell = rebind(case, producer, consumer)
                if cell is None:
                    continue
                area = cell.get("area") or cell["scenario"].split("/")[0]
                if consumer == "synthetic-beta" and cell["profile"] == "legacy" and area == "session":
                    cell.update(verdict="fail", unexpected=True,
                                message="synthetic failure (fixture)")
                    if not hostile_done:
                        hostile_done = True
                        cell["message"] += " " + HOSTILE
                        cell["adapter_log"] = "[synthetic-beta]\n" + HOSTILE
                        cell["decrypted"] = ["b1 received message body=\"%s\"" % HOSTILE]
                        cell["transcript"] += (
                            "#999 2026-01-01T00:00:09Z [99 send] c2s bob@example.org/b1 delivered "
                            "<message id=\"&lt;script&gt;window.__pwned=6&lt;/script&gt;\">"
                            "<body>&lt;/script&gt;&lt;img src=x onerror=window.__pwned=7&gt;"
                            "</body></message>\n")
                elif producer == "synthetic-alpha" and cell["profile"] == "omemo2" and area == "bundle":
                    if cell["verdict"] in ("pass", "info"):
                        cell.update(verdict="xfail", expected="xfail", unexpected=False,
                                    expectation_reason="synthetic expectation: alpha skips bundles",
                                    expectation_link="https://example.org/alpha/issues/1")
                results.append(cell)
    fixture["results"] = results
    fixture.pop("summary", None)
    return fixture


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        real = json.load(source)
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(make_fixture(real), out, indent=1)
