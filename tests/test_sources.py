"""Every figure's source opens the original where it was printed (/documents/<pk>/): the link's
exact address, who may open a document, the cited line of a text, and a bad page or line."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import BudgetYear, LineItem
from budgets.sources import source_url
from ingest.loader import keep_document
from ingest.models import SourceDocument
from tests.base import SAMPLES, sample_bytes
from tests.renditions import build_html

pytestmark = pytest.mark.django_db

GAOYI_2022 = "gaoyi-2022.txt"


def viewer(document, **query):
    return source_url(document, **query)


def gaoyi_2022():
    return BudgetYear.objects.get(source_document__original_name=GAOYI_2022)


def test_source_url_names_the_page_or_the_line_and_the_figure():
    assert source_url(7, page=13, find="296.93") == "/documents/7/?page=13&find=296.93"
    assert source_url(7, line=385, find="2,961.68") == "/documents/7/?line=385&find=2%2C961.68"
    assert source_url(7) == "/documents/7/"


def test_a_figures_source_links_to_the_line_it_was_printed_on(client, samples):
    budget_year = gaoyi_2022()
    pk = budget_year.source_document.pk
    html = client.get(budget_year.get_absolute_url()).content.decode()
    # A headline figure: the 三公 table's 公务接待费, the text as printed.
    reception = html[html.index('<tr data-key="reception"') :]
    reception = reception[: reception.index("</tr>")]
    assert (
        f'<a href="/documents/{pk}/?line=392&amp;find=0.31">部门预算财政拨款“三公”经费支出表，第 392 行</a>'
        in reception
    )
    # A line item: its amount, as the site prints it.
    item = LineItem.objects.get(budget_year=budget_year, kind="economic", code="301")
    assert (item.source_line, item.amount) == (311, Decimal("283.68"))
    assert f'<a href="/documents/{pk}/?line=311&amp;find=283.68">' in html
    # The document itself, from the page's facts.
    assert f'<a href="/documents/{pk}/">gaoyi-2022.txt</a>' in html


def test_a_text_opens_at_the_cited_line_numbered_as_the_file(client, samples):
    document = gaoyi_2022().source_document
    response = client.get(viewer(document, line=392, find="0.31"))
    assert response.status_code == 200
    html = response.content.decode()
    lines = sample_bytes(GAOYI_2022).decode("utf-8").split("\n")
    assert html.count('<div class="text-line') == len(lines)
    target = html[html.index('id="L392"') - len('<div class="text-line target" ') :]
    target = target[: target.index("</div>")]
    assert target.startswith('<div class="text-line target" id="L392"><a class="ln" href="#L392">392</a>')
    assert '<span class="cell">三、公务接待费</span><span class="cell">0.31</span>' in target
    assert html.count("text-line target") == 1
    assert 'data-line="392" data-find="0.31"' in html
    assert f'href="{reverse("budgets:document-download", args=[document.pk])}" download' in html
    # A list's link gives the page too, where the text knows it (pdftotext's): the line decides.
    both = client.get(viewer(document, page=11, line=392, find="0.31")).content.decode()
    assert both.count("text-line target") == 1 and target in both


def test_a_web_page_opens_at_the_paragraph_or_row_its_figure_cites(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.management import call_command

    page = tmp_path / "gaoyi-2022.html"
    page.write_bytes(build_html(sample_bytes(GAOYI_2022), GAOYI_2022))
    call_command("ingest", str(page), stdout=__import__("io").StringIO())
    budget_year = BudgetYear.objects.get()
    source = budget_year.sources["three_costs"]["reception"]
    html = client.get(viewer(budget_year.source_document, line=source["line"])).content.decode()
    target = html[html.index(f'id="L{source["line"]}"') :]
    target = target[: target.index("</div>")]
    assert '<span class="cell">三、公务接待费</span><span class="cell">0.31</span>' in target


def test_an_unreviewed_document_is_staff_only(client, admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = keep_document(sample_bytes(GAOYI_2022), GAOYI_2022, status=SourceDocument.Status.REVIEW)
    assert client.get(viewer(draft, line=3)).status_code == 404
    response = admin_client.get(viewer(draft, line=3))
    assert response.status_code == 200
    assert 'id="L3"' in response.content.decode()
    draft.status = SourceDocument.Status.SAVED
    draft.save()
    assert client.get(viewer(draft, line=3)).status_code == 200


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("page=abc", 400, "The page must be a whole number."),
        ("page=0", 400, "Pages are counted from 1."),
        ("line=-3", 400, "Lines are counted from 1."),
        ("line=99999", 200, "This document has no line 99999; it is shown from its start."),
    ],
)
def test_a_bad_page_or_line_says_so(english, samples, query, status, message):
    document = gaoyi_2022().source_document
    response = english.get(f"{viewer(document)}?{query}")
    assert response.status_code == status
    assert f"<p>{message}</p>" in response.content.decode()


def test_a_pdf_opens_in_the_viewer_at_its_page(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = keep_document(b"%PDF-1.4\n%%EOF\n", "report", status=SourceDocument.Status.SAVED)
    response = client.get(viewer(pdf, page=13, find="296.93"))
    html = response.content.decode()
    assert 'data-page="13" data-find="296.93"' in html
    assert 'data-page="13" data-find=""' in client.get(viewer(pdf, page=13, line=908)).content.decode()
    assert f'data-url="/documents/{pdf.pk}/download/"' in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    download = client.get(reverse("budgets:document-download", args=[pdf.pk]))
    # A PDF is served as one whatever its name; browsers may not guess otherwise.
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"


def test_every_sample_text_opens(client, samples):
    for path in sorted(SAMPLES.glob("*.txt")):
        document = SourceDocument.objects.get(original_name=path.name)
        assert client.get(viewer(document, line=1)).status_code == 200, path.name


def test_the_viewer_reads_the_document_and_its_budget_years_only(client, samples, django_assert_num_queries):
    document = gaoyi_2022().source_document
    client.get(viewer(document, line=392))  # the text is read once, then kept
    with django_assert_num_queries(2):
        assert client.get(viewer(document, line=392, find="0.31")).status_code == 200
