"""Shared fixtures: real data from ../shared/data and a store loaded with it once."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

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
    through ``publish.gather_annual``), with the build time and software version fixed."""
    from scorecard.areas import force
    from scorecard.catalogue.schema import HeldSeries
    from scorecard.documents.annual_config import AnnualReportConfig
    from scorecard.documents.annual_report import build_annual_report, read_chapters, referenced_measures
    from scorecard.periods import FinancialYear, parse
    from scorecard.publish import gather_annual

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
