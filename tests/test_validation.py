"""Validation findings: sums, hierarchies, tables against tables and against the text."""

from decimal import Decimal

from ingest.validation import sum_severity, validate


def parsed(totals=None, three_costs=None, tables=None, figures=None, sources=None) -> dict:
    """A parsed disclosure holding only what a check reads."""
    return {
        "totals": totals or {},
        "three_costs": three_costs or {},
        "tables": tables or [],
        "figures": figures or {},
        "sources": sources or {},
    }


def checks(findings) -> list[tuple[str, str]]:
    return [(f["severity"], f["check"]) for f in findings]


def test_rounding_is_a_cent_per_part():
    assert sum_severity(Decimal("394.30"), [Decimal("394.30")]) is None
    assert sum_severity(Decimal("394.30"), [Decimal("296.93"), Decimal("97.36")]) == "info"
    assert sum_severity(Decimal("394.30"), [Decimal("296.93"), Decimal("97.35")]) == "info"
    assert sum_severity(Decimal("394.30"), [Decimal("296.93"), Decimal("97.34")]) == "error"


def test_income_must_equal_expenditure_quoting_both_as_printed():
    sources = {
        "totals": {
            "income": {"section": "1. 收入说明", "line": 76, "printed": "939.16万元"},
            "expenditure": {"table": "部门预算收支总表", "line": 83, "printed": "930.16"},
        }
    }
    (finding,) = validate(parsed({"income": "939.16", "expenditure": "930.16"}, sources=sources))
    assert checks([finding]) == [("error", "income_equals_expenditure")]
    assert "939.16万元（1. 收入说明，第76行）" in finding["message"]
    assert "930.16万元（部门预算收支总表，第83行）" in finding["message"]
    assert finding["line"] == 76
    assert validate(parsed({"income": "939.16", "expenditure": "939.160"})) == []


def test_basic_plus_project_and_personnel_plus_public():
    good = {
        "expenditure": "939.16",
        "basic": "407.16",
        "project": "532",
        "personnel": "343",
        "public": "64.16",
    }
    assert validate(parsed(good)) == []
    assert checks(validate(parsed(good | {"project": "532.01"}))) == [
        ("info", "basic_plus_project_equals_expenditure")
    ]
    assert checks(validate(parsed(good | {"public": "46.16"}))) == [
        ("error", "personnel_plus_public_equals_basic")
    ]


def test_without_basic_the_three_parts_add_up_to_expenditure():
    wuji = {
        "expenditure": "647.32",
        "basic": None,
        "personnel": "428.52",
        "public": "149.5",
        "project": "69.3",
    }
    assert validate(parsed(wuji)) == []
    assert checks(validate(parsed(wuji | {"project": "96.3"}))) == [
        ("error", "basic_plus_project_equals_expenditure")
    ]


def test_three_cost_parts_equal_the_total():
    costs = {
        "total": "42.1",
        "overseas": "0",
        "vehicle": "40",
        "vehicle_purchase": "0",
        "vehicle_operation": "40",
        "reception": "2.1",
    }
    assert validate(parsed(three_costs=costs)) == []
    assert checks(validate(parsed(three_costs=costs | {"reception": "21"}))) == [
        ("error", "three_costs_parts_equal_total")
    ]
    assert checks(validate(parsed(three_costs=costs | {"vehicle_operation": "4"}))) == [
        ("error", "vehicle_parts_equal_vehicle")
    ]
    # a part the document does not print leaves the sum unchecked
    assert validate(parsed(three_costs=costs | {"overseas": None, "reception": "21"})) == []


def test_a_part_bigger_than_the_whole_budget_is_a_unit_slip():
    findings = validate(parsed({"expenditure": "1150.51"}, three_costs={"total": "1135000"}))
    assert checks(findings) == [("error", "part_exceeds_total")]
    assert "1135000" in findings[0]["message"]


CODED = {
    "title": "部门预算支出总表",
    "rows": [
        {
            "line": 10,
            "code": None,
            "name": "合计",
            "total": True,
            "amount": "394.30",
            "basic": "336.30",
            "project": "58.00",
        },
        {
            "line": 11,
            "code": "210",
            "name": "卫生健康支出",
            "total": False,
            "amount": "25.50",
            "basic": "25.50",
            "project": None,
        },
        {
            "line": 12,
            "code": "21011",
            "name": "行政事业单位医疗",
            "total": False,
            "amount": "25.50",
            "basic": "25.50",
            "project": None,
        },
        {
            "line": 13,
            "code": "2101101",
            "name": "行政单位医疗",
            "total": False,
            "amount": "14.38",
            "basic": "14.38",
            "project": None,
        },
        {
            "line": 14,
            "code": "2101103",
            "name": "公务员医疗补助",
            "total": False,
            "amount": "11.13",
            "basic": "11.13",
            "project": None,
        },
        {
            "line": 15,
            "code": "211",
            "name": "节能环保支出",
            "total": False,
            "amount": "368.80",
            "basic": "310.80",
            "project": "58.00",
        },
    ],
}


def test_each_class_equals_its_codes_within_rounding():
    findings = validate(parsed(tables=[CODED]))
    # 21011 prints 25.50 over items summing to 25.51 in 合计 and 基本支出: rounding
    assert checks(findings) == [("info", "class_equals_sum_of_codes")] * 2
    assert findings[0]["line"] == 12
    assert "14.38 + 11.13 = 25.51" in findings[0]["message"]


def test_a_class_that_misses_its_codes_is_an_error():
    rows = [dict(r) for r in CODED["rows"]]
    rows[3] |= {"amount": "4.38", "basic": "4.38"}
    findings = validate(parsed(tables=[{"title": "部门预算支出总表", "rows": rows}]))
    assert ("error", "class_equals_sum_of_codes") in checks(findings)
    assert ("error", "total_equals_sum_of_classes") not in checks(findings)


def test_each_row_equals_its_basic_plus_project():
    rows = [dict(r) for r in CODED["rows"]]
    rows[5] |= {"basic": "300.80"}
    findings = validate(parsed(tables=[{"title": "部门预算支出总表", "rows": rows}]))
    assert ("error", "row_parts_equal_amount") in checks(findings)
    assert ("error", "total_equals_sum_of_classes") in checks(findings)


UNCODED = {
    "title": "部门“三公”及会议培训经费预算",
    "rows": [
        {"line": 1, "code": None, "name": "合计", "total": True, "amount": "113.50"},
        {"line": 2, "code": None, "name": "因公出国（境）费", "total": False, "amount": None, "level": 1},
        {
            "line": 3,
            "code": None,
            "name": "公务用车购置及运维费",
            "total": False,
            "amount": "13.50",
            "level": 1,
        },
        {"line": 4, "code": None, "name": "公务接待费", "total": False, "amount": "100.00", "level": 1},
        {"line": 5, "code": None, "name": "“三公”经费小计", "total": True, "amount": "113.50"},
        {"line": 6, "code": None, "name": "会议费", "total": False, "amount": None, "level": 1},
    ],
}


def test_a_subtotal_below_its_rows_is_checked_against_the_rows_above():
    assert validate(parsed(tables=[UNCODED])) == []
    rows = [dict(r) for r in UNCODED["rows"]]
    rows[3]["amount"] = "10.00"
    assert checks(validate(parsed(tables=[{"title": "t", "rows": rows}]))) == [
        ("error", "total_equals_sum_of_classes"),
        ("error", "total_equals_sum_of_classes"),
    ]


def test_numbered_rows_equal_the_rows_one_level_below():
    rows = [
        {"line": 1, "code": None, "name": "工资福利支出", "total": False, "amount": "433.11", "level": 1},
        {"line": 2, "code": None, "name": "基本工资", "total": False, "amount": "324.31", "level": 2},
        {"line": 3, "code": None, "name": "社会保障缴费", "total": False, "amount": "108.80", "level": 2},
        {"line": 4, "code": None, "name": "基本养老保险费", "total": False, "amount": "63.29", "level": 3},
        {"line": 5, "code": None, "name": "职业年金", "total": False, "amount": "45.52", "level": 3},
        {
            "line": 6,
            "code": None,
            "name": "对个人和家庭的补助",
            "total": False,
            "amount": "86.40",
            "level": 1,
        },
    ]
    findings = validate(parsed(tables=[{"title": "部门基本支出预算", "rows": rows}]))
    assert checks(findings) == [("info", "class_equals_sum_of_codes")]  # 63.29 + 45.52 = 108.81
    assert findings[0]["line"] == 3


def table_figure(value, line, rank=0, scope="all", level="department", table="部门预算收支总表"):
    return {
        "value": value,
        "printed": value,
        "table": table,
        "line": line,
        "rank": rank,
        "scope": scope,
        "level": level,
    }


def text_figure(value, printed, line, section="三、三公经费预算支出说明"):
    return {"value": value, "printed": printed, "section": section, "line": line}


def test_text_a_power_of_ten_off_the_table_is_a_unit_error_quoting_it():
    figures = {
        "three_costs": {
            "total": [
                table_figure("113.50", 1733, table="部门“三公”及会议培训经费预算"),
                text_figure("1135000", "1135000万元", 2645),
            ]
        }
    }
    (finding,) = validate(parsed(three_costs={"total": "113.50"}, figures=figures))
    assert checks([finding]) == [("error", "unit_mismatch")]
    assert "1135000万元" in finding["message"] and "113.50万元" in finding["message"]
    assert finding["line"] == 2645


def test_text_that_rounds_the_table_is_info_and_a_different_figure_an_error():
    rounded = {"totals": {"basic": [table_figure("336.27", 152), text_figure("336.3", "336.3万元", 80)]}}
    assert checks(validate(parsed(figures=rounded))) == [("info", "prose_rounds_table")]
    same = {"totals": {"basic": [table_figure("336.30", 152), text_figure("336.3", "336.3万元", 80)]}}
    assert validate(parsed(figures=same)) == []
    wrong = {"totals": {"basic": [table_figure("336.30", 152), text_figure("363.3", "363.3万元", 80)]}}
    assert checks(validate(parsed(figures=wrong))) == [("error", "prose_agrees_with_tables")]


def test_two_tables_printing_the_same_figure_must_agree():
    agree = {
        "totals": {"basic": [table_figure("336.30", 152), table_figure("336.30", 265, table="支出总表")]}
    }
    assert validate(parsed(figures=agree)) == []
    differ = {
        "totals": {"basic": [table_figure("336.30", 152), table_figure("363.30", 265, table="支出总表")]}
    }
    assert checks(validate(parsed(figures=differ))) == [("error", "tables_agree")]
    # 财政拨款 tables and unit-level tables may hold less than the department as a whole
    fiscal = {"totals": {"basic": [table_figure("336.30", 152), table_figure("300", 265, scope="fiscal")]}}
    assert validate(parsed(figures=fiscal)) == []


def test_errors_come_first():
    findings = validate(parsed({"income": "1", "expenditure": "2"}, tables=[CODED]))
    assert [f["severity"] for f in findings] == ["error", "info", "info"]


def test_spending_besides_basic_and_project_is_part_of_the_sum():
    """A 事业单位 prints 经营支出 beside 基本支出 and 项目支出, in its rows and its 合计."""
    row = {
        "line": 5,
        "code": "205",
        "name": "教育支出",
        "total": False,
        "amount": "130",
        "basic": "80",
        "project": "20",
        "business": "30",
        "to_superior": None,
        "to_subsidiary": None,
    }
    table = {"title": "部门支出总表", "rows": [row]}
    totals = {"expenditure": "130", "basic": "80", "project": "20", "business": "30"}
    assert validate(parsed(totals, tables=[table])) == []
    assert checks(
        validate(parsed(totals | {"business": None}, tables=[table | {"rows": [row | {"business": None}]}]))
    ) == [
        ("error", "basic_plus_project_equals_expenditure"),
        ("error", "row_parts_equal_amount"),
    ]


def test_basic_plus_project_is_this_years_spending_without_the_balance_carried_forward():
    figures = {"totals": {"expenditure": [table_figure("110", 40), table_figure("100", 38, rank=1)]}}
    totals = {"expenditure": "110", "basic": "60", "project": "40"}
    assert validate(parsed(totals, figures=figures)) == []


def test_text_giving_this_years_figure_beside_a_total_with_the_balance_is_no_error():
    figures = {
        "totals": {
            "income": [
                table_figure("110", 40),
                table_figure("100", 38, rank=1),
                text_figure("100", "100万元", 70, section="1. 收入说明"),
            ]
        }
    }
    assert validate(parsed({"income": "110"}, figures=figures)) == []


def test_a_project_table_printing_an_item_row_above_its_projects_adds_up():
    rows = [
        {
            "line": 1,
            "code": "20103",
            "name": "政府办公厅（室）及相关机构事务",
            "total": False,
            "amount": "100",
        },
        {"line": 2, "code": "2010302", "name": "一般行政管理事务", "total": False, "amount": "100"},
        {"line": 3, "code": "2010302", "name": "会议保障", "total": False, "amount": "60"},
        {"line": 4, "code": "2010302", "name": "档案数字化", "total": False, "amount": "40"},
    ]
    assert validate(parsed(tables=[{"title": "部门项目支出表", "rows": rows}])) == []
    assert validate(parsed(tables=[{"title": "部门项目支出表", "rows": [rows[0], *rows[2:]]}])) == []
    rows[3]["amount"] = "4"
    assert checks(validate(parsed(tables=[{"title": "部门项目支出表", "rows": [rows[0], *rows[2:]]}]))) == [
        ("error", "class_equals_sum_of_codes")
    ]
