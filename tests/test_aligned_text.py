"""The reader of `pdftotext -layout` text (ingest/readers/aligned_text.py): table columns
aligned with spaces become rows as wide as the table, each cell under its own header.

The small documents here are written in that layout: pdftotext prints a Chinese character in
one character column although it is two wide, so the amounts after Chinese text stand at the
character column of their position on the page, whatever the text before them. The real
documents of ../shared/corpus are read where they are present.
"""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.document import Paragraph, Row
from ingest.gold import check_doc
from ingest.parser import parse_bytes
from ingest.readers.aligned_text import MAX_LINE, read_aligned
from ingest.readers.text import detect_layout, read_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BUDGETS = [
    "01_putuo_qu_zhengfu_bangongshi_2025_bumen_yusuan.txt",
    "04_putuo_wanli_jiedao_2023_bumen_yusuan.txt",
]

AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def line(*cells) -> str:
    """A line of the layout: each cell `(column, text)` starts at that character column; a
    negative column right-aligns the text to end at the column (amounts)."""
    out = ""
    for column, text in cells:
        start = -column - len(text) if column < 0 else column
        assert start >= len(out) + (1 if out else 0), f"{text!r} overlaps the cell before it"
        out = out.ljust(start) + text
    return out


def rows(blocks) -> list[tuple[str, ...]]:
    return [block.cells for block in blocks if isinstance(block, Row)]


# 类 款 项 at 0 / 6 / 11, names at 16, amounts ending at 44 (合计), 60 (基本支出), 76 (项目支出).
EXPENDITURE = [
    line((26, "2024年部门支出预算总表")),
    line((0, "编制单位：示例县示例局"), (72, "单位：元")),
    "",
    line((0, "功能分类科目编码")),
    line((24, "科目名称"), (41, "合计"), (54, "基本支出"), (70, "项目支出")),
    line((0, "类"), (6, "款"), (11, "项")),
    "",
    line((0, "201"), (16, "一般公共服务支出"), (-44, "1,500.00"), (-60, "1,000.00"), (-76, "500.00")),
    line(
        (0, "201"),
        (6, "03"),
        (16, "政府办公厅（室）及相关机构事务"),
        (-44, "1,500.00"),
        (-60, "1,000.00"),
        (-76, "500.00"),
    ),
    "",
    line((0, "201"), (6, "03"), (11, "01"), (16, "行政运行"), (-44, "1,000.00"), (-60, "1,000.00")),
    line((0, "201"), (6, "03"), (11, "02"), (16, "一般行政管理事务"), (-44, "500.00"), (-76, "500.00")),
    "",
    line((23, "合计"), (-44, "1,500.00"), (-60, "1,000.00"), (-76, "500.00")),
]


def test_a_row_printing_some_amounts_has_each_under_its_header():
    blocks = list(read_aligned(EXPENDITURE))
    assert blocks[0] == Paragraph("2024年部门支出预算总表", line=1, page=1)
    assert rows(blocks)[1:] == [
        ("功能分类科目编码", "", "", "", "", "", ""),
        ("", "", "", "科目名称", "合计", "基本支出", "项目支出"),
        ("类", "款", "项", "", "", "", ""),
        ("201", "", "", "一般公共服务支出", "1,500.00", "1,000.00", "500.00"),
        ("201", "03", "", "政府办公厅（室）及相关机构事务", "1,500.00", "1,000.00", "500.00"),
        ("201", "03", "01", "行政运行", "1,000.00", "1,000.00", ""),
        ("201", "03", "02", "一般行政管理事务", "500.00", "", "500.00"),
        ("", "", "", "合计", "1,500.00", "1,000.00", "500.00"),
    ]


def test_every_block_keeps_its_line_and_page():
    blocks = list(read_aligned(EXPENDITURE))
    assert [block.line for block in blocks] == [1, 2, 4, 5, 6, 8, 9, 11, 12, 14]
    assert {block.page for block in blocks} == {1}


def test_the_unit_line_is_a_row_of_the_table_the_parser_takes_as_page_header():
    unit_row = rows(read_aligned(EXPENDITURE))[0]
    assert unit_row[0] == "编制单位：示例县示例局"
    assert unit_row[-1] == "单位：元"
    assert not any(unit_row[1:-1])


def test_a_two_sided_summary_table_keeps_both_sides_apart():
    lines = [
        line((28, "2024年部门收支预算总表")),
        line((8, "收入"), (38, "支出")),
        line((4, "项目"), (15, "预算数"), (30, "项目"), (44, "预算数")),
        line((0, "一、财政拨款收入"), (-24, "1,500.00"), (25, "一、一般公共服务支出"), (-50, "1,200.00")),
        "",
        line((0, "二、事业收入"), (27, "二、社会保障和就业支出"), (-50, "300.00")),
        "",
        line((0, "三、其他收入")),
        "",
        line((4, "收入总计"), (-24, "1,500.00"), (30, "支出总计"), (-50, "1,500.00")),
    ]
    assert rows(read_aligned(lines)) == [
        ("收入", "", "支出", ""),
        ("项目", "预算数", "项目", "预算数"),
        ("一、财政拨款收入", "1,500.00", "一、一般公共服务支出", "1,200.00"),
        ("二、事业收入", "", "二、社会保障和就业支出", "300.00"),
        ("三、其他收入", "", "", ""),
        ("收入总计", "1,500.00", "支出总计", "1,500.00"),
    ]


def test_a_header_over_two_lines_and_columns_no_amount_is_printed_in():
    lines = [
        line((0, "功能分类科目编码"), (75, "事业单位")),
        line((24, "科目名称"), (41, "合计"), (54, "财政拨款收入"), (68, "事业收入"), (82, "其他收入")),
        line((0, "类"), (6, "款"), (11, "项"), (75, "经营收入")),
        # Narrow columns: pdftotext leaves one space between the amounts.
        line((0, "201"), (16, "一般公共服务支出"), (38, "12,345,678.90 12,345,678.90")),
        line((0, "201"), (6, "03"), (11, "01"), (16, "行政运行"), (39, "2,345,678.90 2,345,678.90")),
    ]
    assert rows(read_aligned(lines)) == [
        ("功能分类科目编码", "", "", "", "", "", "", "事业单位", ""),
        ("", "", "", "科目名称", "合计", "财政拨款收入", "事业收入", "", "其他收入"),
        ("类", "款", "项", "", "", "", "", "经营收入", ""),
        ("201", "", "", "一般公共服务支出", "12,345,678.90", "12,345,678.90", "", "", ""),
        ("201", "03", "01", "行政运行", "2,345,678.90", "2,345,678.90", "", "", ""),
    ]


def test_a_header_over_several_columns_goes_to_the_first_of_them():
    # Amounts right-aligned under 合计, 因公出国(境)费, 公务接待费 and 机关运行经费; the three
    # columns of 公务用车购置及运行费 print none.
    lines = [
        line((0, "编制单位：示例县示例局"), (-72, "单位：万元")),
        line((28, "“三公”经费预算数")),
        line((61, "机关运行经费预算")),
        line((42, "公务用车购置及运行费")),
        line((65, "数")),
        line((3, "合计"), (13, "因公出国(境)费"), (32, "公务接待费")),
        line((37, "小计"), (46, "购置费"), (59, "运行费")),
        "",
        line((-10, "867.50"), (-23, "839.00"), (-34, "28.50"), (-72, "213.28")),
    ]
    assert rows(read_aligned(lines))[1:] == [
        ("", "", "“三公”经费预算数", "", "", "", ""),
        ("", "", "", "", "", "", "机关运行经费预算"),
        ("", "", "", "公务用车购置及运行费", "", "", ""),
        ("", "", "", "", "", "", "数"),
        ("合计", "因公出国(境)费", "公务接待费", "", "", "", ""),
        ("", "", "", "小计", "购置费", "运行费", ""),
        ("867.50", "839.00", "28.50", "", "", "", "213.28"),
    ]


def test_a_header_centred_over_narrow_amounts_heads_them():
    lines = [
        line((3, "合计"), (16, "因公出国(境)费"), (36, "公务接待费")),
        line((-13, "22.91"), (-27, "0"), (-38, "1.35")),
    ]
    assert rows(read_aligned(lines)) == [
        ("合计", "因公出国(境)费", "公务接待费"),
        ("22.91", "0", "1.35"),
    ]


def test_text_columns_side_by_side_stay_apart_however_wide_their_characters():
    lines = [
        line((2, "项目名称"), (16, "实施单位"), (31, "金额")),
        line((0, "社区公共服务中心建设项目"), (15, "示例街道办事处"), (-36, "1,000.00")),
        line((0, "道路维修"), (15, "示例建设局"), (-36, "500.00")),
        line((4, "合计"), (-36, "1,500.00")),
    ]
    assert rows(read_aligned(lines)) == [
        ("项目名称", "实施单位", "金额"),
        ("社区公共服务中心建设项目", "示例街道办事处", "1,000.00"),
        ("道路维修", "示例建设局", "500.00"),
        ("合计", "", "1,500.00"),
    ]


def test_a_page_break_inside_a_table_starts_a_new_grid():
    lines = [
        *EXPENDITURE,
        # pdftotext lays each page out anew: the next page's columns stand elsewhere.
        "\f" + line((0, "202"), (16, "外交支出"), (-34, "300.00"), (-63, "300.00")),
        line((0, "202"), (6, "01"), (16, "外交管理事务"), (-34, "300.00"), (-63, "300.00")),
        line((20, "合计"), (-34, "1,800.00"), (-48, "1,000.00"), (-63, "800.00")),
        "\f",
    ]
    blocks = list(read_aligned(lines))
    second = [block for block in blocks if block.page == 2]
    assert [block.line for block in second] == [15, 16, 17]
    assert rows(second) == [
        ("202", "", "外交支出", "300.00", "", "300.00"),
        ("202", "01", "外交管理事务", "300.00", "", "300.00"),
        ("", "", "合计", "1,800.00", "1,000.00", "800.00"),
    ]


def test_a_cell_wrapped_around_its_amounts_is_one_row():
    lines = [
        line((0, "二、科学技术支出"), (-30, "100.00"), (-40, "100.00")),
        line((0, "三、文化旅游体育与传媒")),
        line((-30, "200.00"), (-40, "200.00")),
        line((0, "支出")),
        line((0, "四、社会保障和就业支出"), (-30, "300.00"), (-40, "300.00")),
    ]
    blocks = list(read_aligned(lines))
    assert rows(blocks) == [
        ("二、科学技术支出", "100.00", "100.00"),
        ("三、文化旅游体育与传媒支出", "200.00", "200.00"),
        ("四、社会保障和就业支出", "300.00", "300.00"),
    ]
    assert [block.line for block in blocks] == [1, 2, 5]


def test_the_title_between_two_tables_of_a_page_is_a_paragraph():
    lines = [
        line((0, "一、收入合计"), (-30, "1,500.00")),
        "",
        line((10, "2024年部门一般公共预算支出表")),
        line((4, "项目"), (24, "合计"), (36, "基本支出"), (48, "项目支出")),
        line((0, "一般公共服务支出"), (-28, "1,500.00"), (-42, "1,000.00"), (-54, "500.00")),
    ]
    blocks = list(read_aligned(lines))
    assert blocks[0] == Row(("一、收入合计", "1,500.00"), line=1, page=1)
    assert blocks[1] == Paragraph("2024年部门一般公共预算支出表", line=3, page=1)
    assert rows(blocks[2:]) == [
        ("项目", "合计", "基本支出", "项目支出"),
        ("一般公共服务支出", "1,500.00", "1,000.00", "500.00"),
    ]


def test_running_text_and_overlong_lines_are_paragraphs():
    overlong = "超长" + " " * 10 + "1,000.00" + " " * 10 + "x" * MAX_LINE
    lines = [
        "",
        "  一、部门主要职能",
        "  负责本部门的日常工作，收入 1,000.00 元。",
        overlong,
        "\f  第二页的文字",
    ]
    assert list(read_aligned(lines)) == [
        Paragraph("一、部门主要职能", line=2, page=1),
        Paragraph("负责本部门的日常工作，收入 1,000.00 元。", line=3, page=1),
        Paragraph(overlong, line=4, page=1),
        Paragraph("第二页的文字", line=5, page=2),
    ]


def test_the_text_reader_hands_aligned_text_over_as_tsv_rows():
    text = "\n".join(EXPENDITURE) + "\n"
    assert detect_layout(text.split("\n")) == "aligned"
    document = read_text(text.encode("utf-8"), "aligned.txt")
    assert document.layout == "tsv"
    assert document.rows[-1].cells == ("", "", "", "合计", "1,500.00", "1,000.00", "500.00")


def test_the_parser_reads_the_figures_of_aligned_tables():
    text = "\n".join(
        [
            line((10, "示例县示例局2024年部门预算")),
            "",
            *EXPENDITURE,
        ]
    )
    parsed = parse_bytes(text.encode("utf-8"), "aligned.txt")
    items = {item["code"]: item for item in parsed["line_items"]}
    figures = [items["2010302"][key] for key in ("amount", "basic", "project")]
    assert [None if f is None else Decimal(f) for f in figures] == [Decimal("0.05"), None, Decimal("0.05")]
    assert Decimal(items["2010301"]["basic"]) == Decimal("0.1")
    assert Decimal(parsed["totals"]["basic"]) == Decimal("0.1")


def corpus_documents():
    gold_file = CORPUS / "gold.json"
    if not gold_file.exists():
        return [pytest.param(None, None, id="corpus-absent")]
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    return [pytest.param(name, gold.get(name), id=name) for name in BUDGETS]


@pytest.mark.parametrize(("name", "gold"), corpus_documents())
def test_the_figures_of_real_aligned_budgets(name, gold):
    """Every hand-read amount of the two budgets pdftotext -layout printed (line items,
    totals, 三公) is read from their tables."""
    if name is None:
        pytest.skip(f"{CORPUS} is absent: the real pdftotext -layout budgets are NOT CHECKED")
    path = CORPUS / "shanghai-putuo" / name
    if not path.exists() or gold is None:
        pytest.skip(f"{path} or its gold figures are absent: this document is NOT CHECKED")
    parsed = json.loads(json.dumps(parse_bytes(path.read_bytes(), name), default=str))
    figures = [
        (label, detail)
        for label, ok, detail in check_doc(gold, parsed)
        if label.startswith(("totals.", "three_costs.", "line_item")) and not ok
    ]
    assert figures == []


@pytest.mark.parametrize("name", BUDGETS)
def test_real_tables_print_one_amount_a_cell_and_rows_as_wide_as_their_table(name):
    path = CORPUS / "shanghai-putuo" / name
    if not path.exists():
        pytest.skip(f"{path} is absent: its rows are NOT CHECKED")
    document = read_text(path.read_bytes(), name)
    assert document.layout == "tsv"
    cells = [cell for row in document.rows for cell in row.cells]
    assert sum(1 for cell in cells if AMOUNT.fullmatch(cell)) > 150
    assert not [cell for cell in cells if len(AMOUNT.findall(cell)) > 1]
    runs: list[list[Row]] = []
    for before, block in zip([None, *document.blocks], document.blocks, strict=False):
        if isinstance(block, Row):
            if isinstance(before, Row) and before.page == block.page:
                runs[-1].append(block)
            else:
                runs.append([block])
    assert all(len({len(row.cells) for row in run}) == 1 for run in runs)
