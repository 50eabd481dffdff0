from django.urls import include, path

from budgets import citations, embeds, viewer, views
from budgets.search import views as search_views

app_name = "budgets"

# Permalinks read as the disclosure names things, the county by its code and name:
# /counties/130127-高邑县/高邑县人民政府办公室/2022/ (the budget), …/2022/final-accounts/,
# …/2022/execution/ (budget against actual). A name-only county (/counties/高邑县/…) redirects.
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("documents/<int:pk>/", viewer.document_view, name="document-view"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("places/", views.places, name="places"),
    path("places/<str:province>/", views.province_detail, name="province-detail"),
    path("places/<str:province>/<str:prefecture>/", views.prefecture_detail, name="prefecture-detail"),
    path("counties/<str:county>/", views.county_detail, name="county-detail"),
    path("counties/<str:county>/<str:department>/", views.department_detail, name="department-detail"),
    path(
        "counties/<str:county>/<str:department>/<int:year>/",
        views.budget_year_detail,
        name="budget-year-detail",
    ),
    path(
        "counties/<str:county>/<str:department>/<int:year>/execution/",
        views.execution_detail,
        name="execution-detail",
    ),
    path(
        "counties/<str:county>/<str:department>/<int:year>/<slug:page>/",
        views.budget_year_detail,
        name="budget-year-page",
    ),
    # A chart of any page on its own, framable by any site; the same chart as SVG; a figure's citation.
    path("embed/<slug:chart>/<path:page>", embeds.embed, name="embed"),
    path("svg/<slug:chart>/<path:page>", embeds.chart_svg, name="chart-svg"),
    path("cite/<int:pk>/<slug:anchor>/", citations.cite, name="cite"),
    path("", include("budgets.urls_lists")),
    path("", include("budgets.urls_publish")),
]
