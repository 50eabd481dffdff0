from django.shortcuts import render

from budgets import queries


def home(request):
    ctx = {
        "counties": queries.counties_with_years(),
        "latest": queries.latest_budget_years(),
    }
    return render(request, "budgets/home.html", ctx)
