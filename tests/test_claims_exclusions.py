"""The spec's "not claims" (spec/claims.md), one named predicate each, in the spec's order."""

import bisect

import pytest

from policy_nlp.claims import exclusions
from policy_nlp.claims.exclusions import EXCLUSIONS, Site, excluded, find_mentions
from policy_nlp.claims.mentions import candidates
from policy_nlp.text import normalize


def _reasons(text: str, mention: str) -> set[str]:
    """The names of the exclusions that drop the candidate ``mention`` of ``text``."""
    norm = normalize(text)
    site = Site(norm)
    newlines = [i for i, ch in enumerate(norm) if ch == "\n"]
    for mn in candidates(norm):
        if norm[mn.start : mn.end] == mention:
            k = bisect.bisect_left(newlines, mn.start)
            s = site.at(mn, newlines[k - 1] + 1 if k else 0)
            return {p.__name__ for p in EXCLUSIONS if p(s)}
    raise AssertionError(f"{mention!r} is not a candidate of {text!r}")


CASES = [
    # time expressions used as time
    ("time_used_as_time", "4年来，全市经济持续增长。", "4年"),
    ("time_used_as_time", "发布时间：2022年10月17日", "17日"),
    ("time_used_as_time", "连续3年保持增长。", "3年"),
    # ordinals, list markers, editions used as names
    ("ordinal_or_list_marker", "第三十四次会议审议通过。", "三十四次"),
    ("ordinal_or_list_marker", "召开十次全会。", "十次"),
    ("ordinal_or_list_marker", "（3个）", "3个"),
    # numbers inside names or labels
    ("inside_name", "实现“3个95%”目标。", "95%"),
    ("inside_name", "建设7纳米芯片生产线。", "7纳米"),
    # idioms and vague quantifiers
    ("idiom_or_vague_quantifier", "走进千家万户。", "万户"),
    ("idiom_or_vague_quantifier", "吸引数万名游客。", "万名"),
    # parameters of the document's own structure
    ("structure_parameter", "考核（1万分）", "1万"),
    ("structure_parameter", "重点抓好三个方面工作。", "三个"),
    # definitions of groups and scopes
    ("group_or_scope", "为65岁以上老年人提供服务。", "65岁以上"),
    ("group_or_scope", "实现50米内换乘。", "50米内"),
    # thresholds that define the group being counted
    ("threshold", "新开工亿元以上项目120个。", "亿元以上"),
    ("threshold", "营收过百亿元的企业达到12家。", "百亿元"),
    # steps
    ("step", "连跨两个万亿元台阶。", "万亿元"),
    # v2: the base of a rate, class labels, a bare magnitude, a threshold with 大于
    ("base_of_rate", "年末1美元兑6.8976元人民币。", "1美元"),
    ("inside_name", "获批1类新药2个。", "1类"),
    ("idiom_or_vague_quantifier", "万元地区生产总值能耗下降3%。", "万元"),
    ("threshold", "年产值大于1000万元的企业有35家。", "1000万元"),
]


@pytest.mark.parametrize(("name", "text", "mention"), CASES, ids=[c[1][:12] for c in CASES])
def test_each_exclusion_drops_its_spec_example(name, text, mention):
    reasons = _reasons(text, mention)
    assert name in reasons, reasons
    assert all(mn.start != normalize(text).find(mention) for mn in find_mentions(normalize(text)))


def test_exclusions_are_in_the_spec_order_and_excluded_calls_them_all():
    assert [p.__name__ for p in EXCLUSIONS] == [
        "time_used_as_time",
        "ordinal_or_list_marker",
        "inside_name",
        "idiom_or_vague_quantifier",
        "structure_parameter",
        "group_or_scope",
        "threshold",
        "step",
        "base_of_rate",
    ]
    # excluded() writes the tuple out for speed: it names every predicate, in order
    import inspect

    body = inspect.getsource(excluded)
    positions = [body.index(f"{p.__name__}(s)") for p in EXCLUSIONS]
    assert positions == sorted(positions)
    assert all(p.__doc__ and "spec" in p.__doc__ for p in EXCLUSIONS)


def test_claims_are_kept():
    norm = normalize("审批时间压缩至3个工作日，培育29个国家级集群，增长5.2%。")
    assert [norm[m.start : m.end] for m in find_mentions(norm)] == ["3个工作日", "29个", "5.2%"]


def test_cues_are_read_once():
    assert exclusions.cues() is exclusions.cues()
