"""Reading CSV files with errors that name the file, row and column."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from dlcost.exceptions import DataFormatError
from dlcost.store.inputs import decode_text, read_input


def require_files(folder: Path, names: Sequence[str], hint: str = "") -> list[Path]:
    """``folder / name`` for each name; a :class:`DataFormatError` naming the missing ones
    (and ``hint``, what to give instead) if any is absent. Shared by the folder importers."""
    files = [folder / name for name in names]
    missing = [f.name for f in files if not f.exists()]
    if missing:
        raise DataFormatError(f"the folder lacks {', '.join(missing)}{'; ' + hint if hint else ''}",
                              path=str(folder))
    return files


def read_rows(
    path: Path,
    *,
    required: Sequence[str],
    format_name: str,
    format_hint: str,
    skip_rows: int = 0,
    final_newline: bool = True,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for each data row, after checking the header.

    ``line`` is the 1-based line of the file where the row starts (the header is line 1):
    quoted fields may span lines (Epoch's abstracts and notes do), so a record's number is not
    its line. ``skip_rows`` data records after the header are passed over (FutureTech's extra
    header rows). The file is read strictly: rows with fewer or more fields than the header (a
    truncated file, a stray comma), a quoted cell left open and, with ``final_newline`` (the
    origin's files all end with a line break), a last line without its line break (a file cut
    mid-cell) are errors.
    """
    where = str(path)
    a = "an" if format_name[:1].lower() in "aeiou" else "a"
    text = decode_text(read_input(path), path=where, expected=f"{a} {format_name} CSV")
    if not text.strip():
        raise DataFormatError(f"the file is empty; expected {a} {format_name} CSV", path=where)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise DataFormatError(f"unreadable CSV header: {exc}", path=where, row=1) from None
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFormatError(
            f"missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}: this does not look like {a} {format_name} CSV. "
            f"{format_hint}",
            path=where, row=1, column=missing[0],
        )
    n_data = 0
    records = 0
    last = 1
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise DataFormatError(
                    "a quoted cell is not closed before the end of the file (truncated file?)",
                    path=where, row=line) from None
            raise DataFormatError(f"unreadable CSV: {exc}", path=where, row=line) from None
        records += 1
        last = line
        if records <= skip_rows or not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise DataFormatError(
                f"has {len(fields)} fields, the header has {len(header)} (truncated file or a "
                "stray comma?)",
                path=where, row=line,
            )
        n_data += 1
        yield line, dict(zip(header, fields, strict=True))
    if final_newline and not text.endswith(("\n", "\r")):
        raise DataFormatError(
            "the last line ends without a line break, so the file looks cut off; download it "
            "again, or add the line break if the file is complete",
            path=where, row=last,
        )
    if n_data == 0:
        raise DataFormatError(
            f"no data rows after the header; expected {a} {format_name} CSV", path=where
        )
