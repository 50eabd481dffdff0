"""Reading `pdftotext -raw` text: reading order, one space between words, empty cells vanish."""

import time
from pathlib import Path

import pytest

from ingest.amounts import is_amount
from ingest.document import Paragraph, Row
from ingest.readers import read_document
from ingest.readers.raw_text import MAX_LINE_LENGTH, read_raw
from ingest.readers.text import detect_layout, read_text
from ingest.tables import title_kind
from ingest.text import outline_level, squash
from ingest.vocabulary import tables as vocab

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "shanghai-putuo"
FINAL_ACCOUNTS = [
    "06_putuo_caizhengju_2024_bumen_juesuan",
    "07_putuo_guihua_ziranziyuan_2024_bumen_juesuan",
]

# A 支出决算表 as -raw prints it: header labels wrapped over lines, a row whose amounts follow
# on the next lines, a row printing two of its three amounts, a name wrapped onto a new page.
EXPENDITURE = """甲县财政局2024年度部门决算
支出决算表
单位：万元
项目
本年支出合
计
基本支出
项目支
出
科目名称
科目编码
类 款 项
合计 300.00 200.00 100.00
205 教育支出 300.00
200.00
100.00
205 01 教育管理事务 120.00 120.00
205 01 02
\f一般行政管理
事务
180.00 80.00 100.00"""

# A two-sided 基本支出 table: 301 items on the left, 302 items on the right, interleaved.
ECONOMIC = """一般公共预算财政拨款基本支出决算表
单位：万元
经济分类
科目名称 决算数
经济分类
科目名称 决算数
科目编码 科目编码
类
款
类
款
301
工资福利支出
120.50 302
商品和服务支出
30.25
301 01
基本工资 100.00
302
01 办公费 30.25
301 02 津贴补贴 302 02 印刷费
301 03 奖金
20.50
人员经费合计
120.50
公用经费合计
30.25"""

# A 收支总表: label/amount pairs on both sides, right-hand items after the left list ends.
SUMMARY = """收入支出决算总表
单位：万元
收入 支出
项目 决算数 项目 决算数
一、财政拨款收入 100.00 一、一般公共服务支出 80.00
二、事业收入 二、教育支出
三、其他收入 5.00 三、社会保障和就业支
出
四、卫生健康支出 20.00
本年收入合计
105.00
本年支出合计
100.00
总计 105.00 总计 105.00"""

THREE_COSTS = """财政拨款“三公”经费支出决算表
单位：万元
合计
因公出国
（境）费
公务接待费
预算数 决算数 预算数 决算数 预算数 决算数
1.50 1.50"""


def _read(text: str) -> list:
    return list(read_raw(text.split("\n")))


def _rows(text: str) -> list[tuple[str, ...]]:
    return [block.cells for block in _read(text) if isinstance(block, Row)]


def test_a_classification_table_gives_a_full_header_and_one_row_per_item():
    blocks = _read(EXPENDITURE)
    assert blocks[:3] == [
        Paragraph("甲县财政局2024年度部门决算", line=1, page=1),
        Paragraph("支出决算表", line=2, page=1),
        Paragraph("单位：万元", line=3, page=1),
    ]
    assert blocks[3:] == [
        # The labels heading the code and name columns above the row of every column.
        Row(("项目", "", "", "", "", "", ""), line=4, page=1),
        Row(("科目编码", "", "", "", "", "", ""), line=11, page=1),
        Row(("类", "款", "项", "科目名称", "本年支出合计", "基本支出", "项目支出"), line=5, page=1),
        Row(("", "", "", "合计", "300.00", "200.00", "100.00"), line=13, page=1),
        Row(("205", "", "", "教育支出", "300.00", "200.00", "100.00"), line=14, page=1),
        # Two amounts for three columns: which two is not printed, so only they are given.
        Row(("205", "01", "", "教育管理事务", "120.00", "120.00"), line=17, page=1),
        Row(("205", "01", "02", "一般行政管理事务", "180.00", "80.00", "100.00"), line=18, page=1),
    ]


def test_a_two_sided_table_gives_each_item_its_own_row_left_before_right():
    assert _rows(ECONOMIC) == [
        ("经济分类科目编码", "", "", ""),
        ("类", "款", "科目名称", "决算数"),
        ("301", "", "工资福利支出", "120.50"),
        ("302", "", "商品和服务支出", "30.25"),
        ("301", "01", "基本工资", "100.00"),
        ("302", "01", "办公费", "30.25"),
        ("301", "02", "津贴补贴", ""),
        ("302", "02", "印刷费", ""),
        ("301", "03", "奖金", "20.50"),
        ("", "", "人员经费合计", "120.50"),
        ("", "", "公用经费合计", "30.25"),
    ]


def test_a_summary_table_keeps_both_sides_and_places_right_hand_items():
    assert _rows(SUMMARY) == [
        ("收入", "", "支出", ""),
        ("项目", "决算数", "项目", "决算数"),
        ("一、财政拨款收入", "100.00", "一、一般公共服务支出", "80.00"),
        ("二、事业收入", "", "二、教育支出", ""),
        ("三、其他收入", "5.00", "三、社会保障和就业支出", ""),
        ("", "", "四、卫生健康支出", "20.00"),
        ("本年收入合计", "105.00", "本年支出合计", "100.00"),
        ("总计", "105.00", "总计", "105.00"),
    ]


def test_a_row_printing_some_of_many_amounts_claims_no_columns():
    assert _rows(THREE_COSTS) == [
        ("合计", "因公出国（境）费", "公务接待费"),
        ("预算数", "决算数", "预算数", "决算数", "预算数", "决算数"),
        ("1.50", "1.50"),
    ]


def test_a_bare_three_digit_integer_is_a_code_only_before_a_name():
    text = """一般公共预算财政拨款支出表
单位：万元
科目编码 科目名称 合计 基本支出
2010101 行政运行 300 300
208 社会保障和就业支出 120 120"""
    assert _rows(text)[1:] == [
        ("2010101", "行政运行", "300", "300"),
        ("208", "社会保障和就业支出", "120", "120"),
    ]


def test_a_page_number_between_a_name_and_its_amount_is_not_an_amount():
    text = """一般公共预算财政拨款支出决算表
单位：万元
科目编码 科目名称 合计
201 一般公共服务支出 10.00
2010101 行政运行
7
\f10.00"""
    blocks = _read(text)
    assert Paragraph("7", line=6, page=1) in blocks
    assert Row(("2010101", "行政运行", "10.00"), line=5, page=1) in blocks


def test_a_header_printed_again_on_the_next_page_is_left_out():
    text = """一般公共预算财政拨款支出决算表
单位：万元
科目编码 科目名称 合计 基本支
出
201 一般公共服务支出 10.00 10.00
\f科目编码 科目名称 合计 基本支
出
2010101 行政运行 10.00 10.00"""
    assert _rows(text) == [
        ("科目编码", "科目名称", "合计", "基本支出"),
        ("201", "一般公共服务支出", "10.00", "10.00"),
        ("2010101", "行政运行", "10.00", "10.00"),
    ]


def test_prose_without_tables_stays_paragraphs():
    text = "第一章 雨夜\n\n他推开门，外面的雨下得正大。\n“走吧。”她说。\f\n第二章 清晨\n天亮了，街上没人。\n"
    document = read_text(text.encode(), "novel.txt")
    assert detect_layout(text.split("\n")) == "raw"
    assert document.layout == "tsv"
    assert all(isinstance(block, Paragraph) for block in document.blocks)
    assert [(b.line, b.page) for b in document.blocks] == [(1, 1), (3, 1), (4, 1), (5, 2), (6, 2)]


def test_contents_lines_naming_tables_open_no_table():
    text = "目 录\n一、收入支出决算总表\n二、收入决算表\n第三部分 情况说明"
    assert all(isinstance(block, Paragraph) for block in _read(text))


def test_lines_are_cut_to_the_bound():
    (block,) = _read("字" * (MAX_LINE_LENGTH * 3))
    assert len(block.text) == MAX_LINE_LENGTH


def test_a_thousand_lines_read_well_under_fifty_milliseconds():
    document = "\n".join([EXPENDITURE, ECONOMIC, SUMMARY, THREE_COSTS])
    lines = (document.split("\n") * 20)[:1000]
    best = min(_timed(lines) for _ in range(3))
    assert best < 0.05


def _timed(lines: list[str]) -> float:
    start = time.perf_counter()
    list(read_raw(lines))
    return time.perf_counter() - start


@pytest.mark.parametrize("name", FINAL_ACCOUNTS)
def test_real_tables_print_the_cells_the_pdf_prints(name):
    """Every code, name and amount of the tables, in order, as the PDF reader reads the original."""
    text, pdf = CORPUS / f"{name}.txt", CORPUS / f"{name}.pdf"
    if not (text.exists() and pdf.exists()):
        pytest.skip(f"SKIPPED LOUDLY: no real-disclosure corpus at {CORPUS} (it lives in ../shared)")
    from_text = read_document(text.read_bytes(), text.name)
    assert detect_layout(text.read_text(encoding="utf-8").split("\n")) == "raw"
    assert _table_cells(from_text) == _table_cells(read_document(pdf.read_bytes(), pdf.name))


def _table_cells(document) -> list[str]:
    """The filled cells of rows printing an amount, from the first standard table to the next
    part. 类 款 项 are left out: the PDF reader prints that header line in the row below it."""
    cells, inside = [], False
    for block in document.blocks:
        if isinstance(block, Paragraph):
            inside = (inside or bool(title_kind(block.text))) and outline_level(block.text) != 1
        elif inside and any(is_amount(cell) for cell in block.cells):
            cells += [squash(c) for c in block.cells if c.strip() and c not in vocab.SPLIT_CODE_PARTS]
    return cells
