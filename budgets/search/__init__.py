"""One search over places, departments, classes, projects, indicators and the named figures
(budgets.search.query), with its full-text index (budgets.search.index) and its page
(budgets.search.views). `rebuild()` indexes everything again after a bulk load."""

from budgets.search.index import rebuild

__all__ = ["rebuild"]
