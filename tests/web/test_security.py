"""OWASP ASVS level 1, as a visitor meets it: the headers on every page, CSRF on every form,
Argon2 password hashes, login throttling, secure cookies, and no script from commentary."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from scorecard.web import publishing
from scorecard.web.models import Draft, ImmutableError, Publication

PASSWORD = "correct-horse-battery-staple-2026"
ROOT = Path(__file__).resolve().parents[2]


def test_every_page_has_the_security_headers(wm_statement: Draft, publication: Publication) -> None:
    for url in ("/", "/forces/west-midlands/", "/workbench/login/", "/assets/site.css"):
        response = Client().get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_a_published_document_s_inline_styles_are_allowed_by_their_hash_alone(publication: Publication) -> None:
    url = "/forces/west-midlands/statement/2024-25-Q1/v1/statement.html"
    response = Client().get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-" in csp and "'unsafe-inline'" not in csp


def test_csrf_is_checked_on_every_form(wm_statement: Draft, people: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["analyst"])
    for action in ("save", "submit", "preview"):
        assert client.post(f"/workbench/drafts/{wm_statement.pk}/{action}", {}).status_code == 403
    assert Client(enforce_csrf_checks=True).post("/workbench/login/", {"username": "analyst",
                                                                       "password": PASSWORD}).status_code == 403


def test_passwords_are_argon2_hashes(people: dict[str, User]) -> None:
    assert people["analyst"].password.startswith("argon2$argon2id$")


def test_the_session_cookie_is_secure_and_http_only(people: dict[str, User]) -> None:
    client = Client()
    response = client.post("/workbench/login/", {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(people: dict[str, User]) -> None:
    client = Client()
    answers = [client.post("/workbench/login/", {"username": "analyst", "password": "wrong"}).status_code
               for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the form again four times; the fifth failure locks it
    locked = client.post("/workbench/login/", {"username": "analyst", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_no_script_in_commentary_reaches_a_page(wm_statement: Draft, people: dict[str, User], site: Path) -> None:
    analyst = Client()
    analyst.force_login(people["analyst"])
    attack = ('<script>alert(1)</script> <img src=x onerror="alert(2)"> [link](javascript:alert(3)) '
              '<a href="javascript:alert(4)">x</a>')
    analyst.post(f"/workbench/drafts/{wm_statement.pk}/save", {"homicide.pcc": attack})
    page = analyst.get(f"/workbench/drafts/{wm_statement.pk}/").content.decode()
    preview = analyst.post(f"/workbench/drafts/{wm_statement.pk}/preview",
                           {"field": "homicide.pcc", "text": attack}, content_type="application/json").json()
    for html in (page, preview["html"]):
        assert "<script>alert" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
        assert 'href="javascript:' not in html
    wm_statement.status = "submitted"
    wm_statement.save()
    pub = publishing.publish(wm_statement, people["approver"])
    published = (site / pub.folder / "statement.html").read_text("utf-8")
    assert "<script>alert" not in published and 'href="javascript:' not in published
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in published  # shown as the text it is


def test_a_publication_never_changes(publication: Publication, people: dict[str, User]) -> None:
    import pytest

    publication.title = "Something else"
    with pytest.raises(ImmutableError):
        publication.save()
    with pytest.raises(ImmutableError):
        Publication.objects.get(pk=publication.pk).delete()


def test_a_file_changed_on_disk_after_publication_is_not_served(publication: Publication, site: Path) -> None:
    (site / publication.folder / "statement.html").write_text("<p>altered</p>", "utf-8")
    assert Client().get("/forces/west-midlands/statement/2024-25-Q1/v1/statement.html").status_code == 404


def test_no_secret_is_in_the_repository() -> None:
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [p for p in tracked if Path(p).name in ("secret_key", "web.sqlite3", ".env")]
    settings_text = (ROOT / "src" / "scorecard" / "web" / "settings.py").read_text("utf-8")
    assert "SECRET_KEY = _secret_key()" in settings_text and "django-insecure" not in settings_text
