"""The public site and the admin as an attacker meets them: hostile paths and parameters (the
NUL byte included), formula injection in exports, who may download an original, the
Content-Security-Policy and its inline-code rule, admin sign-in throttling, and the production
settings (SECRET_KEY required, HTTPS switches, `check --deploy`)."""

import csv
import io
import re
import secrets
import subprocess
import sys
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from budgets.exports import FORMULA_STARTS
from ingest.models import SourceDocument
from tests.base import ROOT, make_budget_year, make_county, make_department

pytestmark = pytest.mark.django_db

# Path segments and query values an attacker (or a fuzzer) sends: a NUL byte, bytes that are
# not UTF-8, a number no column holds, a long text, a formula.
HOSTILE_SEGMENTS = ["a%00b", "%ED%A0%80", "x" * 3000, "=HYPERLINK(1)", "9" * 30]
HOSTILE_VALUES = ["9" * 30, "%FF%FE" + "x" * 300]


@pytest.fixture
def visitor():
    # A server error comes back as a 500 response, so every bad URL is listed, not only the first.
    return Client(raise_request_exception=False)


def crawl(client, start="/", per_name=1, limit=60):
    """The public pages reachable from `start`: {path: html}, at most `per_name` per URL name."""
    pages, queue, seen, names = {}, [start], set(), {}
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            name = resolve(urlsplit(path).path).url_name
        except Resolver404:
            continue
        if names.get(name, 0) >= per_name:
            continue
        names[name] = names.get(name, 0) + 1
        response = client.get(path)
        assert response.status_code == 200, path
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages[path] = html = response.content.decode()
        for href in re.findall(r'href="(/[^"#]*)"', html):
            href = unescape(href)
            if not href.startswith(("/static/", "/admin/", "/i18n/", "/documents/")):
                queue.append(href)
    return pages


def path_variants(path):
    """`path` with each of its segments replaced in turn by each hostile segment."""
    segments = path.strip("/").split("/")
    for index in range(len(segments)):
        for hostile in HOSTILE_SEGMENTS:
            changed = [*segments[:index], hostile, *segments[index + 1 :]]
            yield "/" + "/".join(changed) + "/"


def form_fields(html):
    """The names of the fields of a page's GET forms (filters, comparison, search)."""
    names = set()
    for form in re.findall(r"<form(?![^>]*method=\"post\")[^>]*>(.*?)</form>", html, re.S | re.I):
        names |= set(re.findall(r'name="([^"]+)"', form))
    return sorted(names - {"csrfmiddlewaretoken"})


def test_no_url_and_no_parameter_answers_a_server_error(visitor, samples):
    pages = crawl(visitor)
    assert len(pages) >= 8
    errors = []
    for path in pages:
        if path == "/":
            continue
        for variant in path_variants(urlsplit(path).path):
            if visitor.get(variant).status_code >= 500:
                errors.append(variant)
    for path, html in pages.items():
        base = urlsplit(path).path
        fields = form_fields(html)
        queries = [f"{field}={value}" for field in fields for value in HOSTILE_VALUES]
        # Every field at once, as an export, and with a NUL byte (refused before any view).
        queries += [
            "&".join(f"{field}={value}" for field in fields) + "&format=csv" for value in HOSTILE_VALUES
        ]
        queries += ["&".join(f"{field}=%00" for field in fields) or "q=%00"]
        for query in queries:
            if visitor.get(f"{base}?{query}").status_code >= 500:
                errors.append(f"{base}?{query[:80]}")
    assert errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/counties/%00/",
        "/counties/高邑县/%00/",
        "/budget-years/?county=%00",
        "/compare/?county=%00&format=csv",
    ],
)
def test_a_nul_byte_is_a_bad_request(visitor, path):
    assert visitor.get(path).status_code == 400


def test_pages_have_no_inline_code_and_a_content_security_policy(visitor, samples):
    pages = crawl(visitor)
    policy = visitor.get("/")["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    for path, html in pages.items():
        scripts = re.findall(r"<script\b([^>]*)>", html, re.I)
        inline = [attrs for attrs in scripts if "src=" not in attrs and "application/json" not in attrs]
        assert inline == [], path
        assert not re.search(r"<[^>]+\sstyle=", html), path
        assert not re.search(r"<[^>]+\son[a-z]+=", html, re.I), path
        assert "<style" not in html, path


def test_csv_cells_and_headers_are_safe_from_formulas(client, settings):
    hostile = '=HYPERLINK("http://example.org","click")'
    county = make_county(name=hostile, code="139901")
    make_budget_year(make_department(county, name="-2+3"), year=2022)
    response = client.get(reverse("budgets:compare"), {"county": county.code, "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    assert any(hostile in cell for cell in header)
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row if not _number(cell))

    listed = client.get(reverse("budgets:budget-years"), {"format": "csv"})
    cells = [
        cell
        for row in csv.reader(io.StringIO(b"".join(listed.streaming_content).decode("utf-8-sig")))
        for cell in row
    ]
    assert "'-2+3" in cells or any(c.startswith("'-2+3") for c in cells)
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells if not _number(cell))


def _number(cell):
    return re.fullmatch(r"-?\d+(\.\d+)?", cell) is not None


# --- originals under review ---------------------------------------------------------------------


@pytest.fixture
def unreviewed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from ingest.loader import keep_document

    return keep_document(
        b"\xe6\x9c\xaa\xe5\xae\xa1 not reviewed", "draft.txt", status=SourceDocument.Status.REVIEW
    )


def test_only_staff_who_may_view_source_documents_download_an_unreviewed_original(
    client, django_user_model, unreviewed
):
    url = reverse("budgets:document-download", args=[unreviewed.pk])
    assert client.get(url).status_code == 404
    clerk = django_user_model.objects.create_user("clerk", password="pw-for-tests", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    clerk.user_permissions.add(Permission.objects.get(codename="view_sourcedocument"))
    client.force_login(django_user_model.objects.get(pk=clerk.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).endswith(b"not reviewed")


# --- admin sign-in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Too many wrong passwords"), ("zh-hans", "密码错误次数过多")]
)
def test_admin_sign_in_locks_out_after_repeated_wrong_passwords(
    client, django_user_model, settings, language, words
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "right-password")
    login = reverse("admin:login")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(login, {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    assert words in response.content.decode()
    # Locked: even the right password is refused during the cool-off.
    response = client.post(login, {"username": "editor", "password": "right-password"})
    assert response.status_code == 429
    # Another address is not locked out by this one's failures.
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(login, {"username": "editor", "password": "right-password"})
    assert response.status_code == 302


# --- production settings ------------------------------------------------------------------------


def _run(args, **env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    serve = ["-c", "import config.wsgi"]  # what gunicorn loads
    result = _run(serve)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert _run(serve, DEBUG="1").returncode == 0
    assert _run(serve, SECRET_KEY=secrets.token_urlsafe(50)).returncode == 0
    # The development key is no secret: `check --deploy` says so.
    assert "security.W009" in _run(["manage.py", "check", "--deploy"]).stderr


def test_check_deploy_is_clean_with_the_production_settings():
    key = secrets.token_urlsafe(50)
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], SECRET_KEY=key, HTTPS="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_switches_on_redirects_hsts_and_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    on = _run(["-c", code], SECRET_KEY="k" * 50, HTTPS="1").stdout.split()
    assert on == ["True", "True", "True", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')"]
    off = _run(["-c", code], SECRET_KEY="k" * 50).stdout.split()
    assert off[:4] == ["False", "False", "False", "False"]
