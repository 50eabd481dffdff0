"""The figures the site names (三公经费, 公务接待费, 机关运行经费, 收入总计 …) as the search finds them.

Nothing here is a new list of figures: the paths are the parsed-JSON contract's
(`ingest.result.BLOCK_KEYS`), the model field of each is the one the preview labels it by
(`ingest.review.FIGURE_FIELDS`), the words a document prints for it are the findings' names of
it in Chinese (`ingest.finding_messages.FIGURE_NAMES`, else the field's help text), its label
the field's verbose name in both languages, its parts the sums the checks verify (三公 = 出国 +
公务用车 + 接待, `ingest.validation`), its anchor the budget-year page's (`budgets.anchors`). A
search word finds a figure when one of these names holds it.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils import translation

from budgets.anchors import figure_anchor
from budgets.models import ThreeCosts
from budgets.search.text import normalize
from ingest.finding_messages import FIGURE_NAMES
from ingest.result import BLOCK_KEYS
from ingest.review import FIGURE_FIELDS
from ingest.validation import THREE_COST_SUMS, TOTAL_SUMS

# The blocks whose figures are named on every budget-year page; `total_change` is a change, not a figure.
BLOCKS = ("totals", "three_costs", "assets")
NOT_FIGURES = {"three_costs.total_change"}
PARTS = {
    block: {whole: parts for _check, whole, parts in sums}
    for block, sums in (("totals", TOTAL_SUMS), ("three_costs", THREE_COST_SUMS))
}
LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Figure:
    path: str  # totals.income, three_costs.reception

    @property
    def block(self) -> str:
        return self.path.partition(".")[0]

    @property
    def key(self) -> str:
        return self.path.partition(".")[2]

    @property
    def model(self):
        return FIGURE_FIELDS[self.block][0]

    @property
    def field(self) -> models.Field:
        model, name = FIGURE_FIELDS[self.block]
        return model._meta.get_field(name.format(self.key))

    @property
    def label(self) -> str:
        """In the reader's language: 公务接待费, receptions."""
        return str(self.field.verbose_name)

    @property
    def printed(self) -> str:
        """What the disclosures print: 公务接待费 (shown beside the English label)."""
        if self.path in FIGURE_NAMES:
            return _in("zh-hans", FIGURE_NAMES[self.path])
        return _chinese(str(self.field.help_text)) or _in("zh-hans", self.field.verbose_name)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Every name the figure answers to, normalized."""
        found = [self.printed, _chinese(str(self.field.help_text))]
        found += [_in(language, self.field.verbose_name) for language in LANGUAGES]
        if self.path in FIGURE_NAMES:
            found.append(_in("en", FIGURE_NAMES[self.path]))
        return tuple(dict.fromkeys(normalize(name) for name in found if normalize(name)))

    @property
    def parts(self) -> tuple["Figure", ...]:
        return tuple(Figure(f"{self.block}.{key}") for key in PARTS.get(self.block, {}).get(self.key, ()))

    @property
    def money(self) -> bool:
        return isinstance(self.field, models.DecimalField)

    @property
    def anchor(self) -> str:
        return figure_anchor(self.path)

    @property
    def in_three_costs(self) -> bool:
        return self.model is ThreeCosts

    @property
    def column(self) -> str:
        """The path from a BudgetYear to the figure, for queries: three_costs__reception."""
        return f"three_costs__{self.field.name}" if self.in_three_costs else self.field.name

    def value(self, budget_year):
        """The figure of a budget year as saved (None: not printed). The three costs come with
        the budget year (select_related), so this asks nothing of the database."""
        if self.in_three_costs:
            three_costs = getattr(budget_year, "three_costs", None)
            return getattr(three_costs, self.field.name) if three_costs else None
        return getattr(budget_year, self.field.name)

    def doubted(self, budget_year) -> bool:
        """Whether an error the checks found casts doubt on it: it reads "needs checking"."""
        return self.key in budget_year.doubts(self.block)

    def matches(self, term) -> bool:
        """Whether a typed word is part of one of its names; a word of one or two Latin letters
        is part of too many English ones to mean anything."""
        return any(
            variant in name
            for variant in term.variants
            if not (variant.isascii() and variant.isalpha() and len(variant) < 3)
            for name in self.names
        )


def _chinese(text: str) -> str:
    """The text where it is Chinese (help texts are the printed name, or an English remark)."""
    return text if any("\u4e00" <= c <= "\u9fff" for c in text) else ""


def _in(language, text) -> str:
    with translation.override(language):
        return str(text)


FIGURES = tuple(
    Figure(f"{block}.{key}")
    for block in BLOCKS
    for key in BLOCK_KEYS[block]
    if f"{block}.{key}" not in NOT_FIGURES
)


def matching(terms) -> list[Figure]:
    """The figures every term names, with their parts after them (三公经费: the total, then
    出国, 公务用车 and 接待), in the pages' order."""
    named = [f for f in FIGURES if all(f.matches(term) for term in terms)]
    shown = []
    for figure in named:
        for one in (figure, *figure.parts):
            if one not in shown:
                shown.append(one)
    return sorted(shown, key=FIGURES.index)
