"""Every claim of a document, checked against the document and, given one, the store.

The order of work: read the document into paragraphs (``reading``); check what it says against
what else it says (``within``, ``repeated``); find the figures its sentences state of measures
the catalogue names (``mentions``) and check each against the store (``against_store``).  What
the document is about — its period and its force — is read from its opening (``context``), and
is what a sentence that does not say falls back on; each verdict says where its period and area
came from.  Checked against a store, every other count, percentage and sum of money in its prose
is listed too, as not checkable and why (``unchecked``), so the report shows what was not tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scorecard.catalogue.schema import Catalogue
from scorecard.claims import against_store, context
from scorecard.claims.mentions import Names, Setting, measure_claims, table_claims
from scorecard.claims.model import Claim, Tolerance
from scorecard.claims.reading import document_text, paragraphs
from scorecard.claims.repeated import repeated_quantities
from scorecard.claims.store_figures import StoreFigures
from scorecard.claims.unchecked import unchecked
from scorecard.claims.within import check_paragraphs
from scorecard.periods import Period, parse


@dataclass(frozen=True)
class Against:
    """The store to check figures against, and how far a revised figure may differ."""

    figures: StoreFigures
    catalogue: Catalogue
    tolerance: Tolerance = field(default_factory=Tolerance)


@dataclass(frozen=True)
class Checked:
    """One document's claims, and what it was read as being about."""

    file: str
    claims: list[Claim]
    period: Period | None
    force_id: str | None


def check_text(text: str, file: str, against: Against | None = None) -> list[Claim]:
    return check_document(text, file, against).claims


def check_document(text: str, file: str, against: Against | None = None) -> Checked:
    paras = paragraphs(text)
    claims = check_paragraphs(paras, file) + repeated_quantities(paras, file)
    period, force_id = context.document_period(text), context.document_force(text)
    if against is not None:
        setting = Setting(period, force_id, against.figures.sub_areas(force_id),
                          parse(against.catalogue.baseline))
        names = Names(against.catalogue)
        for mc in measure_claims(paras, names, setting) + table_claims(paras, names, setting):
            claims.append(against_store.check(mc, against.figures, against.tolerance, file))
        claims += unchecked(paras, claims, file)
    claims.sort(key=lambda c: (c.line, c.kind))
    return Checked(file, claims, period, force_id)


def check_file(path: Path, against: Against | None = None) -> Checked:
    return check_document(document_text(path), path.name, against)
