"""Property: every configuration reader, fed a mutated real file, loads it or raises our own error.

The real catalogue, the demo's report configuration and a real report.json are damaged the
way files are damaged in practice — a line deleted, duplicated or re-indented, a value swapped
for something odd, the file cut short, a byte changed — and each reader must either accept the
result or raise a ``ScorecardError`` that names the file.  Anything else (a ``KeyError``, a
``RecursionError``, a hang) is a bug the command would show as "internal error".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import report_json_of
from scorecard.catalogue.schema import Catalogue, load_catalogue
from scorecard.documents.config import DocumentConfig
from scorecard.errors import InputError, ScorecardError
from scorecard.store import Store
from scorecard.verify import read_published, verify

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE_TEXT = (ROOT / "src" / "scorecard" / "catalogue" / "measures.yaml").read_text("utf-8")
DEMO_CONFIG_TEXT = (ROOT / "demo" / "report.yaml").read_text("utf-8") + (
    "title: Statement\nsimilar_threshold_pct: 5\nscorecard_measures: [homicide, burglary]\n"
    "applicability:\n  fraud_cyber:\n    applicable: false\n    reason: Led regionally\n")

ODD_VALUES = ["", "five", '"false"', "'true'", "[", "{", "]", "*a", "&a x", "!!python/object:os.system x",
              "1e999", "1.0e999", ".nan", "null", "~", "-", "? x", "<<: {a: 1}", "'", '"', "9" * 5000, "[[[[[[[[[[",
              "{a: 1, a: 2}", "2019-13-45", "yes", "0x1F", "\t", "\x07", "\u202e", "café", "- - -", ": :", "%YAML 1.1",
              "---"]
ODD_JSON = ["NaN", "Infinity", '"48"', "true", "null", "[]", "{}", "[", "{", "1e400", "-", '"\\ud800"', "9" * 5000,
            '{"a": 1, "a": 2}', '"2022-23 Q5"', "0"]

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated(draw: st.DrawFn, text: str, odd: list[str]) -> bytes:
    """``text`` after one to four damaging edits, as bytes (some edits are not valid UTF-8)."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "value", "insert", "truncate"]))
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "indent":
            lines[i] = " " * draw(st.integers(1, 6)) + lines[i]
        elif edit == "dedent":
            lines[i] = lines[i].lstrip(" ")
        elif edit == "value":
            head, sep, _ = lines[i].partition(": ")
            lines[i] = (head + sep if sep else "") + draw(st.sampled_from(odd)) + "\n"
        elif edit == "insert":
            lines.insert(i, draw(st.sampled_from(odd)) + "\n")
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
            del lines[i + 1:]
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    return data


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutated")


def _refused_cleanly(exc: ScorecardError, path: Path) -> None:
    """What every refusal must be: our own error, naming the file, at a line the file has."""
    assert isinstance(exc, InputError), exc
    assert exc.file == str(path)
    if exc.line is not None:
        assert 1 <= exc.line <= path.read_bytes().count(b"\n") + 1, exc


@SETTINGS
@given(data=mutated(CATALOGUE_TEXT, ODD_VALUES))
def test_a_mutated_catalogue_loads_or_is_refused(scratch: Path, data: bytes) -> None:
    path = scratch / "measures.yaml"
    path.write_bytes(data)
    try:
        cat = load_catalogue(path)
    except ScorecardError as exc:
        _refused_cleanly(exc, path)
    else:
        assert cat.measures and cat.priorities and len(cat.by_id) == len(cat.measures)


@SETTINGS
@given(data=mutated(DEMO_CONFIG_TEXT, ODD_VALUES))
def test_a_mutated_report_configuration_loads_or_is_refused(scratch: Path, catalogue: Catalogue, data: bytes) -> None:
    path = scratch / "report.yaml"
    path.write_bytes(data)
    try:
        config = DocumentConfig.load(path, catalogue=catalogue)
    except ScorecardError as exc:
        _refused_cleanly(exc, path)
    else:
        assert set(config.applicability) <= {p.id for p in catalogue.priorities}
        assert all(isinstance(a.applicable, bool) for a in config.applicability.values())


@pytest.fixture(scope="module")
def published_text(real_store_path: Path, catalogue: Catalogue) -> str:
    return report_json_of(real_store_path, "west-mercia", "2022-23 Q1")


@SETTINGS
@given(seed=st.data())
def test_a_mutated_report_json_is_read_or_refused(scratch: Path, published_text: str, seed: st.DataObject) -> None:
    path = scratch / "report.json"
    path.write_bytes(seed.draw(mutated(published_text, ODD_JSON)))
    try:
        report, _ = read_published(path)
    except ScorecardError as exc:
        _refused_cleanly(exc, path)
    else:
        assert report.sections and report.config.get("period")


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.data())
def test_verify_of_a_mutated_report_json_never_crashes(scratch: Path, published_text: str, real_store_path: Path,
                                                       catalogue: Catalogue, seed: st.DataObject) -> None:
    path = scratch / "verify.json"
    path.write_bytes(seed.draw(mutated(published_text, ODD_JSON)))
    with Store.open(real_store_path, read_only=True) as store:
        try:
            diffs = verify(path, store, catalogue)
        except ScorecardError as exc:
            _refused_cleanly(exc, path)
        else:
            assert all(str(d) for d in diffs)  # each names a figure, sentence or cell


def test_the_unmutated_files_load(scratch: Path, published_text: str, catalogue: Catalogue) -> None:
    """The properties above are not vacuous: the real files they start from are accepted."""
    (scratch / "r.json").write_text(published_text, "utf-8")
    (scratch / "c.yaml").write_text(DEMO_CONFIG_TEXT, "utf-8")
    assert read_published(scratch / "r.json")[0].force_id == json.loads(published_text)["force_id"]
    assert DocumentConfig.load(scratch / "c.yaml", catalogue=catalogue).scorecard_measures == ("homicide", "burglary")
