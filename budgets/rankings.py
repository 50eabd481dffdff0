"""Rankings where journalists look: a department among the departments of its kind within its
prefecture and its province, each at the latest year it published a budget.

The rankings list (`/rankings/`, budgets.filters.RankingFilter) ranks in the database; the
department page asks here for its own position, two queries whatever the data size.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from budgets.models import BudgetYear

# (key of RankingFilter's `by`, how to read the figure, label) the department page states.
FIGURES = (
    (
        "three_costs",
        lambda b: getattr(getattr(b, "three_costs", None), "total", None),
        gettext_lazy("three public costs"),
    ),
    ("expenditure", lambda b: b.expenditure, gettext_lazy("expenditure total")),
)


def latest_budgets():
    """Each department's department-level budget of the latest year it published one (marked
    when a disclosure is saved, budgets.summaries)."""
    return BudgetYear.objects.filter(latest_budget=True)


def ordinal(n: int) -> str:
    """3 → 3rd in English; the Chinese sentence says 第3 itself."""
    if not (get_language() or "").startswith("en"):
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def of_department(department):
    """Sentences placing `department` among those of its kind in its prefecture and province
    ("3rd highest three public costs of 12 人民政府办公室 in 石家庄市"), each with the link to the
    full ranking; none for a department of unknown kind or without a budget. Two queries."""
    county = department.county
    if not department.kind:
        return []
    places = [("prefecture", county.prefecture), ("province", county.province)]
    found = []
    for field, place in places:
        if not place:
            continue
        rows = list(
            latest_budgets()
            .filter(department__kind=department.kind, **{f"department__county__{field}": place})
            .select_related("three_costs")
            .only("pk", "department_id", "year", "expenditure", "three_costs__total")
        )
        mine = next((b for b in rows if b.department_id == department.pk), None)
        if mine is None:
            return []
        for key, read, label in FIGURES:
            value = read(mine)
            values = [v for v in (read(b) for b in rows) if v is not None]
            if value is None or len(values) < 2:
                continue
            rank = 1 + sum(1 for v in values if v > value)
            query = {"department_kind": department.kind, "by": key, "province": county.province}
            if field == "prefecture":
                query["prefecture"] = place
            found.append(
                {
                    "key": f"{field}-{key}",
                    "rank": rank,
                    "count": len(values),
                    "year": mine.year,
                    "sentence": _(
                        "%(ordinal)s highest %(figure)s of %(count)s %(kind)s in %(place)s "
                        "(latest budgets; this one %(year)s)."
                    )
                    % {
                        "ordinal": ordinal(rank),
                        "figure": label,
                        "count": len(values),
                        "kind": department.kind,
                        "place": place,
                        "year": mine.year,
                    },
                    "url": f"{reverse('budgets:rankings')}?{urlencode(query)}",
                }
            )
    return found
