"""Peers' number-reading test cases, read in a claim sentence: % right and silent wrong values.

Usage::

    PYTHONPATH=src python bench/peer_numbers.py DIR [--show N]

``DIR`` holds copies of the peers' test files (never committed here; take them from each
project's repository):

- Recognizers-Text ``Specs/Number/Chinese/{NumberModel,PercentModel,NumberRangeModel}.json``
  and ``Specs/NumberWithUnit/Chinese/CurrencyModel.json`` (any ``*.json`` in the same form);
- cn2an ``cn2an/cn2an_test.py`` (its ``strict``/``normal``/``smart`` data dicts);
- chinese2digits ``Python/chinese2digits/test.py`` (``takeNumberFromString`` calls and their
  ``CHNumberStringList``/``digitsStringList`` asserts);
- JioNLP ``test/test_money_parser.py`` (``money_string_list``).

The Python files are read with ``ast`` (literal values only; nothing in them runs). Only the
policy-relevant cases are kept: amounts, counts, percentages, fractions and ranges; dates,
ordinals, codes and phone numbers, spoken money (块, 毛), internet shorthand (15k, 30w),
open-ended comparisons (大于10) and pieces of other numbers are left out. Each kept number is
placed in a claim sentence (``全年完成投资{expr}元。``, ``全年增长{expr}。`` or
``合同金额为{expr}。`` when it carries its currency) and read by ``policy_nlp.claims.extract``.

A case is *right* when exactly one claim overlaps the number and its value (and high end, for
a range) equals the expected one; a *silent wrong value* when a claim is read there with any
other value; *refused* when no claim is read there. Percentages, permilles and fractions are
compared as plain numbers (50% = 0.5).
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from policy_nlp.claims import extract

Case = tuple[str, str, Decimal, Decimal | None]  # source, expression, value, high (ranges)

_NUMERAL_CHARS = set(
    "0123456789.,，点负-零〇○一二两兩三四五六七八九十百千万亿壹贰贰叁肆伍陆柒捌玖拾佰仟萬億%分之成多余几幾半"
)
_CURRENCY = ("元", "圆", "美元", "欧元", "港元", "日元", "英镑")
_SKIP = re.compile(
    # dates, ordinals, codes (零一), spoken money, shorthand; and forms the peers read apart:
    # 百三 is 130 to Recognizers but 百分之三 to chinese2digits, 四百分之16 is 4.16 to the latter
    r"^[百千万亿佰仟萬億][零一二两三四五六七八九]|.百分之|"
    r"[第廿卅幺年月日号点]$|^[第]|^零[零〇一二三四五六七八九0-9]|[块毛钱kKwW折]|^\.|%.|周|星期|时|秒"
)
_PERCENTISH = re.compile(r"%|分之|成$")


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def _plain_expected(expr: str, value: str) -> Decimal | None:
    """The expected value as a plain number (Recognizers writes percentages as ``50%``)."""
    v = str(value).strip()
    if v.endswith("%"):
        d = _dec(v[:-1])
        return None if d is None else d / 100
    return _dec(v)


def _relevant(expr: str) -> bool:
    core = expr
    for cur in _CURRENCY:
        core = core.replace(cur, "")
    core = core.replace("整", "").replace("正", "").replace("角", "").replace("分", "")
    core = core.replace("分之", "")
    return (
        bool(core)
        and set(core) <= _NUMERAL_CHARS
        and not _SKIP.search(expr)
        and any(c not in "负-.,，%" for c in core)
    )


# ----------------------------------------------------------------------------- readers


def _recognizers(path: Path) -> list[Case]:
    out: list[Case] = []
    for item in json.loads(path.read_text(encoding="utf-8-sig")):
        for res in item.get("Results", []):
            text, typ = res.get("Text", ""), res.get("TypeName", "")
            value = res.get("Resolution", {}).get("value", "")
            if typ.startswith("ordinal"):
                continue
            if typ == "numberrange":
                m = re.fullmatch(r"\[(-?[\d.]+),(-?[\d.]+)[\])]", value)
                # closed two-ended ranges written X到Y / X-Y / X至Y only
                if m and re.fullmatch(
                    r"[^大小于超过最至少多以上下]+(?:到|至|-|–|~)[^大小于]+", text
                ):
                    lo, hi = _dec(m.group(1)), _dec(m.group(2))
                    if (
                        lo is not None
                        and hi is not None
                        and _relevant(re.sub("[到至–~-]", "", text))
                    ):
                        out.append((f"recognizers:{path.name}", text, lo, hi))
                continue
            if typ == "currency":
                if res.get("Resolution", {}).get("isoCurrency") != "CNY":
                    continue
                if not text.endswith("元"):
                    continue
            expected = _plain_expected(text, value)
            if expected is not None and _relevant(text):
                out.append((f"recognizers:{path.name}", text, expected, None))
    return out


def _literal_dicts(tree: ast.AST, names: tuple[str, ...]) -> list[dict]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            target = node.targets[0]
            name = getattr(target, "attr", getattr(target, "id", ""))
            if name in names:
                found.append(ast.literal_eval(node.value))
    return found


def _cn2an(path: Path) -> list[Case]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[Case] = []
    for table in _literal_dicts(tree, ("strict_data_dict", "normal_data_dict", "smart_data_dict")):
        for expr, value in table.items():
            expected = _dec(repr(value)) if isinstance(value, (int, float)) else None
            if expected is not None and _relevant(expr):
                out.append(("cn2an", expr, expected, None))
    return out


def _chinese2digits(path: Path) -> list[Case]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[Case] = []
    lists: dict[str, list] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "assertEqual"):
            continue
        first, second = node.args[0], node.args[1]
        key = getattr(getattr(first, "slice", None), "value", None)
        if key in ("CHNumberStringList", "digitsStringList") and isinstance(second, ast.List):
            lists[key] = ast.literal_eval(second)
            if key == "digitsStringList" and "CHNumberStringList" in lists:
                for expr, digits in zip(
                    lists["CHNumberStringList"], lists["digitsStringList"], strict=False
                ):
                    expected = _plain_expected(expr, digits) if "/" not in digits else None
                    if expected is not None and _relevant(expr) and "%" not in expr[:-1]:
                        if "%" in expr or "分之" in expr:  # c2d writes percents and fractions plain
                            expected = _dec(digits) if "%" not in digits else expected
                        out.append(("chinese2digits", expr, expected, None))
                lists.clear()
    return out


def _jionlp(path: Path) -> list[Case]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[Case] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and getattr(node.targets[0], "id", "") == "money_string_list"
        ):
            for expr, info in ast.literal_eval(node.value):
                num = info["num"]
                body = re.sub(r"^(?:约|近|至少|不到|小于|大约|从)", "", expr)
                body = re.sub(
                    r"(?:人民币|港币|台币|日币|泰铢|卢布|韩元|澳元|欧元|美元|港元|日元|元|以上|左右|上下)+$",
                    "",
                    body,
                )
                body = re.sub(r"^(?:人民币|港币|新台币)\s*", "", body)
                if not _relevant(re.sub(r"[到至\s-]", "", body)) or "数" in expr:
                    continue
                if expr.startswith("从"):
                    continue  # 从X到Y states a change in policy text (spec), not a range
                if isinstance(num, list):
                    lo, hi = Decimal(num[0]), Decimal(num[1])
                    if re.search("多|几|余", expr):
                        out.append(("jionlp", expr, lo, None))  # 3000多: the low end, comparator >
                    else:
                        out.append(("jionlp", expr, lo, hi))
                else:
                    out.append(("jionlp", expr, Decimal(num), None))
    return out


def load_cases(root: Path) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(root.rglob("*")):
        if path.suffix == ".json":
            cases += _recognizers(path)
        elif path.name.startswith("cn2an") and path.suffix == ".py":
            cases += _cn2an(path)
        elif "chinese2digits" in path.name and path.suffix == ".py":
            cases += _chinese2digits(path)
        elif "money_parser" in path.name and path.suffix == ".py":
            cases += _jionlp(path)
    seen, unique = set(), []
    for case in cases:
        if case[1] not in seen:
            seen.add(case[1])
            unique.append(case)
    return unique


# ----------------------------------------------------------------------------- scoring


def sentence(expr: str) -> tuple[str, int]:
    """The claim sentence for ``expr`` and where the expression starts in it."""
    if any(c in expr for c in ("元", "圆")) or re.search("人民币|港币|泰铢|卢布|韩元|澳元", expr):
        prefix, suffix = "合同金额为", "。"
    elif _PERCENTISH.search(expr):
        prefix, suffix = "全年增长", "。"
    else:
        prefix, suffix = "全年完成投资", "元。"
    return prefix + expr + suffix, len(prefix)


def _plain(value: Decimal, unit: str) -> Decimal:
    return value / 100 if unit == "%" else value / 1000 if unit == "‰" else value


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= Decimal("1e-6") * max(Decimal(1), abs(b))


def judge(case: Case) -> str:
    """``right``, ``wrong`` (a value read that is not the expected one) or ``refused``."""
    _, expr, value, high = case
    text, start = sentence(expr)
    end = start + len(expr)
    got = [c for c in extract(text) if c.start < end and c.end > start]
    if not got:
        return "refused"
    if len(got) == 1:
        c = got[0]
        v = _plain(c.value, c.unit)
        h = None if c.value_high is None else _plain(c.value_high, c.unit)
        if _same(v, value) and (high is None or _same(h, high)):
            return "right"
    return "wrong"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path, help="directory holding the peers' test files")
    ap.add_argument("--show", type=int, default=20, help="list this many wrong and refused cases")
    args = ap.parse_args(argv)
    cases = load_cases(args.root)
    if not cases:
        print(f"no peer cases found under {args.root}", file=sys.stderr)
        return 2
    by_source: dict[str, dict[str, int]] = {}
    bad: list[tuple[str, Case, str]] = []
    for case in cases:
        verdict = judge(case)
        src = case[0].split(":")[0]
        counts = by_source.setdefault(src, {"right": 0, "wrong": 0, "refused": 0})
        counts[verdict] += 1
        if verdict != "right":
            text, _ = sentence(case[1])
            got = [(c.mention, str(c.value), c.value_high, c.unit) for c in extract(text)]
            bad.append((verdict, case, repr(got)))
    total = {k: sum(c[k] for c in by_source.values()) for k in ("right", "wrong", "refused")}
    n = len(cases)
    for src, c in sorted(by_source.items()):
        m = sum(c.values())
        print(
            f"{src:16s} {m:4d} cases  right {c['right'] / m:6.1%}  silent wrong {c['wrong']:3d}  refused {c['refused']:3d}"
        )
    print(
        f"{'all':16s} {n:4d} cases  right {total['right'] / n:6.1%}  silent wrong {total['wrong']:3d}  refused {total['refused']:3d}"
    )
    for verdict, case, got in sorted(bad, key=lambda b: b[0] != "wrong")[: args.show]:
        print(
            f"  {verdict:7s} {case[0]:28s} {case[1]!r} expected {case[2]} {case[3] or ''} got {got}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
