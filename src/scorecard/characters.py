"""Two rules about characters, each written once: what text read from a file may hold, and
how untrusted text is shown.

* **Text from a file** (a cell, a configuration value, commentary) may not hold C0 control
  characters other than tab, line feed and carriage return, DEL, C1 controls, or the
  bidirectional embeddings, overrides and isolates that make text display differently from
  what it holds.  Every reader refuses such text with the file and line (``FORBIDDEN``).
* **Text shown to a person** (messages, tables on a terminal) has every control character,
  bidirectional control, zero-width character and byte-order mark escaped (``printable``),
  so a file or member name can never drive the terminal.  This rule is wider than the first
  because a name is shown, not stored: a zero-width space in a name is harmless in a cell
  but would hide which file a message is about.
"""

from __future__ import annotations

import re

#: Characters no text read from a file may hold (see the module docstring).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Every C0 and C1 control, DEL, and the format characters that reorder or hide text
# (bidirectional overrides and isolates, zero-width joiners, the BOM).
_UNSAFE_TO_SHOW = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` made safe for a terminal or a log: controls escaped as ``\\x1b``, ``\\u202e``.

    Line breaks are escaped too, so one message is always one line.
    """
    return _UNSAFE_TO_SHOW.sub(_escape, str(text))
