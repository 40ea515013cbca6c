"""Reading import files defensively: regular files only, bounded in size and nesting.

Every importer reads its files through :func:`read_input`, so a FIFO (which would block
forever), a device such as ``/dev/zero`` (which never ends), a folder where a file is
expected or an oversized file is refused before a byte is parsed, with one line saying why.
"""

from __future__ import annotations

import errno
import stat
import zlib
from pathlib import Path

from dlcost.exceptions import DataFormatError, DataNotFoundError

#: Largest input file (and largest decompressed gzip stream) an import reads. The largest
#: public file dlcost reads today is Papers with Code's evaluation-tables dump: 3.9 MB
#: compressed, 47.6 MB decompressed (2020-08-28 release). 512 MiB leaves ten times that room.
MAX_INPUT_BYTES = 512 * 1024 * 1024
#: Deepest nesting of arrays and objects a JS input may have (JSON input is bounded by the
#: parser's recursion limit). The public formats nest at most three levels.
MAX_NESTING = 64
#: Longest quoted value in an error message, so one bad cell cannot make a 100 KB error line.
MAX_QUOTE = 60


def quote(value: object, limit: int = MAX_QUOTE) -> str:
    """``repr(value)``, shortened to ``limit`` characters with an ellipsis."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_input(path: Path, *, folder_ok: bool = False, file_ok: bool = True,
                what: str = "file") -> Path:
    """``path`` if it is a regular file (or, with ``folder_ok``, a folder); else one-line error."""
    where = str(path)
    if len(where) > 120:
        where = where[:60] + "…" + where[-40:]
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise DataFormatError(
                f"the path is too long for this system ({len(str(path))} characters)",
                path=where) from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise DataNotFoundError(f"{where}: no such file or folder") from None
        raise DataFormatError(f"cannot read it: {exc.strerror}", path=where) from None
    if stat.S_ISDIR(info.st_mode):
        if folder_ok:
            return path
        raise DataFormatError(f"is a folder; expected a {what}", path=where)
    if not stat.S_ISREG(info.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise DataFormatError(f"is {kind}, not a regular file; imports read regular files "
                              "only (copy the data to a file first)", path=where)
    if not file_ok:
        raise DataFormatError(f"is a file; expected a {what}", path=where)
    if info.st_size > MAX_INPUT_BYTES:
        raise DataFormatError(
            f"is {info.st_size / 2**20:.0f} MiB; imports read files up to "
            f"{MAX_INPUT_BYTES // 2**20} MiB", path=where)
    return path


def read_input(path: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_INPUT_BYTES`."""
    check_input(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise DataFormatError(f"cannot read it: {exc.strerror}", path=str(path)) from None
    if len(data) > MAX_INPUT_BYTES:  # grew while we read it
        raise DataFormatError(f"is larger than {MAX_INPUT_BYTES // 2**20} MiB",
                              path=str(path))
    return data


def gunzip(data: bytes, *, path: str) -> bytes:
    """Decompress gzip ``data``, refusing more than :data:`MAX_INPUT_BYTES` of output."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_INPUT_BYTES + 1)
    except zlib.error as exc:
        raise DataFormatError(
            f"the gzip data is corrupt ({exc}); download the file again", path=path
        ) from None
    if len(out) > MAX_INPUT_BYTES:
        raise DataFormatError(
            f"decompresses to more than {MAX_INPUT_BYTES // 2**20} MiB; imports read at most "
            "that much", path=path)
    if not inflater.eof:
        raise DataFormatError(
            "the gzip data is truncated or corrupt (Compressed file ended before the "
            "end-of-stream marker was reached); download the file again", path=path)
    return out


def decode_text(data: bytes, *, path: str, expected: str) -> str:
    """UTF-8 text (a leading BOM dropped); a one-line error naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"not a UTF-8 text file (byte {exc.start}); is it {expected}?",
                              path=path) from None
