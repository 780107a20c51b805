"""Peer groups: the forces a measure's page compares a force with, beside all 43.

Membership is configuration with its source and date (``SCORECARD_PEER_GROUPS``, default the
demo's ``demo/web/peer-groups.yaml``), read strictly like every configuration: an unknown key or
force, or a force in two groups, is an error naming the line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from scorecard import config_files
from scorecard.areas import find_force

DEFAULT = Path(__file__).resolve().parents[3] / "demo" / "web" / "peer-groups.yaml"


class PeerGroupsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    source: str = Field(min_length=1, description="Where the membership comes from.")
    date: str = Field(min_length=1, description="When the membership was published or taken.")
    groups: dict[str, list[str]] = Field(min_length=1, description="Group name → its forces' ids.")


@dataclass(frozen=True)
class PeerGroup:
    name: str
    members: tuple[str, ...]
    source: str
    date: str


def path() -> Path:
    return Path(os.environ.get("SCORECARD_PEER_GROUPS", DEFAULT))


@cache
def _load(where: Path) -> dict[str, PeerGroup]:
    doc = config_files.load_yaml(where, what="peer groups")
    spec = config_files.validate(PeerGroupsFile, doc)
    of: dict[str, PeerGroup] = {}
    for name, members in spec.groups.items():
        ids = []
        for i, given in enumerate(members):
            force_id = find_force(given)
            if force_id is None:
                raise doc.error(("groups", name, i), f"unknown police force {given!r}")
            if force_id in of:
                raise doc.error(("groups", name, i), f"{given!r} is also in {of[force_id].name!r}: a force is in "
                                                     "one peer group")
            ids.append(force_id)
        group = PeerGroup(name, tuple(ids), spec.source, spec.date)
        of.update({f: group for f in ids})
    return of


def group_of(force_id: str) -> PeerGroup | None:
    return _load(path()).get(force_id)
