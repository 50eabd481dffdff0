"""The administrator upload: files in, background parse, preview, save or discard."""

import io
import json
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from budgets.models import BudgetYear, LineItem
from ingest import finding_messages, loader
from ingest.gold import check_doc
from ingest.models import Batch, SourceDocument
from ingest.vocabulary import tables as vocab
from tests.base import ROOT, sample_bytes, slug

# Transactional: parses are queued on commit, as the worker needs the committed row.
pytestmark = pytest.mark.django_db(transaction=True)

GOLD = json.loads((ROOT / "tests" / "data" / "gold_seeds.json").read_text(encoding="utf-8"))
UPLOAD = reverse("admin:ingest_sourcedocument_upload")


@pytest.fixture(autouse=True)
def _immediate_tasks_and_media_in_tmp(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def upload(client, *files):
    """POST files ((name, bytes) pairs) to the upload view and follow to where it leads."""
    payload = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(UPLOAD, {"files": payload}, follow=True)


def zipped(*names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(f"disclosures/{name}", sample_bytes(name))
    return buffer.getvalue()


def preview_url(document):
    return reverse("admin:ingest_sourcedocument_preview", args=[document.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- who may upload ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_user_who_is_not_staff_is_sent_to_the_login_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="pw-for-tests"))
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.post(UPLOAD, {"files": [SimpleUploadedFile("a.txt", b"x")]}).status_code == 302
    assert SourceDocument.objects.count() == 0


def test_staff_without_the_add_permission_is_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("clerk", password="pw-for-tests", is_staff=True))
    assert client.get(UPLOAD).status_code == 403


def test_the_changelist_links_to_the_upload(staff):
    response = staff.get(reverse("admin:ingest_sourcedocument_changelist"))
    assert f'href="{UPLOAD}"' in response.content.decode()
    page = staff.get(UPLOAD).content.decode()
    assert 'type="file"' in page and "multiple" in page


# --- one file: parse, preview, save ---------------------------------------------------------------


def test_an_uploaded_sample_is_parsed_previewed_and_saved(staff):
    name = "gaoyi-2022.txt"
    response = upload(staff, (name, sample_bytes(name)))
    document = SourceDocument.objects.get()
    assert response.redirect_chain[-1][0] == preview_url(document)
    assert document.status == SourceDocument.Status.REVIEW
    assert document.format == SourceDocument.Format.TEXT
    assert document.uploaded_by.username == "editor"
    assert BudgetYear.objects.count() == 0  # nothing is public before Save
    failures = [
        f"{label}: {detail}" for label, ok, detail in check_doc(GOLD[name], document.parsed) if not ok
    ]
    assert failures == []

    page = response.content.decode()
    gold = GOLD[name]
    for text in (gold["county"], gold["department"], str(gold["year"])):
        assert text in page
    for block in ("totals", "three_costs"):
        for key, want in gold[block].items():
            have = document.parsed[block][key]
            assert Decimal(str(have)) == Decimal(str(want))
            assert f'<td class="amount">{have}</td>' in page, (block, key)
    assert f'<td class="amount">{len(document.parsed["line_items"])}</td>' in page
    assert f'<td class="amount">{gold["indicator_count"]}</td>' in page
    assert document.parsed["findings"]
    for finding in document.parsed["findings"]:
        # The page is in English: each finding is written in English from its figures.
        with translation.override("en"):
            text = finding_messages.render(finding["check"], finding["params"], finding["message"])
        assert text != finding["message"] and escape(text) in page
    for table in document.parsed["tables"]:
        assert escape(table["title"]) in page
    public = reverse(
        "budgets:budget-year-detail", args=[slug(gold["county"]), gold["department"], gold["year"]]
    )
    assert staff.get(public).status_code == 404

    response = staff.post(preview_url(document), {"action": "save"}, follow=True)
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.SAVED
    budget_year = BudgetYear.objects.get()
    assert (budget_year.year, budget_year.expenditure) == (2022, Decimal("394.30"))
    assert budget_year.source_document == document
    assert LineItem.objects.filter(budget_year=budget_year).count() == len(document.parsed["line_items"])
    assert any("Saved" in m for m in messages_of(response))
    assert f'href="{public}"' in response.content.decode()
    assert staff.get(public).status_code == 200

    download = staff.get(reverse("budgets:document-download", args=[document.pk]))
    assert b"".join(download.streaming_content) == sample_bytes(name)
    assert name in download["Content-Disposition"]


def test_the_preview_marks_figures_in_doubt_and_says_what_was_not_read(staff):
    name = "laiyuan-2016.txt"
    response = upload(staff, (name, sample_bytes(name)))
    document = SourceDocument.objects.get()
    parsed = document.parsed
    # The text prints the 三公 total as 1135000万元, the table as 113.50: the total is in doubt.
    assert "three_costs.total" in parsed["needs_checking"]
    number = next(
        i for i, f in enumerate(parsed["findings"], 1) if "three_costs.total" in f.get("figures", ())
    )
    page = response.content.decode()
    mark = f'<a class="check-mark" href="#finding-{number}">needs checking</a>'
    assert f'<span class="doubtful">113.50</span> {mark}' in page
    assert f'id="finding-{number}"><td>error</td>' in page
    verdict = page[page.index('id="verdict"') : page.index('class="preview-grid"')]
    assert "Needs checking: three public costs" in verdict
    assert parsed["unread"] and "Not read:" in verdict
    for item in parsed["unread"]:
        printed = vocab.TABLE_KIND_NAMES.get(item["name"], item["name"])
        assert f"({printed})" in verdict, item  # the English name, and the Chinese the document prints
        assert f"{item['kind']}: {item['name']}" not in page
    for claim in ("No problems found", "No findings", "Every expected"):
        assert claim not in page

    chinese = staff.get(preview_url(document), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<span class="doubtful">113.50</span> <a class="check-mark"' in chinese and "需核实" in chinese
    assert "未读出：" in chinese and "未发现问题" not in chinese

    staff.post(preview_url(document), {"action": "save"})
    budget_year = BudgetYear.objects.get()
    assert budget_year.needs_checking == parsed["needs_checking"]
    assert budget_year.findings.get(rule="unit_mismatch").figures == ["three_costs.total"]


@pytest.mark.parametrize(
    ("unread", "says", "never"),
    [
        ([], "No problems found: every expected part", "Not read"),
        (
            [{"kind": "table", "name": "summary"}, {"kind": "section", "name": "名词解释"}],
            "Not read: income and expenditure summary table (收支总表), glossary (名词解释).",
            "No problems found",
        ),
    ],
)
def test_the_preview_says_no_problems_only_when_everything_was_read_and_agrees(staff, unread, says, never):
    document = SourceDocument.objects.create(
        original_name="甲县-2022.txt",
        sha256="0" * 64,
        format="text",
        size=1,
        status=SourceDocument.Status.REVIEW,
        parsed={"county": "甲县", "department": "甲县财政局", "year": 2022, "findings": [], "unread": unread},
    )
    page = staff.get(preview_url(document)).content.decode()
    assert says in page
    assert never not in page
    assert ("No findings: the figures agree" in page) == (not unread)


def test_the_same_bytes_again_are_not_kept_twice(staff):
    name = "wuji-2018.txt"
    upload(staff, (name, sample_bytes(name)))
    first = SourceDocument.objects.get()
    response = upload(staff, ("renamed.txt", sample_bytes(name)))
    assert SourceDocument.objects.count() == 1
    [message] = messages_of(response)
    assert "already uploaded" in message and f'href="{preview_url(first)}"' in message


def test_a_year_saved_from_another_document_is_replaced_only_when_asked(staff, samples):
    name = "gaoyi-2022.txt"
    upload(staff, ("gaoyi-2022-corrected.txt", sample_bytes(name) + b"\n"))
    document = SourceDocument.objects.get(original_name="gaoyi-2022-corrected.txt")
    page = staff.get(preview_url(document)).content.decode()
    assert 'value="replace"' in page and 'value="save"' not in page

    response = staff.post(preview_url(document), {"action": "save"}, follow=True)
    assert any("already saved" in m for m in messages_of(response))
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.REVIEW

    staff.post(preview_url(document), {"action": "replace"})
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.SAVED
    assert SourceDocument.objects.get(original_name=name).status == SourceDocument.Status.SUPERSEDED
    assert (
        BudgetYear.objects.get(department__name=GOLD[name]["department"], year=2022).source_document
        == document
    )


def test_discard_keeps_the_file_and_says_why(staff):
    name = "pingxiang-2021.txt"
    upload(staff, (name, sample_bytes(name)))
    document = SourceDocument.objects.get()
    staff.post(preview_url(document), {"action": "discard", "reason": "wrong county"})
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.DISCARDED
    assert "wrong county" in document.error and "editor" in document.error
    assert document.file.read() == sample_bytes(name)
    assert BudgetYear.objects.count() == 0
    staff.post(preview_url(document), {"action": "save"})
    assert BudgetYear.objects.count() == 0

    staff.post(preview_url(document), {"action": "reparse"})
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.REVIEW


# --- batches ------------------------------------------------------------------------------------


def test_a_zip_is_a_batch_whose_progress_is_shown(staff):
    names = ["gaoyi-2019.txt", "laiyuan-2016.txt"]
    response = upload(staff, ("county-site.zip", zipped(*names)))
    batch = Batch.objects.get()
    assert batch.name == "county-site.zip"
    assert response.redirect_chain[-1][0] == reverse("admin:ingest_sourcedocument_batch", args=[batch.pk])
    assert sorted(batch.documents.values_list("original_name", flat=True)) == names
    assert set(batch.documents.values_list("status", flat=True)) == {SourceDocument.Status.REVIEW}
    assert batch.progress() == (2, 2)
    page = response.content.decode()
    assert "2 of 2 done" in page
    assert 'http-equiv="refresh"' not in page
    for name in names:
        document = batch.documents.get(original_name=name)
        assert all(ok for _label, ok, _detail in check_doc(GOLD[name], document.parsed))


def test_a_batch_in_progress_refreshes_itself(staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = upload(
        staff, ("a.txt", sample_bytes("gaoyi-2019.txt")), ("b.txt", sample_bytes("wuji-2018.txt"))
    )
    batch = Batch.objects.get()
    assert batch.progress() == (0, 2)
    page = response.content.decode()
    assert "0 of 2 done" in page and 'http-equiv="refresh"' in page


def test_a_zip_that_escapes_its_folder_is_refused(staff):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/gaoyi-2019.txt", sample_bytes("gaoyi-2019.txt"))
    response = upload(staff, ("evil.zip", buffer.getvalue()))
    assert SourceDocument.objects.count() == 0 and Batch.objects.count() == 0
    assert any("evil.zip" in m and "outside its folder" in m for m in messages_of(response))


# --- what is refused, what fails ------------------------------------------------------------------


def test_a_file_that_does_not_parse_leaves_only_its_document_with_the_error(staff):
    story = "从前有座山，山里有座庙，庙里有个老和尚在给小和尚讲故事。\n".encode() * 50
    upload(staff, ("story.txt", story))
    document = SourceDocument.objects.get()
    assert document.status == SourceDocument.Status.FAILED
    with translation.override("en"):  # kept as a refusal, read in the reader's language
        error = document.error_text
    assert "not a budget disclosure" in error
    assert "\n" not in error
    assert document.parsed is None
    assert document.file.read() == story
    assert BudgetYear.objects.count() == 0
    page = staff.get(preview_url(document)).content.decode()
    assert escape(error) in page


def test_a_file_over_the_limit_is_refused(staff, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(staff, ("big.txt", sample_bytes("gaoyi-2022.txt")))
    assert SourceDocument.objects.count() == 0
    assert any("big.txt" in m and "over the limit" in m for m in messages_of(response))


def test_a_binary_file_named_txt_is_refused_by_its_content(staff):
    response = upload(staff, ("budget.txt", bytes(range(256)) * 40))
    assert SourceDocument.objects.count() == 0
    assert any("budget.txt" in m and "judged by its content" in m for m in messages_of(response))


def _slow_parse(data, name):
    time.sleep(30)
    raise AssertionError("the time limit should have stopped this parse")


def test_a_parse_that_runs_too_long_is_stopped(staff, settings, monkeypatch):
    settings.PARSE_TIMEOUT_SECONDS = 0.5
    monkeypatch.setattr(loader, "parse_bytes", _slow_parse)
    started = time.monotonic()
    upload(staff, ("slow.txt", sample_bytes("wuji-2018.txt")))
    assert time.monotonic() - started < 10
    document = SourceDocument.objects.get()
    assert document.status == SourceDocument.Status.FAILED
    with translation.override("en"):
        assert "longer than 0.5 seconds" in document.error_text
    assert BudgetYear.objects.count() == 0


def test_the_preview_says_what_the_document_is_and_asks_which_county_a_namesake_is(staff):
    # 普陀区 is Shanghai's and Zhoushan's; this disclosure names neither city.
    text = (
        "普陀区财政局2024年部门预算\n一、收入支出预算总体情况\n"
        "收入总计100万元，支出总计100万元。\n二、三公经费\n“三公”经费1万元。\n"
    )
    upload(staff, ("putuo.txt", text.encode()))
    document = SourceDocument.objects.get()
    assert document.parsed["division_code"] is None
    page = staff.get(reverse("admin:ingest_sourcedocument_preview", args=[document.pk])).content.decode()
    assert "budget (预算)" in page and "department (部门)" in page
    assert "Which 普陀区?" in page
    assert "上海市普陀区 (310107)" in page and "浙江省舟山市普陀区 (330903)" in page

    gaoyi = "gaoyi-2022.txt"
    upload(staff, (gaoyi, sample_bytes(gaoyi)))
    saved = SourceDocument.objects.get(original_name=gaoyi)
    page = staff.get(reverse("admin:ingest_sourcedocument_preview", args=[saved.pk])).content.decode()
    assert "高邑县 (130127)" in page and "河北省 石家庄市" in page
    assert 'id="which-county"' not in page
