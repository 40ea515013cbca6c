"""Making text from data safe to show and to open: one sanitizer for every output.

Data from public sources is untrusted text. Two things in it can mislead a reader:

* **Control and bidirectional-override characters.** A right-to-left override (U+202E) in a
  model name reverses the text after it on screen, so ``"abc\\u202efdp.exe"`` reads as
  ``abcexe.pdf``; C0/C1 control characters move the terminal's cursor or change its colours.
  :func:`sanitize` replaces them: with a visible ``\\u202e``-style escape for the terminal
  (``escape=True``), or with U+FFFD (�) where an escape could be decoded back (HTML, JSON in
  the report).
* **Spreadsheet formulas.** A CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab
  or carriage return, which some spreadsheets skip before reading such a sign) is run as a
  formula when the file is opened in Excel, LibreOffice or Google Sheets ("CSV injection",
  OWASP). :func:`neutralize_cell` prefixes such text cells with an apostrophe, which
  spreadsheets show as text and do not display; numbers are never changed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Characters replaced by :func:`sanitize`: C0 controls (tab, line feed and carriage return
#: become spaces), DEL, C1 controls, the Arabic letter mark, LRM/RLM, the embeddings and
#: overrides U+202A–U+202E, the isolates U+2066–U+2069, and the line/paragraph separators.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                    "\u202a-\u202e\u2066-\u2069]")
#: The same set as a regular expression for DuckDB (RE2), for cleaning a whole store, and the
#: same characters written as JSON escapes (``json.dumps`` writes them so in JSON columns).
UNSAFE_SQL_PATTERN = (r"[\x00-\x1f\x7f-\x9f\x{61c}\x{200e}\x{200f}\x{2028}\x{2029}"
                      r"\x{202a}-\x{202e}\x{2066}-\x{2069}]")
UNSAFE_JSON_ESCAPE_PATTERN = (r"\\u(00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|061[cC]"
                              r"|200[eEfF]|202[89a-eA-E]|206[6-9])")
_WHITESPACE = re.compile("[\t\n\r]")
#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def sanitize(text: str, *, escape: bool = True) -> str:
    """``text`` with control and bidi-override characters made harmless.

    Tabs and line breaks become spaces. Other unsafe characters become a visible escape
    (``\\u202e``) with ``escape=True``, else U+FFFD.

    >>> sanitize("abc\\u202efdp.exe")
    'abc\\\\u202efdp.exe'
    >>> sanitize("a\\tb\\x1b[31m")
    'a b\\\\x1b[31m'
    >>> sanitize("x\\u202ey", escape=False)
    'x�y'
    """
    text = _WHITESPACE.sub(" ", text)
    return UNSAFE.sub(_escape if escape else REPLACEMENT, text)


def neutralize_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``; else as is.

    >>> neutralize_cell("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> neutralize_cell("-1.5"), neutralize_cell(-1.5), neutralize_cell("ResNet-50")
    ("'-1.5", -1.5, 'ResNet-50')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell passed through :func:`neutralize_cell`.

    Column names are text cells too and are treated the same way.
    """
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for col in out.columns:
        if is_object_dtype(out[col].dtype) or is_string_dtype(out[col].dtype):
            out[col] = out[col].map(neutralize_cell)
    out.columns = [neutralize_cell(c) for c in out.columns]
    return out
