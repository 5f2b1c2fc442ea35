"""Build input files the way they arrive: gov.cn-like HTML pages, Word files, PDFs.

Tests make their fixtures here rather than shipping binaries: HTML pages with the chrome of a
real government site (menus with many links, breadcrumbs, share bars, related articles, a
footer with 版权所有 and 网站标识码, scripts and styles holding numbers of their own), DOCX
files with python-docx, and Chinese PDFs with reportlab's built-in CID font STSong-Light.
"""

from __future__ import annotations

import html
from pathlib import Path

# Text of the page furniture below: none of it may reach the extracted text.
CHROME_MARKERS = (
    "网站标识码",
    "版权所有",
    "京ICP备",
    "京公网安备",
    "首页",
    "国务院文件",
    "分享到",
    "相关稿件",
    "我要纠错",
    "责任编辑",
    "var ",
    "font-size",
    "10%的通知",
    "2035年",
    "打印本页",
    "当前位置",
)

_NAV = [
    "首页", "简", "繁", "EN", "登录", "个人中心", "退出", "邮箱", "无障碍",
    "总理", "新闻", "联播", "政策", "互动", "服务", "数据", "国情",
    "国务院", "组织机构", "国务院领导", "国务院常务会议", "国务院全体会议",
    "政策文件库", "国务院文件", "国务院部门文件", "政策解读", "国务院公报",
    "办事服务", "国家政务服务平台", "部门服务", "地方服务", "便民服务",
    "统计数据", "数据发布", "数据解读", "数据专题", "中国概况", "国家机构",
]  # fmt: skip

_RELATED = [
    "国务院关于印发《2030年前碳达峰行动方案》的通知",
    "到2035年数字经济核心产业增加值占GDP比重提高到15%以上",
    "国务院办公厅关于加快发展保障性租赁住房的意见（降低租金10%的通知）",
    "人力资源社会保障部：今年高校毕业生预计达1179万人",
]


def gov_html(
    lines: list[str],
    *,
    page_title: str | None = None,
    heading_outside: bool = True,
    charset: str = "utf-8",
    info_table: dict[str, str] | None = None,
) -> str:
    """A page in the layout of www.gov.cn: the document's lines as ``<p>`` in the content
    block, its first line also as the ``<h1>`` above it (``heading_outside``), and the site's
    header, menus, breadcrumbs, share bar, related articles, footer and scripts around it."""
    title = lines[0]
    body_lines = lines[1:] if heading_outside else lines
    nav = "\n".join(f'<li><a href="/{i}/">{html.escape(t)}</a></li>' for i, t in enumerate(_NAV))
    related = "\n".join(
        f'<li><a href="/zhengce/{i}.htm">{html.escape(t)}</a><span>2021-10-2{i}</span></li>'
        for i, t in enumerate(_RELATED)
    )
    paragraphs = "\n".join(
        f'<p style="text-indent: 2em; font-family: 宋体;">{html.escape(t)}</p>' for t in body_lines
    )
    info = ""
    if info_table:
        cells = "".join(
            f"<tr><td><b>{html.escape(k)}：</b></td><td>{html.escape(v)}</td></tr>"
            for k, v in info_table.items()
        )
        info = (
            f'<div class="policyLibraryOverview_content"><table class="bd1">{cells}</table></div>'
        )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="keywords" content="政府工作报告,国务院,中国政府网">
<title>{html.escape(page_title or title)}_国务院文件_中国政府网</title>
<link rel="stylesheet" href="/images/gov.css">
<style>.pages_content p {{ font-size: 16px; line-height: 2em; }} .share {{ width: 10%; }}</style>
<script>var _hmt = _hmt || []; var budget = "到2025年增长10%的通知"; window.total = 2035;</script>
</head>
<body>
<div class="header">
  <div class="header_top"><a href="/"><img src="/logo.png" alt="中国政府网"></a>
  <h1 class="logo">中华人民共和国中央人民政府</h1>
  <div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div>
  </div>
  <div class="nav"><ul>{nav}</ul></div>
</div>
<div class="BreadcrumbNav">当前位置：<a href="/">首页</a> &gt; <a href="/zhengce/">政策</a>
  &gt; <a href="/zhengce/wenjian/">国务院文件</a></div>
<div class="main w1100">
{info}
<div class="article oneColumn pub_border">
  {f"<h1>{html.escape(title)}</h1>" if heading_outside else ""}
  <div class="pages-date">2024-03-12 18:02 来源：新华社
    <span class="font">字号：<a>默认</a> <a>大</a> <a>超大</a></span> | <span class="print">打印</span>
  </div>
  <div class="pages_content" id="UCAP-CONTENT">
{paragraphs}
  </div>
  <div class="editor">【我要纠错】 责任编辑：王洋</div>
  <div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
  <div class="pages_print"><a>【打印本页】</a> <a>【关闭窗口】</a></div>
</div>
<div class="related"><div class="related_title">相关稿件</div><ul>{related}</ul></div>
</div>
<div class="footer">
  <p><a>网站说明</a> | <a>网站地图</a> | <a>联系我们</a></p>
  <p>主办单位：国务院办公厅　运行维护单位：中国政府网运行中心</p>
  <p>版权所有：中国政府网　中文域名：中国政府网.政务</p>
  <p>网站标识码bm01000001　京ICP备05070218号　京公网安备11010202000001号</p>
</div>
<script src="/images/share.js"></script>
<script>document.write("<p>到2035年人均GDP达到3万美元</p>");</script>
</body>
</html>
"""


def make_docx(path: Path, lines: list[str], *, table: list[list[str]] | None = None) -> Path:
    """A Word file with one paragraph per line (a table after the first third, if given)."""
    import docx

    d = docx.Document()
    d.core_properties.title = lines[0]
    cut = max(1, len(lines) // 3)
    for line in lines[:cut]:
        d.add_paragraph(line)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    for line in lines[cut:]:
        d.add_paragraph(line)
    d.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str], *, font_size: int = 11) -> Path:
    """A text-layer PDF of the lines (one paragraph each, wrapped by reportlab to the page
    width and over pages) in the CID font STSong-Light that every PDF reader has."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle(
        "zh", fontName="STSong-Light", fontSize=font_size, leading=font_size * 1.6, wordWrap="CJK"
    )

    def page_number(canvas, doc):
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")

    doc = SimpleDocTemplate(str(path), pagesize=A4, title=lines[0])
    doc.build(
        [Paragraph(html.escape(line), style) for line in lines],
        onFirstPage=page_number,
        onLaterPages=page_number,
    )
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A PDF with pages but no text layer: what a scanner produces (drawn shapes only)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for page in range(2):
        for i in range(40):
            c.rect(60 + (i % 8) * 60, 100 + (i // 8) * 120 + page, 40, 8, fill=1)
        c.showPage()
    c.save()
    return path
