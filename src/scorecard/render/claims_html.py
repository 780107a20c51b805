"""The checker's report as an accessible HTML page: it lays out the verdicts it is given,
grouped by document and section, the problems of each document first."""

from __future__ import annotations

from collections.abc import Sequence

from scorecard.claims.check import Checked
from scorecard.claims.model import HEADING, ordered
from scorecard.claims.report import as_sentence, problems, read_as, summary, tally
from scorecard.render.html import _environment


def render_claims(checked: Sequence[Checked], store_note: str) -> str:
    documents = []
    for d in checked:
        sections: dict[str, list[dict[str, object]]] = {}
        for c in sorted(d.claims, key=lambda c: c.line):
            sections.setdefault(c.section or "Before the first heading", []).append(
                {**c.as_dict(), "quoted": c.quoted.replace("\t", " | "), "verdict_text": HEADING[c.verdict],
                 "problem": c.problem, "why": as_sentence(c.why)})
        documents.append({
            "file": d.file, "read_as": read_as(d), "count": len(d.claims), "tally": tally(d),
            "problems": [{**c.as_dict(), "quoted": c.quoted.replace("\t", " | "), "verdict_text": HEADING[c.verdict],
                          "why": as_sentence(c.why)} for c in ordered(problems(d))],
            "sections": [{"title": t, "claims": cs} for t, cs in sections.items()]})
    return _environment().get_template("claims.html.j2").render(
        title="What the documents' numbers say", summary=summary(checked), store_note=store_note,
        documents=documents)
