"""The samples and the real Shanghai Putuo corpus (../shared/corpus) loaded together: 普陀区
sits under 上海市 with code 310107, and a Zhoushan 普陀区 disclosure lands apart from it.
Where the corpus is absent (a clone without the shared material) the test is skipped, saying so."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets.models import BudgetYear, County
from tests.base import SAMPLES
from tests.disclosures import budget_text, ingest_text
from tests.test_corpus import ABSENT, CORPUS

pytestmark = pytest.mark.django_db

PDFS = sorted((CORPUS / "shanghai-putuo").glob("*.pdf")) if CORPUS.exists() else []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_samples_and_corpus_load_together(client, media):
    if not PDFS:
        pytest.skip(ABSENT)
    files = [*sorted(str(p) for p in SAMPLES.glob("*.txt")), *(str(p) for p in PDFS)]
    call_command("ingest", *files, stdout=io.StringIO())
    ingest_text(budget_text("舟山市普陀区财政局"), "zhoushan-2023.txt")

    shanghai = County.objects.get(code="310107")
    assert (shanghai.name, shanghai.province, shanghai.prefecture) == ("普陀区", "上海市", "")
    kinds = dict(
        BudgetYear.objects.filter(department__county=shanghai).values_list("department__name", "kind")
    )
    assert kinds == {
        "上海市普陀区人民政府办公室": "budget",
        "上海市普陀区人民政府万里街道办事处": "budget",
        "上海市普陀区财政局": "final_accounts",
        "上海市普陀区规划和自然资源局": "final_accounts",
    }
    zhoushan = County.objects.get(code="330903")
    assert list(
        BudgetYear.objects.filter(department__county=zhoushan).values_list("department__name", flat=True)
    ) == ["舟山市普陀区财政局"]
    assert County.objects.get(code="130127").name == "高邑县"

    html = client.get(reverse("budgets:province-detail", args=["上海市"])).content.decode()
    assert reverse("budgets:county-detail", args=["310107-普陀区"]) in html
    html = client.get(reverse("budgets:county-detail", args=["310107-普陀区"])).content.decode()
    assert "上海市普陀区财政局" in html and "舟山市普陀区财政局" not in html
