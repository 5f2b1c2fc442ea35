import pytest

from policy_nlp.documents import (
    DocumentError,
    assign_doc_ids,
    decode_bytes,
    header_metadata,
    read_document,
)

REPORT = "政府工作报告\n——2019年3月5日在第十三届全国人民代表大会第二次会议上\n国务院总理 李克强\n国内生产总值增长6.6%。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_same_text_in_every_encoding(tmp_path, encoding):
    path = tmp_path / "r.txt"
    path.write_bytes(REPORT.encode(encoding))
    doc = read_document(path)
    assert doc.text == REPORT
    assert doc.year == 2019 and doc.date == "2019-03-05"
    assert doc.doc_type == "gov_work_report" and doc.issuer == "国务院"


@pytest.mark.parametrize(
    ("header", "year", "date"),
    [
        (
            "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上",
            2026,
            "2026-01-27",
        ),
        ("中共中央 国务院关于实施乡村振兴战略的意见\n（2018年1月2日）", 2018, "2018-01-02"),
        (
            "政府工作报告——2017年3月5日在第十二届全国人民代表大会第五次会议上国务院总理　李克强",
            2017,
            "2017-03-05",
        ),
        ("关于印发实施意见的通知\n（皖开放办〔2022〕6号）\n省有关单位：", 2022, ""),
        ("到2024年全市数字经济核心产业产值超过2.6万亿元。", None, ""),
    ],
)
def test_header_year_and_date(header, year, date):
    meta = header_metadata(header)
    assert (meta["year"], meta["date"]) == (year, date)


def test_spaced_title_and_district_issuer():
    meta = header_metadata(
        "政 府 工 作 报 告\n——2016年2月19日在海拉尔区第十四届人民代表大会第五次会议上"
    )
    assert meta["title"] == "政府工作报告" and meta["issuer"] == "海拉尔区人民政府"


def test_binary_is_refused():
    with pytest.raises(ValueError):
        decode_bytes(bytes(range(256)) * 4)


def test_empty_file_has_status_empty(tmp_path):
    p = tmp_path / "e.txt"
    p.write_bytes(b"  \n")
    with pytest.raises(DocumentError) as info:
        read_document(p)
    assert info.value.status == "empty" and str(p) in str(info.value)


def test_doc_ids_unique_on_collision(tmp_path):
    from pathlib import Path

    ids = assign_doc_ids([Path("a/x.txt"), Path("b/x.txt"), Path("c/x.html")])
    assert ids == ["x", "x-2", "x-3"]
