"""The statutory National Policing Priorities statement, as PCC offices publish it (seeds 000, 002).

The Elected Local Policing Bodies (Specified Information) (Amendment) Order 2021 asks each PCC to
publish how the force contributes to the six national priorities and which priorities apply
locally, with reasons.  The statement is built in the order the published ones follow: an
introduction (the duty, the six priorities, what the figures are), then for each priority its
national metrics and their sources, whether it is assessed as applicable and why, what the
figures show (sentences, a table, a chart), and the PCC's own statement for it; then the closing
line on review, and the files the figures come from.
"""

from __future__ import annotations

from scorecard import narrative
from scorecard.catalogue.schema import Priority
from scorecard.documents import format as fmt
from scorecard.documents import parts
from scorecard.documents.model import Block, BulletList, Document, Paragraph, Section, Status
from scorecard.documents.parts import DocumentInputs

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."

DEFAULT_CLOSING = ("This statement will be reviewed, and any changes to it published, within the timescales set "
                   "by the Specified Information Order.")


def introduction(inputs: DocumentInputs) -> tuple[Block, ...]:
    """What the duty is, the six priorities, which apply, and what the figures are."""
    c = inputs.config
    if c.introduction is not None:
        paragraphs: list[Block] = [Paragraph(p) for p in c.introduction]
    else:
        paragraphs = [
            Paragraph("In 2021 the Home Office set six National Policing Priorities for every police force. The "
                      "Elected Local Policing Bodies (Specified Information) (Amendment) Order 2021 requires the "
                      "Police and Crime Commissioner to publish a statement on the force's contribution to "
                      "improvements against them, and to say which of them are assessed as applicable locally, "
                      "and why."),
            BulletList(tuple(p.title for p in inputs.catalogue.priorities), ordered=True),
        ]
    applicable = [p for p in inputs.catalogue.priorities if _applicable(inputs, p)]
    if len(applicable) == len(inputs.catalogue.priorities):
        every = narrative.spell_number(len(applicable))
        paragraphs.append(Paragraph(f"All {every} priorities are assessed as applicable in {inputs.area_name}; "
                                    "the reasons are given under each."))
    else:
        not_applicable = [p.title for p in inputs.catalogue.priorities if not _applicable(inputs, p)]
        paragraphs.append(Paragraph(f"{len(applicable)} of the {len(inputs.catalogue.priorities)} priorities are "
                                    f"assessed as applicable in {inputs.area_name}. Not applicable: "
                                    f"{'; '.join(not_applicable)}. The reasons are given under each."))
    paragraphs.append(Paragraph(
        f"Each figure is the latest complete period held up to {inputs.period.data_to.name()}: twelve months of "
        "police recorded crime, or a force's own latest period for figures only it holds. Every figure names its "
        "period and its source, and is compared with the national baseline set by the Home Office (the year "
        "ending June 2019) and with the same period a year earlier, or, where there is no baseline figure, with "
        "the previous quarter."))
    paragraphs.extend(Paragraph(n) for n in c.notes)
    return tuple(paragraphs)


def _applicable(inputs: DocumentInputs, p: Priority) -> bool:
    entry = inputs.config.applicability.get(p.id)
    return entry is None or entry.applicable


DEFAULT_REASON = ("Assessed as applicable: the priority applies in every police force area and is reflected in the "
                  "Police and Crime Plan.")


def applicability(inputs: DocumentInputs, p: Priority) -> Paragraph:
    entry = inputs.config.applicability.get(p.id)
    if entry is None:
        return Paragraph(DEFAULT_REASON)
    return Paragraph(f"{'Assessed as applicable' if entry.applicable else 'Assessed as not applicable'}: "
                     f"{narrative.lower_first(entry.reason)}")


def national_metrics(p: Priority) -> BulletList:
    return BulletList(tuple(f"{nm.name} ({nm.source})" + ("" if nm.force_level else ": not published for each force")
                            for nm in p.national_metrics))


def priority_section(inputs: DocumentInputs, p: Priority) -> Section:
    blocks: list[Block] = [Paragraph("National metrics (data source):"), national_metrics(p),
                           applicability(inputs, p)]
    blocks.extend(parts.sentences(inputs, p))
    table = parts.figures_table(inputs, p)
    if table is not None:
        blocks.append(table)
    for mf in parts.shown(inputs, p):
        if mf.measure.role in ("national", "proxy") and mf.measure.id not in _followers(inputs, p):
            chart = parts.chart(mf, parts.target_value(mf.measure, mf.result.baseline.value if mf.result else None))
            if chart is not None:
                blocks.append(chart)
                break  # one chart a priority: the lead measure's (a statement, not a dashboard)
    commentary = parts.commentary_for(inputs, p.id, "pcc")
    if commentary is not None:
        blocks.append(commentary)
    blocks.extend(parts.notes(inputs, p))
    return Section(p.id, f"{p.number}. {p.title}", tuple(blocks))


def _followers(inputs: DocumentInputs, p: Priority) -> set[str]:
    stated = [mf for mf in parts.shown(inputs, p) if mf.measure.role in parts.STATED_ROLES]
    return set(parts._pairs(stated, inputs.config.lead)[1])


def build_statement(inputs: DocumentInputs) -> Document:
    """The statement for one force (see the module docstring)."""
    c = inputs.config
    label = c.publication or inputs.period.label
    sections = [Section("introduction", "Introduction", introduction(inputs))]
    sections.extend(priority_section(inputs, p) for p in inputs.catalogue.priorities)
    sections.append(Section("review", "Review of this statement", (Paragraph(c.closing or DEFAULT_CLOSING),)))
    if c.scorecard_measures:
        sections.append(Section("scorecard", "Appendix: KPI scorecard", (parts.scorecard(inputs),), appendix=True))
    sections.append(Section("sources", "Where the figures come from", (parts.sources_table(inputs),), appendix=True))
    return Document(
        kind="statement", title=c.title or f"National Policing Priorities statement: {inputs.area_name}",
        subtitle=label, area_name=inputs.area_name, force_id=inputs.force_id,
        status=_status(inputs), status_text=status_text(inputs),
        front=(("Police force area", inputs.area_name), ("Publication", label),
               ("Figures up to", inputs.period.data_to.name()),
               ("Status", fmt.DOCUMENT_STATUS_WORDS[_status(inputs)])),
        sections=tuple(sections), sources=parts.sources(inputs), licence=LICENCE,
        generated_at=inputs.generated_at, software_version=inputs.software_version,
        catalogue_version=inputs.catalogue.version, flags=inputs.flags, figures=parts.figure_records(inputs),
        config={**c.as_published(), "period": inputs.period.asked_as},
    )


def _status(inputs: DocumentInputs) -> Status:
    """A document with numbers its check could not match can only be a draft."""
    return "draft" if inputs.flags else inputs.config.status


def status_text(inputs: DocumentInputs) -> str:
    """What the draft marking says (every page of every format, until approved)."""
    status = _status(inputs)
    if inputs.flags:
        return (f"{fmt.DOCUMENT_STATUS_WORDS['draft']}: {fmt.count_of(len(inputs.flags), 'number', 'numbers')} "
                "in the commentary match no figure")
    return fmt.DOCUMENT_STATUS_WORDS[status]
