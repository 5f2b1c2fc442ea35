"""What a claim measures: its indicator."""

from __future__ import annotations

import re

import regex

from policy_nlp.claims.mentions import (
    Mention,
    alternation,
)
from policy_nlp.patterns import YEAR

_RIGHT_LEAD = re.compile(r"^(?:的|以上|以下|左右)+")


# Words that end the text before a number without naming what is measured: stripped as a run
# (增长到, 比上年增长) from the end of the indicator. Which run is stripped depends only on the words
# (the earliest position from which the rest is made of them), so they are matched as a prefix tree.
_INDICATOR_TAIL_WORDS = (
    "年均", "分别", "同比", "平均", "均", "总体", "累计", "比上年", "比去年", "较上年", "较去年",
    "今年", "去年", "全年", "增长", "增速", "增幅", "增加", "提升", "提高", "上涨", "上升", "上调",
    "下降", "降低", "减少", "缩短", "压减", "达到", "达", "为", "是", "超过", "超", "突破", "破", "逾",
    "近", "约", "接近", "不低于", "不少于", "至少", "不超过", "控制在", "保持在", "稳定在", "提高到",
    "提升至", "提高至", "提升到", "增至", "降至", "降到", "增加到", "减少到", "下降到", "实现", "完成",
    "累计达", "总额", "的", "了", "在", "由", "从", "到", "至", "和", "与", "及", "、",
)  # fmt: skip
# 比2010年, 由2010年的, 2010年, and the same in Chinese numerals (比一九五七年的)
_Y = YEAR
_INDICATOR_TAIL_YEARS = rf"[比较]{_Y}年的?|[由从]{_Y}年的|{_Y}年"
_INDICATOR_STRIP_TAIL = regex.compile(
    rf"(?:{alternation(_INDICATOR_TAIL_WORDS)}|{_INDICATOR_TAIL_YEARS}|\s)+$"
)
# the characters such a run can end with (the years end with 年 or 的; spaces are tested apart):
# text ending otherwise (most indicators) is left as it is without running the pattern
_INDICATOR_TAIL_ENDS = frozenset(w[-1] for w in _INDICATOR_TAIL_WORDS) | {"年", "的"}
_INDICATOR_STRIP_HEAD = regex.compile(
    r"^(?:其中|全年|今年|去年|同时|此外|另外|全省|全市|全区|全县|全国|我省|我市|我区|力争|确保|争取|推动|实现|要|将|拟|"
    rf"[一二三四五六七八九十]+是|省级|市级|按照|按|{_Y}年|到{_Y}年|[“”\"、，,\s])+"
)
# verbs that take the counted thing as object: 新建24座公共厕所 names 新建公共厕所
_ACTION_WORDS = (
    "新增", "新建", "新开工", "新改建", "建成", "建设", "改造", "改建", "改扩建", "培育", "创建", "打造",
    "实施", "推进", "完成", "开展", "引进", "认定", "淘汰", "关停", "发放", "投入", "投资", "解决", "提供",
    "开通", "设立", "组建", "招引", "吸引", "带动", "续建", "推出", "出台", "发布", "举办", "建立", "布局",
    "落地", "治理", "修复", "新认证", "累计创建", "累计建成",
)  # fmt: skip
# the run of these verbs ending the text (its start depends only on the words: a prefix tree)
_ACTION = re.compile(rf"(?:{alternation(_ACTION_WORDS)})+$")
_ACTION_ENDS = frozenset(w[-1] for w in _ACTION_WORDS)
_RIGHT_NOUN = regex.compile(
    r"(?:的)?([^，。；、：:,;（(\d]{2,24}?)(?=[，。；、：:,;（(]|[和及与][\d零一二两三四五六七八九十百千万]|$)"
)


def _indicator(
    norm: str,
    mn: Mention,
    seg_start: int,
    clause_end: int,
    prev_indicator: str,
    label: str = "",
) -> str:
    """The short name of what is measured: the words before the number in its clause, or the
    noun it counts (培育29个国家级集群 -> 培育国家级集群), or the label of its item (钢：从X增加到Y
    -> 钢), or the shared subject of a list. Words after a number that say how it changes
    (从一百三十五万吨增加到四百十二万吨) do not name it."""
    seg_start = max(seg_start, mn.start - 40)  # an indicator is short; look no further back
    left = norm[seg_start : mn.start].lstrip("、和及与以,， ")  # list separators (和, 及, 以及 …)
    if left and (left[-1] in _INDICATOR_TAIL_ENDS or left[-1].isspace()):
        left = _INDICATOR_STRIP_TAIL.sub("", left)
    core = _INDICATOR_STRIP_HEAD.sub("", left).strip()
    # (core is stripped: the run of verbs can only end with a verb's last character)
    verb = _ACTION.search(core) if core[-1:] in _ACTION_ENDS else None
    if not core or core.endswith("等") or verb:  # the words before do not name it: look after
        rm = _RIGHT_NOUN.match(norm, mn.end, clause_end)
        right = _RIGHT_LEAD.sub("", rm.group(1)).strip() if rm else ""
        if right and not _RIGHT_CHANGE.match(right):  # 从X增加到Y: X is a level, not a count
            return ((verb.group(0) if verb else "") + right)[:30]
    if len(core) >= 2:
        return core[-30:]
    return label or prev_indicator


# a change verb right after a number: what follows is its new level, not what it counts
_RIGHT_CHANGE = re.compile(
    r"(?:增加|增长|提高|提升|扩大|减少|下降|降低|缩小|上升|上调|下调|增至|降至|达到|到|至)"
)
# an item's label before a colon at the start of its line: 钢：…, （三）粮食：…
_ITEM_LABEL = regex.compile(
    r"\s*(?:——|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])?(\p{Han}[\p{Han}、]{0,11})"
)


def _item_label(norm: str, c_start: int) -> str:
    """The label of the item a clause starting at ``c_start`` opens (``钢：`` -> 钢), else ""."""
    if c_start < 2 or norm[c_start - 1] not in "：:":
        return ""
    line_start = norm.rfind("\n", 0, c_start) + 1
    m = _ITEM_LABEL.fullmatch(norm, line_start, c_start - 1)
    if m is None:
        return ""
    return _INDICATOR_STRIP_HEAD.sub("", m.group(1))  # 其中： names nothing
