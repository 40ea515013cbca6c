"""Model names compared across files and sources: the one home of name normalization.

Two strengths, for two questions:

- :func:`normalize_model_name`: the *same model* across sources or papers — case, spaces and
  punctuation ignored (``"ResNet-50"`` = ``"resnet 50"`` = ``"RESNET50"``);
- :func:`row_name_key`: the *same row* of one dataset in two of its files (Epoch AI's notable
  or frontier subsets of its model table) — only case and runs of whitespace ignored, so
  that distinct models whose names differ by punctuation stay distinct.
"""

from __future__ import annotations

import re
from typing import Any

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def normalize_model_name(name: Any) -> str:
    """Model names without case, spaces or punctuation (``"ResNet-50"`` → ``"resnet50"``)."""
    return _NOT_ALNUM.sub("", str(name).lower())


def row_name_key(name: Any) -> str:
    """A name with case and whitespace runs folded (``"GPT-3  175B"`` → ``"gpt-3 175b"``)."""
    return " ".join(str(name).lower().split())
