"""Identity of a disclosure (county, department, budget code, year) on the samples and on
variants written here: other counties and departments, short names, 决算 titles."""

from pathlib import Path

import pytest

from ingest.identity import canonical_name, county_of, parse_identity
from ingest.readers.text import read_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def read_sample(name):
    return read_text((SAMPLES / name).read_bytes(), name)


def read_inline(text):
    return read_text(text.encode("utf-8"), "inline.txt")


@pytest.mark.parametrize(
    ("name", "county", "department", "code", "year"),
    [
        ("gaoyi-2019.txt", "高邑县", "高邑县人民政府办公室", "434", 2019),
        ("gaoyi-2022.txt", "高邑县", "高邑县人民政府办公室", "434", 2022),
        ("wuji-2018.txt", "无极县", "无极县人民政府办公室", "434", 2018),
        ("laiyuan-2016.txt", "涞源县", "涞源县人民政府办公室", "434", 2016),
        ("pingxiang-2021.txt", "平乡县", "平乡县人民政府办公室", None, 2021),
    ],
)
def test_samples(name, county, department, code, year):
    identity = parse_identity(read_sample(name))
    assert identity["county"] == county
    assert identity["department"] == department
    assert identity["department_code"] == code
    assert identity["year"] == year


def test_short_name_in_headers_resolves_to_the_full_name_and_is_kept_as_alias():
    identity = parse_identity(read_sample("gaoyi-2022.txt"))
    assert "高邑县政府办" in identity["aliases"]
    assert identity["sources"]["year"] == {"printed": "预算年度：2022", "line": 34}
    assert identity["sources"]["department_code"] == {"printed": "434 高邑县政府办", "line": 32}


def test_typo_in_running_text_loses_to_the_heading_line():
    identity = parse_identity(read_sample("pingxiang-2021.txt"))
    assert "平乡县人民政府部办公室" in identity["aliases"]
    assert identity["sources"]["department"]["line"] == 1


def test_year_stated_only_in_running_text():
    identity = parse_identity(read_sample("laiyuan-2016.txt"))
    assert identity["year"] == 2016
    assert identity["sources"]["year"]["line"] == 2641


FINANCE_BUREAU = """\
512 某某县财政局
预算年度：２０２３
单位：元
某某县财政局２０２３年部门预算信息公开情况说明
现将某某县财政局２０２３年部门预算公开如下：
"""


def test_other_department_with_full_width_digits():
    identity = parse_identity(read_inline(FINANCE_BUREAU))
    assert identity["county"] == "某某县"
    assert identity["department"] == "某某县财政局"
    assert identity["department_code"] == "512"
    assert identity["year"] == 2023


def test_tables_only_document_is_named_by_its_table_headers():
    identity = parse_identity(read_inline("512 某某县卫健局\n预算年度：2023\n单位：万元\n"))
    assert identity["department"] == "某某县卫生健康局"
    assert identity["county"] == "某某县"
    assert parse_identity(read_inline("434政府\n预算年度：2023\n"))["department"] is None


def test_abbreviated_department_is_expanded():
    text = "301 某某县发改局\n现将某某县发改局2021年部门预算公开如下：\n"
    identity = parse_identity(read_inline(text))
    assert identity["department"] == "某某县发展和改革局"
    assert identity["aliases"] == ["某某县发改局"]


def test_final_accounts_title_and_comparison_year():
    text = (
        "某某县教育局2019年度部门决算公开\n"
        "一、收入支出决算总体情况说明\n"
        "2019年度收入总计1200万元，与2018年度相比增加100万元。\n"
    )
    identity = parse_identity(read_inline(text))
    assert identity["year"] == 2019
    assert identity["department"] == "某某县教育局"


def test_year_from_text_skips_the_compared_year_and_balance_dates():
    text = "一、收入说明\n比2017年增加10万元。截止2017年12月31日。2018年预算收入100万元。\n"
    assert parse_identity(read_inline(text))["year"] == 2018


def test_unit_codes_fall_back_to_the_department_code():
    text = "434002某某县政府办\n434政府\n434政府\n434002某某县政府办\n434002某某县政府办\n"
    assert parse_identity(read_inline(text))["department_code"] == "434"


def test_nothing_printed_is_none():
    identity = parse_identity(read_inline("这是一段与预算无关的文字。\n"))
    assert identity == {
        "county": None,
        "department": None,
        "department_code": None,
        "year": None,
        "aliases": [],
        "sources": {},
    }


@pytest.mark.parametrize(
    ("printed", "county", "expected"),
    [
        ("高邑县政府办", None, "高邑县人民政府办公室"),
        ("高邑县政府办本级", None, "高邑县人民政府办公室"),
        ("政府办", "高邑县", "高邑县人民政府办公室"),
        ("某某县人社局", None, "某某县人力资源和社会保障局"),
        ("某某县市场监管局", None, "某某县市场监督管理局"),
        ("某某县城市管理局", None, "某某县城市管理局"),
    ],
)
def test_canonical_name(printed, county, expected):
    assert canonical_name(printed, county) == expected


@pytest.mark.parametrize(
    ("name", "county"),
    [
        ("高邑县人民政府办公室", "高邑县"),
        ("石家庄市长安区财政局", "长安区"),
        ("辛集市财政局", "辛集市"),
        ("平乡县城市管理局", "平乡县"),
        ("中共某某县委办公室", "某某县"),
        ("城市管理局", None),
    ],
)
def test_county_of(name, county):
    assert county_of(name) == county
