"""Who and when a disclosure is about: county, department, budget code and year.

Every part is read from what the document prints, in an order of trust: a page header
(`434 高邑县政府办`, `预算年度：2022`) or the title before running text. A part that
nothing prints is None; the assembly decides whether that makes the document unusable.
"""

import re
from collections import Counter

from ingest.departments import (
    ABBREVIATIONS,
    NAME_DECORATIONS,
    NAME_ENDINGS,
    NOT_DIVISIONS,
    ORGAN_PREFIXES,
)
from ingest.document import Document, Paragraph, Row

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CJK = r"[\u4e00-\u9fff]"
_NAME = r"(?P<name>[\u4e00-\u9fff（）()]{2,40}?)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# The page header of the budget tables: `预算年度：2022` (决算年度 in final accounts).
_HEADER_YEAR = re.compile(rf"(?:预算|决算)年度\s*[:：]\s*{_YEAR}")
# A title naming the year: `2022 年部门预算信息公开`, `2019年度部门决算`.
_TITLE_YEAR = re.compile(rf"{_YEAR}\s*年\s*度?\s*(?:部门|单位)?\s*(?:预算|决算)")
# Any year in running text, for documents whose only statement of the year is `2016年度…`.
_ANY_YEAR = re.compile(rf"{_YEAR}\s*年")
# A year that is a comparison or a balance date is not the year the document is about.
_COMPARED = re.compile(r"(?:比|较|与|同|上|截止|截至|至|自)\s*$")
_BALANCE_DATE = re.compile(r"\s*年\s*(?:末|底|\d+\s*月)")
# Lines that say what they are: a title or the opening sentence of the explanation.
_TITLE_WORDS = ("公开", "说明", "报告")

# The department's budget code before its short name: `434 高邑县政府办`, `434政府`.
_CODE_HEADER = re.compile(rf"^(?P<code>\d{{3,9}})\s*(?P<name>{_CJK}[\u4e00-\u9fff（）()]*)$")
# Names of classification rows (`201 一般公共服务支出`), which a code header never is.
_CLASSIFICATION_ENDINGS = ("支出", "收入", "费", "事务", "补助", "保险", "缴费")

# Where running text names the department, with how much each place is trusted.
_NAME_STATEMENTS = (
    (
        re.compile(rf"^(?!现将){_NAME}\s*{_YEAR}\s*年\s*度?\s*(?:部门|单位)?\s*(?:预算|决算)[^，,。；;\d]*$"),
        3,
    ),
    (re.compile(rf"^{_NAME}\s*(?:{_YEAR}\s*年\s*度?)?\s*收支(?:预算|决算)(?:说明)?$"), 3),
    (re.compile(rf"现将{_NAME}\s*(?:[（(]含[所下]属单位[）)])?\s*{_YEAR}\s*年"), 2),
    (re.compile(rf"^编制(?:部门|单位)\s*[:：]\s*{_NAME}$"), 1),
    (re.compile(rf"^{_NAME}\s*(?:[（(]含[所下]属单位[）)])?\s*(?:上年末|{_YEAR}\s*年末)固定资产"), 1),
    (re.compile(rf"^{_NAME}固定资产占用情况表$"), 1),
)
_TITLE_WEIGHT = 3
_TABLE_WEIGHT = 1
# Headings numbered `一、`, `（一）`, `1.`: the title block ends at the first of them.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])")
_DIVISION = re.compile(
    rf"(?:(?P<city>{_CJK}{{1,8}}?市)(?={_CJK}{{1,6}}?(?:自治县|自治旗|县|区|旗|市)))?"
    rf"(?P<county>{_CJK}{{1,6}}?(?:自治县|自治旗|县|区|旗|市))"
)


def parse_identity(document: Document) -> dict:
    """County, canonical department name, budget code and year of one disclosure.

    Accepts any Document; returns {"county", "department", "department_code", "year",
    "aliases": [names as printed], "sources": {part: {"printed", "line"}}}, with None
    (and no source) for each part the document does not print.
    """
    texts = list(_texts(document))
    year, year_source = find_year(document, texts)
    code, code_source = find_department_code(document)
    names = list(_printed_names(document, texts))
    department, county, name_source = _choose_department(names)
    sources = {
        "county": name_source,
        "department": name_source,
        "department_code": code_source,
        "year": year_source,
    }
    return {
        "county": county,
        "department": department,
        "department_code": code,
        "year": year,
        "aliases": list(dict.fromkeys(name for name, _, _ in names)),
        "sources": {part: source for part, source in sources.items() if source},
    }


def find_year(document: Document, texts: list | None = None) -> tuple[int | None, dict | None]:
    """The year the document is about: the table page header, else a title, else the year
    running text names most often (comparisons and balance dates left out). `texts` is
    `_texts(document)` where the caller has it already."""
    texts = list(_texts(document)) if texts is None else texts
    for pattern, is_title in ((_HEADER_YEAR, False), (_TITLE_YEAR, True)):
        for text, line in texts:
            if is_title and not _is_title_line(text):
                continue
            for match in pattern.finditer(text):
                if not _is_compared(text, match):
                    return int(match["year"]), {"printed": match.group(0), "line": line}
    counts = Counter()
    first_seen = {}
    for text, line in texts:
        for match in _ANY_YEAR.finditer(text):
            if _is_compared(text, match) or _BALANCE_DATE.match(text, match.end("year")):
                continue
            counts[match["year"]] += 1
            first_seen.setdefault(match["year"], {"printed": match.group(0), "line": line})
    if not counts:
        return None, None
    year = counts.most_common(1)[0][0]
    return int(year), first_seen[year]


def find_department_code(document: Document) -> tuple[str | None, dict | None]:
    """The budget code the table headers print before the department (`434 高邑县政府办`).

    Unit pages print the unit's longer code (`434002涞源县人民政府办公室`); the department's
    code is the shortest one the others start with, else the most frequent.
    """
    found = Counter()
    first_seen = {}
    for text, line in _header_texts(document):
        match = _CODE_HEADER.match(text)
        if match and _looks_like_name(match["name"]):
            found[match["code"]] += 1
            first_seen.setdefault(match["code"], {"printed": text, "line": line})
    if not found:
        return None, None
    code = found.most_common(1)[0][0]
    prefixes = [other for other in found if other != code and code.startswith(other)]
    if prefixes:
        code = min(prefixes, key=len)
    return code, first_seen[code]


def canonical_name(printed: str, county: str | None = None) -> str:
    """The full name a printed department name stands for: decorations (本级, 含所属单位)
    dropped, the short form after the county expanded, the county added where missing."""
    name = _strip_decorations(re.sub(r"\s+", "", printed))
    prefix, stem = split_division(name)
    stem = ABBREVIATIONS.get(stem, stem)
    if not prefix and county:
        prefix = county
    return prefix + stem


def split_division(name: str) -> tuple[str, str]:
    """`石家庄市长安区财政局` → (`石家庄市长安区`, `财政局`); ("", name) where no county leads."""
    organ = next((p for p in ORGAN_PREFIXES if name.startswith(p)), "")
    match = _DIVISION.match(name, len(organ))
    if not match or match["county"].endswith(NOT_DIVISIONS) or match.end() == len(name):
        return "", name
    return name[: match.end()], name[match.end() :]


def county_of(name: str) -> str | None:
    """The county-level division a department name starts with, or None."""
    prefix, _ = split_division(name)
    if not prefix:
        return None
    organ = next((p for p in ORGAN_PREFIXES if prefix.startswith(p)), "")
    return _DIVISION.match(prefix, len(organ))["county"]


def _choose_department(names):
    """The canonical name with the most trusted votes, its county, and where it was printed."""
    counties = Counter(county_of(name) for name, _, _ in names if county_of(name))
    county = counties.most_common(1)[0][0] if counties else None
    votes = Counter()
    best_printed = {}  # canonical name → (weight, source) of its most trusted printing
    for name, weight, line in names:
        canonical = canonical_name(name, county)
        votes[canonical] += weight
        if canonical not in best_printed or weight > best_printed[canonical][0]:
            best_printed[canonical] = (weight, {"printed": name, "line": line})
    # Table headers name the department only in short (`434政府`): trusted when nothing else
    # names it and the short name carries its county.
    eligible = [name for name in votes if votes[name]] or [name for name in votes if county_of(name)]
    if not eligible:
        return None, county, None
    department = max(eligible, key=lambda name: (votes[name], len(name)))
    return department, county_of(department) or county, best_printed[department][1]


def _printed_names(document, texts):
    """(name as printed, trust weight, line) for every place the document names its department."""
    yield from _title_names(document)
    for text, line in texts:
        stripped = _strip_numbering(text)
        for pattern, weight in _NAME_STATEMENTS:
            match = pattern.search(stripped)
            if match and _looks_like_name(match["name"]):
                yield match["name"], weight, line
    yield from _unit_table_names(document)
    for text, line in _header_texts(document):
        match = _CODE_HEADER.match(text)
        if match and _looks_like_name(match["name"]):
            yield match["name"], 0, line


def _title_names(document):
    """A line before the first heading that is nothing but a department name (the cover)."""
    for block in document.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = re.sub(r"\s+", "", block.text)
        if _NUMBERED.match(text):
            return
        if _looks_like_name(text) and county_of(text):
            yield text, _TITLE_WEIGHT, block.line


def _unit_table_names(document):
    """The first unit a 单位名称 column lists (机构设置 and 基本情况 tables list the
    department itself first)."""
    in_table = False
    for row in document.rows:
        cells = [re.sub(r"\s+", "", cell) for cell in row.filled]
        if "单位名称" in cells:
            in_table = True
            continue
        if in_table and cells and not re.match(r"^(合计|总计|小计)$", cells[0]):
            in_table = False
            if _looks_like_name(_strip_decorations(cells[0])):
                yield cells[0], _TABLE_WEIGHT, row.line


def _looks_like_name(text: str) -> bool:
    text = _strip_decorations(text)
    return (
        len(text) >= 2
        and bool(re.fullmatch(r"[\u4e00-\u9fff（）()]+", text))
        and text.endswith(NAME_ENDINGS)
        and not text.endswith(_CLASSIFICATION_ENDINGS)
    )


def _strip_decorations(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for decoration in NAME_DECORATIONS:
            if name.endswith(decoration) and len(name) > len(decoration):
                name, changed = name[: -len(decoration)], True
    return name


def _strip_numbering(text: str) -> str:
    return _NUMBERED.sub("", text).strip()


def _is_title_line(text: str) -> bool:
    return any(word in text for word in _TITLE_WORDS)


def _is_compared(text: str, match: re.Match) -> bool:
    return bool(_COMPARED.search(text[max(0, match.start() - 4) : match.start()]))


def _texts(document):
    """(text, line) of every paragraph and every table cell, digits made ASCII."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield block.text.translate(_DIGITS), block.line
        else:
            for cell in block.filled:
                yield cell.strip().translate(_DIGITS), block.line


def _header_texts(document):
    """Lines that can be a table page header: paragraphs, and rows of at most two cells
    (the Word layout puts `434政府` and `单位：万元` in one row)."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield block.text.strip().translate(_DIGITS), block.line
        elif isinstance(block, Row) and 0 < len(block.filled) <= 2:
            yield block.filled[0].strip().translate(_DIGITS), block.line
