"""The parsed-disclosure JSON: tables and text merged, sources kept, findings attached."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.document import UnreadableDocument
from ingest.parser import parse_bytes
from ingest.result import Candidate, Disclosure, Source
from tests.base import sample_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CONTRACT_TOTALS = {
    "income",
    "expenditure",
    "general_budget_income",
    "basic",
    "personnel",
    "public",
    "project",
    "operating",
}
CONTRACT_THREE_COSTS = {
    "total",
    "overseas",
    "vehicle",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
    "total_change",
}


def parse_sample(name: str) -> dict:
    return parse_bytes((SAMPLES / name).read_bytes(), name)


def errors(parsed: dict) -> list[str]:
    return [f["message"] for f in parsed["findings"] if f["severity"] == "error"]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_every_sample_gives_the_contract_keys_as_plain_json(name):
    parsed = parse_sample(name)
    json.dumps(parsed, ensure_ascii=False)  # no Decimal, no float: amounts are strings
    assert set(parsed["totals"]) >= CONTRACT_TOTALS and set(parsed["three_costs"]) >= CONTRACT_THREE_COSTS
    assert {"line_items", "indicators", "assets", "findings", "sources", "tables", "unread"} <= set(parsed)
    amounts = [*parsed["totals"].values(), *parsed["three_costs"].values()]
    assert all(a is None or isinstance(a, str) for a in amounts)


@pytest.mark.parametrize("name", ["gaoyi-2019.txt", "gaoyi-2022.txt", "wuji-2018.txt", "pingxiang-2021.txt"])
def test_samples_that_add_up_have_no_error_findings(name):
    assert errors(parse_sample(name)) == []


def test_gaoyi_2022_tables_win_and_say_where_they_were_printed():
    parsed = parse_sample("gaoyi-2022.txt")
    assert {k: parsed["totals"][k] for k in CONTRACT_TOTALS - {"operating"}} == {
        "income": "394.30",
        "expenditure": "394.30",
        "general_budget_income": "394.30",
        "basic": "336.30",
        "personnel": "288.65",
        "public": "47.65",
        "project": "58.00",
    }
    assert parsed["sources"]["totals"]["basic"] == {
        "table": "部门预算支出总表",
        "line": 152,
        "printed": "336.30",
        "scope": "all",
    }
    assert parsed["sources"]["three_costs"]["overseas"] == {
        "table": "部门预算财政拨款“三公”经费支出表",
        "line": 386,
        "printed": "",
        "scope": "fiscal",
    }
    assert parsed["three_costs"]["overseas"] == "0"  # printed row, empty cell
    counts = {
        kind: sum(1 for i in parsed["line_items"] if i["kind"] == kind) for kind in ("functional", "economic")
    }
    assert counts == {"functional": 22, "economic": 23}
    item = next(i for i in parsed["line_items"] if i["code"] == "2110301")
    assert (item["name"], item["amount"], item["basic"], item["project"]) == ("大气", "20.00", None, "20.00")
    assert item["source"] == {"table": "部门预算支出总表", "line": 181}
    assert [t["kind"] for t in parsed["tables"] if t["empty"]] == ["fund", "state_capital"]
    assert parsed["unread"] == []


def test_laiyuan_2016_text_in_the_wrong_unit_is_an_error_quoting_it():
    parsed = parse_sample("laiyuan-2016.txt")
    assert parsed["three_costs"]["total"] == "113.50"  # the table wins over 1135000万元 in the text
    assert any("1135000" in message and "113.50" in message for message in errors(parsed))
    projects = [i for i in parsed["line_items"] if i["kind"] == "project"]
    assert len(projects) == 14
    assert parsed["staffing"]["authorized"] == 25


def test_text_figures_fill_what_no_table_printed():
    """gaoyi 2019 prints no budget tables: every figure comes from its explanation text."""
    parsed = parse_sample("gaoyi-2019.txt")
    assert parsed["totals"]["personnel"] == "343"
    assert "section" in parsed["sources"]["totals"]["personnel"]
    assert parsed["line_items"] == [] and parsed["tables"] == []
    assert {"kind": "table", "name": "summary"} in parsed["unread"]


TABLES_ONLY = """
部门预算支出总表
612 某某县教育局
单位：万元
序号\t功能分类科目\t\t合计\t基本支出\t项目支出
\t科目编码\t科目名称\t\t\t
1\t\t合计\t100.00\t60.00\t40.00
2\t205\t教育支出\t100.00\t60.00\t40.00
3\t20501\t教育管理事务\t100.00\t60.00\t40.00
4\t2050101\t行政运行\t60.00\t60.00\t
5\t2050199\t其他教育管理事务支出\t40.00\t\t40.00
"""


def figure(value, printed, line, section="2. 支出说明"):
    return Candidate(Decimal(value), printed, Source(section=section, line=line))


def fake_prose(totals=None, three_costs=None):
    def parse_prose(document, year=None, final_accounts=False):
        return {
            "totals": totals or {},
            "three_costs": three_costs or {},
            "assets": {},
            "procurement": {},
            "staffing": {},
        }

    return parse_prose


def test_a_table_figure_wins_and_the_text_fills_the_rest(monkeypatch):
    text = {
        "expenditure": figure("100", "100万元", 40),
        "personnel": figure("50", "50万元", 41),
        "basic": figure("60", "60万元", 41),
    }
    monkeypatch.setattr("ingest.parser.parse_prose", fake_prose(text))
    parsed = parse_bytes(TABLES_ONLY.strip().encode(), "variant.txt")
    assert parsed["totals"]["expenditure"] == "100.00"
    assert parsed["sources"]["totals"]["expenditure"]["table"] == "部门预算支出总表"
    assert parsed["totals"]["personnel"] == "50"
    assert parsed["sources"]["totals"]["personnel"] == {
        "section": "2. 支出说明",
        "line": 41,
        "printed": "50万元",
    }
    assert [c.get("table") or c.get("section") for c in parsed["figures"]["totals"]["basic"]] == [
        "部门预算支出总表",
        "2. 支出说明",
    ]
    assert errors(parsed) == []


def test_text_contradicting_a_table_is_an_error(monkeypatch):
    monkeypatch.setattr("ingest.parser.parse_prose", fake_prose({"basic": figure("66", "66万元", 41)}))
    parsed = parse_bytes(TABLES_ONLY.strip().encode(), "variant.txt")
    assert parsed["totals"]["basic"] == "60.00"
    (message,) = errors(parsed)
    assert "66万元" in message and "60.00万元" in message


def test_a_variant_with_tables_and_no_sections_lists_what_it_lacks(monkeypatch):
    monkeypatch.setattr("ingest.parser.parse_prose", fake_prose())
    parsed = parse_bytes(TABLES_ONLY.strip().encode(), "variant.txt")
    assert [i["code"] for i in parsed["line_items"]] == ["205", "20501", "2050101", "2050199"]
    assert {"kind": "table", "name": "three_costs"} in parsed["unread"]
    assert {"kind": "section", "name": "三公经费"} in parsed["unread"]
    assert {"kind": "table", "name": "expenditure"} not in parsed["unread"]
    assert parsed["three_costs"]["total"] is None  # printed nowhere


NOVEL = """
第一章
那年冬天，雪下得很大。他沿着河岸走了很久，想起了许多往事。
“你还记得吗？”她问。一九九八年的春天，我们在县城的小学里读书。
他没有回答，只是看着远处的山。
"""


def test_a_text_that_is_no_disclosure_is_refused_whole():
    with pytest.raises(UnreadableDocument, match="not a budget disclosure"):
        parse_bytes(NOVEL.encode(), "novel.txt")


@pytest.mark.parametrize("name", ["gaoyi-2022.txt", "laiyuan-2016.txt"])
def test_the_parsed_json_reads_back_into_the_same_disclosure(name):
    parsed = parse_bytes(sample_bytes(name), name)
    disclosure = Disclosure.from_json(parsed)
    assert disclosure.to_json() == parsed
    assert isinstance(disclosure.figures["totals"]["income"][0].value, Decimal)
