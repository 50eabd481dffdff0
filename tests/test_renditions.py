"""Every gold figure of the five samples holds for their Word, Excel, PDF and web-page
renditions (tests/renditions.py builds them from the text), so the figures of a disclosure
do not depend on its format. PDF, .doc and .xls renditions need LibreOffice
(scripts/ensure_system_packages.sh); where it is missing those tests are skipped loudly.

The renditions are built and converted once per session: LibreOffice converts all the
files of one target in a single call, the three targets side by side."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from ingest.document import Row, UnreadableDocument
from ingest.gold import check_doc
from ingest.parser import parse_bytes, parse_document
from ingest.readers import read_document, sniff
from ingest.readers.doc import soffice
from tests.base import ROOT, SAMPLE_NAMES, sample_bytes
from tests.renditions import PageStyle, build_docx, build_html, build_xlsx, convert_all

GOLD = json.loads((ROOT / "tests" / "data" / "gold_seeds.json").read_text(encoding="utf-8"))
NO_SOFFICE = (
    "LibreOffice (soffice) is not installed: PDF, .doc and .xls rendition tests SKIPPED "
    "(run scripts/ensure_system_packages.sh as root)"
)
# Writing .xls needs LibreOffice Calc besides Writer (xlwt is not a dependency).
CALC = Path("/usr/lib/libreoffice/program/libsclo.so")
SPLIT = "split-table"
# The same table as a producer may set it: its header row repeated on each page, rows
# free to break across pages, on a narrow page where the text wraps over several lines.
SPLIT_REPEATED = "split-table-repeated"
SPLIT_REPEATED_STYLE = PageStyle(
    width=7920, height=11906, size=10.5, equal_columns=True, repeat_header=True, rows_break=True
)
# Reading a .doc converts it again with LibreOffice (2-3 s each): one sample of each text
# layout is enough to show the conversion keeps tables as tables.
DOC_SAMPLES = ("gaoyi-2019", "laiyuan-2016")
# One long budget table with a narrow column of long Chinese text: it runs over two
# pages, and its cells wrap inside their ruled boxes.
SPLIT_ROWS = [["序号", "项目名称", "说明", "金额"]] + [
    [
        str(i),
        f"办公设备购置项目第{i}批",
        "用于保障县政府办公室日常运转和政务公开工作的设备购置",
        f"{i * 3}.{i % 10}0",
    ]
    for i in range(1, 41)
]


def _split_docx(style: PageStyle | None = None) -> bytes:
    text = "部门预算项目表\n" + "\n".join("\t".join(row) for row in SPLIT_ROWS) + "\n"
    return build_docx(text.encode(), SPLIT, style) if style else build_docx(text.encode(), SPLIT)


@pytest.fixture(scope="session")
def renditions(tmp_path_factory) -> dict[tuple[str, str], bytes]:
    """(format, sample name) → the rendition's bytes, for every format this machine can build."""
    folder = tmp_path_factory.mktemp("renditions")
    files: dict[tuple[str, str], bytes] = {}
    for name in SAMPLE_NAMES:
        stem = name.removesuffix(".txt")
        files["docx", name] = build_docx(sample_bytes(name), name)
        files["xlsx", name] = build_xlsx(sample_bytes(name), name)
        files["html", name] = build_html(sample_bytes(name), name)
        (folder / f"{stem}.docx").write_bytes(files["docx", name])
        (folder / f"{stem}.xlsx").write_bytes(files["xlsx", name])
    (folder / f"{SPLIT}.docx").write_bytes(_split_docx())
    (folder / f"{SPLIT_REPEATED}.docx").write_bytes(_split_docx(SPLIT_REPEATED_STYLE))
    docx = sorted(folder.glob("*.docx"))
    jobs = {
        "pdf": convert_all(docx, "pdf", folder / "pdf", folder / "profile-pdf"),
        "doc": convert_all(
            [p for p in docx if p.stem in DOC_SAMPLES], "doc", folder / "doc", folder / "profile-doc"
        ),
        "xls": convert_all(sorted(folder.glob("*.xlsx")), "xls", folder / "xls", folder / "profile-xls"),
    }
    for target, job in jobs.items():
        if job is None:
            continue
        job.wait(timeout=300)
        for path in (folder / target).glob(f"*.{target}"):
            name = path.stem if path.stem in (SPLIT, SPLIT_REPEATED) else f"{path.stem}.txt"
            files[target, name] = path.read_bytes()
    return files


@pytest.fixture(scope="session")
def documents(renditions):
    """The Document read from each rendition, read once for all the tests that need it."""
    cache: dict[tuple[str, str], object] = {}

    def read(kind: str, name: str):
        if (kind, name) not in cache:
            cache[kind, name] = read_document(_rendition(renditions, kind, name), name)
        return cache[kind, name]

    return read


def _rendition(renditions, kind: str, name: str) -> bytes:
    if (kind, name) not in renditions:
        if soffice() is None:
            pytest.skip(NO_SOFFICE)
        if kind == "xls" and not CALC.exists():
            pytest.skip(
                "LibreOffice Calc is not installed: .xls rendition tests SKIPPED "
                "(apt-get install libreoffice-calc-nogui)"
            )
        pytest.fail(f"LibreOffice did not convert {name} to {kind}")
    return renditions[kind, name]


CASES = [(kind, name) for kind in ("docx", "xlsx", "html", "pdf", "xls") for name in SAMPLE_NAMES] + [
    ("doc", f"{stem}.txt") for stem in DOC_SAMPLES
]


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_every_gold_figure_holds_for_each_rendition(renditions, documents, kind, name):
    assert sniff(_rendition(renditions, kind, name)) == kind
    parsed = json.loads(json.dumps(parse_document(documents(kind, name)), default=str))
    failures = [f"{label}: {detail}" for label, ok, detail in check_doc(GOLD[name], parsed) if not ok]
    assert failures == []
    # Beyond the gold: the same tables found and the same things missing as in the text.
    text = parse_bytes(sample_bytes(name), name)
    assert [t["kind"] for t in parsed["tables"]] == [t["kind"] for t in text["tables"]]
    assert parsed["unread"] == text["unread"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_pdf_blocks_keep_their_pages(documents, name):
    document = documents("pdf", name)
    pages = [block.page for block in document.blocks]
    assert None not in pages and pages == sorted(pages) and pages[-1] > 1
    assert [block.line for block in document.blocks] == list(range(1, len(document.blocks) + 1))


def test_a_table_split_over_two_pdf_pages_reads_whole(renditions):
    document = read_document(_rendition(renditions, "pdf", SPLIT), "split.pdf")
    rows = [block for block in document.blocks if isinstance(block, Row)]
    # Every row once, in order, its wrapped cells joined without spaces or line breaks.
    assert [list(row.cells) for row in rows] == SPLIT_ROWS
    assert {row.page for row in rows} == {1, 2}
    assert document.paragraphs[0].text == "部门预算项目表"


def test_a_table_with_its_header_repeated_and_rows_cut_by_page_breaks_reads_whole(renditions):
    document = read_document(_rendition(renditions, "pdf", SPLIT_REPEATED), "split.pdf")
    rows = [block for block in document.blocks if isinstance(block, Row)]
    # The header once, no row twice or in two parts, though pages repeat the header and
    # break rows that wrap over several lines.
    assert [list(row.cells) for row in rows] == SPLIT_ROWS
    assert len({row.page for row in rows}) > 2


def test_a_scanned_pdf_is_refused_as_a_scan():
    image = Image.new("L", (600, 800), color=255)
    for x in range(100, 500):
        image.putpixel((x, 400), 0)  # some ink, no text
    out = io.BytesIO()
    image.save(out, "PDF", resolution=72)
    with pytest.raises(UnreadableDocument) as raised:
        read_document(out.getvalue(), "scan.pdf")
    assert raised.value.code == "pdf_scan"
    assert str(raised.value).startswith("this PDF has no text layer: it is a scan")


def test_pdf_figures_say_the_page_they_were_printed_on(documents):
    parsed = parse_document(documents("pdf", "gaoyi-2022.txt"))
    document = documents("pdf", "gaoyi-2022.txt")
    page_of = {block.line: block.page for block in document.blocks}
    expenditure = parsed["sources"]["totals"]["expenditure"]
    assert expenditure["table"] == "部门预算收支总表"
    assert expenditure["page"] == page_of[expenditure["line"]] > 1
    assert all(item["source"]["page"] == page_of[item["source"]["line"]] for item in parsed["line_items"])
    assert all(indicator["source"]["page"] for indicator in parsed["indicators"])
    assert all(finding["page"] for finding in parsed["findings"] if finding.get("line"))
    # Text has lines and no pages.
    assert "page" not in parse_bytes(sample_bytes("gaoyi-2022.txt"), "g")["sources"]["totals"]["expenditure"]
