"""Read disclosures saved from web pages (HTML): text blocks and tables in reading order.

The page is parsed by lxml's HTML parser (libxml2), hardened: no network, no huge trees
(libxml2's own limits on depth and text size stay on), comments and processing
instructions dropped; the HTML parser loads no DTD, so no entity but HTML's own is
expanded. Scripts, styles, navigation, form controls and hidden elements are dropped.

Text becomes one `Paragraph` per visual line: block elements (`p`, `div`, headings, list
items, …) and `<br>` end a line. Whitespace is collapsed as a browser prints it: runs of
spaces, tabs and newlines become one space, and a line break in the source between two
Chinese characters disappears (CSS segment-break rules; Word's HTML export wraps long
Chinese lines). `&nbsp;` and full-width spaces are printed characters and are kept
inside a line, so a cell's indentation (which tells an item from its parent) survives.

A data table gives one `Row` per row, as wide as its grid, `colspan`/`rowspan` resolved
as the other readers resolve merged cells: the text in the top-left grid cell, "" in the
others. Rows without any text (spacer rows) are left out. Pages laid out with tables
put the whole article into one: a table holding another table, or only one column wide,
is read as a container, its cells' content flowing in order like any other block.
Web pages have no pages, so `page` is None and `line` counts blocks from 1.
"""

import codecs
import re
from collections.abc import Iterator

import lxml.etree
import lxml.html

from ingest.document import Document, Paragraph, Row, UnreadableDocument

MAX_BYTES = 20 * 1024 * 1024
MAX_SPAN = 1000
# For all the page's tables together: a page of many tables costs what one big table costs.
MAX_GRID_CELLS = 200_000

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_DECLARED = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml\b[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_DECLARATION_WINDOW = 8192
# Browsers read GB2312 and GBK pages as GB18030, their superset: sites declare the old
# names and use characters outside them.
_GB_NAMES = {"gb2312", "gbk", "gb18030"}
_GB_LABELS = {"x-gbk", "gb_2312-80", "gb_2312"}

_DROPPED = {
    "head", "script", "style", "noscript", "template", "nav", "iframe", "object", "embed",
    "svg", "math", "canvas", "audio", "video", "map", "select", "button", "textarea", "input",
}  # fmt: skip
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
    "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
_WIDE = r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
_BREAK_BETWEEN_WIDE = re.compile(rf"(?<={_WIDE})[ \t\r\f]*\n[ \t\n\r\f]*(?={_WIDE})")
_SPAN_VALUE = re.compile(r"\s*0*(\d+)")


def read_html(data: bytes, name: str) -> Document:
    """Read the bytes of a saved web page into a Document, or raise UnreadableDocument."""
    if len(data) > MAX_BYTES:
        raise UnreadableDocument("page_too_large", mb=MAX_BYTES // 2**20)
    root = _parse(_decode(data))
    blocks: list[Paragraph | Row] = []
    if root is not None:
        grid_cells = _GridBudget()
        for item in _flow(root, grid_cells):
            if isinstance(item, str):
                blocks.append(Paragraph(item.strip(), len(blocks) + 1))
            else:
                blocks += _table_blocks(*item, grid_cells, len(blocks) + 1)
    if not blocks:
        raise UnreadableDocument("page_no_text")
    return Document(name=name, layout="tsv", blocks=blocks)


# --- Encoding -----------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """The page's text: a BOM decides, then the page's own declaration (`<meta charset>`,
    `http-equiv` Content-Type, an XML declaration) if the bytes agree with it, then
    UTF-8, then GB18030. Bytes no encoding reads cleanly are decoded by the one that
    needs the fewest replacement characters, as a browser would still show the page."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    candidates = [_declared_encoding(data), "utf-8", "gb18030"]
    candidates = list(dict.fromkeys(c for c in candidates if c))
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    decoded = [data.decode(encoding, errors="replace") for encoding in candidates]
    return min(decoded, key=lambda text: text.count("\ufffd"))


def _declared_encoding(data: bytes) -> str | None:
    match = _DECLARED.search(data[:_DECLARATION_WINDOW])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        encoding = codecs.lookup(label).name
    except LookupError:
        return None
    if encoding in _GB_NAMES:
        return "gb18030"
    # A page whose declaration could be read as ASCII is not UTF-16, whatever it says.
    return "utf-8" if encoding.startswith("utf-16") else encoding


def _parse(text: str):
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
        collect_ids=False,
        default_doctype=False,
    )
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except lxml.etree.ParserError:  # nothing but whitespace
        return None


# --- Text flow ----------------------------------------------------------------------


class _Line:
    """The text of the visual line being read, collapsed as a browser prints it."""

    def __init__(self):
        self.pieces: list[str] = []

    def add(self, text: str | None, preformatted: bool) -> list[str]:
        """Add text; returns the lines it ends (only preformatted text ends lines itself)."""
        if not text:
            return []
        if not preformatted:
            self.pieces.append(text)
            return []
        first, *rest = text.split("\n")
        self.pieces.append(first)
        ended = []
        for part in rest:
            ended += self.end()
            self.pieces.append(part)
        return ended

    def end(self) -> list[str]:
        """The line read so far, if it prints anything; the next line starts empty."""
        text = _BREAK_BETWEEN_WIDE.sub("", "".join(self.pieces))
        self.pieces = []
        printed = _COLLAPSIBLE.sub(" ", text).strip(" ").replace("\xa0", " ")
        return [printed] if printed.strip() else []


class _GridBudget:
    """Grid cells left to the page's tables; refuses the page once they are spent."""

    def __init__(self):
        self.left = MAX_GRID_CELLS

    def spend(self, cells: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise UnreadableDocument("page_grid_too_large", most=f"{MAX_GRID_CELLS:,}")


def _flow(root, grid_cells: _GridBudget) -> Iterator:
    """The visual lines of text under `root` and its data tables (as (element, grid)),
    in reading order. Walked with an explicit stack: nesting depth costs no recursion."""
    line = _Line()
    preformatted = 0
    stack = [("open", root)]
    while stack:
        action, element = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        tail = element.tail if element is not root else None
        if action == "close":
            if tag in _BLOCKS:
                yield from line.end()
            preformatted -= tag == "pre"
            yield from line.add(tail, preformatted > 0)
        elif not tag or _is_dropped(element, tag):
            yield from line.add(tail, preformatted > 0)
        elif tag == "table" and _is_data_table(element, grid := _grid(element, grid_cells)):
            yield from line.end()
            yield element, grid
            yield from line.add(tail, preformatted > 0)
        else:
            if tag in _BLOCKS or tag == "br":
                yield from line.end()
            preformatted += tag == "pre"
            yield from line.add(element.text, preformatted > 0)
            stack.append(("close", element))
            stack += [("open", child) for child in reversed(element)]
    yield from line.end()


def _is_dropped(element, tag: str) -> bool:
    if tag in _DROPPED or element.get("role") == "navigation" or element.get("hidden") is not None:
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style", "")))


# --- Tables -------------------------------------------------------------------------


def _is_data_table(table, grid: list[list]) -> bool:
    """False for a table used to lay out the page: it holds another table, or it is
    only one column wide (a frame around the article, a title in a box)."""
    return bool(grid) and len(grid[0]) > 1 and not table.xpath("boolean(.//table)")


def _table_blocks(table, grid: list[list], grid_cells: _GridBudget, line: int) -> list[Paragraph | Row]:
    blocks: list[Paragraph | Row] = []
    for caption in table.iterchildren("caption"):
        for text in _flow(caption, grid_cells):
            blocks.append(Paragraph(text.strip(), line + len(blocks)))
    for cells in grid:
        texts = tuple("" if cell is None else _cell_text(cell, grid_cells) for cell in cells)
        if any(texts):
            blocks.append(Row(texts, line + len(blocks)))
    return blocks


def _cell_text(cell, grid_cells: _GridBudget) -> str:
    """The cell's lines joined by line breaks, as the Word reader joins a cell's
    paragraphs; leading spaces are the item's indentation and stay. A data table's cell
    holds no table, so its flow is text only."""
    return "\n".join(text.rstrip() for text in _flow(cell, grid_cells))


def _table_rows(table) -> list:
    """The table's own rows (not a nested table's) as printed: header rows first,
    footer rows last, wherever the markup puts them."""
    head, body, foot = [], [], []
    for child in table.iterchildren("thead", "tbody", "tfoot", "tr"):
        if child.tag == "tr":
            body.append(child)
        else:
            {"thead": head, "tbody": body, "tfoot": foot}[child.tag].extend(child.iterchildren("tr"))
    return head + body + foot


def _grid(table, grid_cells: _GridBudget) -> list[list]:
    """The table's grid after the HTML table model (a cell takes the first free column
    of its row): each cell element at its top-left grid position, None in the positions
    it covers and in empty ones. Every grid position is paid for from `grid_cells`, the
    spanned ones before they are marked, so a hostile span costs no work."""
    rows = _table_rows(table)
    starts: list[dict[int, object]] = [{} for _ in rows]
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        column = 0
        for cell in row.iterchildren("td", "th"):
            while (r, column) in taken:
                column += 1
            colspan = _span(cell, "colspan") or 1
            rowspan = min(_span(cell, "rowspan") or len(rows) - r, len(rows) - r)
            grid_cells.spend(colspan * rowspan)
            starts[r][column] = cell
            taken.update((r + i, column + j) for i in range(rowspan) for j in range(colspan))
            column += colspan
    width = max((column + 1 for _row, column in taken), default=0)
    grid_cells.spend(len(rows) * width - len(taken))
    return [[row.get(c) for c in range(width)] for row in starts]


def _span(cell, attribute: str) -> int | None:
    """The span an attribute gives (leading digits, as browsers read "2px"); 1 where it
    holds none, 0 where it says 0 (a rowspan of 0 runs to the table's end)."""
    match = _SPAN_VALUE.match(cell.get(attribute) or "")
    if not match:
        return 1
    if len(match.group(1)) > len(str(MAX_SPAN)) or int(match.group(1)) > MAX_SPAN:
        raise UnreadableDocument(
            "cell_span_too_large", attribute=attribute, value=match.group(1)[:12], most=MAX_SPAN
        )
    return int(match.group(1))
