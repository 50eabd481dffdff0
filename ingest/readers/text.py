"""Read plain-text disclosures: the two layouts that text-extraction tools produce.

- ``tsv``: one table row per line, cells separated by tabs (text pulled from PDFs).
  Lines without a tab are paragraphs.
- ``cells``: one cell per line (text saved from Word). A row is a run of lines that
  start with a tab, ended by a blank line; a line without a leading tab inside such a
  run continues the cell above it (a cell with line breaks). A line holding only a tab
  is an empty cell.

Encodings are detected, not assumed: a BOM first, then strict UTF-8, UTF-16 without
BOM, then GB18030 (a superset of GBK and GB2312).
"""

import re

from ingest.document import Document, Paragraph, Row, UnreadableDocument

# Word leaves bookmark anchors in its text export: "[bookmark: _Toc471398463]第一部分".
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# Text that is mostly control characters is a binary file, whatever its name says.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text disclosure, or raise UnreadableDocument."""
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    text = _decode(data)
    if len(_CONTROL.findall(text[:4096])) > 16:
        raise UnreadableDocument("the file is binary, not text: upload a PDF, Word, Excel or text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a BOM: every ASCII character has a zero byte beside it.
        odd_zeros = sample[1::2].count(0) > sample[0::2].count(0)
        return data.decode("utf-16-le" if odd_zeros else "utf-16-be", errors="replace")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(
            "the text is neither UTF-8, UTF-16 nor GB18030 (GBK): save it in one of these encodings"
        ) from exc


def detect_layout(lines: list[str]) -> str:
    """``cells`` when most tabbed lines start with a tab and hold no other, else ``tsv``."""
    one_cell = sum(1 for line in lines if line.startswith("\t") and "\t" not in line[1:])
    many_cells = sum(1 for line in lines if "\t" in line.strip("\t") or re.match(r"[^\t]+\t", line))
    return "cells" if one_cell > many_cells else "tsv"


def read_text(data: bytes, name: str) -> Document:
    """Read a text disclosure (bytes in any supported encoding) into a Document."""
    lines = [_BOOKMARK.sub("", line) for line in decode_text(data).split("\n")]
    layout = detect_layout(lines)
    reader = _read_cells if layout == "cells" else _read_tsv
    document = Document(name=name, layout=layout, blocks=list(reader(lines)))
    if not document.blocks:
        raise UnreadableDocument("the file holds no text")
    return document


def _read_tsv(lines):
    for number, line in enumerate(lines, start=1):
        if "\t" in line:
            yield Row(cells=tuple(c.rstrip() for c in line.split("\t")), line=number)
        elif line.strip():
            yield Paragraph(text=line.strip(), line=number)


def _read_cells(lines):
    cells: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if not cells:
                start = number
            cells.extend(c.rstrip() for c in line[1:].split("\t"))
        elif cells and line.strip():
            cells[-1] = f"{cells[-1]}\n{line.strip()}".strip()
        else:
            if cells:
                yield Row(cells=tuple(cells), line=start)
                cells = []
            if line.strip():
                yield Paragraph(text=line.replace("\t", " ").strip(), line=number)
    if cells:
        yield Row(cells=tuple(cells), line=start)
