"""The list, export and comparison pages. config or budgets.urls includes these into the
`budgets` namespace: `path("", include("budgets.urls_lists"))` inside budgets/urls.py's
urlpatterns, or `urlpatterns += urls_lists.urlpatterns`."""

from django.urls import path

from budgets import compare, lists

urlpatterns = [
    path("budget-years/", lists.budget_years, name="budget-years"),
    path("line-items/", lists.line_items, name="line-items"),
    path("three-costs/", lists.three_costs, name="three-costs"),
    path("indicators/", lists.indicators, name="indicators"),
    path("execution/", lists.execution_rates, name="execution"),
    path("rankings/", lists.rankings, name="rankings"),
    path("compare/", compare.compare, name="compare"),
]
