"""Identity of a disclosure (county and its division, department, budget code, year, kind
and level) on the samples, on the real documents of ../shared/corpus where present, and on
variants written here: other counties and departments, short names, namesake districts,
决算 and 单位 titles."""

import json
from pathlib import Path

import pytest

from ingest.divisions import Division, locate
from ingest.identity import canonical_name, county_of, parse_identity
from ingest.readers import read_document
from ingest.readers.text import read_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"
IDENTITY_KEYS = ("county", "department", "year", "kind", "level", "province", "division_code")


def read_sample(name):
    return read_text((SAMPLES / name).read_bytes(), name)


def read_inline(text):
    return read_text(text.encode("utf-8"), "inline.txt")


@pytest.mark.parametrize(
    ("name", "county", "department", "code", "year", "division"),
    [
        ("gaoyi-2019.txt", "高邑县", "高邑县人民政府办公室", "434", 2019, ("石家庄市", "130127")),
        ("gaoyi-2022.txt", "高邑县", "高邑县人民政府办公室", "434", 2022, ("石家庄市", "130127")),
        ("wuji-2018.txt", "无极县", "无极县人民政府办公室", "434", 2018, ("石家庄市", "130130")),
        ("laiyuan-2016.txt", "涞源县", "涞源县人民政府办公室", "434", 2016, ("保定市", "130630")),
        ("pingxiang-2021.txt", "平乡县", "平乡县人民政府办公室", None, 2021, ("邢台市", "130532")),
    ],
)
def test_samples(name, county, department, code, year, division):
    identity = parse_identity(read_sample(name))
    assert identity["county"] == county
    assert identity["department"] == department
    assert identity["department_code"] == code
    assert identity["year"] == year
    assert (identity["kind"], identity["level"]) == ("budget", "department")
    assert identity["province"] == "河北省"
    assert (identity["prefecture"], identity["division_code"]) == division


def corpus_cases():
    gold_file = CORPUS / "gold.json"
    if not gold_file.exists():
        return [pytest.param(None, None, id="corpus-absent")]
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    return [pytest.param(name, gold[name], id=name) for name in gold if not name.startswith("_")]


@pytest.mark.parametrize(("name", "gold"), corpus_cases())
def test_real_documents_of_another_province(name, gold):
    """The Shanghai Putuo documents (budgets and final accounts, text and PDF), read where
    they are; 07 names its table set 上海市规划和自然资源局, which the other printings outvote."""
    if name is None:
        pytest.skip(f"{CORPUS} is absent: identity of the real corpus documents NOT CHECKED")
    path = CORPUS / "shanghai-putuo" / name
    if not path.exists():
        pytest.skip(f"{path} is absent: its identity is NOT CHECKED")
    identity = parse_identity(read_document(path.read_bytes(), name))
    assert {key: identity[key] for key in IDENTITY_KEYS} == {key: gold[key] for key in IDENTITY_KEYS}


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
        "kind": None,
        "level": None,
        "province": None,
        "prefecture": None,
        "division_code": None,
        "aliases": [],
        "sources": {},
    }


ZHOUSHAN_PUTUO = """\
舟山市普陀区财政局
2023年部门预算
一、部门主要职能
舟山市普陀区财政局是主管全区财政工作的区政府工作部门。
编制部门：舟山市普陀区财政局 单位：元
2023年部门收入预算总表
"""


def test_district_is_told_from_its_namesake_by_the_city_printed_before_it():
    identity = parse_identity(read_inline(ZHOUSHAN_PUTUO))
    assert identity["county"] == "普陀区"
    assert identity["department"] == "舟山市普陀区财政局"
    assert (identity["province"], identity["prefecture"], identity["division_code"]) == (
        "浙江省",
        "舟山市",
        "330903",
    )
    shanghai = parse_identity(read_inline(ZHOUSHAN_PUTUO.replace("舟山市", "上海市")))
    assert shanghai["department"] == "上海市普陀区财政局"
    assert (shanghai["province"], shanghai["prefecture"], shanghai["division_code"]) == (
        "上海市",
        None,
        "310107",
    )


def test_district_without_its_city_has_no_code():
    identity = parse_identity(read_inline("鼓楼区教育局\n2023年部门预算\n一、部门主要职能\n"))
    assert identity["county"] == "鼓楼区"
    assert identity["department"] == "鼓楼区教育局"
    assert (identity["province"], identity["prefecture"], identity["division_code"]) == (None, None, None)


def test_city_named_in_running_text_tells_the_district():
    text = "鼓楼区教育局\n2023年部门预算\n一、部门主要职能\n负责福州市鼓楼区的教育工作。\n"
    identity = parse_identity(read_inline(text))
    assert (identity["province"], identity["prefecture"], identity["division_code"]) == (
        "福建省",
        "福州市",
        "350102",
    )


@pytest.mark.parametrize(
    ("county", "context", "expected"),
    [
        ("普陀区", "上海市普陀区人民政府办公室", Division("上海市", None, "310107")),
        ("普陀区", "浙江省舟山市普陀区", Division("浙江省", "舟山市", "330903")),
        # Printed right before the county outweighs a mention elsewhere.
        ("普陀区", "上海市普陀区，赴舟山市、舟山市调研", Division("上海市", None, "310107")),
        ("普陀区", "普陀区", Division(None, None, None)),
        # Two of the four 鼓楼区 are in 江苏省: the province is told, not the city.
        ("鼓楼区", "江苏省鼓楼区", Division("江苏省", None, None)),
        ("鼓楼区", "江苏省南京市鼓楼区", Division("江苏省", "南京市", "320106")),
        ("高邑县", "", Division("河北省", "石家庄市", "130127")),
        ("东莞市", "", Division("广东省", "东莞市", "441900")),
    ],
)
def test_locate(county, context, expected):
    assert locate(county, context) == expected


def test_county_the_data_does_not_know_has_no_division():
    assert locate("某某县", "河北省某某县") == Division(None, None, None)
    assert locate(None, "") == Division(None, None, None)


def test_final_accounts_and_unit_level_from_the_title():
    text = "某某县卫生健康局\n2022年度单位决算\n一、收入支出决算总体情况说明\n"
    identity = parse_identity(read_inline(text))
    assert (identity["kind"], identity["level"]) == ("final_accounts", "unit")
    assert identity["sources"]["kind"] == {"printed": "2022年度单位决算", "line": 2}


def test_unit_budget():
    text = "某某县第一中学\n2024年单位预算\n一、单位主要职能\n二、2024年单位收入预算总表\n"
    identity = parse_identity(read_inline(text))
    assert (identity["kind"], identity["level"], identity["year"]) == ("budget", "unit", 2024)
    assert identity["department"] == "某某县第一中学"


def test_title_block_wins_over_the_headings():
    # A final-accounts document whose headings print budget tables beside its own.
    text = (
        "某某县财政局2023年度部门决算\n"
        "一、2023年部门收入预算总表\n二、2023年部门支出预算总表\n三、2023年收入支出决算总表\n"
    )
    assert parse_identity(read_inline(text))["kind"] == "final_accounts"


def test_kind_from_most_table_titles_and_department_by_default():
    text = (
        "一、收入支出决算总表\n二、收入决算表\n三、一般公共预算财政拨款支出决算表\n"
        "四、预算绩效管理情况说明\n2023年决算数比2022年预算数增加10万元。\n"
    )
    identity = parse_identity(read_inline(text))
    assert (identity["kind"], identity["level"]) == ("final_accounts", "department")


def test_running_text_does_not_say_the_kind():
    text = "一、收入说明\n下属行政事业单位决算。\n本部门2023年预算收入100万元。\n"
    assert parse_identity(read_inline(text))["kind"] is None


def test_table_set_title_without_the_district_is_outvoted():
    text = (
        "第一部分 上海市普陀区规划和自然资源局概况\n"
        "第二部分 上海市普陀区规划和自然资源局 2024 年度部门决算表\n"
        "第三部分 上海市普陀区规划和自然资源局 2024 年度部门决算情况说明\n"
        "纳入上海市普陀区规划和自然资源局 2024 年度部门决算编\n"
        "上海市规划和自然资源局 2024 年度部门决算表\n"
    )
    identity = parse_identity(read_inline(text))
    assert identity["department"] == "上海市普陀区规划和自然资源局"
    assert identity["county"] == "普陀区"
    assert identity["year"] == 2024
    assert "纳入上海市普陀区规划和自然资源局" not in identity["aliases"]


def test_cover_label_names_a_street_office():
    text = "上海市普陀区2023年区级部门预算\n预算主管部门：上海市普陀区人民政府万里街道办事处\n目录\n"
    identity = parse_identity(read_inline(text))
    assert identity["department"] == "上海市普陀区人民政府万里街道办事处"
    assert identity["county"] == "普陀区"
    assert identity["division_code"] == "310107"
    assert (identity["kind"], identity["level"]) == ("budget", "department")


def test_short_and_full_printings_of_one_department_vote_together():
    text = (
        "编制部门：上海市普陀区财政局 单位：元\n"
        "编制部门：普陀区财政局 单位：元\n"
        "编制部门：普陀区财政局 单位：元\n"
        "编制部门：上海市普陀区审计局 单位：元\n"
        "编制部门：上海市普陀区审计局 单位：元\n"
    )
    assert parse_identity(read_inline(text))["department"] == "普陀区财政局"


@pytest.mark.parametrize(
    ("printed", "county", "expected"),
    [
        ("高邑县政府办", None, "高邑县人民政府办公室"),
        ("高邑县政府办本级", None, "高邑县人民政府办公室"),
        ("政府办", "高邑县", "高邑县人民政府办公室"),
        ("某某县人社局", None, "某某县人力资源和社会保障局"),
        ("某某县市场监管局", None, "某某县市场监督管理局"),
        ("某某县城市管理局", None, "某某县城市管理局"),
        ("上海市普陀区人民政府办公室", None, "上海市普陀区人民政府办公室"),
        ("上海市普陀区政府办", None, "上海市普陀区人民政府办公室"),
        ("上海市规划和自然资源局", "普陀区", "上海市规划和自然资源局"),
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
        ("上海市普陀区人民政府万里街道办事处", "普陀区"),
        ("中共上海市普陀区委办公室", "普陀区"),
        ("政协上海市普陀区委员会办公室", "普陀区"),
        ("河北省石家庄市高邑县财政局", "高邑县"),
        ("新疆维吾尔自治区和田地区和田县教育局", "和田县"),
        ("上海市规划和自然资源局", None),
        ("舟山市财政局", None),
    ],
)
def test_county_of(name, county):
    assert county_of(name) == county
