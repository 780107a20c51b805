"""The checker's report as an accessible HTML page: it lays out the verdicts it is given."""

from __future__ import annotations

from collections.abc import Sequence

from scorecard.claims import Claim
from scorecard.render.html import _environment


def render_claims(claims_by_file: Sequence[tuple[str, Sequence[Claim]]]) -> str:
    documents = []
    total_bad = 0
    for file, claims in claims_by_file:
        bad = [c for c in claims if c.verdict == "inconsistent"]
        total_bad += len(bad)
        ordered = bad + [c for c in claims if c.verdict != "inconsistent"]
        documents.append({
            "file": file,
            "summary": f"{len(claims)} claim(s) checked: {len(bad)} inconsistent with the document itself.",
            "claims": [{**c.as_dict(), "quoted": c.quoted.replace("\t", " | "),
                        "verdict_text": "Inconsistent" if c.verdict == "inconsistent" else "Consistent"}
                       for c in ordered]})
    summary = (f"{sum(len(c) for _, c in claims_by_file)} claim(s) in {len(claims_by_file)} document(s); "
               f"{total_bad} inconsistent. Each verdict says why, to the precision the document wrote.")
    return _environment().get_template("claims.html.j2").render(title="What the documents' numbers say",
                                                                summary=summary, documents=documents)
