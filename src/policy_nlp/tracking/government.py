"""The government a document speaks for (moved from core.py)."""

from __future__ import annotations

import regex

from policy_nlp.text import normalize

_NATIONAL = regex.compile(r"^(?:中共中央|国务院|中华人民共和国|全国|国家|中央)")
_PROVINCE = regex.compile(r"^(?:北京市|天津市|上海市|重庆市|\p{Han}{2,7}?(?:省|自治区|特别行政区))")
_PREFECTURE = regex.compile(r"^\p{Han}{2,6}?(?:自治州|市|州|盟|地区)")
_COUNTY = regex.compile(r"^\p{Han}{1,6}?(?:自治县|区|县|旗|市)")


def jurisdiction(issuer: str = "", title: str = "") -> tuple[str, str, str]:
    """The government a document speaks for: (province, prefecture, county) names.

    ``("中国", "", "")`` for the central government; ``("", "", "")`` when neither issuer nor
    title names one. 呼伦贝尔市海拉尔区人民政府 gives ``("", "呼伦贝尔市", "海拉尔区")``.
    """
    for source in (issuer, title):
        s = regex.sub(r"^\s*(?:19|20)\d\d\s*年", "", normalize(source or "")).strip()
        s = regex.sub(r"\s+", "", s)
        if not s:
            continue
        parts = []
        for pattern in (_PROVINCE, _PREFECTURE, _COUNTY):
            m = pattern.match(s)
            if m and not regex.match(r"人民政府|政府", m.group(0)):
                parts.append(m.group(0))
                s = s[m.end() :]
            else:
                parts.append("")
        if any(parts):
            return tuple(parts)  # type: ignore[return-value]
        if _NATIONAL.match(regex.sub(r"\s+", "", normalize(source))):
            return ("中国", "", "")
    return ("", "", "")


def _same_government(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Same level and the same place; a level named in only one of the two is not compared
    above the lowest (海拉尔区 is 呼伦贝尔市海拉尔区), but the lowest levels must agree."""
    if not any(a) or not any(b):
        return not any(a) and not any(b)
    low_a = max(i for i, p in enumerate(a) if p)
    low_b = max(i for i, p in enumerate(b) if p)
    if low_a != low_b or a[low_a] != b[low_b]:
        return False
    return all(not x or not y or x == y for x, y in zip(a, b, strict=True))


def _government_bucket(gov: tuple[str, str, str]) -> tuple[int, str] | None:
    """The lowest level named (``_same_government`` needs it equal), None when none is."""
    if not any(gov):
        return None
    low = max(i for i, p in enumerate(gov) if p)
    return (low, gov[low])
