"""A list row's links as database expressions: the page of its budget year at the figure's
anchor (the permalink) and the original document where the figure was printed.

The lists (budgets.lists) annotate their querysets with these, so the page, the CSV and the
JSON read the same text from the same SQL, and an export run in the database (`COPY (SELECT …)`)
gives the same bytes as one written row by row. They spell out what `BudgetYear.get_absolute_url`
with budgets.anchors and budgets.sources.source_url() give, as relative IRIs (Chinese unescaped:
`/counties/130127-高邑县/高邑县人民政府办公室/2022/#line-23`); tests/test_list_links_levels.py
holds them equal to those for every row of the samples. The original's link leaves out what the
pages add to highlight the figure (`find=`, its amount formatted for reading).
"""

from urllib.parse import quote

from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat

from budgets.models import BudgetYear

# The paths of budgets/urls.py that the expressions spell out.
COUNTIES = "/counties/"
DOCUMENTS = "/documents/"


def _text(path):
    return Cast(path, output_field=CharField())


def _page_segment(to_year):
    """The URL segment after the year: none for a department's budget, `final-accounts/` …"""
    return Case(
        *(
            When(**{f"{to_year}kind": kind, f"{to_year}level": level}, then=Value(f"{page}/" if page else ""))
            for (kind, level), page in BudgetYear.PAGES.items()
        ),
        default=Value(""),
        output_field=CharField(),
    )


def permalink(to_year="", anchor=None):
    """The budget-year page of a row, at `anchor` (an expression or text) where one is given.
    `to_year` is the path from the row to its BudgetYear: "" for a BudgetYear, "budget_year__"."""
    county = f"{to_year}department__county__"
    slug = Case(
        When(**{f"{county}code__isnull": True}, then=Concat(Value("id"), _text(f"{county}pk"))),
        default=F(f"{county}code"),
        output_field=CharField(),
    )
    parts = [
        Value(COUNTIES),
        slug,
        Value("-"),
        F(f"{county}name"),
        Value("/"),
        F(f"{to_year}department__name"),
        Value("/"),
        _text(f"{to_year}year"),
        Value("/"),
        _page_segment(to_year),
    ]
    if anchor is not None:
        parts += [Value("#"), Value(anchor) if isinstance(anchor, str) else anchor]
    return Concat(*parts, output_field=CharField())


def pk_anchor(prefix):
    """`line-23`, `indicator-7`: the anchor budgets.anchors gives a row by its primary key."""
    return Concat(Value(prefix), _text("pk"), output_field=CharField())


def _json_text(field, keys):
    """The text at `keys` in a JSON field reached through relations (KT() takes a local field only)."""
    value = F(field)
    for key in keys:
        value = KeyTextTransform(key, value)
    return value


def figure_source(to_year, block, key):
    """Where a headline figure (`totals`, `expenditure`) was printed, from the `sources` JSON of
    its budget year: table (or section), page and line."""
    field, keys = f"{to_year}sources", (block, key)
    return {
        "source_table": Coalesce(_json_text(field, (*keys, "table")), _json_text(field, (*keys, "section"))),
        "source_page": Cast(_json_text(field, (*keys, "page")), output_field=IntegerField()),
        "source_line": Cast(_json_text(field, (*keys, "line")), output_field=IntegerField()),
    }


def source_link(document, page="source_page", line="source_line"):
    """Where each row's figure was printed, opened in the viewer: `/documents/7/?page=13&line=908`
    with what is known of the two. The viewer opens a PDF at the page and any other format at the
    line (a text made by pdftotext knows its pages too), so the link need not know the format: a
    list of millions of rows joins no document to say it. `document`, `page` and `line` are paths
    or annotations of the row."""
    page_part = Concat(Value("page="), _text(page))
    line_part = Concat(Value("line="), _text(line))
    query = Case(
        When(
            **{f"{page}__isnull": False, f"{line}__isnull": False},
            then=Concat(Value("?"), page_part, Value("&"), line_part),
        ),
        When(**{f"{page}__isnull": False}, then=Concat(Value("?"), page_part)),
        When(**{f"{line}__isnull": False}, then=Concat(Value("?"), line_part)),
        default=Value(""),
        output_field=CharField(),
    )
    return Concat(Value(DOCUMENTS), _text(document), Value("/"), query, output_field=CharField())


def as_uri(iri: str) -> str:
    """A permalink as the pages link it: each path segment percent-encoded as reverse() does,
    the anchor kept (`/counties/130127-%E9%AB%98…/2022/#line-23`)."""
    path, hash_, anchor = iri.partition("#")
    segments = (quote(segment, safe="!$&'()*+,;=~:@") for segment in path.split("/"))
    return "/".join(segments) + hash_ + anchor
