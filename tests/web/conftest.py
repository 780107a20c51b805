"""The web application's fixtures: the real demo store, the demo's drafts, a user for each role.

Django runs with the project's settings (pyproject: DJANGO_SETTINGS_MODULE), its database the
one ``SCORECARD_DATABASE_URL`` names — SQLite by default, PostgreSQL when scripts/test starts a
server — created afresh for the run by pytest-django.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from scorecard.web import setup
from scorecard.web.models import Draft, Publication

PASSWORD = "correct-horse-battery-staple-2026"
USERS = {
    "analyst": [("west-midlands", "analyst")], "approver": [("west-midlands", "approver")],
    "other-analyst": [("west-mercia", "analyst")],
}


@pytest.fixture
def site(settings: Any, real_store_path: Path, tmp_path: Path) -> Path:
    """The site on the real store, publishing into the test's own folder."""
    settings.STORE = real_store_path
    settings.PUBLISHED = tmp_path / "published"
    return settings.PUBLISHED


@pytest.fixture
def people(db: None) -> dict[str, User]:
    made = {}
    for name, roles in USERS.items():
        setup.add_user(name, roles=roles, password=PASSWORD)
        made[name] = User.objects.get(username=name)
    setup.add_user("admin", admin=True, password=PASSWORD)
    made["admin"] = User.objects.get(username="admin")
    return made


@pytest.fixture
def drafts(site: Path, people: dict[str, User]) -> dict[str, Draft]:
    setup.ensure_drafts()
    return {d.config_name: d for d in Draft.objects.all()}


@pytest.fixture
def wm_statement(drafts: dict[str, Draft]) -> Draft:
    return drafts["west-midlands-2024-25-q1-statement.yaml"]


@pytest.fixture(scope="session")
def published_files(tmp_path_factory: pytest.TempPathFactory, real_store_path: Path) -> Path:
    """The West Midlands statement's files as approving it writes them (render.write_document),
    made once for the session; a test's Publication row points at a copy."""
    from scorecard.catalogue.schema import load_catalogue
    from scorecard.documents.config import DocumentConfig
    from scorecard.publish import build, gather
    from scorecard.render.write import write_document
    from scorecard.store import Store

    root = Path(__file__).resolve().parents[2]
    cat = load_catalogue()
    config = DocumentConfig.load(root / "demo" / "config" / "west-midlands-2024-25-q1-statement.yaml", catalogue=cat)
    with Store.open(real_store_path, read_only=True) as store:
        sp, figures = gather(store, cat, ["west-midlands"], "2024-25 Q1", config)
    folder = tmp_path_factory.mktemp("published-once")
    write_document(build(cat, "west-midlands", sp, figures["west-midlands"], config), ["html", "json", "csv"], folder)
    return folder


@pytest.fixture
def publication(site: Path, published_files: Path, people: dict[str, User]) -> Iterator[Publication]:
    import shutil

    folder = "west-midlands/statement/2024-25-Q1/v1"
    shutil.copytree(published_files, site / folder)
    files = {str(p.relative_to(site / folder)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in (site / folder).rglob("*") if p.is_file()}
    yield Publication.objects.create(force_id="west-midlands", kind="statement", period="2024-25 Q1",
                                     period_slug="2024-25-Q1", version=1, title="West Midlands statement",
                                     folder=folder, files=files, published_by=people["approver"])


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_run(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """PostgreSQL will not drop the test database while the live server's threads still hold
    connections to it: end them once every test has run, before the database is dropped."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")
