"""Opening a file we were given: only a regular file, its size bounded before it is read.

Every reader of user files goes through here, so that one rule holds for all of them: a path
is looked at (``stat``) before it is opened, so a named pipe (which would block), a device such
as ``/dev/zero`` (which never ends) or a socket is refused without being opened, and a file
larger than its kind's limit is refused from its size alone (a sparse 3 GB file costs nothing
to refuse).  The open itself is non-blocking and checked again with ``fstat``, in case the path
was swapped for a pipe in between; the read stops one byte past the limit, in case the file
grows while it is read.

Errors are ``InputError`` naming the file, or the subclass the caller passes (configuration
readers pass ``ConfigError``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from scorecard.errors import InputError

ErrorKind = type[InputError]

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


def size_text(n: int) -> str:
    """A size as messages give it: "4.0 MiB", "812 bytes"."""
    return f"{n / (1 << 20):,.1f} MiB" if n >= 1 << 20 else f"{n:,} bytes"


def _require_regular(info: os.stat_result, path: str | Path, what: str, limit: int | None,
                     error: ErrorKind) -> int:
    if stat.S_ISDIR(info.st_mode):
        raise error(path, f"is a folder: give the {what} as a file")
    if not stat.S_ISREG(info.st_mode):
        raise error(path, f"not a regular file (a pipe, device or socket): give the {what} as a file")
    if limit is not None and info.st_size > limit:
        raise error(path, f"the file is {size_text(info.st_size)}, larger than any {what} "
                          f"({size_text(limit)} at most)")
    return info.st_size


def regular_size(path: Path, *, what: str, limit: int | None = None, error: ErrorKind = InputError) -> int:
    """The size of ``path`` if it is a regular file (of at most ``limit`` bytes), looked at
    without opening it."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(path, f"no such file: give the {what} as a file") from None
    except OSError as exc:
        raise error(path, f"cannot look at the {what}: {exc.strerror or exc}") from None
    return _require_regular(info, path, what, limit, error)


def open_regular(path: Path, *, what: str, limit: int | None = None, error: ErrorKind = InputError) -> IO[bytes]:
    """``path`` opened for reading in binary, only if it is a regular file (of at most ``limit``
    bytes): looked at before the open, and again after it."""
    regular_size(path, what=what, limit=limit, error=error)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise error(path, f"cannot open the {what}: {exc.strerror or exc}") from None
    try:
        _require_regular(os.fstat(fd), path, what, limit, error)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_regular(path: Path, *, what: str, limit: int, error: ErrorKind = InputError) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes."""
    try:
        with open_regular(path, what=what, limit=limit, error=error) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(path, f"cannot read the {what}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(path, f"grew past {size_text(limit)} while being read; a {what} is never that large")
    return data
