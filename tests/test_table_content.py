"""Tables known by what they hold: header meanings, row codes and labels, the title only as a
clue. Every document here is written for the test in the layouts real disclosures use."""

from decimal import Decimal

from ingest.parser import parse_document
from ingest.tables import find_tables, read_tables
from tests.test_tables import items_by_code, kept, tsv

UNTITLED_EXPENDITURE = """
某某县民政局2024年部门预算
单位：万元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
208 | 社会保障和就业支出 | 120.50 | 100.50 | 20.00
20802 | 民政管理事务 | 120.50 | 100.50 | 20.00
2080201 | 行政运行 | 100.50 | 100.50 |
2080299 | 其他民政管理事务支出 | 20.00 | | 20.00
合计 | | 120.50 | 100.50 | 20.00
"""


def test_a_table_with_no_title_is_known_by_its_columns():
    [table] = find_tables(tsv(UNTITLED_EXPENDITURE))
    assert table.kind == "expenditure"
    assert "未命名表格" in table.title
    reading = read_tables(tsv(UNTITLED_EXPENDITURE))
    assert kept(reading["totals"], "basic") == Decimal("100.50")
    assert kept(reading["totals"], "project") == Decimal("20.00")
    item = items_by_code(reading, "functional")["2080299"]
    assert (item["amount"], item["basic"], item["project"]) == (Decimal("20.00"), None, Decimal("20.00"))


def test_an_unfamiliar_title_yields_to_what_the_header_says():
    document = tsv(
        """
表五 部门一般公共预算基本支出部门预算经济分类预算表
单位：元
经济分类科目编码 | | 经济分类科目名称 | 合计 | 人员经费 | 公用经费
类 | 款 | | | |
301 | | 工资福利支出 | 1,000,000.00 | 1,000,000.00 |
301 | 2 | 津贴补贴 | 1,000,000.00 | 1,000,000.00 |
302 | | 商品和服务支出 | 250,000.00 | | 250,000.00
302 | 1 | 办公费 | 250,000.00 | | 250,000.00
合计 | | | 1,250,000.00 | 1,000,000.00 | 250,000.00
"""
    )
    reading = read_tables(document)
    assert [t.kind for t in reading["tables"]] == ["basic"]
    economic = items_by_code(reading, "economic")
    assert economic["30102"]["amount"] == Decimal("100")  # `301 | 2`: the dropped zero restored
    assert economic["30201"]["amount"] == Decimal("25")
    assert kept(reading["totals"], "personnel") == Decimal("100")
    assert kept(reading["totals"], "public") == Decimal("25")


def test_a_government_fund_table_is_told_by_its_header():
    document = tsv(
        """
表八
单位：万元
项目 | | 政府性基金预算支出 | |
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
212 | 城乡社区支出 | 50.00 | | 50.00
"""
    )
    assert [t.kind for t in find_tables(document)] == ["fund"]


def test_a_coded_table_that_is_not_about_money_is_not_a_budget_table():
    document = tsv(
        """
政府采购预算明细表
科目编码 | 采购品目 | 数量
2010301 | 台式计算机 | 12
"""
    )
    assert find_tables(document) == []


FINAL_ACCOUNTS_THREE_COSTS = """
财政拨款“三公”经费支出决算表
单位：万元
财政拨款“三公”经费 | | | | | | | | | | |
合计 | | 因公出国（境）费 | | 公务用车购置及运行费 | | | | | | 公务接待费 |
 | | | | 小计 | | 公务用车购置费 | | 公务用车运行费 | | |
预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数
3.50 | 2.10 | | | 2.00 | 1.60 | | | 2.00 | 1.60 | 1.50 | 0.50
"""


def test_final_accounts_three_costs_keep_budgeted_and_spent():
    reading = read_tables(tsv(FINAL_ACCOUNTS_THREE_COSTS))
    spent = {key: kept(reading["three_costs"], key) for key in reading["three_costs"]}
    budgeted = {key: kept(reading["three_costs_budget"], key) for key in reading["three_costs_budget"]}
    assert spent == {
        "total": Decimal("2.10"),
        "overseas": Decimal(0),
        "vehicle": Decimal("1.60"),
        "vehicle_purchase": Decimal(0),
        "vehicle_operation": Decimal("1.60"),
        "reception": Decimal("0.50"),
    }
    assert budgeted["total"] == Decimal("3.50")
    assert budgeted["reception"] == Decimal("1.50")


def test_a_total_that_also_holds_meetings_and_training_is_not_the_three_costs_total():
    document = tsv(
        """
部门“三公”经费及会议费培训费预算表
单位：万元
合计 | 因公出国（境）费 | 公务用车购置及运行维护费 | 公务接待费 | 会议费 | 培训费
30.00 | 0 | 6.00 | 4.00 | 8.00 | 12.00
"""
    )
    reading = read_tables(document)
    total = reading["three_costs"]["total"][0]
    assert total.value == Decimal("10.00")
    assert total.derived is True
    assert kept(reading["three_costs"], "meeting") == Decimal("8.00")


TWO_SIDED_FINAL_ACCOUNTS = """
一般公共预算财政拨款基本支出决算表
单位：万元
经济分类 | | 科目名称 | 决算数 | 经济分类 | | 科目名称 | 决算数
科目编码 | | | | 科目编码 | | |
类 | 款 | | | 类 | 款 | |
301 | | 工资福利支出 | 90.00 | 302 | | 商品和服务支出 | 10.01
301 | 01 | 基本工资 | 60.00 | 302 | 01 | 办公费 | 4.00
301 | 02 | 津贴补贴 | 30.00 | 302 | 11 | 差旅费 | 6.00
人员经费合计 | | | 90.00 | 公用经费合计 | | | 10.01
"""


def test_a_two_sided_table_is_read_half_after_half_without_false_errors():
    parsed = parse_document(tsv(TWO_SIDED_FINAL_ACCOUNTS))
    economic = {i["code"]: i["amount"] for i in parsed["line_items"] if i["kind"] == "economic"}
    assert economic == {
        "301": "90.00",
        "30101": "60.00",
        "30102": "30.00",
        "302": "10.01",
        "30201": "4.00",
        "30211": "6.00",
    }
    assert parsed["totals"]["personnel"] == "90.00"
    assert parsed["totals"]["public"] == "10.01"
    findings = [(f["severity"], f["check"]) for f in parsed["findings"]]
    # 302 prints 10.01 over 4.00 + 6.00: a real gap, reported; 人员经费合计 adds up its own half.
    assert ("error", "class_equals_sum_of_codes") not in findings or all(
        "302" in f["message"] for f in parsed["findings"] if f["severity"] == "error"
    )
    assert not any("人员经费合计" in f["message"] for f in parsed["findings"])


def test_a_class_and_its_children_add_up_without_counting_the_class_twice():
    document = tsv(
        """
支出决算表
单位：万元
项目 | | | | 本年支出合计 | 基本支出 | 项目支出
支出功能分类 | | | 科目名称 | | |
科目编码 | | | | | |
类 | 款 | 项 | 合计 | 2,336.91 | 1,733.77 | 603.14
201 | | | 一般公共服务支出 | 2,106.66 | 1,503.52 | 603.14
201 | 06 | | 财政事务 | 2,106.66 | 1,503.52 | 603.14
201 | 06 | 01 | 行政运行 | 1,511.89 | 1,503.52 | 8.37
201 | 06 | 02 | 一般行政管理事务 | 594.77 | | 594.77
208 | | | 社会保障和就业支出 | 230.25 | 230.25 |
208 | 05 | | 行政事业单位养老支出 | 230.25 | 230.25 |
208 | 05 | 05 | 机关事业单位基本养老保险缴费支出 | 230.25 | 230.25 |
"""
    )
    parsed = parse_document(document)
    assert [f for f in parsed["findings"] if f["severity"] == "error"] == []
    functional = {i["code"]: i for i in parsed["line_items"] if i["kind"] == "functional"}
    assert functional["2010601"]["basic"] == "1503.52"
    assert parsed["totals"]["basic"] == "1733.77"


def test_amounts_that_could_sit_in_either_column_stay_unplaced():
    document = tsv(
        """
一般公共预算财政拨款支出决算表
单位：万元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
201 | 一般公共服务支出 | 30.00 | 20.00 | 10.00
2010601 | 行政运行 | 20.00 | 20.00
2010602 | 一般行政管理事务 | 10.00 | 10.00
"""
    )
    parsed = parse_document(document)
    functional = {i["code"]: i for i in parsed["line_items"] if i["kind"] == "functional"}
    assert functional["2010601"]["amount"] == "20.00"
    assert (functional["2010601"]["basic"], functional["2010601"]["project"]) == (None, None)
    assert functional["2010601"]["uncertain"] == ["basic", "project"]
    assert "uncertain" not in functional["201"]
    assert [f for f in parsed["findings"] if f["severity"] != "info"] == []


def test_final_accounts_text_gives_the_spent_figure_not_the_budgeted_one():
    document = tsv(
        """
某某县财政局2024年度部门决算
七、财政拨款“三公”经费支出决算情况说明
2024年度“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.40万元，完成预算的42%。
"""
    )
    parsed = parse_document(document)
    assert parsed["kind"] == "final_accounts"
    assert parsed["three_costs"]["total"] == "0.40"


def test_a_third_block_of_spending_is_its_own_figure():
    document = tsv(
        """
部门支出总表
单位：万元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 | 单位预留机动经费
201 | 一般公共服务支出 | 110.00 | 70.00 | 30.00 | 10.00
2010301 | 行政运行 | 110.00 | 70.00 | 30.00 | 10.00
合计 | | 110.00 | 70.00 | 30.00 | 10.00
"""
    )
    parsed = parse_document(document)
    assert (parsed["totals"]["basic"], parsed["totals"]["project"], parsed["totals"]["reserve"]) == (
        "70.00",
        "30.00",
        "10.00",
    )
    assert [f for f in parsed["findings"] if f["severity"] != "info"] == []


def test_the_source_of_a_figure_says_which_money_it_covers():
    parsed = parse_document(tsv(UNTITLED_EXPENDITURE))
    assert parsed["sources"]["totals"]["basic"]["scope"] == "all"


def test_a_short_row_of_split_codes_places_its_total_and_leaves_the_parts_unclear():
    # Text that drops empty cells: three amounts under six amount columns.
    document = tsv(
        """
支出决算表
单位：万元
项目 | | | | | | | | |
类 | 款 | 项 | 科目名称 | 本年支出合计 | 基本支出 | 项目支出 | 上缴上级支出 | 经营支出 | 对附属单位补助支出
201 | 06 | 01 | 行政运行 | 1,511.89 | 1,503.52 | 8.37
"""
    )
    parsed = parse_document(document)
    [item] = [i for i in parsed["line_items"] if i["kind"] == "functional"]
    assert (item["code"], item["amount"], item["basic"], item["project"]) == (
        "2010601",
        "1511.89",
        None,
        None,
    )
    assert item["uncertain"] == ["basic", "project"]


def test_personnel_and_public_totals_add_up_their_own_classes_wherever_printed():
    # A two-sided table read in printed order: 301 beside 302, both totals at the end.
    document = tsv(
        """
一般公共预算财政拨款基本支出决算表
单位：万元
科目编码 | 科目名称 | 决算数
301 | 工资福利支出 | 90.00
302 | 商品和服务支出 | 10.00
303 | 对个人和家庭的补助 | 5.00
310 | 资本性支出 | 2.00
人员经费合计 | | 95.00
公用经费合计 | | 12.00
"""
    )
    parsed = parse_document(document)
    assert [f for f in parsed["findings"] if f["check"] == "total_equals_sum_of_classes"] == []


def test_a_three_costs_header_that_cannot_be_placed_gives_no_figures():
    # The group labels lost their positions: one label per merged cell, fewer than columns.
    document = tsv(
        """
财政拨款“三公”经费支出决算表
单位：万元
合计 | 因公出国（境）费 | 公务用车购置及运行费 | 公务接待费 | 小计 | 公务用车购置费 | 公务用车运行费
预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数
2.85 | 0.39 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 2.85 | 0.39
"""
    )
    reading = read_tables(document)
    assert [t.kind for t in reading["tables"]] == ["three_costs"]
    assert reading["three_costs"] == {} and reading["three_costs_budget"] == {}


def test_parts_of_one_money_are_not_held_against_a_whole_of_another():
    # 基本支出 printed only for 财政拨款 money, 支出 for all of it: no false "does not add up".
    document = tsv(
        """
收入支出决算总表
单位：万元
收入 | | 支出 |
项目 | 决算数 | 项目 | 决算数
本年收入合计 | 150.00 | 本年支出合计 | 150.00
总计 | 150.00 | 总计 | 150.00
一般公共预算财政拨款支出决算表
单位：万元
科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
201 | 一般公共服务支出 | 120.00 | 100.00 | 20.00
合计 | | 120.00 | 100.00 | 20.00
"""
    )
    parsed = parse_document(document)
    assert [f for f in parsed["findings"] if f["check"] == "basic_plus_project_equals_expenditure"] == []
    assert parsed["sources"]["totals"]["basic"]["scope"] == "fiscal"
