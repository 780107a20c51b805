"""The sentences a statement writes for each comparison kind, against figures the seeds quote.

Each case in tests/golden/documents/statement-sentences.txt gives the figures a published
statement or board paper states (seed and paragraph) and the sentence the house rule makes of
them, written by hand: the figure for its window, then each comparison named with its own window
(baseline, year before, previous quarter), or, with none held, a plain statement that there is
nothing to compare it with; and two sources for one thing, each named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard import narrative
from scorecard.periods import parse
from scorecard.windows import comparison_window, window

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "documents" / "statement-sentences.txt"
BASELINE = parse("YE Jun 2019")


def cases() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in GOLDEN.read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                out.append(current)
            current = {}
            continue
        key, _, value = line.partition(": ")
        current[key] = value
    if current:
        out.append(current)
    return out


def _number(text: str | None) -> float | None:
    return None if text in (None, "missing") else float(text)


def sentence(case: dict[str, str]) -> str:
    first, last = parse(case["window"]).first, parse(case["window"]).last
    current = window(first, last)
    subject: narrative.Noun | narrative.MeasureName
    if "noun" in case:
        singular, plural = case["noun"].split(" / ")
        subject = narrative.Noun(singular, plural)
    else:
        subject = narrative.MeasureName(case["title"])
    against = tuple(narrative.Against(kind, _number(case[kind]), comparison_window(current, kind, BASELINE))
                    for kind in ("previous_quarter", "baseline", "year_before") if kind in case)
    unit = case.get("unit", "count")
    text = narrative.statement_sentence(subject, _number(case["value"]), current, against, unit=unit,
                                        source=case.get("source"), phrase=case.get("phrase"))
    if "also_source" in case:
        text += " " + narrative.also_sentence(subject, _number(case["also_value"]), current, current, unit=unit,
                                              source=case["also_source"])
    return text


CASES = cases()


def test_every_comparison_kind_has_a_case_from_each_seed() -> None:
    kinds = {c["kind"] for c in CASES}
    assert {"baseline", "year_before", "previous_quarter", "none", "two sources"} <= kinds
    assert {c["seed"][:3] for c in CASES} >= {"000", "001", "002", "004"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['seed'][:3]}-{c['kind']}-{c['value']}" for c in CASES])
def test_the_sentence_for_figures_a_seed_quotes(case: dict[str, str]) -> None:
    assert sentence(case) == case["expected"]
