"""Figures of the explanation sections (情况说明) on the samples and on variants written
here: amounts in 元, full-width digits, sections reordered or missing, a 决算 document."""

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.prose import parse_prose
from ingest.readers.text import read_text
from ingest.result import Candidate, Source
from ingest.tables.explanation import explanation_table_figures

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def prose_of_sample(name):
    return parse_prose(read_text((SAMPLES / name).read_bytes(), name))


def prose_of(text):
    return parse_prose(read_text(text.encode("utf-8"), "inline.txt"))


def tables_of_sample(name):
    return explanation_table_figures(read_text((SAMPLES / name).read_bytes(), name))


def values(block):
    return {key: figure.value for key, figure in block.items()}


def test_gaoyi_2019_totals_and_changes():
    totals = values(prose_of_sample("gaoyi-2019.txt")["totals"])
    assert totals == {
        "income": Decimal("939.16"),
        "general_budget_income": Decimal("939.16"),
        "expenditure": Decimal("939.16"),
        "basic": Decimal("407.16"),
        "personnel": Decimal("343"),
        "public": Decimal("64.16"),
        "project": Decimal("532"),
        "operating": Decimal("64.16"),
        "income_change": Decimal("524.4"),
        "expenditure_change": Decimal("524.4"),
        "basic_change": Decimal("123.3"),
        # the sentence breaks after 项目支出 at a PDF line end
        "project_change": Decimal("401.1"),
    }


def test_gaoyi_2019_three_costs_with_provenance():
    three_costs = prose_of_sample("gaoyi-2019.txt")["three_costs"]
    assert three_costs["total"] == Candidate(
        Decimal("0.8"),
        "0.8万元",
        Source(section="四、财政拨款“三公”经费预算情况及增减变化原因", line=94),
        scope="fiscal",  # the heading says 财政拨款
    )
    assert three_costs["total_change"].printed == "减少23.96万元"
    assert values(three_costs) == {
        "total": Decimal("0.8"),
        "total_change": Decimal("-23.96"),
        "overseas": Decimal("0"),
        "overseas_change": Decimal("0"),
        "vehicle": Decimal("0.4"),
        "vehicle_change": Decimal("-23.4"),
        "reception": Decimal("0.4"),
        "reception_change": Decimal("-0.56"),
    }


def test_gaoyi_2022_zero_stated_as_none_and_unchanged():
    three_costs = prose_of_sample("gaoyi-2022.txt")["three_costs"]
    assert three_costs["overseas"].printed == "无因公出国（境）费用"
    assert three_costs["overseas"].value == 0
    assert three_costs["vehicle_operation_change"].printed == "与上年持平"
    assert three_costs["total_change"].value == Decimal("-0.02")


def test_wuji_2018_three_costs_with_car_costs_in_two_parts():
    prose = prose_of_sample("wuji-2018.txt")
    assert values(prose["three_costs"]) == {
        "total": Decimal("42.1"),
        "total_change": Decimal("-43"),
        "overseas": Decimal("0"),
        "overseas_change": Decimal("-6"),
        "vehicle_purchase": Decimal("0"),
        "vehicle_operation": Decimal("40"),
        "vehicle_operation_change": Decimal("-32"),
        "reception": Decimal("2.1"),
        "reception_change": Decimal("-5"),
        "vehicle": Decimal("40"),
    }
    assert prose["three_costs"]["vehicle"].derived
    assert "basic" not in prose["totals"]
    assert prose["totals"]["public"].value == Decimal("149.5")
    assert prose["totals"]["income_change"].value == Decimal("112.28")


def test_pingxiang_2021_change_stated_in_a_later_sentence():
    three_costs = values(prose_of_sample("pingxiang-2021.txt")["three_costs"])
    assert three_costs["total"] == Decimal("35")
    assert three_costs["total_change"] == Decimal("-6.5")
    assert three_costs["vehicle_operation_change"] == Decimal("-4.5")
    assert three_costs["reception_change"] == Decimal("-2")
    assert three_costs["vehicle"] == Decimal("25")


def test_laiyuan_2016_yuan_converted_and_absurd_unit_kept():
    prose = prose_of_sample("laiyuan-2016.txt")
    assert prose["totals"]["income"].value == Decimal("1150.51")
    assert prose["totals"]["income"].printed == "11505100元"
    assert prose["totals"]["public"].value == Decimal("400.89")
    assert "operating" not in prose["totals"]
    assert prose["three_costs"] == {
        "total": Candidate(
            Decimal("1135000"),
            "1135000万元",
            Source(section="三、三公经费预算支出说明", line=2645),
            scope="all",
        )
    }


def test_laiyuan_2016_staffing_table_with_unaligned_subcolumns():
    staffing = tables_of_sample("laiyuan-2016.txt")["staffing"]
    assert values(staffing) == {"vehicles_authorized": 30, "authorized": 25, "in_service": 55, "retired": 13}
    assert staffing["in_service"].printed == "45+10"
    assert staffing["in_service"].source.table == "部门基本情况表"


@pytest.mark.parametrize(
    ("name", "fixed_assets_total", "vehicles_count", "vehicles_value"),
    [
        ("gaoyi-2019.txt", "416.95", 9, "147.97"),
        ("gaoyi-2022.txt", "947.09", 8, "138.26"),
        ("wuji-2018.txt", "435.353586", 9, "232.197286"),
        ("pingxiang-2021.txt", "448.9", 7, "118.12"),
    ],
)
def test_assets(name, fixed_assets_total, vehicles_count, vehicles_value):
    assets = tables_of_sample(name)["assets"]
    assert assets["fixed_assets_total"].value == Decimal(fixed_assets_total)
    assert assets["vehicles_count"].value == vehicles_count
    assert assets["vehicles_value"].value == Decimal(vehicles_value)
    assert assets["vehicles_count"].source.table.endswith("固定资产占用情况表")


def test_procurement_stated_as_none():
    assert prose_of_sample("gaoyi-2019.txt")["procurement"]["total"].printed == "无政府采购"
    assert prose_of_sample("gaoyi-2022.txt")["procurement"]["total"].value == Decimal("0.00")


FINANCE_BUREAU_IN_YUAN = """\
某某县财政局2023年部门预算信息公开情况说明
一、财政拨款“三公”经费预算情况及增减变化原因
２０２３年“三公”经费预算安排１２３４００元，比上年增加３４００元。其中：因公出国（境）费０元；公务用车购置及运行维护费８００００元（其中：公务用车购置费０元，公务用车运行维护费８００００元）；公务接待费４３４００元。
二、部门预算安排的总体情况
（一）收入说明
2023年收入总计12,345,678.9元，其中一般公共预算拨款收入12,000,000元，政府性基金预算拨款收入345,678.9元。
（二）支出说明
2023年支出总计12,345,678.9元，其中基本支出8,000,000元，包括人员经费6,500,000元和公用经费1,500,000元；项目支出4,345,678.9元。
三、机关运行经费安排情况
机关运行经费1500000元。
四、国有资产信息
截至2022年12月31日，本部门固定资产中单价在200000元以上的设备0台，固定资产总额3,456,789.12元，其中车辆2辆。本年度拟购置固定资产金额50000元。
五、绩效目标
项目支出9999元用于宣传。
"""


def test_other_department_in_yuan_with_full_width_digits_and_sections_reordered():
    prose = prose_of(FINANCE_BUREAU_IN_YUAN)
    assert values(prose["three_costs"]) == {
        "total": Decimal("12.34"),
        "total_change": Decimal("0.34"),
        "overseas": Decimal("0"),
        "vehicle": Decimal("8"),
        "vehicle_purchase": Decimal("0"),
        "vehicle_operation": Decimal("8"),
        "reception": Decimal("4.34"),
    }
    assert prose["three_costs"]["total"].printed == "１２３４００元"
    assert values(prose["totals"]) == {
        "income": Decimal("1234.56789"),
        "general_budget_income": Decimal("1200"),
        "expenditure": Decimal("1234.56789"),
        "basic": Decimal("800"),
        "personnel": Decimal("650"),
        "public": Decimal("150"),
        "project": Decimal("434.56789"),
        "operating": Decimal("150"),
    }
    # neither the planned purchase nor the 20万元 threshold is the fixed-asset total
    assert values(prose["assets"]) == {"fixed_assets_total": Decimal("345.678912"), "vehicles_count": 2}


def test_missing_three_costs_section_gives_no_three_costs():
    text = (
        "一、收入说明\n2023年预算收入100万元。\n二、支出说明\n2023年预算支出100万元，其中基本支出80万元。\n"
    )
    prose = prose_of(text)
    assert prose["three_costs"] == {}
    assert values(prose["totals"]) == {"income": 100, "expenditure": 100, "basic": 80}


FINAL_ACCOUNTS = """\
某某县教育局2019年度部门决算公开
一、收入支出决算总体情况说明
2019年度收入总计1200.5万元，支出总计1180.25万元。与2018年度相比，收入总计增加100万元，增长9.1%；支出总计减少20.75万元。
二、一般公共预算财政拨款“三公”经费支出决算情况说明
2018年度“三公”经费支出决算为4.3万元，2019年度“三公”经费支出决算为3.2万元，减少1.1万元。其中：公务接待费1.2万元；公务用车运行维护费2万元。
三、机关运行经费支出情况说明
2019年度机关运行经费支出50.3万元。
四、政府采购支出情况说明
2019年度政府采购支出总额10万元，其中：政府采购货物支出6万元、政府采购工程支出0万元、政府采购服务支出4万元。
五、国有资产占用情况说明
截至2019年12月31日，本部门共有车辆3辆。
"""


def test_final_accounts_document():
    prose = prose_of(FINAL_ACCOUNTS)
    assert values(prose["totals"]) == {
        "income": Decimal("1200.5"),
        "expenditure": Decimal("1180.25"),
        "income_change": Decimal("100"),
        "expenditure_change": Decimal("-20.75"),
        "operating": Decimal("50.3"),
    }
    # the previous year's 4.3 is not this year's figure
    assert values(prose["three_costs"]) == {
        "total": Decimal("3.2"),
        "total_change": Decimal("-1.1"),
        "reception": Decimal("1.2"),
        "vehicle_operation": Decimal("2"),
    }
    assert values(prose["procurement"]) == {"total": 10, "goods": 6, "works": 0, "services": 4}
    assert values(prose["assets"]) == {"vehicles_count": 3}


STAFFING_TABLE = (
    "一、部门职责及机构设置情况\n"
    "部门基本情况表\n"
    "单位名称\t编制人数\t\t在职人数\t\t离退休人数\n"
    "\t行政\t事业\t行政\t事业\t\n"
    "合计\t20\t5\t18\t4\t7\n"
    "某某县财政局\t20\t5\t18\t4\t7\n"
)


def test_staffing_table_with_aligned_subcolumns():
    staffing = explanation_table_figures(read_text(STAFFING_TABLE.encode(), "inline.txt"))["staffing"]
    assert values(staffing) == {"authorized": 25, "in_service": 22, "retired": 7}
    assert staffing["authorized"] == Candidate(25, "20+5", Source(table="部门基本情况表", line=5))


def test_text_without_figures_gives_empty_blocks():
    assert prose_of("一、部门职责\n负责全县财政工作。\n") == {
        "totals": {},
        "three_costs": {},
        "assets": {},
        "procurement": {},
        "staffing": {},
    }


RUN_ON_HEADINGS = """\
一、部门预算安排的总体情况
（三）“三公”经费预算情况：2023年“三公”经费预算数为5万元，较上年预算数6万元减少1万元。
八、名词解释
1.项目支出
项目支出是指在基本支出之外的支出，如某项目支出100万元。
"""


def test_heading_running_on_into_its_text_and_glossary_terms_not_sections():
    prose = prose_of(RUN_ON_HEADINGS)
    assert values(prose["three_costs"]) == {"total": 5, "total_change": -1}
    assert prose["three_costs"]["total"].source.section == "（三）“三公”经费预算情况"
    assert prose["totals"] == {}
