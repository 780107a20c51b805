"""Shared fixtures: real data from ../shared/data and a store loaded with it once."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from scorecard.catalogue.schema import Catalogue, load_catalogue
from scorecard.documents.config import DocumentConfig
from scorecard.documents.model import Document, Status
from scorecard.ingest import ingest, ingest_path
from scorecard.publish import build, gather
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
DEMO = ROOT / "demo" / "data"
OCTOBER = SHARED_DATA / "police-uk" / "2018-10.zip"


def store_holding(tmp_path_factory: pytest.TempPathFactory, name: str, *paths: Path) -> Path:
    """A store file with ``paths`` loaded: built once by a fixture, then copied by each test
    that changes it (loading is the slow part)."""
    path = tmp_path_factory.mktemp(name) / "store.duckdb"
    with Store.open(path) as store:
        ingest(store, list(paths))
    return path


def private_copy(template: Path, tmp_path: Path) -> Iterator[Store]:
    """A test's own copy of a template store, open for writing."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(template, path)
    with Store.open(path) as store:
        yield store


def lookup_workbook(tmp_path: Path) -> Path:
    """A real table in a workbook, but not one the scorecard reads: the forces lookup, saved as XLSX."""
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    with (SHARED_DATA / "lookups" / "forces.csv").open(encoding="utf-8") as f:
        for row in csv.reader(f):
            book.active.append(row)
    path = tmp_path / "forces.xlsx"
    book.save(path)
    return path


@pytest.fixture(scope="session")
def october_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the real October 2018 data.police.uk archive."""
    return store_holding(tmp_path_factory, "october", OCTOBER)


@pytest.fixture(scope="session")
def real_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the Home Office table, the ONS June 2019 tables, the West Mercia police.uk
    sample, both seed-derived local series files, seven forces' stop and search for December
    2019 to February 2020, the Home Office workforce tables to September 2019 and the annual
    report's table files (figures quoted from seed 003): loaded once for the session."""
    path = tmp_path_factory.mktemp("store") / "real.duckdb"
    with Store.open(path) as store:
        for f in (SHARED_DATA / "home-office" / "prc_pfa_long.parquet",
                  SHARED_DATA / "ons" / "policeforceareatablesyearendingjune2019.xlsx",
                  DEMO / "west-mercia-street-sample.zip",
                  DEMO / "local-series-west-midlands.csv",
                  DEMO / "local-series-west-mercia.csv",
                  *sorted(DEMO.glob("stop-and-search-*.zip")), DEMO / "police-workforce-sep19-tables.ods",
                  *sorted((ROOT / "demo" / "annual" / "tables").glob("*.csv"))):
            ingest_path(store, f)
    return path


@pytest.fixture
def real_store(real_store_path: Path) -> Iterator[Store]:
    with Store.open(real_store_path, read_only=True) as store:
        yield store


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store every hostile-input case (tests/hostile) starts from: Home Office and ONS
    tables, both local series, West Mercia's street crime for nine months and seven forces'
    stop and search for December 2019, all as published."""
    return store_holding(
        tmp_path_factory, "hostile-template",
        DEMO / "prc_pfa_long.parquet", DEMO / "policeforceareatablesyearendingjune2019.xlsx",
        DEMO / "local-series-west-midlands.csv", DEMO / "local-series-west-mercia.csv",
        DEMO / "west-mercia-street-sample.zip", SHARED_DATA / "police-uk" / "stop-and-search-2019-12.zip")


def report_json_of(store_path: Path, force_id: str, period: str, config_path: Path | None = None) -> str:
    """The report.json `scorecard report` writes for a force and period (the real pipeline:
    figures from the store, the statement builder, the JSON renderer)."""
    from scorecard.documents.config import DocumentConfig
    from scorecard.publish import build, gather
    from scorecard.render.data import document_json

    cat = load_catalogue()
    config = DocumentConfig.load(config_path, catalogue=cat)
    with Store.open(store_path, read_only=True) as store:
        sp, figures = gather(store, cat, [force_id], period, config)
    return document_json(build(cat, force_id, sp, figures[force_id], config)) + "\n"


# --------------------------------------------------------------------------- demo documents

DEMO_CONFIG = ROOT / "demo" / "config"
FIXED_TIME = "2026-01-05T09:30:00"


def _demo_document(store_path: Path, catalogue: Catalogue, which: tuple[str, str, str],
                   status: Status | None = None) -> Document:
    """A document from a demo configuration, ``which`` = (force, period, configuration file),
    with the store's load times, the build time and the software version fixed so that it is
    the same on every run."""
    force_id, period, config_file = which
    config = DocumentConfig.load(DEMO_CONFIG / config_file, catalogue=catalogue)
    if status is not None:
        config = replace(config, status=status)
    with Store.open(store_path, read_only=True) as store:
        sp, figures = gather(store, catalogue, [force_id], period, config)
    held = figures[force_id]
    held = replace(held, sources=tuple({**s, "loaded_at": FIXED_TIME} for s in held.sources))
    return replace(build(catalogue, force_id, sp, held, config, generated_at=FIXED_TIME), software_version="test")


@pytest.fixture(scope="session")
def demo_document() -> Callable[..., Document]:
    return _demo_document


ANNUAL = ROOT / "demo" / "annual" / "west-midlands-2023-24.yaml"


def annual_report_of(store_path: Path, catalogue: Catalogue, config_path: Path = ANNUAL,
                     force_id: str = "west-midlands", year: str = "2023-24") -> Document:
    """An annual report as `scorecard annual-report` builds it (its tables' inputs from the store
    through ``publish_annual.gather_annual``), with the build time and software version fixed."""
    from scorecard.areas import force
    from scorecard.catalogue.schema import HeldSeries
    from scorecard.documents.annual_config import AnnualReportConfig
    from scorecard.documents.annual_report import build_annual_report, read_chapters, referenced_measures
    from scorecard.periods import FinancialYear, parse
    from scorecard.publish_annual import gather_annual

    fy = parse(year)
    assert isinstance(fy, FinancialYear)
    with Store.open(store_path, read_only=True) as store:
        held = catalogue.with_held_series([HeldSeries(*row) for row in store.series_held()])
        config = AnnualReportConfig.load(config_path, fy, list(held.by_id))
        chapters = read_chapters(config.chapters_dir)
        inputs = gather_annual(store, held, config, force_id, fy, referenced_measures(chapters))
    return build_annual_report(config, chapters, force_id=force_id,
                               area_name=force(force_id).name, year=fy, generated_at=FIXED_TIME,
                               software_version="test", catalogue_version=catalogue.version, inputs=inputs)


# --------------------------------------------------------------------------- the web application
# (tests/web). Django runs with the project's settings (pyproject: DJANGO_SETTINGS_MODULE), its
# database the one SCORECARD_DATABASE_URL names — SQLite by default, PostgreSQL when scripts/test
# starts a server — created afresh for the run by pytest-django. Models are imported inside the
# fixtures: Django is set up after this file is read.

WEB_PASSWORD = "correct-horse-battery-staple-2026"
WEB_USERS = {
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
def people(db: None) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from scorecard.web import setup

    made = {}
    for name, roles in WEB_USERS.items():
        setup.add_user(name, roles=roles, password=WEB_PASSWORD)
        made[name] = User.objects.get(username=name)
    setup.add_user("admin", admin=True, password=WEB_PASSWORD)
    made["admin"] = User.objects.get(username="admin")
    return made


@pytest.fixture
def drafts(site: Path, people: dict[str, Any]) -> dict[str, Any]:
    from scorecard.web import setup
    from scorecard.web.models import Draft

    setup.ensure_drafts()
    return {d.config_name: d for d in Draft.objects.all()}


@pytest.fixture
def wm_statement(drafts: dict[str, Any]) -> Any:
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

    cat = load_catalogue()
    config = DocumentConfig.load(ROOT / "demo" / "config" / "west-midlands-2024-25-q1-statement.yaml", catalogue=cat)
    with Store.open(real_store_path, read_only=True) as store:
        sp, figures = gather(store, cat, ["west-midlands"], "2024-25 Q1", config)
    folder = tmp_path_factory.mktemp("published-once")
    write_document(build(cat, "west-midlands", sp, figures["west-midlands"], config), ["html", "json", "csv"], folder)
    return folder


@pytest.fixture
def publication(site: Path, published_files: Path, people: dict[str, Any]) -> Iterator[Any]:
    import hashlib

    from scorecard.web.models import Publication

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
