"""The search page (/search/?q=…) and the box that leads to it from every page's header."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from budgets.search import figures, query


class SearchForm(forms.Form):
    """The search box: words, all of which must be found, in the hit or where it is."""

    q = forms.CharField(
        label=gettext_lazy("Search places, departments, figures, classes, projects and indicators"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(
            attrs={"placeholder": gettext_lazy("e.g. 接待, 高邑 三公经费 or gaoyi"), "autocomplete": "off"}
        ),
    )


# What the page offers before anything is typed: one search of each kind it answers.
EXAMPLES = ["三公经费", "高邑 接待", "gaoyi", "人防", "政府办 会议费", "满意度 2022"]


def search(request):
    """Every kind of hit for the words typed, grouped, each linking to its page or to the
    list that holds it; where nothing matches, what exists."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "budgets/search.html", {"form": form}, status=400)
    typed = " ".join(form.cleaned_data["q"].split())
    results = query.search(typed) if typed else None
    ctx = {
        "form": form,
        "query": typed,
        "results": results,
        "terms": results.highlight if results else [],
        "limit": query.LIMIT,
        "examples": EXAMPLES,
        "named_figures": figures.FIGURES,
    }
    return render(request, "budgets/search.html", ctx)
