"""Small SVG charts for the HTML report: horizontal and vertical bars, and a heatmap.

Each function returns one ``<svg class="chart">`` element as text, to be inlined in a page:
it has a ``<title>`` and ``<desc>`` (what screen readers and the browser test read), a
visible title, axis labels on both axes and, for several series, a legend. Fonts come from
the page's CSS (the report names CJK fonts first, so Chinese labels render). Every text
given (labels, titles) is escaped here; callers pass plain text. Long labels are cut with …
and keep their full text in a tooltip. Output is deterministic: same input, same SVG.
"""

from __future__ import annotations

import html
import itertools
import math
import unicodedata
from collections.abc import Sequence

__all__ = ["Series", "hbar_chart", "heatmap", "vbar_chart"]

Series = tuple[str, str, Sequence[float]]  # (name, colour, one value per category)

TICK = 11  # tick label font size in px (report.css sets the same)
MAX_LABEL = 300.0  # widest category label, px, before it is cut
HEAT_STOPS = ((0.0, "#f7fbff"), (0.25, "#c6dbef"), (0.5, "#6baed6"), (0.75, "#2171b5"),
              (1.0, "#08306b"))  # fmt: skip  # ColorBrewer "Blues", light to dark


def _px(x: float) -> str:
    """A coordinate with at most one decimal."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def el(tag: str, content: str = "", **attrs) -> str:
    """One element: attribute values escaped (``class_`` → class, ``text_anchor`` → text-anchor);
    ``content`` is inserted as is, so it must already be markup or escaped text."""
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        text = _px(value) if isinstance(value, float) else str(value)
        parts.append(f' {name}="{html.escape(text, quote=True)}"')
    return f"<{tag}{''.join(parts)}>{content}</{tag}>"


def esc(text: object) -> str:
    """Escaped text content."""
    return html.escape(str(text), quote=True)


def text_width(text: str, size: float) -> float:
    """Estimated width in px of ``text`` at font ``size``: wide (CJK) characters are square."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.62 for ch in text)


def clip(text: str, size: float, width: float) -> str:
    """``text`` cut with … so it fits ``width`` px."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def fmt_count(value: float) -> str:
    """A count or value as a label: whole numbers without decimals, with thousands separators."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.4g}"


def count_ticks(vmax: float, n: int = 5) -> list[int]:
    """Round whole-number ticks from 0 to at least ``vmax`` (about ``n`` steps)."""
    if vmax <= 0:
        return [0, 1]
    raw = vmax / n
    mag = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    return list(range(0, int(math.ceil(vmax / step) * step) + 1, int(step)))


def _open(key: str, width: float, height: float, title: str, desc: str) -> list[str]:
    """An SVG's opening tag, its <title> and <desc>, and the visible title."""
    return [
        f'<svg class="chart" id="{esc(key)}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{_px(width)}" height="{_px(height)}" viewBox="0 0 {_px(width)} {_px(height)}" '
        f'aria-labelledby="{esc(key)}-t {esc(key)}-d">',
        el("title", esc(title), id=f"{key}-t"),
        el("desc", esc(desc), id=f"{key}-d"),
        el("text", esc(title), class_="chart-title", x=width / 2, y=20.0, text_anchor="middle"),
    ]


def _axis_labels(x_label: str, y_label: str, x: float, y: float, y_mid: float) -> str:
    """The x-axis label centred at (x, y) and the y-axis label turned along the left edge."""
    return el("text", esc(x_label), class_="axis-label", x=x, y=y, text_anchor="middle") + el(
        "text",
        esc(y_label),
        class_="axis-label",
        transform=f"translate(14 {_px(y_mid)}) rotate(-90)",
        text_anchor="middle",
    )


def _legend(series: Sequence[Series], x: float, y: float) -> str:
    items = []
    for name, color, _ in series:
        items.append(el("rect", x=x, y=y - 9, width=10, height=10, fill=color))
        items.append(el("text", esc(name), class_="tick", x=x + 14, y=y))
        x += 30 + text_width(name, TICK)
    return el("g", "".join(items), class_="legend")


def _label(text: str, full: str, width: float, **attrs) -> str:
    """A tick label cut to ``width`` px, its full text in a tooltip."""
    return el("text", esc(clip(text, TICK, width)) + el("title", esc(full)), class_="tick", **attrs)


def hbar_chart(
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    x_label: str,
    y_label: str,
    stacked: bool = True,
    desc: str = "",
    category_titles: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, a row per category; several series are stacked or side by side.

    ``key`` is the SVG's id (unique in the page); ``category_titles`` are tooltips for the
    row labels (for instance a document's title behind its id).
    """
    n = len(categories)
    label_w = min(MAX_LABEL, max([text_width(c, TICK) for c in categories] + [40.0]))
    left, top, plot_w = label_w + 36, 52.0, 520.0
    band = 20.0 if stacked or len(series) == 1 else 8.0 + 11.0 * len(series)
    plot_bottom = top + band * n
    width, height = left + plot_w + 40, plot_bottom + 48
    totals = [(sum if stacked else max)(s[2][i] for s in series) if series else 0 for i in range(n)]
    ticks = count_ticks(max(totals, default=0))
    scale = plot_w / ticks[-1]
    out = _open(key, width, height, title, desc)
    if len(series) > 1:
        out.append(_legend(series, left, 38.0))
    for t in ticks:
        x = left + t * scale
        out.append(el("line", class_="grid", x1=x, x2=x, y1=top, y2=plot_bottom))
        out.append(el("text", str(t), class_="tick", x=x, y=plot_bottom + 14, text_anchor="middle"))
    for i, cat in enumerate(categories):
        y0 = top + band * i
        full = category_titles[i] if category_titles else cat
        out.append(_label(cat, full, label_w, x=left - 6, y=y0 + band / 2 + 4, text_anchor="end"))
        x = left
        for j, (name, color, values) in enumerate(series):
            v = float(values[i])
            y, h = (y0 + 3, band - 6) if stacked else (y0 + 4 + 11.0 * j, 10.0)
            if v:
                tip = el("title", esc(f"{full}: {fmt_count(v)} {name.lower()}"))
                out.append(el("rect", tip, class_="bar", x=x, y=y, width=v * scale, height=h,
                              fill=color))  # fmt: skip
            if stacked:
                x += v * scale
            elif v:
                out.append(el("text", fmt_count(v), class_="value", x=x + v * scale + 3, y=y + 8.5))
        if stacked and totals[i]:
            out.append(
                el("text", fmt_count(totals[i]), class_="value", x=x + 3, y=y0 + band / 2 + 3.5)
            )
    out.append(el("line", class_="axis-line", x1=left, x2=left, y1=top, y2=plot_bottom))
    out.append(
        _axis_labels(x_label, y_label, left + plot_w / 2, plot_bottom + 34, (top + plot_bottom) / 2)
    )
    out.append("</svg>")
    return "".join(out)


def vbar_chart(
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    x_label: str,
    y_label: str,
    desc: str = "",
) -> str:
    """Vertical bars, a column per category (years, say); several series are stacked."""
    n = len(categories)
    left, top, plot_h = 64.0, 52.0, 260.0
    band = max([36.0, 360.0 / max(n, 1)] + [text_width(c, TICK) + 10 for c in categories])
    bar = min(band - 10, 44.0)  # a few categories get wide bands, not fat bars
    base, right = top + plot_h, left + band * n
    width, height = max(480.0, right + 24), base + 56
    totals = [sum(float(s[2][i]) for s in series) for i in range(n)]
    ticks = count_ticks(max(totals, default=0))
    scale = plot_h / ticks[-1]
    out = _open(key, width, height, title, desc)
    if len(series) > 1:
        out.append(_legend(series, left, 38.0))
    for t in ticks:
        y = base - t * scale
        out.append(el("line", class_="grid", x1=left, x2=right, y1=y, y2=y))
        out.append(el("text", str(t), class_="tick", x=left - 6, y=y + 4, text_anchor="end"))
    for i, cat in enumerate(categories):
        x0, y = left + band * i, base
        for name, color, values in series:
            v = float(values[i])
            if v:
                y -= v * scale
                tip = el("title", esc(f"{cat}: {fmt_count(v)} {name.lower()}"))
                out.append(el("rect", tip, class_="bar", x=x0 + (band - bar) / 2, y=y,
                              width=bar, height=v * scale, fill=color))  # fmt: skip
        if totals[i]:
            out.append(el("text", fmt_count(totals[i]), class_="value", x=x0 + band / 2, y=y - 3,
                          text_anchor="middle"))  # fmt: skip
        out.append(
            el("text", esc(cat), class_="tick", x=x0 + band / 2, y=base + 15, text_anchor="middle")
        )
    out.append(el("line", class_="axis-line", x1=left, x2=right, y1=base, y2=base))
    out.append(_axis_labels(x_label, y_label, (left + right) / 2, base + 38, top + plot_h / 2))
    out.append("</svg>")
    return "".join(out)


def heat_color(share: float) -> str:
    """The colour of a share in [0, 1] on the light-to-dark blue scale."""
    share = min(1.0, max(0.0, share))
    for (p0, c0), (p1, c1) in itertools.pairwise(HEAT_STOPS):
        if share <= p1:
            t = (share - p0) / (p1 - p0)
            rgb = (
                round(int(c0[k : k + 2], 16) * (1 - t) + int(c1[k : k + 2], 16) * t)
                for k in (1, 3, 5)
            )
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return HEAT_STOPS[-1][1]


def heatmap(
    key: str,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    shares: Sequence[Sequence[float]],
    *,
    x_label: str,
    y_label: str,
    desc: str = "",
    row_titles: Sequence[str] | None = None,
    scale_label: str = "share",
) -> str:
    """A grid of shares in [0, 1], a row per ``rows`` item and a column per ``columns`` item,
    each cell coloured on a 0-100 % scale and labelled with its percentage."""
    label_w = min(MAX_LABEL, max([text_width(r, TICK) for r in rows] + [40.0]))
    col_w = min(180.0, max([text_width(c, TICK) for c in columns] + [20.0]))
    cell_w, cell_h = 48.0, 20.0
    left, top = label_w + 36, 52.0
    base = top + cell_h * len(rows)
    axis_y = base + col_w * 0.71 + 26  # below the column labels, turned 45 degrees
    width = max(420.0, left + cell_w * len(columns) + 40)
    height = axis_y + 48
    out = _open(key, width, height, title, desc)
    for i, row in enumerate(rows):
        y = top + cell_h * i
        full = row_titles[i] if row_titles else row
        out.append(_label(row, full, label_w, x=left - 6, y=y + cell_h / 2 + 4, text_anchor="end"))
        for j, col in enumerate(columns):
            share, x = float(shares[i][j]), left + cell_w * j
            tip = el("title", esc(f"{full} · {col}: {share:.1%}"))
            out.append(el("rect", tip, class_="cell", x=x, y=y, width=cell_w - 1,
                          height=cell_h - 1, fill=heat_color(share)))  # fmt: skip
            if share >= 0.005:
                out.append(el("text", f"{share:.0%}",
                              class_="cell-text dark" if share > 0.45 else "cell-text",
                              x=x + cell_w / 2, y=y + cell_h / 2 + 3.5,
                              text_anchor="middle"))  # fmt: skip
    for j, col in enumerate(columns):
        x = left + cell_w * j + cell_w / 2 + 4
        out.append(_label(col, col, col_w, transform=f"translate({_px(x)} {_px(base + 10)}) "
                          "rotate(-45)", text_anchor="end"))  # fmt: skip
    out.append(
        _axis_labels(x_label, y_label, left + cell_w * len(columns) / 2, axis_y, (top + base) / 2)
    )
    stops = "".join(el("stop", offset=f"{p:g}", stop_color=c) for p, c in HEAT_STOPS)
    gy = axis_y + 14
    out.append(el("defs", el("linearGradient", stops, id=f"{key}-scale")))
    out.append(
        el(
            "g",
            el("rect", x=left, y=gy, width=160, height=10, fill=f"url(#{key}-scale)")
            + el("text", "0%", class_="tick", x=left, y=gy + 22)
            + el("text", "100%", class_="tick", x=left + 160, y=gy + 22, text_anchor="end")
            + el("text", esc(scale_label), class_="tick", x=left + 170, y=gy + 9),
            class_="legend",
        )
    )
    out.append("</svg>")
    return "".join(out)
