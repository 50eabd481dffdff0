"""The comparison's exports beside its wide CSV: the tidy (long) form, one row per county,
department, year and figure, with stable English headers whatever the page's language; and the
column names of the wide form, unique even where two counties share a name."""

from collections import Counter

# The tidy form's columns: also its JSON keys, the same in every language.
TIDY_KEYS = (
    "county",
    "division_code",
    "department",
    "department_kind",
    "year",
    "disclosure",
    "measure",
    "figure",
    "figure_label",
    "group",
    "value",
    "unit",
    "note",
    "needs_checking",
    "corrected",  # last: added after the others, whose order stays
)

# The unit of a money figure in each measure; a count (staff, indicators) has none.
MONEY_UNITS = {
    "amount": "万元",
    "change": "万元",
    "per_staff": "万元",
    "share": "%",
    "change_pct": "%",
    "rate": "%",  # the execution rate
}


def column_names(columns):
    """The wide form's name of each column, `高邑县 · 人民政府办公室 · 2022`, with the division
    code added where two columns would otherwise share a name (普陀区 of Shanghai and of Zhoushan):
    a JSON object cannot hold one key twice."""
    counts = Counter(column.label for column in columns)
    names = []
    for column in columns:
        county = column.budget_year.department.county
        names.append(
            f"{column.label} ({county.code or f'id{county.pk}'})"
            if counts[column.label] > 1
            else column.label
        )
    return names


def tidy_rows(comparison, measure):
    """One tuple per column and figure of `comparison` (compare.compare_rows), in TIDY_KEYS
    order: a county-department-year's figures together, in the page's order. A figure the page
    shows as missing is written as the wide form writes it (Cell.exported: empty where not
    printed, `n/a`, `unclear`) and its note says why; `corrected` where the editors changed a
    figure it comes from."""
    for index, column in enumerate(comparison.columns):
        budget_year = column.budget_year
        department = budget_year.department
        for row in comparison.rows:
            cell = row["cells"][index]
            unit = MONEY_UNITS[measure] if row["money"] else ""
            yield (
                department.county.name,
                department.county.code,
                department.name,
                department.kind,
                column.year,
                budget_year.kind,
                measure,
                row["key"],
                row["label"],
                row["group"],
                cell.exported,
                unit if cell.value is not None else "",
                cell.note,
                cell.needs_checking,
                bool(cell.corrections),
            )
