"""Figures printed in the explanation sections (情况说明) of a disclosure.

The explanation restates the totals, the 三公 costs, the 机关运行经费, procurement and fixed
assets in sentences (`其中，基本支出407.16万元，包括人员经费343万元…`) and, inside those
sections, a few small tables (固定资产占用情况表, 部门政府采购预算, 部门基本情况表).

Sections are found by what their headings say, whatever their numbering or order. In a
sentence every amount states its own unit and takes the meaning of the nearest label
printed before it (`words.PROSE_LABELS`); an amount right after 增加/减少 is a change on the
previous year, of the label before it or else of the figure the sentence just stated.
What a sentence prints is kept even when absurd (`1135000万元`): validation judges it.
"""

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.amounts import parse_amount
from ingest.bounds import too_many_digits
from ingest.document import Document
from ingest.identity import find_year
from ingest.result import Candidate, Source
from ingest.text import ascii_digits, is_numbered, is_top_level, to_ascii
from ingest.vocabulary import prose as words
from ingest.vocabulary import tables as tables_vocab

BLOCKS = ("totals", "three_costs", "assets", "procurement", "staffing")

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
# How far before an amount its verb (`增加`, `减少了 `) may start.
_VERB_WINDOW = 32
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

    @property
    def scope(self) -> str:
        """Which money the section's figures cover: `fiscal` under a heading about 财政拨款 or
        一般公共预算 (`五、一般公共预算财政拨款支出决算情况说明`), else all the department's."""
        return "fiscal" if tables_vocab.FISCAL_TITLE.search(self.heading) else "all"


def _sections(document):
    """The running text under each heading, paragraphs a PDF broke mid-sentence joined."""
    section = _Section(heading="", kind="preamble", starts=[], blocks=[])
    parts, length = [], 0  # the section's text, joined once at its end: no quadratic copying
    for block in document.paragraphs:
        heading, kind, body = _split_heading(block.text)
        # Inside 名词解释 a numbered line is a term; a top-level or unnumbered heading ends it.
        if heading and not (section.kind in STICKY_KINDS and _is_term(heading)):
            section.text = "".join(parts)
            yield section
            section = _Section(
                heading=heading, kind=section.kind if kind == "inherit" else kind, starts=[], blocks=[]
            )
            parts, length = [], 0
        if not body:
            continue
        if parts and parts[-1][-1] in _SENTENCE_END + "；;：:":  # else a PDF line break
            parts.append("\n")
            length += 1
        section.starts.append(length)
        section.blocks.append(block)
        parts.append(body)
        length += len(body)
    section.text = "".join(parts)
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
    kind = next((kind for word, kind in words.SECTION_KINDS if word in stripped), None)
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
    labels.sort(key=lambda label: label.start)  # stable: labels at one start keep their order
    label_starts = [label.start for label in labels]
    start = 0
    for end in _sentence_ends(text):
        # The labels starting in this sentence, found by bisection: each sentence costs its own
        # labels, not all the section's.
        first, last = bisect.bisect_left(label_starts, start), bisect.bisect_left(label_starts, end)
        sentence_labels = [label for label in labels[first:last] if label.end <= end]
        events = _events(text, start, end, sentence_labels)
        if final_accounts:
            events = _spent_not_budgeted(text, start, events, sentence_labels)
        yield from _bind(section, text, start, events, sentence_labels, year)
        start = end


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
        if words.BUDGETED.search(before) and not words.SPENT.search(before):
            named = label or named
            continue
        if label is None and named is not None and words.SPENT.search(before):
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
            if too_many_digits(match["number"]):
                continue  # an account or document number, not a figure
            if not words.THRESHOLD.match(text, match.end()):
                events.append(_amount_event(text, start, match, measure))
    events.extend(_nil_events(text, start, end, labels))
    for match in words.FLAT.finditer(text, start, end):
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
    if measure == "money":
        value = parse_amount(to_ascii(match["number"]), _UNITS.get(match["unit"], match["unit"]))
    else:
        value = int(to_ascii(match["number"]))
    # The verb ends right before the amount: only the last few characters are searched, so a
    # long sentence of many amounts costs no more than its length.
    window = max(sentence_start, match.start() - _VERB_WINDOW)
    for verb, sign in ((words.FALL, -1), (words.RISE, 1)):
        moved = verb.search(text, window, match.start())
        if moved:
            return _Event(moved.start(), match.end(), "change", measure, sign * value)
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
            source = section.source_at(event.start)
            yield label.block, key + suffix, Candidate(event.value, printed, source, scope=section.scope)


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


_COMPILED_LABELS = tuple(
    (re.compile(p), block, keys, measure) for p, block, keys, measure in words.PROSE_LABELS
)
