"""Forces and their sub-areas, and the many ways each source spells a force's name.

The Home Office writes "London, City of", ONS "Avon and Somerset 9" (a footnote glued on),
data.police.uk "Devon & Cornwall Police" and the slug "devon-and-cornwall".  Every source
module resolves names through ``force_id`` so the store holds one canonical id per force.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from scorecard.errors import UnknownForce


@dataclass(frozen=True)
class Force:
    force_id: str
    name: str
    ons_code: str
    police_uk_name: str
    region: str
    population_mid2024: int | None

    @property
    def territorial(self) -> bool:
        """One of the 43 police force areas of England and Wales (not BTP, not PSNI)."""
        return self.force_id not in ("btp", "northern-ireland")


@cache
def forces() -> dict[str, Force]:
    """The 43 territorial forces of England and Wales, British Transport Police and PSNI."""
    text = resources.files("scorecard").joinpath("data/lookups/forces.csv").read_text("utf-8")
    out: dict[str, Force] = {}
    for row in csv.DictReader(text.splitlines()):
        pop = row["population_mid2024"]
        out[row["force_id"]] = Force(
            force_id=row["force_id"],
            name=row["name"],
            ons_code=row["ons_code"],
            police_uk_name=row["police_uk_name"],
            region=row["region"],
            population_mid2024=int(pop) if pop else None,
        )
    return out


def territorial_forces() -> list[Force]:
    return [f for f in forces().values() if f.territorial]


_ONS_CODE = re.compile(r"^[A-Za-z]\d{8}$")
_SUFFIXES = re.compile(r"\b(police service|police force|constabulary|police)\b")


def _normalise(name: str) -> str:
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\[[^\]]*\]", " ", text)  # "[Note 6]"
    text = re.sub(r"[\d,]+$", "", text.strip())  # footnote digits glued on: "Cheshire7", "North West 7,8"
    text = re.sub(r"\s\d+(\s*,\s*\d+)*$", "", text.strip())
    if text.startswith("london, city of"):
        text = "city of london"
    text = _SUFFIXES.sub(" ", text)
    text = re.sub(r"[^a-z]+", " ", text)
    return " ".join(text.split())


@cache
def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for f in forces().values():
        for alias in (f.force_id, f.name, f.police_uk_name, f.ons_code, f.force_id.replace("-", " ")):
            if alias:
                table[_normalise(alias)] = f.force_id
                table[alias.lower()] = f.force_id
    table["metropolitan"] = "metropolitan"
    table["btp"] = "btp"
    table["british transport"] = "btp"
    table["dyfed powys"] = "dyfed-powys"
    return table


def find_force(name: str) -> str | None:
    """Canonical force id for any spelling of a force's name or code, or None."""
    table = _alias_table()
    if _ONS_CODE.match(name.strip()):  # a code is matched exactly, never by its shape
        return table.get(name.strip().lower())
    if name.lower().strip() in table:
        return table[name.lower().strip()]
    return table.get(_normalise(name))


def force_id(name: str, *, file: str = "<input>", line: int | None = None) -> str:
    """Like ``find_force`` but an unknown name is an input error naming where it was read."""
    found = find_force(name)
    if found is None:
        raise UnknownForce(file, f"unknown police force {name!r}", line)
    return found


def force(force_id_: str) -> Force:
    try:
        return forces()[force_id_]
    except KeyError:
        raise UnknownForce("<argument>", f"unknown police force {force_id_!r}") from None
