"""The quantitative claims of any document, checked against the document itself and the store
(issue 11): ``scorecard check FILE...``.  See docs/check.md and ``check`` for the order of work."""

from scorecard.claims.model import Claim, Tolerance, Verdict
from scorecard.claims.reading import MAX_BYTES, document_text, paragraphs

__all__ = ["MAX_BYTES", "Claim", "Tolerance", "Verdict", "document_text", "paragraphs"]
