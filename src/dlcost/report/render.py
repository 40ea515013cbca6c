"""HTML rendering: one self-contained page, safe against anything the data hold.

* Jinja2 with autoescape renders every string from data as text.
* Figure data travel as JSON inside ``<script type="application/json">``; :func:`script_json`
  escapes ``<``, ``>``, ``&`` and the JavaScript line separators, so a value containing
  ``</script>`` cannot end the element.
* Links are made only for ``http``/``https`` URLs (:func:`safe_url`).
* plotly.js comes from the installed plotly package and is inlined once; the page loads nothing
  from the network, and its Content-Security-Policy forbids it to (scripts are allowed by their
  SHA-256 hashes only, so even an injected inline event handler would not run).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from dlcost.report.model import (
    Card,
    Cards,
    FrozenFigure,
    Prose,
    ReportFigure,
    ReportTable,
    Section,
    Unavailable,
)
from dlcost.serialize import dumps

_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
               "\u2029": "\\u2029"}


def script_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = dumps(obj, compact=True)
    for char, escaped in _JS_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def safe_url(value: Any) -> str | None:
    """``value`` if it is an absolute http(s) URL, else ``None`` (no ``javascript:`` links)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return None


def figure_json(figure: Any) -> Any:
    """A plotly figure as plain JSON-ready data (NaN → null, numpy arrays → lists)."""
    if isinstance(figure, FrozenFigure):  # serialized where it was made (a worker)
        return _strip_nan(json.loads(figure.page_json))
    import plotly.io as pio

    text = pio.to_json(figure, validate=False, engine="json")
    return _strip_nan(json.loads(text))


def _strip_nan(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _strip_nan(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_strip_nan(v) for v in obj]
    return obj


@cache
def plotly_js() -> str:
    """plotly.js (minified) from the installed plotly package."""
    from plotly.offline import get_plotlyjs

    source: str = get_plotlyjs()
    # An inline script ends at the first "</script"; plotly.js is not expected to hold one, but
    # a future bundle must not be able to cut the page in two.
    return source.replace("</script", "<\\/script")


def _asset(name: str) -> str:
    return (resources.files("dlcost.report") / "templates" / name).read_text(encoding="utf-8")


def _sha256_source(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _cell(frame_row: Mapping[str, Any], column: Any) -> dict[str, Any]:
    value = frame_row.get(column.key)
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    text = "—" if missing else column.format(value)
    href = safe_url(frame_row.get(column.link)) if column.link else None
    classes = [c for c, on in (("num", column.numeric), ("multi", column.multiline)) if on]
    return {"text": text, "href": href, "cls": " ".join(classes)}


def _block_view(block: Any) -> dict[str, Any]:
    if isinstance(block, Prose):
        return {"kind": "prose", "paragraphs": list(block.paragraphs)}
    if isinstance(block, Cards):
        return {"kind": "cards", "cards": [_card_view(c) for c in block.cards]}
    if isinstance(block, ReportFigure):
        return {
            "kind": "figure", "id": block.id, "title": block.title, "caption": block.caption,
            "inputs": block.inputs, "maker": block.maker,
            "height_px": _figure_height(block),
            "json": Markup(script_json(figure_json(block.figure))), "files": block.files,
        }
    if isinstance(block, ReportTable):
        shown = block.frame if block.display is None else block.display
        records = shown.to_dict("records")
        return {
            "kind": "table", "id": block.id, "title": block.title, "caption": block.caption,
            "maker": block.maker, "collapsed": block.collapsed, "files": block.files,
            "n_rows": len(records),
            "columns": [{"label": c.label, "numeric": c.numeric} for c in block.columns],
            "rows": [[_cell(r, c) for c in block.columns] for r in records],
        }
    if isinstance(block, Unavailable):
        return {"kind": "unavailable", "what": block.what, "reason": block.reason}
    raise TypeError(f"unknown report block {type(block).__name__}")


def _figure_height(block: ReportFigure) -> int:
    """The figure's own layout height when it sets one (so nothing overflows), else the
    block's."""
    if isinstance(block.figure, FrozenFigure):
        height: Any = block.figure.height
    else:
        height = getattr(getattr(block.figure, "layout", None), "height", None)
    return int(height) if height else block.height_px


def _card_view(card: Card) -> dict[str, Any]:
    return {"title": card.title, "value": card.value, "detail": card.detail, "tone": card.tone}


def render_html(
    sections: Sequence[Section],
    *,
    title: str,
    subtitle: str,
    facts: Sequence[tuple[str, str]],
) -> str:
    """The whole page as one string: sections, inlined CSS, plotly.js and the page script."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dlcost.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = env.get_template("report.html.j2")
    page_js = _asset("report.js")
    library_js = plotly_js()
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_sha256_source(library_js)} {_sha256_source(page_js)}",
        # plotly.js sets inline styles and injects a stylesheet; the modebar's "download plot"
        # makes a data: image.
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "font-src data:",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
    ])
    return template.render(
        title=title,
        subtitle=subtitle,
        facts=list(facts),
        csp=csp,
        css=Markup(_asset("report.css")),
        plotly_js=Markup(library_js),
        page_js=Markup(page_js),
        sections=[
            {"id": s.id, "title": s.title, "how_to_read": list(s.how_to_read),
             "blocks": [_block_view(b) for b in s.blocks]}
            for s in sections
        ],
    )
