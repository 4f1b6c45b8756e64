"""Print tables; write the results file atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench.registry import Table


def render(table: Table) -> str:
    cells = [[str(c) for c in table.columns]] + [[str(c) for c in row] for row in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]

    def line(row: list[str]) -> str:
        # first column left-aligned (labels), the others right-aligned (figures)
        return "  ".join(
            (cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])) for i, cell in enumerate(row)
        ).rstrip()

    rule = "-" * len(line(["-" * w for w in widths]))
    out = [table.title, rule, line(cells[0]), rule, *(line(r) for r in cells[1:]), rule]
    out += [f"  {note}" for note in table.notes]
    return "\n".join(out)


def write_json(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=2, default=str) + "\n")
    os.replace(tmp, path)
