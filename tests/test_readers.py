import pytest

from ingest.document import Paragraph, Row, UnreadableDocument
from ingest.readers import read_document
from ingest.readers.text import read_text
from tests.base import SAMPLE_NAMES, sample_bytes


@pytest.mark.parametrize("name", SAMPLE_NAMES)
@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("gb18030"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-16-le"),
        lambda t: t.encode("utf-16-be"),
        lambda t: t.replace("\n", "\r\n").encode("gb18030"),
    ],
    ids=["gb18030", "utf-8-bom", "utf-16-bom", "utf-16-le", "utf-16-be", "gb18030-crlf"],
)
def test_every_encoding_reads_to_the_same_document(name, encode):
    utf8 = read_text(sample_bytes(name), name)
    other = read_text(encode(sample_bytes(name).decode("utf-8")), name)
    assert other == utf8


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("gaoyi-2019.txt", "tsv"),
        ("gaoyi-2022.txt", "tsv"),
        ("laiyuan-2016.txt", "cells"),
        ("pingxiang-2021.txt", "cells"),
        ("wuji-2018.txt", "cells"),
    ],
)
def test_layout_is_detected(name, layout):
    assert read_text(sample_bytes(name), name).layout == layout


def test_tsv_rows_and_paragraphs_keep_their_lines():
    text = "部门预算收支总表\n\n序号\t收入\t\t支出\n1\t一、一般公共预算拨款收入\t394.30\n"
    document = read_text(text.encode(), "t")
    assert document.blocks == [
        Paragraph("部门预算收支总表", 1),
        Row(("序号", "收入", "", "支出"), 3),
        Row(("1", "一、一般公共预算拨款收入", "394.30"), 4),
    ]


def test_word_cells_become_rows_with_multiline_cells_and_no_bookmarks():
    text = (
        "[bookmark: _Toc1]1.某项目绩效目标表\n\t绩效目标\n\t1.第一条\n2.第二条\n\n"
        "\t一级指标\n\t\n\t指标值\n\n正文\n"
    )
    document = read_text(text.encode(), "w")
    assert document.layout == "cells"
    assert document.blocks == [
        Paragraph("1.某项目绩效目标表", 1),
        Row(("绩效目标", "1.第一条\n2.第二条"), 2),
        Row(("一级指标", "", "指标值"), 6),
        Paragraph("正文", 10),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b" \n\t\n", "empty"),
        (bytes(range(256)) * 16, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        (b"%PDF-1.7\n", "PDF"),
        (b"PK\x03\x04rest-of-a-zip", "Word (.docx), Excel (.xlsx) or zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Word (.doc) or Excel (.xls)"),
    ],
)
def test_unreadable_files_say_why(data, message):
    with pytest.raises(UnreadableDocument, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_document(data, "input")
