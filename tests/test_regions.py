from collections import Counter

import pytest

from policy_nlp.errors import OptionError
from policy_nlp.regions import LEVELS, NATION, Region, find_region, level_name, region
from policy_nlp.resources import data_path, read_table

ROWS = read_table("regions.tsv")
BY_CODE = {row[0]: row for row in ROWS}
RANK = {level: i for i, level in enumerate(LEVELS)}


def test_file_starts_with_comments_and_the_nation():
    lines = data_path("regions.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    assert any("Source:" in line for line in lines if line.startswith("#"))
    assert ROWS[0] == ("100000", "全国", "national", "")


def test_rows_have_four_columns_and_unique_six_digit_codes():
    assert all(len(row) == 4 for row in ROWS)
    codes = [row[0] for row in ROWS]
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) == len(set(codes))
    assert all(row[1] and row[1] == row[1].strip() for row in ROWS)


def test_levels_are_a_closed_set_and_match_the_code():
    assert {row[2] for row in ROWS} == set(LEVELS)
    for code, _, level, _ in ROWS[1:]:
        expected = (
            "province"
            if code.endswith("0000")
            else "prefecture"
            if code.endswith("00")
            else "county"
        )
        assert level == expected, code


def test_every_parent_exists_and_is_one_level_up():
    for code, name, level, parent in ROWS:
        if level in ("national", "province"):
            assert parent == "", code
            continue
        assert parent in BY_CODE, code
        assert parent[:2] == code[:2], code
        parent_level = BY_CODE[parent][2]
        if RANK[parent_level] != RANK[level] - 1:
            # Districts of a municipality and province-administered county-level units
            # (no XXXX00 row above them) belong to the province itself.
            assert (level, parent_level) == ("county", "province"), (code, name)
            assert code[:4] + "00" not in BY_CODE, code


def test_counts_per_level():
    counts = Counter(row[2] for row in ROWS)
    assert counts["national"] == 1
    assert counts["province"] >= 31
    assert counts["prefecture"] >= 300
    assert counts["county"] >= 2800


def test_known_rows():
    assert BY_CODE["330106"] == ("330106", "西湖区", "county", "330100")
    assert BY_CODE["110108"] == ("110108", "海淀区", "county", "110000")
    assert BY_CODE["429004"][3] == "420000"  # 仙桃市, administered by the province
    assert BY_CODE["150700"] == ("150700", "呼伦贝尔市", "prefecture", "150000")


def test_region_lookup_and_full_names():
    assert region("330000") == Region("330000", "浙江省", "浙江省", "province")
    assert region("150702").full_name == "内蒙古自治区呼伦贝尔市海拉尔区"
    assert region("110108").full_name == "北京市海淀区"
    assert region(NATION) == Region("100000", "全国", "全国", "national")
    assert region("999999") is None


def test_level_name():
    assert [level_name(level) for level in LEVELS] == ["全国", "省级", "地级", "县级"]
    with pytest.raises(OptionError):
        level_name("township")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("浙江省人民政府", "330000"),
        ("中共浙江省委", "330000"),
        ("中共浙江省委办公厅 浙江省人民政府办公厅", "330000"),
        ("2026年安徽省政府工作报告", "340000"),
        ("２０２５年上海市政府工作报告", "310000"),
        ("呼伦贝尔市海拉尔区人民政府", "150702"),
        ("海拉尔区人民政府", "150702"),
        ("内蒙古自治区呼伦贝尔市海拉尔区人民政府", "150702"),
        ("国务院", NATION),
        ("国务院办公厅关于印发……的通知", NATION),
        ("中共中央 国务院关于全面推进乡村振兴的意见", NATION),
        ("全国人民代表大会常务委员会", NATION),
        ("中华人民共和国国家发展和改革委员会", NATION),
        ("中华人民共和国香港特别行政区政府", "810000"),
        ("北京市人民政府", "110000"),
        ("中共北京市委 北京市人民政府", "110000"),
        ("北京市海淀区人民政府", "110108"),
        ("浙江", "330000"),
        ("内蒙古", "150000"),
        ("广西", "450000"),
        ("广西壮族自治区人民政府办公厅", "450000"),
        ("中国共产党重庆市委员会", "500000"),
        ("《浙江省数字经济促进条例》", "330000"),
        ("杭州市人民政府", "330100"),
        ("杭州市西湖区人民政府", "330106"),
        ("广东省深圳市南山区人民政府", "440305"),
        ("南京市鼓楼区人民政府", "320106"),
        ("鼓楼区人民政府（福州市）", "350102"),
        ("吉林市人民政府", "220200"),
        ("吉林省人民政府", "220000"),
        ("海南区人民政府", "150303"),
        ("仙桃市人民政府", "429004"),
        ("湖北省仙桃市人民政府", "429004"),
    ],
)
def test_find_region(text, code):
    found = find_region(text)
    assert found is not None, text
    assert found.code == code, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "鼓楼区人民政府",  # four districts
        "西湖区人民政府",  # 杭州 and 南昌
        "朝阳区人民政府",  # 北京 and 长春
        "关于做好2026年春耕生产工作的通知",
        "政府工作报告",
        "某某公司年度报告",
        "",
    ],
)
def test_find_region_none(text):
    assert find_region(text) is None


def test_ambiguous_child_stops_at_the_named_parent():
    # 山东省 has two 市中区 (济南, 枣庄): the province is as far as the text goes.
    assert find_region("山东省市中区人民政府").code == "370000"


def test_find_region_rejects_non_text():
    with pytest.raises(OptionError):
        find_region(None)  # type: ignore[arg-type]
