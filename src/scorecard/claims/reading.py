"""A document as the checker reads it: text in paragraphs, each with its page, section and lines.

Word is read through python-docx (paragraphs and tables in order), HTML through the standard
library's parser (tables row by row), PDF through poppler's ``pdftotext`` (a form feed between
pages, so a claim's page is known), Markdown and plain text as they are.  A table becomes
tab-separated lines, as a table pasted from Word or a PDF keeps them.

Paragraphs are what sentences live in: documents written in Word and saved as text wrap a
sentence over several lines ("Volumes from January 2021 to December 2021 saw 46 / homicides,
compared to 52"), so claims are found in a paragraph's text with its lines joined, and each
claim is placed back on the line its first word is on.  A numbered paragraph ("4. The volume of
Homicides...") starts a paragraph of its own even without a blank line before it; so does a
heading, which also names the section the paragraphs under it belong to.
"""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.config_files import read_text
from scorecard.errors import InputError

#: The largest document read (seed 003, the longest, is about 90 KB of text).
MAX_BYTES = 8 * 1024 * 1024
#: The largest Word or PDF file read (images make them larger than their text).
MAX_PACKED_BYTES = 64 * 1024 * 1024

_NUMBERED = re.compile(r"^\s*(?:[-*•]\s*)?\d{1,2}(?:\.\d{1,2})?\.?\s+[A-Z(]")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(r"[*_]{1,3}|<u>|</u>")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (or a table) of a document: its number, page, section and lines."""

    number: int
    page: int | None
    section: str
    first_line: int
    lines: tuple[str, ...]
    table: bool = False
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @property
    def text(self) -> str:
        """The paragraph's lines joined into one, for sentences that wrap."""
        return " ".join(line.strip() for line in self.lines)

    def offset_of_line(self, i: int) -> int:
        """Where the paragraph's ``i``-th line starts in ``text``."""
        return (self._starts or _starts(self.lines))[i]

    def line_at(self, offset: int) -> int:
        """The document line that a character of ``text`` is on."""
        starts = self._starts or _starts(self.lines)
        return self.first_line + max(0, bisect.bisect_right(starts, offset) - 1)


def _starts(lines: tuple[str, ...]) -> tuple[int, ...]:
    out, at = [], 0
    for line in lines:
        out.append(at)
        at += len(line.strip()) + 1
    return tuple(out)


def _heading(line: str, before: str | None, after: str | None, *, after_heading: bool = False) -> str | None:
    """The heading a line is, if it is one: a Markdown heading, or a short line standing alone
    that does not end as a sentence does and is followed by text that starts as one."""
    m = _MARKDOWN_HEADING.match(line)
    if m:
        return _EMPHASIS.sub("", m.group(1)).strip() or None
    text = _EMPHASIS.sub("", line).strip()
    if (not text or len(text) > 70 or "\t" in line or text[-1] in ".,;:!?)" or not re.search(r"[A-Za-z]{3}", text)
            or _NUMBERED.match(line) or text.startswith(("-", "•", "|", "<", "["))):
        return None
    if not after_heading and before is not None and before.strip() and before.strip()[-1] not in ".:;!?)":
        return None  # the end of a sentence wrapped from the line above
    if after is not None and after.strip() and not re.match(r"[\s\-*•]*[A-Z0-9(\"“'‘]", after):
        return None
    return text


_BULLET = re.compile(r"^\s*[•▪◦●*-]\s+\S")


def _starts_paragraph(line: str, previous: str, paged: bool) -> bool:
    """Whether a line starts a paragraph of its own within a block: a numbered paragraph or a
    bullet; and, in a PDF's text (which keeps no blank line between paragraphs), a line after one
    that ends a sentence."""
    if _NUMBERED.match(line) or _BULLET.match(line):
        return True
    return paged and previous.rstrip().endswith((".", ":", "!", "?")) and bool(re.match(r"\s*[A-Z0-9“\"(]", line))


def _short_title(line: str) -> str | None:
    """A line standing alone as a short sentence without figures is a heading too: seed 000
    heads its sections "Reduce murder and other homicides."."""
    text = _EMPHASIS.sub("", line).strip()
    if len(text) <= 60 and len(text.split()) <= 8 and text.endswith(".") and not re.search(r"\d", text) \
            and text[:1].isupper():
        return text.rstrip(".")
    return None


def paragraphs(text: str) -> list[Paragraph]:
    """The document's paragraphs in order, each with its page (counting form feeds, for a PDF),
    the heading it sits under and its lines; tables apart from prose."""
    out: list[Paragraph] = []
    paged = "\f" in text
    section = ""

    def add(page: int, lines: list[tuple[int, str]], table: bool) -> None:
        if lines:
            kept = tuple(line for _, line in lines)
            out.append(Paragraph(len(out) + 1, page if paged else None, section, lines[0][0], kept, table,
                                 _starts(kept)))

    for page, block_lines in _blocks(text):
        current: list[tuple[int, str]] = []
        current_table = False
        last_heading = -2
        for i, (number, line) in enumerate(block_lines):
            is_table = "\t" in line
            before = block_lines[i - 1][1] if i else None
            after = block_lines[i + 1][1] if i + 1 < len(block_lines) else None
            heading = None if is_table else (_heading(line, before, after, after_heading=last_heading == i - 1)
                                             or (_short_title(line) if len(block_lines) == 1 else None))
            if heading is not None:
                last_heading = i
                add(page, current, current_table)
                section = heading
                add(page, [(number, line)], False)
                current, current_table = [], False
                continue
            if current and (is_table != current_table or (not is_table and _starts_paragraph(line, current[-1][1],
                                                                                            paged))):
                add(page, current, current_table)
                current = []
            current_table = is_table
            current.append((number, line))
        add(page, current, current_table)
    return out


def _blocks(text: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Runs of non-blank lines with their line numbers, and the page each starts on."""
    page = 1
    block: list[tuple[int, str]] = []
    block_page = 1
    for number, raw in enumerate(text.split("\n"), start=1):
        pages = raw.count("\f")
        line = raw.replace("\f", "").rstrip("\r")
        if pages and block:
            yield block_page, block
            block = []
        page += pages
        if not line.strip():
            if block:
                yield block_page, block
                block = []
            continue
        if not block:
            block_page = page
        block.append((number, line))
    if block:
        yield block_page, block


def document_text(path: Path) -> str:
    """A document as text, tables as tab-separated lines: Markdown and text as they are, Word
    through python-docx (paragraphs and tables in order), HTML through its parser, PDF through
    poppler's pdftotext."""
    suffix = path.suffix.lower()
    if suffix in (".docx", ".pdf") and path.is_file() and path.stat().st_size > MAX_PACKED_BYTES:
        raise InputError(path, f"the file is {path.stat().st_size / 2**20:.1f} MiB, larger than any document "
                               f"({MAX_PACKED_BYTES / 2**20:.0f} MiB at most)")
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
    if shutil.which("pdftotext") is None:
        raise InputError(path, "reading a PDF needs poppler's pdftotext (apt-get install poppler-utils)")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["pdftotext failed"])[0]
        raise InputError(path, f"cannot read the PDF: {first[:200]}")
    return done.stdout


