"""Figures printed in the explanation sections (情况说明) of a disclosure.

The explanation restates the totals, the 三公 costs, the 机关运行经费, procurement and fixed
assets in sentences (`其中，基本支出407.16万元，包括人员经费343万元…`) and, inside those
sections, a few small tables (固定资产占用情况表, 部门政府采购预算, 部门基本情况表).

Sections are found by what their headings say, whatever their numbering or order. In a
sentence every amount states its own unit and takes the meaning of the nearest label
printed before it (`PROSE_LABELS`); an amount right after 增加/减少 is a change on the
previous year, of the label before it or else of the figure the sentence just stated.
What a sentence prints is kept even when absurd (`1135000万元`): validation judges it.
"""

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.amounts import parse_amount
from ingest.document import Document
from ingest.identity import find_year
from ingest.result import Candidate, Source
from ingest.text import ascii_digits, is_numbered, is_top_level, to_ascii

BLOCKS = ("totals", "three_costs", "assets", "procurement", "staffing")

# Heading keywords → section kind, first match wins (三公 headings also say 增减 and 支出).
SECTION_KINDS = (
    ("名词解释", "glossary"),
    ("三公", "three_costs"),
    ("机关运行", "operating"),
    ("政府采购", "procurement"),
    ("资产", "assets"),
    ("机构设置", "staffing"),
    ("人员编制", "staffing"),
    ("人员情况", "staffing"),
    ("职责", "duties"),
    ("绩效", "performance"),
    ("其他需要说明", "other"),
    ("目录", "contents"),
    ("收入", "totals"),
    ("支出", "totals"),
    ("收支", "totals"),
    ("增减", "totals"),
    ("总体情况", "totals"),
    ("预算安排", "totals"),
    ("编制说明", "totals"),
)
# Which blocks of figures a section kind may state; other kinds state none. Text before
# any heading may state totals: a short disclosure can be a few unheaded sentences.
# Kinds whose numbered terms are not sections: 名词解释 lists `1.财政拨款收入` as a term.
STICKY_KINDS = {"glossary"}
SECTION_BLOCKS = {
    "preamble": {"totals", "three_costs"},
    "totals": {"totals"},
    "operating": {"totals"},
    "three_costs": {"three_costs"},
    "procurement": {"procurement"},
    "assets": {"assets"},
    "staffing": {"staffing", "assets"},
}

_Q = r"[“”\"‘’']?"
# Labels of figures in sentences: (pattern, block, keys, measure). A key None marks a
# figure that is recognised so that a shorter label inside it (`基金预算收入` holds
# `预算收入`) does not claim it. Where two labels end at the same place the longer wins.
PROSE_LABELS = (
    (r"(?:预算)?收入(?:总计|合计|预算|总额)|预算收入|本年收入合计|总收入", "totals", ("income",), "money"),
    (
        r"(?:预算)?支出(?:总计|合计|预算|总额)|预算支出|本年支出合计|总支出",
        "totals",
        ("expenditure",),
        "money",
    ),
    (r"(?:预算)?收支(?:预算|总预算|总计|安排)?", "totals", ("income", "expenditure"), "money"),
    (r"一般公共预算(?:财政)?拨款(?:收入)?|一般公共预算收入", "totals", ("general_budget_income",), "money"),
    (r"财政拨款收(?:入)?支(?:出)?总计", "totals", ("fiscal_total",), "money"),
    (r"一般公共预算(?:财政)?拨款支出(?:预算|决算)?", "totals", ("general_budget_expenditure",), "money"),
    (r"政府性基金(?:预算)?(?:财政)?拨款支出(?:预算|决算)?", "totals", ("fund_expenditure",), "money"),
    (
        r"国有资本经营预算(?:财政)?拨款支出(?:预算|决算)?",
        "totals",
        ("state_capital_expenditure",),
        "money",
    ),
    (r"基本支出", "totals", ("basic",), "money"),
    (r"人员经费(?:支出)?|人员支出", "totals", ("personnel",), "money"),
    (r"(?:日常|正常)?公用经费(?:支出)?|(?:日常)?公用支出", "totals", ("public",), "money"),
    (r"项目支出", "totals", ("project",), "money"),
    (r"(?:单位)?预留机动(?:经费|资金)", "totals", ("reserve",), "money"),
    (r"机关运行(?:经)?费(?:用)?", "totals", ("operating",), "money"),
    (
        r"(?:政府性)?基金(?:预算)?(?:拨款)?收入|国有资本经营预算(?:拨款)?收入|财政专户(?:核拨|管理资金)?收入"
        r"|其他(?:来源)?收入|上年结转(?:结余)?|事业(?:单位经营)?收入|经营收入|行政事业性收费(?:收入)?"
        r"|上级补助收入|附属单位上缴收入|财政拨款收入",
        "totals",
        (None,),
        "money",
    ),
    (rf"{_Q}三公{_Q}经费", "three_costs", ("total",), "money"),
    (r"因公出国[（(]境[）)]费(?:用)?|因公出国费(?:用)?|出国费", "three_costs", ("overseas",), "money"),
    (
        r"公务用车购置(?:及|和)运(?:行维护|行|维)费(?:用)?|公务用车费(?:用)?",
        "three_costs",
        ("vehicle",),
        "money",
    ),
    (r"公务用车购置(?:费)?|车辆购置费", "three_costs", ("vehicle_purchase",), "money"),
    (
        r"公务用车运(?:行维护|行|维)费(?:用)?|运行维护费|运维费",
        "three_costs",
        ("vehicle_operation",),
        "money",
    ),
    (r"公务接待费(?:用)?|接待费", "three_costs", ("reception",), "money"),
    (r"固定资产(?:金额|总额|总值|原值|价值)?|资产总额", "assets", ("fixed_assets_total",), "money"),
    (r"(?:拟|计划)?(?:新增|购置)固定资产(?:金额|总额)?", "assets", (None,), "money"),
    (r"车辆|公务用车|公车", "assets", ("vehicles_count",), "vehicles"),
    (r"政府采购(?:预算)?(?:总额|金额|资金)?|采购预算", "procurement", ("total",), "money"),
    (r"货物类?(?:采购)?(?:预算)?", "procurement", ("goods",), "money"),
    (r"工程类?(?:采购)?(?:预算)?", "procurement", ("works",), "money"),
    (r"服务类?(?:采购)?(?:预算)?", "procurement", ("services",), "money"),
    (r"(?:核定|实有)?编制(?:人数|数)?", "staffing", ("authorized",), "people"),
    (r"在职(?:人员|人数|职工)?", "staffing", ("in_service",), "people"),
    (r"离退休(?:人员|人数)?|退休(?:人员|人数)?", "staffing", ("retired",), "people"),
)

_DIGIT = r"[0-9０-９]"
_MONEY = re.compile(
    rf"(?<![0-9０-９.．])(?P<number>{_DIGIT}{{1,3}}(?:,{_DIGIT}{{3}})+(?:[.．]{_DIGIT}+)?|{_DIGIT}+(?:[.．]{_DIGIT}+)?)"
    r"\s*(?P<unit>万元|亿元|千元|元|万(?=[\s，,。；;、）)（(]|$))"
)
# Counts by what they count: cars (辆, 台) and people (人, 名).
_COUNTS = {
    "vehicles": re.compile(r"(?<![0-9０-９.．])(?P<number>[0-9０-９]+)\s*(?P<unit>辆|台)"),
    "people": re.compile(r"(?<![0-9０-９.．])(?P<number>[0-9０-９]+)\s*(?P<unit>人|名)"),
}
_UNITS = {"万": "万元"}
_RISE = re.compile(r"(?<!新)(?:增加|增长|上升|提高|增)了?\s*$")
_FALL = re.compile(r"(?:减少|下降|降低|压减|压缩|节约|节省|减)了?\s*$")
# `单价在20万元以上的设备` states a limit, not a figure.
_THRESHOLD = re.compile(r"\s*(?:以上|以下|以内|及以上)")
_FLAT = re.compile(r"(?:(?:与|比|较|同)(?:上年|去年|上一年度?)(?:相比)?)?(?:基本)?持平|无增减变化|没有变化")
_NIL = "无"
_PRIOR_YEAR = re.compile(r"上年(?!末)|去年|上一年|(?P<year>(?:19|20)\d\d)\s*年(?!末|底|\s*\d+\s*月)")
_SENTENCE_END = "。！？!?"
_HEADING_MAX = 40


@dataclass
class _Label:
    start: int
    end: int
    block: str
    keys: tuple
    measure: str


@dataclass
class _Event:
    """One thing a sentence states: an amount, a zero (`无公务接待费`) or no change (持平).
    `start`/`end` delimit what is printed for it, 增加/减少 included."""

    start: int
    end: int
    kind: str  # "level" or "change"
    measure: str
    value: Decimal | int
    label: _Label | None = None


def parse_prose(document: Document, year: int | None = None, final_accounts: bool = False) -> dict:
    """Figures the explanation sections state, grouped by block.

    Accepts any Document, and the budget year where the caller knows it already (else it is
    found again); returns {block: {key: Figure}} for the blocks in BLOCKS, where a Figure is
    `Candidate` (value in 万元 as Decimal, or an int count; the text printed; its `Source`).
    Changes on the previous year are keys ending in `_change`, a decrease negative.
    Final accounts state what was budgeted before what was spent (`年初预算为0.95万元，支出
    决算为0万元`): with `final_accounts`, the figures are the spent ones.
    """
    if year is None:
        year, _ = find_year(document)
    figures = {block: {} for block in BLOCKS}
    for section in _sections(document):
        allowed = SECTION_BLOCKS.get(section.kind, set())
        if allowed:
            for block, key, figure in _sentence_figures(section, allowed, year, final_accounts):
                figures[block].setdefault(key, figure)
    _add_vehicle_sum(figures["three_costs"])
    return figures


# --- sections -------------------------------------------------------------------------


@dataclass
class _Section:
    heading: str
    kind: str
    text: str = ""
    starts: list | None = None  # offsets in `text` where each paragraph starts
    blocks: list | None = None  # each paragraph

    def source_at(self, offset: int) -> Source:
        """Where the text at `offset` was printed: this section, the paragraph's line and page."""
        block = self.blocks[bisect.bisect_right(self.starts, offset) - 1]
        return Source(section=self.heading, line=block.line, page=block.page)


def _sections(document):
    """The running text under each heading, paragraphs a PDF broke mid-sentence joined."""
    section = _Section(heading="", kind="preamble", starts=[], blocks=[])
    for block in document.paragraphs:
        heading, kind, body = _split_heading(block.text)
        # Inside 名词解释 a numbered line is a term; a top-level or unnumbered heading ends it.
        if heading and not (section.kind in STICKY_KINDS and _is_term(heading)):
            yield section
            section = _Section(
                heading=heading, kind=section.kind if kind == "inherit" else kind, starts=[], blocks=[]
            )
        if not body:
            continue
        if section.text and section.text[-1] in _SENTENCE_END + "；;：:":  # else a PDF line break
            section.text += "\n"
        section.starts.append(len(section.text))
        section.blocks.append(block)
        section.text += body
    yield section


def _is_term(heading: str) -> bool:
    return is_numbered(heading) and not is_top_level(heading)


def _split_heading(text):
    """(heading, kind, body) of a paragraph: a heading line, running text, or a numbered
    heading that runs on into its first sentence (`（三）政府采购情况：2023年…`)."""
    kind = heading_kind(text)
    if kind is not None:
        return text, kind, ""
    if is_numbered(text):
        cut = re.search(r"[：:。]", text)
        if cut and heading_kind(text[: cut.start()]) is not None:
            return text[: cut.start()], heading_kind(text[: cut.start()]), text[cut.end() :]
    return "", None, text


def heading_kind(text: str) -> str | None:
    """The kind of section a heading opens, "inherit" for a subheading that does not say,
    or None when the line is running text rather than a heading."""
    stripped = text.strip().rstrip("。：:.． ")
    if len(stripped) > _HEADING_MAX or re.search(r"[，,。；;]", stripped) or _MONEY.search(stripped):
        return None
    kind = next((kind for word, kind in SECTION_KINDS if word in stripped), None)
    numbered = is_numbered(stripped)
    if kind:
        return kind if numbered or _reads_as_heading(stripped) else None
    if not numbered:
        return None
    return "other" if is_top_level(stripped) else "inherit"


def _reads_as_heading(text: str) -> bool:
    """An unnumbered line is a heading when it names a topic: `收入预算说明`, `机构设置：`."""
    return bool(re.search(r"(?:说明|情况|信息|表|设置|职责|解释|目标|事项)$", text)) or len(text) <= 8


# --- sentences ------------------------------------------------------------------------


def _sentence_figures(section: _Section, allowed: set, year: int | None, final_accounts: bool = False):
    """(block, key, Figure) for each figure the section's sentences state."""
    text = ascii_digits(section.text)
    labels = [label for label in _find_labels(text) if label.block in allowed]
    start = 0
    for end in _sentence_ends(text):
        sentence_labels = [label for label in labels if start <= label.start and label.end <= end]
        events = _events(text, start, end, sentence_labels)
        if final_accounts:
            events = _spent_not_budgeted(text, start, events, sentence_labels)
        yield from _bind(section, text, start, events, sentence_labels, year)
        start = end


# What a final account says before an amount: the budget it started from, or what was spent.
_BUDGETED = re.compile(r"(?:年初|全年|调整后)?预算(?:数|金额)?(?:为|是)?\s*$")
_SPENT = re.compile(r"决算(?:数|金额)?(?:为|是)?\s*$|实际支出\s*$")


def _spent_not_budgeted(text, sentence_start, events, labels):
    """The events of a final account's sentence without the budgeted amounts, each spent
    amount bound to the label the budgeted one had (`三公经费年初预算为0.95万元，支出决算为0万元`)."""
    kept, named, previous_end = [], None, sentence_start
    for event in events:
        before = text[previous_end : event.start]
        label = event.label or _nearest_label(labels, previous_end, event.start, event.measure)
        previous_end = event.end
        if event.kind != "level":
            kept.append(event)
            continue
        if _BUDGETED.search(before) and not _SPENT.search(before):
            named = label or named
            continue
        if label is None and named is not None and _SPENT.search(before):
            event = _Event(event.start, event.end, event.kind, event.measure, event.value, named)
        named = None
        kept.append(event)
    return kept


def _sentence_ends(text):
    for match in re.finditer(rf"[{_SENTENCE_END}\n]", text):
        yield match.end()
    yield len(text)


def _find_labels(text):
    found = []
    for pattern, block, keys, measure in _COMPILED_LABELS:
        for match in pattern.finditer(text):
            found.append(_Label(match.start(), match.end(), block, keys, measure))
    return found


def _events(text, start, end, labels):
    """Amounts, zeros and no-change statements of one sentence, in reading order."""
    events = []
    for measure, pattern in (("money", _MONEY), *_COUNTS.items()):
        for match in pattern.finditer(text, start, end):
            if not _THRESHOLD.match(text, match.end()):
                events.append(_amount_event(text, start, match, measure))
    events.extend(_nil_events(text, start, end, labels))
    for match in _FLAT.finditer(text, start, end):
        events.append(_Event(match.start(), match.end(), "change", "any", Decimal(0)))
    return sorted(events, key=lambda event: event.start)


def _nil_events(text, start, end, labels):
    """`无因公出国（境）费用`, `无政府采购项目`: the figure is stated to be zero."""
    for at in range(start, end):
        if text[at] != _NIL:
            continue
        named = [label for label in labels if label.start == at + 1]
        if named:
            label = max(named, key=lambda label: label.end)
            zero = Decimal(0) if label.measure == "money" else 0
            yield _Event(at, label.end, "level", label.measure, zero, label)


def _amount_event(text, sentence_start, match, measure):
    """A level, or a change where 增加/减少 stands right before the amount (printed with it)."""
    before = text[sentence_start : match.start()]
    if measure == "money":
        value = parse_amount(to_ascii(match["number"]), _UNITS.get(match["unit"], match["unit"]))
    else:
        value = int(to_ascii(match["number"]))
    for verb, sign in ((_FALL, -1), (_RISE, 1)):
        moved = verb.search(before)
        if moved:
            start = sentence_start + moved.start()
            return _Event(start, match.end(), "change", measure, sign * value)
    return _Event(match.start(), match.end(), "level", measure, value)


def _bind(section, text, sentence_start, events, labels, year):
    """Give each event the label nearest before it; a change without one is a change of
    the figure the sentence last named (`预算5万元，较上年预算数6万元减少1万元`)."""
    window_start = sentence_start
    subject = None
    for event in events:
        label = event.label or _nearest_label(labels, window_start, event.start, event.measure)
        window_start = event.end
        if event.kind == "level":
            subject = label or subject
            if label and not _dated_another_year(text, sentence_start, label, event, year):
                yield from _figures(section, label, "", event)
            continue
        label = label or subject
        if label and event.measure in ("any", label.measure):
            yield from _figures(section, label, "_change", event)


def _nearest_label(labels, start, end, measure):
    """The label ending last before `end` (the longest of those ending together)."""
    inside = [
        label
        for label in labels
        if start <= label.start and label.end <= end and measure in ("any", label.measure)
    ]
    return max(inside, key=lambda label: (label.end, -label.start)) if inside else None


def _dated_another_year(text, sentence_start, label, event, year):
    """True when the clause of a level figure dates it to another year (`2017年三公经费…`);
    balances such as 上年末固定资产 are dated so by nature."""
    if label.block == "assets":
        return False
    clause_start = max(text.rfind(mark, sentence_start, label.start) for mark in "，,；;：:")
    clause = text[max(clause_start + 1, sentence_start) : event.start]
    for match in _PRIOR_YEAR.finditer(clause):
        if match["year"] is None or (year is not None and int(match["year"]) != year):
            return True
    return False


def _figures(section, label, suffix, event):
    for key in label.keys:
        if key is not None:
            printed = section.text[event.start : event.end]
            yield label.block, key + suffix, Candidate(event.value, printed, section.source_at(event.start))


def _add_vehicle_sum(three_costs):
    """`公务用车购置0万元及运行维护费40万元` states the car costs in two parts only."""
    parts = [three_costs.get("vehicle_purchase"), three_costs.get("vehicle_operation")]
    if "vehicle" in three_costs or None in parts:
        return
    three_costs["vehicle"] = Candidate(
        parts[0].value + parts[1].value,
        f"{parts[0].printed} + {parts[1].printed}",
        parts[1].source,
        derived=True,
    )


_COMPILED_LABELS = tuple((re.compile(p), block, keys, measure) for p, block, keys, measure in PROSE_LABELS)
