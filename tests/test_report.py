"""The HTML report: tables in, one self-contained page out; checked as text and in Chromium.

The browser tests open report.html in Debian's headless ``chromium`` and talk to it over the
DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON messages ending in NUL on file
descriptors 3 and 4, so no websocket library is needed). They fail when Chromium is missing
under CI (``CI=1``, set by ``.ci/run``, which installs it) and skip elsewhere. The screenshot is
kept in tests/artifacts/report.png (git-ignored).
"""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from chromium import DevTools, chromium_exe
from conftest import CORPUS, DATA, ROOT
from policy_nlp.cli import main
from policy_nlp.report import charts, sections
from policy_nlp.report.load import OPTIONAL_TABLES, REQUIRED_TABLES
from policy_nlp.report.markup import column
from policy_nlp.report.page import SECTIONS, ReportError, load_tables, render, write_report
from policy_nlp.report.scorecard import SCORECARD_HEADERS
from policy_nlp.resources import data_path
from policy_nlp.schema import KINDS, TABLES, TRACKING_STATUSES

FIXTURES = DATA / "report"
ARTIFACTS = ROOT / "tests" / "artifacts"
CORPUS_DOCS = ("gov-report-2020-national.txt", "gov-report-2024-national.txt",
               "shanghai-digital-transformation-article.txt")  # fmt: skip
CHARTS = ("chart-claims-per-document", "chart-targets-by-year", "chart-indicators",
          "chart-panel-years", "chart-scorecard", "chart-topics")  # fmt: skip
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
             "WenQuanYi Micro Hei")  # fmt: skip
UNTRUSTED = ("<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=2">',
             "<b>测试</b>", '<svg onload="window.__pwned=3">')  # fmt: skip


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A run over three corpus documents and one full of markup, plus a tracking.csv."""
    src = tmp_path_factory.mktemp("in")
    for name in CORPUS_DOCS:
        shutil.copy(CORPUS / name, src / name)
    shutil.copy(FIXTURES / "untrusted-markup-2021.txt", src)
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(src), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    shutil.copy(FIXTURES / "tracking.csv", out / "tracking.csv")
    return out


@pytest.fixture(scope="module")
def report_html(run_dir) -> str:
    assert main(["report", str(run_dir), "--quiet"]) == 0
    return (run_dir / "report.html").read_text(encoding="utf-8")


class _Elements(HTMLParser):
    """Collects (tag, attributes) of every start tag, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


# ----------------------------------------------------------------------------- the page as text


def test_report_escapes_document_text(report_html, run_dir):
    parsed = _elements(report_html)
    tags = [t for t, _ in parsed.tags]
    assert "img" not in tags and tags.count("script") == 1
    assert parsed.scripts == [data_path("report.js").read_text(encoding="utf-8")]  # ours only
    handlers = [(t, a) for t, a in parsed.tags for k in a if k.startswith("on")]
    assert handlers == []
    for text in UNTRUSTED:
        assert text not in report_html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in report_html  # shown, as text
    # indicators cut from hostile text (claims.csv of this run) appear escaped, never raw
    claims = pd.read_csv(
        run_dir / "claims.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    hostile = [s for s in claims["indicator"] if any(c in s for c in '<>"')]
    assert hostile, "the fixture should put markup into an indicator"
    for label in hostile:
        assert label not in report_html
        assert html.escape(label, quote=True) in report_html


def test_report_is_self_contained(report_html):
    parsed = _elements(report_html)
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith(("#", "data:")), (tag, name, value)
    csp = next(
        a["content"] for t, a in parsed.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_report_sections_and_charts(report_html):
    parsed = _elements(report_html)
    ids = {a.get("id") for _, a in parsed.tags}
    for section in (
        "overview",
        "targets",
        "indicators",
        "scorecard",
        "topics",
        "keywords",
        "claims",
    ):
        assert section in ids
    svgs = [a for t, a in parsed.tags if t == "svg"]
    assert [a["id"] for a in svgs] == list(CHARTS)
    assert report_html.count('class="axis-label"') == 2 * len(CHARTS)
    assert "font-family: var(--cjk)" in report_html and '"WenQuanYi Micro Hei"' in report_html


def test_report_counts_match_the_tables(run_dir, report_html):
    claims = pd.read_csv(run_dir / "claims.csv", encoding="utf-8-sig", dtype=str)
    assert report_html.count("<tr><td>") >= len(claims)
    body = report_html.split('id="claims-table"', 1)[1]
    assert body.count("<tr>") == len(claims) + 1  # the header row
    targets_2025 = int(((claims["kind"] == "target") & (claims["year"] == "2025")).sum())
    assert f"<title>2025: {targets_2025} targets</title>" in report_html


def test_scorecard_from_tracking_csv(report_html):
    section = report_html.split('<section id="scorecard">', 1)[1].split("</section>", 1)[0]
    cards = re.findall(r'<div class="n">(\d+)</div><div class="l">([a-z ]+)</div>', section)
    assert cards == [("8", "targets tracked"), ("5", "met"), ("1", "missed"), ("2", "unsettled")]
    for tip in ("2009: 3 met", "2010: 1 met", "2010: 1 unsettled", "2012: 1 missed"):
        assert f"<title>{tip}</title>" in section
    assert section.count("<tr>") == 9
    assert ">+2,020,000 人<" in section and ">-4.7 %<" in section  # gaps, signed, with units
    assert 'class="badge missed"' in section


def test_no_scorecard_without_tracking(run_dir, tmp_path):
    for name in ("documents", "claims"):
        shutil.copy(run_dir / f"{name}.csv", tmp_path)
    page = render(load_tables(tmp_path))
    assert 'id="scorecard"' not in page and 'id="chart-scorecard"' not in page
    assert "No topic shares in these tables" in page  # optional tables may be absent


def test_same_tables_same_page(run_dir, report_html):
    assert render(load_tables(run_dir)) == report_html


def test_missing_or_bad_tables_name_the_file(tmp_path, run_dir, capsys):
    with pytest.raises(ReportError, match=r"documents\.csv: missing"):
        load_tables(tmp_path)
    shutil.copy(run_dir / "documents.csv", tmp_path)
    assert main(["report", str(tmp_path)]) == 1
    assert "claims.csv: missing; write the tables first" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nope")]) == 2
    for name in ("documents", "claims"):
        shutil.copy(run_dir / f"{name}.csv", tmp_path)
    bad = (FIXTURES / "tracking.csv").read_text(encoding="utf-8").replace(",missed,", ",failed,")
    (tmp_path / "tracking.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(ReportError, match=r"tracking\.csv: row 7: status 'failed'"):
        load_tables(tmp_path)
    bad = (FIXTURES / "tracking.csv").read_text(encoding="utf-8").replace(",0.7\n", ",n/a\n")
    (tmp_path / "tracking.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(ReportError, match=r"row 2: gap 'n/a' is not a number"):
        load_tables(tmp_path)
    (tmp_path / "tracking.csv").write_text("target_doc_id,year\nx,2020\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"tracking\.csv: missing column\(s\) target_start"):
        load_tables(tmp_path)


def test_the_report_reads_the_schema_vocabularies():
    assert tuple(sections.KIND_LABELS) == KINDS
    assert set(sections.COLORS) == {*KINDS, *TRACKING_STATUSES}  # a colour for every value
    assert set(REQUIRED_TABLES + OPTIONAL_TABLES) <= set(TABLES)
    # the filters name their columns by header: kind and year in the claims, status in the card
    assert column(sections.CLAIM_HEADERS, "kind") == 6
    assert column(sections.CLAIM_HEADERS, "year") == 7
    assert column(SCORECARD_HEADERS, "status") == 7


def test_sections_render_in_page_order_with_their_links(report_html):
    anchors = [s.anchor for s in SECTIONS]
    assert re.findall(r'<a href="#([a-z]+)">', report_html) == anchors
    assert re.findall(r'<section id="([a-z]+)">', report_html) == anchors


# ----------------------------------------------------------------------------- chart primitives


def test_charts_escape_labels_and_cut_long_ones():
    evil = '<script>alert("x")</script>指标'
    svg = charts.hbar_chart(
        "k", "标题 <b>", [evil, "一" * 80], [("Targets", "#000", [3, 1])], x_label="x", y_label="y"
    )
    assert "<script>" not in svg and "<b>" not in svg and "&lt;script&gt;" in svg
    assert "…<title>" + "一" * 80 + "</title>" in svg  # cut, the full label in its tooltip
    assert svg.count('class="bar"') == 2


def test_count_ticks_and_heat_scale():
    assert charts.count_ticks(0) == [0, 1]
    assert charts.count_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.count_ticks(345) == [0, 100, 200, 300, 400]
    assert charts.count_ticks(3) == [0, 1, 2, 3]
    assert charts.heat_color(0) == "#f7fbff" and charts.heat_color(1) == "#08306b"
    assert charts.heat_color(-1) == "#f7fbff" and charts.heat_color(2) == "#08306b"


# ----------------------------------------------------------------------------- in Chromium

PAGE_CHECKS = """(() => {
  const charts = Array.from(document.querySelectorAll("svg.chart")).map(svg => {
    const box = svg.getBoundingClientRect();
    const title = svg.querySelector(":scope > title");
    const shown = svg.querySelector(".chart-title");
    return {id: svg.id, title: title ? title.textContent : "", shown: shown ? shown.textContent : "",
            axes: Array.from(svg.querySelectorAll(".axis-label")).map(t => t.textContent),
            marks: svg.querySelectorAll("rect.bar, rect.cell").length,
            width: box.width, height: box.height,
            titleWidth: shown ? shown.getComputedTextLength() : 0};
  });
  return {ready: document.documentElement.dataset.reportReady || "",
          pwned: typeof window.__pwned, scripts: document.scripts.length,
          images: document.images.length, charts: charts,
          untrustedShown: document.body.textContent.includes("<script>window.__pwned=1</script>")};
})()"""

TABLE_CHECKS = """(() => {
  const table = document.getElementById("claims-table");
  const rows = () => Array.from(table.tBodies[0].rows).filter(r => !r.hidden);
  const col = (r, i) => r.cells[i].textContent.trim();
  const search = document.querySelector('input[data-filter-for="claims-table"]');
  const kind = document.querySelector('select[data-filter-for="claims-table"][data-col="6"]');
  const total = table.tBodies[0].rows.length;
  search.value = "数字经济"; search.dispatchEvent(new Event("input"));
  const found = rows().map(r => r.textContent.includes("数字经济"));
  const counter = document.querySelector('[data-count-for="claims-table"]').textContent;
  search.value = ""; search.dispatchEvent(new Event("input"));
  kind.value = "target"; kind.dispatchEvent(new Event("change"));
  const kinds = Array.from(new Set(rows().map(r => col(r, 6))));
  const nTargets = rows().length;
  const valueHeader = table.tHead.rows[0].cells[3];
  valueHeader.click();
  const up = rows().map(r => r.cells[3].dataset.v).filter(v => v !== undefined).map(Number);
  valueHeader.click();
  const down = rows().map(r => r.cells[3].dataset.v).filter(v => v !== undefined).map(Number);
  table.tHead.rows[0].cells[0].click();
  const docs = rows().map(r => col(r, 0));
  kind.value = ""; kind.dispatchEvent(new Event("change"));
  return {total, found, counter, kinds, nTargets, up, down, docs,
          sortState: valueHeader.getAttribute("aria-sort"), shownAfter: rows().length};
})()"""


@pytest.fixture(scope="module")
def browser_run(run_dir, report_html, tmp_path_factory):
    """Open report.html in headless Chromium once; collect events, checks and a screenshot."""
    exe = chromium_exe()
    work = tmp_path_factory.mktemp("chromium")
    started = time.monotonic()
    dt = DevTools(exe, work / "profile", work / "chromium.log")
    try:
        target = dt.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = dt.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network", "DOM", "CSS"):
            dt.call(f"{domain}.enable", session=session)
        dt.call("Emulation.setDeviceMetricsOverride",
                {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session=session)  # fmt: skip
        url = (run_dir / "report.html").resolve().as_uri()
        dt.call("Page.navigate", {"url": url}, session=session)
        dt.wait_for("Page.loadEventFired")
        page = dt.call("Runtime.evaluate", {"expression": PAGE_CHECKS, "returnByValue": True},
                       session=session)["result"]["value"]  # fmt: skip
        root = dt.call("DOM.getDocument", session=session)["root"]["nodeId"]
        node = dt.call("DOM.querySelector",
                       {"nodeId": root, "selector": "#chart-indicators .chart-title"},
                       session=session)["nodeId"]  # fmt: skip
        fonts = dt.call("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
        size = dt.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
        shot = dt.call("Page.captureScreenshot",
                       {"format": "png", "captureBeyondViewport": True,
                        "clip": {"x": 0, "y": 0, "width": 1280,
                                 "height": min(size["height"], 12000), "scale": 1}},
                       session=session)["data"]  # fmt: skip
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        screenshot = ARTIFACTS / "report.png"
        screenshot.write_bytes(base64.b64decode(shot))
        table = dt.call("Runtime.evaluate", {"expression": TABLE_CHECKS, "returnByValue": True},
                        session=session)["result"]["value"]  # fmt: skip
        events = list(dt.events)
    finally:
        dt.close()
    return {"page": page, "table": table, "fonts": fonts, "events": events,
            "screenshot": screenshot, "seconds": time.monotonic() - started}  # fmt: skip


def test_chromium_renders_without_console_errors(browser_run):
    page, events = browser_run["page"], browser_run["events"]
    assert page["ready"] == "1", "the page's script did not finish"
    problems = [
        e["params"]
        for e in events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled"
            and e["params"]["type"] in ("error", "assert", "warning"))
        or (e.get("method") == "Log.entryAdded"
            and e["params"]["entry"]["level"] in ("error", "warning"))
    ]  # fmt: skip
    assert problems == []
    requests = [
        e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requests and all(u.startswith(("file:", "data:")) for u in requests), requests


def test_chromium_charts_are_drawn_with_titles_and_axes(browser_run):
    drawn = {c["id"]: c for c in browser_run["page"]["charts"]}
    assert list(drawn) == list(CHARTS)
    for chart in drawn.values():
        assert chart["title"] and chart["title"] == chart["shown"], chart["id"]
        assert len(chart["axes"]) == 2 and all(chart["axes"]), chart["id"]
        assert chart["marks"] > 0 and chart["width"] > 300 and chart["height"] > 150, chart
        assert chart["titleWidth"] > 100, chart["id"]  # the title is laid out, not empty
    assert drawn["chart-targets-by-year"]["axes"] == ["Deadline year", "Targets (count)"]


def test_chromium_does_not_run_document_markup(browser_run):
    page = browser_run["page"]
    assert page["pwned"] == "undefined" and page["scripts"] == 1 and page["images"] == 0
    assert page["untrustedShown"]  # the markup is shown as text


def test_chromium_search_filter_and_sort(browser_run):
    t = browser_run["table"]
    assert t["found"] and all(t["found"]) and len(t["found"]) < t["total"]
    assert t["counter"] == f"{len(t['found'])} of {t['total']} rows shown"
    assert t["kinds"] == ["target"] and 0 < t["nTargets"] < t["total"]
    assert t["up"] == sorted(t["up"]) and t["down"] == sorted(t["down"], reverse=True)
    assert len(t["up"]) == t["nTargets"]
    assert t["docs"] == sorted(t["docs"]) and t["shownAfter"] == t["total"]


def test_chromium_draws_chinese_with_a_cjk_font(browser_run):
    fonts = {f["familyName"]: f["glyphCount"] for f in browser_run["fonts"]}
    if not any(name in fonts for name in CJK_FONTS):
        installed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                   text=True).stdout.strip()  # fmt: skip
        if not installed and os.environ.get("CI") != "1":
            pytest.skip("no CJK font installed (apt-get install -y fonts-wqy-microhei)")
    assert any(fonts.get(name, 0) > 0 for name in CJK_FONTS), fonts


def test_chromium_screenshot_is_kept(browser_run):
    shot = browser_run["screenshot"]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == 1280 and height > 2000


def test_report_of_a_batch_without_claims(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path), "--quiet"]) == 1
    page = write_report(tmp_path).read_text(encoding="utf-8")
    assert "<svg" not in page and "No target with a deadline year" in page
    assert '<span class="badge empty">empty</span>' in page and "file is empty" in page
