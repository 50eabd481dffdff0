from django.urls import include, path

from budgets import views

app_name = "budgets"

# Permalinks read as the disclosure names things: /counties/高邑县/高邑县人民政府办公室/2022/.
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("counties/<str:county>/", views.county_detail, name="county-detail"),
    path("counties/<str:county>/<str:department>/", views.department_detail, name="department-detail"),
    path(
        "counties/<str:county>/<str:department>/<int:year>/",
        views.budget_year_detail,
        name="budget-year-detail",
    ),
    path("", include("budgets.urls_lists")),
]
