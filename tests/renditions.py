"""Build Word, Excel, PDF and web-page renditions of the sample disclosures from their
text, as a county would publish them: tables as real tables, not text.

The text reader's Document (ingest/readers/text.py) gives the order of paragraphs and
table rows; a run of rows with no paragraph between them is one table. Its grid is as
wide as its longest row; a shorter row's last cell spans the rest (Word's `gridSpan`, an
Excel merged range), and in a table's first three rows (its header) an empty cell under a
filled one continues it downwards (`vMerge`, a vertical merged range), so the readers
meet real merged cells. Rows may not break across pages (`cantSplit`), as county tables
are usually set; a table longer than a page still runs over several pages. A `PageStyle`
sets what else a producer varies: paper, margins, fonts, sizes, column widths, repeated
header rows, rows breaking across pages, rules drawn.

The PDF is LibreOffice's rendering of the Word file (`soffice --convert-to pdf`), with
ruled tables and a CJK font; the .doc and .xls files are LibreOffice's conversions of
the .docx and .xlsx. The web page (HTML) spans the same merged cells with `colspan` and
`rowspan`, and is wrapped in the script and navigation a county site adds.
"""

import html
import io
import re
import subprocess
from dataclasses import dataclass

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ingest.document import Paragraph
from ingest.readers.doc import kill_group, soffice
from ingest.readers.sheets import number_text
from ingest.readers.text import read_text

CJK_FONT = "Noto Sans CJK SC"
HEADER_ROWS = 3
_AMOUNT = re.compile(r"\d\.\d")
_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")


@dataclass(frozen=True)
class PageStyle:
    """What a producer of the Word file chooses: paper and margins (twips), fonts
    (`latin_font` sets the digits and Latin letters, `cjk_font` the Chinese), font sizes
    (points; `table_size` None keeps the text size), column widths (`equal_columns`
    gives every column the same width, so long names wrap inside their cells), the
    header rows repeated on each page a table runs over, rows that may break across a
    page (Word's default; a row taller than the page breaks anyway), and which rules are
    drawn."""

    width: int = 16838  # A4 landscape
    height: int = 11906
    margins: tuple[int, int, int, int] = (720, 720, 720, 720)  # top, right, bottom, left
    cjk_font: str = CJK_FONT
    latin_font: str = CJK_FONT
    size: float = 9
    table_size: float | None = None
    equal_columns: bool = False
    repeat_header: bool = False
    rows_break: bool = False
    edges: tuple[str, ...] = _EDGES

    @property
    def usable(self) -> int:
        return self.width - self.margins[1] - self.margins[3]


DEFAULT_STYLE = PageStyle()


def runs(data: bytes, name: str) -> list[tuple[str, object]]:
    """("p", text) for each paragraph and ("table", [cells, …]) for each run of rows."""
    out: list[tuple[str, object]] = []
    for block in read_text(data, name).blocks:
        if isinstance(block, Paragraph):
            out.append(("p", block.text))
        elif out and out[-1][0] == "table":
            out[-1][1].append(list(block.cells))
        else:
            out.append(("table", [list(block.cells)]))
    return out


def layout(rows: list[list[str]]) -> list[list[tuple[str, int, str | None]]]:
    """Each row as (text, span, vmerge) cells on the table's grid; vmerge is None,
    "restart" or "continue"."""
    width = max(len(r) for r in rows)
    grid: list[list[tuple[str, int, str | None]]] = []
    for index, row in enumerate(rows):
        cells = [(text, 1, None) for text in row]
        text, _span, _ = cells[-1]
        cells[-1] = (text, width - len(row) + 1, None)
        if 0 < index < HEADER_ROWS:
            above = _starts(grid[-1])
            for i, (start, (text, span, _)) in enumerate(zip(_starts(cells), cells, strict=True)):
                match = above.get(start)
                if not text and match and match[1] == span and (match[0] or match[2]):
                    cells[i] = ("", span, "continue")
                    j = list(above).index(start)
                    prev_text, prev_span, prev_merge = grid[-1][j]
                    grid[-1][j] = (prev_text, prev_span, prev_merge or "restart")
        grid.append(cells)
    return grid


def _starts(cells):
    out, column = {}, 0
    for text, span, merge in cells:
        out[column] = (text, span, merge)
        column += span
    return out


# --- Word ---------------------------------------------------------------------------


def build_docx(data: bytes, name: str, style: PageStyle = DEFAULT_STYLE) -> bytes:
    word = new_docx()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if style.width > style.height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(style.width), Twips(style.height)
    for side, margin in zip(("top", "right", "bottom", "left"), style.margins, strict=True):
        setattr(section, f"{side}_margin", Twips(margin))
    normal = word.styles["Normal"]
    normal.font.size = Pt(style.size)
    normal.font.name = style.latin_font
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), style.cjk_font)
    normal.paragraph_format.space_after = Pt(4)
    body = word.element.body
    for kind, value in runs(data, name):
        if kind == "p":
            word.add_paragraph(value)
        else:
            body.insert(len(body) - 1, _table(value, style))  # before the closing sectPr
            word.add_paragraph()  # Word needs a paragraph between two tables
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _table(rows: list[list[str]], style: PageStyle):
    grid = layout(rows)
    columns = _column_widths(rows, style)
    tbl = _el("w:tbl")
    pr = _el("w:tblPr", _el("w:tblW", w="0", type="auto"), _el("w:tblLayout", type="fixed"))
    borders = _el("w:tblBorders")
    for edge in _EDGES:
        drawn = edge in style.edges
        attributes = (
            {"val": "single", "sz": "4", "space": "0", "color": "000000"} if drawn else {"val": "nil"}
        )
        borders.append(_el(f"w:{edge}", **attributes))
    pr.append(borders)
    tbl.append(pr)
    tbl.append(_el("w:tblGrid", *[_el("w:gridCol", w=str(c)) for c in columns]))
    header = _header_rows(rows) if style.repeat_header else 0
    for index, cells in enumerate(grid):
        tr_pr = _el("w:trPr") if style.rows_break else _el("w:trPr", _el("w:cantSplit"))
        if index < header:
            tr_pr.append(_el("w:tblHeader"))
        tr = _el("w:tr", tr_pr)
        column = 0
        for text, span, merge in cells:
            tc_pr = _el("w:tcPr", _el("w:tcW", w=str(sum(columns[column : column + span])), type="dxa"))
            if span > 1:
                tc_pr.append(_el("w:gridSpan", val=str(span)))
            if merge:
                tc_pr.append(_el("w:vMerge", val=merge) if merge == "restart" else _el("w:vMerge"))
            tc = _el("w:tc", tc_pr)
            for line in text.split("\n") if text and merge != "continue" else [""]:
                tc.append(_paragraph(line, style.table_size))
            tr.append(tc)
            column += span
        tbl.append(tr)
    return tbl


def _column_widths(rows: list[list[str]], style: PageStyle) -> list[int]:
    width = max(len(r) for r in rows)
    if style.equal_columns:
        return [style.usable // width] * width
    weights = [4 + min(30, max((len(r[c]) for r in rows if c < len(r)), default=0)) for c in range(width)]
    return [style.usable * w // sum(weights) for w in weights]


def _header_rows(rows: list[list[str]]) -> int:
    """How many rows head the table, as its producer marks them to repeat on each page:
    the leading rows (at most HEADER_ROWS) before the first that holds an amount."""
    count = 0
    while count < min(HEADER_ROWS, len(rows) - 1) and not any(_AMOUNT.search(c) for c in rows[count]):
        count += 1
    return count


def _paragraph(text: str, size: float | None = None):
    p = _el("w:p", _el("w:pPr", _el("w:spacing", after="0")))
    if text:
        t = _el("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run_pr = [_el("w:rPr", _el("w:sz", val=str(round(size * 2))))] if size else []
        p.append(_el("w:r", *run_pr, t))
    return p


def _el(tag: str, *children, **attributes):
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    for child in children:
        element.append(child)
    return element


# --- Excel --------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,6})?")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def build_xlsx(data: bytes, name: str) -> bytes:
    """One sheet per table: the paragraphs before a table are the sheet's leading rows,
    its title names the sheet; paragraphs after the last table get a sheet of their own.
    Amounts are stored as numbers with a number format that shows them as printed."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    pending: list[str] = []
    names: set[str] = set()
    for kind, value in runs(data, name):
        if kind == "p":
            pending.append(value)
            continue
        sheet = workbook.create_sheet(_sheet_name(pending[-1] if pending else "", names))
        for text in pending:
            sheet.append([text])
        pending = []
        _write_table(sheet, value)
    if pending:
        sheet = workbook.create_sheet(_sheet_name("说明", names))
        for text in pending:
            sheet.append([text])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("", title).strip()[:28] or f"表{len(taken) + 1}"
    sheet_name, n = base, 2
    while sheet_name in taken:
        sheet_name, n = f"{base[:26]}{n}", n + 1
    taken.add(sheet_name)
    return sheet_name


def _write_table(sheet, rows: list[list[str]]) -> None:
    first = sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1
    grid = layout(rows)
    for r, cells in enumerate(grid):
        column = 1
        for text, span, merge in cells:
            cell = sheet.cell(row=first + r, column=column)
            if merge != "continue" and text:
                cell.value, cell.number_format = _excel_value(text)
            bottom = r
            if merge == "restart":
                while bottom + 1 < len(grid) and _merge_at(grid[bottom + 1], column) == "continue":
                    bottom += 1
            if merge != "continue" and (span > 1 or bottom > r):
                sheet.merge_cells(
                    start_row=first + r,
                    start_column=column,
                    end_row=first + bottom,
                    end_column=column + span - 1,
                )
            column += span
    for c in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 14


def _merge_at(cells, column):
    start = 1
    for _text, span, merge in cells:
        if start == column:
            return merge
        start += span
    return None


def _excel_value(text: str):
    """A number where the text is one that a number format shows exactly as printed."""
    if _NUMBER.fullmatch(text):
        places = len(text.split(".")[1]) if "." in text else 0
        number_format = "0." + "0" * places if places else "0"
        value = float(text) if places else int(text)
        if number_text(value, number_format) == text:
            return value, number_format
    return text, "General"


# --- Web page -----------------------------------------------------------------------

_EDITOR_SPACES = re.compile(r"^ +| {2,}")


def build_html(data: bytes, name: str) -> bytes:
    """A page as a county site's editor saves it: paragraphs, bordered tables, and the
    site's script and navigation around them."""
    body = []
    for kind, value in runs(data, name):
        body.append(f"<p>{_html_text(value)}</p>" if kind == "p" else _html_table(value))
    page = [
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>部门预算公开</title>',
        '<script>document.write("<p>统计代码</p>");</script><style>td { border: 1px solid; }</style>',
        '</head><body><nav><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></nav>',
        '<div class="article">',
        *body,
        "</div></body></html>",
    ]
    return "\n".join(page).encode("utf-8")


def _html_table(rows: list[list[str]]) -> str:
    grid = layout(rows)
    out = ['<table border="1" cellspacing="0">']
    for r, cells in enumerate(grid):
        out.append("<tr>")
        column = 1  # as _merge_at counts
        for text, span, merge in cells:
            if merge != "continue":
                attributes = f' colspan="{span}"' if span > 1 else ""
                if merge == "restart":
                    attributes += f' rowspan="{_rows_spanned(grid, r, column)}"'
                out.append(f"<td{attributes}>{_html_text(text)}</td>")
            column += span
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def _rows_spanned(grid, first: int, column: int) -> int:
    bottom = first
    while bottom + 1 < len(grid) and _merge_at(grid[bottom + 1], column) == "continue":
        bottom += 1
    return bottom - first + 1


def _html_text(text: str) -> str:
    """Escaped, with leading and repeated spaces as `&nbsp;` (a browser would collapse
    them) and line breaks as `<br>`."""
    escaped = html.escape(text, quote=False)
    escaped = _EDITOR_SPACES.sub(lambda m: "&nbsp;" * len(m.group()), escaped)
    return escaped.replace("\n", "<br>")


# --- LibreOffice --------------------------------------------------------------------


class Conversion(subprocess.Popen):
    """A LibreOffice run in a process group of its own: a wait that times out kills the whole
    group (soffice and the soffice.bin it starts), as the doc reader does."""

    def wait(self, timeout=None):
        try:
            return super().wait(timeout)
        except subprocess.TimeoutExpired:
            kill_group(self)
            raise


def convert_all(paths, target: str, outdir, profile) -> Conversion | None:
    """Start one LibreOffice conversion of many files (it is much faster than one call
    per file); each batch needs its own `profile` folder to run beside the others.
    Returns the process to wait for, or None where LibreOffice is missing."""
    binary = soffice()
    if binary is None:
        return None
    command = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
    command += ["--convert-to", target, "--outdir", str(outdir), *map(str, paths)]
    return Conversion(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
