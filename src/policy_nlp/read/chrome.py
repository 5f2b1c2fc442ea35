"""Page chrome left at the top of a text copied from a web page.

A report saved from a site as text often opens with the page's buttons and breadcrumb, one per
line (下载 / 打印 / 全屏 / 【字号： / 当前位置： / 首页 / > / 政务信息), before its title. Those lines
are no title: ``leading_chrome`` says how many of them open the text, so the header is read
from the first real line. The words are data (``widget``, ``line`` and ``stamp`` in
``data/html_chrome.tsv``, shared with ``policy_nlp.read.html``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from policy_nlp.resources import read_table

__all__ = ["MAX_CHROME_LINES", "leading_chrome"]

# At most this many lines of chrome are skipped before a title (a breadcrumb, a share bar and a
# publication stamp, one item per line).
MAX_CHROME_LINES = 40
# A label's value on the next line (来源： / 宁夏日报客户端) is this short at most.
_VALUE_CHARS = 16
_STAMP_ONLY = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_BREADCRUMB = frozenset(">›»/")


class _Words(NamedTuple):
    widgets: frozenset[str]  # a whole line that is a button or a breadcrumb item (下载, 首页)
    starts: tuple[str, ...]  # the start of a furniture or stamp line (当前位置：, 来源：)


@cache
def _words() -> _Words:
    rows = read_table("html_chrome.tsv")
    widgets = frozenset(v for k, v in rows if k == "widget")
    starts = tuple(v for k, v in rows if k in ("line", "stamp", "label"))
    return _Words(widgets, starts)


def _is_label(line: str) -> bool:
    return line.endswith(("：", ":")) and len(line) <= _VALUE_CHARS


def leading_chrome(lines: list[str]) -> int:
    """How many of ``lines`` (stripped, non-empty, from the top of a text) are page chrome."""
    words = _words()
    n = 0
    follows_label = follows_crumb = False
    for line in lines[:MAX_CHROME_LINES]:
        chrome = (
            line in words.widgets
            or line in _BREADCRUMB
            or line.startswith(words.starts)
            or bool(_STAMP_ONLY.match(line))
            or ((follows_label or follows_crumb) and len(line) <= _VALUE_CHARS)
        )
        if not chrome:
            break
        follows_label = _is_label(line) and line.startswith(words.starts)  # 来源： / 宁夏日报
        follows_crumb = line in _BREADCRUMB
        n += 1
    return n
