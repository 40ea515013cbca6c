"""The pieces a report is made of: sections holding prose, figures, tables and notices.

Sections are built by :mod:`dlcost.report.sections` from the library's results and rendered by
:mod:`dlcost.report.render`. Every block keeps the raw values it shows (a figure its plotly
object, a table its DataFrame) so that the same object produces the interactive HTML, the
static PNG/SVG and the CSV; nothing is computed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def qualified_name(fn: Callable[..., Any]) -> str:
    """``module.function`` of a callable, as the provenance section lists it."""
    return f"{fn.__module__}.{fn.__qualname__}"


@dataclass
class Prose:
    """Paragraphs of plain text (escaped when rendered; never HTML)."""

    paragraphs: Sequence[str]


@dataclass
class Card:
    """One headline number: a title, the big value, and a line under it."""

    title: str
    value: str
    detail: str = ""
    tone: str = "neutral"  # neutral | warn | good: only picks a colour


@dataclass
class Cards:
    """A row of headline cards."""

    cards: Sequence[Card]


@dataclass
class ReportFigure:
    """An interactive figure with the function and the data that made it.

    ``figure`` is a ``plotly.graph_objects.Figure``; the static PNG/SVG are rendered from it by
    :func:`dlcost.plotting.static.to_matplotlib`, so the files match what the page shows.
    """

    id: str
    title: str
    figure: Any
    maker: str
    caption: str = ""
    #: What the figure was drawn from ("builtin, 61 results", a fit, a simulation run).
    inputs: str = ""
    height_px: int = 480
    #: Files written for it, relative to the report folder ({"png": …, "svg": …}).
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class FrozenFigure:
    """A plotly figure as the JSON it serializes to, for a section built in a worker process.

    A plotly figure sent through pickle comes back with its layout keys in another order, so
    the page would hold other bytes than a build in one process. The worker therefore sends
    the serializations themselves, made from the original figure: the page's JSON, the
    figure cache's key and the dict the static files are drawn from.
    """

    spec: dict[str, Any]
    json_text: str
    page_json: str
    height: int | None = None

    @classmethod
    def of(cls, figure: Any) -> FrozenFigure:
        """Freeze a plotly figure (a frozen one is returned as it is)."""
        if isinstance(figure, FrozenFigure):
            return figure
        import plotly.io as pio

        height = getattr(getattr(figure, "layout", None), "height", None)
        return cls(spec=figure.to_plotly_json(), json_text=figure.to_json(),
                   page_json=pio.to_json(figure, validate=False, engine="json"),
                   height=int(height) if height else None)

    def to_plotly_json(self) -> dict[str, Any]:
        return self.spec

    def to_json(self) -> str:
        return self.json_text


@dataclass
class Column:
    """How one column of a table is shown: its label, a formatter and an optional link."""

    key: str
    label: str
    format: Callable[[Any], str] = str
    #: Column of the frame holding a URL for this cell (http/https only are linked).
    link: str | None = None
    numeric: bool = False
    #: Keep the line breaks of the formatted text (cells that stack several numbers).
    multiline: bool = False


@dataclass
class ReportTable:
    """A table: ``frame`` is what the CSV holds; ``columns`` say how the HTML shows it."""

    id: str
    title: str
    frame: pd.DataFrame
    columns: Sequence[Column]
    maker: str
    caption: str = ""
    #: Collapsed by default (long listings of data points).
    collapsed: bool = False
    #: What the page shows when it differs from the CSV (e.g. the CSV's long rows pivoted
    #: into the paper's layout); ``None``: the page shows ``frame``.
    display: pd.DataFrame | None = None
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class Unavailable:
    """A part of the report that could not be produced, and why (instead of made-up numbers)."""

    what: str
    reason: str


Block = Prose | Cards | ReportFigure | ReportTable | Unavailable


@dataclass
class Section:
    """One numbered section: a title, how to read it, and its blocks."""

    id: str
    title: str
    how_to_read: Sequence[str]
    blocks: list[Block] = field(default_factory=list)
    seconds: float = 0.0

    def figures(self) -> list[ReportFigure]:
        return [b for b in self.blocks if isinstance(b, ReportFigure)]

    def tables(self) -> list[ReportTable]:
        return [b for b in self.blocks if isinstance(b, ReportTable)]

    def unavailable(self) -> list[Unavailable]:
        return [b for b in self.blocks if isinstance(b, Unavailable)]


def figure_from(
    fn: Callable[..., Any],
    *args: Any,
    id: str,
    title: str,
    caption: str = "",
    inputs: str = "",
    height_px: int = 480,
    **kwargs: Any,
) -> ReportFigure:
    """Call the figure function ``fn`` and record it as the figure's maker."""
    return ReportFigure(id=id, title=title, figure=fn(*args, **kwargs), maker=qualified_name(fn),
                        caption=caption, inputs=inputs, height_px=height_px)
