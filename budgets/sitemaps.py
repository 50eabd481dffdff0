"""The sitemap (django.contrib.sitemaps): an index at /sitemap.xml with one section per kind of
page, in pages of 500 addresses, so that every county, department and disclosure can be found
by a search engine however many there are.

Django pages a sitemap at 50,000 addresses by OFFSET: nationally a page of disclosures took 5 s
to write (10 MB) and the last ones 0.8 s more to find. Departments and disclosures are paged by
ranges of their keys instead (`KeyRangePaginator`): each page is an index range scan, however
deep; a page holds up to 500, fewer where rows were deleted. Writing an address costs about
0.1 ms (its reverse() and the template): 1,000 a page measured 208 ms p95 nationally.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, Max, Min, OuterRef
from django.urls import reverse
from django.utils.functional import cached_property

from budgets.models import BudgetYear, County, Department

PER_PAGE = 500


class KeyRangePaginator(Paginator):
    """Page n holds the rows whose key is in (first − 1 + (n − 1) × per page, first − 1 + n × per page],
    from the table's first key: keys need not start at 1 (a sequence is not reset when rows go)."""

    @cached_property
    def span(self):
        # The table's keys, not a filter's (that would read every row the filter keeps).
        keys = self.object_list.model.objects.aggregate(first=Min("pk"), last=Max("pk"))
        return (keys["first"], keys["last"]) if keys["first"] is not None else (1, 0)

    @cached_property
    def count(self):
        # What the pages span, not how many rows they hold.
        first, last = self.span
        return last - first + 1

    def page(self, number):
        number = self.validate_number(number)
        low = self.span[0] - 1 + (number - 1) * self.per_page
        return self._get_page(self.object_list.filter(pk__gt=low, pk__lte=low + self.per_page), number, self)


class KeyRangeSitemap(Sitemap):
    limit = PER_PAGE

    @property
    def paginator(self):
        return KeyRangePaginator(self._items(), self.limit)


class PagesSitemap(Sitemap):
    """The pages that are not one place or one disclosure."""

    def items(self):
        return ["home", "places", "compare", "budget-years", "rankings", "about", "api", "data"]

    def location(self, name):
        return reverse(f"budgets:{name}")


class PlacesSitemap(Sitemap):
    """Every province and prefecture of the national list."""

    def items(self):
        places = County.objects.exclude(province="").order_by()
        pairs = places.values_list("province", "prefecture").distinct()
        provinces = sorted({province for province, _prefecture in pairs})
        prefectures = sorted({pair for pair in pairs if pair[1]})
        return [(province,) for province in provinces] + prefectures

    def location(self, place):
        if len(place) == 1:
            return reverse("budgets:province-detail", args=place)
        return reverse("budgets:prefecture-detail", args=place)


class CountiesSitemap(Sitemap):
    """The counties that have published something."""

    limit = PER_PAGE

    def items(self):
        # Those with a summary (budgets.summaries), not a DISTINCT over every budget year.
        return County.objects.filter(summary__isnull=False).order_by("code", "pk")


class DepartmentsSitemap(KeyRangeSitemap):
    def items(self):
        return (
            Department.objects.filter(Exists(BudgetYear.objects.filter(department=OuterRef("pk"))))
            .select_related("county")
            .order_by("pk")
        )


class DisclosuresSitemap(KeyRangeSitemap):
    """Every budget and final account, last modified when it was saved."""

    def items(self):
        return (
            BudgetYear.objects.select_related("department__county")
            .only(
                "year",
                "kind",
                "level",
                "created_at",
                "department__name",
                "department__county__code",
                "department__county__name",
            )
            .order_by("pk")
        )

    def lastmod(self, budget_year):
        return budget_year.created_at

    def get_latest_lastmod(self):
        # Django's own calls lastmod() on every item: 660,000 budget years read (15 GB) for the
        # index's one date.
        return BudgetYear.objects.aggregate(latest=Max("created_at"))["latest"]


SITEMAPS = {
    "pages": PagesSitemap,
    "places": PlacesSitemap,
    "counties": CountiesSitemap,
    "departments": DepartmentsSitemap,
    "disclosures": DisclosuresSitemap,
}
