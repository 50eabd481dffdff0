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
from dataclasses import replace

from ingest.bounds import check_lines, limit
from ingest.document import Document, Paragraph, Row, UnreadableDocument

# Word leaves bookmark anchors in its text export: "[bookmark: _Toc471398463]第一部分".
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# Text that is mostly control characters is a binary file, whatever its name says.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Chinese characters, CJK and full-width punctuation, Latin-1, general punctuation, symbols.
_PLAUSIBLE = re.compile(
    r"[\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef\u00a0-\u00ff\u2000-\u206f\u2100-\u22ff\u25a0-\u25ff]"
)


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text disclosure, or raise UnreadableDocument."""
    if not data.strip():
        raise UnreadableDocument("file_empty")
    most = limit("text_bytes")
    if len(data) > most:  # before decoding: a decoded character takes up to four bytes
        raise UnreadableDocument("text_too_large", mb=most // 2**20)
    return _decode(data).replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="replace"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(data.decode("utf-16", errors="replace"))
    candidates = ["utf-8"]
    if b"\x00" in data[:4096]:
        # GB18030 and UTF-8 text never hold a zero byte; UTF-16 has one beside every
        # newline, digit and ASCII letter.
        candidates += ["utf-16-le", "utf-16-be"]
    candidates.append("gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    if _CONTROL.search(data[:4096].decode("latin-1")):
        raise UnreadableDocument("binary")
    raise UnreadableDocument("text_encoding")


def _checked(text: str) -> str:
    if not _looks_like_text(text):
        raise UnreadableDocument("binary")
    return text


def _looks_like_text(text: str) -> bool:
    """Most characters of a disclosure are Chinese, ASCII or CJK punctuation; bytes
    decoded with the wrong encoding (or binary data) scatter over other scripts."""
    sample = text[:4096]
    if not sample or len(_CONTROL.findall(sample)) > 16:
        return False
    plausible = sum(
        1 for ch in sample if ch.isascii() and (ch.isprintable() or ch in "\t\r\n") or _PLAUSIBLE.match(ch)
    )
    return plausible >= 0.9 * len(sample)


# pdftotext separates columns with runs of spaces (`-layout`) or single spaces (`-raw`).
_ALIGNED_GAP = re.compile(r"\S {3,}\S")


def detect_layout(lines: list[str]) -> str:
    """``cells`` when most tabbed lines start with a tab and hold no other, ``tsv`` when lines
    hold tabs; without tabs, ``aligned`` when many lines space their columns apart
    (pdftotext -layout), else ``raw`` (pdftotext -raw: reading order, one space)."""
    if not any("\t" in line for line in lines):
        gapped = sum(1 for line in lines if _ALIGNED_GAP.search(line.strip()))
        return "aligned" if gapped * 5 >= sum(1 for line in lines if line.strip()) else "raw"
    one_cell = sum(1 for line in lines if line.startswith("\t") and "\t" not in line[1:])
    many_cells = sum(1 for line in lines if "\t" in line.strip("\t") or re.match(r"[^\t]+\t", line))
    return "cells" if one_cell > many_cells else "tsv"


def read_text(data: bytes, name: str) -> Document:
    """Read a text disclosure (bytes in any supported encoding) into a Document."""
    lines = decode_text(data).split("\n")
    check_lines(lines)
    lines = [_BOOKMARK.sub("", line) for line in lines]
    layout = detect_layout(lines)
    blocks = list(_READERS[layout](lines))
    if not any("\f" in line for line in lines):
        # Pages are what form feeds end; text without them has lines only.
        blocks = [replace(block, page=None) for block in blocks]
    document = Document(name=name, layout=_LAYOUT_OF[layout], blocks=blocks)
    if not document.blocks:
        raise UnreadableDocument("file_no_text")
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


def _read_aligned(lines):
    from ingest.readers.aligned_text import read_aligned

    return read_aligned(lines)


def _read_raw(lines):
    from ingest.readers.raw_text import read_raw

    return read_raw(lines)


_READERS = {"cells": _read_cells, "tsv": _read_tsv, "aligned": _read_aligned, "raw": _read_raw}
# The layout the parser reads each text layout's rows in: the pdftotext readers rebuild tsv rows.
_LAYOUT_OF = {"cells": "cells", "tsv": "tsv", "aligned": "tsv", "raw": "tsv"}
