"""The rendered report in a real browser (Debian's chromium, headless, from file://).

  browser_test.py fixture --cli OMEMO_INTEROP --work DIR
      a real reference run, relabelled into three implementations (make_fixture.py), rendered
      with `report render`; then: no console errors; one matrix cell per producer x consumer
      per profile; a verdict-filter click and a matrix-cell click narrow the case rows to exactly
      the cases the fixture has; opening every case runs none of the markup in it;
      DIR/index.png is the screenshot.
  browser_test.py hostile --cli OMEMO_INTEROP --work DIR --adapter-dir tests/adapters
      a real run of the hostile adapter (tests/adapters/hostile) against the reference; the page
      and the side pages show its output as text and run none of it.

Without chromium the test fails (exit 1), unless OMEMO_INTEROP_ALLOW_SKIP is set: then it exits
77, which CTest reports as skipped."""

import argparse
import base64
import json
import os
import pathlib
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from cdp_pipe import Browser  # noqa: E402
from make_fixture import make_fixture  # noqa: E402

SKIP = 77
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def run_cli(cli, *args):
    print("$ " + " ".join([cli, *args]))
    done = subprocess.run([cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace")
    if done.returncode not in (0, 1):  # 1 = unexpected results, still a rendered report
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit("%s exited %d" % (cli, done.returncode))
    return done


def case_visible_count(browser):
    return browser.evaluate(
        "Array.from(document.querySelectorAll('details.case')).filter(e => !e.hidden).length")


def open_all_cases_and_side_pages(browser, index, side_pages):
    """Opens every case (fills quotes and descriptions), then each side page; nothing may run."""
    browser.evaluate("document.querySelectorAll('details.case').forEach(e => { e.open = true; })")
    browser.drain(0.5)
    check(browser.evaluate("typeof window.__pwned") == "undefined",
          "no payload ran in index.html after opening every case")
    for page in side_pages:
        browser.navigate(page.as_uri())
        check(browser.evaluate("typeof window.__pwned") == "undefined",
              "no payload ran in " + page.name)
        check(browser.evaluate("document.scripts.length") == 0, "no script element in " + page.name)
    browser.navigate(index.as_uri())


def fixture_test(options, browser):
    work = pathlib.Path(options.work)
    run_cli(options.cli, "run", "--impl", "reference", "--seed", "5eed", "--no-vectors",
            "--format", "json",
            "--out", str(work / "real"))
    with open(work / "real" / "results.json", encoding="utf-8") as source:
        fixture = make_fixture(json.load(source))
    with open(work / "fixture.json", "w", encoding="utf-8") as out:
        json.dump(fixture, out)
    run_cli(options.cli, "report", "render", str(work / "fixture.json"), "--out",
            str(work / "html"), "--format", "html,markdown")
    index = work / "html" / "index.html"

    # Expectations from the fixture itself, not from the renderer.
    cases = fixture["results"]
    available = [i["name"] for i in fixture["implementations"] if i["available"]]
    profiles = {c["profile"] for c in cases if c["roles"]}
    expected_cells = len(profiles) * len(available) ** 2
    fails = sum(1 for c in cases if c["verdict"] == "fail")
    pair = ("legacy", "reference", "synthetic-beta")
    pair_cases = sum(1 for c in cases if c["profile"] == pair[0] and c["roles"].get("A") == pair[1]
                     and c["roles"].get("B") == pair[2])
    check(len(available) >= 3 and fails > 0 and 0 < pair_cases < len(cases),
          "fixture: %d implementations, %d cases, %d fail, %d in %s" %
          (len(available), len(cases), fails, pair_cases, "|".join(pair)))

    browser.navigate(index.as_uri())
    browser.drain(0.5)
    check(browser.problems() == [], "no console errors on load: %s" % browser.problems())
    cells = browser.evaluate("document.querySelectorAll('table.matrix td.cell.pair').length")
    check(cells == expected_cells, "matrix cells: %s, expected %d" % (cells, expected_cells))
    total = case_visible_count(browser)
    check(total == len(cases), "all %d cases listed before filtering (saw %s)" % (len(cases), total))

    browser.evaluate("document.querySelector('.chip[data-verdict=\"fail\"]').click()")
    shown = case_visible_count(browser)
    check(shown == fails, "verdict filter 'fail' narrows the rows to %d (saw %s)" % (fails, shown))
    counter = browser.evaluate("document.getElementById('shown-count').textContent")
    check(counter == str(fails), "the counter says %s" % counter)
    browser.evaluate("document.querySelector('.chip[data-verdict=\"fail\"]').click()")
    check(case_visible_count(browser) == len(cases), "a second click clears the filter")

    browser.evaluate("document.querySelector('td.cell.pair[data-pair=\"%s\"]').click()" %
                     "|".join(pair))
    shown = case_visible_count(browser)
    check(shown == pair_cases, "matrix cell click narrows to the pair's %d cases (saw %s)" %
          (pair_cases, shown))
    browser.evaluate("document.getElementById('pair-filter').click()")

    browser.evaluate("var s = document.getElementById('filter-search'); s.value = 'bundle/';"
                     "s.dispatchEvent(new Event('input'))")
    searched = case_visible_count(browser)
    expected_search = sum(1 for c in cases if "bundle/" in c["id"])
    check(searched == expected_search, "search 'bundle/' shows %d (saw %s)" %
          (expected_search, searched))
    browser.evaluate("var s = document.getElementById('filter-search'); s.value = '';"
                     "s.dispatchEvent(new Event('input'))")

    quote = browser.evaluate(
        "(() => { const c = document.querySelector('details.case[data-reqs]:not([data-reqs=\"\"])');"
        " c.open = true; c.dispatchEvent(new Event('toggle'));"
        " return c.querySelector('div.quotes').textContent; })()")
    check(bool(quote) and "R-" in quote, "an opened case shows its requirement quotes")

    browser.evaluate("document.getElementById('matrix').scrollIntoView()")
    shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
    png = base64.b64decode(shot["data"])
    (work / "index.png").write_bytes(png)
    check(png.startswith(b"\x89PNG") and len(png) > 10000,
          "screenshot %s (%d bytes)" % (work / "index.png", len(png)))

    hostile_pages = [p for p in sorted((work / "html" / "cases").iterdir())
                     if "__pwned" in p.read_text(encoding="utf-8")]
    check(len(hostile_pages) == 1, "one side page carries the fixture's markup")
    open_all_cases_and_side_pages(browser, index, hostile_pages)
    text = browser.evaluate("document.body.innerText")
    check("<script>window.__pwned=1</script>" in text, "the hostile text is shown as text")
    check(browser.problems() == [], "no console errors at the end: %s" % browser.problems())


def hostile_test(options, browser):
    work = pathlib.Path(options.work)
    done = run_cli(options.cli, "run", "--adapter-dir", options.adapter_dir, "--impl", "reference",
                   "--impl", "hostile", "--seed", "5eed", "--no-vectors", "--scenario",
                   "session/*", "--out", str(work / "hostile"))
    index = work / "hostile" / "index.html"
    with open(work / "hostile" / "results.json", encoding="utf-8") as source:
        results = json.load(source)
    hostile_cases = [c for c in results["results"] if "hostile" in c["roles"].values()]
    carried = [c for c in hostile_cases
               if "<script>" in (c.get("adapter_log", "") + c["message"] + c["transcript"] +
                                 "".join(c.get("decrypted", [])))]
    check(len(carried) > 0, "the hostile adapter's markup reached results.json (%d of %d cases)" %
          (len(carried), len(hostile_cases)))
    check("\ufffd" in json.dumps(results, ensure_ascii=False),
          "its invalid UTF-8 reached the results (as U+FFFD)")
    html = index.read_text(encoding="utf-8")
    check(html.lower().count("<script") == 1, "index.html has exactly one script element")
    check('"onload=' not in html.lower(), "no raw \"onload= in index.html")
    check("hostile" in done.stdout, "the console names the hostile implementation")

    browser.navigate(index.as_uri())
    browser.drain(0.5)
    side_pages = [p for p in sorted((work / "hostile" / "cases").glob("*hostile*.html"))
                  if "__pwned" in p.read_text(encoding="utf-8")][:5]
    check(len(side_pages) > 0, "side pages of hostile cases exist")
    open_all_cases_and_side_pages(browser, index, side_pages)
    text = browser.evaluate("document.body.innerText")
    check("<script>window.__pwned=1</script>" in text, "the page shows the adapter's <script> as text")
    check(browser.problems() == [], "no console errors or dialogs: %s" % browser.problems())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["fixture", "hostile"])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--adapter-dir", default="tests/adapters")
    options = parser.parse_args()
    if not os.access(options.chromium, os.X_OK):
        message = "%s not found: install Debian's chromium (./omemo-interop installs it)" % options.chromium
        if os.environ.get("OMEMO_INTEROP_ALLOW_SKIP"):
            print("SKIP: " + message)
            return SKIP
        print("FAIL: " + message + " (set OMEMO_INTEROP_ALLOW_SKIP=1 to skip instead)")
        return 1
    pathlib.Path(options.work).mkdir(parents=True, exist_ok=True)
    browser = Browser(options.chromium)
    try:
        browser.open_page()
        (fixture_test if options.mode == "fixture" else hostile_test)(options, browser)
    finally:
        browser.close()
    print("%d failed checks" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
