import io
import zipfile

import pytest
from docx import Document as new_docx

from ingest.document import Paragraph, Row, UnreadableDocument
from ingest.parser import parse_bytes
from ingest.readers import doc, read_document, sniff
from ingest.readers.archive import read_archive
from ingest.readers.sheets import number_text
from ingest.readers.text import read_text
from tests.base import SAMPLE_NAMES, sample_bytes


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


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
        (b"%PDF-1.7\n", "the PDF file is damaged"),
        (b"PK\x03\x04rest-of-a-zip", "the zip file is damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "neither a Word (.doc) nor an Excel (.xls) file"),
        (_zip({"a.txt": b"x", "b.pdf": b"%PDF"}), "upload it as a batch"),
    ],
)
def test_unreadable_files_say_why(data, message):
    with pytest.raises(UnreadableDocument, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_document(data, "input")


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_gb18030_copy_parses_identically(name):
    gb18030 = sample_bytes(name).decode("utf-8").encode("gb18030")
    assert parse_bytes(gb18030, name) == parse_bytes(sample_bytes(name), name)


def test_word_merged_cells_print_once_on_the_full_grid():
    word = new_docx()
    table = word.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "项目名称"  # vertical merge
    table.cell(0, 1).merge(table.cell(0, 3)).text = "资金来源"  # horizontal merge
    for column, text in enumerate(["合计", "一般公共预算", "其他"], start=1):
        table.cell(1, column).text = text
    for column, text in enumerate(["办公费", "1.00", "1.00", ""]):
        table.cell(2, column).text = text
    word.add_paragraph("单位：万元")
    out = io.BytesIO()
    word.save(out)
    document = read_document(out.getvalue(), "merged.docx")
    assert document.blocks == [
        Row(("项目名称", "资金来源", "", ""), 1),
        Row(("", "合计", "一般公共预算", "其他"), 2),
        Row(("办公费", "1.00", "1.00", ""), 3),
        Paragraph("单位：万元", 4),
    ]


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (394.3, "0.00", "394.30"),
        (394.3, "General", "394.3"),
        (394.3, "#,##0.00_ ", "394.30"),
        (343.0, "General", "343"),
        (343, "0.00", "343.00"),
        (939.16, "0.0", "939.16"),  # more decimals than the format shows: kept, never rounded
        (0.1 + 0.2, "0.00", "0.30000000000000004"),
        (0.95, "0%", "95%"),
        (0.125, "0.00%", "12.50%"),
        (-23.96, "0.00;[Red]-0.00", "-23.96"),
        (2010305, "0", "2010305"),
    ],
)
def test_excel_numbers_read_as_displayed_without_losing_digits(value, number_format, shown):
    assert number_text(value, number_format) == shown


def test_sniffing_tells_formats_by_content():
    word = io.BytesIO()
    new_docx().save(word)
    assert sniff(word.getvalue()) == "docx"
    assert sniff(_zip({"word/document.xml": b"<w/>"})) == "docx"
    assert sniff(_zip({"xl/workbook.xml": b"<x/>"})) == "xlsx"
    assert sniff(_zip({"a.txt": b"x"})) == "zip"
    assert sniff(b"  %PDF-1.4") == "pdf"
    assert sniff("预算".encode("gb18030")) == "text"


def test_legacy_word_without_libreoffice_says_what_is_missing(monkeypatch):
    monkeypatch.setattr(doc, "soffice", lambda: None)
    with pytest.raises(UnreadableDocument, match="legacy .doc needs LibreOffice: apt-get install"):
        doc.read_doc(b"\xd0\xcf\x11\xe0", "old.doc")


def test_an_archive_gives_its_files_in_order():
    data = _zip({"a/甲县.txt": "预算".encode(), "b.pdf": b"%PDF-1.4", "c/": b""})
    assert read_archive(data) == [("a/甲县.txt", "预算".encode()), ("b.pdf", b"%PDF-1.4")]


@pytest.mark.parametrize("path", ["../evil.txt", "a/../../evil.txt", "/etc/passwd", "C:/x.txt", "..\\x.txt"])
def test_an_archive_path_outside_its_folder_is_refused(path):
    with pytest.raises(UnreadableDocument, match="path outside its folder"):
        read_archive(_zip({"ok.txt": b"x", path: b"x"}))


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = _zip({"big.txt": b"0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        read_archive(bomb)


def test_an_archive_over_the_size_or_member_limits_is_refused():
    stored = _zip({f"{i}.txt": bytes(range(256)) * 40 for i in range(5)}, zipfile.ZIP_STORED)
    with pytest.raises(UnreadableDocument, match="unpacks to more than"):
        read_archive(stored, max_total=4 * 10240)
    with pytest.raises(UnreadableDocument, match="holds 5 files; at most 4"):
        read_archive(stored, max_members=4)


def test_a_forged_size_is_caught_while_inflating():
    data = bytearray(_zip({"a.txt": b"0" * (4 * 1024 * 1024)}))
    # Understate the uncompressed size in the central directory (and local header).
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.index(signature) + offset
        data[at : at + 4] = (1000).to_bytes(4, "little")
    with pytest.raises(UnreadableDocument, match="damaged in the zip file"):
        read_archive(bytes(data), max_ratio=10)


def test_an_archive_inside_an_archive_is_refused():
    with pytest.raises(UnreadableDocument, match="archive inside the archive"):
        read_archive(_zip({"inner.zip": _zip({"a.txt": b"x"})}))
