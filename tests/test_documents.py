"""Reading documents: encodings, HTML/DOCX/PDF text, header metadata, discovery, bad files."""

import csv
import io
import os
import zipfile
from pathlib import Path

import pytest

from builders import CHROME_MARKERS, gov_html, make_docx, make_pdf, make_scanned_pdf
from conftest import CORPUS
from policy_nlp.read import (
    DocumentError,
    assign_doc_ids,
    decode_bytes,
    find_inputs,
    header_metadata,
    read_document,
)

REPORT = "政府工作报告\n——2019年3月5日在第十三届全国人民代表大会第二次会议上\n国务院总理 李克强\n国内生产总值增长6.6%。"


def _reason(path: Path) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert str(path) in str(info.value), "the message names the file"
    return info.value


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (REPORT.encode("utf-8-sig"), "utf-8-sig"),
        (REPORT.encode("utf-16"), "utf-16-le"),  # Python writes a little-endian BOM
        (b"\xfe\xff" + REPORT.encode("utf-16-be"), "utf-16-be"),
        (REPORT.encode("utf-16-le"), "utf-16-le"),  # no BOM: told by its NUL bytes
        (REPORT.encode("utf-16-be"), "utf-16-be"),
        (REPORT.encode("gb18030"), "gb18030"),
        (REPORT.encode("gbk"), "gb18030"),
    ],
)
def test_same_text_in_every_encoding(tmp_path, data, encoding):
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text == REPORT
    assert doc.encoding == encoding
    assert doc.year == 2019 and doc.date == "2019-03-05"
    assert doc.doc_type == "gov_work_report" and doc.issuer == "国务院"


def test_sha256_is_of_the_text_not_the_bytes(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(REPORT.encode("utf-8"))
    b.write_bytes(REPORT.encode("utf-16"))
    assert read_document(a).sha256 == read_document(b).sha256
    assert len(read_document(a).sha256) == 64


def test_newlines_are_kept_as_written(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(REPORT.replace("\n", "\r\n").encode("gb18030"))
    assert read_document(path).text == REPORT.replace("\n", "\r\n")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_or_ascii(codec):
    """All-Chinese UTF-16 has no NUL bytes at all, and 一 (U+4E00) has one on the 'wrong' side."""
    text = "一二三四五六七八九十一一一中华人民共和国一带一路统一大市场" * 20
    assert decode_bytes(text.encode(codec)) == (text, codec)


def test_real_corpus_report_in_gbk_and_utf16(tmp_path):
    text = (CORPUS / "gov-report-2014-national.txt").read_text(encoding="utf-8")
    for codec in ("gb18030", "utf-16-le", "utf-16-be"):
        assert decode_bytes(text.encode(codec)) == (text, codec)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
            "binary data, not text (it looks like a PNG image)",
        ),
        (bytes(range(256)) * 4, "binary data, not text"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 8, "a PDF file"),
        (b"PK\x03\x04" + bytes(range(256)) * 8, "zip archive"),
        (
            "国内生产总值增长6.6%。".encode() * 50 + b"\xff\xfe\xfa" + "完成".encode() * 50,
            "damaged UTF-8",
        ),
    ],
)
def test_binary_and_damaged_text_are_refused_with_a_reason(data, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        decode_bytes(data)


def test_stray_control_characters_are_tolerated():
    text = "国内生产总值增长6.6%。" * 300 + "\x0b"
    assert decode_bytes(text.encode("utf-8"))[0] == text


# ----------------------------------------------------------------------------- metadata


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (  # national report, dateline on its own line
            "政府工作报告\n——2014年3月5日在第十二届全国人民代表大会第二次会议上\n国务院总理 李克强\n各位代表：",
            {
                "title": "政府工作报告",
                "date": "2014-03-05",
                "year": 2014,
                "issuer": "国务院",
                "doc_type": "gov_work_report",
            },
        ),
        (  # national report, title, dateline and speaker on one line
            "政府工作报告——2017年3月5日在第十二届全国人民代表大会第五次会议上国务院总理　李克强\n各位代表：",
            {
                "title": "政府工作报告",
                "date": "2017-03-05",
                "year": 2017,
                "issuer": "国务院",
                "doc_type": "gov_work_report",
            },
        ),
        (  # full-width digits
            "政府工作报告\n——２００９年３月５日在第十一届全国人民代表大会第二次会议上",
            {"date": "2009-03-05", "year": 2009, "issuer": "国务院"},
        ),
        (  # provincial, Chinese-numeral date
            "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n甘肃省省长 任振鹤",
            {
                "title": "2026年甘肃省政府工作报告",
                "date": "2026-01-27",
                "year": 2026,
                "issuer": "甘肃省人民政府",
                "doc_type": "gov_work_report",
            },
        ),
        (  # autonomous region
            "2026年广西壮族自治区政府工作报告\n——2026年2月2日在广西壮族自治区第十四届人民代表大会第五次会议上",
            {"issuer": "广西壮族自治区人民政府", "date": "2026-02-02"},
        ),
        (  # district, spaced-out title
            "政 府 工 作 报 告\n——2019年3月4日在呼伦贝尔市海拉尔区第十五届人民代表大会第三次会议上\n呼伦贝尔市海拉尔区人民政府代区长  萨国文",
            {
                "title": "政府工作报告",
                "year": 2019,
                "issuer": "呼伦贝尔市海拉尔区人民政府",
                "doc_type": "gov_work_report",
            },
        ),
        (  # 意见 dated in parentheses, joint issuers written space-apart
            "中共中央 国务院关于实施乡村振兴战略的意见\n（2018年1月2日）\n实施乡村振兴战略，是党的十九大作出的重大决策部署。",
            {
                "title": "中共中央 国务院关于实施乡村振兴战略的意见",
                "date": "2018-01-02",
                "year": 2018,
                "issuer": "中共中央、国务院",
                "doc_type": "policy",
            },
        ),
        (  # 通知 with a document number and the date under the signature at its end
            "国务院关于印发“十四五”数字经济发展规划的通知\n国发〔2021〕29号\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
            "现将《“十四五”数字经济发展规划》印发给你们，请认真贯彻执行。\n国务院\n2021年12月12日\n（此件公开发布）",
            {"date": "2021-12-12", "year": 2021, "issuer": "国务院", "doc_type": "plan"},
        ),
        (  # a 通知 whose header has only the document number
            "关于印发实施意见的通知\n（皖开放办〔2022〕6号）\n省有关单位：\n现将实施意见印发给你们。",
            {"date": "", "year": 2022, "doc_type": "policy"},
        ),
        (  # signature with a Chinese-numeral date, office as issuer
            "关于做好2024年春节期间有关工作的通知\n各区人民政府：\n请认真做好相关工作。\n北京市人民政府办公厅\n二〇二四年一月三十一日",
            {"date": "2024-01-31", "year": 2024, "issuer": "北京市人民政府办公厅"},
        ),
        (  # two offices issuing together
            "中共中央办公厅 国务院办公厅印发《关于推进以县城为重要载体的城镇化建设的意见》\n新华社北京5月6日电",
            {"issuer": "中共中央办公厅、国务院办公厅", "doc_type": "policy"},
        ),
        (  # party congress report
            "高举中国特色社会主义伟大旗帜　为全面建设社会主义现代化国家而团结奋斗\n——在中国共产党第二十次全国代表大会上的报告\n（2022年10月16日）",
            {"date": "2022-10-16", "year": 2022, "issuer": "中共中央", "doc_type": "party_report"},
        ),
        (  # a news page: labelled ISO date
            "全面推进城市数字化转型\n发布时间：2021-10-25 09:30　来源：解放日报\n2021年10月18日，习近平总书记在中南海……",
            {"date": "2021-10-25", "year": 2021, "doc_type": "article"},
        ),
        (  # a year quoted in the body is not the document's year
            "到2024年全市数字经济核心产业产值超过2.6万亿元。",
            {"date": "", "year": None},
        ),
        (  # a copy that starts at its dateline (one dash): a work report without a title line
            "\u3000—2017年2月11日在海拉尔区第十四届人民代表大会第六次会议上\n\n海拉尔区人民政府代区长 杨国宏\n一、2016年工作回顾",
            {
                "title": "",
                "date": "2017-02-11",
                "year": 2017,
                "issuer": "海拉尔区人民政府",
                "doc_type": "gov_work_report",
            },
        ),
        (  # a reprint whose page header hides the title; the speech says what it is
            "每周一学（2022年6月27日——7月3日）\n发布时间：2022年06月27日\n忠实践行“八八战略”\n同志们：\n"
            "现在，我代表中国共产党浙江省第十四届委员会向大会作报告。",
            {
                "year": 2022,
                "issuer": "中共浙江省委",
                "doc_type": "party_report",
                "title": "每周一学（2022年6月27日--7月3日）",
            },
        ),
        (  # a five-year-plan report to a people's congress stays a plan
            "关于发展国民经济的第一个五年计划的报告\n——1955年7月5日在第一届全国人民代表大会第二次会议上",
            {"year": 1955, "doc_type": "plan_outline"},
        ),
    ],
)
def test_header_metadata_on_real_headers(header, expected):
    meta = header_metadata(header)
    assert {k: getattr(meta, k) for k in expected} == expected


def test_a_date_at_the_end_without_a_signature_is_not_the_documents():
    body = "数字经济发展速度之快、辐射范围之广、影响程度之深前所未有。\n" * 8
    text = f"全面推进城市数字化转型\n{body}签约暨启动会\n2021年5月19日"
    assert header_metadata(text).date == ""


def test_header_metadata_matches_the_corpus_manifest():
    """Year, type and issuer read from each corpus file's own header, as MANIFEST.tsv records them."""
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) >= 20
    for row in rows:
        doc = read_document(CORPUS / row["file"])
        assert doc.doc_type == row["doc_type"], row["file"]
        assert str(doc.year) == row["year"], row["file"]
        # the 2016 Hailar report's header names the district only (海拉尔区人民政府)
        assert doc.issuer and row["issuer"].endswith(doc.issuer), (row["file"], doc.issuer)


# ----------------------------------------------------------------------------- HTML

ARTICLE = [
    "国务院关于同意在海南自由贸易港开展试点的批复",
    "国函〔2024〕12号",
    "海南省人民政府：",
    "你省关于试点的请示收悉。现批复如下：",
    "一、同意在海南自由贸易港开展试点，试点期限为3年。",
    "二、到2026年，试点企业数量达到200家以上，带动投资超过50亿元。",
    "国务院",
    "2024年1月18日",
]


def test_gov_cn_page_gives_main_text_one_line_per_paragraph(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(gov_html(ARTICLE), encoding="utf-8")
    doc = read_document(path)
    assert doc.text.split("\n") == ARTICLE  # heading first, then one line per <p>
    for marker in CHROME_MARKERS:
        assert marker not in doc.text, marker
    assert doc.title == ARTICLE[0]
    assert (doc.issuer, doc.date, doc.year) == ("国务院", "2024-01-18", 2024)
    assert doc.encoding == "utf-8"


def test_gbk_page_with_declared_charset(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(gov_html(ARTICLE, charset="gb2312").encode("gb18030"))
    doc = read_document(path)
    assert doc.text.split("\n") == ARTICLE and doc.encoding == "gb18030"


def test_page_title_and_info_table_when_the_text_has_no_header(tmp_path):
    body = [
        "为加快数字经济发展，现提出以下意见。",
        "到2025年，数字经济核心产业增加值占GDP比重达到10%。",
    ]
    page = gov_html(
        ["国务院关于加快数字经济发展的意见", *body],
        info_table={
            "发文机关": "国务院",
            "成文日期": "2021年12月12日",
            "发文字号": "国发〔2021〕29号",
        },
    )
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.text.split("\n")[1:] == body
    assert "索引号" not in doc.text and "发文机关" not in doc.text
    assert (doc.title, doc.issuer, doc.date) == (
        "国务院关于加快数字经济发展的意见",
        "国务院",
        "2021-12-12",
    )


def test_html_breaks_tables_and_entities(tmp_path):
    page = (
        "<html><head><title>统计公报_某市统计局</title></head><body>"
        "<div id='content'><p>&nbsp;&nbsp;第一段第一行<br>第一段第二行</p>"
        "<p>全年地区生产总值\n   增长5.2%，  城镇新增就业&nbsp;12万人。</p>"
        "<table><tr><td>指标</td><td>2023年</td></tr><tr><td>规模以上工业增加值</td><td>增长6%</td></tr></table>"
        "</div></body></html>"
    )
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    assert read_document(path).text.split("\n") == [
        "统计公报",
        "第一段第一行",
        "第一段第二行",
        "全年地区生产总值增长5.2%， 城镇新增就业 12万人。",
        "指标\t2023年",
        "规模以上工业增加值\t增长6%",
    ]


def test_old_style_page_wrapped_in_a_form_and_layout_tables(tmp_path):
    """ASP.NET sites put the whole page in one <form> and lay it out with tables."""
    nav = "".join(f"<td><a href='/{i}'>栏目{i}</a></td>" for i in range(30))
    body = "".join(f"<p>{line}</p>" for line in ARTICLE[1:])
    page = (
        "<html><head><meta charset='gbk'><title>国务院关于同意在海南自由贸易港开展试点的批复-政府信息公开</title></head>"
        f"<body><form id='form1'><input type='hidden' value='x'><table><tr>{nav}</tr></table>"
        f"<table width='100%'><tr><td class='bt'>{ARTICLE[0]}</td></tr><tr><td id='zoom'>{body}</td></tr></table>"
        "<table><tr><td>版权所有：某某市人民政府办公室 网站标识码1234000001</td></tr></table></form></body></html>"
    )
    path = tmp_path / "old.htm"
    path.write_bytes(page.encode("gbk"))
    doc = read_document(path)
    assert doc.text.split("\n") == ARTICLE and doc.encoding == "gb18030"


def test_the_heading_next_to_the_text_wins_over_a_longer_logo(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in REPORT.split("\n")[1:])
    page = (
        "<html><body><div class='logo-box'><h1>中华人民共和国中央人民政府门户网站</h1></div>"
        f"<div class='article'><h1>政府工作报告</h1><div class='content'>{body}</div></div>"
        "</body></html>"
    )
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.text == REPORT and doc.title == "政府工作报告" and doc.year == 2019


def test_html_with_only_scripts_and_navigation_is_empty(tmp_path):
    page = "<html><body><script>var a = '到2025年增长10%';</script><div class='nav'><a>首页</a></div></body></html>"
    path = tmp_path / "n.html"
    path.write_text(page, encoding="utf-8")
    assert _reason(path).status == "empty"


# ----------------------------------------------------------------------------- DOCX

LINES = [
    "安徽省人民政府办公厅关于印发工业互联网创新发展行动计划的通知",
    "（皖政办秘〔2021〕82号）",
    "各市人民政府，省政府各部门：",
    "到2023年，全省工业互联网平台达到100个以上，连接工业设备超过300万台。",
    "对跨行业跨领域工业互联网平台给予奖补，最高3000万元。",
    "安徽省人民政府办公厅",
    "2021年9月2日",
]


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    table = [["指标", "2020年", "2023年"], ["工业互联网平台", "30个", "100个"]]
    doc = read_document(make_docx(tmp_path / "plan.docx", LINES, table=table))
    lines = doc.text.split("\n")
    cut = len(LINES) // 3
    assert lines == [
        *LINES[:cut],
        "指标\t2020年\t2023年",
        "工业互联网平台\t30个\t100个",
        *LINES[cut:],
    ]
    assert (doc.year, doc.date, doc.issuer, doc.encoding) == (
        2021,
        "2021-09-02",
        "安徽省人民政府办公厅",
        "docx",
    )


def test_docx_merged_cells_are_read_once(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("表一")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "主要指标"
    for i, v in enumerate(["GDP", "增长5%", "目标"]):
        t.cell(1, i).text = v
    d.save(str(tmp_path / "m.docx"))
    assert read_document(tmp_path / "m.docx").text.split("\n") == [
        "表一",
        "主要指标",
        "GDP\t增长5%\t目标",
    ]


def _docx_bytes(tmp_path) -> bytes:
    return make_docx(tmp_path / "ok.docx", LINES).read_bytes()


def _rezip(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = change(name, src.read(name))
            if content is not None:
                dst.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda ok: ok[: len(ok) // 2], "zip archive is corrupt"),
        (
            lambda ok: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000,
            "old Word 97-2003 (.doc) file",
        ),
        (lambda ok: "这是一个文本文件".encode() * 10, "not a zip archive"),
        (lambda ok: b"%PDF-1.4\n" + b"\0" * 100, "it looks like a PDF file"),
        (
            lambda ok: _rezip(ok, lambda n, b: None if n == "word/document.xml" else b),
            "it is a zip archive, not a .docx",
        ),
        (
            lambda ok: _rezip(ok, lambda n, b: b[: len(b) // 2] if n == "word/document.xml" else b),
            "Word file is damaged",
        ),
        (
            lambda ok: bytes(b ^ 0xFF if i == len(ok) // 3 else b for i, b in enumerate(ok)),
            "zip archive is corrupt",
        ),
    ],
    ids=["truncated", "old-doc", "text", "pdf", "no-document-xml", "broken-xml", "bad-crc"],
)
def test_broken_docx_reasons(tmp_path, make, words):
    path = tmp_path / "bad.docx"
    path.write_bytes(make(_docx_bytes(tmp_path)))
    err = _reason(path)
    assert err.status == "error" and words in err.reason


def test_excel_file_named_docx(tmp_path):
    import openpyxl

    path = tmp_path / "sheet.docx"
    openpyxl.Workbook().save(str(path))
    assert "it is an Excel workbook" in _reason(path).reason


# ----------------------------------------------------------------------------- PDF


def test_pdf_chinese_text_layer_and_line_joining(tmp_path):
    long = (
        "全年城镇新增就业1244万人，城镇调查失业率平均为5.2%，居民消费价格上涨0.2%，" * 4
        + "国际收支基本平衡。"
    )
    lines = [
        "政府工作报告",
        "——2024年3月5日在第十四届全国人民代表大会第二次会议上",
        long,
        "一、2023年工作回顾",
        long,
    ]
    doc = read_document(make_pdf(tmp_path / "r.pdf", lines))
    assert doc.text.split("\n") == lines  # wrapped lines joined again, short lines kept
    assert (doc.year, doc.date, doc.issuer, doc.encoding) == (2024, "2024-03-05", "国务院", "pdf")


def test_pdf_over_pages_drops_page_numbers(tmp_path):
    text = (CORPUS / "gov-report-2020-national.txt").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:80]
    doc = read_document(make_pdf(tmp_path / "r.pdf", lines))
    assert "— 1 —" not in doc.text and "— 2 —" not in doc.text
    assert doc.text == "\n".join(lines)


def test_scanned_pdf_says_run_ocr(tmp_path):
    err = _reason(make_scanned_pdf(tmp_path / "scan.pdf"))
    assert err.status == "error" and err.reason == "PDF has no text layer (a scan?); run OCR first"


def test_truncated_pdf(tmp_path):
    data = make_pdf(tmp_path / "ok.pdf", LINES).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert "PDF is damaged or truncated" in _reason(path).reason


def test_password_protected_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=StandardEncryption("secret"))
    c.drawString(100, 700, "hello")
    c.save()
    assert "password-protected" in _reason(path).reason


def test_html_saved_as_pdf(tmp_path):
    path = tmp_path / "download.pdf"
    path.write_text("<!DOCTYPE html><html><body>404 页面不存在</body></html>", encoding="utf-8")
    assert _reason(path).reason == "not a PDF file (it looks like an HTML page)"


# ----------------------------------------------------------------------------- files and folders


def test_empty_file_has_status_empty(tmp_path):
    p = tmp_path / "e.txt"
    p.write_bytes(b"  \n")
    err = _reason(p)
    assert err.status == "empty"


def test_unreadable_things(tmp_path):
    (tmp_path / "x.txt").mkdir()
    assert _reason(tmp_path / "x.txt").reason == "is a folder, not a file"
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert "broken link" in _reason(tmp_path / "gone.txt").reason
    os.mkfifo(tmp_path / "pipe.txt")
    assert "not a regular file" in _reason(tmp_path / "pipe.txt").reason  # and does not hang
    (tmp_path / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "old Word 97-2003" in _reason(tmp_path / "a.doc").reason


def test_permission_denied_reason(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(REPORT, encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert "permission denied" in _reason(path).reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_permission_denied_for_real(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(REPORT, encoding="utf-8")
    path.chmod(0)
    try:
        assert "permission denied" in _reason(path).reason
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another user")
def test_permission_denied_as_another_user():
    """As root, read as `nobody` in a forked child: a file it may not read, and a file in a
    folder it may not enter."""
    import shutil
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="policy-nlp-perm-"))
    try:
        top.chmod(0o755)
        (top / "secret.txt").write_text(REPORT, encoding="utf-8")
        (top / "secret.txt").chmod(0o600)
        (top / "locked").mkdir(mode=0o700)
        (top / "locked" / "r.txt").write_text(REPORT, encoding="utf-8")
        reasons = []
        for path in (top / "secret.txt", top / "locked" / "r.txt"):
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child
                try:
                    os.setgid(65534)
                    os.setuid(65534)
                    try:
                        read_document(path)
                        msg = "read"
                    except DocumentError as exc:
                        msg = exc.reason
                    os.write(w, msg.encode())
                finally:
                    os._exit(0)
            os.close(w)
            os.waitpid(pid, 0)
            reasons.append(os.read(r, 4096).decode())
            os.close(r)
        assert (
            reasons[0]
            == "permission denied: this user may not read the file (check its permissions)"
        )
        assert reasons[1].startswith("permission denied: cannot open the folder it is in")
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child: a folder it may not list is an input
            try:
                os.setgid(65534)
                os.setuid(65534)
                found = find_inputs([top])
                msg = "|".join(p.name for p in found)
                try:
                    read_document(top / "locked")
                except DocumentError as exc:
                    msg += "|" + exc.reason
                os.write(w, msg.encode())
            finally:
                os._exit(0)
        os.close(w)
        os.waitpid(pid, 0)
        listed = os.read(r, 4096).decode().split("|")
        os.close(r)
        assert listed[:2] == ["locked", "secret.txt"]
        assert listed[2].startswith("permission denied: cannot open this folder")
    finally:
        shutil.rmtree(top)


def test_find_inputs_keeps_broken_entries_and_skips_lock_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "r.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.docx").write_bytes(b"x")
    (tmp_path / "~$a.docx").write_bytes(b"lock")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "dangling.html").symlink_to(tmp_path / "nowhere.html")
    (tmp_path / "b" / "loop").symlink_to(tmp_path)  # a link back up: searched once
    found = [
        p.relative_to(tmp_path).as_posix() for p in find_inputs([tmp_path, tmp_path / "a.docx"])
    ]
    assert found == ["a.docx", "b/r.txt", "dangling.html", "dir.txt"]


def test_doc_ids_unique_on_collision():
    ids = assign_doc_ids([Path("a/x.txt"), Path("b/x.txt"), Path("c/x.html")], taken=["x-2"])
    assert ids == ["x", "x-3", "x-4"]


# ----------------------------------------------------------------------------- the typed header


def test_header_metadata_returns_a_frozen_header():
    from dataclasses import FrozenInstanceError

    from policy_nlp.read import Header

    header = header_metadata(REPORT)
    assert header == Header(
        title="政府工作报告",
        issuer="国务院",
        date="2019-03-05",
        year=2019,
        doc_type="gov_work_report",
        year_source="date",
        doc_type_source="title: 政府工作报告",
    )
    with pytest.raises(FrozenInstanceError):
        header.year = 2020  # type: ignore[misc]


def test_header_completed_fills_gaps_only():
    from policy_nlp.read import Header

    empty = Header()
    filled = empty.completed(title="页面标题", issuer="中共中央 国务院", dateline="2021年9月2日")
    assert (filled.title, filled.issuer, filled.date, filled.year) == (
        "页面标题",
        "中共中央、国务院",
        "2021-09-02",
        2021,
    )
    kept = header_metadata(REPORT).completed(title="x", issuer="y", dateline="2001-01-01")
    assert kept == header_metadata(REPORT)


def test_every_suffix_has_a_reader():
    from policy_nlp.read.discover import SUFFIXES
    from policy_nlp.read.document import _READERS

    assert set(_READERS) == set(SUFFIXES)


def test_header_cue_words_are_read_from_the_data_file():
    from policy_nlp.read.metadata import _cues

    cues = _cues()
    assert cues.organisation.search("安徽省人民政府办公厅")
    assert not cues.organisation.search("数字经济")
    assert cues.plan_title.search("“十四五”数字经济发展规划")
    assert cues.policy_title.search("关于同意设立试验区的函")
    assert not cues.policy_title.search("函数与方程")


def test_a_report_titled_with_a_bare_year_is_dated_and_its_speaker_names_the_issuer():
    header = header_metadata(
        "2017政府工作报告\n各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n一、2016年工作回顾"
    )
    assert (header.year, header.issuer, header.doc_type) == (2017, "国务院", "gov_work_report")


def test_a_work_report_naming_no_government_that_speaks_as_the_nation_is_the_state_councils():
    national = (
        "2017政府工作报告\n一、2016年工作回顾\n我国经济运行稳中向好。全国城镇新增就业1314万人。\n"
    )
    local = "2017政府工作报告\n一、2016年工作回顾\n全国经济稳中向好，全省地区生产总值增长7%，我省就业稳定，全省新增就业50万人。\n"
    assert header_metadata(national).issuer == "国务院"
    assert header_metadata(local).issuer == ""


def test_page_chrome_before_a_title_is_skipped():
    saved = (
        "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年河北省政府工作报告\n"
        "——2026年1月26日在河北省第十四届人民代表大会第四次会议上\n来源：河北日报\n各位代表：\n"
    )
    crumbs = "当前位置：\n首页\n>\n政务信息\n>\n宁夏要闻\n2026年宁夏回族自治区政府工作报告\n发表时间：\n2026-02-09 09:45:30\n"
    share = (
        "分享:\n陕西省2026年政府工作报告\n2026年1月27日在陕西省第十四届人民代表大会第四次会议上\n"
    )
    assert header_metadata(saved).title == "2026年河北省政府工作报告"
    assert header_metadata(saved).doc_type == "gov_work_report"
    assert header_metadata(crumbs).title == "2026年宁夏回族自治区政府工作报告"
    assert header_metadata(share).title == "陕西省2026年政府工作报告"
    # a text that opens with its title loses nothing
    assert header_metadata("政府工作报告\n各位代表：\n").title == "政府工作报告"
