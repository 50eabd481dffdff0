"""The standard budget tables: found in both text layouts, pages joined, rows and figures read."""

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.document import Document, Paragraph, Row
from ingest.readers.text import read_text
from ingest.result import Source
from ingest.tables import find_tables, read_tables, title_kind

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def tsv(text: str) -> Document:
    """A PDF-text (tsv) document from lines whose cells are separated by ` | `."""
    lines = [line.strip().replace(" | ", "\t").replace("|", "\t") for line in text.strip().splitlines()]
    return read_text("\n".join(lines).encode("utf-8"), "variant.txt")


def sample(name: str) -> Document:
    return read_text((SAMPLES / name).read_bytes(), name)


def kept(candidates: dict, key: str) -> Decimal:
    return candidates[key][0].value


def items_by_code(reading: dict, kind: str) -> dict:
    return {i["code"]: i for i in reading["line_items"] if i["kind"] == kind}


# --- titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("部门预算收支总表", "summary"),
        ("部门收支预算总表", "summary"),
        ("收支预算总表", "summary"),
        ("部门收支总体情况表", "summary"),
        ("2021年部门决算收入支出决算总表", "summary"),
        ("部门预算收入总表", "income"),
        ("部门收入总体情况表", "income"),
        ("部门预算支出总表", "expenditure"),
        ("部门预算财政拨款收支总表", "fiscal_summary"),
        ("财政拨款收支总体情况表", "fiscal_summary"),
        ("部门预算一般公共预算财政拨款支出表", "general_budget"),
        ("一般公共预算支出情况表", "general_budget"),
        ("部门预算一般公共预算财政拨款基本支出表", "basic"),
        ("部门基本支出预算", "basic"),
        ("部门预算政府基金预算财政拨款支出表", "fund"),
        ("政府性基金预算支出情况表", "fund"),
        ("部门预算国有资本经营预算财政拨款支出表", "state_capital"),
        ("部门预算财政拨款“三公”经费支出表", "three_costs"),
        ("部门“三公”及会议培训经费预算", "three_costs"),
        ("一般公共预算“三公”经费支出情况表", "three_costs"),
        ("部门项目支出预算", "project"),
        ("人员经费预算", "personnel"),
        ("日常公用经费预算", "public"),
        ("部门组织政府非税收入计划", "non_tax"),
        ("部门基本情况表", "staffing"),
    ],
)
def test_table_titles_name_their_kind(title, kind):
    assert title_kind(title) == kind


@pytest.mark.parametrize(
    "text",
    [
        "收支预算总表支出栏、基本支出表、项目支出表按经济分类和支出功能分类科目编制，反映年度部门预算中支出预算的总体情况。",
        "四、财政拨款“三公”经费预算情况及增减变化原因",
        "三、三公经费预算支出说明",
        "部门预算信息公开情况说明",
        "高邑县人民办公室固定资产占用情况表",
        "2、项目支出",
        "项目支出绩效目标表",
        "部门整体支出绩效目标表",
    ],
)
def test_sentences_and_headings_are_not_titles(text):
    assert title_kind(text) is None


# --- the real samples --------------------------------------------------------------------------


def test_gaoyi_2022_finds_every_table_with_its_unit_and_empty_ones():
    tables = find_tables(sample("gaoyi-2022.txt"))
    assert [(t.kind, t.line, t.unit, t.empty) for t in tables] == [
        ("summary", 30, "万元", False),
        ("income", 85, "万元", False),
        ("expenditure", 141, "万元", False),
        ("fiscal_summary", 186, "万元", False),
        ("general_budget", 254, "万元", False),
        ("basic", 299, "万元", False),
        ("fund", 345, "万元", True),
        ("state_capital", 359, "万元", True),
        ("three_costs", 373, "万元", False),
    ]
    assert tables[6].notes == ["注：无政府基金预算财政拨款预算，空表列示。"]


def test_gaoyi_2022_joins_pages_and_the_name_wrapped_across_them():
    income = find_tables(sample("gaoyi-2022.txt"))[1]
    assert len(income.rows) == 23  # 合计 + 22 codes: repeated headers and the wrapped row dropped
    reading = read_tables(sample("gaoyi-2022.txt"))
    functional = items_by_code(reading, "functional")
    assert functional["2080505"]["name"] == "机关事业单位基本养老保险缴费支出"
    assert functional["2110301"]["amount"] == Decimal("20.00")  # printed `211030 1` in the 支出总表


def test_gaoyi_2022_line_items_merge_the_tables_that_print_a_code():
    reading = read_tables(sample("gaoyi-2022.txt"))
    functional = items_by_code(reading, "functional")
    economic = items_by_code(reading, "economic")
    assert len(functional) == 22 and len(economic) == 23
    assert not any(i["kind"] == "project" for i in reading["line_items"])
    assert functional["201"] | {"tables": None, "source": None} == {
        "kind": "functional",
        "code": "201",
        "name": "一般公共服务支出",
        "amount": Decimal("296.93"),
        "basic": Decimal("258.93"),
        "project": Decimal("38.00"),
        "tables": None,
        "source": None,
    }
    assert functional["201"]["tables"] == [
        "部门预算支出总表",
        "部门预算收入总表",
        "部门预算一般公共预算财政拨款支出表",
    ]
    assert functional["2010301"]["project"] is None  # blank in the 支出总表
    assert economic["30217"]["name"] == "公务接待费" and economic["30217"]["amount"] == Decimal("0.31")
    assert economic["302"]["source"] == Source(table="部门预算一般公共预算财政拨款基本支出表", line=323)


def test_gaoyi_2022_totals_and_three_costs_from_tables():
    reading = read_tables(sample("gaoyi-2022.txt"))
    totals = {key: kept(reading["totals"], key) for key in reading["totals"]}
    assert totals == {
        "income": Decimal("394.30"),
        "expenditure": Decimal("394.30"),
        "general_budget_income": Decimal("394.30"),
        "basic": Decimal("336.30"),
        "personnel": Decimal("288.65"),
        "public": Decimal("47.65"),
        "project": Decimal("58.00"),
    }
    assert reading["totals"]["income"][0].to_json() == {
        "value": "394.30",
        "printed": "394.30",
        "table": "部门预算收支总表",
        "line": 83,
        "rank": 0,
        "scope": "all",
        "level": "department",
    }
    costs = {key: kept(reading["three_costs"], key) for key in reading["three_costs"]}
    assert costs == {
        "total": Decimal("1.51"),
        "overseas": Decimal(0),
        "vehicle": Decimal("1.20"),
        "vehicle_purchase": Decimal(0),
        "vehicle_operation": Decimal("1.20"),
        "reception": Decimal("0.31"),
    }
    assert reading["three_costs"]["total"][0].source.line == 385  # “三公”经费小计, not 合计


def test_laiyuan_2016_word_tables_department_and_unit_level():
    reading = read_tables(sample("laiyuan-2016.txt"))
    kinds = [(t.kind, t.level) for t in reading["tables"]]
    assert kinds[:6] == [
        ("summary", "department"),
        ("basic", "department"),
        ("project", "department"),
        ("three_costs", "department"),
        ("non_tax", "department"),
        ("staffing", "department"),
    ]
    assert ("personnel", "unit") in kinds and ("public", "unit") in kinds
    assert {
        key: kept(reading["totals"], key) for key in ("income", "basic", "personnel", "public", "project")
    } == {
        "income": Decimal("1150.51"),
        "basic": Decimal("920.40"),
        "personnel": Decimal("519.51"),
        "public": Decimal("400.89"),
        "project": Decimal("230.11"),
    }
    assert kept(reading["three_costs"], "total") == Decimal("113.50")
    assert kept(reading["three_costs"], "meeting") == Decimal(0)


def test_laiyuan_2016_projects_are_the_coded_rows_not_the_activity_headings():
    reading = read_tables(sample("laiyuan-2016.txt"))
    projects = [i for i in reading["line_items"] if i["kind"] == "project"]
    assert len(projects) == 14  # the department table and the unit table list the same 14
    names = {p["name"]: (p["code"], p["amount"]) for p in projects}
    assert names["办公设备配备"] == ("2010305", Decimal("1.00"))
    assert names["法制办律师费"] == ("2010307", Decimal("2.00"))
    assert "政务服务" not in names and "信息科" not in names


def test_laiyuan_2016_economic_rows_without_codes_are_keyed_by_name():
    reading = read_tables(sample("laiyuan-2016.txt"))
    economic = {i["name"]: i for i in reading["line_items"] if i["kind"] == "economic"}
    assert economic["基本工资（银行化）"]["amount"] == Decimal("129.91")
    assert economic["基本工资（银行化）"]["code"] is None
    assert economic["取暖费"]["amount"] == Decimal("96.30")
    assert "人员经费合计" not in economic and "基本支出总计" not in economic
    assert "咨询费" not in economic  # printed with no amount
    assert all(name != "专项收入" for name in economic)


def test_laiyuan_2016_staffing_sums_the_sub_columns_of_each_group():
    staffing = read_tables(sample("laiyuan-2016.txt"))["staffing"]
    assert {key: figure.value for key, figure in staffing.items()} == {
        "vehicles_authorized": 30,
        "authorized": 25,
        "in_service": 55,
        "retired": 13,
    }
    assert staffing["retired"].printed == "1+12"


def test_samples_without_standard_tables_find_none():
    for name in ("gaoyi-2019.txt", "wuji-2018.txt", "pingxiang-2021.txt"):
        assert find_tables(sample(name)) == []


# --- variants ------------------------------------------------------------------------------------

VARIANT_EXPENDITURE = """
某某县卫生健康局2023年部门预算公开表
部门预算支出总表
521 某某县卫生健康局
预算年度：2023
单位：元
序号 | 功能分类科目 |  | 合计 | 基本支出 | 项目支出
 | 科目编码 | 科目名称 |  |  |
栏次 | 1 | 2 | 3 | 4 | 5
1 |  | 合计 | １２,３４５,６７８.００ | 10,000,000.00 | 2,345,678.00
2 | 210 | 卫生健康支出 | 12,345,678.00 | 10,000,000.00 | 2,345,678.00
3 | 21001 | 卫生健康管理事务 | 12,345,678.00 | 10,000,000.00 | 2,345,678.00
4 | 2100101 | 行政运行 | 10,000,000.00 | 10,000,000.00 |
521 某某县卫生健康局
预算年度：2023
单位：元
序号 | 功能分类科目 |  | 合计 | 基本支出 | 项目支出
 | 科目编码 | 科目名称 |  |  |
档次 | 1 | 2 | 3 | 4 | 5
5 | 2100199 | 其他卫生健康管理事务 | 2,345,678.00 |  | 2,345,678.00
 |  | 支出 |  |  |
部门预算政府性基金预算财政拨款支出表
521 某某县卫生健康局
单位：元
序号 | 功能分类科目 |  | 合计 | 基本支出 | 项目支出
注：本部门无政府性基金预算财政拨款预算，此表为空表。
一、部门职责及机构设置情况
"""


def test_variant_in_yuan_with_full_width_digits_and_a_page_break_elsewhere():
    reading = read_tables(tsv(VARIANT_EXPENDITURE))
    expenditure, fund = reading["tables"]
    assert (expenditure.unit, expenditure.unit_printed, fund.empty) == ("元", True, True)
    functional = items_by_code(reading, "functional")
    assert list(functional) == ["210", "21001", "2100101", "2100199"]
    assert functional["210"]["amount"] == Decimal("1234.5678")  # every printed digit kept, in 万元
    assert functional["2100199"]["name"] == "其他卫生健康管理事务支出"
    assert functional["2100199"]["basic"] is None and functional["2100199"]["project"] == Decimal("234.5678")
    assert kept(reading["totals"], "expenditure") == Decimal("1234.5678")
    assert kept(reading["totals"], "basic") == Decimal("1000")


FINAL_ACCOUNTS = """
收入支出决算总表
单位：万元
收入 |  | 支出 |
项目 | 决算数 | 项目 | 决算数
一、一般公共预算财政拨款收入 | 800.5 | 一、一般公共服务支出 | 900.5
二、政府性基金预算财政拨款收入 | 100 | 二、教育支出 |
本年收入合计 | 900.5 | 本年支出合计 | 900.5
年初结转和结余 | 10 | 年末结转和结余 | 10
总计 | 910.5 | 总计 | 910.5
"""


def test_variant_final_accounts_summary_reads_its_labels():
    reading = read_tables(tsv(FINAL_ACCOUNTS))
    (table,) = reading["tables"]
    assert (table.kind, table.stage) == ("summary", "决算")
    assert kept(reading["totals"], "general_budget_income") == Decimal("800.5")
    # a bare 总计 counts for the side of the table it is printed on
    assert kept(reading["totals"], "income") == Decimal("910.5")
    assert kept(reading["totals"], "expenditure") == Decimal("910.5")
    assert reading["totals"]["income"][1].printed == "900.5"  # 本年收入合计, the fallback


THREE_COSTS_AS_COLUMNS = """
部门财政拨款“三公”经费支出预算表
单位：万元
合计 | 因公出国（境）费 | 公务用车购置及运行费 |  |  | 公务接待费
 |  | 小计 | 公务用车购置费 | 公务用车运行费 |
12.5 |  | 10 | 4 | 6 | 2.5
"""


def test_variant_three_costs_printed_as_columns():
    costs = read_tables(tsv(THREE_COSTS_AS_COLUMNS))["three_costs"]
    assert {key: kept(costs, key) for key in costs} == {
        "total": Decimal("12.5"),
        "overseas": Decimal(0),
        "vehicle": Decimal("10"),
        "vehicle_purchase": Decimal("4"),
        "vehicle_operation": Decimal("6"),
        "reception": Decimal("2.5"),
    }


def test_variant_word_rows_with_merged_cells_left_out():
    """Word prints a vertically merged cell once: the short rows below take its value."""
    document = Document(
        "word.txt",
        "cells",
        [
            Paragraph("部门项目支出预算", 1),
            Row(("项目名称", "项目承担单位", "功能分类科目编码", "合计"), 2),
            Row(("1、会议保障", "某某县人民政府办公室", "2010302", "3.00"), 3),
            Row(("2、档案数字化", "2010302", "4.50"), 4),
            Row(("3、应急演练", "2240106", "1.25"), 5),
            Paragraph("二、其他", 6),
        ],
    )
    reading = read_tables(document)
    projects = [(i["name"], i["code"], i["amount"]) for i in reading["line_items"]]
    assert projects == [
        ("会议保障", "2010302", Decimal("3.00")),
        ("档案数字化", "2010302", Decimal("4.50")),
        ("应急演练", "2240106", Decimal("1.25")),
    ]
    assert reading["tables"][0].rows[1].cells[1] == "某某县人民政府办公室"


def test_variant_title_as_a_contents_line_is_not_a_table():
    document = tsv("""
部门预算收支总表
部门预算收入总表
一、部门职责及机构设置情况
部门职责：负责全县教育工作。
""")
    assert find_tables(document) == []


def test_variant_table_missing_is_not_invented():
    reading = read_tables(tsv("一、部门职责及机构设置情况\n部门职责：负责全县教育工作。"))
    assert reading == {
        "tables": [],
        "totals": {},
        "three_costs": {},
        "three_costs_budget": {},
        "assets": {},
        "procurement": {},
        "line_items": [],
        "staffing": {},
        "non_tax_income": [],
    }


FINAL_ACCOUNTS_SPLIT_CODES = """
一般公共预算财政拨款支出决算表（按功能分类）
单位：万元
科目编码 |  |  | 科目名称 | 本年支出 |  |
类 | 款 | 项 |  | 合计 | 基本支出 | 项目支出
 |  |  |  | 1 | 2 | 3
201 |  |  | 一般公共服务支出 | 50.5 | 40.5 | 10
 | 03 |  | 政府办公厅（室）及相关机构事务 | 50.5 | 40.5 | 10
 |  | 01 | 行政运行 | 40.5 | 40.5 |
- 7 -
 |  | 02 | 一般行政管理事务 | 10 |  | 10
注：本表反映部门本年度一般公共预算财政拨款的实际支出情况。
"""


def test_variant_codes_printed_over_class_section_item_columns():
    reading = read_tables(tsv(FINAL_ACCOUNTS_SPLIT_CODES))
    (table,) = reading["tables"]
    assert (table.kind, table.stage, table.title) == (
        "general_budget",
        "决算",
        "一般公共预算财政拨款支出决算表（按功能分类）",
    )
    functional = items_by_code(reading, "functional")
    assert list(functional) == ["201", "20103", "2010301", "2010302"]  # across the page number line
    assert functional["2010302"]["project"] == Decimal("10")


def test_variant_code_printed_inside_the_name_cell():
    document = tsv("""
一般公共预算基本支出情况表
单位：万元
科目名称 | 合计 | 人员经费 | 公用经费
合计 | 30.00 | 20.00 | 10.00
[301]工资福利支出 | 20.00 | 20.00 |
[30101]基本工资 | 20.00 | 20.00 |
302 商品和服务支出 | 10.00 |  | 10.00
""")
    reading = read_tables(document)
    economic = items_by_code(reading, "economic")
    assert {code: (i["name"], i["amount"]) for code, i in economic.items()} == {
        "301": ("工资福利支出", Decimal("20.00")),
        "30101": ("基本工资", Decimal("20.00")),
        "302": ("商品和服务支出", Decimal("10.00")),
    }
    assert kept(reading["totals"], "personnel") == Decimal("20.00")


def test_variant_footnote_inside_a_table_and_a_title_printed_as_a_row():
    document = tsv("""
部门收支总表
单位：万元
项目 | 预算数 | 项目 | 预算数
一、一般公共预算拨款收入 | 88.8 | 一、一般公共服务支出 | 88.8
经办人：张三
项目 | 预算数 | 项目 | 预算数
收入总计 | 88.8 | 支出总计 | 88.8
部门财政拨款“三公”经费支出表 | 单位：元
项目 | 合计
三、公务接待费 | 15,000
""")
    reading = read_tables(document)
    assert [t.kind for t in reading["tables"]] == ["summary", "three_costs"]
    assert kept(reading["totals"], "income") == Decimal("88.8")
    assert kept(reading["three_costs"], "reception") == Decimal("1.5000")
    assert reading["three_costs"]["reception"][0].printed == "15,000元"
    assert "total" not in reading["three_costs"]  # no row prints it: left for the text


def test_variant_word_header_rows_with_merged_cells_left_out():
    """Word prints 序号 and 合计 (merged over two header rows) once and 本年收入 (merged over
    three columns) once: the header rows are shorter than the body rows."""
    document = Document(
        "word.txt",
        "cells",
        [
            Paragraph("部门收入总表", 1),
            Row(("序号", "功能分类科目", "合计", "本年收入", "上年结转"), 2),
            Row(("科目编码", "科目名称", "小计", "财政拨款收入", "其他收入"), 3),
            Row(("1", "", "合计", "120.00", "100.00", "100.00", "", "20.00"), 4),
            Row(("2", "201", "一般公共服务支出", "120.00", "100.00", "100.00", "", "20.00"), 5),
            Row(
                ("3", "20103", "政府办公厅（室）及相关机构事务", "120.00", "100.00", "100.00", "", "20.00"), 6
            ),
        ],
    )
    reading = read_tables(document)
    (table,) = reading["tables"]
    assert {k: table.columns[k] for k in ("serial", "code", "name", "amount")} == {
        "serial": 0,
        "code": 1,
        "name": 2,
        "amount": 3,
    }
    assert [(i["code"], i["amount"]) for i in reading["line_items"]] == [
        ("201", Decimal("120.00")),
        ("20103", Decimal("120.00")),
    ]
    assert kept(reading["totals"], "income") == Decimal("120.00")
