"""The one strict reader for configuration files: the catalogue, report configurations, report.json.

A configuration file decides what is published, so a mistake in one must stop the command
rather than quietly change a figure: a ``filter:`` written twice would otherwise keep the
second, and ``applicable: "false"`` (quoted) would read as true.  Every configuration file
is therefore read the same way, in this order, and every refusal is a ``ConfigError`` naming
the file, the key and, where there is one, the line:

1. **The path is looked at before it is opened.**  Only a regular file is read (a pipe would
   block, ``/dev/zero`` never ends), and one larger than its kind's limit is refused from its
   size alone.  It is opened non-blocking and checked again, then read to at most the limit.
2. **The bytes are UTF-8 text** (a leading byte-order mark is allowed) **without control
   characters** other than tab and line breaks, and without the bidirectional controls that
   can make a published reason read differently from what it holds.
3. **Nesting and size are bounded before anything is built** (``MAX_DEPTH``, ``MAX_NODES``):
   PyYAML's composer and the JSON decoder both recurse, so a file nested 50,000 deep is
   refused from a flat scan of its events (YAML) or brackets (JSON).  YAML anchors, aliases,
   merge keys and explicit tags are refused in the same scan: nothing here needs them, and
   aliases are how a few hundred bytes expand into gigabytes ("billion laughs").
4. **The document is built with a line for every key** and a key given twice is refused with
   both lines; keys are text.
5. **The shape is checked by a pydantic model** (the caller's, in strict mode: ``"false"`` is
   not a boolean, ``"five"`` not a number) and each problem is told as the key path and its
   line: ``measures[3] (homicide).filter.series_subgroup``.  A model validator that finds a
   problem below itself raises ``KeyProblem`` with the path, so that too names its line.
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scorecard import files
from scorecard.characters import FORBIDDEN
from scorecard.errors import ConfigError

#: Largest configuration file read.  The built-in catalogue is 20 KB and a report
#: configuration a few hundred bytes; 4 MiB is two hundred times the catalogue, so a larger
#: file is the wrong file.  (JSON kinds may set their own limit: report.json allows 16 MiB.)
MAX_BYTES = 4 * 1024 * 1024

#: Deepest nesting of mappings and lists.  The catalogue's deepest value is five levels down
#: (``priorities[0].national_metrics[0].name``); 40 leaves room for any honest file and keeps
#: every recursive step (composer, decoder, validator) far from Python's recursion limit.
MAX_DEPTH = 40

#: Most YAML events (keys, values, lists and mappings) in one file.  The built-in catalogue
#: has about 1,100.  The 4 MiB limit alone would allow two million one-character values,
#: which take PyYAML over ten seconds to build; counting events stops such a file in 0.1 s,
#: and the largest file within both limits is built and validated in about two seconds.
MAX_NODES = 100_000

KeyPath = tuple[str | int, ...]
Model = TypeVar("Model", bound=BaseModel)
ErrorKind = type[ConfigError]

_BOM = b"\xef\xbb\xbf"
# What text in a file may not hold: one rule for every reader (scorecard.characters).
_CONTROL = FORBIDDEN


class KeyProblem(ValueError):
    """Raised inside a model validator: ``problem`` is about the key at ``path`` below the model.

    pydantic reports a validator's error at the model itself; carrying the path lets the
    message name the exact key and its line (``measures[3] (x).filter.offence_code``).
    """

    def __init__(self, path: KeyPath, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


# --- reading the file ---------------------------------------------------------------------


def read_bytes(path: Path, *, what: str, limit: int = MAX_BYTES, error: ErrorKind = ConfigError) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (``scorecard.files``:
    looked at before it is opened, so a pipe, device or socket is refused without being opened)."""
    return files.read_regular(path, what=what, limit=limit, error=error)


def decode_text(data: bytes, name: str, *, what: str, error: ErrorKind = ConfigError) -> str:
    """``data`` as UTF-8 text without control characters; a bad byte or character names its line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error(name, f"the {what} is UTF-16 text: save it as UTF-8", 1)
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(name, f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read): save it as UTF-8",
                    line) from None
    check_characters(text, name, what=what, error=error)
    return text


def check_characters(text: str, name: str, *, what: str = "configuration", error: ErrorKind = ConfigError) -> None:
    """Refuse control characters (tab and line breaks are fine) and bidirectional controls."""
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise error(name, f"control character U+{ord(found.group()):04X} at column {column}: "
                          f"a {what} holds only printable text (tabs and line breaks are fine)", line)


def read_text(path: Path, *, what: str, limit: int = MAX_BYTES, error: ErrorKind = ConfigError) -> str:
    """A bounded regular file as strict UTF-8 text (steps 1 and 2 above)."""
    return decode_text(read_bytes(path, what=what, limit=limit, error=error), str(path), what=what, error=error)


# --- the document with a line for every key ---------------------------------------------


@dataclass(frozen=True)
class Document:
    """Plain data read from a file and where each key was.

    The data is dicts, lists, text, numbers, booleans and None (and dates, where YAML reads an
    unquoted ``2019-06-30`` as one; a strict model refuses a date where it wants text).

    ``lines`` maps each key path (``("measures", 3, "filter")``) to the 1-based line it was
    written on; JSON documents carry no lines, only key paths.
    """

    file: str
    data: Any
    lines: Mapping[KeyPath, int]

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest enclosing key that has one."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None

    def describe(self, path: KeyPath) -> str:
        """``path`` as a reader would write it: ``measures[3] (homicide).filter``."""
        return describe_path(self.data, path)

    def error(self, path: KeyPath, problem: str, error: ErrorKind = ConfigError) -> ConfigError:
        """A ``ConfigError`` about the key at ``path``, with its line."""
        return error(self.file, problem, self.line_of(path), where=f"key {self.describe(path)}" if path else None)


#: Keys that name a list item, shown beside its index: ``measures[3] (homicide)``.
NAME_KEYS = ("id", "measure_id", "priority_id")


def _item_name(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in NAME_KEYS:
            if isinstance(item.get(key), str):
                return str(item[key])
    return None


def describe_path(data: Any, path: KeyPath) -> str:
    """A key path as text; a list item that has a name shows it: ``measures[3] (homicide)``."""
    out = ""
    node = data
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            name = _item_name(node)
            if name is not None:
                out += f" ({name})"
        else:
            out += (f".{part}" if out else part) if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part) else f"[{part!r}]"
            node = node.get(part) if isinstance(node, dict) else None
    return out


# --- YAML ---------------------------------------------------------------------------------

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


def load_yaml(path: Path, *, what: str, limit: int = MAX_BYTES, error: ErrorKind = ConfigError) -> Document:
    """A YAML configuration file, read strictly (see the module's docstring)."""
    return parse_yaml(read_text(path, what=what, limit=limit, error=error), str(path), what=what, error=error)


def parse_yaml(text: str, name: str, *, what: str = "configuration", error: ErrorKind = ConfigError) -> Document:
    """YAML text read strictly: bounded depth, no aliases or tags, no repeated keys, a line per key."""
    check_characters(text, name, what=what, error=error)
    _scan_yaml_events(text, name, error)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, name, error) from None
    if root is None:
        raise error(name, f"the {what} is empty (or only comments)", 1)
    lines: dict[KeyPath, int] = {(): root.start_mark.line + 1}
    builder = _Builder(name, error, lines)
    return Document(name, builder.build(root, (), ""), lines)


def _scan_yaml_events(text: str, name: str, error: ErrorKind) -> None:
    """Depth, anchors, aliases and tags from the event stream, before any node is composed.

    The event parser keeps its own stack (no recursion), so this is safe on any nesting;
    stopping at ``MAX_DEPTH`` keeps the composer, which does recurse, away from deep input.
    """
    depth = 0
    documents = 0
    try:
        for count, event in enumerate(yaml.parse(text, Loader=_Loader)):
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if count > MAX_NODES:
                raise error(name, f"holds more than {MAX_NODES:,} keys and values; no configuration is that large",
                            line)
            if isinstance(event, yaml.AliasEvent):
                raise error(name, f"YAML alias *{event.anchor} is not allowed: write the value out in full", line)
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                raise error(name, f"YAML anchor &{event.anchor} is not allowed: write each value out in full", line)
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and event.tag is not None:
                raise error(name, f"YAML tag {event.tag} is not allowed: put text in quotes instead", line)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise error(name, f"nested more than {MAX_DEPTH} levels deep; no configuration needs that",
                                line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise error(name, "holds more than one YAML document ('---'): give one", line)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, name, error) from None


def _yaml_error(exc: yaml.YAMLError, text: str, name: str, error: ErrorKind) -> ConfigError:
    """PyYAML's error with its line; one found at the end of the input is put on the last line
    (libyaml places it one line past the end)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    said = f"{context}: {problem}" if context else str(problem)
    line = min(mark.line + 1, text.count("\n") + 1) if mark is not None else None
    return error(name, f"not valid YAML: {said}", line)


def _id_of(node: yaml.MappingNode) -> str | None:
    """The name of a list item not yet built (as ``_item_name``), for a message about a repeated key."""
    names = {key.value: value.value for key, value in node.value
             if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)}
    return next((str(names[k]) for k in NAME_KEYS if k in names), None)


class _Builder:
    """Plain data from a composed node tree (depth already bounded), recording each key's line.

    Scalars are read by PyYAML's safe constructor, one per document (it caches every node it
    has built), so ``1`` is a number, ``true`` a boolean and ``"1"`` text, as YAML defines.
    """

    def __init__(self, name: str, error: ErrorKind, lines: dict[KeyPath, int]) -> None:
        self.name, self.error, self.lines = name, error, lines
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: KeyPath, label: str) -> Any:
        line = node.start_mark.line + 1
        where = f"key {label}" if label else None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, where)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self.lines[(*path, i)] = item.start_mark.line + 1
                item_id = _id_of(item) if isinstance(item, yaml.MappingNode) else None
                item_label = f"{label}[{i}]" + (f" ({item_id})" if item_id else "")
                items.append(self.build(item, (*path, i), item_label))
            return items
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover - compose yields only these three
            raise self.error(self.name, "unexpected YAML node", line, where=where)
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(self.name, "a key must be plain text, not a list or mapping", key_line, where=where)
            if key_node.tag == _MERGE:
                raise self.error(self.name, "YAML merge keys ('<<') are not allowed: write the keys out in full",
                                 key_line, where=where)
            key = self.scalar(key_node, where)
            if not isinstance(key, str):
                raise self.error(self.name, f"key {key_node.value!r} is read as {_kind(key)}, not text: "
                                            "put it in quotes", key_line, where=where)
            key_label = f"{label}.{key}" if label else key
            if key in first_line:
                raise self.error(self.name, f"'{key}' appears twice, on lines {first_line[key]} and {key_line}; "
                                            "give each key once", key_line, where=f"key {key_label}")
            first_line[key] = key_line
            self.lines[(*path, key)] = key_line
            out[key] = self.build(value_node, (*path, key), key_label)
        return out

    def scalar(self, node: yaml.ScalarNode, where: str | None) -> Any:
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self.error(self.name, f"cannot read the value {node.value[:40]!r} ({str(exc).split(';')[0]}): "
                                        "put it in quotes if it is text", node.start_mark.line + 1,
                             where=where) from None


# --- JSON ---------------------------------------------------------------------------------

# A JSON string, escapes included (unrolled for speed: no backtracking on long strings).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
# Brackets as signed bytes (+1 opens, -1 closes); every other byte is dropped.
_DEPTH_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[{]}"))


class _Repeated(dict[str, Any]):
    """A JSON object in which ``key`` was given more than once (found after decoding)."""

    key: str = ""


def load_json(path: Path, *, what: str, limit: int = MAX_BYTES, error: ErrorKind = ConfigError) -> Document:
    """A JSON file, read strictly (see the module's docstring)."""
    return parse_json(read_text(path, what=what, limit=limit, error=error), str(path), what=what, error=error)


def parse_json(text: str, name: str, *, what: str = "JSON file", error: ErrorKind = ConfigError) -> Document:
    """JSON text read strictly: bounded depth, no repeated keys, no NaN or Infinity."""
    check_characters(text, name, what=what, error=error)
    if _json_depth(text) > MAX_DEPTH:
        raise error(name, f"nested more than {MAX_DEPTH} levels deep; no {what} needs that")
    if not text.strip():
        raise error(name, f"the {what} is empty", 1)
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise error(name, f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except ValueError as exc:  # NaN/Infinity, or an integer of more digits than Python converts
        raise error(name, f"not valid JSON: {exc}") from None
    repeated = _find_repeated(data, ())
    if repeated is not None:
        path, key = repeated
        doc = Document(name, data, {})
        raise error(name, f"'{key}' appears twice in one object; give each key once",
                    where=f"key {doc.describe((*path, key))}")
    return Document(name, data, {})


def _json_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, without decoding anything.

    Strings are removed, then each bracket becomes a signed byte (+1 or -1) and the running
    sum is taken in C, so a 16 MiB file of brackets is measured in about half a second.
    (Brackets are ASCII, and no byte of a multi-byte UTF-8 character is ASCII.)
    """
    outside_strings = _JSON_STRING.sub("", text).encode("utf-8", "surrogatepass")
    steps = array("b", outside_strings.translate(_DEPTH_STEP, _NOT_BRACKETS))
    return max(accumulate(steps), default=0)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            repeated = _Repeated(out)
            repeated.key = key
            return repeated
        out[key] = value
    return out


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a number JSON allows")


def _find_repeated(data: Any, path: KeyPath) -> tuple[KeyPath, str] | None:
    if isinstance(data, _Repeated):
        return path, data.key
    children: Iterable[tuple[str | int, Any]] = (
        data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ())
    for key, value in children:
        found = _find_repeated(value, (*path, key))
        if found is not None:
            return found
    return None


# --- the shape, by a pydantic model ---------------------------------------------------------


def validate(model: type[Model], doc: Document, *, error: ErrorKind = ConfigError,
             context: dict[str, Any] | None = None) -> Model:
    """``doc`` as ``model``; every problem named by key path and line."""
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        raise validation_error(exc, doc, model, error) from None


def validation_error(exc: ValidationError, doc: Document, model: type[BaseModel],
                     error: ErrorKind = ConfigError) -> ConfigError:
    """One ``ConfigError`` for a pydantic error list: the first problem located, the rest listed.

    A key that is missing is told after the other problems, because it is most often the
    result of one of them: ``directon:`` misspelt is both an unknown key and a missing one.
    """
    told: list[tuple[bool, KeyPath, str, str]] = []
    for err in exc.errors():
        path = tuple(p for p in err["loc"] if isinstance(p, str | int))
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, KeyProblem):
            path = (*path, *cause.path)
            full = brief = cause.problem
        else:
            full, brief = _explain(err, model, path), _explain(err, model, path, brief=True)
        told.append((err["type"] == "missing", _in_data(doc.data, path), full, brief))
    told.sort(key=lambda t: t[0])  # stable: file order otherwise
    _, path, problem, _ = told[0]
    rest = [(p, brief) for _, p, _, brief in told[1:]]
    if rest:
        more = [_located(doc, p, why) for p, why in rest[:5]]
        problem += "; also " + "; ".join(more) + (f"; and {len(rest) - 5} more" if len(rest) > 5 else "")
    return doc.error(path, problem, error)


def _located(doc: Document, path: KeyPath, problem: str) -> str:
    line = doc.line_of(path)
    return "".join((f"line {line}, " if line is not None else "",
                    f"key {doc.describe(path)}: " if path else "", problem))


def _in_data(data: Any, path: KeyPath) -> KeyPath:
    """The longest prefix of ``path`` (a pydantic location) that names something in ``data``,
    plus a final key the file lacks (a missing key is named, at its parent's line)."""
    node = data
    for n, part in enumerate(path):
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        else:
            missing_key = n == len(path) - 1 and isinstance(node, dict) and isinstance(part, str)
            return path[: n + 1] if missing_key else path[:n]
    return path


def _explain(err: Any, model: type[BaseModel], path: KeyPath, *, brief: bool = False) -> str:
    """pydantic's message, said the way a person editing the file needs it (``brief``: without
    the list of known keys, for the second and later problems of one message)."""
    kind, found = err["type"], err.get("input")
    if kind == "missing":
        return "required key missing"
    if kind == "extra_forbidden":
        known = _fields_at(model, path[:-1])
        close = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6) if known else []
        if brief or not known:
            return f"unknown key (did you mean '{close[0]}'?)" if close else "unknown key"
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"unknown key ({hint}known keys: {', '.join(known)})"
    if kind == "bool_type":
        if isinstance(found, str):
            return f"expected true or false, found the text {found!r}: write true or false without quotes"
        return f"expected true or false, found {_kind(found)}"
    if kind in ("float_type", "int_type", "int_from_float"):
        want = "a whole number" if kind != "float_type" else "a number"
        if isinstance(found, str):
            return f"expected {want}, found the text {_short(found)}: write a number without quotes"
        return f"expected {want}, found {_kind(found)}"
    if kind == "string_type":
        quote = ": put it in quotes" if isinstance(found, bool | int | float | date) else ""
        return f"expected text, found {_kind(found)}{quote}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, found {_kind(found)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys, found {_kind(found)}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return msg if kind == "value_error" else f"{msg} (found {_kind(found)})"


def _kind(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _fields_at(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys the model allows at ``path`` (for "did you mean"), or [] if that is not a model."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else None
    return annotation


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field is not None else None
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def suggest(word: str, choices: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for the closest of ``choices``, or ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def listed(choices: Iterable[str], limit: int = 12) -> str:
    """Up to ``limit`` choices, comma-separated, for a message."""
    items = list(choices)
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")

