"""The two benchmark corpora, built from the repository's own documents.

- ``copies``: ``corpus/*.txt`` copied round-robin (``<name>~0001.txt`` …) until it holds N MB:
  every file an exact copy, so tracking sees the same few documents again and again.
- ``series``: a multi-year archive of government work reports: what a researcher feeds in,
  and where tracking matters (the same governments over many years).

How the series is made (``build_series``), without exact copies:

1. the sources are every government work report in the repository (a ``.txt`` whose name
   holds ``gov-report`` or ``gwr``): the national series in tests/data/panel/national/docs
   (2009-2018), corpus/ (national 2009-2024, provinces 2026, 海拉尔区 2016 and 2019) and the
   annotated sets (tests/data/*/docs: national reports from 1959 to 2021, budget and plan
   reports, more provinces), each text once (equal texts are kept once);
2. variant 0 is the sources as they are;
3. variant k >= 1 is the whole set as the reports of one prefecture-level city (the k-th in
   ``data/regions.tsv``): the title line becomes ``<year>年<city>政府工作报告`` (the year the
   reader finds in the original), the meeting in the header is the city's people's congress,
   ``国务院`` and ``省人民政府`` become ``<city>人民政府``, and
   about one line in ten after the header is dropped (which lines: a CRC32 of the variant and
   the line number), so no two files hold the same text and each city is a government with
   reports over many years;
4. variants are added, a file at a time in a fixed order, until the corpus holds N MB.

- ``long-lines``: the series with each report's body on one line (its line breaks after the
  header dropped), as text copied from web pages and PDFs often comes: the same words as
  ``series``, so the two cost the same per MB when long lines cost what prose costs.

Nothing random: the same N gives the same files.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000
_REPORT = re.compile(r"gov-report|gwr")
_MEETING_PLACE = re.compile(r"在[^第在]{0,20}?第")  # 在安徽省第十四届人民代表大会 -> 在<city>第
_HEADER_LINES = 4  # title, speech line, speaker, 各位代表: never dropped


def build_copies(source: Path, dest: Path, mb: float) -> tuple[list[Path], int]:
    """Copy ``source/*.txt`` round-robin into ``dest`` until it holds ``mb`` MB; (files, bytes)."""
    originals = sorted(source.glob("*.txt"))
    if not originals:
        raise SystemExit(f"no .txt files in {source}")
    dest.mkdir(parents=True, exist_ok=True)
    files, total, k = [], 0, 0
    while total < mb * MB:
        for src in originals:
            if total >= mb * MB:
                break
            f = dest / f"{src.stem}~{k:04d}.txt"
            shutil.copyfile(src, f)
            files.append(f)
            total += f.stat().st_size
        k += 1
    return files, total


def report_sources(root: Path = ROOT) -> list[Path]:
    """Every government work report in the repository, each text once, in a fixed order."""
    folders = [root / "tests/data/panel/national/docs", root / "corpus"]
    # tests/data/series holds excerpts of these same reports: left out
    folders += sorted(
        p for p in (root / "tests/data").glob("*/docs") if p.is_dir() and p.parent.name != "series"
    )
    seen, out = set(), []
    for folder in folders:
        for f in sorted(folder.glob("*.txt")):
            if not _REPORT.search(f.name):
                continue
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                out.append(f)
    return out


def _cities(root: Path = ROOT) -> list[str]:
    rows = (root / "src/policy_nlp/data/regions.tsv").read_text(encoding="utf-8").splitlines()
    return [r.split("\t")[1] for r in rows if not r.startswith("#") and "\tprefecture\t" in r]


def _year(path: Path) -> int | None:
    from policy_nlp.read.document import read_document

    try:
        return read_document(path).year
    except Exception:
        return None


def variant(text: str, k: int, city: str, year: int | None) -> str:
    """Variant ``k`` of a report as ``city``'s (k >= 1; see the module's description)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    title = f"{year}年{city}政府工作报告\n" if year else f"{city}{lines[0]}"
    kept = [title]
    for i, line in enumerate(lines[1:], start=1):
        if i < _HEADER_LINES:  # the meeting the report is given at: the city's congress
            line = _MEETING_PLACE.sub(
                f"在{city}第", line.replace("全国人民代表大会", "人民代表大会"), 1
            )
        elif zlib.crc32(f"{k}:{i}".encode()) % 10 == 0:
            continue
        kept.append(line)
    body = "".join(kept[1:]).replace("国务院", f"{city}人民政府")
    return kept[0] + body.replace("省人民政府", f"{city}人民政府")


def build_series(dest: Path, mb: float, root: Path = ROOT) -> tuple[list[Path], int]:
    """The multi-year report series of ``mb`` MB in ``dest``; (files, bytes)."""
    sources = report_sources(root)
    texts = [(f, f.read_text(encoding="utf-8-sig"), _year(f)) for f in sources]
    cities = _cities(root)
    dest.mkdir(parents=True, exist_ok=True)
    files, total, k = [], 0, 0
    while total < mb * MB:
        if k > len(cities):
            raise SystemExit(f"{mb} MB needs more than {len(cities)} variants")
        for src, text, year in texts:
            if total >= mb * MB:
                break
            out = text if k == 0 else variant(text, k, cities[k - 1], year)
            f = dest / f"{src.stem}~{k:04d}.txt"
            f.write_text(out, encoding="utf-8")
            files.append(f)
            total += f.stat().st_size
        k += 1
    return files, total


def build_long_lines(dest: Path, mb: float, root: Path = ROOT) -> tuple[list[Path], int]:
    """The series of ``mb`` MB with each body on one line (``long-lines``); (files, bytes)."""
    files, _ = build_series(dest, mb, root)
    total = 0
    for f in files:
        lines = f.read_text(encoding="utf-8").split("\n")
        head, body = lines[:_HEADER_LINES], lines[_HEADER_LINES:]
        f.write_text("\n".join(head) + "\n" + "".join(body) + "\n", encoding="utf-8")
        total += f.stat().st_size
    return files, total
