"""A statement's progress as one line on a terminal, redrawn in place and cleared at the end.

``ProgressLine(stream)`` is a progress callback (stripe_dbapi/progress.py): give it to
``cursor.progress`` when ``stream`` is a terminal. ``progress_text`` is the line itself.
"""

from __future__ import annotations

import os
from typing import TextIO

from stripe_dbapi.progress import CALL, WRITE, Progress

CLEAR_LINE = "\r\x1b[K"  # back to the start of the line, erase it
DEFAULT_WIDTH = 80


def duration(seconds: float) -> str:
    """``0:42``, ``12:05``, ``1:02:03``."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def progress_text(p: Progress) -> str:
    """``customers · 12,300 rows · 124 requests · 24.8 req/s · 0:05 · ETA 0:42``."""
    parts = [p.table] if p.table else []
    if p.phase in (WRITE, CALL):
        total = f" of {p.estimated_rows:,}" if p.estimated_rows is not None else ""
        parts.append(f"{p.rows_written:,}{total} written")
        if p.rows_read:
            parts.append(f"{_plural(p.rows_read, 'row')} read")
    else:
        total = f" of ~{p.estimated_rows:,}" if p.estimated_rows is not None else ""
        parts.append(f"{p.rows_read:,}{total} rows")
    parts.append(_plural(p.requests, "request"))
    parts.append(f"{p.requests_per_second:.1f} req/s")
    parts.append(duration(p.elapsed))
    if p.eta_seconds is not None:
        parts.append(f"ETA {duration(p.eta_seconds)}")
    if p.canceled:
        parts.append("canceling")
    return " · ".join(parts)


class ProgressLine:
    """A progress callback drawing one line on ``stream`` (a terminal), cleared when done."""

    def __init__(self, stream: TextIO, width: int | None = None) -> None:
        self.stream = stream
        self.width = width
        self.drawn = False

    def _width(self) -> int:
        if self.width is not None:
            return self.width
        try:
            # A terminal whose size was never set says 0 columns.
            return os.get_terminal_size(self.stream.fileno()).columns or DEFAULT_WIDTH
        except (OSError, ValueError, AttributeError):
            return DEFAULT_WIDTH

    def clear(self) -> None:
        """Erase the line if it is drawn (the statement ended, or a question is asked)."""
        if self.drawn:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
            self.drawn = False

    def __call__(self, p: Progress) -> None:
        if p.done:
            self.clear()
            return
        # One column short of the width: writing the last column wraps on some terminals.
        line = progress_text(p)[: max(self._width() - 1, 1)]
        self.stream.write(CLEAR_LINE + line)
        self.stream.flush()
        self.drawn = True
