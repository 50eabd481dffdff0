"""The PDF reader does not depend on how the PDF was made: the samples with the most
tables, set by their Word file's producer on other paper, margins, fonts and font sizes,
with columns that make names wrap in their cells, header rows repeated on each page, or
tables ruled only between rows, read to the same figures as their text.

Each style is a python-docx setting LibreOffice renders (tests/renditions.py); all the
PDFs are converted in one LibreOffice call per test session."""

import json
import re

import pytest

from ingest.gold import check_doc
from ingest.parser import parse_bytes, parse_document
from ingest.readers import read_document
from ingest.readers.doc import soffice
from tests.base import ROOT, sample_bytes
from tests.renditions import PageStyle, build_docx, convert_all

GOLD = json.loads((ROOT / "tests" / "data" / "gold_seeds.json").read_text(encoding="utf-8"))
SAMPLES = ("gaoyi-2022.txt", "laiyuan-2016.txt")
SERIF = {"cjk_font": "Noto Serif CJK SC", "latin_font": "Liberation Serif"}
A4_PORTRAIT = {"width": 11906, "height": 16838}
STYLES = {
    # Word's defaults for Chinese documents: A4 portrait, wide side margins, 五号 (10.5 pt)
    # Song-style text with Times-like digits, rows that may break across pages; smaller
    # table text.
    "a4-portrait-serif": PageStyle(
        **A4_PORTRAIT, margins=(1440, 1800, 1440, 1800), **SERIF, size=10.5, table_size=9, rows_break=True
    ),
    # Letter landscape, small sans text with Arial-like digits, equal columns, header rows
    # repeated on each page.
    "letter-landscape": PageStyle(
        width=15840,
        height=12240,
        margins=(1080, 1080, 1080, 1080),
        latin_font="Liberation Sans",
        size=8,
        equal_columns=True,
        repeat_header=True,
    ),
    # A narrow page in large type: paragraphs wrap, names wrap over several lines in their
    # cells, rows taller than a page break across it.
    "narrow-page": PageStyle(
        width=7920,
        height=14400,
        margins=(720, 567, 720, 567),
        **SERIF,
        size=12,
        table_size=10,
        equal_columns=True,
    ),
    # No rules at the table's left and right sides, as many county tables are set.
    "open-sides": PageStyle(
        **A4_PORTRAIT,
        margins=(1440, 1080, 1440, 1080),
        latin_font="Liberation Serif",
        size=9,
        edges=("top", "bottom", "insideH", "insideV"),
    ),
}
CASES = [(style, name) for style in STYLES for name in SAMPLES]


@pytest.fixture(scope="session")
def layout_pdfs(tmp_path_factory) -> dict[tuple[str, str], bytes]:
    """(style, sample) → the PDF LibreOffice renders from the sample's Word file in that style."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: PDF layout tests SKIPPED")
    folder = tmp_path_factory.mktemp("pdf-layouts")
    for style, name in CASES:
        data = build_docx(sample_bytes(name), name, STYLES[style])
        (folder / f"{style}--{name.removesuffix('.txt')}.docx").write_bytes(data)
    convert_all(sorted(folder.glob("*.docx")), "pdf", folder / "pdf", folder / "profile").wait(timeout=300)
    return {
        (style, name): (folder / "pdf" / f"{style}--{name.removesuffix('.txt')}.pdf").read_bytes()
        for style, name in CASES
    }


def _items(parsed) -> list[tuple]:
    """Each line item as (kind, code, name without spaces, amount), in a stable order."""
    return sorted(
        (it["kind"], it["code"] or "", re.sub(r"\s+", "", it["name"] or ""), str(it["amount"]))
        for it in parsed["line_items"]
    )


@pytest.mark.parametrize(("style", "name"), CASES)
def test_a_pdf_reads_the_same_whatever_its_layout(layout_pdfs, style, name):
    document = read_document(layout_pdfs[style, name], f"{name}.pdf")
    parsed = json.loads(json.dumps(parse_document(document), default=str))
    failures = [f"{label}: {detail}" for label, ok, detail in check_doc(GOLD[name], parsed) if not ok]
    assert failures == []
    text = parse_bytes(sample_bytes(name), name)
    assert [t["kind"] for t in parsed["tables"]] == [t["kind"] for t in text["tables"]]
    assert parsed["unread"] == text["unread"]
    # Every line item once, its name whole: a name wrapped in its cell or cut by a page
    # break is not two items.
    assert _items(parsed) == _items(text)
