"""The board paper: the force's performance report to the PCC's board, as seeds 001 and 004 lay it out.

A board paper carries two voices on the same figures — the force's statement and the PCC's —
so it is built in the published order: the agenda item and its front matter (board, meeting
date, plan priority, title, presented by); the purpose of the paper; the force's statement,
priority by priority ("Measure: …"), where the scorecard's generated sentences come first and
the force's own commentary follows; the recommendation; the authors and their job titles; the
PCC's statement, priority by priority; and Appendix A, the Police and Crime Plan KPI scorecard.
Paragraphs are numbered through the whole paper, as boards cite them ("paragraph 21").
"""

from __future__ import annotations

from dataclasses import replace

from scorecard.documents import format as fmt
from scorecard.documents import parts, statement
from scorecard.documents.config import BoardFile
from scorecard.documents.model import Block, Commentary, Document, Paragraph, Section
from scorecard.documents.parts import DocumentInputs


class _Numbers:
    """Paragraph numbers through the whole paper."""

    def __init__(self) -> None:
        self.next = 1

    def paragraph(self, text: str, *, generated: bool = False, refs: tuple[str, ...] = ()) -> Paragraph:
        p = Paragraph(text, self.next, generated, refs)
        self.next += 1
        return p

    def commentary(self, c: Commentary) -> Commentary:
        numbered = replace(c, number_from=self.next)
        self.next += _top_level_paragraphs(c.markdown)
        return numbered


def _top_level_paragraphs(markdown: str) -> int:
    """How many paragraphs the renderers will number (top-level paragraphs of the Markdown)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).parse(markdown)
    return sum(1 for t in tokens if t.type == "paragraph_open" and t.level == 0)


def _purpose(board: BoardFile, inputs: DocumentInputs) -> list[str]:
    if board.purpose:
        return list(board.purpose)
    appendices = "; ".join(f"{chr(65 + i)}. {a}" for i, a in enumerate(board.appendices))
    return [
        "To give an overview of performance against the National Crime and Policing Measures, in a form "
        f"to be used as {inputs.area_name} Police's statement on its performance and the work done.",
        "The statement is published with the Police and Crime Commissioner's statement and the Police and "
        "Crime Plan key performance indicator (KPI) scorecard, for the measures where data is available.",
        "The report meets the requirements of the Elected Local Policing Bodies (Specified Information) "
        "(Amendment) Order 2021.",
        f"Attached as appendices: {appendices}.",
    ]


def build_board_paper(inputs: DocumentInputs) -> Document:
    """The board paper for one force (see the module docstring)."""
    c = inputs.config
    board = c.board
    if board is None:  # DocumentConfig.from_spec refuses a board paper without its front matter
        raise ValueError("a board paper needs the 'board' section of its configuration")
    n = _Numbers()
    title = c.title or "Performance report: National Policing Priorities and Police and Crime Plan scorecard"
    sections: list[Section] = [
        Section("purpose", "Purpose of paper", tuple(n.paragraph(p) for p in _purpose(board, inputs))),
    ]
    force_name = f"{inputs.area_name} Police"
    force_blocks: list[Section] = []
    for p in inputs.catalogue.priorities:
        blocks: list[Block] = [n.paragraph(s.text, generated=True, refs=s.refs) for s in parts.sentences(inputs, p)]
        table = parts.figures_table(inputs, p)
        if table is not None:
            blocks.append(table)
        voice = parts.commentary_for(inputs, p.id, "force")
        if voice is not None:
            blocks.append(n.commentary(replace(voice, heading=f"{force_name}: commentary")))
        blocks.extend(parts.notes(inputs, p))
        force_blocks.append(_measure_section(p.id, p.title, blocks))
    sections.append(Section("force-statement", f"National Policing Priorities: {force_name} statement", ()))
    sections.extend(force_blocks)
    closing: list[Block] = []
    if board.next_steps:
        closing.append(n.paragraph(board.next_steps))
    closing.append(n.paragraph(board.recommendation))
    sections.append(Section("recommendation", "Recommendation", tuple(closing)))
    sections.append(Section("authors", "Author(s)", (Paragraph(f"Author(s): {board.authors}"),
                                                     Paragraph(f"Job title: {board.job_title}"))))
    pcc_blocks: list[Section] = []
    for p in inputs.catalogue.priorities:
        voice = parts.commentary_for(inputs, p.id, "pcc")
        if voice is not None:
            pcc_blocks.append(Section(f"pcc-{p.id}", p.title, (n.commentary(
                replace(voice, heading="Police and Crime Commissioner")),), level=3))
    if pcc_blocks:
        sections.append(Section("pcc-statement", "National Policing Priorities: Police and Crime Commissioner's "
                                                 "statement", ()))
        sections.extend(pcc_blocks)
    appendix = board.appendices[0] if board.appendices else "KPI scorecard"
    sections.append(Section("appendix-a", f"Appendix A: {appendix}", (parts.scorecard(inputs),), appendix=True))
    sections.append(Section("sources", "Where the figures come from", (parts.sources_table(inputs),), appendix=True))
    status = "draft" if inputs.flags else c.status
    return Document(
        kind="board_paper", title=title, subtitle=board.meeting_date, area_name=inputs.area_name,
        force_id=inputs.force_id, status=status, status_text=statement.status_text(inputs),
        front=(("Agenda item", board.agenda_item), ("Board", board.board), ("Meeting date", board.meeting_date),
               ("Police and Crime Plan priority", board.plan_priority), ("Title", title),
               ("Presented by", board.presented_by), ("Figures up to", inputs.period.data_to.name()),
               ("Status", fmt.DOCUMENT_STATUS_WORDS[status])),
        sections=tuple(sections), sources=parts.sources(inputs), licence=statement.LICENCE,
        generated_at=inputs.generated_at, software_version=inputs.software_version,
        catalogue_version=inputs.catalogue.version, flags=inputs.flags, figures=parts.figure_records(inputs),
        config={**c.as_published(), "period": inputs.period.asked_as},
    )


def _measure_section(priority_id: str, title: str, blocks: list[Block]) -> Section:
    return Section(f"force-{priority_id}", f"Measure: {title}", tuple(blocks), level=3)
