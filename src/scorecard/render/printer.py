"""The PDF printer: a process of its own that has WeasyPrint loaded before the page is ready.

WeasyPrint is the slow step of publishing: loading it (Pango through cffi) and reading the
GOV.UK stylesheet take about half a second, and it holds the GIL while it lays out.  So a
command that will print a PDF starts a ``PdfPrinter`` as its first step, before it imports the
rest of the publishing code and queries the figures; by the time the page is ready WeasyPrint is
loaded, and the PDF is printed there while the command writes the Word paper.

This module imports nothing heavy (no document model, no DuckDB), so that starting the printer
costs a fork and nothing else (``cli._pdf_printer`` forks it before any store is open).  A
caller that starts one later, with a store open (``publish`` when it is given none), is safe too:
the printer never touches the store, and a forked worker leaves through ``os._exit``, running no
finalizer.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from types import TracebackType


class PdfPrinter:
    """A second process that prints PDFs, WeasyPrint loaded while the caller does other work."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self._pool.submit(_load_weasyprint)

    def print(self, html_text: str, path: Path) -> Future[None]:
        return self._pool.submit(print_here, html_text, path)

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if error is not None:
            # The command failed (a usage or configuration error, say): nothing will be printed,
            # so the printer is stopped rather than waited for while WeasyPrint loads.
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def worthwhile(formats: list[str]) -> bool:
        """A second process pays when there is a second core and other work to overlap it with."""
        return "pdf" in formats and (os.cpu_count() or 1) > 1


def printer_for(formats: list[str], *, documents: int) -> AbstractContextManager[PdfPrinter | None]:
    """A printer started now when ``documents`` is one and a PDF is among ``formats`` (and there is a
    second core); otherwise none: several documents are printed by forked workers, one a core,
    each loading WeasyPrint itself."""
    if documents == 1 and PdfPrinter.worthwhile(formats):
        return PdfPrinter()
    return nullcontext()


def _load_weasyprint() -> None:
    from scorecard.render.pdf import prepare

    prepare()


def print_here(html_text: str, path: Path) -> None:
    """Print a PDF in this process (no second core, or no printer started)."""
    from scorecard.render.pdf import write_pdf

    write_pdf(html_text, path, path.parent)
