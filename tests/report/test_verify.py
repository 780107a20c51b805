"""verify reads a report.json as strictly as any configuration file, and names each figure that differs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scorecard.catalogue.schema import Catalogue
from scorecard.errors import ConfigError
from scorecard.periods import parse
from scorecard.report.build import build_report
from scorecard.report.data import report_json
from scorecard.report.verify import read_report, verify
from scorecard.store import Store


@pytest.fixture(scope="module")
def published(real_store_path: Path, catalogue: Catalogue) -> dict[str, Any]:
    with Store.open(real_store_path, read_only=True) as store:
        data: dict[str, Any] = json.loads(report_json(build_report(store, catalogue, "west-mercia",
                                                                   parse("2022-23 Q1"))))
    return data


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "report.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), "utf-8")
    return path


def test_an_unchanged_report_agrees(tmp_path: Path, published: dict[str, Any], real_store: Store,
                                    catalogue: Catalogue) -> None:
    assert verify(_write(tmp_path, published), real_store, catalogue) == []


def test_a_changed_figure_names_the_file_priority_measure_and_field(tmp_path: Path, published: dict[str, Any],
                                                                    real_store: Store, catalogue: Catalogue) -> None:
    edited = json.loads(json.dumps(published))
    homicide = next(f for s in edited["sections"] for f in s["figures"] if f["measure_id"] == "homicide")
    was = homicide["value"]
    homicide["value"] = was + 1
    path = _write(tmp_path, edited)
    [diff] = verify(path, real_store, catalogue)
    assert str(diff) == (f"{path}, priority homicide, figure homicide.value: published {float(was + 1)}, "
                         f"store now gives {float(was)}")


HOMICIDE = "sections[0] (homicide).figures[0] (homicide)"


def _edit(published: dict[str, Any], change: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(published))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "where", "says"),
    [
        (lambda d: d.pop("sections"), "key sections", "required key missing"),
        (lambda d: d["sections"][0]["figures"][0].update(value="48"), f"key {HOMICIDE}.value",
         "expected a number, found the text '48'"),
        (lambda d: d["sections"][0]["figures"][0].update(value=True), f"key {HOMICIDE}.value",
         "expected a number, found the boolean true"),
        (lambda d: d["sections"][0].update(figures={}), "key sections[0] (homicide).figures", "expected a list"),
        (lambda d: d.update(force_id="atlantis"), "key force_id", "unknown police force 'atlantis'"),
        (lambda d: d.update(period_label="2024-13"), "key period_label", "the period no longer reads"),
        (lambda d: d.update(format="something-else@9"), "key format", "not a report.json written by"),
    ],
)
def test_a_report_json_of_the_wrong_shape_names_the_key(tmp_path: Path, published: dict[str, Any], change: Any,
                                                        where: str, says: str) -> None:
    with pytest.raises(ConfigError) as info:
        read_report(_write(tmp_path, _edit(published, change)))
    assert info.value.where == where and info.value.problem.startswith(says)


def test_a_list_is_not_a_report(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not a report\.json written by `scorecard report`"):
        read_report(_write(tmp_path, [1, 2, 3]))


def test_a_truncated_report_names_its_line(tmp_path: Path, published: dict[str, Any]) -> None:
    text = json.dumps(published, indent=2)
    cut = text[: len(text) // 2]
    with pytest.raises(ConfigError, match="not valid JSON") as info:
        read_report(_write(tmp_path, cut))
    assert info.value.line == cut.count("\n") + 1


def test_another_catalogue_version_is_refused(tmp_path: Path, published: dict[str, Any], real_store: Store,
                                              catalogue: Catalogue) -> None:
    path = _write(tmp_path, _edit(published, lambda d: d.update(catalogue_version="1999.1")))
    with pytest.raises(ConfigError, match="pass the matching --catalogue") as info:
        verify(path, real_store, catalogue)
    assert info.value.where == "key catalogue_version"
