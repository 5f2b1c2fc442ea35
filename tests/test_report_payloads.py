"""Script payloads in file names, titles, sentences and indicators never run in report.html.

Three hostile documents (their names, titles, sentences and so the indicators cut from them
carry ``<script>``, ``onerror=``/``onload=`` handlers, ``javascript:`` links, ``</script>``
and ``<!--<script>`` breakouts) go through ``run`` and ``report``; the page is opened in
headless Chromium with a hook that records every call to alert/confirm/prompt/print/open and
every Content-Security-Policy violation. Each page is opened twice: with its CSP, and with the
CSP bypassed (so escaping alone must hold, the CSP being the second wall), and it is rendered
twice: as HTML rows and with every large table travelling as JSON (report/lazy.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from chromium import DevTools, chromium_exe
from policy_nlp.cli import main
from policy_nlp.report import page, scorecard, sections
from policy_nlp.report.lazy import lazy_table
from policy_nlp.resources import data_path

PLAN = """<script>alert(1)</script>某市"><svg onload=alert(2)>数字经济发展规划</script><script>alert(3)</script>
（2021年3月1日）
到2025年，<script>alert(4)</script>数字经济核心产业增加值达到1000亿元。
到2025年，"><svg onload=alert(5)>宽带用户普及率达到90%。
到2025年，<img src=x onerror=alert(6)>研发投入强度达到3%。
到2025年，javascript:alert(7)5G基站数量达到20000个。
到2025年，</script><script>alert(8)</script>城镇新增就业人数达到50万人。
到2025年，<!--<script>居民人均可支配收入达到8万元。
"""
BULLETIN = """javascript:alert(9)某市2025年国民经济和社会发展统计公报</title><script>alert(10)</script>
（2026年3月1日）
2025年，<script>alert(4)</script>数字经济核心产业增加值达到1100亿元。
2025年，"><svg onload=alert(5)>宽带用户普及率达到92%。
2025年，<img src=x onerror=alert(6)>研发投入强度达到2.8%。
2025年，</script><script>alert(8)</script>城镇新增就业人数达到55万人。
2025年，<!--<script>居民人均可支配收入达到7.5万元。
"""
NOTICE = """=HYPERLINK("javascript:alert(11)")关于<a href="javascript:alert(12)">点我</a>的通知
到2026年，<a href="javascript:alert(13)">链接</a>覆盖率达到80%。
"""
DOCUMENTS = {
    "<img src=x onerror=alert(101)>规划-2021.txt": PLAN,
    '"><svg onload=alert(102)>公报-2025.txt': BULLETIN,
    "javascript:alert(103)<!--<script>.txt": NOTICE,
}

# Installed before any script of the page: records what an injected payload would call.
HOOK = """
window.__calls = []; window.__violations = [];
["alert", "confirm", "prompt", "print", "open"].forEach(function (name) {
  window[name] = function () { window.__calls.push(name + "(" + Array.from(arguments) + ")"); };
});
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + ": " + e.sample);
});
"""

CHECKS = r"""(() => {
  const all = Array.from(document.querySelectorAll("*"));
  const handlers = [], links = [];
  all.forEach(el => Array.from(el.attributes).forEach(a => {
    if (/^on/i.test(a.name)) handlers.push(el.tagName + " " + a.name);
    if (/^\s*(javascript|data|vbscript):/i.test(a.value) && a.value !== "data:,")
      links.push(el.tagName + " " + a.name + "=" + a.value);
  }));
  const scripts = Array.from(document.scripts).map(s => s.type || "classic");
  const lazy = Array.from(document.querySelectorAll("table[data-lazy]")).map(t => {
    const json = document.getElementById(t.dataset.lazy);
    return {id: t.id, rows: t.tBodies[0].rows.length,
            after: json.nextElementSibling ? json.nextElementSibling.className : ""};
  });
  return {ready: document.documentElement.dataset.reportReady || "",
          calls: window.__calls, violations: window.__violations, handlers, links, scripts, lazy,
          injected: document.querySelectorAll(
            "img, iframe, object, embed, a:not([href^='#']), svg:not(.chart)"
          ).length,
          strays: document.querySelectorAll("svg:not(.chart) svg, body svg:not(.chart)").length,
          claimRows: document.querySelectorAll("#claims-table tbody tr").length,
          sections: document.querySelectorAll("main > section").length,
          text: document.body.textContent};
})()"""


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> Path:
    """``run`` over the three hostile documents into an output folder with a hostile name."""
    src = tmp_path_factory.mktemp("in")
    for name, text in DOCUMENTS.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out") / "out<script>alert(104)<!--"
    assert main(["run", str(src), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def pages(hostile_run) -> dict[str, Path]:
    """The report as HTML rows, and with every large table as JSON (the threshold at 0)."""
    plain = page.write_report(hostile_run, hostile_run / "plain.html")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sections, "LAZY_ROWS", 0)
        mp.setattr(scorecard, "LAZY_ROWS", 0)
        lazy = page.write_report(hostile_run, hostile_run / "lazy.html")
    return {"plain": plain, "lazy": lazy}


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)  # fmt: skip


def test_the_payloads_reach_the_tables(hostile_run):
    """The test is only worth something if the payloads are in what the report shows."""
    docs, claims = _table(hostile_run, "documents"), _table(hostile_run, "claims")
    tracking = _table(hostile_run, "tracking")
    assert len(docs) == 3 and set(docs["status"]) == {"ok"}
    for column in (docs["doc_id"], docs["title"], claims["indicator"], claims["sentence"],
                   tracking["indicator"]):  # fmt: skip
        for marker in ("<script", "on"):
            assert any(marker in v for v in column), (column.name, marker)
    assert any("<!--<script>" in v for v in docs["doc_id"])
    assert any("</script>" in v for v in claims["sentence"])
    assert any("javascript:" in v for v in claims["sentence"])


def test_the_policy_forbids_inline_script_from_data(pages):
    js = data_path("report.js").read_text(encoding="utf-8")
    for path in pages.values():
        html = path.read_text(encoding="utf-8")
        head = html.split("<head>", 1)[1].split("<title>", 1)[0]  # before any document text
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert csp, "the CSP meta must come before the first text from a document"
        directives = dict(d.strip().split(" ", 1) for d in csp.group(1).split(";"))
        assert directives["default-src"] == "'none'"
        sources = directives["script-src"].split()
        assert sources == [page._csp_hash(js)]  # our script only: no 'unsafe-inline', no data:
        for word in ("unsafe-inline", "unsafe-eval", "strict-dynamic", "data:", "*", "http"):
            assert word not in directives["script-src"]
        assert html.count("<script>") == 1  # one classic script, ours


def test_json_in_the_page_cannot_end_its_script_element():
    evil = ["</script><script>alert(1)</script>", "<!--<script>", "</SCRIPT >", "\u2028x\u2029"]
    out = lazy_table("t", ["a", "b"], ["text", "sentence"], [(e, e) for e in evil])
    data = out.split('id="t-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data  # no tag, comment or end tag can start inside
    import json

    assert json.loads(data)["strings"] == evil


@pytest.fixture(scope="module")
def browser(pages, tmp_path_factory):
    """Each page in Chromium, with its CSP and with the CSP bypassed: the CHECKS' results."""
    exe = chromium_exe()
    work = tmp_path_factory.mktemp("chromium")
    dt = DevTools(exe, work / "profile", work / "chromium.log")
    results = {}
    try:
        for name, path in pages.items():
            for bypass in (False, True):
                target = dt.call("Target.createTarget", {"url": "about:blank"})["targetId"]
                session = dt.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                    "sessionId"
                ]
                dt.call("Page.enable", session=session)
                dt.call("Page.setBypassCSP", {"enabled": bypass}, session=session)
                dt.call("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK},
                        session=session)  # fmt: skip
                dt.events.clear()
                dt.call("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
                dt.wait_for("Page.loadEventFired")
                results[name, bypass] = dt.call(
                    "Runtime.evaluate", {"expression": CHECKS, "returnByValue": True},
                    session=session,
                )["result"]["value"]  # fmt: skip
                dt.call("Target.closeTarget", {"targetId": target})
    finally:
        dt.close()
    return results


@pytest.mark.parametrize("bypass", [False, True], ids=["with-csp", "csp-bypassed"])
@pytest.mark.parametrize("name", ["plain", "lazy"])
def test_no_payload_runs_in_chromium(browser, hostile_run, name, bypass):
    got = browser[name, bypass]
    assert got["ready"] == "1", "the page's own script did not finish"
    assert got["calls"] == [] and got["violations"] == []  # nothing injected, nothing blocked
    assert got["handlers"] == [] and got["links"] == []
    assert got["injected"] == 0 and got["strays"] == 0
    assert got["scripts"].count("classic") == 1
    claims = _table(hostile_run, "claims")
    assert got["claimRows"] == len(claims)  # every row drawn: no payload swallowed the table
    assert got["sections"] >= 6
    for text in ("<script>alert(1)</script>", "</script><script>alert(8)</script>",
                 "<!--<script>", '"><svg onload=alert(102)>'):  # fmt: skip
        assert text in got["text"], text  # shown as text
    if name == "lazy":
        assert got["lazy"] and all(t["rows"] > 0 for t in got["lazy"]), got["lazy"]
        assert all(t["after"] == "pager" for t in got["lazy"])  # the JSON block ended in time
        assert got["scripts"].count("application/json") == len(got["lazy"])
