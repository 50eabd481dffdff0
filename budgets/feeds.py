"""Atom feeds of newly saved disclosures, for the whole site and for one county (Django's
syndication framework): a newsroom subscribes to its counties and reads each new budget as it
is saved. An entry links the disclosure's page and states its headline figures the way the
pages do: a figure a check casts doubt on says "needs checking", a missing one "not printed"."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from budgets import exports
from budgets.models import BudgetYear, County

# Entries per feed: a feed reader keeps what it has seen; the newest are what it asks for.
ENTRIES = 50


class DisclosuresFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("County budgets: new disclosures")

    def subtitle(self):
        return _("Budgets and final accounts of county departments, newest saved first.")

    def link(self):
        return reverse("budgets:home")

    def items(self):
        return self.disclosures()[:ENTRIES]

    def disclosures(self):
        return (
            BudgetYear.objects.with_place()
            .select_related("three_costs")
            .defer("source_document__parsed")
            .order_by("-created_at", "-pk")
        )

    def item_title(self, budget_year):
        if budget_year.is_final_accounts:
            text = _("%(department)s: final accounts %(year)s")
        else:
            text = _("%(department)s: budget %(year)s")
        return text % {"department": budget_year.department.name, "year": budget_year.year}

    def item_description(self, budget_year):
        three_costs = getattr(budget_year, "three_costs", None)
        figures = [
            (_("Expenditure total"), budget_year.expenditure, "expenditure" in budget_year.doubts("totals")),
            (
                _("Three public costs"),
                three_costs.total if three_costs else None,
                "total" in budget_year.doubts("three_costs"),
            ),
        ]
        parts = [budget_year.department.county.place, budget_year.department.county.name]
        lines = [" ".join(part for part in parts if part)]
        lines += [f"{label}: {_figure(value, doubted)}" for label, value, doubted in figures]
        return " · ".join(lines)

    def item_link(self, budget_year):
        return budget_year.get_absolute_url()

    def item_pubdate(self, budget_year):
        return budget_year.created_at

    def item_updateddate(self, budget_year):
        return budget_year.created_at

    def item_categories(self, budget_year):
        return [budget_year.department.county.name, budget_year.get_kind_display()]


def _figure(value, doubted):
    if value is None:
        return _("not printed")
    text = _("%(amount)s 万元") % {"amount": exports.plain_decimal(value)}
    return _("%(figure)s (needs checking)") % {"figure": text} if doubted else text


class CountyFeed(DisclosuresFeed):
    """One county's new disclosures; the county named by its URL segment (`130127-高邑县`)."""

    def get_object(self, request, county):
        found = list(County.objects.by_slug(county)[:2])
        if len(found) != 1 or found[0].slug != county:
            raise Http404(_("No such county."))
        return found[0]

    def title(self, county):
        return _("%(county)s: new disclosures") % {"county": county.name}

    def subtitle(self, county):
        return _("Budgets and final accounts of the departments of %(county)s, newest saved first.") % {
            "county": county.name
        }

    def link(self, county):
        return county.get_absolute_url()

    def items(self, county):
        return self.disclosures().filter(department__county=county)[:ENTRIES]
