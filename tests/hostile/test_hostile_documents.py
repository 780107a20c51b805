"""Bad documents through ``scorecard check``: refused with exit code 3 and one line naming the
file (and the line, for text), never a traceback; a document that reads but holds nothing to
check is answered "0 claims", not refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app

runner = CliRunner()

Write = Callable[[Path], Path]


def named(name: str, data: bytes) -> Write:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return write


REFUSED: list[tuple[str, Write, str]] = [
    ("invalid UTF-8", named("statement.txt", b"fine\n\xff\xfe 12 of 10 (50%)\n"), "line 2: not UTF-8 text"),
    ("a NUL byte", named("notes.md", b"12 of 10\x00 (50%)\n"), "line 1: control character U+0000"),
    ("too long", named("huge.txt", b"a" * (8 * 1024 * 1024 + 1)), "larger than any document"),
    ("not a Word file", named("paper.docx", b"PK\x03\x04 not a zip"), "cannot read the Word document"),
    ("a zip that is not Word", named("paper.docx", b""), "cannot read the Word document"),
    ("not a PDF", named("paper.pdf", b"%PDF-1.4 nothing else"), "cannot read the PDF"),
    ("a kind not read", named("paper.odt", b"text"), "not a document the checker reads"),
    ("HTML not UTF-8", named("page.html", b"<p>\xe9</p>"), "not UTF-8 text"),
]


@pytest.mark.parametrize(("what", "write", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_bad_document_is_refused_naming_it(what: str, write: Write, message: str, tmp_path: Path) -> None:
    path = write(tmp_path)
    res = runner.invoke(app, ["check", str(path), "--no-store"])
    assert res.exit_code == 3, (what, res.stdout, res.stderr)
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith(f"error: {path}") and message in line, line
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize(("what", "text"), [
    ("empty", ""),
    ("deeply nested HTML", "<div>" * 5000 + "12 of 10 (50%)"),
    ("only numbers", "1 2 3 4 5 6 7 8 9 10 % % % of of of"),
    ("a table of one column", "a\nb\tc\n\t\n\t\t\t\n"),
])
def test_a_document_with_nothing_to_check_is_answered_not_refused(what: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / ("page.html" if "HTML" in what else "notes.txt")
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["check", str(path), "--no-store"])
    assert res.exit_code in (0, 1) and "Traceback" not in res.stderr, (what, res.stderr)
    assert res.stdout.splitlines()[0].startswith(("0 claims", "1 claim")), res.stdout
