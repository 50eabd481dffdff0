"""What the site publishes besides its pages: /about/, /api/, the dataset download, the Atom
feeds, the sitemap and robots.txt; included into the `budgets` namespace by budgets/urls.py."""

from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from budgets import feeds, publish
from budgets.sitemaps import SITEMAPS

urlpatterns = [
    path("about/", publish.about, name="about"),
    path("api/", publish.api_page, name="api"),
    path("data/", publish.data, name="data"),
    path("data/<str:name>", publish.data_file, name="data-file"),
    path("feeds/disclosures/", feeds.DisclosuresFeed(), name="feed"),
    path("feeds/counties/<str:county>/", feeds.CountyFeed(), name="county-feed"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "budgets:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", publish.robots_txt, name="robots"),
]
