"""One grammar for what a cell of an input table may hold, shared by every table reader.

The Home Office tables, the ONS workbooks and the local series files are read by three
modules, but a figure must mean the same in all of them: "1,2" cannot be twelve in one
reader and an error in another.  So every reader takes its text decoding, cell text,
numbers, counts, dates and workbook opening from here.

**Text files.**  A CSV is read only if it is a regular file no larger than its reader's limit
(the size is looked at before a byte is read, so a 3 GB file costs nothing to refuse).  Its
bytes are decoded as

==========================================  ================================================
UTF-8, with or without Excel's BOM          read
UTF-16 with a byte-order mark               read
UTF-32, or NULs throughout and no BOM       refused (UTF-16 saved without its BOM, or binary);
                                            a stray NUL is left to the cell grammar below
a zip or an old Excel (OLE) file            refused: a workbook or archive, not CSV text
not UTF-8, and no UTF-8 sequence in it      read as Windows-1252, with a warning (what older
                                            Excel writes as "CSV")
not UTF-8 but holding UTF-8 sequences       refused: two encodings mixed in one file
a byte Windows-1252 does not define         refused (0x81, 0x8D, 0x8F, 0x90, 0x9D)
==========================================  ================================================

**Text cells** (``text``): leading and trailing white space is dropped and every run of white
space inside (spaces, non-breaking spaces, tabs, line breaks) becomes one space.  A control
character is an error naming the cell, never silently dropped: C0 controls other than tab,
line feed and carriage return, DEL, the C1 controls (U+0080-U+009F) and the bidirectional
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make text display
differently from what it holds.  This is the same rule the configuration files follow.
A cell is at most ``MAX_CELL_CHARS`` characters.

**Numbers** (``number``), written the way published tables write them:

=======================  ====================  ==============================================
``1234``, ``1234.5``     1234, 1234.5          plain digits, optional decimal part
``1,234``, ``12,345.6``  1234, 12345.6         thousands grouped in threes by commas
``+5``, ``-5``, ``.5``   5, -5, 0.5            a sign; a decimal part alone
``92%``, ``92 %``        92 (percent sign)     allowed or refused by the caller (a count never)
``1,2``, ``12,34``       error                 wrongly grouped (or a decimal comma)
``1.2.3``, ``5.``        error
``1e5``                  error                 no published table writes a figure with an
                                               exponent; in a text cell it is a typo or a code
``five``, ``n/a``, ``∞``  error                 (ONS ``..`` markers are the ONS reader's)
``inf``, ``NaN``         error
``1 234``                error                 spaces inside a number
``١٢``                   error                 only the digits 0-9
=======================  ====================  ==============================================

A number's size is below ``MAX_MAGNITUDE`` (10^15, where float64 still holds every whole
number exactly).  A **count** is a number that is whole and not negative, without a percent
sign; the Home Office reader alone keeps negative counts (426 are published) and warns.

**Spreadsheet cells** arrive from calamine as ``str``, ``int``, ``float``, ``bool``,
``date``, ``datetime``, ``time`` or ``timedelta``.  A number cell is its value (not a
number if infinite or NaN); text is read by the grammar above; TRUE/FALSE, dates, times and
durations are never numbers.  A blank is ``None`` or text that is only white space: it is
a gap, and the reader decides whether a gap is allowed.  A cell holding a *formula without a
saved value* comes back blank from calamine, so workbooks are checked for those separately
(``Workbook.refuse_unsaved_formulas``) and such a cell is an error, never a gap.

**Workbooks** (``open_workbook``) are checked before calamine reads them, because calamine
builds each sheet as one dense grid and would abort the process (not raise) on a sheet whose
cells lie far apart, and because a zip of a few kilobytes can inflate to gigabytes:

* the path is a regular file of at most ``WORKBOOK_MAX_BYTES``;
* the content, not the name, says what it is (XLSX/XLSM or ODS; a name that disagrees is
  refused, as are the binary .xls and .xlsb, which cannot be checked this way);
* the zip's directory lists at most ``ZIP_MAX_MEMBERS`` parts (read from its end record
  before ``zipfile`` builds anything), none encrypted or named twice, compressed with deflate
  or stored, their compressed sizes together no more than the file (so parts do not overlap);
* the parts together inflate to at most ``INFLATED_MAX_BYTES`` and at most
  ``INFLATION_RATIO`` times the file (``INFLATED_FLOOR`` is always allowed): checked from the
  declared sizes first, then by inflating every part, which must give exactly its declared
  size and checksum, so a part that lies about its size is refused too;
* at most ``MAX_SHEETS`` sheets; the XML parsed here (workbook.xml, its relationships, a
  worksheet read in full) may declare no DTD or entities (calamine expands none);
* the sheets' grids — from A1 to the last cell holding something, as calamine allocates
  them — add up to at most ``MAX_CELLS`` cells.  They are measured without being built: an
  XLSX sheet by a scan of its cell references in C (``_xlsx_grid_quickly``), or by expat when
  the sheet is unusual or holds formulas (``_XlsxSheetScan``); an ODS by counting its rows and
  cell tags (``_ods_grids``).  Each measure is never smaller than calamine's grid.  A sheet
  that only *claims* a million rows (``<dimension ref="A1:XFD1048576">``), or whose million
  rows are all empty, costs nothing and is read.

Every calamine error, ``OSError`` and ``ValueError`` becomes an ``InputError`` naming the file.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import html
import io
import math
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import itemgetter, methodcaller
from pathlib import Path
from types import TracebackType
from typing import NoReturn, cast
from xml.etree import ElementTree
from xml.parsers import expat

import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from scorecard import files
from scorecard.characters import FORBIDDEN
from scorecard.errors import InputError

__all__ = [
    "INFLATED_MAX_BYTES",
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_MAGNITUDE",
    "NUMBER_PATTERN",
    "Cell",
    "CellError",
    "Number",
    "Workbook",
    "cell_ref",
    "check_count",
    "count",
    "decode_text",
    "is_blank",
    "month_of",
    "number",
    "number_cell",
    "open_workbook",
    "read_text_file",
    "sniff_text",
    "text",
    "text_of",
]

# What calamine hands back for a cell (``None`` where a reader pads a short row).
Cell = str | int | float | bool | date | datetime | time | timedelta | None

MAX_CELL_CHARS = 10_000
MAX_MAGNITUDE = 1e15

WORKBOOK_MAX_BYTES = 200 * 1024 * 1024
ZIP_MAX_MEMBERS = 10_000
# The whole long Home Office table, written as LibreOffice writes ODS, is 350 MB of XML.
INFLATED_MAX_BYTES = 768 * 1024 * 1024
INFLATED_FLOOR = 64 * 1024 * 1024
# Real workbooks inflate 4x (the ONS editions) to 29x (the Home Office workforce ODS); the
# long table as LibreOffice ODS, 35x.
INFLATION_RATIO = 100
# Far more sheets than any published workbook has.
MAX_SHEETS = 1_000
# 2.6 million cells (the whole Home Office table on one sheet) take about 360 MB to read.
MAX_CELLS = 5_000_000


class CellError(ValueError):
    """A cell's content breaks the grammar; the reader adds the file, sheet, line and column."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


# --- text files --------------------------------------------------------------------------

_size = files.size_text


def regular_file_size(path: Path, *, limit: int, what: str) -> int:
    """The size of ``path``, if it is a regular file of at most ``limit`` bytes (``scorecard.files``:
    looked at before it is opened, so a pipe or device is never read and an over-size file,
    even a sparse one that takes no disk, is refused from its size alone)."""
    return files.regular_size(path, what=what, limit=limit)


def read_bytes(path: Path, *, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (``scorecard.files``)."""
    return files.read_regular(path, what=what, limit=limit)


def read_text_file(path: Path, warnings: list[str], *, limit: int, what: str) -> str:
    """A bounded text file, decoded by ``decode_text``."""
    return decode_text(path, read_bytes(path, limit=limit, what=what), warnings)


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(path: Path, data: bytes, warnings: list[str]) -> str:
    """CSV bytes as text, by the rules in the module docstring (a warning for Windows-1252)."""
    if data.startswith(b"PK\x03\x04"):
        raise InputError(path, "this is a zip file (a spreadsheet workbook or an archive), not CSV text: "
                               "give a workbook its .xlsx or .ods name")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(path, "this is an old Excel workbook (.xls), not CSV text: save it as CSV UTF-8")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError(path, "the file is UTF-32 text: save it as CSV UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"the file starts as UTF-16 text but is not UTF-16 throughout "
                                   f"(at byte {exc.start:,}): save it as CSV UTF-8") from None
    nul = data.find(b"\x00")
    if nul >= 0 and data.count(b"\x00", 0, 4096) * 8 >= min(len(data), 4096):
        # UTF-16 without its BOM: every other byte of English text is NUL.  A stray NUL is
        # left to the cell grammar, which names its cell.
        raise InputError(path, "the file holds NUL bytes: it is UTF-16 saved without its byte-order mark, "
                               "or not text at all; save it as CSV UTF-8", _line_at(data, nul))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = _line_at(data, exc.start)
        bad_byte = data[exc.start]
    if _UTF8_SEQUENCE.search(data):
        raise InputError(path, f"the file is UTF-8 in places but byte 0x{bad_byte:02x} is not: two encodings are "
                               "mixed in one file; save it as CSV UTF-8", bad_line)
    try:
        decoded = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{data[exc.start]:02x}): "
                               "save it as CSV UTF-8", _line_at(data, exc.start)) from None
    warnings.append(f"{path}: not valid UTF-8 (first at line {bad_line}); read as Windows-1252 - check "
                    "characters such as '£' and accented names, and save as CSV UTF-8 next time")
    return decoded


def sniff_text(head: bytes) -> str:
    """The first bytes of a file as text, for a reader deciding whether a file is its kind.

    Never raises: bytes that do not decode become U+FFFD, so a sniff can only say "not mine".
    UTF-16 without its byte-order mark is read as UTF-16 here, so that the file reaches its
    reader, which refuses it with the reason (``decode_text``).
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    sample = head[:4096]
    even, odd = sample[0::2].count(b"\x00"), sample[1::2].count(b"\x00")
    half = len(sample) // 2
    if half and max(even, odd) * 5 >= half * 2 and min(even, odd) * 10 < half:  # NULs on one side only
        return head.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    return head.decode("utf-8-sig", errors="replace")


# --- text cells --------------------------------------------------------------------------

# What a text cell may not hold: one rule for every reader (scorecard.characters).
_CONTROL = FORBIDDEN


def text(value: str, *, max_chars: int = MAX_CELL_CHARS) -> str:
    """A text cell by the grammar: white space tidied; control characters are a ``CellError``."""
    found = _CONTROL.search(value)
    if found:
        raise CellError(f"holds the control character U+{ord(found.group()):04X} "
                        f"(character {found.start() + 1}); a cell holds only printable text")
    if len(value) > max_chars:
        raise CellError(f"holds {len(value):,} characters; the limit is {max_chars:,}")
    return " ".join(value.split())


def is_blank(value: object) -> bool:
    """A gap: no value, or text that is only white space (a NUL is not white space)."""
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: object, *, max_chars: int = MAX_CELL_CHARS) -> str:
    """Any cell as the text a reader compares and stores ("" for a blank).

    A whole number loses its ".0" (a spreadsheet types offence code 8 as 8.0); TRUE/FALSE
    read as Excel shows them; dates as ISO dates.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return text(value, max_chars=max_chars)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# --- numbers -----------------------------------------------------------------------------

# The grammar of a number written in a text cell (without a percent sign), in a syntax both
# Python's ``re`` and RE2 (Arrow's ``match_substring_regex``) read identically.
NUMBER_PATTERN = r"^[+-]?(?:(?:[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.[0-9]+)?|\.[0-9]+)$"
_NUMBER = re.compile(NUMBER_PATTERN)
_GROUPED_WRONGLY = re.compile(r"^[+-]?[0-9][0-9,]*(?:\.[0-9]+)?$")
_EXPONENT = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+$")
_SPACED = re.compile(r"^[+-]?[0-9][0-9 ,]*(?:\.[0-9]+)?$")


@dataclass(frozen=True)
class Number:
    value: float
    decimals: int  # decimal places as written ("76.04" has 2), for comparing with a computed figure
    percent_sign: bool
    from_number_cell: bool  # a spreadsheet number, not text


def shown_number(value: float) -> str:
    """A number as a message shows it: 21542, 21542.5, 1000000000000000."""
    return str(int(value)) if math.isfinite(value) and value.is_integer() and abs(value) < 1e20 else repr(value)


def _checked_float(value: float, shown: str) -> float:
    if not math.isfinite(value):
        raise CellError(f"{shown} is not a number")
    if abs(value) >= MAX_MAGNITUDE:
        raise CellError(f"{shown} is too large to be a figure (the limit is 10^15)")
    return value + 0.0  # -0.0 becomes 0.0


def number(written: str) -> Number:
    """A number written as text, by the grammar in the module docstring (``CellError`` if not)."""
    body = text(written)
    if not body:
        raise CellError("is blank")
    percent = body.endswith("%")
    digits = body[:-1].rstrip() if percent else body
    if not _NUMBER.match(digits):
        raise CellError(f"{quoted(body)} is not a number{_hint(digits)}")
    number_value = float(digits.replace(",", ""))
    value = _checked_float(number_value, shown_number(number_value) if math.isfinite(number_value) else quoted(body))
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Number(value, decimals, percent, False)


def quoted(text: str, limit: int = 40) -> str:
    """Text as a message quotes it, cut short when long: '9999999999999999999999999999999999999…'."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _hint(digits: str) -> str:
    if _GROUPED_WRONGLY.match(digits) and "," in digits:
        return " (commas separate thousands in groups of three, as in 1,234; decimals take a full stop)"
    if _EXPONENT.match(digits):
        return " (write the figure in full, without an exponent)"
    if _SPACED.match(digits) and " " in digits:
        return " (a number has no spaces inside it)"
    return ""


def number_cell(value: object) -> Number | None:
    """A spreadsheet or CSV cell as a number; ``None`` for a blank; ``CellError`` otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"{'TRUE' if value else 'FALSE'} is a true/false value, not a number")
    if isinstance(value, int | float):
        try:
            as_float = float(value)
        except OverflowError:  # an integer beyond any float
            raise CellError(f"{quoted(str(value))} is too large to be a figure (the limit is 10^15)") from None
        number_value = _checked_float(as_float, shown_number(as_float) if math.isfinite(as_float) else str(value))
        written = shown_number(number_value)
        decimals = len(written.split(".")[1]) if "." in written and "e" not in written else 0
        return Number(number_value, decimals, False, True)
    if isinstance(value, str):
        return number(value)
    if isinstance(value, datetime | date):
        raise CellError(f"{text_of(value)} is a date, not a number")
    if isinstance(value, time):
        raise CellError(f"{value.isoformat()} is a time of day, not a number")
    if isinstance(value, timedelta):
        raise CellError(f"{value} is a duration, not a number")
    raise CellError(f"{value!r} is not a number")


def check_count(value: float, *, negative_allowed: bool = False) -> float:
    """``value`` if it is a count (whole; not negative unless allowed), else ``CellError``."""
    if not value.is_integer():
        raise CellError(f"{value!r} is not a whole number")
    if value < 0 and not negative_allowed:
        raise CellError(f"{shown_number(value)} is negative")
    return value


def count(value: object, *, negative_allowed: bool = False) -> float | None:
    """A cell as a count of something (``None`` for a blank)."""
    parsed = number_cell(value)
    if parsed is None:
        return None
    if parsed.percent_sign:
        raise CellError(f"{text_of(value)!r} is a percentage, not a count")
    return check_count(parsed.value, negative_allowed=negative_allowed)


# --- dates -------------------------------------------------------------------------------

def month_of(value: object) -> date | None:
    """The month a date cell means, as its first day; ``None`` for a cell that is not a date.

    A spreadsheet turns "Jun 2019" typed into a cell into 1 June 2019, so a date stands for
    its month.  A time of day or a duration is never a month.
    """
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    if isinstance(value, time | timedelta):
        raise CellError(f"{text_of(value)} is a time, not a month")
    return None


def cell_ref(row: int, column: int) -> str:
    """The A1-style name of a 0-based cell position: (33, 14) is "O34"."""
    letters = ""
    n = column + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


# --- workbooks: what the file is ---------------------------------------------------------

_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ODS_SUFFIXES = (".ods",)
_BINARY_SUFFIXES = (".xls", ".xlsb")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _refuse(path: Path, problem: str) -> NoReturn:
    raise InputError(path, problem)


def _format_of(path: Path, data: bytes, zf: zipfile.ZipFile | None) -> str:
    """"xlsx" or "ods", from the content; anything else is refused with what it looks like."""
    if zf is None:
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            _refuse(path, "this is an old binary Excel workbook (.xls) under another name: save it as .xlsx")
        head = data[:4096]
        if b"\x00" not in head and (b"," in head or b"\n" in head):
            _refuse(path, "not a spreadsheet workbook (an .xlsx or .ods file is a zip archive); this looks like "
                          "text - a CSV file? - so give it a .csv name")
        _refuse(path, "not a spreadsheet workbook: an .xlsx or .ods file is a zip archive, and this is not one")
    names = set(zf.namelist())
    if "xl/workbook.bin" in names:
        _refuse(path, "this is a binary Excel workbook (.xlsb): save it as .xlsx")
    if "xl/workbook.xml" in names:
        found = "xlsx"
    elif "content.xml" in names and "mimetype" in names:
        found = "ods"
    else:
        _refuse(path, "a zip archive, but not an .xlsx or .ods workbook (no xl/workbook.xml or content.xml)")
    return found


def _refuse_wrong_name(path: Path, found: str) -> None:
    suffix = path.suffix.lower()
    expected = _XLSX_SUFFIXES if found == "xlsx" else _ODS_SUFFIXES
    if suffix not in expected:
        _refuse(path, f"the file is an {found.upper()} workbook but its name ends {suffix or 'without a suffix'}: "
                      f"rename it to end {expected[0]}")


# --- workbooks: the zip container --------------------------------------------------------

def _members(path: Path, zf: zipfile.ZipFile, file_size: int) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        _refuse(path, f"the workbook holds {len(infos):,} parts; more than {ZIP_MAX_MEMBERS:,} is not a workbook")
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            _refuse(path, f"the workbook holds two parts named {info.filename!r}")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            _refuse(path, "the workbook is encrypted (password-protected): save an unprotected copy")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            _refuse(path, f"part {info.filename!r} is compressed in a way spreadsheets do not use "
                          f"(method {info.compress_type}): save the workbook again from Excel or LibreOffice")
    if sum(i.compress_size for i in infos) > file_size:
        _refuse(path, "the workbook's parts overlap one another inside the zip (a zip bomb), so it is not read")
    declared = sum(i.file_size for i in infos)
    allowed = min(INFLATED_MAX_BYTES, max(INFLATED_FLOOR, INFLATION_RATIO * file_size))
    if declared > allowed:
        _refuse(path, f"the workbook would inflate from {_size(file_size)} to {_size(declared)} "
                      f"(at most {_size(allowed)} is read), so it is not opened")
    return infos


def _inflate(path: Path, fh: io.BytesIO, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, which must be exactly its declared size and checksum."""
    size = len(fh.getbuffer())
    if not (0 <= info.header_offset <= size - 30 and 0 <= info.compress_size <= size and info.file_size >= 0):
        _refuse(path, f"part {info.filename!r} lies outside the file: the zip is damaged")
    fh.seek(info.header_offset)
    local = fh.read(30)
    if local[:4] != b"PK\x03\x04":
        _refuse(path, f"part {info.filename!r} is damaged (no local header): the zip is broken")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_length + extra_length)
    raw = fh.read(info.compress_size)
    if len(raw) != info.compress_size:
        _refuse(path, f"part {info.filename!r} is cut short: the file is truncated")
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    else:
        inflater = zlib.decompressobj(-15)
        try:
            data = inflater.decompress(raw, info.file_size + 1)
        except zlib.error as exc:
            _refuse(path, f"part {info.filename!r} cannot be inflated ({exc}): the zip is damaged")
        if len(data) > info.file_size:
            _refuse(path, f"part {info.filename!r} inflates to more than the {_size(info.file_size)} it declares "
                          "(a zip bomb, or a damaged zip), so the workbook is not opened")
        if not inflater.eof:
            _refuse(path, f"part {info.filename!r} ends before its compressed data does: the zip is damaged")
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        _refuse(path, f"part {info.filename!r} does not match its declared size or checksum: the zip is damaged")
    return data


def _refuse_dtd(path: Path, name: str, data: bytes) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        _refuse(path, f"part {name!r} declares a DTD or entities, which spreadsheets never do; not read")


def _parse_xml(path: Path, name: str, data: bytes) -> ElementTree.Element:
    _refuse_dtd(path, name, data)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        _refuse(path, f"part {name!r} is not valid XML ({exc})")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element: ElementTree.Element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


# --- workbooks: how big each sheet's grid is, and where formulas lost their values --------

# The last cell of a worksheet (Excel's limits); a reference beyond it is not a cell.
_LAST_ROW = 1_048_576
_LAST_COLUMN = 16_384
# calamine reads lower-case column letters too ("b2" is B2).
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


@dataclass
class _Grid:
    """What a sheet's XML says about the grid calamine will build for it (never less)."""

    rows: int = 0
    columns: int = 0
    unsaved: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return self.rows * self.columns


class _NotASheet(Exception):
    """A worksheet's XML that calamine must not be given; the message says why."""


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


class _XlsxSheetScan:
    """One pass of expat over a worksheet: the extent of its cells, and its unsaved formulas.

    Element names are matched on their local name, as calamine matches them, so a prefix
    ("x:c") changes nothing; a cell without a reference takes the next column and a row
    without one the next row, as calamine places them.  Every ``c`` element with a value or a
    formula counts (calamine keeps those; an empty, styled cell it drops), so the grid found
    is never smaller than calamine's.  Only start tags are handled (a cell is settled when
    the next one starts), and text only inside a formula, because this runs over every cell
    of a sheet before calamine reads it.
    """

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.grid = _Grid()
        self.row = -1
        self.column = -1
        # The cell being read: row, column, whether it has a formula and whether a value.
        self.cell_row = self.cell_column = -1
        self.has_formula = self.has_value = False
        self.formula: list[str] = []
        self.cell_type: str | None = None
        # The text of a formula cell's <v>, collected only to tell an empty one.
        self.value_text: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.formula or self.value_text is not None:
            self.parser.CharacterDataHandler = None
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "v" or name == "is":
            self.has_value = True
            if self.has_formula and name == "v" and self.cell_type != "str":
                # openpyxl writes <f>...</f><v></v>: a value element with nothing in it.
                self.value_text = []
                self.parser.CharacterDataHandler = self.value_text.append
        elif name == "c":
            self.settle()
            self.cell_type = attrs.get("t")
            ref = attrs.get("r")
            if ref is None:
                self.column += 1
                self.cell_row = max(self.row, 0)
            else:
                self.cell_row, self.column = self._position(ref)
            self.cell_column = self.column
        elif name == "row":
            self.settle()
            ref = attrs.get("r")
            if ref is None:
                self.row += 1
            elif ref.isascii() and ref.isdigit() and 1 <= int(ref) <= _LAST_ROW:
                self.row = int(ref) - 1
            else:
                raise _NotASheet(f"row number {ref!r} is not a worksheet row (1 to {_LAST_ROW:,})")
            self.column = -1
        elif name == "f" and self.cell_row >= 0:
            self.has_formula = True
            self.formula = [""]
            self.parser.CharacterDataHandler = self.formula.append

    def _position(self, ref: str) -> tuple[int, int]:
        m = _REF.fullmatch(ref)
        if m is None:
            raise _NotASheet(f"cell reference {ref!r} is not a cell name such as B7")
        row, column = int(m.group(2)) - 1, _column_number(m.group(1)) - 1
        if not (0 <= row < _LAST_ROW and column < _LAST_COLUMN):
            raise _NotASheet(f"cell reference {ref!r} lies outside a worksheet (the last cell is XFD1048576)")
        return row, column

    def settle(self) -> None:
        """Account for the cell read last, now that everything inside it has been seen."""
        if self.cell_row >= 0 and (self.has_formula or self.has_value):
            self.grid.rows = max(self.grid.rows, self.cell_row + 1)
            self.grid.columns = max(self.grid.columns, self.cell_column + 1)
            saved = self.has_value and (self.value_text is None or "".join(self.value_text).strip())
            if self.has_formula and not saved:
                self.grid.unsaved.append((self.cell_row, self.cell_column, "".join(self.formula).strip()))
        self.cell_row = -1
        self.has_formula = self.has_value = False
        self.formula = []
        self.value_text = None
        self.parser.CharacterDataHandler = None


def _no_dtd(*_: object) -> None:
    raise _NotASheet("it declares a DTD or entities, which spreadsheets never do")


# Every start tag of a cell, with its reference when written as Excel, LibreOffice and
# openpyxl write it (r="..." first) and the rest of the tag, and every formula.  A match
# without a reference sends the sheet to the full parse.  The rest runs to the next "<"
# (XML allows none in an attribute value), so a second r, which calamine would take instead
# of the first, is in it.
_CELL_TAGS = re.compile(rb'<(?:c(?=[\s/>])(?: r="([A-Z]{1,3})([0-9]{1,7})"([^<]*))?|f(?=[\s/>]))')
_AN_R = re.compile(rb"\sr\s*=")
# An element name with a prefix ("x:c"), which calamine reads as the unprefixed one.
_PREFIXED = re.compile(rb":(?:c|row|f|v|is)[\s/>]")
_SLICE = 8 * 1024 * 1024


def _xlsx_grid_quickly(data: bytes) -> _Grid | None:
    """The grid of a worksheet written the usual way, without parsing it; ``None`` otherwise.

    Counts every cell, with a value or not, so it is never smaller than calamine's grid.
    It runs over whole slices in C (a regex and set operations), so a sheet of 2.6 million
    cells takes a second or two rather than the several of a full parse; a sheet with
    formulas, prefixed names, a cell whose reference is not written first or a second r in a
    cell's tag goes to ``_xlsx_grid``.
    """
    if _PREFIXED.search(data):
        return None
    letters: set[bytes] = set()
    last_row = 0
    start = 0
    while start < len(data):
        end = data.find(b">", min(start + _SLICE, len(data) - 1))
        end = len(data) if end < 0 else end + 1
        found = _CELL_TAGS.findall(data, start, end)
        start = end
        if not found:
            continue
        seen = set(map(itemgetter(0), found))
        if b"" in seen or any(_AN_R.search(rest) for rest in set(map(itemgetter(2), found))):
            return None
        letters |= seen
        numbers = set(map(int, set(map(itemgetter(1), found))))
        if 0 in numbers:
            return None  # row 0 is no row: the full parse names the cell
        last_row = max(last_row, *numbers)
    if not letters:
        return _Grid()
    columns = max(_column_number(a.decode()) for a in letters)
    if last_row > _LAST_ROW or columns > _LAST_COLUMN:
        return None  # the full parse names the cell
    return _Grid(last_row, columns)


def _xlsx_grid(data: bytes) -> _Grid:
    """The grid and unsaved formulas of one worksheet's XML (``_NotASheet`` if it is unfit)."""
    quick = _xlsx_grid_quickly(data)
    if quick is not None and quick.cells <= MAX_CELLS:
        return quick
    parser = expat.ParserCreate()
    scan = _XlsxSheetScan(parser)
    parser.StartElementHandler = scan.start
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _NotASheet(f"it is not well-formed XML ({expat.errors.messages[exc.code]}, "
                         f"line {exc.lineno})") from None
    scan.settle()
    return scan.grid


# ODS: calamine matches the "table:" names literally, and reads attributes written with
# either quote and spaces around "=".  Attribute values may hold ">", so tags are matched
# quote by quote.
_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)"""
_ODS_TABLE = re.compile(rb"<table:table(?=[\s>/])" + _ATTRS + rb"(/?)>")
_ODS_TABLE_END = b"</table:table>"
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s>/])" + _ATTRS + rb"(/?)>")
_ROWS_REPEATED = re.compile(rb"""table:number-rows-repeated\s*=\s*["']\s*([0-9]+)""")
_COLUMNS_REPEATED = re.compile(rb"""table:number-columns-repeated\s*=\s*["']\s*([0-9]+)""")
_ODS_NAME = re.compile(rb"""table:name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ODS_VALUE_TYPE = re.compile(rb"office:value-type\s*=")
_ODS_FORMULA = re.compile(rb"""table:formula\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _repeat(pattern: re.Pattern[bytes], attrs: bytes) -> int:
    m = pattern.search(attrs)
    return int(m.group(1)) if m else 1


def _ods_tables(data: bytes) -> Iterator[tuple[str, int, int]]:
    """(name, start, end) of each table in content.xml (``_NotASheet`` past ``MAX_SHEETS``)."""
    position = 0
    seen = 0
    while (m := _ODS_TABLE.search(data, position)) is not None:
        seen += 1
        if seen > MAX_SHEETS:
            raise _NotASheet(f"it holds more than {MAX_SHEETS:,} tables")
        found = _ODS_NAME.search(m.group(1))
        raw = (found.group(1) if found.group(1) is not None else found.group(2)) if found else b""
        name = html.unescape(raw.decode("utf-8", errors="replace"))
        if m.group(2):
            position = m.end()
            yield name, m.end(), m.end()
            continue
        end = data.find(_ODS_TABLE_END, m.end())
        end = len(data) if end < 0 else end
        yield name, m.end(), end
        position = end


def _ods_row_width(body: bytes) -> int:
    """Columns up to the last cell with a value type (or any text) in a row, repeats counted.

    calamine leaves out trailing cells without a value, so the runs of empty cells that
    LibreOffice writes to the last column (``number-columns-repeated="16373"``) cost nothing.
    """
    last = max(body.rfind(b"office:value-type"), body.rfind(b"<text:"))
    if last < 0:
        return 0
    # The tag holding that attribute ends before the next "<" (XML allows no "<" in a value).
    boundary = body.find(b"<", last + 1)
    boundary = len(body) if boundary < 0 else boundary
    if body.find(b"columns-repeated", 0, boundary) < 0:
        # Every cell up to the last one holding something is written out: count the tags.
        return (body.count(b"<table:table-cell", 0, boundary)
                + body.count(b"<table:covered-table-cell", 0, boundary))
    width = position = 0
    for m in _ODS_CELL.finditer(body):
        position += _repeat(_COLUMNS_REPEATED, m.group(1))
        if _ODS_VALUE_TYPE.search(m.group(1)) or not m.group(2):
            width = position
    return width


def _ods_grids(data: bytes) -> dict[str, _Grid]:
    """Each table's grid as calamine builds it, and its cells with a formula but no value.

    A content.xml written as LibreOffice and Excel write one (no repeat but the empty run that
    ends a row, no formula, no merged cells) is measured as a whole in a few passes in C, as
    one grid at least as large as all the tables together (``ALL_SHEETS``): every row element
    counts, and every repeat of a row that has a value or is followed by one in its table; a
    row is as wide as its cell tags.  Anything else is measured table by table, row by row.
    """
    if b"office:value-type" not in data:
        return {}
    if (data.count(b"columns-repeated") == len(_LIBREOFFICE_TAIL.findall(data))
            and b"table:formula" not in data and b"covered-table-cell" not in data):
        rows = data.count(_ROW_START)
        # A repeat counts when a value follows it in its table: find each table's last value.
        ends: list[int] = []
        while (found := data.find(_ODS_TABLE_END, ends[-1] + 1 if ends else 0)) >= 0:
            ends.append(found)
            if len(ends) > MAX_SHEETS:
                raise _NotASheet(f"it holds more than {MAX_SHEETS:,} tables")
        ends.append(len(data))
        last_values = [data.rfind(b"office:value-type", ends[i - 1] if i else 0, end) for i, end in enumerate(ends)]
        for m in _ANY_ROWS_REPEATED.finditer(data):
            if m.end() < last_values[bisect.bisect_left(ends, m.end())]:
                rows += int(m.group(1)) - 1
        width = max(map(methodcaller("count", b"<table:table-cell"), data.split(b"</table:table-row>")))
        return {ALL_SHEETS: _Grid(rows, width)}
    grids: dict[str, _Grid] = {}
    for name, start, end in _ods_tables(data):
        grid = _ods_table_grid_by_row(data, start, end)
        known = grids.setdefault(name, grid)
        if known is not grid:  # two tables of one name: count both
            known.rows, known.columns = known.rows + grid.rows, max(known.columns, grid.columns)
            known.unsaved.extend(grid.unsaved)
    return grids


ALL_SHEETS = "(all sheets)"
_ROW_START = b"<table:table-row"
_ODS_CHUNK = 16 * 1024 * 1024
# The run of empty cells LibreOffice ends a row with, as it writes it.
_LIBREOFFICE_TAIL = re.compile(rb'<table:table-cell table:number-columns-repeated="[0-9]+"/></table:table-row>')
_ANY_ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["']\s*([0-9]+)""")
# On the text after each "<table:table-row": a real row (not "-group" or "s"), its repeat,
# whether its start tag closes it, and the run of empty cells LibreOffice ends rows with.
_QUOTED_TAG = r"""(?:[^>"']|"[^"]*"|'[^']*')*?"""
_IS_ROW = r"^[\s/>]"
_ROW_REPEAT = "^" + _QUOTED_TAG + r"""number-rows-repeated\s*=\s*["']\s*(?P<n>[0-9]+)"""
_SELF_CLOSED = "^" + _QUOTED_TAG + "/>"
_EMPTY_TAIL = r"<table:table-cell[^<]*columns-repeated[^<]*/>\s*</table:table-row>\s*$"
_VALUED_TAIL = r"office:value-type[^<]*/>\s*</table:table-row>\s*$"


def _ods_table_grid_by_row(data: bytes, start: int, end: int) -> _Grid:
    """One table's grid, its rows measured in C (Arrow) a slice at a time.

    A row's width is its number of cell tags, less the empty run at its end; a row with
    any other repeat, or a formula, is measured cell by cell (``_ods_row_width``).
    """
    grid = _Grid()
    row = 0
    position = start
    while position < end:
        cut = data.find(_ROW_START, min(position + _ODS_CHUNK, end), end)
        cut = end if cut < 0 else cut
        pieces = pc.split_pattern(pa.array([data[position:cut]], pa.large_binary()), _ROW_START).flatten()
        pieces = pieces.filter(pc.match_substring_regex(pieces, _IS_ROW))
        position = cut
        if len(pieces) == 0:
            continue
        written = pc.struct_field(pc.extract_regex(pieces, _ROW_REPEAT), [0])
        if pc.any(pc.greater(pc.binary_length(written), 12)).as_py():
            raise _NotASheet("a row is repeated more than a trillion times")
        repeats = pc.fill_null(pc.cast(written, pa.int64()), 1)
        closed = pc.match_substring_regex(pieces, _SELF_CLOSED)
        valued = pc.or_(pc.match_substring(pieces, "office:value-type"), pc.match_substring(pieces, "<text:"))
        cells_ = pc.add(pc.count_substring(pieces, "<table:table-cell"),
                        pc.count_substring(pieces, "<table:covered-table-cell"))
        runs = pc.count_substring(pieces, "columns-repeated")
        empty_tail = pc.and_(pc.match_substring_regex(pieces, _EMPTY_TAIL),
                             pc.invert(pc.match_substring_regex(pieces, _VALUED_TAIL)))
        simple = pc.or_(pc.equal(runs, 0), pc.and_(pc.equal(runs, 1), empty_tail))
        width = pc.if_else(pc.and_(valued, pc.invert(closed)),
                           pc.subtract(cells_, pc.cast(pc.and_(pc.equal(runs, 1), empty_tail), pa.int64())), 0)
        ends = pc.add(pc.cumulative_sum(repeats), row)
        careful = pc.and_(pc.and_(valued, pc.invert(closed)), pc.invert(simple))
        formulas = pc.match_substring(pieces, "table:formula")
        odd = pc.indices_nonzero(pc.or_(careful, formulas)).to_pylist()
        if odd:
            widths = width.to_pylist()
            for i in odd:
                body = pieces[i].as_py()
                if careful[i].as_py():
                    widths[i] = _ods_row_width(body)
                if formulas[i].as_py():
                    grid.unsaved.extend(_ods_unsaved(body, ends[i].as_py() - repeats[i].as_py()))
            width = pa.array(widths, pa.int64())
        holding = pc.greater(width, 0)
        if pc.any(holding).as_py():
            grid.rows = max(grid.rows, pc.max(pc.filter(ends, holding)).as_py())
            grid.columns = max(grid.columns, pc.max(width).as_py())
        row = ends[-1].as_py()
    return grid


def _ods_unsaved(body: bytes, row: int) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    column = 0
    for m in _ODS_CELL.finditer(body):
        attrs = m.group(1)
        formula = _ODS_FORMULA.search(attrs)
        if formula and not _ODS_VALUE_TYPE.search(attrs):
            text_ = formula.group(1) if formula.group(1) is not None else formula.group(2)
            found.append((row, column, html.unescape(text_.decode("utf-8", errors="replace"))))
        column += _repeat(_COLUMNS_REPEATED, attrs)
    return found

# --- workbooks: opening ------------------------------------------------------------------

@dataclass
class _Checked:
    format: str
    # Sheet name -> cells holding a formula without a saved value (row, column, formula).
    unsaved: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)


# Workbooks already checked, by content digest: a workbook is opened by the sniffers and
# then by its reader, and the checks inflate and parse every sheet.
_CHECKED: dict[bytes, _Checked] = {}
_CHECKED_KEEP = 8


def _check(path: Path, data: bytes) -> _Checked:
    digest = hashlib.blake2b(data, digest_size=20).digest()
    cached = _CHECKED.get(digest)
    if cached is not None:
        return cached
    checked = _check_uncached(path, data)
    if len(_CHECKED) >= _CHECKED_KEEP:
        _CHECKED.pop(next(iter(_CHECKED)))
    _CHECKED[digest] = checked
    return checked


# The central directory of a zip that holds ZIP_MAX_MEMBERS parts with long names.
_CENTRAL_DIRECTORY_MAX_BYTES = 8 * 1024 * 1024


def _refuse_large_directory(path: Path, data: bytes) -> None:
    """Refuse, from the end record, a zip whose directory alone would be large to read.

    ``zipfile`` builds an object for every entry of the central directory before anyone can
    count them, so a 200 MB file of four million empty entries would take gigabytes.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # zipfile says what is wrong
    entries, directory = struct.unpack("<HI", data[end + 10:end + 16])
    locator = data.rfind(b"PK\x06\x07", max(0, end - 20), end)
    if locator >= 0 and locator + 20 <= len(data):
        record = struct.unpack("<Q", data[locator + 8:locator + 16])[0]
        if 0 <= record <= len(data) - 56 and data[record:record + 4] == b"PK\x06\x06":
            entries, directory = struct.unpack("<QQ", data[record + 32:record + 48])
    if entries > ZIP_MAX_MEMBERS or directory > _CENTRAL_DIRECTORY_MAX_BYTES:
        _refuse(path, f"the workbook's zip directory lists {entries:,} parts in {_size(directory)}; "
                      f"more than {ZIP_MAX_MEMBERS:,} parts is not a workbook")


def _check_uncached(path: Path, data: bytes) -> _Checked:
    fh = io.BytesIO(data)
    zf: zipfile.ZipFile | None = None
    if data.startswith(b"PK"):
        _refuse_large_directory(path, data)
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error,
                OverflowError, NotImplementedError) as exc:
            _refuse(path, f"not a readable workbook: the zip is damaged ({exc})")
    fmt = _format_of(path, data, zf)
    assert zf is not None
    infos = _members(path, zf, len(data))
    parts = {i.filename: i for i in infos}
    names = _xlsx_sheet_parts(path, fh, parts) if fmt == "xlsx" else {}
    if len(names) > MAX_SHEETS:
        _refuse(path, f"the workbook holds {len(names):,} sheets; more than {MAX_SHEETS:,} is not read")
    grids: dict[str, _Grid] = {}
    for info in infos:
        member = _inflate(path, fh, info)
        if fmt == "ods":
            if info.filename == "mimetype" and member.strip() != _ODS_MIMETYPE:
                _refuse(path, "an OpenDocument file, but not a spreadsheet (its mimetype is "
                              f"{member[:80].decode('ascii', errors='replace')!r})")
            if info.filename == "content.xml":
                _require_utf8_xml(path, info.filename, member)
                try:
                    grids.update(_ods_grids(member))
                except _NotASheet as exc:
                    _refuse(path, f"content.xml cannot be read safely: {exc}")
        elif info.filename in names.values() or (info.filename.endswith(".xml") and b"sheetData" in member):
            _require_utf8_xml(path, info.filename, member)
            label = next((n for n, p in names.items() if p == info.filename), info.filename)
            try:
                grids[label] = _xlsx_grid(member)
            except _NotASheet as exc:
                _refuse(path, f"sheet {label!r} cannot be read safely: {exc}")
        del member
    total = sum(g.cells for g in grids.values())
    if total > MAX_CELLS:
        name, widest = max(grids.items(), key=lambda kv: kv[1].cells)
        which = "they run" if name == ALL_SHEETS else f"sheet {name!r} runs"
        _refuse(path, f"the workbook's sheets span {total:,} cells, more than the {MAX_CELLS:,} read "
                      f"({which} to row {widest.rows:,} and column {widest.columns:,}): "
                      "is something stored far below or to the right of the table?")
    return _Checked(fmt, {name: sorted(g.unsaved) for name, g in grids.items() if g.unsaved})


def _require_utf8_xml(path: Path, name: str, data: bytes) -> None:
    """The scans read XML as UTF-8 bytes; a part in UTF-16 would slip past them."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:1024]:
        _refuse(path, f"part {name!r} is not UTF-8 XML: save the workbook again from Excel or LibreOffice")


_RELS = "xl/_rels/workbook.xml.rels"


def _xlsx_sheet_parts(path: Path, fh: io.BytesIO, parts: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Sheet name -> the zip part holding its XML, as workbook.xml and its relationships say."""
    book = _parse_xml(path, "xl/workbook.xml", _inflate(path, fh, parts["xl/workbook.xml"]))
    targets: dict[str, str] = {}
    if _RELS in parts:
        rels = _parse_xml(path, _RELS, _inflate(path, fh, parts[_RELS]))
        for rel in rels.iter():
            target = rel.get("Target")
            if _local(rel.tag) == "Relationship" and rel.get("Id") and target:
                resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[rel.get("Id", "")] = resolved
    sheets: dict[str, str] = {}
    for element in book.iter():
        rid = _attr(element, "id")
        if _local(element.tag) == "sheet" and rid in targets:
            sheets[element.get("name") or ""] = targets[rid]
    return sheets


_CALAMINE_ERRORS = (python_calamine.CalamineError, OSError, ValueError, OverflowError, IndexError, KeyError)


@dataclass
class Workbook:
    """A workbook that passed the checks in the module docstring, open in calamine."""

    path: Path
    format: str  # "xlsx" or "ods"
    sheet_names: list[str]
    _book: python_calamine.CalamineWorkbook
    _unsaved: dict[str, list[tuple[int, int, str]]]

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(python_calamine.CalamineError):  # already closed
            self._book.close()

    def rows(self, sheet: str, *, nrows: int | None = None) -> list[list[Cell]]:
        """The sheet's cells from A1, so list positions are the row and column numbers shown."""
        try:
            grid = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False, nrows=nrows)
        except _CALAMINE_ERRORS as exc:
            raise InputError(self.path, f"cannot read the sheet: {exc}", where=f"sheet {sheet!r}") from None
        return cast(list[list[Cell]], grid)

    def merged_cells(self, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges as ((first row, first column), (last row, last column)), 0-based."""
        try:
            merges = self._book.get_sheet_by_name(sheet).merged_cell_ranges
        except _CALAMINE_ERRORS as exc:
            raise InputError(self.path, f"cannot read the sheet: {exc}", where=f"sheet {sheet!r}") from None
        return list(merges or [])

    def unsaved_formulas(self, sheet: str) -> list[tuple[int, int, str]]:
        """(row, column, formula) of the sheet's cells holding a formula but no saved value."""
        return list(self._unsaved.get(sheet, []))

    def refuse_unsaved_formulas(self, sheet: str) -> None:
        """Raise for the sheet's first cell holding a formula without a saved value.

        calamine reads such a cell as blank, and a reader would take the blank for a figure
        that is not available; the workbook has to be opened and saved again.
        """
        cells = self.unsaved_formulas(sheet)
        if not cells:
            return
        row, column, formula = cells[0]
        body = formula.removeprefix("of:").removeprefix("=")
        shown = f" (={body})" if body else ""
        more = f"; {len(cells) - 1:,} more cell(s) likewise" if len(cells) > 1 else ""
        raise InputError(self.path, f"cell {cell_ref(row, column)} holds a formula with no saved value{shown}: "
                                    f"open the workbook in Excel and save it again{more}",
                         row + 1, where=f"sheet {sheet!r}")


def open_workbook(path: str | Path) -> Workbook:
    """Check a workbook as the module docstring says, then open it with calamine.

    calamine is given the very bytes that were checked, and reads them by their content.
    """
    p = Path(path)
    data = read_bytes(p, limit=WORKBOOK_MAX_BYTES, what="workbook")
    if not data:
        _refuse(p, "the file is empty")
    if p.suffix.lower() in _BINARY_SUFFIXES:
        _refuse(p, f"binary workbooks ({p.suffix.lower()}) are not read, because they cannot be checked before "
                   "they are opened: save it as .xlsx (or .ods)")
    checked = _check(p, data)
    _refuse_wrong_name(p, checked.format)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except _CALAMINE_ERRORS as exc:
        raise InputError(p, f"cannot read as a spreadsheet workbook: {exc}") from None
    return Workbook(p, checked.format, names, book, checked.unsaved)
