"""The checker's findings as a reader meets them: a summary, then the problems, then the rest.

The same words go to the terminal, the JSON and the HTML page (``render.claims_html`` lays them
out): the summary sentence, each document's "read as" line and each claim's verdict and reason
are made here, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from scorecard.areas import force
from scorecard.claims.check import Checked
from scorecard.claims.model import COUNTED, COUNTED_ONE, ORDER, Claim, ordered
from scorecard.documents.format import count_of


def summary(checked: Sequence[Checked]) -> str:
    """"12 claims in 5 documents: 3 inconsistent, 1 contradicts the data, ..."."""
    claims = [c for d in checked for c in d.claims]
    counts = Counter(c.verdict for c in claims)
    parts = [f"{counts[v]} {(COUNTED_ONE if counts[v] == 1 else COUNTED)[v]}"
             for v in sorted(counts, key=ORDER.__getitem__)]
    docs = f"{len(checked)} document{'s' if len(checked) != 1 else ''}"
    return f"{len(claims)} claim{'s' if len(claims) != 1 else ''} in {docs}: " + (", ".join(parts) or "none found")


def read_as(d: Checked) -> str:
    """What the document was read as being about, which sentences that do not say fall back on."""
    about = f"about {force(d.force_id).name}" if d.force_id else "naming no force"
    period = d.period.label if d.period else "with no period of its own"
    return f"read as {about}, {period}"


def as_sentence(text: str) -> str:
    """A reason as a sentence: its first letter upper case and a full stop at its end."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def problems(d: Checked) -> list[Claim]:
    return [c for c in d.claims if c.problem]


def tally(d: Checked) -> str:
    """"18 claims, 1 problem"."""
    return f"{count_of(len(d.claims), 'claim', 'claims')}, {count_of(len(problems(d)), 'problem', 'problems')}"


def render_terminal(checked: Sequence[Checked], store_note: str) -> list[str]:
    lines = [summary(checked), store_note]
    for d in checked:
        lines.append(f"{d.file} ({read_as(d)}): {tally(d)}")
        for c in ordered(d.claims):
            verdict = c.verdict.upper() if c.problem else c.verdict
            source = f" Source: {c.store.source}." if c.store else ""
            lines.append(f"  {verdict}: {c.where}: \"{c.quoted.replace(chr(9), ' | ')}\": {c.why}{source}")
    return lines


def report_json(checked: Sequence[Checked], store_note: str) -> dict[str, Any]:
    claims = [c for d in checked for c in d.claims]
    return {
        "summary": summary(checked), "store": store_note,
        "problems": sum(c.problem for c in claims),
        "documents": [{"file": d.file, "force_id": d.force_id, "period": d.period.label if d.period else None,
                       "read_as": read_as(d), "claims": [c.as_dict() for c in ordered(d.claims)]} for d in checked],
    }
