"""Where and when the county published a document: recorded by the ingest command, the admin
upload and the admin's change form, and shown on the budget-year and department pages beside
when the site loaded it."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from budgets.models import BudgetYear
from ingest.models import SourceDocument
from tests.base import SAMPLES

pytestmark = pytest.mark.django_db

URL = "https://www.gaoyi.gov.cn/col/1/art/2022/budget.html"
GAOYI_2022 = "/counties/130127-高邑县/高邑县人民政府办公室/2022/"


def _ingest(*args, media):
    call_command("ingest", *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_ingest_command_records_where_and_when_the_county_published(media):
    path = str(SAMPLES / "gaoyi-2022.txt")
    _ingest(path, "--published-url", URL, "--published-on", "2022-03-01", media=media)
    document = SourceDocument.objects.get()
    assert (document.published_url, document.published_on) == (URL, datetime.date(2022, 3, 1))

    # Given again for a file saved earlier, the date is corrected and the address kept.
    _ingest(path, "--published-on", "2022-03-02", media=media)
    document.refresh_from_db()
    assert (document.published_url, document.published_on) == (URL, datetime.date(2022, 3, 2))


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--published-url", "gaoyi.gov.cn/budget", "not a web address: gaoyi.gov.cn/budget"),
        ("--published-url", "javascript:alert(1)", "not a web address: javascript:alert(1)"),
        ("--published-on", "2022-13-01", "not a date (YYYY-MM-DD): 2022-13-01"),
    ],
)
def test_the_ingest_command_refuses_a_bad_address_or_date(media, option, value, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        _ingest(str(SAMPLES / "gaoyi-2022.txt"), option, value, media=media)
    assert not SourceDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_admin_upload_records_the_optional_publication_on_each_new_document(
    client, django_user_model, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw"))
    upload = reverse("admin:ingest_sourcedocument_upload")
    html = client.get(upload, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="id_published_url">Published at</label>' in html  # optional: not marked required
    files = [
        SimpleUploadedFile(name, (SAMPLES / name).read_bytes())
        for name in ("gaoyi-2022.txt", "wuji-2018.txt")
    ]
    client.post(upload, {"files": files, "published_url": URL, "published_on": "2022-03-01"})
    assert sorted(SourceDocument.objects.values_list("original_name", "published_url", "published_on")) == [
        ("gaoyi-2022.txt", URL, datetime.date(2022, 3, 1)),
        ("wuji-2018.txt", URL, datetime.date(2022, 3, 1)),
    ]

    # Without them, nothing is recorded; and they can be set later in the change form.
    client.post(
        upload,
        {"files": [SimpleUploadedFile("pingxiang-2021.txt", (SAMPLES / "pingxiang-2021.txt").read_bytes())]},
    )
    document = SourceDocument.objects.get(original_name="pingxiang-2021.txt")
    assert (document.published_url, document.published_on) == ("", None)
    change = reverse("admin:ingest_sourcedocument_change", args=[document.pk])
    form = client.get(change).content.decode()
    assert 'name="published_url"' in form and 'name="published_on"' in form
    client.post(
        change,
        {
            "original_name": document.original_name,
            "format": document.format,
            "status": document.status,
            "error": "",
            "parser_version": "",
            "published_url": URL,
            "published_on": "2021-02-03",
        },
    )
    document.refresh_from_db()
    assert (document.published_url, document.published_on) == (URL, datetime.date(2021, 2, 3))


@pytest.fixture
def published(samples):
    """高邑's 2022 document with where and when the county published it; loaded on a known day."""
    document = BudgetYear.objects.get(department__county__code="130127", year=2022).source_document
    document.published_url = URL
    document.published_on = datetime.date(2022, 3, 1)
    document.save()
    SourceDocument.objects.update(uploaded_at=datetime.datetime(2024, 5, 2, 3, 0, tzinfo=datetime.UTC))
    return document


def test_the_budget_year_page_says_published_and_loaded_with_the_county_link(english, published):
    html = english.get(GAOYI_2022).content.decode()
    assert (
        '<p class="provenance-line"><span class="provenance">Published 2022-03-01 '
        f'(<a href="{URL}" rel="external noopener noreferrer">the county\'s own publication</a>) · '
        "loaded 2024-05-02</span></p>"
    ) in html
    # Where nothing is recorded, the page says so rather than leaving a blank.
    html = english.get("/counties/130127-高邑县/高邑县人民政府办公室/2019/").content.decode()
    assert '<span class="provenance">Publication date not recorded · loaded 2024-05-02</span>' in html


def test_the_provenance_line_in_chinese(client, published):
    html = client.get(GAOYI_2022).content.decode()
    assert (
        f'<span class="provenance">发布于 2022-03-01（<a href="{URL}" rel="external noopener noreferrer">'
        "县政府公开的原文</a>） · 本站载入于 2024-05-02</span>"
    ) in html


def test_the_department_page_lists_each_document_with_its_provenance(
    english, published, django_assert_num_queries
):
    url = reverse("budgets:department-detail", args=["130127-高邑县", "高邑县人民政府办公室"])
    html = english.get(url).content.decode()
    section = html[html.index('<section aria-labelledby="sources-heading"') :]
    section = section[: section.index("</section>")]
    assert section.count("<tr>") == 3  # the header and the two disclosures
    assert "gaoyi-2022.txt" in section and "gaoyi-2019.txt" in section
    assert f'Published 2022-03-01 (<a href="{URL}"' in section
    assert "Publication date not recorded · loaded 2024-05-02" in section


def test_a_local_time_of_loading_is_the_site_s_day(english, published):
    # 2024-05-01 20:00 UTC is already 2 May in China, where the site's clock is.
    SourceDocument.objects.update(
        uploaded_at=timezone.make_aware(datetime.datetime(2024, 5, 1, 20, 0), datetime.UTC)
    )
    assert "loaded 2024-05-02" in english.get(GAOYI_2022).content.decode()
