"""Read the text poppler's ``pdftotext -raw`` makes of a disclosure into tsv-layout blocks.

`-raw` prints words in the order the PDF draws them, one space apart. A table's empty cells
vanish, a cell wrapped over several lines comes out as several lines (``本年支出合`` / ``计``),
a row's amounts may follow on the lines after its name, a two-sided table interleaves its
left and right items, and pages end with a form feed. There are no positions, so tables are
rebuilt from what their words look like:

- A table starts at a title line naming a standard table (`vocab.TABLE_TITLES`). The lines
  after it, up to the first line printing an amount, a code or a numbered label, are its
  header: a wrapped label fragment is joined to the label above it while that label is
  incomplete (neither a known column label nor ending as column labels end); ``类 款 项``
  gives three labels.
- A classification table (its header names a code column and a name column) reads its body
  with the grammar code parts → name → amounts, over as many lines as the item takes. Each
  item is one Row: its code cells (as many as the header has code columns, blank where the
  row prints none: their places are told by the grammar), its name, and the amounts it
  printed. The header becomes one full-width row of those columns, under rows holding the
  labels that head them (``项目``, ``支出功能分类科目编码``). A two-sided table (its header
  repeats the columns of one item) gives each item a Row of its own, left before right.
- Other tables (收支总表, 三公 tables) keep each printed row's labels and amounts in order;
  in a two-sided one an item that belongs to the right-hand side (its label names that
  side, or it follows a left-hand item on the same row) is placed after the left columns.

Amounts are never placed by guess: a row printing fewer amounts than the header has amount
columns gives only the amounts it printed, and the parser decides what can be told. A row
whose cells' places are certain (it printed no amount, or every one) is printed full width,
its blank cells as "", as the other tabular readers print it.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ingest import amounts
from ingest.document import Block, Paragraph, Row
from ingest.text import UNIT_STATEMENT, bare_label, is_numbered, outline_level, squash
from ingest.vocabulary import tables as vocab

# pdftotext prints no table line this long; longer lines are cut so that no input makes the
# reader slow (the regular expressions below then run on bounded text).
MAX_LINE_LENGTH = 2000
# Column labels and row names are short; a longer run of words is running text.
MAX_LABEL_LENGTH = 40

_SENTENCE = re.compile(r"[，。；！？]")
# Page numbers pdftotext prints as the first or last line of a page.
_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d+\s*页.*|\d{1,4})$")
# 类 201, 款 20106, 项 2010601, and the 款 or 项 part printed on its own.
_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_CODE_PART = re.compile(r"\d{2}")
# A header label is complete when it ends as column labels end (合计, 收入, 支出, 预算数,
# 经费, 拨款, 编码, 名称, 项目, 结余, 分类 …); `本年支出合`, `财政拨款收` or `一般公共预算` are not.
_LABEL_ENDINGS = frozenset("计入出数费额款码称目余类注号配）)")
_SPLIT_PARTS = frozenset(vocab.SPLIT_CODE_PARTS)
# The layout vocabulary of column and row labels, for telling a complete label from a fragment.
_KNOWN_PATTERNS = (
    vocab.SERIAL_COLUMN,
    *vocab.NAME_COLUMN,
    *vocab.VALUE_COLUMNS.values(),
    *(pattern for group in vocab.CODE_COLUMN.values() for pattern in group),
)
_KNOWN_LABELS = frozenset(
    [
        *_SPLIT_PARTS,
        *vocab.SUMMARY_SIDES,
        *(label for labels in vocab.SUMMARY_LABELS.values() for label in labels),
        *(label for labels in vocab.THREE_COST_LABELS.values() for label in labels),
    ]
)
# A table prints the same few words many times over; remembering them keeps reading linear and fast.
is_amount = lru_cache(maxsize=8192)(amounts.is_amount)


@dataclass(frozen=True)
class _Line:
    number: int
    page: int
    text: str
    page_edge: bool = False


@dataclass(eq=False)
class _Label:
    """A header label and the line it starts on; labels are told apart by identity, as a
    header prints the same label more than once (`合计 合计`, both sides of a table)."""

    text: str
    line: _Line


def read_raw(lines: list[str]):
    """Blocks of a `pdftotext -raw` text: Paragraphs for running text and titles, Rows for tables."""
    numbered = _numbered_lines(lines)
    index = 0
    while index < len(numbered):
        line = numbered[index]
        index += 1
        title, unit = _title_and_unit(line.text)
        if not _names_table(title):
            yield _paragraph(line)
            continue
        yield Paragraph(text=title, line=line.number, page=line.page)
        if unit:
            yield Paragraph(text=unit, line=line.number, page=line.page)
        blocks, index = _read_table(numbered, index)
        yield from blocks


# --- lines -------------------------------------------------------------------------------


def _numbered_lines(lines: list[str]) -> list[_Line]:
    """The non-empty lines with their 1-based number and page (a form feed starts a page);
    a line first or last on its page is marked, as page numbers are printed there."""
    kept: list[_Line] = []
    page = 1
    for number, raw in enumerate(lines, start=1):
        raw = raw[:MAX_LINE_LENGTH]
        before = len(raw) - len(raw.lstrip("\f"))
        text = raw.replace("\f", " ").strip()
        if text:
            kept.append(_Line(number, page + before, text))
        page += raw.count("\f")
    return [
        _Line(line.number, line.page, line.text, _first_or_last_on_page(kept, index))
        for index, line in enumerate(kept)
    ]


def _first_or_last_on_page(lines: list[_Line], index: int) -> bool:
    page = lines[index].page
    return index in (0, len(lines) - 1) or lines[index - 1].page != page or lines[index + 1].page != page


def _paragraph(line: _Line) -> Paragraph:
    return Paragraph(text=line.text, line=line.number, page=line.page)


def _title_and_unit(text: str) -> tuple[str, str]:
    """A title printed with its unit on one line (`收入决算表 单位：万元`) as the two texts."""
    match = UNIT_STATEMENT.search(text)
    if match and match.start() > 0:
        return text[: match.start()].strip(), text[match.start() :].strip()
    return text, ""


def _names_table(text: str) -> bool:
    """A title line naming a standard table; contents lines (`一、收入支出决算总表`) do not."""
    title = vocab.TITLE_SUFFIX.sub("", squash(text))
    if len(title) > vocab.TITLE_MAX_LENGTH or vocab.TITLE_REJECT.search(title):
        return False
    return bool(vocab.TITLE_ENDING.search(title)) and any(p.search(title) for _, p in vocab.TABLE_TITLES)


def _reads_as_title(text: str) -> bool:
    """A short line ending in 表: the title of some table, a standard one or not. (A header
    label may end in 预算 or 决算, so those endings do not end a table here.)"""
    title = vocab.TITLE_SUFFIX.sub("", squash(text))
    short = len(title) <= vocab.TITLE_MAX_LENGTH
    return short and not vocab.TITLE_REJECT.search(title) and title.endswith("表")


def _is_prose(text: str) -> bool:
    return bool(
        _SENTENCE.search(text)
        or outline_level(text) == 1  # 第三部分: a part of the document begins
        or any(len(token) > MAX_LABEL_LENGTH for token in text.split())
    )


def _is_meta(text: str) -> bool:
    """Lines printed between a title and its header: `单位：万元`, `编制单位：…`, `预算年度：2024`.
    A line opening with digits is a row (`201 一般公共服务支出` looks like a page header too)."""
    return bool(UNIT_STATEMENT.search(text) or vocab.PAGE_HEADER.match(text)) and not text[:1].isdigit()


def _is_column_numbers(tokens: list[str]) -> bool:
    """The row numbering the columns: `栏次 1 2 3`, or the numbers alone."""
    if tokens and tokens[0] in vocab.COLUMN_NUMBER_ROW:
        return True
    return len(tokens) >= 3 and tokens == [str(n) for n in range(1, len(tokens) + 1)]


@lru_cache(maxsize=8192)
def _is_code(token: str) -> bool:
    return bool(_CODE.fullmatch(token))


def _starts_row(text: str) -> bool:
    """A label that is a row of its own, never the rest of a wrapped name: `一、…`, `合计`, `人员经费合计`."""
    return is_numbered(text) or bool(vocab.TOTAL_ROW.search(bare_label(text)))


# --- labels ------------------------------------------------------------------------------


def _is_complete(label: str) -> bool:
    text = squash(label)
    return text[-1:] in _LABEL_ENDINGS or _is_known_label(text)


def _is_known_label(text: str) -> bool:
    """A column or row label the layout vocabulary knows as it is."""
    return text in _KNOWN_LABELS or any(p.fullmatch(text) for p in _KNOWN_PATTERNS)


def _continues(label: str, tokens: list[str]) -> bool:
    """A line that is one fragment of the incomplete label above it (`本年支出合` / `计`,
    `国有资本经营预算财政拨` / `款`: 类, 款 and 项 head columns only after a complete label)."""
    if len(tokens) != 1 or is_amount(tokens[0]) or is_numbered(tokens[0]):
        return False
    return not _is_complete(label)


def _line_labels(tokens: list[str]) -> list[str]:
    """The labels of one line: each word a label, but a run of single characters is one
    letter-spaced label (`因 公 出 国`), except 类 款 项, which head a column each."""
    labels: list[str] = []
    spaced = False
    for token in tokens:
        single = len(token) == 1 and token not in _SPLIT_PARTS
        if single and spaced:
            labels[-1] += " " + token
        else:
            labels.append(token)
        spaced = single
    return labels


def _header_labels(lines: list[_Line]) -> list[list[_Label]]:
    """The labels of the header, line by line, wrapped fragments joined to their label."""
    rows: list[list[_Label]] = []
    for line in lines:
        tokens = line.text.split()
        if rows and rows[-1] and _continues(rows[-1][-1].text, tokens):
            rows[-1][-1].text += tokens[0]
            continue
        rows.append([_Label(text, line) for text in _line_labels(tokens)])
    return rows


# --- tables ------------------------------------------------------------------------------


def _read_table(lines: list[_Line], index: int) -> tuple[list[Block], int]:
    """The blocks of the table whose title was just read, and the index of the first line after it."""
    blocks: list[Block] = []
    header_lines: list[_Line] = []
    column_numbers: list[Row] = []
    while index < len(lines):
        line = lines[index]
        tokens = line.text.split()
        if _is_meta(line.text):
            blocks.append(_paragraph(line))
        elif _is_column_numbers(tokens):
            column_numbers.append(Row(tuple(tokens), line.number, line.page))
        elif _is_header_line(line.text, tokens):
            header_lines.append(line)
        else:
            break
        index += 1
    shape = _shape(_header_labels(header_lines))
    blocks += shape.rows + column_numbers
    header_text = "".join(squash(line.text) for line in header_lines)
    body, index = _body_lines(lines, index, shape, header_text)
    rows = shape.body_rows([line for line in body if not _is_page_number(line)])
    furniture = [_paragraph(line) for line in body if _is_page_number(line)]
    return blocks + sorted([*rows, *furniture], key=lambda block: block.line), index


def _is_header_line(text: str, tokens: list[str]) -> bool:
    if _reads_as_title(text) or vocab.NOTE.match(text) or _is_prose(text):
        return False
    return not (any(is_amount(t) for t in tokens) or _is_code(tokens[0]) or is_numbered(tokens[0]))


def _is_page_number(line: _Line) -> bool:
    return line.page_edge and bool(_PAGE_NUMBER.match(line.text))


def _body_lines(lines: list[_Line], index: int, shape: "_Shape", header: str) -> tuple[list[_Line], int]:
    """The body lines from `index` up to the table's end: the next title, a note, running
    text, or (in a classification table) a line of words after a finished row that neither
    totals nor prints amounts after it. The header printed again on a new page is left out."""
    body: list[_Line] = []
    rows: list[_Line] = []
    while index < len(lines):
        line = lines[index]
        if _is_page_number(line):
            body.append(line)
        elif not _repeats_header(line, rows, header):
            if _reads_as_title(line.text) or vocab.NOTE.match(line.text) or _is_prose(line.text):
                break
            following = lines[index + 1] if index + 1 < len(lines) else None
            if shape.classified and rows and _leaves_classification(rows[-1], line, following):
                break
            body.append(line)
            rows.append(line)
        index += 1
    return body, index


def _repeats_header(line: _Line, rows: list[_Line], header: str) -> bool:
    """A header line at the top of a new page, after a finished row: its words are the
    header's (fragments of its wrapped labels included)."""
    tokens = line.text.split()
    if not rows or rows[-1].page == line.page or not _ends_with_amount(rows[-1]):
        return False
    return _is_header_line(line.text, tokens) and squash(line.text) in header


def _leaves_classification(previous: _Line, line: _Line, following: _Line | None) -> bool:
    tokens = line.text.split()
    if not _ends_with_amount(previous):
        return False  # the row above still waits for its name or amounts
    if any(is_amount(t) for t in tokens) or _is_code(tokens[0]) or _starts_row(line.text):
        return False
    return following is None or not is_amount(following.text.split()[0])


def _ends_with_amount(line: _Line) -> bool:
    """Whether a line ends with an amount; a code or a 款/项 part (`208 05 05`) leaves its row open."""
    last = line.text.split()[-1]
    return is_amount(last) and not _is_code(last) and not _CODE_PART.fullmatch(last)


# --- the header's shape ------------------------------------------------------------------


@dataclass
class _Shape:
    """What the header says about the body: the header rows to print, whether rows are
    classification items (and with how many code cells), and for a two-sided table of
    labels the width of its left side and the words naming its sides."""

    rows: list[Row] = field(default_factory=list)
    classified: bool = False
    code_cells: int = 0
    split_parts: int = 0
    # Columns of a body row (0 where the header does not tell them), of the left side of a
    # two-sided table, and whether a one-sided table of labels starts with its label column.
    width: int = 0
    left_width: int = 0
    side_words: tuple[str, ...] = ()
    label_first: bool = False

    def body_rows(self, lines: list[_Line]) -> list[Row]:
        if self.classified:
            return _classification_rows(lines, self)
        return _label_rows(lines, self)


def _label_kind(label: str) -> str:
    text = squash(label)
    if text in _SPLIT_PARTS:
        return "part"
    if any(p.search(text) for group in vocab.CODE_COLUMN.values() for p in group):
        return "code"
    if text.endswith("分类"):  # 支出功能分类, 经济分类: the group over the code columns
        return "code_group"
    if any(p.search(text) for p in vocab.NAME_COLUMN):
        return "name"
    return "value"


def _shape(lines: list[list[_Label]]) -> _Shape:
    labels = [label for line in lines for label in line]
    kinds = {_label_kind(label.text) for label in labels}
    if "name" in kinds and kinds & {"part", "code"}:
        return _classification_shape(labels)
    return _label_shape(lines)


def _leaf_name(labels: list[_Label]) -> str:
    """The name column's label: the most specific one (科目名称 before a 项目 above it)."""
    for pattern in vocab.NAME_COLUMN:
        for label in labels:
            if pattern.search(squash(label.text)):
                return label.text
    return ""


def _one_side(labels: list[_Label], name: str) -> list[_Label]:
    """The labels of one item of a header that repeats its columns for k items side by side."""
    counts = Counter(label.text for label in labels)
    sides = counts[name]
    if sides < 2 or any(count % sides for count in counts.values()):
        return labels
    seen: Counter = Counter()
    kept = []
    for label in labels:
        if seen[label.text] < counts[label.text] // sides:
            kept.append(label)
        seen[label.text] += 1
    return kept


def _fuse_code_group(labels: list[_Label]) -> list[_Label]:
    """`支出功能分类` … `科目编码` printed apart become the one label `支出功能分类科目编码`."""
    group = next((label for label in labels if _label_kind(label.text) == "code_group"), None)
    code = next((label for label in labels if _label_kind(label.text) == "code"), None)
    if group is None or code is None:
        return labels
    fused = _Label(group.text + code.text, group.line)
    return [fused if label is group else label for label in labels if label is not code]


def _classification_shape(labels: list[_Label]) -> _Shape:
    name = _leaf_name(labels)
    side = _fuse_code_group(_one_side(labels, name))
    parts = [label for label in side if _label_kind(label.text) == "part"]
    codes = parts or [label for label in side if _label_kind(label.text) == "code"][:1]
    leaf_name = next(label for label in side if label.text == name)
    values = [label for label in side if _label_kind(label.text) == "value"]
    groups = [label for label in side if label not in (*codes, leaf_name, *values)]
    top, lower = _value_levels(side, values)
    leaf = [*codes, leaf_name, *top]
    width = len(leaf)
    rows = [_row([group.text] + [""] * (width - 1), group) for group in groups]
    rows.append(_row([label.text for label in leaf], min(leaf, key=lambda label: label.line.number)))
    if lower:
        rows.append(_row([label.text for label in lower], lower[0]))
    return _Shape(
        rows=rows,
        classified=True,
        code_cells=len(codes),
        split_parts=len(parts),
        width=0 if lower else width,
    )


def _value_levels(side: list[_Label], values: list[_Label]) -> tuple[list[_Label], list[_Label]]:
    """The value labels as one level, or where the header has two levels of them (本年支出 over
    小计 | 基本支出 | 项目支出), the upper and the lower level apart: which upper label spans
    which lower ones is not printed in raw text, so the lower level stays a row of its own.

    Two levels show as value labels printed both before and after the labels heading the
    code and name columns, or as a 小计/合计 printed after another value label."""
    anchor = next(
        (i for i, label in enumerate(side) if _label_kind(label.text) in ("part", "code", "code_group")),
        len(side),
    )
    before = [label for label in values if side.index(label) < anchor]
    after = [label for label in values if side.index(label) > anchor]
    if before and after:
        return before, after
    total = next(
        (i for i, label in enumerate(values) if i and vocab.TOTAL_ROW.search(squash(label.text))),
        None,
    )
    if total is not None:
        return values[:total], values[total:]
    return values, []


def _label_shape(lines: list[list[_Label]]) -> _Shape:
    """Header rows of a table of labels and amounts: the labels above the deepest printed
    row, then that row (the last line of several labels, with the single labels after it)."""
    lines = [line for line in lines if line]
    last = max((i for i, line in enumerate(lines) if len(line) > 1), default=0)
    groups = [label for line in lines[:last] for label in line]
    leaf = [label for line in lines[last:] for label in line]
    if not leaf:
        return _Shape()
    label_first = _label_kind(leaf[0].text) == "name"
    # Two-sided: the label column heads the left side and again the right side (项目 … 项目 …).
    repeated = (i for i, label in enumerate(leaf) if i and label.text == leaf[0].text)
    left_width = next(repeated, 0) if label_first else 0
    shape = _Shape(
        rows=[_row([label.text for label in leaf], leaf[0])],
        width=len(leaf),
        left_width=left_width,
        label_first=label_first,
    )
    words = tuple(label.text for label in groups)
    if left_width and len(groups) == 2 and all(w in vocab.SUMMARY_SIDES for w in words):
        cells = [""] * len(leaf)
        cells[0], cells[left_width] = words
        shape.rows.insert(0, _row(cells, groups[0]))
        shape.side_words = words
    elif groups:
        shape.rows.insert(0, _row([label.text for label in groups], groups[0]))
    return shape


def _row(cells: list[str], label: _Label) -> Row:
    return Row(cells=tuple(cells), line=label.line.number, page=label.line.page)


# --- classification rows -----------------------------------------------------------------


@dataclass
class _Item:
    """One classification item as its tokens come: code parts, then name, then amounts."""

    line: _Line
    codes: list[str] = field(default_factory=list)
    name: str = ""
    name_line: int = 0
    amounts: list[str] = field(default_factory=list)

    def wants_part(self, limit: int) -> bool:
        """Whether a 2-digit word is the next 款 or 项 of this code: a code has at most 7 digits."""
        waiting = bool(self.codes) and not self.name and not self.amounts
        return waiting and len(self.codes) < limit and len("".join(self.codes)) < 7

    def add_name(self, token: str, line: _Line) -> None:
        """Words on one line are spaced as printed; a name wrapped onto the next line is joined."""
        joint = " " if self.name and line.number == self.name_line else ""
        self.name, self.name_line = self.name + joint + token, line.number

    def cells(self, shape: _Shape) -> tuple[str, ...]:
        if shape.split_parts:
            codes = (self.codes + [""] * shape.split_parts)[: max(shape.split_parts, len(self.codes))]
        else:
            codes = [" ".join(self.codes)] * shape.code_cells
        name_and_amounts = [self.name, *self.amounts]
        return (*codes, *_placed(name_and_amounts, shape.width - len(codes)))


def _classification_rows(lines: list[_Line], shape: _Shape) -> list[Row]:
    tokens = [(token, line) for line in lines for token in line.text.split()]
    decimals = _prints_decimals([token for token, _ in tokens])
    # A code printed over parts has at most 类 + 款 + 项; the header says how many it prints.
    limit = shape.split_parts or 3
    items: list[_Item] = []
    for index, (token, line) in enumerate(tokens):
        current = items[-1] if items else None
        first_on_line = index == 0 or tokens[index - 1][1] is not line
        if current and current.wants_part(limit) and _CODE_PART.fullmatch(token):
            current.codes.append(token)
        elif _reads_as_code(tokens, index, decimals):
            items.append(_Item(line, codes=[token]))
        elif is_amount(token):
            if current is None:
                items.append(current := _Item(line))
            current.amounts.append(token)
        elif current is None or current.amounts or (first_on_line and _starts_row(token)):
            items.append(_Item(line, name=token, name_line=line.number))
        else:
            current.add_name(token, line)
    return [Row(cells=item.cells(shape), line=item.line.number, page=item.line.page) for item in items]


def _prints_decimals(tokens: list[str]) -> bool:
    """Whether every amount of the table is printed with decimals (codes and 2-digit parts aside)."""
    numbers = [t for t in tokens if is_amount(t) and not _is_code(t) and not _CODE_PART.fullmatch(t)]
    return bool(numbers) and all("." in t for t in numbers)


def _reads_as_code(tokens: list[tuple[str, _Line]], index: int, decimals: bool) -> bool:
    """Whether a bare integer of code length (3, 5 or 7 digits) is a code, not an amount.

    A code is followed by its name, perhaps after its 款 and 项 parts (`302` / `01 办公费`). An
    integer followed by an amount is one of the row's amounts. Followed by nothing telling (the
    table's end, another code), it is a code only where the table prints its amounts with
    decimals, as such a table prints no bare integer amount."""
    token = tokens[index][0]
    if not _is_code(token):
        return False
    following = index + 1
    while following < len(tokens) and following <= index + 2 and _CODE_PART.fullmatch(tokens[following][0]):
        following += 1
    if following >= len(tokens) or _is_code(tokens[following][0]):
        return decimals
    word = tokens[following][0]
    return not is_amount(word) and not _starts_row(word)


# --- rows of labels and amounts ----------------------------------------------------------


@dataclass
class _Piece:
    """A label and the amounts printed after it."""

    label: str
    amounts: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        return [self.label, *self.amounts] if self.label else list(self.amounts)


@dataclass
class _LabelRow:
    line: _Line
    left: list[_Piece] = field(default_factory=list)
    right: _Piece | None = None

    def last(self) -> _Piece:
        if self.right is None and not self.left:
            self.left.append(_Piece(""))
        return self.right or self.left[-1]

    def cells(self, shape: _Shape) -> tuple[str, ...]:
        left = [cell for piece in self.left for cell in piece.cells()]
        if not shape.left_width:
            return tuple(_placed(left, shape.width) if shape.label_first and len(self.left) == 1 else left)
        left = _placed(left or [""], shape.left_width)
        right = self.right.cells() if self.right else [""]
        if len(left) != shape.left_width:
            return (*left, *right) if self.right else tuple(left)
        return (*left, *_placed(right, shape.width - shape.left_width))


def _placed(cells: list[str], width: int) -> list[str]:
    """A label and its amounts padded to the columns they span where every cell's place is
    certain: no amount printed (all blank) or every amount printed. A label with only some
    of its amounts is left short: which columns they fill is not printed."""
    amounts = len(cells) - 1
    if width and amounts in (0, width - 1):
        return cells + [""] * (width - len(cells))
    return cells


def _label_rows(lines: list[_Line], shape: _Shape) -> list[Row]:
    rows: list[_LabelRow] = []
    for line, pieces in _printed_pieces(lines):
        for position, piece in enumerate(pieces):
            if not piece.label and rows:
                rows[-1].last().amounts.extend(piece.amounts)
            elif shape.left_width and _on_the_right(piece.label, position, rows, shape):
                if not rows or rows[-1].right is not None:
                    rows.append(_LabelRow(line))
                rows[-1].right = piece
            elif position and not shape.left_width:
                rows[-1].left.append(piece)
            else:
                rows.append(_LabelRow(line, [piece]))
    return [Row(cells=row.cells(shape), line=row.line.number, page=row.line.page) for row in rows]


def _printed_pieces(lines: list[_Line]) -> list[tuple[_Line, list[_Piece]]]:
    """Each line's pieces, a line continuing the wrapped label above it joined to that label
    first, so that a label is placed by its whole text."""
    printed: list[tuple[_Line, list[_Piece]]] = []
    for line in lines:
        tokens = line.text.split()
        last = printed[-1][1][-1] if printed else None
        if last and last.label and not last.amounts and _continues(last.label, tokens):
            last.label += tokens[0]
        else:
            printed.append((line, _pieces(tokens)))
    return printed


def _pieces(tokens: list[str]) -> list[_Piece]:
    """A line as labels each with the amounts after it; amounts before any label make a piece
    with no label (they belong to the row above)."""
    pieces: list[_Piece] = []
    words: list[str] = []
    for token in tokens:
        if not is_amount(token) or (not pieces and not words and len(tokens) > 1 and _opens_label(tokens)):
            words.append(token)
            continue
        if words or not pieces:
            pieces += _labels_of(words)
            words = []
        pieces[-1].amounts.append(token)
    return pieces + _labels_of(words) if words else pieces


def _opens_label(tokens: list[str]) -> bool:
    """A code opening a line before a word is part of the label (`30101 基本工资`), not an amount."""
    return _is_code(tokens[0]) and not is_amount(tokens[1])


def _labels_of(words: list[str]) -> list[_Piece]:
    labels = _line_labels(words) or [""]
    if len(labels) > 1 and _is_code(labels[0]):
        labels[:2] = [f"{labels[0]} {labels[1]}"]
    return [_Piece(label) for label in labels]


def _on_the_right(label: str, position: int, rows: list[_LabelRow], shape: _Shape) -> bool:
    """Whether an item of a two-sided table belongs to its right-hand side: its label names
    only that side (`一、一般公共服务支出` under 收入 | 支出), or it follows a left-hand item
    in the same printed row."""
    named = [word for word in shape.side_words if word in squash(label)]
    if len(named) == 1:
        return named[0] == shape.side_words[-1]
    return position > 0 and bool(rows) and rows[-1].right is None
