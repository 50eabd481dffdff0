"""Pages of a list that cost about the same on page 1 and on its last page, however many rows
the country has.

Counting every matching row of millions (`SELECT COUNT(*)` over the joins) took longer than the
page itself. The count stops at `LIMIT`: up to 1,000 rows it is exact, beyond it the page says
"more than 1,000 rows", which is true, where the planner's estimate could be wrong by a factor.
Only those first rows are paged (20 pages of 50): a page further down makes the database read
and skip every row before it, and counting 10,000 rows through a list's joins took 30–100 ms on
its own. Every row is still one click away, in the CSV and JSON downloads, and the filters
narrow a list to what a reader can page through.
"""

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

from budgets.lookups import Keys

LIMIT = 1_000
YEARS_BATCH = 256  # budget years asked for at once, four times more each time a page needs more


@dataclass
class ListedYears:
    """The budget years a list is filtered to, newest first (`keys`: a place's, read and sorted,
    or one year's, a query read a slice at a time), and the list's rows filtered by all that is
    not of the budget year (`rows`): the list is counted and paged among those years, a batch
    at a time, with no join to them. Joined to the place, PostgreSQL read every budget year of
    the country in the year asked for to count a province's (30 ms for 四川省 in 2022, 10 ms
    among its years)."""

    keys: Sequence[int]  # an array of 64-bit keys or a query of them, sliced a batch at a time
    rows: QuerySet
    # The batches read so far: the count and then the page go through the same ones.
    read: dict = field(default_factory=dict, init=False, repr=False)

    def batches(self):
        start, size = 0, YEARS_BATCH
        while keys := self._batch(start, size):
            yield self.rows.filter(budget_year__any_of=Keys(keys))
            if len(keys) < size:
                return
            start, size = start + size, size * 4

    def _batch(self, start, size) -> array:
        if (start, size) not in self.read:
            self.read[start, size] = array("q", self.keys[start : start + size])
        return self.read[start, size]


class BoundedPaginator(Paginator):
    """A Paginator whose count stops at `limit` rows: `capped` says there are more, and the
    pages end where the counted rows do. `everything`: the list is every row of its model
    (no filter, in its own order), so its keys are counted and sorted on the model's table
    alone, without the joins its columns need (budgets.lists)."""

    limit = LIMIT

    def __init__(self, object_list, per_page, *, everything=False, years=None):
        super().__init__(object_list, per_page)
        self.keys = (
            object_list.model._default_manager.order_by(*object_list.query.order_by) if everything else None
        )
        self.years = years

    @cached_property
    def found(self) -> int:
        """Matching rows, counted up to one beyond the limit: no ordering (any rows will do) and
        no columns but the key (the joins that only fetch columns need not be read)."""
        if self.years is not None:
            return self._found_by_year()
        rows = self.object_list if self.keys is None else self.keys
        # COUNT over the limited keys, not the keys themselves: asked for its keys, PostgreSQL
        # chose to walk a covering index of every budget year rather than start from the filter.
        return rows.order_by().values("pk")[: self.limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.found > self.limit

    @cached_property
    def count(self) -> int:
        return min(self.found, self.limit)

    def beyond(self, number) -> bool:
        """A page past the rows paged (?page=2000 of a list of millions)."""
        return self.capped and number is not None and number > self.num_pages

    def page(self, number):
        """The page's rows in two steps: the keys of its rows, sorted and sliced with no other
        column, then those rows with every column. A list's columns are expressions (links,
        flags, rates, a subquery); asking for them with the sort made the database compute
        them for every row it sorted (SQLite for each of 34,000 budget years), where the page
        shows 50. A ranking is read at once: its rank is computed over the rows it keeps."""
        page = super().page(number)
        if self.keys is not None:
            # SQLite joins the tables a list's columns need before it sorts, whatever the order:
            # the keys of every row, sorted on the model's own index, need none of them.
            bottom = (page.number - 1) * self.per_page
            keys = list(self.keys.values_list("pk", flat=True)[bottom : bottom + self.per_page])
            page.object_list = self.object_list.filter(pk__in=keys)
        elif self.years is not None:
            page.object_list = self.object_list.filter(pk__in=self._keys_by_year(page.number))
        elif not _windowed(page.object_list):
            keys = list(page.object_list.values_list("pk", flat=True))
            page.object_list = self.object_list.filter(pk__in=keys)
        return page

    def _found_by_year(self) -> int:
        found = 0
        for batch in self.years.batches():
            found += batch.order_by().values("pk")[: self.limit + 1 - found].count()
            if found > self.limit:
                break
        return found

    def _keys_by_year(self, number):
        """The keys of page `number` of a list in the order of its budget years, newest first,
        read a batch of years at a time: a place's budget years, found from the place, where
        PostgreSQL walked the whole country's order to find a province saved first (1 s)."""
        end = number * self.per_page
        found = []
        for batch in self.years.batches():
            found += batch.values_list("pk", flat=True)[: end - len(found)]
            if len(found) >= end:
                break
        return found[end - self.per_page : end]


def _windowed(queryset) -> bool:
    return any(
        getattr(expression, "contains_over_clause", False)
        for expression in queryset.query.annotations.values()
    )
