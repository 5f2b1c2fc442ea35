"""China's administrative divisions (GB/T 2260 codes) and the region a document speaks for.

The divisions come from ``data/regions.tsv`` (the Ministry of Civil Affairs' list of
county-level-and-above codes, with the nation as ``100000``); the file is read on first
use. ``find_region`` reads the division named at the start of an issuer or a title:

>>> find_region("中共浙江省委").full_name
'浙江省'
>>> find_region("呼伦贝尔市海拉尔区人民政府").full_name
'内蒙古自治区呼伦贝尔市海拉尔区'
>>> find_region("鼓楼区人民政府") is None  # four districts have that name
True
>>> find_region("国务院办公厅").code
'100000'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policy_nlp.errors import ModelError, OptionError
from policy_nlp.resources import read_table
from policy_nlp.text import normalize

__all__ = ["LEVELS", "NATION", "Region", "find_region", "level_name", "region"]

#: Levels from the top down, as written in the data file.
LEVELS = ("national", "province", "prefecture", "county")
#: Code of the nation as a whole.
NATION = "100000"

_LEVEL_NAMES = {"national": "全国", "province": "省级", "prefecture": "地级", "county": "县级"}
# Issuers and titles that speak for the nation (中共 is skipped first: 中共中央 → 中央).
_NATIONAL = ("中华人民共和国", "全国", "国务院", "中央", "国家")
# What may precede the region: spaces, opening brackets and quotes, a year, the Party.
_LEAD = re.compile(
    r"(?:[\s《〈“‘\"'(（【\[]|(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年度?|中国共产党|中共)*"
)
# Suffixes a province's short name drops: 浙江省 → 浙江, 广西壮族自治区 → 广西.
_PROVINCE_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔)?(?:自治区|特别行政区|省|市)$")


@dataclass(frozen=True)
class Region:
    """One division: its 6-digit code, name, name with every division above it, level."""

    code: str
    name: str
    full_name: str
    level: str


@cache
def _rows() -> dict[str, tuple[str, str, str]]:
    """code → (name, level, parent) from the data file, checked."""
    rows: dict[str, tuple[str, str, str]] = {}
    for row in read_table("regions.tsv"):
        if len(row) not in (3, 4):
            raise ModelError(f"regions.tsv: bad row {row!r}")
        code, name, level, parent = (*row, "")[:4]
        if not (len(code) == 6 and code.isdigit()):
            raise ModelError(f"regions.tsv: bad code in {row!r}")
        if level not in LEVELS or code in rows:
            raise ModelError(f"regions.tsv: bad level or repeated code in {row!r}")
        rows[code] = (name, level, parent)
    for code, (_, _, parent) in rows.items():
        if parent and parent not in rows:
            raise ModelError(f"regions.tsv: {code} has unknown parent {parent}")
    return rows


@cache
def _chain(code: str) -> tuple[str, ...]:
    """Codes from the top division down to ``code`` (the nation is no one's ancestor)."""
    rows = _rows()
    chain = [code]
    while parent := rows[chain[-1]][2]:
        chain.append(parent)
    return tuple(reversed(chain))


@cache
def _regions() -> dict[str, Region]:
    rows = _rows()
    out = {}
    for code, (name, level, _) in rows.items():
        full = "".join(rows[c][0] for c in _chain(code))
        out[code] = Region(code, name, full, level)
    return out


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Name → codes, for every division's full name and every province's short name."""
    names: dict[str, list[str]] = {}
    for code, (name, level, _) in _rows().items():
        if level == "national":
            continue
        forms = {name}
        if level == "province":
            forms.add(_PROVINCE_SUFFIX.sub("", name))
        for form in forms:
            if len(form) >= 2:
                names.setdefault(form, []).append(code)
    return {name: tuple(codes) for name, codes in names.items()}


@cache
def _longest_name() -> int:
    return max(map(len, _names()))


def region(code: str) -> Region | None:
    """The division with this 6-digit code, or None.

    >>> region("330106")
    Region(code='330106', name='西湖区', full_name='浙江省杭州市西湖区', level='county')
    """
    return _regions().get(str(code).strip())


def level_name(level: str) -> str:
    """Chinese name of a level: ``province`` → 省级 (national, prefecture, county alike).

    >>> level_name("prefecture")
    '地级'
    """
    try:
        return _LEVEL_NAMES[level]
    except KeyError:
        raise OptionError(f"unknown level {level!r}; expected one of {LEVELS}") from None


def _match(text: str, start: int, within: str | None) -> tuple[int, tuple[str, ...]]:
    """Longest division name at ``text[start:]`` (below ``within`` if given): its length and
    the codes of every division of that name."""
    names = _names()
    for length in range(min(_longest_name(), len(text) - start), 1, -1):
        codes = names.get(text[start : start + length], ())
        if within is not None:
            codes = tuple(c for c in codes if c != within and within in _chain(c))
        if codes:
            return length, codes
    return 0, ()


def _disambiguate(codes: tuple[str, ...], rest: str) -> tuple[str, ...]:
    """Of divisions sharing a name, those with a division above them named in ``rest``."""
    rows = _rows()
    return tuple(c for c in codes if any(rows[a][0] in rest for a in _chain(c)[:-1]))


def find_region(text: str) -> Region | None:
    """The most specific division named at the start of an issuer or a title, or None.

    A leading year (``2026年``) and Party prefix (``中共``) are skipped. Names may follow
    one another down the hierarchy (``浙江省杭州市西湖区``); provinces may be written short
    (``浙江``, ``内蒙古``). A name several divisions share (鼓楼区) counts only if the text
    also names one of its parents. National issuers (国务院, 中共中央, 全国, 国家,
    中华人民共和国) give the nation unless a division follows them.

    >>> find_region("2026年安徽省政府工作报告").code
    '340000'
    >>> find_region("北京市人民政府").level
    'province'
    >>> find_region("关于做好春耕生产的通知") is None
    True
    """
    if not isinstance(text, str):
        raise OptionError(f"find_region expects text, got {type(text).__name__}")
    text = normalize(text)
    lead = _LEAD.match(text)  # always matches, maybe empty
    text = text[lead.end() if lead else 0 :]
    national = next((word for word in _NATIONAL if text.startswith(word)), None)
    if national is not None:
        return find_region(text[len(national) :]) or region(NATION)
    length, codes = _match(text, 0, None)
    if len(codes) > 1:
        codes = _disambiguate(codes, text[length:])
    if len(codes) != 1:
        return None
    current, pos = codes[0], length
    while True:
        length, codes = _match(text, pos, current)
        if len(codes) != 1:
            return region(current)
        current, pos = codes[0], pos + length
