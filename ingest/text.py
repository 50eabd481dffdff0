"""The parser's one text toolkit: how printed text is made comparable, and how Chinese outline
numbering is read. Every part of the parser asks here; none keeps a variant of its own.

- `squash`: text for matching words (no spaces or quotes, full-width forms made ASCII);
- `ascii_digits`: digits made ASCII, everything else as printed and at the same offsets
  (running text whose figures are quoted back by position);
- `to_ascii`: a number as printed reduced to ASCII (full-width digits and signs, no spaces);
- `outline_level`, `strip_numbering`, `is_numbered`: the numbering in front of a heading or a
  row label (第一部分 / 一、 / （一） / 1、 1. / （1） / ①);
- `UNIT_STATEMENT`, `money_unit`: the unit a table or a sentence says its figures are in.
"""

import re
from functools import lru_cache

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋％：（）", "0123456789.,-+%:()")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_QUOTES = re.compile(r"[“”\"'‘’「」]")
_OF_WHICH = re.compile(r"^其中[:：]?")


@lru_cache(maxsize=16384)
def squash(text: str) -> str:
    """Text without spaces or quotes, full-width digits, brackets, colons and signs made ASCII:
    what two printings of the same words share (`“三公” 经费（万元）：` → `三公经费(万元):`)."""
    return _QUOTES.sub("", _SPACES.sub("", text or "")).translate(_FULL_WIDTH)


def ascii_digits(text: str) -> str:
    """Full-width digits and decimal points made ASCII, nothing else changed (same length)."""
    return text.translate(_FULL_WIDTH_DIGITS)


def to_ascii(text: str) -> str:
    """A number as printed, full-width digits and signs made ASCII and every space removed."""
    return _SPACES.sub("", text.translate(_FULL_WIDTH))


# Units of money; a figure printed in one is moved to 万元 by `ingest.amounts.parse_amount`.
MONEY_UNITS = ("万元", "元", "千元", "亿元")
# `单位：万元` printed above a table, in its title row or before a sentence's figures
# (`金额单位：元`); a staff table says `单位：人`.
UNIT_STATEMENT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|千元|亿元|元|人)")
# `预算数（万元）`: a unit in brackets inside a header cell.
UNIT_IN_BRACKETS = re.compile(r"[（(]\s*(万元|千元|亿元|元)\s*[)）]")


def money_unit(text: str) -> str | None:
    """The unit of money a line states (`单位：元` → `元`), None where it states none."""
    match = UNIT_STATEMENT.search(text)
    return match.group(1) if match and match.group(1) in MONEY_UNITS else None


# Chinese outline numbering, outermost first. The same levels hold in headings, in the rows
# of tables without codes (`一、工资福利支出` over `1、基本工资` over `（1）…`) and in
# indicator tables; a document may skip a level, never reorder them.
OUTLINE_LEVELS = (
    re.compile(r"^第[一二三四五六七八九十]+部分"),
    re.compile(r"^[一二三四五六七八九十百]+\s*[、.．]"),
    re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[)）]\s*[、.．]?"),
    re.compile(r"^[0-9０-９]+\s*(?:[、．]|\.(?![0-9])|[)）])"),
    re.compile(r"^[（(]\s*[0-9０-９]+\s*[)）]\s*[、.．]?"),
    re.compile(r"^[①-⑳]"),
)
# The two outermost levels: parts and chapters of a disclosure.
TOP_LEVELS = 2


@lru_cache(maxsize=16384)
def outline_level(text: str) -> int | None:
    """1 for `第一部分`, 2 for `一、`, 3 for `（一）`, 4 for `1、`/`1.`, 5 for `（1）`, 6 for `①`;
    None where the text is not numbered."""
    label = (text or "").strip()
    levels = enumerate(OUTLINE_LEVELS, start=1)
    return next((level for level, pattern in levels if pattern.match(label)), None)


def is_numbered(text: str) -> bool:
    return outline_level(text) is not None


def is_top_level(text: str) -> bool:
    """A part or chapter heading (`第二部分`, `三、`): what ends any section."""
    level = outline_level(text)
    return level is not None and level <= TOP_LEVELS


@lru_cache(maxsize=16384)
def strip_numbering(text: str) -> str:
    """A label as printed minus indentation, numbering and "其中：" (`　　1、办公设备配备` →
    `办公设备配备`, `其中：（一）基本支出` → `基本支出`)."""
    label = " ".join((text or "").split())
    for _ in range(3):
        stripped = _OF_WHICH.sub("", label).strip()
        level = outline_level(stripped)
        if level is not None:
            stripped = OUTLINE_LEVELS[level - 1].sub("", stripped, count=1).strip()
        if stripped == label:
            break
        label = stripped
    return label


@lru_cache(maxsize=16384)
def bare_label(text: str) -> str:
    """A row label for matching: no numbering, "其中：", spaces or quotes (`二、公务用车购置及运维费`
    → `公务用车购置及运维费`)."""
    return squash(strip_numbering(text))
