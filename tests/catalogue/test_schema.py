"""The catalogue is data: validated strictly, documented, and extendable without Python."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from scorecard.catalogue.schema import default_catalogue_text, load_catalogue
from scorecard.errors import CatalogueError, UsageError
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
    data["measures"].append(copy.deepcopy(data["measures"][0]))  # a copy: shared objects would dump as aliases
    path = tmp_path / "dup.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(CatalogueError, match=re.escape("measure id 'homicide' appears twice (measures[0] and [35])")):
        load_catalogue(path)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.where == "key measures[35] (homicide).id"


BUILT_IN = default_catalogue_text()


def _edited(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    """The built-in catalogue with ``old`` replaced by ``new`` (the first ``count`` times)."""
    assert old in BUILT_IN, old
    path = tmp_path / "measures.yaml"
    path.write_text(BUILT_IN.replace(old, new, count), "utf-8")
    return path


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[nth - 1]


def test_a_filter_written_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    # Issue 7: the second filter silently won, and homicide became the robbery count.
    path = _edited(tmp_path, "    filter: {series_subgroup: [Homicide]}\n",
                   "    filter: {series_subgroup: [Homicide]}\n    filter: {series_group: [Robbery]}\n")
    text = path.read_text("utf-8")
    first = _line_of(text, "filter: {series_subgroup: [Homicide]}")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.line == first + 1
    assert info.value.where == "key measures[0] (homicide).filter"
    assert f"'filter' appears twice, on lines {first} and {first + 1}" in str(info.value)


def test_a_second_measures_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "measures.yaml"
    path.write_text(BUILT_IN + "measures: []\n", "utf-8")
    with pytest.raises(CatalogueError, match="'measures' appears twice, on lines 55 and") as info:
        load_catalogue(path)
    assert info.value.line == len(BUILT_IN.splitlines()) + 1


@pytest.mark.parametrize(
    ("old", "new", "where", "says"),
    [
        ("    direction: decrease\n    source_text: Home Office police recorded crime (offence",
         "    directon: decrease\n    source_text: Home Office police recorded crime (offence",
         "measures[0] (homicide).directon", "did you mean 'direction'"),
        ("number: 1\n", "number: five\n", "priorities[0] (homicide).number", "found the text 'five'"),
        ("force_level: true}", 'force_level: "true"}', "priorities[0] (homicide).national_metrics[0].force_level",
         "write true or false without quotes"),
        ('version: "2026.11.1"', "version: 2026.11", "version", "put it in quotes"),
        ("    priority: homicide\n    role: national", "    priority: homicde\n    role: national",
         "measures[0] (homicide).priority", "did you mean 'homicide'"),
        ("    dataset: home_office_prc\n    filter: {series_subgroup: [Homicide]}",
         "    dataset: home_office_prc\n    filter: {series_subgrup: [Homicide]}",
         "measures[0] (homicide).filter.series_subgrup", "did you mean 'series_subgroup'"),
        ("filter: {series_subgroup: [Homicide]}", "filter: {series_subgroup: Homicide}",
         "measures[0] (homicide).filter.series_subgroup", "expected a list"),
        ("    national_metric: Homicides\n    dataset: home_office_prc",
         "    national_metric: Homicides\n    dataset: home_ofice_prc", "measures[0] (homicide).dataset",
         "did you mean 'home_office_prc'"),
    ],
)
def test_a_mistake_names_its_key_and_line(tmp_path: Path, old: str, new: str, where: str, says: str) -> None:
    path = _edited(tmp_path, old, new)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.where == f"key {where}"
    assert says in str(info.value)
    changed = new.splitlines()[0] if new.splitlines()[0] != old.splitlines()[0] else new.splitlines()[1]
    assert info.value.line == _line_of(path.read_text("utf-8"), changed)


def test_a_missing_key_is_named_at_its_measure(tmp_path: Path) -> None:
    path = _edited(tmp_path, "    source_text: Home Office police recorded crime (offence classes 1, 4.1, 4.2, 4.10)\n",
                   "")
    with pytest.raises(CatalogueError, match="required key missing") as info:
        load_catalogue(path)
    assert info.value.where == "key measures[0] (homicide).source_text"
    assert info.value.line == _line_of(BUILT_IN, "  - id: homicide", 2)


def test_an_unknown_measure_on_the_command_line_suggests_the_closest() -> None:
    with pytest.raises(UsageError, match="no measure 'burglery' in the catalogue \\(did you mean 'burglary'\\?\\)"):
        load_catalogue().measure("burglery")


def test_every_held_series_can_be_asked_for_even_after_the_catalogue_was_looked_up() -> None:
    """A catalogue whose measures were already looked up by id (``by_id`` is cached) still finds
    the series added by ``with_held_series``: the wider catalogue does not keep the narrower index."""
    from scorecard.catalogue.schema import HeldSeries

    narrow = load_catalogue()
    assert "homicide" in narrow.by_id  # caches the index
    wide = narrow.with_held_series([HeldSeries("local_series", "calls_999_received", "999 calls received", "count")])
    assert wide.by_id["local.calls_999_received"].title == "999 calls received"
    assert "local.calls_999_received" not in narrow.by_id
