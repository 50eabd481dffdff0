"""Uploads as an attacker and as bad luck would send them: bodies too large or from the wrong
person are not read, a zip of Word, Excel and PDF files is a batch, and an original is kept
once, under its hash, and goes with its document."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import FakePayload
from django.urls import reverse

from ingest import loader
from ingest.models import Batch, SourceDocument
from ingest.readers.archive import read_archive
from tests.base import sample_bytes
from tests.renditions import build_docx, build_xlsx

pytestmark = pytest.mark.django_db(transaction=True)

UPLOAD = reverse("admin:ingest_sourcedocument_upload")
# The smallest file that is a PDF by its content (it parses to a refusal, which is fine here).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _immediate_tasks_and_media_in_tmp(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw-for-tests"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def bytes_read(monkeypatch):
    """How many bytes of request bodies the server has read."""
    count = [0]
    read = FakePayload.read

    def counting(self, size=-1):
        data = read(self, size)
        count[0] += len(data)
        return data

    monkeypatch.setattr(FakePayload, "read", counting)
    return count


def media_files(settings) -> list[Path]:
    """The originals on disk (the whole-dataset downloads, budgets.dataset, live beside them)."""
    media = Path(settings.MEDIA_ROOT) / "sources"
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_an_anonymous_upload_is_refused_before_its_body_is_read(bytes_read):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    big = SimpleUploadedFile("big.txt", b"x" * (5 * 1024 * 1024))
    response = client.post(UPLOAD, {"csrfmiddlewaretoken": "a" * 32, "files": [big]})
    assert response.status_code in (302, 403)
    assert bytes_read[0] == 0
    assert SourceDocument.objects.count() == 0


def test_a_file_over_the_limit_stops_the_reading_and_keeps_nothing(staff, settings, bytes_read):
    settings.UPLOAD_MAX_BYTES = 100 * 1024
    big = SimpleUploadedFile("big.txt", b"1" * (5 * 1024 * 1024))
    response = staff.post(
        UPLOAD, {"files": [SimpleUploadedFile("a.txt", sample_bytes("gaoyi-2022.txt")), big]}
    )
    assert response.status_code == 302
    assert bytes_read[0] < 1024 * 1024  # stopped soon after the limit, not at 5 MB
    assert SourceDocument.objects.count() == 0
    messages = [str(m) for m in staff.get(UPLOAD).context["messages"]]
    assert any("big.txt is over the limit of 100.0\xa0KB" in m for m in messages), messages
    assert media_files(settings) == []


def test_an_upload_declared_larger_than_the_request_limit_is_not_read(staff, settings, bytes_read):
    settings.UPLOAD_REQUEST_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.txt", b"1" * (2 * 1024 * 1024))
    response = staff.post(UPLOAD, {"files": [big]}, follow=True)
    assert bytes_read[0] == 0
    assert any("over the limit of 1.0\xa0MB for one upload" in str(m) for m in response.context["messages"])


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_word_excel_and_pdf_files_is_a_batch(staff):
    text = sample_bytes("gaoyi-2022.txt")
    members = {
        "gaoyi.docx": build_docx(text, "gaoyi-2022.txt"),
        "gaoyi.xlsx": build_xlsx(text, "gaoyi-2022.txt"),
        "scan.pdf": PDF,
    }
    response = staff.post(UPLOAD, {"files": [SimpleUploadedFile("county.zip", _zip(members))]}, follow=True)
    batch = Batch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:ingest_sourcedocument_batch", args=[batch.pk])
    formats = sorted(batch.documents.values_list("format", flat=True))
    assert formats == ["docx", "pdf", "xlsx"]
    assert batch.documents.get(format="docx").status == SourceDocument.Status.REVIEW


@pytest.mark.parametrize(
    "nested",
    [_zip({"inner.txt": b"hello"}), b"Rar!\x1a\x07\x00" + b"0" * 64, b"\x1f\x8b\x08" + b"0" * 64],
    ids=["zip", "rar", "gzip"],
)
def test_an_archive_inside_the_archive_is_still_refused(nested):
    from ingest.document import UnreadableDocument

    with pytest.raises(UnreadableDocument, match="archive inside the archive"):
        read_archive(_zip({"inner": nested}))


# --- the originals on disk ------------------------------------------------------------------------


def test_an_original_is_stored_once_under_its_hash(settings):
    data = sample_bytes("gaoyi-2022.txt")
    result = loader.ingest_bytes(data, "gaoyi-2022.txt")
    sha = loader.sha256_of(data)
    assert result.document.file.name == f"sources/{sha[:2]}/{sha}.txt"
    again = loader.ingest_bytes(data, "renamed.txt")
    assert again.document.pk == result.document.pk
    assert media_files(settings) == [Path(settings.MEDIA_ROOT) / result.document.file.name]
    assert media_files(settings)[0].read_bytes() == data


def test_an_original_goes_with_its_document(settings):
    document = loader.ingest_bytes(sample_bytes("gaoyi-2022.txt"), "gaoyi-2022.txt").document
    assert len(media_files(settings)) == 1
    document.budget_years.all().delete()
    document.delete()
    assert media_files(settings) == []


def test_a_failed_ingest_leaves_no_file(settings):
    from ingest.loader import YearConflict

    loader.ingest_bytes(sample_bytes("gaoyi-2022.txt"), "gaoyi-2022.txt")
    other = sample_bytes("gaoyi-2022.txt") + "\n备注".encode()  # the same year from other bytes
    with pytest.raises(YearConflict):
        loader.ingest_bytes(other, "copy.txt")
    assert [p.name for p in media_files(settings)] == [
        f"{loader.sha256_of(sample_bytes('gaoyi-2022.txt'))}.txt"
    ]


def test_a_partial_write_is_never_taken_for_the_original(settings):
    from ingest import originals

    data = sample_bytes("gaoyi-2022.txt")
    name = "sources/ab/abc.txt"
    target = Path(settings.MEDIA_ROOT) / name
    target.parent.mkdir(parents=True)
    target.write_bytes(data[:100])  # what a process killed mid-write by another means leaves
    originals.store(name, data)
    assert target.read_bytes() == data
    assert [p.name for p in target.parent.iterdir()] == ["abc.txt"]
