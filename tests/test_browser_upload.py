"""The administrator upload in Debian's chromium: a PDF and a zip of two text samples in,
preview, save, and the new budget years on the public pages."""

import io
import json
import zipfile
from urllib.parse import quote

import pytest
from django.urls import reverse

from ingest.models import Batch, SourceDocument
from tests.base import ROOT, sample_bytes, slug
from tests.renditions import build_docx, convert_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = ROOT / "test-artifacts"
GOLD = json.loads((ROOT / "tests" / "data" / "gold_seeds.json").read_text(encoding="utf-8"))
PASSWORD = "pw-for-browser-tests"


@pytest.fixture(autouse=True)
def _immediate_tasks_and_media_in_tmp(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_page(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.failed_urls = []
    page.on("response", lambda response: response.status >= 400 and page.failed_urls.append(response.url))
    page.goto(live_server.url + reverse("admin:ingest_sourcedocument_upload"))
    assert "/admin/login/" in page.url  # anonymous: the login page, not the upload
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/ingest/sourcedocument/upload/")
    return page


def _pdf_of(name: str, tmp_path) -> bytes | None:
    """The sample rendered as a county publishes it: Word with ruled tables, then PDF."""
    docx = tmp_path / name.replace(".txt", ".docx")
    docx.write_bytes(build_docx(sample_bytes(name), name))
    process = convert_all([docx], "pdf", tmp_path / "pdf", tmp_path / "profile")
    if process is None or process.wait(timeout=180) != 0:
        return None
    return (tmp_path / "pdf" / docx.with_suffix(".pdf").name).read_bytes()


def _upload(page, *files):
    page.set_input_files(
        "input[type=file]",
        [{"name": name, "mimeType": "application/octet-stream", "buffer": data} for name, data in files],
    )
    page.click("#upload-form input[type=submit]")
    page.wait_for_load_state()


def _save_and_visit(page, live_server, name: str):
    gold = GOLD[name]
    page.click("button[value=save]")
    page.wait_for_selector("#document-status[data-status=saved]")
    public = reverse(
        "budgets:budget-year-detail", args=[slug(gold["county"]), gold["department"], gold["year"]]
    )
    assert page.locator(f'a[href="{quote(public)}"], a[href="{public}"]').count() >= 1
    page.goto(live_server.url + reverse("budgets:county-detail", args=[slug(gold["county"])]))
    assert gold["department"] in page.content()
    page.goto(live_server.url + public)
    assert gold["department"] in page.locator("h1").inner_text()


def test_staff_uploads_a_pdf_and_a_zip_previews_and_saves(live_server, staff_page, tmp_path):
    page = staff_page
    SCREENSHOTS.mkdir(exist_ok=True)

    pdf_name = "gaoyi-2022.txt"
    pdf = _pdf_of(pdf_name, tmp_path)
    if pdf is None:
        pytest.skip("LibreOffice could not render the PDF sample: the PDF upload was not tried")
    _upload(page, ("高邑县-2022.pdf", pdf))
    page.wait_for_selector("#document-status[data-status=review]")
    assert GOLD[pdf_name]["department"] in page.locator("#identity").inner_text()
    assert page.locator("#tables tbody tr").count() >= 5
    page.screenshot(path=SCREENSHOTS / "upload-preview-pdf.png", full_page=True)
    _save_and_visit(page, live_server, pdf_name)

    names = ["gaoyi-2019.txt", "laiyuan-2016.txt"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, sample_bytes(name))
    page.goto(live_server.url + reverse("admin:ingest_sourcedocument_upload"))
    _upload(page, ("two-samples.zip", buffer.getvalue()))
    page.wait_for_selector("#batch-progress[data-done='2'][data-total='2']")
    page.screenshot(path=SCREENSHOTS / "upload-batch.png", full_page=True)
    assert Batch.objects.get().documents.count() == 2

    for name in names:
        page.goto(
            live_server.url + reverse("admin:ingest_sourcedocument_batch", args=[Batch.objects.get().pk])
        )
        page.click(f"#batch-documents a:text-is('{name}')")
        page.wait_for_selector("#document-status[data-status=review]")
        assert page.locator("#totals").inner_text()
        if name == names[0]:
            page.screenshot(path=SCREENSHOTS / "upload-preview.png", full_page=True)
        _save_and_visit(page, live_server, name)

    assert SourceDocument.objects.filter(status=SourceDocument.Status.SAVED).count() == 3
    # The admin's pages link no favicon, so chromium's own request for one is the only 404.
    assert all(url.endswith("/favicon.ico") for url in page.failed_urls)
    assert all("404" in error for error in page.console_errors)
