"""The sitemap (django.contrib.sitemaps): an index at /sitemap.xml with one section per kind of
page, each paginated by Django at 50,000 addresses, so that every county, department and
disclosure can be found by a search engine however many there are."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from budgets.models import BudgetYear, County, Department


class PagesSitemap(Sitemap):
    """The pages that are not one place or one disclosure."""

    def items(self):
        return ["home", "places", "compare", "budget-years", "rankings", "about", "api", "data"]

    def location(self, name):
        return reverse(f"budgets:{name}")


class PlacesSitemap(Sitemap):
    """Every province and prefecture of the national list."""

    def items(self):
        pairs = County.objects.exclude(province="").values_list("province", "prefecture").distinct()
        provinces = sorted({province for province, _prefecture in pairs})
        prefectures = sorted({pair for pair in pairs if pair[1]})
        return [(province,) for province in provinces] + prefectures

    def location(self, place):
        if len(place) == 1:
            return reverse("budgets:province-detail", args=place)
        return reverse("budgets:prefecture-detail", args=place)


class CountiesSitemap(Sitemap):
    """The counties that have published something."""

    def items(self):
        return (
            County.objects.filter(departments__budget_years__isnull=False).distinct().order_by("code", "pk")
        )


class DepartmentsSitemap(Sitemap):
    def items(self):
        return (
            Department.objects.filter(budget_years__isnull=False)
            .distinct()
            .select_related("county")
            .order_by("county__code", "name", "pk")
        )


class DisclosuresSitemap(Sitemap):
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


SITEMAPS = {
    "pages": PagesSitemap,
    "places": PlacesSitemap,
    "counties": CountiesSitemap,
    "departments": DepartmentsSitemap,
    "disclosures": DisclosuresSitemap,
}
