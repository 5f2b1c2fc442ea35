"""The government a document speaks for, read from its issuer or title.

A target is settled only by an achievement of the same government (``same_government``):
the State Council's report never settles a district's target. ``jurisdiction`` names the
government by its province, prefecture and county; ``government_bucket`` is the part of it
that linking groups facts by. The names of places and their endings are vocabulary, in
``data/government_names.tsv``.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import regex

from policy_nlp.patterns import ARABIC_YEAR
from policy_nlp.resources import read_table
from policy_nlp.text import normalize

__all__ = ["Government", "Level", "government_bucket", "jurisdiction", "same_government"]

# How many Chinese characters a place's own name has before its ending (省, 市, 县 …), as
# (fewest, most): 内蒙古自治区 and 黑龙江省 at the province level, 呼伦贝尔市 at the
# prefecture level, 海拉尔区 at the county level. The shortest name is taken.
PROVINCE_NAME_CHARS = (2, 7)
PREFECTURE_NAME_CHARS = (2, 6)
COUNTY_NAME_CHARS = (1, 6)

# a year that opens an issuer or title (2024年政府工作报告) is no part of a place's name
_LEADING_YEAR = regex.compile(rf"^\s*{ARABIC_YEAR}\s*年?度?")
_SPACE = regex.compile(r"\s+")


class Government(NamedTuple):
    """The government a document speaks for: names of its three levels, "" where unnamed."""

    province: str
    prefecture: str
    county: str


class Level(NamedTuple):
    """The lowest level a government names (0 province, 1 prefecture, 2 county), and its name."""

    index: int
    name: str


NO_GOVERNMENT = Government("", "", "")
CENTRAL_GOVERNMENT = Government("中国", "", "")


def _words(role: str) -> str:
    """The words of one role in ``data/government_names.tsv``, as a regex alternation."""
    return "|".join(regex.escape(w) for w, r in read_table("government_names.tsv") if r == role)


@cache
def _patterns() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern, regex.Pattern]:
    """The patterns of a province, prefecture and county name, and of a central issuer."""
    (p_min, p_max), (f_min, f_max), (c_min, c_max) = (
        PROVINCE_NAME_CHARS,
        PREFECTURE_NAME_CHARS,
        COUNTY_NAME_CHARS,
    )
    province = regex.compile(
        rf"^(?:{_words('municipality')}|\p{{Han}}{{{p_min},{p_max}}}?(?:{_words('province-suffix')}))"
    )
    prefecture = regex.compile(rf"^\p{{Han}}{{{f_min},{f_max}}}?(?:{_words('prefecture-suffix')})")
    county = regex.compile(rf"^\p{{Han}}{{{c_min},{c_max}}}?(?:{_words('county-suffix')})")
    national = regex.compile(rf"^(?:{_words('national')})")
    return province, prefecture, county, national


@cache
def _government_word() -> regex.Pattern:
    return regex.compile(_words("government"))


def jurisdiction(issuer: str = "", title: str = "") -> Government:
    """The government a document speaks for: (province, prefecture, county) names.

    ``("中国", "", "")`` for the central government; ``("", "", "")`` when neither issuer nor
    title names one. 呼伦贝尔市海拉尔区人民政府 gives ``("", "呼伦贝尔市", "海拉尔区")``.
    """
    *levels, national = _patterns()
    for source in (issuer, title):
        s = _LEADING_YEAR.sub("", normalize(source or "")).strip()
        s = _SPACE.sub("", s)
        if not s:
            continue
        parts = []
        for pattern in levels:
            m = pattern.match(s)
            if m and not _government_word().match(m.group(0)):
                parts.append(m.group(0))
                s = s[m.end() :]
            else:
                parts.append("")
        if any(parts):
            return Government(*parts)
        if national.match(s):  # 2019年国务院政府工作报告 as well as 国务院
            return CENTRAL_GOVERNMENT
    return NO_GOVERNMENT


def same_government(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Same level and the same place; a level named in only one of the two is not compared
    above the lowest (海拉尔区 is 呼伦贝尔市海拉尔区), but the lowest levels must agree."""
    if not any(a) or not any(b):
        return not any(a) and not any(b)
    low_a = max(i for i, p in enumerate(a) if p)
    low_b = max(i for i, p in enumerate(b) if p)
    if low_a != low_b or a[low_a] != b[low_b]:
        return False
    return all(not x or not y or x == y for x, y in zip(a, b, strict=True))


def government_bucket(gov: tuple[str, str, str]) -> Level | None:
    """The lowest level named (``same_government`` needs it equal), None when none is."""
    if not any(gov):
        return None
    low = max(i for i, p in enumerate(gov) if p)
    return Level(low, gov[low])
