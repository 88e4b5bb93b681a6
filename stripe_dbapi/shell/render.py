"""Result sets on a terminal, with rich: a table when it fits the terminal's width
(folding long values over lines), else one block per row (psql's expanded display);
long values (JSON maps, descriptions) cut with an ellipsis. Values are shown as the
table format writes them (formats.as_text).
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .formats import as_text, rows_text
from .perform import Rows

MAX_CELL = 60  # characters of one value in a table; more is cut with "…"
# A table is shown when every column can have this many characters (or its own width, if
# less): rich folds the widest columns first to fit. Else one block per row.
MIN_COLUMN = 24
MAX_FIELD = 400  # characters of one value in a row's block, which folds over lines
NUMERIC = {"integer", "number"}


def cut(text: str, limit: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(console: Console, result: Rows) -> None:
    """Print ``result`` to fit ``console``'s width, then its row count."""
    cells = [[cut(as_text(value), MAX_CELL) for value in row] for row in result.rows]
    widths = [
        max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(result.names)
    ]
    # Columns and two spaces between each.
    if sum(min(w, MIN_COLUMN) for w in widths) + 2 * len(widths) <= console.width:
        console.print(_table(result, cells))
    else:
        _blocks(console, result)
    console.print(Text(f"({rows_text(len(result.rows))})", style="dim"))


def _table(result: Rows, cells: list[list[str]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    for name, type_code in zip(result.names, result.types, strict=True):
        table.add_column(
            name, justify="right" if type_code in NUMERIC else "left", overflow="fold"
        )
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _blocks(console: Console, result: Rows) -> None:
    """One block per row: a rule naming the row, then each column and its value."""
    for number, row in enumerate(result.rows, 1):
        console.print(Rule(f"row {number}", align="left", style="dim"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for name, value in zip(result.names, row, strict=True):
            grid.add_row(name, Text(cut(as_text(value), MAX_FIELD)))
        console.print(grid)
