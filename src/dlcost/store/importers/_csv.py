"""Reading CSV files with errors that name the file, row and column."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from dlcost.exceptions import DataFormatError


def read_rows(
    path: Path,
    *,
    required: Sequence[str],
    skip_rows: int = 0,
    format_name: str,
    format_hint: str,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row, after checking the header.

    ``line_number`` is the 1-based line in the file (the header is line 1). Rows with fewer or
    more fields than the header (a truncated file, a stray comma) are errors.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            f"not a UTF-8 text file (byte {exc.start}); is it a {format_name} CSV?", path=str(path)
        ) from None
    if not text.strip():
        raise DataFormatError(f"the file is empty; expected a {format_name} CSV", path=str(path))
    reader = csv.reader(text.splitlines())
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise DataFormatError(f"unreadable CSV header: {exc}", path=str(path), row=1) from None
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFormatError(
            f"missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}: this does not look like a {format_name} CSV. "
            f"{format_hint}",
            path=str(path), row=1, column=missing[0],
        )
    n_data = 0
    for index, fields in enumerate(reader):
        line = index + 2
        if index < skip_rows:
            continue
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise DataFormatError(
                f"has {len(fields)} fields, the header has {len(header)} (truncated file or a "
                "stray comma?)",
                path=str(path), row=line,
            )
        n_data += 1
        yield line, dict(zip(header, fields, strict=True))
    if n_data == 0:
        raise DataFormatError(
            f"no data rows after the header; expected a {format_name} CSV", path=str(path)
        )
