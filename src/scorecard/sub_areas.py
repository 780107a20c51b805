"""Local authorities and community safety partnerships: which force each lies in, and what to
tell an analyst who names one where a force is wanted.

The store's ``lsoa_lookup`` (LSOA → local authority → CSP → force, loaded from the bundled ONS
lookups) is the one source: data.police.uk rows carry an LSOA code, and ``results --by
local_authority`` or ``--by csp`` counts them through it.  So "Shropshire" is not an area of
its own on the command line: it is a local authority (and a CSP) in West Mercia, asked for as
``--area west-mercia --by local_authority``.  ``explain_area`` says exactly that, or, for a
name nobody knows, which known name is closest.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from scorecard.areas import forces

if TYPE_CHECKING:  # not imported at run time: `scorecard --help` does not load DuckDB
    import duckdb

AreaType = Literal["local_authority", "csp"]

#: How each kind of sub-area is written for people, and the ``--by`` value that asks for it.
KIND_NAMES: dict[str, str] = {
    "local_authority": "local authority",
    "csp": "CSP",
}


@dataclass(frozen=True)
class SubArea:
    """A local authority or CSP and the force whose area holds it.

    ``csp_code``/``csp_name`` are the CSP a local authority belongs to (None for a CSP)."""

    force_id: str
    area_type: AreaType
    code: str
    name: str
    csp_code: str | None = None
    csp_name: str | None = None

    @property
    def force_name(self) -> str:
        f = forces().get(self.force_id)
        return f.name if f else self.force_id


def sub_areas(con: duckdb.DuckDBPyConnection, force_id: str | None = None) -> list[SubArea]:
    """Every local authority and CSP in the store's lookup (or one force's): by force, local
    authorities first, each kind by name."""
    rows = con.execute(
        """SELECT force_id, lad_code, any_value(lad_name), any_value(csp_code), any_value(csp_name)
           FROM lsoa_lookup
           WHERE lad_code IS NOT NULL AND force_id IS NOT NULL AND (? IS NULL OR force_id = ?)
           GROUP BY force_id, lad_code""",
        [force_id, force_id],
    ).fetchall()
    authorities = [SubArea(f, "local_authority", code, name or code, csp_code, csp_name)
                   for f, code, name, csp_code, csp_name in rows]
    csps = {(a.force_id, a.csp_code): SubArea(a.force_id, "csp", a.csp_code, a.csp_name or a.csp_code)
            for a in authorities if a.csp_code}
    return sorted([*authorities, *csps.values()],
                  key=lambda a: (a.force_id, a.area_type != "local_authority", a.name.lower(), a.code))


def _key(name: str) -> str:
    """Names compared as analysts type them: case, spacing and '&' do not matter."""
    return " ".join(name.lower().replace("&", " and ").split())


def find_sub_areas(name: str, known: Iterable[SubArea]) -> list[SubArea]:
    """The local authorities and CSPs called ``name`` (or with that ONS code)."""
    key = _key(name)
    return [a for a in known if _key(a.name) == key or a.code.lower() == key]


def _ask_for(found: Sequence[SubArea], option: str, by: bool) -> str:
    """"Shropshire is a local authority and a CSP in West Mercia: ask for `--area west-mercia --by ...`"."""
    by_force: dict[str, list[SubArea]] = {}
    for a in found:
        by_force.setdefault(a.force_id, []).append(a)
    parts = []
    for force_id, areas in by_force.items():
        kinds = list(dict.fromkeys(a.area_type for a in areas))
        what = " and a ".join(KIND_NAMES[k] for k in kinds)
        how = " or ".join(f"`{option} {force_id} --by {k}`" for k in kinds) if by else f"`{option} {force_id}`"
        parts.append(f"a {what} in {areas[0].force_name}: ask for {how}")
    return "; ".join(parts)


_CODE = re.compile(r"^[A-Za-z]\d{8}$")


def explain_area(name: str, known: Sequence[SubArea], *, option: str = "--area", allow_all: bool = True,
                 by: bool = True) -> str:
    """Why ``name`` is not a force, for a usage error: how to ask for it if it is a local
    authority or CSP, else the closest force, local authority or CSP name (did you mean).

    ``option`` is the command-line option it was given as; ``by`` says whether the command
    breaks a force down with ``--by`` (``results``) or takes only the force (``fetch``,
    ``areas --force``, ``report``); ``allow_all`` whether 'all' is an answer."""
    shown = name.strip()
    found = find_sub_areas(shown, known)
    if found:
        label = f"{shown} ({found[0].name})" if _CODE.match(shown) else found[0].name
        return f"{label} is {_ask_for(found, option, by)}"
    what = "a force id or name" + (", or 'all'" if allow_all else "")
    hint = _closest(shown, known, option, allow_all=allow_all, by=by)
    return (f"unknown area {name!r}" + (f" (did you mean {hint}?)" if hint else "") + f": give {what}; "
            "`scorecard areas` lists the forces, `scorecard areas --force ID` a force's local authorities and CSPs")


def _closest(name: str, known: Sequence[SubArea], option: str, *, allow_all: bool, by: bool) -> str | None:
    """The closest known name, as a suggestion: a force by its id, a sub-area with how to ask for it."""
    choices: dict[str, str | SubArea] = {}
    for a in known:
        choices.setdefault(_key(a.name), a)
    for f in forces().values():
        for alias in (f.name, f.force_id, f.force_id.replace("-", " ")):
            choices[_key(alias)] = f.force_id
    if allow_all:
        choices["all"] = "all"
    close = difflib.get_close_matches(_key(name), list(choices), n=1, cutoff=0.6)
    if not close:
        return None
    choice = choices[close[0]]
    if isinstance(choice, str):
        return f"'{choice}'"
    same_name = find_sub_areas(choice.name, known)
    return f"'{choice.name}', {_ask_for(same_name, option, by)}"
