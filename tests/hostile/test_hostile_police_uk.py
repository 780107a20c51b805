"""Hostile data.police.uk inputs through the real command: archives, folders and single street,
outcomes and stop-and-search CSVs, every one built from real published files with one thing
wrong.  Each is refused with one line naming the file (and the line where there is one), exit
code 3, no traceback, within a time and memory ceiling, and the store exactly as it was (the
store holds West Mercia's real 2018-10 street crime and seven forces' December 2019 stop and
search, so a file that slipped through would show as a change or a revision).
"""

from __future__ import annotations

import os
import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from harness import POLICE_UK, Case, Make, Outcome, check, run_all, write

from scorecard.areas import forces
from scorecard.errors import InputError
from scorecard.ingest import ingest_path
from scorecard.sources import police_uk
from scorecard.store import Store

OCTOBER, NOVEMBER = POLICE_UK / "2018-10.zip", POLICE_UK / "2018-11.zip"
STOP_SEARCH = POLICE_UK / "stop-and-search-2019-12.zip"
THAMES_VALLEY = POLICE_UK / "thames-valley-2022-01-custom-download.zip"
pytestmark = pytest.mark.skipif(not OCTOBER.exists(), reason="needs ../shared/data/police-uk")

WM = "2018-10-west-mercia-street.csv"
WM_MEMBER = f"2018-10/{WM}"
SS_NAME = "2019-12-leicestershire-stop-and-search.csv"


# --- real bytes ------------------------------------------------------------------------------

@cache
def member(archive: Path, name: str) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        return zf.read(name)


def west_mercia() -> bytes:
    """West Mercia's October 2018 street file as published (11,006 rows; the store holds it)."""
    return member(OCTOBER, WM_MEMBER)


def kent() -> bytes:
    return member(OCTOBER, "2018-10/2018-10-kent-street.csv")


def merseyside_stops() -> bytes:
    return member(STOP_SEARCH, "2019-12/2019-12-merseyside-stop-and-search.csv")


def leicestershire_stops() -> bytes:
    return member(STOP_SEARCH, "2019-12/2019-12-leicestershire-stop-and-search.csv")


def with_line(data: bytes, line: int, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` with its ``line``-th line (1-based) changed."""
    lines = data.split(b"\n")
    lines[line - 1] = change(lines[line - 1])
    return b"\n".join(lines)


def cell(column: int, value: bytes) -> Callable[[bytes], bytes]:
    """A change to one line: its ``column``-th (0-based) comma-separated cell becomes ``value``."""

    def change(row: bytes) -> bytes:
        cells = row.split(b",")
        cells[column] = value
        return b",".join(cells)

    return change


def insert_at(line: int, column_text: bytes, new: bytes) -> Callable[[bytes], bytes]:
    return lambda data: with_line(data, line, lambda row: row.replace(column_text, column_text + new, 1))


# --- inputs ----------------------------------------------------------------------------------

def csv(name: str, data: Callable[[], bytes]) -> Make:
    return lambda folder: write(folder, name, data())


def edited_wm(line: int, change: Callable[[bytes], bytes], name: str = WM) -> Make:
    return csv(name, lambda: with_line(west_mercia(), line, change))


def zipped(members: Callable[[], list[tuple[str, bytes]]], name: str = "2018-10.zip",
           compression: int = zipfile.ZIP_DEFLATED) -> Make:
    def make(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w", compression) as zf:
            for member_name, data in members():
                zf.writestr(member_name, data)
        return path

    return make


def patched(make: Make, patch: Callable[[bytearray], None]) -> Make:
    """An archive built by ``make`` with its bytes then altered by ``patch``."""

    def build(folder: Path) -> Path:
        path = make(folder)
        data = bytearray(path.read_bytes())
        patch(data)
        path.write_bytes(bytes(data))
        return path

    return build


def in_folder(*entries: tuple[str, Callable[[Path], None]]) -> Make:
    """A folder ``police-uk`` holding the given entries (each made by a function of its path)."""

    def make(folder: Path) -> Path:
        root = folder / "police-uk"
        root.mkdir()
        for name, create in entries:
            folder_path = root
            for part in Path(name).parent.parts:  # one level at a time: mkdir(parents=True) recurses
                folder_path = folder_path / part
                folder_path.mkdir(exist_ok=True)
            create(root / name)
        return root

    return make


def fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def holding(data: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data())


WM_ONE_MEMBER = lambda: [(WM_MEMBER, west_mercia())]  # noqa: E731
# Kent's October is not in the store, so an archive of it is read (one of West Mercia's would
# be recognised by its CRC as already loaded, and not read at all).
KENT_MEMBER = "2018-10/2018-10-kent-street.csv"
KENT_ONE_MEMBER = lambda: [(KENT_MEMBER, kent())]  # noqa: E731


def _central_entries(data: bytes | bytearray) -> Iterator[int]:
    """Offsets of the central directory's entries."""
    at = data.index(b"PK\x01\x02")
    while data[at:at + 4] == b"PK\x01\x02":
        yield at
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, at + 28)
        at += 46 + name_len + extra_len + comment_len


def set_flag(bit: int) -> Callable[[bytearray], None]:
    def patch(data: bytearray) -> None:
        struct.pack_into("<H", data, 6, struct.unpack_from("<H", data, 6)[0] | bit)
        for at in _central_entries(data):
            struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | bit)

    return patch


def set_method(method: int) -> Callable[[bytearray], None]:
    def patch(data: bytearray) -> None:
        struct.pack_into("<H", data, 8, method)
        for at in _central_entries(data):
            struct.pack_into("<H", data, at + 10, method)

    return patch


def rename_in_local_header(data: bytearray) -> None:
    """The local header says ``...-kent-street.csv`` where the directory says West Mercia."""
    at = data.index(b"west-mercia")
    data[at:at + len(b"west-mercia-street")] = b"kent-street".ljust(len(b"west-mercia-street"), b"-")


def overlapping(entries: int) -> Make:
    """One real deflated member and ``entries`` directory entries all pointing at it, each
    named for another force (so each looks like a police member of ordinary ratio)."""

    def make(folder: Path) -> Path:
        data = west_mercia()
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = deflate.compress(data) + deflate.flush()
        crc = zlib.crc32(data)
        names = [f"2018-10/2018-10-{f}-street.csv".encode() for f in sorted(forces())][:entries]
        local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), len(data),
                            len(names[0]), 0) + names[0] + packed
        directory = b"".join(
            struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), len(data),
                        len(n), 0, 0, 0, 0, 0, 0) + n for n in names)
        end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(names), len(names), len(directory), len(local), 0)
        return write(folder, "2018-10.zip", local + directory + end)

    return make


def ratio_members(count: int, ratio: int) -> list[tuple[str, bytes]]:
    """``count`` police-named members, each of about ``ratio``:1 compression (random bytes
    among zeros), so each is under the per-member limit."""
    rng = random.Random(7)
    out = []
    for f in sorted(forces())[:count]:
        block = rng.randbytes(1000) + bytes(1000 * ratio)
        out.append((f"2018-10/2018-10-{f}-street.csv", block * 40))
    return out


def many_stored(count: int, police: bool) -> Make:
    """An archive of ``count`` tiny stored members: junk files, or police-named members whose
    last row of the last member is for the wrong month (so all of them are read, then refused)."""

    def make(folder: Path) -> Path:
        path = folder / "many.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
            if not police:
                for i in range(count):
                    zf.writestr(f"junk/{i}.txt", b"x")
                zf.writestr(WM_MEMBER, with_line(west_mercia()[:5000], 3, lambda row: row + b"\0"))
                return path
            for i, (name, data) in enumerate(_police_members(count)):
                zf.writestr(name, data.replace(b",20", b",2001", 1) if i == count - 1 else data)
        return path

    return make


def _police_members(count: int) -> Iterator[tuple[str, bytes]]:
    """``count`` distinct police-named one-row members, each right for its name."""
    rows = {"street": "{id},{m},{by},{by},-2.0,52.0,On or near X,E01000001,X 001A,Burglary,Under investigation,",
            "outcomes": "{id},{m},{by},{by},-2.0,52.0,On or near X,E01000001,X 001A,Suspect charged",
            "stop-and-search": "Person search,{m}-05T10:00:00+00:00,False,,,,Male,18-24,,White,"
                               "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False"}
    made = 0
    for year in range(2011, 2026):
        for month in range(1, 13):
            for f in forces().values():
                for kind in police_uk.KINDS:
                    if made == count:
                        return
                    m = f"{year}-{month:02d}"
                    row = rows[kind].format(id=f"{made:064x}", m=m, by=f.police_uk_name)
                    yield f"{m}/{m}-{f.force_id}-{kind}.csv", f"{','.join(police_uk.HEADERS[kind])}\n{row}\n".encode()
                    made += 1


def bomb(megabytes: int) -> list[tuple[str, bytes]]:
    return [(WM_MEMBER, west_mercia()[:300]), ("2018-10/2018-10-kent-street.csv", bytes(megabytes << 20))]


def stop_search_of_october(line: int, change: Callable[[bytes], bytes]) -> Make:
    """Durham's real December 2019 stop and search, re-dated to October 2018, with one line changed."""
    def data() -> bytes:
        durham = member(STOP_SEARCH, "2019-12/2019-12-durham-stop-and-search.csv").replace(b"2019-12-", b"2018-10-")
        return with_line(durham, line, change)

    return csv("2018-10-durham-stop-and-search.csv", data)


def stop_search_line(line: int, change: Callable[[bytes], bytes]) -> Make:
    return csv(SS_NAME, lambda: with_line(leicestershire_stops(), line, change))


ESC_NAME = "\x1b[31mred\x1b[0m/" + WM
MARKUP_NAME = "[bold]loud[/bold]/" + WM
BIDI_NAME = "right-to-left\u202eVSC/" + WM
NUL_AT_3 = lambda: with_line(west_mercia(), 3, lambda row: row + b"\0")  # noqa: E731


# --- the cases -------------------------------------------------------------------------------

FORCE_AND_MONTH = [
    Case("kent-as-west-mercia", "Kent's real October 2018 file saved as West Mercia's is refused at its first row",
         csv(WM, kent), line=2, says="reported by 'Kent Police' but the file name says west-mercia"),
    Case("kent-as-west-mercia-in-zip", "the same file as a member of an archive is refused, naming the member",
         zipped(lambda: [(WM_MEMBER, kent())]), line=2, names=f"2018-10.zip!{WM_MEMBER}", says="Kent Police"),
    Case("kent-as-west-mercia-in-folder", "the same file in a folder is refused, naming it in the folder",
         in_folder(("2018-10/" + WM, holding(kent))), line=2, names=f"police-uk/2018-10/{WM}"),
    Case("outcomes-of-thames-valley", "Thames Valley's real outcomes saved as West Mercia's are refused",
         csv("2022-01-west-mercia-outcomes.csv",
             lambda: member(THAMES_VALLEY, "2022-01/2022-01-thames-valley-outcomes.csv")),
         line=2, says="reported by 'Thames Valley Police'"),
    Case("stops-of-merseyside", "Merseyside's real stop and search saved as Leicestershire's is refused by place",
         csv(SS_NAME, merseyside_stops), says=r"lie outside Leicestershire's police force area"),
    Case("stops-of-merseyside-in-zip", "the same, as a member of an archive",
         zipped(lambda: [(f"2019-12/{SS_NAME}", merseyside_stops())], "2019-12.zip"), says="outside Leicestershire"),
    Case("stops-of-city-as-met", "the City of London's real stop and search saved as the Met's is refused by place",
         csv("2019-12-metropolitan-stop-and-search.csv",
             lambda: member(STOP_SEARCH, "2019-12/2019-12-city-of-london-stop-and-search.csv")),
         says="outside Metropolitan Police's police force area"),
    Case("reported-by-blank", "a street row with no 'Reported by' is refused on its line",
         edited_wm(40, cell(2, b"")), line=40, says="no 'Reported by'"),
    Case("reported-by-one-row", "one row of another force deep in a real file is refused on its line",
         edited_wm(9_000, lambda r: r.replace(b"West Mercia Police,West", b"Kent Police,West", 1)), line=9_000),
    Case("november-as-october", "West Mercia's real November file saved as October's is refused at its first row",
         csv(WM, lambda: member(NOVEMBER, "2018-11/2018-11-west-mercia-street.csv")), line=2,
         says="row is for month '2018-11'"),
    Case("year-0000", "a file name for year 0000 is refused, not a traceback",
         csv("0000-10-west-mercia-street.csv", west_mercia), says="year 0000"),
    Case("year-9999", "a file name for year 9999 is refused", csv("9999-10-west-mercia-street.csv", west_mercia),
         says="year 9999"),
    Case("month-13", "a file name for month 13 is refused", csv("2018-13-west-mercia-street.csv", west_mercia),
         says="month 13"),
    Case("month-00", "a file name for month 00 is refused", csv("2018-00-west-mercia-street.csv", west_mercia),
         says="month 00"),
    Case("year-0000-in-zip", "a member named for year 0000 is refused, naming it",
         zipped(lambda: [("0000-10/0000-10-west-mercia-street.csv", west_mercia())]), says="year 0000"),
    Case("unknown-force", "a file name with a force no one knows is refused",
         csv("2018-10-gotham-street.csv", west_mercia), says="unknown police force 'gotham'"),
]

TEXT = [
    Case("nul-mid-file", "a NUL byte in the middle of a real file is refused on its line",
         edited_wm(5_000, lambda r: r[:20] + b"\0" + r[20:]), line=5_000, says="control character 0x00"),
    Case("escape-byte", "an escape byte in a row is refused on its line (and not sent to the terminal)",
         edited_wm(123, lambda r: r + b"\x1b[2J"), line=123, says="0x1b"),
    Case("bell-byte", "a bell byte is refused on its line", edited_wm(77, lambda r: r.replace(b"On or", b"On\x07or")),
         line=77, says="0x07"),
    Case("del-byte", "a DEL byte is refused on its line", edited_wm(10_000, lambda r: r + b"\x7f"),
         line=10_000, says="0x7f"),
    Case("form-feed", "a form feed is refused on its line", edited_wm(2, lambda r: b"\x0c" + r), line=2),
    Case("bidi-override", "a right-to-left override (UTF-8, U+202E) in a location is refused on its line",
         edited_wm(4_321, lambda r: r.replace(b"On or near", "On or \u202enear".encode())), line=4_321,
         says="U\\+202E"),
    Case("c1-control", "a C1 control (UTF-8, U+0085) in a row is refused on its line",
         edited_wm(600, lambda r: r.replace(b"On or near", "On or\u0085near".encode())), line=600, says="U\\+0085"),
    Case("nul-in-deflated-member", "a NUL far into a deflated member is refused on its line",
         zipped(lambda: [(WM_MEMBER, with_line(west_mercia(), 10_500, lambda r: r + b"\0"))]), line=10_500),
    Case("nul-in-stored-member", "a NUL far into a stored member is refused on its line",
         zipped(lambda: [(WM_MEMBER, with_line(west_mercia(), 10_500, lambda r: r + b"\0"))],
                compression=zipfile.ZIP_STORED), line=10_500),
    Case("utf-16", "a real file re-saved as UTF-16 is refused at line 1",
         csv(WM, lambda: west_mercia().decode("utf-8").encode("utf-16")), line=1, says="not UTF-8"),
    Case("utf-16-no-bom", "UTF-16 without a byte-order mark (NULs between letters) is refused at line 1",
         csv(WM, lambda: west_mercia().decode("utf-8").encode("utf-16-le")), line=1),
    Case("latin-1-byte", "a Latin-1 byte deep in a real file is refused on its line",
         edited_wm(8_000, lambda r: r.replace(b"On or near", b"On or n\xe9ar")), line=8_000, says="0xe9"),
    Case("wrong-header", "a header with a misspelt column is refused at line 1",
         edited_wm(1, lambda r: r.replace(b"Crime type", b"Crime kind")), line=1, says="header"),
    Case("outcomes-header-in-street-file", "an outcomes file named as a street file is refused at line 1",
         csv(WM, lambda: member(THAMES_VALLEY, "2022-01/2022-01-thames-valley-outcomes.csv")), line=1),
    Case("cr-only-line-endings", "a file with old Mac line endings (CR alone) is refused at line 1, saying why",
         csv(WM, lambda: west_mercia().replace(b"\n", b"\r")), line=1, says="carriage return alone"),
    Case("blank-lines-only", "a file of blank lines is refused as empty at line 1", csv(WM, lambda: b"\n\n \n"), line=1,
         says="empty file"),
    Case("header-only", "a header with no rows is refused at line 2 (it must not wipe a month)",
         csv(WM, lambda: west_mercia().split(b"\n", 1)[0] + b"\n"), line=2, says="no data rows"),
    Case("too-many-columns", "a row with a column too many is refused on its line",
         edited_wm(61, lambda r: r + b",extra"), line=61, says="wrong number of columns"),
    Case("too-few-columns", "a row three columns short is refused on its line",
         edited_wm(62, lambda r: r.rsplit(b",", 3)[0]), line=62, says="wrong number of columns"),
    Case("unterminated-quote", "a quote never closed is refused on its line",
         edited_wm(300, lambda r: r + b'"oops'), line=300, says="unterminated quote"),
    Case("line-too-long", "a 3 MB line is refused on its line", edited_wm(7, lambda r: r + b"x" * 3_000_000),
         line=7, says="too long"),
    Case("blank-crime-type", "a row with no crime type is refused on its line (not a NOT NULL error)",
         edited_wm(40, cell(9, b"")), line=40, says="no 'Crime type'"),
    Case("longitude-text", "a street longitude that is not a number is refused on its line",
         edited_wm(50, cell(4, b"west")), line=50, says="'Longitude' is not a number"),
    Case("latitude-out-of-range", "a street latitude of 999 is refused on its line",
         edited_wm(51, cell(5, b"999.0")), line=51, says="'Latitude' is not a latitude"),
    Case("latitude-infinite", "a street latitude of 1e400 (infinity) is refused on its line",
         edited_wm(52, cell(5, b"1e400")), line=52),
]

STOP_AND_SEARCH = [
    Case("stop-date-impossible", "a stop-and-search date of 2018-10-99T99:99:99 is refused on its line",
         stop_search_of_october(10, cell(1, b"2018-10-99T99:99:99")), line=10, says="2018-10-99T99:99:99"),
    Case("stop-date-words", "a stop-and-search date in words is refused on its line",
         stop_search_line(5, cell(1, b"2019-12-first")), line=5, says="not a date and time"),
    Case("stop-date-blank", "a stop-and-search row with no date is refused on its line",
         stop_search_line(6, cell(1, b"")), line=6, says="no month"),
    Case("stop-other-month", "a stop-and-search row of another month is refused on its line",
         stop_search_line(7, cell(1, b"2019-11-30T10:00:00+00:00")), line=7, says="'2019-11'"),
    Case("stop-latitude-text", "a stop-and-search latitude that is not a number is refused on its line",
         stop_search_line(8, cell(4, b"north")), line=8, says="'Latitude' is not a latitude"),
    Case("stop-latitude-out-of-range", "a stop-and-search latitude of 91.5 is refused on its line",
         stop_search_line(9, cell(4, b"91.5")), line=9),
    Case("stop-longitude-nan", "a stop-and-search longitude of NaN is refused on its line",
         stop_search_line(11, cell(5, b"nan")), line=11, says="'Longitude'"),
    Case("stop-nul", "a NUL in a stop-and-search file is refused on its line",
         stop_search_line(12, lambda r: r + b"\0"), line=12),
]

ARCHIVES = [
    Case("overlapping-entries", "40 entries pointing at the same deflated bytes are refused before any is inflated",
         overlapping(40), says="overlaps", seconds=30),
    Case("duplicate-names", "two members with one name are refused",
         patched(zipped(lambda: [(WM_MEMBER, west_mercia()), (WM_MEMBER[:-1] + "X", kent())]),
                 lambda d: d.__setitem__(slice(None), d.replace(b"street.csX", b"street.csv"))),
         says="two entries with this name"),
    Case("encrypted-member", "a member flagged as encrypted is refused, not a traceback",
         patched(zipped(WM_ONE_MEMBER), set_flag(0x1)), says="encrypted"),
    Case("bzip2-member", "a bzip2-compressed member is refused", zipped(WM_ONE_MEMBER, compression=zipfile.ZIP_BZIP2),
         says="bzip2"),
    Case("lzma-member", "an LZMA-compressed member is refused", zipped(WM_ONE_MEMBER, compression=zipfile.ZIP_LZMA),
         says="LZMA"),
    Case("unknown-method", "a member compressed by an unknown method (99) is refused",
         patched(zipped(WM_ONE_MEMBER), set_method(99)), says="method 99"),
    Case("local-name-differs", "a member whose local header names another file is refused",
         patched(zipped(WM_ONE_MEMBER), rename_in_local_header), says="local header"),
    Case("many-junk-members", "100,000 tiny stored members are refused at once, not read one by one",
         many_stored(100_000, police=False), says="more than the 50,000", seconds=60),
    Case("45000-junk-and-one-bad", "45,000 stray members are skipped in linear time and the bad police member found",
         many_stored(45_000, police=False), line=3, seconds=90),
    Case("20000-police-members", "20,000 stored police members are all read (linearly) before the bad one is found",
         many_stored(20_000, police=True), line=2, says="row is for month", seconds=150),
    Case("zip-bomb", "a member of 100 MB of zeros in a few hundred kilobytes is refused", zipped(lambda: bomb(100)),
         says="zip bomb"),
    Case("ratio-bomb", "members each under the per-member ratio but far over the archive's are refused",
         zipped(lambda: ratio_members(30, 150)), says="times the archive's"),
    Case("lying-size", "a member declaring a fraction of what it inflates to is stopped at the declared size",
         patched(zipped(lambda: [(WM_MEMBER, bytes(64 << 20))]), lambda d: _declare_size(d, 300_000)),
         says="inflates to more than"),
    Case("truncated-zip", "the first half of a real archive is refused",
         lambda f: write(f, "2018-10.zip", OCTOBER.read_bytes()[: OCTOBER.stat().st_size // 2]),
         says="not a complete zip"),
    Case("not-a-zip", "a text file named .zip is refused", lambda f: write(f, "2018-10.zip", b"these are my notes\n"),
         says="not a complete zip"),
    Case("damaged-member", "a member whose compressed bytes are damaged is refused, naming it",
         patched(zipped(KENT_ONE_MEMBER), lambda d: d.__setitem__(slice(2000, 2040), bytes(40))), says="corrupt"),
    Case("bad-crc-stored", "a stored member whose bytes do not match its CRC is refused",
         patched(zipped(KENT_ONE_MEMBER, compression=zipfile.ZIP_STORED),
                 lambda d: d.__setitem__(5000, ord("#"))), says="CRC"),
    Case("climbing-path", "a member whose path climbs out of the folder is refused",
         zipped(lambda: [("../../" + WM, west_mercia())]), says="unsafe path"),
    Case("no-police-members", "an archive of other files is refused, saying what it should hold",
         zipped(lambda: [("README.txt", b"hello\n"), ("figures.csv", b"a,b\n1,2\n")]), says="holds no data.police.uk"),
    Case("long-member-name", "a member name longer than a file name may be (a force spelt with forty 'police's)",
         zipped(lambda: [("2018-10/2018-10-west-mercia" + "-police" * 40 + "-street.csv", kent())]), line=2,
         says="reported by 'Kent Police'"),
    Case("ansi-member-name", "an escape sequence in a member's name is printed escaped",
         zipped(lambda: [(ESC_NAME, NUL_AT_3())]), line=3, says=r"\\x1b\[31mred"),
    Case("markup-member-name", "a member name like console markup is printed as it is, not as markup",
         zipped(lambda: [(MARKUP_NAME, NUL_AT_3())]), line=3, names="[bold]loud[/bold]"),
    Case("bidi-member-name", "a bidirectional override in a member's name is printed escaped",
         zipped(lambda: [(BIDI_NAME, NUL_AT_3())]), line=3, says=r"\\u202e"),
]

FOLDERS = [
    Case("folder-fifo-only", "a folder holding only a FIFO named like a street CSV is refused, the FIFO never opened",
         in_folder((WM, fifo)), says="not a regular file", seconds=30),
    Case("folder-fifo-and-bad-file", "a FIFO beside a bad file is skipped, and the bad file refused on its line",
         in_folder((WM, fifo), ("2018-11-west-mercia-street.csv", holding(kent))), line=2, seconds=30),
    Case("folder-dev-zero", "a link to /dev/zero named like a street CSV is never read",
         in_folder((WM, link_to("/dev/zero"))), says="not a regular file", seconds=30),
    Case("folder-link-loop", "links in a loop (to the folder itself, and to themselves) do not hang the walk",
         in_folder(("again", link_to(".")), ("self.csv", link_to("self.csv"))), says="holds no data.police.uk",
         seconds=30),
    Case("folder-dangling-link", "a dangling link named like a street CSV is skipped, and said so",
         in_folder((WM, link_to("/nowhere/at/all.csv"))), says="broken link"),
    Case("folder-no-csv", "a folder with no CSV at all is refused",
         in_folder(("README.txt", holding(lambda: b"notes\n"))), says="holds no data.police.uk"),
    Case("folder-empty", "an empty folder is refused", in_folder(), says="holds no data.police.uk"),
    Case("folder-other-csvs", "a folder of CSVs not named as data.police.uk names them is refused",
         in_folder(("crimes.csv", holding(west_mercia))), says="not a data.police.uk file name"),
    Case("folder-nested-deep", "a file 1,200 folders deep is found (no recursion to exhaust) and refused on its line",
         in_folder(("d/" * 1_200 + WM, holding(kent))), line=2),
    Case("good-then-bad", "a good file given with a bad one is undone with it",
         lambda f: (write(f, "good/" + WM, west_mercia()), write(f, "bad/" + WM, kent()))[1],
         ("ingest", "{dir}/good/" + WM, "{input}"), line=2),
]

CASES = [*FORCE_AND_MONTH, *TEXT, *STOP_AND_SEARCH, *ARCHIVES, *FOLDERS]


def _declare_size(data: bytearray, size: int) -> None:
    """Make the first member claim ``size`` bytes, in its local header and the directory."""
    struct.pack_into("<I", data, 22, size)
    for at in _central_entries(data):
        struct.pack_into("<I", data, at + 24, size)


@pytest.fixture(scope="module")
def outcomes(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("police-uk")
    try:
        return run_all(CASES, hostile_store, root)
    finally:
        # shutil.rmtree recurses once per level, so pytest could not clear the deep folder away.
        remove_tree(root / "folder-nested-deep")


def remove_tree(path: Path) -> None:
    """Delete a folder tree of any depth, without recursion."""
    pending = [path] if path.exists() else []
    while pending:
        with os.scandir(pending[-1]) as listing:
            entries = list(listing)
        folders = [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
        if folders:
            pending.extend(folders)
            continue
        for entry in entries:
            os.unlink(entry.path)
        os.rmdir(pending.pop())


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_cleanly(case: Case, outcomes: dict[str, Outcome]) -> None:
    check(case, outcomes[case.id])


# --- what the ceilings cannot show --------------------------------------------------------------

def test_overlapping_entries_are_refused_before_a_byte_is_inflated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The issue's archive wrote 763 MiB to scratch before it was refused; now nothing is inflated."""
    inflated: list[int] = []
    real_pieces = police_uk.member_pieces

    def counting(*args: object, **kwargs: object) -> Iterator[bytes]:
        for piece in real_pieces(*args, **kwargs):  # type: ignore[arg-type]
            inflated.append(len(piece))
            yield piece

    monkeypatch.setattr(police_uk, "member_pieces", counting)
    archive = overlapping(40)(tmp_path)
    assert archive.stat().st_size < 1_000_000
    with Store.open(tmp_path / "s.duckdb") as store, pytest.raises(InputError) as caught:
        ingest_path(store, archive)

    assert "overlaps" in caught.value.problem
    assert sum(inflated) == 0
