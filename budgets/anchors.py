"""Where a figure lives on its budget-year page: the one naming of anchors that lists, sources,
citations and embeds link to, so a permalink is `budget_year.get_absolute_url() + "#" + anchor`."""


def figure_anchor(path: str) -> str:
    """A headline figure by its path in the parsed JSON: totals.income → fig-totals-income."""
    return "fig-" + path.replace(".", "-").replace("_", "-")


def line_item_anchor(pk: int) -> str:
    return f"line-{pk}"


def indicator_anchor(pk: int) -> str:
    return f"indicator-{pk}"


def permalink(budget_year, anchor: str = "") -> str:
    """The page of a budget year, at a figure's anchor where one is given (a path, not a full URL:
    the caller makes it absolute with request.build_absolute_uri where it needs to)."""
    url = budget_year.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url
