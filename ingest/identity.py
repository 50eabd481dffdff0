"""Who and when a disclosure is about: county and its division, department, budget code,
year, and what kind of disclosure it is (budget or final accounts, department or unit).

Every part is read from what the document prints, in an order of trust: a page header
(`434 高邑县政府办`, `预算年度：2022`) or the title before running text. A part that
nothing prints is None; the assembly decides whether that makes the document unusable.
"""

import re
from collections import Counter, defaultdict
from typing import NamedTuple

from ingest import divisions
from ingest.document import Document, Paragraph, Row
from ingest.text import ascii_digits, is_numbered, strip_numbering
from ingest.vocabulary.departments import (
    ABBREVIATIONS,
    CLASSIFICATION_ENDINGS,
    COVER_LABELS,
    DOCUMENT_KINDS,
    DOCUMENT_LEVELS,
    NAME_DECORATIONS,
    NAME_ENDINGS,
    NOT_DIVISIONS,
    ORGAN_PREFIXES,
    PROFILE_HEADINGS,
    TABLE_LABELS,
    TITLE_WORDS,
)

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

# The department's budget code before its short name: `434 高邑县政府办`, `434政府`.
_CODE_HEADER = re.compile(rf"^(?P<code>\d{{3,9}})\s*(?P<name>{_CJK}[\u4e00-\u9fff（）()]*)$")

# What may follow `2024年度部门决算` in a title: the rest of a title, never running text
# (`…部门决算编制范围的单位`) cut at the end of a printed line.
_TITLE_TAIL = r"\s*(?:信息)?\s*(?:公开)?\s*(?:情况)?\s*(?:说明)?\s*(?:总表|表|目录|报告)?"


def _labelled(labels):
    return rf"^(?:{'|'.join(labels)})\s*[:：]\s*{_NAME}"


# Where running text names the department, with how much each place is trusted.
_NAME_STATEMENTS = (
    (
        re.compile(rf"^(?!现将){_NAME}\s*{_YEAR}\s*年\s*度?\s*(?:部门|单位)?\s*(?:预算|决算){_TITLE_TAIL}$"),
        3,
    ),
    (re.compile(rf"^{_NAME}\s*(?:{_YEAR}\s*年\s*度?)?\s*收支(?:预算|决算)(?:说明)?$"), 3),
    (re.compile(rf"{_labelled(COVER_LABELS)}$"), 3),
    (re.compile(rf"现将{_NAME}\s*(?:[（(]含[所下]属单位[）)])?\s*{_YEAR}\s*年"), 2),
    # The table header may go on with the unit of the amounts: `编制部门：… 单位：元`.
    (re.compile(rf"{_labelled(TABLE_LABELS)}(?:\s+单位\s*[:：].*)?$"), 1),
    (re.compile(rf"^{_NAME}\s*(?:[（(]含[所下]属单位[）)])?\s*(?:上年末|{_YEAR}\s*年末)固定资产"), 1),
    (re.compile(rf"^{_NAME}固定资产占用情况表$"), 1),
)
# A section heading made of the name and the subject (`上海市普陀区财政局概况`); trusted
# only with its county, as `部门概况` names no one.
_PROFILE_HEADING = re.compile(rf"^{_NAME}\s*(?:{'|'.join(PROFILE_HEADINGS)})$")
_TITLE_WEIGHT = 3
_TABLE_WEIGHT = 1
# The divisions a department name starts with: province, prefecture, county
# (`河北省石家庄市高邑县…`, `上海市普陀区…`), the first two optional.
_COUNTY = rf"{_CJK}{{1,6}}?(?:自治县|自治旗|县|区|旗|市)"
_DIVISION = re.compile(
    rf"(?P<province>{_CJK}{{2,7}}?(?:省|自治区))?"
    rf"(?:(?P<city>{_CJK}{{1,8}}?(?:市|自治州|地区|盟))(?={_COUNTY}))?"
    rf"(?P<county>{_COUNTY})"
)
# A province or prefecture leading a name: `上海市规划和自然资源局`, `舟山市财政局`.
_HIGHER_DIVISION = re.compile(rf"{_CJK}{{1,8}}?(?:省|自治区|市|自治州|地区|盟)")

# A heading that says what the document is: `部门预算`, `单位决算`, or a title ending as a
# budget or final-accounts title does (`收入支出决算总表`, `…决算情况说明`). `一般公共预算`
# and `预算绩效` are followed by other words, so they say nothing.
_KIND_PHRASE = re.compile(
    r"(?P<level>部门|单位)(?P<kind>预算|决算)|(?P<ending>预算|决算)(?=总表|表|情况说明|说明|信息公开|公开)"
)
# Headings are short and are not sentences; running text mentions other kinds
# (`下属行政事业单位决算。`).
_SENTENCE = re.compile(r"[，,。；;]")
_HEADING_MAX = 60


def parse_identity(document: Document) -> dict:
    """County, its division, canonical department name, budget code, year and kind of one
    disclosure.

    Accepts any Document; returns {"county", "department", "department_code", "year",
    "kind" (budget, final_accounts), "level" (department, unit), "province", "prefecture",
    "division_code", "aliases": [names as printed], "sources": {part: {"printed", "line", "page"}}},
    with None (and no source) for each part the document does not print.
    """
    texts = list(_texts(document))
    headers = list(_header_texts(document))
    year, year_source = find_year(document, texts)
    code, code_source = find_department_code(document, headers)
    names = list(_printed_names(document, texts, headers))
    department, county, name_source = _choose_department(names)
    kind, level, kind_source = find_kind(document, headers)
    # Layout text spaces words apart (`上海市 普陀区`); the namesakes are told by adjacency.
    division = divisions.locate(county, re.sub(r"\s+", "", "".join(text for text, _ in texts)))
    sources = {
        "county": name_source,
        "department": name_source,
        "department_code": code_source,
        "year": year_source,
        "kind": kind_source,
    }
    return {
        "county": county,
        "department": department,
        "department_code": code,
        "year": year,
        "kind": kind,
        "level": level,
        "province": division.province,
        "prefecture": division.prefecture,
        "division_code": division.code,
        "aliases": list(dict.fromkeys(name for name, _, _ in names)),
        "sources": {part: _with_page(source, document) for part, source in sources.items() if source},
    }


def _with_page(source: dict, document: Document) -> dict:
    page = document.page_of(source.get("line"))
    return source if page is None else {**source, "page": page}


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


def find_department_code(document: Document, headers: list | None = None) -> tuple[str | None, dict | None]:
    """The budget code the table headers print before the department (`434 高邑县政府办`).

    Unit pages print the unit's longer code (`434002涞源县人民政府办公室`); the department's
    code is the shortest one the others start with, else the most frequent. `headers` is
    `_header_texts(document)` where the caller has it already.
    """
    found = Counter()
    first_seen = {}
    headers = list(_header_texts(document)) if headers is None else headers
    for text, line in headers:
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


def find_kind(document: Document, headers: list | None = None) -> tuple[str | None, str | None, dict | None]:
    """Budget or final accounts, department or unit: what the title block says, else what
    most headings and table titles say. The level is `department` unless unit wording wins;
    both are None where no heading says either. `headers` as for `find_department_code`."""
    title_lines = {block.line for block in _title_block(document)}
    headers = list(_header_texts(document)) if headers is None else headers
    phrases = list(_kind_phrases(headers))
    title_phrases = [phrase for phrase in phrases if phrase.source["line"] in title_lines]
    kind = _majority(p.kind for p in title_phrases) or _majority(p.kind for p in phrases)
    if kind is None:
        return None, None, None
    level = _majority(p.level for p in title_phrases) or _majority(p.level for p in phrases)
    source = next(phrase.source for phrase in title_phrases + phrases if phrase.kind == kind)
    return kind, level or "department", source


def canonical_name(printed: str, county: str | None = None) -> str:
    """The full name a printed department name stands for: decorations (本级, 含所属单位)
    dropped, the short form after the county expanded, the county added where missing."""
    name = _strip_decorations(re.sub(r"\s+", "", printed))
    prefix, stem = split_division(name)
    stem = ABBREVIATIONS.get(stem, stem)
    if not prefix and county and not _names_higher_division(stem):
        prefix = county
    return prefix + stem


def split_division(name: str) -> tuple[str, str]:
    """`石家庄市长安区财政局` → (`石家庄市长安区`, `财政局`); ("", name) where no county leads."""
    match = _division_match(name)
    if not match:
        return "", name
    return name[: match.end()], name[match.end() :]


def county_of(name: str) -> str | None:
    """The county-level division a department name starts with, or None."""
    match = _division_match(name)
    return match["county"] if match else None


def _division_match(name: str) -> re.Match | None:
    """The divisions leading a department name, after any party or league prefix; None where
    no county leads (`上海市规划和自然资源局` is the municipality's own bureau) or nothing
    follows the divisions."""
    organ = next((p for p in ORGAN_PREFIXES if name.startswith(p)), "")
    match = _DIVISION.match(name, len(organ))
    if (
        not match
        or match.end() == len(name)
        or match["county"].endswith(NOT_DIVISIONS)
        or divisions.is_above_county(match["county"])
    ):
        return None
    return match


def _names_higher_division(name: str) -> bool:
    """True where the name starts with a province or prefecture (`上海市规划和自然资源局`):
    a department above the county, which the county must not be put before."""
    match = _HIGHER_DIVISION.match(name)
    return bool(match) and divisions.is_above_county(match.group(0))


def _department_key(canonical: str) -> str:
    """The name from its county on: `上海市普陀区财政局` and `普陀区财政局` are one department."""
    match = _division_match(canonical)
    if not match:
        return canonical
    return canonical[: match.start()] + match["county"] + canonical[match.end() :]


def _choose_department(names):
    """The department with the most trusted votes, printed in its most trusted form, its
    county, and where it was printed."""
    counties = Counter(county_of(name) for name, _, _ in names if county_of(name))
    county = counties.most_common(1)[0][0] if counties else None
    votes = Counter()
    forms = defaultdict(Counter)  # department → canonical forms printed → their votes
    best_printed = {}  # canonical name → (weight, source) of its most trusted printing
    for name, weight, line in names:
        canonical = canonical_name(name, county)
        key = _department_key(canonical)
        votes[key] += weight
        forms[key][canonical] += weight
        if canonical not in best_printed or weight > best_printed[canonical][0]:
            best_printed[canonical] = (weight, {"printed": name, "line": line})
    # Table headers name the department only in short (`434政府`): trusted when nothing else
    # names it and the short name carries its county.
    eligible = [key for key in votes if votes[key]] or [key for key in votes if county_of(key)]
    if not eligible:
        return None, county, None
    key = max(eligible, key=lambda key: (votes[key], len(key)))
    department = max(forms[key], key=lambda form: (forms[key][form], len(form)))
    return department, county_of(department) or county, best_printed[department][1]


def _printed_names(document, texts, headers):
    """(name as printed, trust weight, line) for every place the document names its department."""
    yield from _title_names(document)
    for text, line in texts:
        stripped = strip_numbering(text)
        for pattern, weight in _NAME_STATEMENTS:
            match = pattern.search(stripped)
            if match and _looks_like_name(match["name"]):
                yield match["name"], weight, line
        match = _PROFILE_HEADING.match(stripped)
        if match and _looks_like_name(match["name"]) and county_of(match["name"]):
            yield match["name"], _TABLE_WEIGHT, line
    yield from _unit_table_names(document)
    for text, line in headers:
        match = _CODE_HEADER.match(text)
        if match and _looks_like_name(match["name"]):
            yield match["name"], 0, line


def _title_names(document):
    """A line of the title block that is nothing but a department name (the cover)."""
    for block in _title_block(document):
        text = re.sub(r"\s+", "", block.text)
        if _looks_like_name(text) and county_of(text):
            yield text, _TITLE_WEIGHT, block.line


def _title_block(document):
    """The paragraphs before the first numbered heading: cover, title and table of contents."""
    for block in document.blocks:
        if not isinstance(block, Paragraph):
            continue
        if is_numbered(re.sub(r"\s+", "", block.text)):
            return
        yield block


class _KindPhrase(NamedTuple):
    kind: str
    level: str | None
    source: dict


def _kind_phrases(headers):
    """Every kind phrase printed in a heading or table title."""
    for text, line in headers:
        text = re.sub(r"\s+", "", text)
        if len(text) > _HEADING_MAX or _SENTENCE.search(text):
            continue
        for match in _KIND_PHRASE.finditer(text):
            kind = DOCUMENT_KINDS[match["kind"] or match["ending"]]
            yield _KindPhrase(kind, DOCUMENT_LEVELS.get(match["level"]), {"printed": text, "line": line})


def _majority(values):
    """The value given most often, None where none is given or two tie."""
    counts = Counter(value for value in values if value).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


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
        and not text.endswith(CLASSIFICATION_ENDINGS)
    )


def _strip_decorations(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for decoration in NAME_DECORATIONS:
            if name.endswith(decoration) and len(name) > len(decoration):
                name, changed = name[: -len(decoration)], True
    return name


def _is_title_line(text: str) -> bool:
    return any(word in text for word in TITLE_WORDS)


def _is_compared(text: str, match: re.Match) -> bool:
    return bool(_COMPARED.search(text[max(0, match.start() - 4) : match.start()]))


def _texts(document):
    """(text, line) of every paragraph and every table cell, digits made ASCII."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield ascii_digits(block.text), block.line
        else:
            for cell in block.filled:
                yield ascii_digits(cell.strip()), block.line


def _header_texts(document):
    """Lines that can be a table page header: paragraphs, and rows of at most two cells
    (the Word layout puts `434政府` and `单位：万元` in one row)."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield ascii_digits(block.text.strip()), block.line
        elif isinstance(block, Row) and 0 < len(block.filled) <= 2:
            yield ascii_digits(block.filled[0].strip()), block.line
