"""The catalogue is data: validated strictly, documented, and extendable without Python."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scorecard.catalogue.schema import default_catalogue_text, load_catalogue
from scorecard.errors import CatalogueError
from scorecard.ingest import ingest_path
from scorecard.periods import parse
from scorecard.results import ResultsEngine
from scorecard.store import Store

DOCS = Path(__file__).resolve().parents[2] / "docs" / "catalogue.md"


def test_built_in_catalogue_covers_the_six_priorities() -> None:
    cat = load_catalogue()
    assert [p.number for p in cat.priorities] == [1, 2, 3, 4, 5, 6]
    assert cat.baseline == "YE Jun 2019"
    for p in cat.priorities:
        assert cat.for_priority(p.id), f"priority {p.id} has no measures"
    national = {m.id for m in cat.measures if m.role == "national"}
    assert {"homicide", "sharp_object_admissions_u25", "firearm_discharges"} <= national


def test_every_measure_is_documented() -> None:
    text = DOCS.read_text("utf-8")
    for m in load_catalogue().measures:
        assert f"`{m.id}`" in text, f"measure {m.id} missing from docs/catalogue.md"


def _catalogue_with(tmp_path: Path, extra: dict[str, object]) -> Path:
    data = yaml.safe_load(default_catalogue_text())
    data["measures"].append(extra)
    path = tmp_path / "measures.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    return path


def test_a_local_kpi_is_added_by_editing_the_catalogue(tmp_path: Path) -> None:
    path = _catalogue_with(tmp_path, {
        "id": "county_lines_nrm_referrals", "title": "NRM referrals mentioning county lines",
        "priority": "drugs_supply", "role": "local", "dataset": "local_series",
        "filter": {"series": ["nrm_referrals_county_lines"]}, "direction": "neutral",
        "source_text": "Force safeguarding records (local series)",
    })
    cat = load_catalogue(path)
    demo = Path(__file__).resolve().parents[2] / "demo" / "data" / "local-series-west-midlands.csv"
    with Store.open(tmp_path / "s.duckdb") as store:
        ingest_path(store, demo)
        [r] = ResultsEngine(store, cat).compute([cat.measure("county_lines_nrm_referrals")], parse("2021"),
                                                force_ids=["west-midlands"])
    assert r.current.value == 124  # seed 001 para 18


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"direction": "down"}, "direction"),
        ({"dataset": "police_uk_street", "filter": {"offence_code": ["28E"]}}, "not a column of police_uk_street"),
        ({"priority": "parking"}, "unknown priority"),
        ({"baseline": "sometime in 2019"}, "baseline"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_mistakes_are_errors_naming_the_measure(tmp_path: Path, extra: dict[str, object], message: str) -> None:
    measure = {"id": "my_kpi", "title": "Mine", "priority": "homicide", "role": "local",
               "dataset": "local_series", "filter": {"series": ["x"]}, "direction": "decrease",
               "source_text": "local", **extra}
    with pytest.raises(CatalogueError) as info:
        load_catalogue(_catalogue_with(tmp_path, measure))
    assert message in str(info.value)
    if message != "unknown priority":
        assert "my_kpi" in str(info.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(default_catalogue_text())
    data["measures"].append(dict(data["measures"][0]))
    path = tmp_path / "dup.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(CatalogueError, match="appears twice"):
        load_catalogue(path)
