"""What the checker says of one claim: where it is, the words quoted, the verdict and why.

Every verdict carries a sentence a person can check by hand, and where a claim was checked
against the store, the store's value with its source and load.  Verdicts come in three families
(issue 11): against the document itself (consistent, inconsistent), against the store (agrees,
differs within tolerance, contradicts) and neither (not checkable, with the reason).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Literal

Verdict = Literal["consistent", "inconsistent", "agrees", "differs within tolerance", "contradicts",
                  "not checkable"]
#: Verdicts that are problems: the command exits 1 when any claim has one.
PROBLEMS: frozenset[Verdict] = frozenset({"inconsistent", "contradicts"})
#: The order a reader meets verdicts in: the problems first, then what holds, then the rest.
ORDER: dict[Verdict, int] = {"inconsistent": 0, "contradicts": 1, "differs within tolerance": 2, "agrees": 3,
                             "consistent": 4, "not checkable": 5}
#: Verdicts as a summary counts them: "3 agree with the data".
COUNTED: dict[Verdict, str] = {"inconsistent": "inconsistent with the document", "contradicts": "contradict the data",
                               "differs within tolerance": "differ from the data within tolerance",
                               "agrees": "agree with the data", "consistent": "consistent with the document",
                               "not checkable": "not checkable"}
#: ... and when the count is one: "1 contradicts the data".
COUNTED_ONE: dict[Verdict, str] = {**COUNTED, "contradicts": "contradicts the data",
                                   "differs within tolerance": "differs from the data within tolerance",
                                   "agrees": "agrees with the data"}
#: Verdicts as a heading of a reader's list writes them.
HEADING: dict[Verdict, str] = {"inconsistent": "Inconsistent", "contradicts": "Contradicts the data",
                               "differs within tolerance": "Differs within tolerance",
                               "agrees": "Agrees with the data", "consistent": "Consistent",
                               "not checkable": "Not checkable"}


@dataclass(frozen=True)
class Tolerance:
    """How far a document's figure may sit from the store's and still be called a revision.

    Published figures are revised after publication (the Home Office revises a quarter's
    recorded crime for a year or more), so a count quoted in May may differ slightly from the
    same count loaded in December.  A difference within ``relative_pct`` per cent of the store's
    value, or within ``absolute`` units, "differs within tolerance"; beyond both it contradicts.
    A percentage or a change is compared in percentage points against ``points``.
    """

    relative_pct: Decimal = Decimal("1")
    absolute: Decimal = Decimal("1")
    points: Decimal = Decimal("1")

    def describe(self) -> str:
        return (f"a count within {_n(self.relative_pct)}% or {_n(self.absolute)} of the store's value, or a "
                f"percentage or change within {_points(self.points)}, differs within the tolerance for revisions; "
                "beyond that it contradicts")

    def describe_short(self, kind: str) -> str:
        if kind == "count":
            return f"the tolerance for revisions ({_n(self.relative_pct)}% or {_n(self.absolute)})"
        if kind == "rate":
            return f"the tolerance for revisions ({_n(self.relative_pct)}%)"
        return f"the tolerance for revisions ({_points(self.points)})"


def _n(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _points(value: Decimal) -> str:
    return f"{_n(value)} percentage point{'' if value == 1 else 's'}"


@dataclass(frozen=True)
class StoreValue:
    """The store's side of a claim checked against it."""

    measure: str
    area: str
    period: str
    value: str
    source: str
    loads: tuple[int, ...] = ()
    period_from: str = "the sentence"  # or "the paragraph", "the document"


@dataclass(frozen=True)
class Claim:
    file: str
    paragraph: int
    line: int
    quoted: str
    kind: str  # "change", "share", "row makes 100", "total", "total label", "average", "figure", ...
    verdict: Verdict
    why: str
    page: int | None = None
    section: str = ""
    store: StoreValue | None = field(default=None)
    span: tuple[int, int] | None = None  # where in its paragraph's text (lines joined) the claim is

    @property
    def problem(self) -> bool:
        return self.verdict in PROBLEMS

    @property
    def where(self) -> str:
        page = f"page {self.page}, " if self.page else ""
        return f"{page}paragraph {self.paragraph}, line {self.line}"

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["where"] = self.where
        return out


def ordered(claims: list[Claim]) -> list[Claim]:
    """The problems first, then in the order of the document."""
    return sorted(claims, key=lambda c: (ORDER[c.verdict] > 1, c.file, c.line, ORDER[c.verdict], c.kind))
