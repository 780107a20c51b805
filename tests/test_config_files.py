"""The strict reader every configuration file goes through: what it refuses, and how it says so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, model_validator

from scorecard import config_files
from scorecard.config_files import MAX_DEPTH, MAX_NODES, KeyProblem, load_json, load_yaml, parse_json, parse_yaml
from scorecard.errors import CatalogueError, ConfigError


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)
    return path


# --- the path is looked at before it is opened ---------------------------------------------


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "report.yaml"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    with pytest.raises(ConfigError, match="not a regular file"):
        load_yaml(fifo, what="report configuration")


def test_a_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "measures.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(ConfigError, match="not a regular file"):
        load_yaml(link, what="catalogue")


def test_a_file_over_the_limit_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "measures.yaml"
    with big.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: costs no disk, and is never read
    with pytest.raises(ConfigError, match=r"the file is 100\.0 MiB, larger than any catalogue \(4\.0 MiB at most\)"):
        load_yaml(big, what="catalogue")


def test_a_folder_and_a_missing_file_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        load_yaml(tmp_path, what="catalogue")
    with pytest.raises(ConfigError, match="no such file") as info:
        load_yaml(tmp_path / "nowhere.yaml", what="catalogue")
    assert info.value.file.endswith("nowhere.yaml")


def test_the_error_kind_is_the_callers(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError):
        load_yaml(tmp_path / "nowhere.yaml", what="catalogue", error=CatalogueError)


# --- text ------------------------------------------------------------------------------------


def test_a_byte_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "latin1.yaml", "title: ok\nreason: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8 text") as info:
        load_yaml(path, what="report configuration")
    assert info.value.line == 2


def test_a_byte_order_mark_is_allowed_and_utf16_is_refused(tmp_path: Path) -> None:
    assert load_yaml(_write(tmp_path, "bom.yaml", b"\xef\xbb\xbftitle: x\n"), what="x").data == {"title": "x"}
    with pytest.raises(ConfigError, match="UTF-16"):
        load_yaml(_write(tmp_path, "utf16.yaml", "title: x\n".encode("utf-16")), what="x")


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066"])
def test_control_and_bidirectional_characters_are_refused_with_line_and_column(character: str) -> None:
    with pytest.raises(ConfigError, match=rf"U\+{ord(character):04X} at column 7") as info:
        parse_yaml(f"a: 1\nreason{character}: x\n", "c.yaml")
    assert info.value.line == 2


def test_tabs_and_windows_line_endings_are_fine() -> None:
    assert parse_yaml("notes:\r\n  - 'a\tb'\r\n", "c.yaml").data == {"notes": ["a\tb"]}


# --- YAML: depth, aliases, tags, keys ---------------------------------------------------


def test_nesting_is_bounded_before_the_document_is_built() -> None:
    parse_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH, "ok.yaml")
    with pytest.raises(ConfigError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "deep.yaml")
    with pytest.raises(ConfigError, match="nested more than"):
        parse_yaml("[" * 50_000, "deeper.yaml")  # the composer would recurse 50,000 times


def test_a_file_of_too_many_values_is_refused() -> None:
    with pytest.raises(ConfigError, match=f"more than {MAX_NODES:,} keys and values"):
        parse_yaml("[" + "1," * MAX_NODES + "1]", "many.yaml")


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    nine_of = lambda a: ",".join([f"*{a}"] * 9)  # noqa: E731 - each level holds nine of the one before
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{b}: &{b} [{nine_of(a)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
    with pytest.raises(ConfigError, match="YAML anchor &a is not allowed") as info:
        parse_yaml(laughs, "laughs.yaml")
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a: *b\n", "alias"),
        ("a: !!python/object:os.system x\n", "YAML tag"),
        ("a: !!str 5\n", "YAML tag"),
        ("a:\n  <<: {b: 1}\n", "merge keys"),
        ("2021: x\n", "read as the number 2021, not text: put it in quotes"),
        ("? [a, b]\n: x\n", "a key must be plain text"),
        ("a: 1\n---\na: 2\n", "more than one YAML document"),
        ("a: [1\n", "not valid YAML"),
        ("", "is empty"),
        ("# only a comment\n", "is empty"),
        ("a: 2019-13-45\n", "put it in quotes if it is text"),
    ],
)
def test_yaml_that_is_refused(text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        parse_yaml(text, "c.yaml")


def test_a_key_given_twice_names_both_lines() -> None:
    with pytest.raises(ConfigError) as info:
        parse_yaml("measures:\n  - id: homicide\n    filter: {a: [x]}\n    filter: {b: [y]}\n", "c.yaml")
    assert str(info.value) == ("c.yaml, key measures[0] (homicide).filter, line 4: 'filter' appears twice, "
                               "on lines 3 and 4; give each key once")


def test_every_key_has_its_line() -> None:
    doc = parse_yaml("title: x\nmeasures:\n  - id: a\n    filter:\n      series: [s]\n", "c.yaml")
    assert doc.lines[("measures", 0, "filter", "series")] == 5
    assert doc.line_of(("measures", 0, "filter", "series", 0, "deeper")) == 5
    assert doc.describe(("measures", 0, "filter", "series")) == "measures[0] (a).filter.series"


# --- JSON ----------------------------------------------------------------------------------


def test_json_depth_is_bounded_and_brackets_in_strings_do_not_count() -> None:
    assert parse_json('{"a": "[[[[' + "[" * 100 + '\\"]"}', "r.json").data["a"].startswith("[[[[")
    with pytest.raises(ConfigError, match="nested more than"):
        parse_json("[" * 50_000 + "]" * 50_000, "r.json")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"a": {"b": 1, "b": 2}}', "key a.b: 'b' appears twice in one object"),
        ('{"a": NaN}', "NaN is not a number JSON allows"),
        ('{"a": Infinity}', "Infinity is not a number JSON allows"),
        ('{"a": [1, 2', "not valid JSON"),
        ("   ", "is empty"),
        ('{"a": ' + "9" * 5000 + "}", "not valid JSON"),
    ],
)
def test_json_that_is_refused(text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        parse_json(text, "r.json")


def test_a_json_syntax_error_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid JSON") as info:
        load_json(_write(tmp_path, "report.json", '{\n  "a": 1,\n  "b": 2,,\n}\n'), what="report.json")
    assert info.value.line == 3


# --- the shape, by a strict model ---------------------------------------------------------


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    value: float


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: str
    enabled: bool = True
    threshold: float = 5.0
    target: Target | None = None
    columns: dict[str, list[str]] = {}

    @model_validator(mode="after")
    def _known_columns(self) -> Thing:
        for col in self.columns:
            if col != "series":
                raise KeyProblem(("columns", col), f"no column {col!r}")
        return self


class Things(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    things: list[Thing]


def _problem(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        config_files.validate(Things, parse_yaml(text, "things.yaml"))
    return info.value


@pytest.mark.parametrize(
    ("text", "where", "line", "says"),
    [
        ('things:\n  - id: a\n    enabled: "false"\n', "things[0] (a).enabled", 3,
         "expected true or false, found the text 'false': write true or false without quotes"),
        ("things:\n  - id: a\n    threshold: five\n", "things[0] (a).threshold", 3,
         "expected a number, found the text 'five'"),
        ("things:\n  - id: 5\n", "things[0].id", 2, "expected text, found the number 5: put it in quotes"),
        ("things:\n  - id: a\n    treshold: 1\n", "things[0] (a).treshold", 3,
         "unknown key (did you mean 'threshold'? known keys: id, enabled, threshold, target, columns)"),
        ("things:\n  - id: a\n    target: {valeu: 1}\n", "things[0] (a).target.valeu", 3,
         "unknown key (did you mean 'value'? known keys: value)"),
        ("things:\n  - enabled: true\n", "things[0].id", 2, "required key missing"),
        ("things:\n  - id: a\n    columns:\n      crime: [x]\n", "things[0] (a).columns.crime", 4, "no column 'crime'"),
        ("things: {id: a}\n", "things", 1, "expected a list, found a mapping of keys"),
    ],
)
def test_shape_problems_name_the_key_path_and_line(text: str, where: str, line: int, says: str) -> None:
    error = _problem(text)
    assert (error.where, error.line) == (f"key {where}", line)
    assert error.problem.startswith(says)


def test_a_whole_number_is_a_number() -> None:
    doc = parse_yaml("things:\n  - id: a\n    threshold: 10\n", "things.yaml")
    assert config_files.validate(Things, doc).things[0].threshold == 10.0


def test_several_problems_are_told_in_one_message() -> None:
    error = _problem("things:\n  - id: a\n    enabled: 1\n  - id: b\n    threshold: x\n")
    assert error.line == 3 and "also line 5, key things[1] (b).threshold: expected a number" in error.problem


def test_a_top_level_list_is_not_a_configuration() -> None:
    error = _problem("- a\n- b\n")
    assert error.where is None and error.problem == "expected a mapping of keys, found a list"
