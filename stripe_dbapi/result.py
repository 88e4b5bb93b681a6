"""What executing one statement produces, handed from the executors to the cursor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# A PEP 249 description entry: (name, type_code, display_size, internal_size,
# precision, scale, null_ok).
DescriptionEntry = tuple


@dataclass
class Result:
    """Rows of one statement; ``rows`` may be a lazy iterator (streaming scans).

    ``description`` is None for statements without a result set. ``rowcount`` is
    -1 when not known in advance (streamed SELECT), as PEP 249 allows.
    ``streaming``: reading ``rows`` sends requests (the statement is not over yet).
    """

    description: list[DescriptionEntry] | None = None
    rows: Iterator[tuple] = field(default_factory=lambda: iter(()))
    rowcount: int = -1
    lastrowid: str | None = None
    streaming: bool = False

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()
