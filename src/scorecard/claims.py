"""The quantitative claims of any document, checked against the document itself (issue 11, first part).

A board member or a journalist checking a published statement checks what it says against
what it also says: "4 offences, compared with 6 the previous quarter, a 33% reduction"; "27 of
40 (68%)"; a table whose row of percentages should make 100; a stated total against its rows;
a total that carries another table's label.  Each claim found gets a verdict with its place
(paragraph and line) and the quoted text, and every verdict says why in a sentence a person can
check by hand.  Rounding follows the document's own precision: "34%" is right for anything from
33.5% to 34.5%.

Documents are read as text: Markdown and plain text as they are (a table is its tab-separated
lines, as a PDF or Word table pasted as text keeps them).  Checking claims against the store,
and reading Word, PDF and HTML directly, are still to come.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from scorecard.config_files import read_text
from scorecard.errors import InputError

Verdict = Literal["consistent", "inconsistent"]
#: The largest document read (seed 003, the longest, is about 90 KB of text).
MAX_BYTES = 8 * 1024 * 1024

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
_CHANGE_WORDS = {"reduction": -1, "decrease": -1, "fall": -1, "drop": -1, "increase": 1, "rise": 1}
#: "<X> ... compared with <Y> ..., a <Z>% reduction" in one sentence.
_COMPARED = re.compile(
    rf"(?<![\d.,]){_NUMBER}(?![\d%])[^.;%\d]{{0,80}}?\bcompared (?:with|to)\b[^.;%\d]{{0,40}}?(?<![\d.,]){_NUMBER}"
    rf"(?![\d%])[^.;%]{{0,80}}?\b(?:an?|the)\s+{_NUMBER}%\s+(reduction|decrease|fall|drop|increase|rise)",
    re.IGNORECASE)
#: "<A> of <B> (<C>%)" and "<A> out of <B> (<C>%)".
_OF = re.compile(rf"(?<![\d.,]){_NUMBER}\s+(?:out\s+)?of\s+(?:the\s+)?{_NUMBER}\b[^()]{{0,40}}?\(\s*{_NUMBER}\s*%\s*\)",
                 re.IGNORECASE)
_CELL_NUMBER = re.compile(rf"^\s*£?{_NUMBER}\s*(%?)\s*$")


@dataclass(frozen=True)
class Claim:
    file: str
    paragraph: int
    line: int
    quoted: str
    kind: str  # "change", "share", "row makes 100", "total", "total label"
    verdict: Verdict
    why: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _decimal(whole: str, fraction: str | None) -> Decimal:
    return Decimal(whole.replace(",", "") + (f".{fraction}" if fraction else ""))


def _places(fraction: str | None) -> int:
    return len(fraction) if fraction else 0


def _half(places: int) -> Decimal:
    return Decimal(5).scaleb(-places - 1)


def _show(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


@dataclass(frozen=True)
class _Line:
    paragraph: int
    line: int
    text: str


def _lines(text: str) -> Iterator[_Line]:
    paragraph = 0
    blank = True
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            blank = True
            continue
        if blank:
            paragraph += 1
            blank = False
        yield _Line(paragraph, number, line)


def check_text(text: str, file: str) -> list[Claim]:
    """Every claim found in ``text``, each with its verdict."""
    lines = list(_lines(text))
    claims: list[Claim] = []
    for ln in lines:
        if "\t" in ln.text:
            continue  # a table row: checked with its table
        claims += _changes(ln, file) + _shares(ln, file)
    claims += _tables(lines, file)
    return sorted(claims, key=lambda c: (c.line, c.kind))


def _changes(ln: _Line, file: str) -> list[Claim]:
    out = []
    for m in _COMPARED.finditer(ln.text):
        now, before = _decimal(m.group(1), m.group(2)), _decimal(m.group(3), m.group(4))
        stated, places = _decimal(m.group(5), m.group(6)), _places(m.group(6))
        sign = _CHANGE_WORDS[m.group(7).lower()]
        quoted = m.group(0)
        if before == 0:
            out.append(Claim(file, ln.paragraph, ln.line, quoted, "change", "inconsistent",
                             f"a percentage change from {before} has no meaning"))
            continue
        exact = (now - before) / before * 100
        direction_ok = (exact < 0 and sign < 0) or (exact > 0 and sign > 0)
        right = direction_ok and abs(abs(exact) - stated) <= _half(places)
        word = m.group(7).lower()
        why = (f"{_plain(now)} against {_plain(before)} is a {abs(exact):.{places + 1}f}% "
               f"{'fall' if exact < 0 else 'rise'}, which rounds to {_show(abs(exact), places)}%")
        if not direction_ok:
            why += f": not a {word}"
        elif right:
            why += f", as stated ({stated}% {word})"
        else:
            why += f", not the {stated}% stated"
        out.append(Claim(file, ln.paragraph, ln.line, quoted, "change", "consistent" if right else "inconsistent",
                         why))
    return out


def _plain(value: Decimal) -> str:
    return f"{value:,}"


def _shares(ln: _Line, file: str) -> list[Claim]:
    out = []
    for m in _OF.finditer(ln.text):
        part, whole = _decimal(m.group(1), m.group(2)), _decimal(m.group(3), m.group(4))
        stated, places = _decimal(m.group(5), m.group(6)), _places(m.group(6))
        if whole == 0:
            continue
        exact = part / whole * 100
        right = abs(exact - stated) <= _half(places)
        why = (f"{_plain(part)} of {_plain(whole)} is {exact:.{places + 1}f}%, which rounds to "
               f"{_show(exact, places)}%" + (", as stated" if right else f", not the {stated}% stated"))
        out.append(Claim(file, ln.paragraph, ln.line, m.group(0), "share", "consistent" if right else "inconsistent",
                         why))
    return out


# --------------------------------------------------------------------------- tables as text

@dataclass(frozen=True)
class _Cell:
    value: Decimal | None
    places: int
    percent: bool
    text: str


def _cell(text: str) -> _Cell:
    m = _CELL_NUMBER.match(text)
    if not m:
        return _Cell(None, 0, False, text.strip())
    try:
        return _Cell(_decimal(m.group(1), m.group(2)), _places(m.group(2)), bool(m.group(3)), text.strip())
    except InvalidOperation:
        return _Cell(None, 0, False, text.strip())


def _table_blocks(lines: Sequence[_Line]) -> Iterator[list[_Line]]:
    block: list[_Line] = []
    for ln in lines:
        if "\t" in ln.text:
            if block and ln.line != block[-1].line + 1:
                yield block
                block = []
            block.append(ln)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _tables(lines: Sequence[_Line], file: str) -> list[Claim]:
    out: list[Claim] = []
    totals: dict[str, _Line] = {}
    for block in _table_blocks(lines):
        rows = [[_cell(c) for c in ln.text.split("\t")] for ln in block]
        out += _rows_make_100(block, rows, file)
        out += _stated_totals(block, rows, file)
        for ln, row in zip(block, rows, strict=True):
            label = row[0].text if row else ""
            if label.lower().startswith("total") or label.lower().endswith(" total"):
                key = " ".join(label.lower().split())
                if key in totals and totals[key].line != ln.line:
                    first = totals[key]
                    out.append(Claim(file, ln.paragraph, ln.line, ln.text.strip(), "total label", "inconsistent",
                                     f"This total is labelled {label!r}, as the total of the table at line "
                                     f"{first.line} is: is it this table's total?"))
                totals.setdefault(key, ln)
    return out


def _rows_make_100(block: list[_Line], rows: list[list[_Cell]], file: str) -> list[Claim]:
    """A row of two or more percentages that comes near 100 (a split of a whole, such as outcome
    rate and no further action) must make 100 to within the rounding of its cells."""
    out = []
    for ln, row in zip(block, rows, strict=True):
        cells = [c for c in row if c.percent and c.value is not None]
        if len(cells) < 2:
            continue
        total = sum((c.value for c in cells if c.value is not None), Decimal(0))
        places = max(c.places for c in cells)
        if not Decimal(85) <= total <= Decimal(115):
            continue  # not a split of one whole (a row of rates by month, say)
        slack = _half(places) * len(cells)
        right = abs(total - 100) <= slack
        parts = " + ".join(c.text for c in cells)
        out.append(Claim(file, ln.paragraph, ln.line, ln.text.strip(), "row makes 100",
                         "consistent" if right else "inconsistent",
                         f"{parts} = {total}%" + (", 100% to within rounding" if right else
                                                  f", not 100% (rounding explains at most {slack}%)")))
    return out


def _stated_totals(block: list[_Line], rows: list[list[_Cell]], file: str) -> list[Claim]:
    """A row labelled as a total against the sum of the rows above it in its table."""
    out = []
    for i, (ln, row) in enumerate(zip(block, rows, strict=True)):
        label = row[0].text.lower() if row else ""
        if i == 0 or not ("total" in label and "sub" not in label):
            continue
        for j in range(1, len(row)):
            stated = row[j]
            above = [v for r in rows[1:i] if len(r) > j and (v := r[j].value) is not None and not r[j].percent]
            if stated.value is None or stated.percent or len(above) < 2:
                continue
            parts = _without_subtotals(above)
            added = sum(parts, Decimal(0))
            right = added == stated.value
            out.append(Claim(file, ln.paragraph, ln.line, ln.text.strip(), "total",
                             "consistent" if right else "inconsistent",
                             f"the {len(parts)} rows above add up to {_plain(added)}"
                             + (", as stated" if right else f", not the {stated.text} stated")))
    return out


def _without_subtotals(values: list[Decimal]) -> list[Decimal]:
    """The rows a total adds up: a row equal to the sum of the two or more rows since the last
    such row is a subtotal of them ("Sub-Total", "7 Local CSP's"), and is not counted again."""
    kept: list[Decimal] = []
    group: list[Decimal] = []
    for v in values:
        if len(group) >= 2 and v == sum(group, Decimal(0)):
            group = []
            continue
        kept.append(v)
        group.append(v)
    return kept


def document_text(path: Path) -> str:
    """A document as text, tables as tab-separated lines: Markdown and text as they are, Word
    through python-docx (paragraphs and tables in order), HTML through its parser, PDF through
    poppler's pdftotext."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md", ".markdown", ".text"):
        return read_text(path, what="document", limit=MAX_BYTES)
    if suffix == ".docx":
        return _docx_text(path)
    if suffix in (".html", ".htm"):
        return _html_text(read_text(path, what="document", limit=MAX_BYTES))
    if suffix == ".pdf":
        return _pdf_text(path)
    raise InputError(path, "not a document the checker reads: give a .docx, .pdf, .html, .md or .txt file")


def _docx_text(path: Path) -> str:
    from docx import Document as WordDocument
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        word = WordDocument(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(path, f"cannot read the Word document: {exc}") from None
    out: list[str] = []
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            out += [block.text, ""]
        elif isinstance(block, Table):
            out += ["\t".join(cell.text.replace("\n", " ") for cell in row.cells) for row in block.rows]
            out.append("")
    return "\n".join(out)


def _html_text(html: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.row: list[str] | None = None
            self.cell: list[str] | None = None
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("script", "style", "svg"):
                self.skip += 1
            elif tag == "table":
                self.out.append("\n\n")
            elif tag == "tr":
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []
            elif tag in ("p", "li", "h1", "h2", "h3", "h4", "caption", "br", "div"):
                self.out.append("\n\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style", "svg"):
                self.skip = max(0, self.skip - 1)
            elif tag in ("td", "th") and self.row is not None and self.cell is not None:
                self.row.append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.out.append("\t".join(self.row) + "\n")
                self.row = None
            elif tag == "table":
                self.out.append("\n\n")

        def handle_data(self, data: str) -> None:
            if self.skip:
                return
            if self.cell is not None:
                self.cell.append(data)
            elif self.row is None:
                self.out.append(" ".join(data.split()) + " " if data.strip() else "")

    parser = Text()
    parser.feed(html)
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.out))


def _pdf_text(path: Path) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        raise InputError(path, "reading a PDF needs poppler's pdftotext (apt-get install poppler-utils)")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise InputError(path, f"cannot read the PDF: {done.stderr.strip()[:200]}")
    return done.stdout


def check_file(path: Path) -> list[Claim]:
    return check_text(document_text(path), path.name)
