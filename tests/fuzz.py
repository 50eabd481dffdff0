"""Hostile inputs for the fuzz tests (tests/test_fuzz.py) and the long campaign (`make fuzz`).

Two kinds of input, both Hypothesis strategies of (file name, bytes):

- `mutated_samples`: the five sample disclosures changed as bad luck and attackers change
  files (bytes flipped, lines deleted, shuffled or repeated, truncation, numbers with
  thousands of digits or letters in them, tabs added and removed, other encodings, random
  Unicode, NULs, very long lines);
- `generated_files`: Excel, Word, PDF, web pages and zip batches built here from a sample's
  lines, then made hostile (a far cell, a merge over the whole sheet, too many rows, a
  gridSpan of a billion, malformed or entity-bombed XML, zip and flate bombs, passwords).

`outcome` runs one input through a reader or the parser and says what happened: a result,
the project's refusal (`UnreadableDocument`, one line), or anything else (a crash).
"""

import functools
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from ingest.document import UnreadableDocument

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_FILES = tuple((path.name, path.read_bytes()) for path in sorted(SAMPLES.glob("*.txt")))
CRASHERS = Path(__file__).resolve().parent / "data" / "fuzz"

_NUMBER = re.compile(rb"\d+(?:\.\d+)?")
# Mutations stop growing an input past this (beyond the 20 MB text bound, so that is tested
# too): composed, a long line with every number made 5,000 digits long once filled 24 GB.
MAX_INPUT = 32 * 1024 * 1024
# At most so many numbers are made huge in one input.
HUGE_NUMBERS = 200


# --- mutations of the samples ------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def flip_bytes(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 16))):
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    return bytes(out)


def delete_lines(draw, data: bytes) -> bytes:
    lines = _lines(data)
    start = draw(st.integers(0, len(lines) - 1))
    return b"\n".join(lines[:start] + lines[start + draw(st.integers(1, 40)) :])


def shuffle_lines(draw, data: bytes) -> bytes:
    lines = _lines(data)
    draw(st.randoms(use_true_random=False)).shuffle(lines)
    return b"\n".join(lines)


def truncate(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def huge_numbers(draw, data: bytes) -> bytes:
    """Some printed numbers made thousands of digits long, or just past what a budget holds."""
    digits = draw(st.sampled_from([11, 13, 17, 40, 5000]))
    every = draw(st.integers(1, 20))
    count = iter(range(10**9))
    huge = b"9" * digits + b".5"
    return _NUMBER.sub(
        lambda m: huge if next(count) % every == 0 else m.group(), data, count=HUGE_NUMBERS * every
    )


def lettered_numbers(draw, data: bytes) -> bytes:
    """Numbers printed with a letter, a circled digit, a dash or a comma in them."""
    junk = draw(st.sampled_from(["a", "①", "-", ",", "元", "O", "l", "．", "%", "e5", "∞"])).encode()
    every = draw(st.integers(1, 10))
    count = iter(range(10**9))

    def spoil(match):
        text = match.group()
        if next(count) % every:
            return text
        cut = len(text) // 2
        return text[:cut] + junk + text[cut:]

    return _NUMBER.sub(spoil, data)


def retab(draw, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(draw(st.integers(1, 30))):
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = lines[index].replace(b"\t", b"") if b"\t" in lines[index] else b"\t" + lines[index]
    return b"\n".join(lines)


def reencode(draw, data: bytes) -> bytes:
    encoding = draw(st.sampled_from(["gb18030", "utf-16", "utf-16-be", "utf-8-sig", "big5", "shift_jis"]))
    return data.decode("utf-8", errors="replace").encode(encoding, errors="replace")


def random_unicode(draw, data: bytes) -> bytes:
    text = draw(st.text(min_size=1, max_size=200)).encode("utf-8", errors="surrogatepass")
    at = draw(st.integers(0, len(data)))
    return data[:at] + text + data[at:]


def nul_characters(draw, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(draw(st.integers(1, 20))):
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = lines[index] + b"\x00"
    return b"\n".join(lines)


def long_line(draw, data: bytes) -> bytes:
    lines = _lines(data)
    index = draw(st.integers(0, len(lines) - 1))
    times = min(draw(st.sampled_from([100, 1000, 20000])), MAX_INPUT // max(1, len(lines[index])))
    lines[index] = lines[index] * times
    return b"\n".join(lines)


def repeated_rows(draw, data: bytes) -> bytes:
    """A coded table row, or a sentence, printed over and over."""
    lines = _lines(data)
    rows = [i for i, line in enumerate(lines) if re.match(rb"\s*\d{3,7}\t", line)] or [0]
    index = draw(st.sampled_from(rows))
    times = min(draw(st.sampled_from([50, 500, 5000])), MAX_INPUT // (len(lines[index]) + 1))
    return b"\n".join(lines[:index] + [lines[index]] * times + lines[index:])


def wrong_cells(draw, data: bytes) -> bytes:
    """Amounts replaced by what real tables print where they have none."""
    cell = draw(st.sampled_from(["-", "1.51元", "1,51", "9①", "——", "", "0", "-0", "1e999", "NaN"])).encode()
    every = draw(st.integers(1, 6))
    count = iter(range(10**9))
    return _NUMBER.sub(lambda m: cell if next(count) % every == 0 else m.group(), data)


MUTATIONS = (
    flip_bytes,
    delete_lines,
    shuffle_lines,
    truncate,
    huge_numbers,
    lettered_numbers,
    retab,
    reencode,
    random_unicode,
    nul_characters,
    long_line,
    repeated_rows,
    wrong_cells,
)


@st.composite
def mutated_samples(draw) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(SAMPLE_FILES))
    for mutate in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        if data and len(data) <= MAX_INPUT:
            data = mutate(draw, data)
    return name, data


# --- files built from a sample -----------------------------------------------------------


def sample_rows(name: str = "gaoyi-2022.txt", limit: int = 120) -> list[list[str]]:
    """The first lines of a sample as cells (tab-separated), for building other formats."""
    text = dict(SAMPLE_FILES)[name].decode("utf-8")
    return [line.split("\t") for line in text.split("\n")[:limit]]


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_cell_value(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell_value(text: str):
    try:
        return float(text) if re.fullmatch(r"-?\d{1,12}(\.\d+)?", text) else text
    except ValueError:
        return text


def docx_bytes(rows: list[list[str]]) -> bytes:
    from docx import Document

    document = Document()
    table = None
    for row in rows:
        cells = [c for c in row]
        if len(cells) < 2:
            table = None
            document.add_paragraph(cells[0] if cells else "")
            continue
        if table is None or len(table.columns) != len(cells):
            table = document.add_table(rows=0, cols=len(cells))
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite_member(data: bytes, member: str, change) -> bytes:
    """The zip `data` with one member's bytes passed through `change`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


def add_member(data: bytes, member: str, content_chunks, size: int) -> bytes:
    """The zip `data` with one more member, written in chunks (a bomb need not sit in memory)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as target:
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = size
        with target.open(info, "w", force_zip64=True) as stream:
            for chunk in content_chunks:
                stream.write(chunk)
    return out.getvalue()


def zeros(size: int, chunk: int = 1 << 20):
    for start in range(0, size, chunk):
        yield b"\0" * min(chunk, size - start)


def entity_bomb(xml: bytes) -> bytes:
    """XML whose first text expands nested entities to about ten billion characters."""
    names = [f"e{i}" for i in range(10)]
    entities = '<!ENTITY e0 "lol">' + "".join(
        f'<!ENTITY {names[i]} "{("&" + names[i - 1] + ";") * 10}">' for i in range(1, 10)
    )
    start = xml.index(b"?>") + 2
    root = re.search(rb"<(\w+:\w+)", xml[start:]).group(1).decode()
    bombed = xml[:start] + f"<!DOCTYPE {root} [{entities}]>".encode() + xml[start:]
    return re.sub(rb"(<w:t(?: [^>]*)?>)", rb"\1&e9;", bombed, count=1)


@st.composite
def hostile_xlsx(draw) -> tuple[str, bytes]:
    rows = sample_rows(draw(st.sampled_from([n for n, _ in SAMPLE_FILES])), draw(st.integers(5, 150)))
    if draw(st.booleans()):
        rows = [
            [draw(st.sampled_from(["9" * 40, "1" * 11, "-", "1.51元", cell])) for cell in row] for row in rows
        ]
    data = xlsx_bytes(rows)
    trick = draw(
        st.sampled_from(["none", "far_cell", "merge_all", "many_merges", "many_rows", "wide_row", "bad_xml"])
    )
    sheet = "xl/worksheets/sheet1.xml"
    if trick == "far_cell":
        data = rewrite_member(data, sheet, _far_cell)
    elif trick == "merge_all":
        data = rewrite_member(data, sheet, lambda xml: _merges(xml, ["A1:XFD1048576"]))
    elif trick == "many_merges":
        data = rewrite_member(data, sheet, lambda xml: _merges(xml, [f"A{r}:B{r}" for r in range(1, 20002)]))
    elif trick == "many_rows":
        count = draw(st.sampled_from([2_000, 60_000]))
        data = rewrite_member(data, sheet, lambda xml: _rows(xml, count))
    elif trick == "wide_row":
        data = rewrite_member(data, sheet, lambda xml: _wide_row(xml, draw(st.sampled_from([300, 16_384]))))
    elif trick == "bad_xml":
        data = rewrite_member(data, sheet, lambda xml: xml[: len(xml) // 2])
    return "hostile.xlsx", data


def _far_cell(xml: bytes) -> bytes:
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace(b"</sheetData>", far + b"</sheetData>")


def _merges(xml: bytes, ranges: list[str]) -> bytes:
    merges = "".join(f'<mergeCell ref="{r}"/>' for r in ranges)
    block = f'<mergeCells count="{len(ranges)}">{merges}</mergeCells>'.encode()
    xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
    return xml.replace(b"</sheetData>", b"</sheetData>" + block)


def _rows(xml: bytes, count: int) -> bytes:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1</v></c></row>' for r in range(1, count)
    )
    return re.sub(
        rb"<sheetData>.*</sheetData>|<sheetData/>", f"<sheetData>{rows}</sheetData>".encode(), xml, flags=re.S
    )


def _wide_row(xml: bytes, width: int) -> bytes:
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(c)}1"><v>{c}</v></c>' for c in range(1, width + 1))
    return re.sub(rb"<sheetData>", f'<sheetData><row r="1">{cells}</row>'.encode(), xml, count=1)


@st.composite
def hostile_docx(draw) -> tuple[str, bytes]:
    rows = sample_rows(draw(st.sampled_from([n for n, _ in SAMPLE_FILES])), draw(st.integers(5, 120)))
    data = docx_bytes(rows)
    document = "word/document.xml"
    trick = draw(
        st.sampled_from(["none", "grid_span", "odd_span", "grid_before", "bad_xml", "laughs", "bomb", "nul"])
    )
    if trick == "grid_span":
        span = draw(st.sampled_from(["1000000000", "5000", "-3", "0"]))
        data = rewrite_member(data, document, lambda xml: _span(xml, b"gridSpan", span))
    elif trick == "odd_span":
        data = rewrite_member(
            data, document, lambda xml: _span(xml, b"gridSpan", draw(st.sampled_from(["x", "2.5", ""])))
        )
    elif trick == "grid_before":
        data = rewrite_member(
            data, document, lambda xml: _grid_before(xml, draw(st.sampled_from(["999999999", "a"])))
        )
    elif trick == "bad_xml":
        data = rewrite_member(data, document, lambda xml: xml[: draw(st.integers(10, len(xml) - 1))])
    elif trick == "laughs":
        data = rewrite_member(data, document, entity_bomb)
    elif trick == "bomb":
        data = add_member(data, "word/media/padding.bin", zeros(64 << 20), 64 << 20)
    elif trick == "nul":
        data = rewrite_member(data, document, lambda xml: xml.replace(b"</w:t>", b"&#0;</w:t>", 5))
    return "hostile.docx", data


def _span(xml: bytes, tag: bytes, value: str) -> bytes:
    """The first table cell given a `tag` property (gridSpan) of `value`."""
    return xml.replace(b"<w:tcPr>", b"<w:tcPr><w:" + tag + b' w:val="' + value.encode() + b'"/>', 1)


def _grid_before(xml: bytes, value: str) -> bytes:
    return xml.replace(
        b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="' + value.encode() + b'"/></w:trPr>', 1
    )


def pdf_bytes(lines: list[str], *, pages: int = 1, bomb: int = 0, encrypted: bool = False) -> bytes:
    """A minimal PDF written by hand: `pages` pages printing `lines` in Helvetica (ASCII only),
    the content streams flate-compressed; `bomb` adds a flate stream inflating to that many
    bytes, `encrypted` an /Encrypt dictionary whose open password is not empty."""
    text = "".join(f"({_pdf_escape(line)}) Tj 0 -14 Td " for line in lines)
    content = zlib.compress(f"BT /F1 10 Tf 40 800 Td {text}ET".encode("latin-1", errors="replace"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    ] * pages
    if bomb:
        packed = flate_zeros(bomb)
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
        )
    trailer_extra = b""
    if encrypted:
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
        )
        trailer_extra = (
            b" /Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"
            % len(objects)
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


@functools.cache
def flate_zeros(size: int) -> bytes:
    """`size` zero bytes deflated (kept: a bomb is built once per run)."""
    compressor = zlib.compressobj(9)
    return b"".join(compressor.compress(chunk) for chunk in zeros(size)) + compressor.flush()


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


@st.composite
def hostile_pdf(draw) -> tuple[str, bytes]:
    lines = draw(
        st.lists(
            st.sampled_from(["2022 Budget", "Income 100.00", "201 General 12.5", "x" * 300]), max_size=40
        )
    )
    trick = draw(st.sampled_from(["none", "bomb", "pages", "encrypted", "flip", "truncate", "trailing"]))
    data = pdf_bytes(
        lines,
        pages=draw(st.sampled_from([2, 3000])) if trick == "pages" else 1,
        bomb=(300 << 20) if trick == "bomb" else 0,
        encrypted=trick == "encrypted",
    )
    if trick == "flip":
        data = flip_bytes(draw, data)
    elif trick == "truncate":
        data = data[: draw(st.integers(8, len(data)))]
    elif trick == "trailing":  # bytes between the flate data and `endstream`, as real producers leave
        data = data.replace(
            b"\nendstream", b"\r\n" + draw(st.binary(min_size=1, max_size=8)) + b"\nendstream"
        )
    return "hostile.pdf", data


@st.composite
def hostile_html(draw) -> tuple[str, bytes]:
    rows = sample_rows(draw(st.sampled_from([n for n, _ in SAMPLE_FILES])), draw(st.integers(5, 150)))
    span = draw(st.sampled_from(["1", "2", "0", "999", "1000000000", "x", "-1"]))
    body = "".join(
        f"<p>{cells[0]}</p>"
        if len(cells) < 2
        else "<tr>"
        + "".join(f'<td colspan="{span if i == 0 else 1}">{c}</td>' for i, c in enumerate(cells))
        + "</tr>"
        for cells in rows
    )
    prefix = draw(
        st.sampled_from(
            ["", '<!DOCTYPE html [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>', "<div>" * 5000]
        )
    )
    html = f"{prefix}<html><head><meta charset='utf-8'></head><body><table>{body}</table></body></html>"
    return "hostile.html", html.encode("utf-8")


@st.composite
def hostile_zip(draw) -> tuple[str, bytes]:
    """A batch of disclosures: samples, Office files and PDFs, or a zip bomb."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in draw(
            st.lists(st.sampled_from(SAMPLE_FILES), min_size=1, max_size=3, unique_by=lambda f: f[0])
        ):
            archive.writestr(name, data)
        kind = draw(st.sampled_from(["none", "office", "nested", "traversal", "bomb"]))
        if kind == "office":
            archive.writestr("table.xlsx", xlsx_bytes(sample_rows(limit=20)))
            archive.writestr("report.docx", docx_bytes(sample_rows(limit=20)))
            archive.writestr("report.pdf", pdf_bytes(["2022 Budget"]))
        elif kind == "nested":
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as nested:
                nested.writestr("a.txt", b"x")
            archive.writestr("inner.zip", inner.getvalue())
        elif kind == "traversal":
            archive.writestr("../evil.txt", b"x")
    data = out.getvalue()
    if kind == "bomb":
        data = add_member(data, "bomb.txt", zeros(64 << 20), 64 << 20)
    return "batch.zip", data


def generated_files():
    return st.one_of(hostile_xlsx(), hostile_docx(), hostile_pdf(), hostile_html(), hostile_zip())


def crasher_files() -> list[tuple[str, bytes]]:
    """The kept inputs that once crashed the parser (tests/data/fuzz)."""
    return [(path.name, path.read_bytes()) for path in sorted(CRASHERS.glob("*")) if path.is_file()]


# --- running one input -------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "ok", "refused" or "crash"
    detail: str = ""
    result: object = None


def outcome(function, data: bytes, name: str) -> Outcome:
    """What one reader or the parser does with one input: any exception but the refusal is a crash."""
    try:
        return Outcome("ok", result=function(data, name))
    except UnreadableDocument as refusal:
        return Outcome("refused", str(refusal))
    except Exception as error:  # the harness exists to count these
        return Outcome("crash", f"{type(error).__name__}: {str(error)[:200]}")


def is_clear_message(message: str) -> bool:
    """A refusal a user can read: one line, not empty, not a Python repr."""
    return (
        bool(message.strip()) and "\n" not in message and len(message) <= 400 and "Traceback" not in message
    )
