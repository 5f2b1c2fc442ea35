"""The spec's exclusions: numbers that are not claims."""

from __future__ import annotations

import bisect
import re

import regex

from policy_nlp.claims.mentions import _CN_DIGITS, _YEAR4, CJK, Mention, _has_big_mag

_YEAR4_NIAN = regex.compile(r"(?:19|20)\d\d年")
_ANY_MAG = frozenset("百千万亿")
# The patterns below hold only words and explicit character sets, which the standard library's
# engine reads the same and, for these short checks, with less overhead per call.
_CN_BARE_CUE = re.compile(r"(?:上|近|超|破|突破|逾|达|达到|约|超过|过|有|余)$")
_TIME_AS_TIME = re.compile(r"(?:连续|为期|用了?|经过|通过|近|这|过去)$")

_OPEN_QUOTES, _CLOSE_QUOTES = '“‘「『"', '”’」』"'
_QUOTES_NEAR = re.compile('[“‘「『"]')
_TIME_CUE_BEFORE = re.compile(
    r"(?:压缩|缩短|减少|缩减|控制|不超过|不得超过|最长|时限|期限|时间|用时|周期|期(?![末间初中])|办结|提前|平均|延长|年限|工期|寿命|有效期|天数)"
    r"[^，。；,;]{0,14}$"
)
_TIME_CUE_AFTER = re.compile(
    r"^(?:放行|办结|办理|完成|审结|答复|响应|到达|通关|审批|到场|处置|处理|反馈|回应|办毕)"
)
# 寿命从2020年的82.4岁, 寿命提高1岁，达到74.5岁: the cue may sit a clause before the age
_AGE_CUE_BEFORE = re.compile(r"(?:寿命|年龄)[^。；;]{0,20}$")
_MEETING_AFTER = regex.compile(
    r"^(?:[、和][一二三四五六七八九十\d]+次)*(?:全会|会议|代表大会|人代会|党代会|集体学习|常委会|全体会议|会上|大会)"
)


def _excluded(mn: Mention, norm: str, line_start: int, idioms: list[tuple[int, int]]) -> bool:
    """Whether a mention is not a claim (the spec's exclusions; see the module docstring).

    Every check only adds a reason to drop the mention, so their order does not change the
    answer: the cheap ones on the characters around it come first.
    """
    s, e = mn.start, mn.end
    prev = norm[s - 1] if s > 0 else "\n"  # a text boundary reads as a line break
    nxt = norm[e] if e < len(norm) else "\n"
    after = norm[e : e + 8]
    text = norm[s:e]
    # names and labels: 5G, G60, PM2.5, IPv6, “3+6”, 2.0版
    if (prev.isascii() and (prev.isalpha() or prev in "_+.-/")) or (
        nxt.isascii() and nxt.isalpha()
    ):
        return True
    if (
        nxt == "+"
        and len(norm) > e + 1
        and (norm[e + 1].isdigit() or (norm[e + 1].isascii() and norm[e + 1].isalpha()))
    ):
        return True
    if (
        text.endswith("+")
        and e < len(norm)
        and (nxt.isdigit() or (nxt.isascii() and nxt.isalpha()))
    ):
        return True
    if (
        nxt in ".:" and e + 1 < len(norm) and norm[e + 1].isdigit()
    ):  # versions 2.0.1, ratios 4.0:37.2
        return True
    if prev == ":" and s >= 2 and norm[s - 2].isdigit():
        return True
    if nxt in "版代型号级期届" or prev in "第前每" or (prev == "国" and mn.chinese):
        return True
    # years, dates and year ranges
    if (nxt in "年-" or prev == "-") and _YEAR4.fullmatch(text):
        return True
    if mn.category == "time" and _YEAR4_NIAN.fullmatch(text):
        return True
    # list markers and bracketed numbers: 4.着力…, （1）, ［2］, (25分)
    at_line_start = s - line_start <= 4 and norm[line_start:s].strip() == ""
    if at_line_start and (nxt in ".、)）" or text.endswith(".")):
        return True
    if prev in "(（[［【〔" and (nxt in ")）]］】〕" or after[:2] in ("分)", "分）")):
        return True
    # spans inside idioms and names with numerals (千行百业, 一网通办 …)
    k = bisect.bisect_left(idioms, (e, e))
    if k and idioms[k - 1][1] > s:
        return True
    # short quoted labels: “四个走在前”, “3个95%” (a quoted 翻番 still says what happened)
    if (
        mn.kind_hint != "fan"
        and _QUOTES_NEAR.search(norm, max(0, s - 10), s)
        and _in_short_quote(norm, s, e)
    ):
        return True
    # bare numbers are not quantities; Chinese numerals need a unit, or a magnitude and a cue
    if not mn.has_unit and not text.endswith("+"):
        if not mn.chinese and mn.magnitude < 10_000:
            return True
        if mn.chinese:
            if not _has_big_mag(text) or prev in "数几若":
                return True
            cue = _CN_BARE_CUE.search(norm[max(0, s - 2) : s])
            if not (cue or len(text) >= 3):
                return True
    if mn.chinese and (mn.value == 0 or prev in "数几若"):
        return True
    # small Chinese-numeral counts are enumerations or names (两个维护, 三种类型, 二回线路)
    if mn.chinese and mn.category == "count" and mn.value < 10 and _ANY_MAG.isdisjoint(text):
        return True
    if mn.unit in ("次", "届") and _MEETING_AFTER.match(after):
        return True
    if mn.unit == "届" or (mn.category == "count" and after.startswith(("方面", "部分", "环节"))):
        return True
    # time spans used as time (4年来, 24小时运转) unless a duration is what is measured
    if mn.category == "time" and prev == "月" and mn.unit == "日":
        return True  # a date, whatever cue is near: 发布时间：2022年10月17日
    if mn.category == "time":
        left = norm[max(0, s - 12) : s]
        if _TIME_AS_TIME.search(left):
            return True
        suffix_inner = text.endswith(("内", "以内", "之内"))
        limit = mn.unit == "工作日" or (
            suffix_inner and (mn.unit == "日" or _TIME_CUE_AFTER.match(after))
        )
        if not (limit or _TIME_CUE_BEFORE.search(left)):
            return True
    if mn.category == "age" and not _AGE_CUE_BEFORE.search(norm[max(0, s - 24) : s]):
        return True
    # product and facility classes: 7纳米芯片, 750千伏工程
    if mn.category == "spec" and nxt and CJK.match(nxt):
        return True
    # scopes: 50米内换乘, 15分钟生活圈
    if mn.category in ("length", "area") and text.endswith("内") and nxt and CJK.match(nxt):
        return True
    # thresholds that define a group: 亿元以上项目, 营收过百亿元的企业
    if (
        text.endswith(("以上", "以下"))
        and mn.category not in ("percent", "count", "point")
        and CJK.match(nxt)
    ):
        return True
    if text[0] in "十百千万亿" and _NUMERALS.isdisjoint(text):
        # a bare magnitude sized by a count is a step, not an amount: 连跨两个万亿元台阶
        if prev == "个":
            return True
        # a bare 万家 / 万人 with nothing saying "about" names or qualifies what follows:
        # 万家惠农贸市场, 守护万家灯火, 万人高价值发明专利拥有量 (近万家企业, 十座炼焦炉 stay)
        if (
            len(text) == 2
            and text[0] == "万"
            and mn.category == "count"
            and CJK.match(nxt)
            and prev not in _ABOUT
        ):
            return True
    # a bracket or group the figure defines: 年应纳税所得额不到100万元的部分, 20—60万元群体
    if after.startswith(_GROUP_AFTER):
        return True
    # a money threshold that defines a counted group: 超10亿元重大项目14个, 3个过三千亿元城市,
    # 超500亿元的县域增至12个 (but 超过1400亿元资产价值 is an amount)
    if (
        mn.category == "money"
        and prev in "超过"
        and _GROUP_NOUN_AFTER.match(norm, e, e + 2)
        and (_COUNT_LATER.match(norm, e, e + 24) or _COUNTED_BEFORE.search(norm, max(0, s - 8), s))
    ):
        return True
    return bool(prev == "过" and nxt == "的")


_NUMERALS = frozenset("0123456789" + _CN_DIGITS)
_ABOUT = frozenset("近约超逾达上破过数几成余")  # words that make a bare magnitude a quantity
_GROUP_AFTER = ("的部分", "部分的", "群体", "的群体", "人群", "的人群")
_GROUP_NOUN_AFTER = regex.compile(r"的?(?![和及与])\p{Han}")
_COUNT_WORDS = r"[\d一二两三四五六七八九十百]+(?:个|家|项|座|所|户)"
_COUNT_LATER = regex.compile(rf"[^，。；,;]{{0,16}}?{_COUNT_WORDS}")
_COUNTED_BEFORE = regex.compile(rf"{_COUNT_WORDS}(?:超过|超|过)$")


def _in_short_quote(norm: str, s: int, e: int) -> bool:
    left = norm[max(0, s - 10) : s]
    right = norm[e : e + 10]
    lq = max(left.rfind(q) for q in _OPEN_QUOTES)
    if lq < 0:
        return False
    if any(c in _CLOSE_QUOTES for c in left[lq + 1 :] if c != '"') or any(
        c in "，。；" for c in left[lq + 1 :]
    ):
        return False
    rq = min((right.find(q) for q in _CLOSE_QUOTES if right.find(q) >= 0), default=-1)
    if rq < 0 or any(c in "，。；" for c in right[:rq]):
        return False
    return (len(left) - lq - 1) + (e - s) + rq <= 12
