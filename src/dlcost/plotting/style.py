"""One home for what the report's plotly figures and dlcost's matplotlib Displays share.

Colours (the colour-blind-safe Okabe–Ito palette), the names and colours of the simulation's
models, axis labels, superscript powers of ten, and the plotly layout defaults. A figure
drawn in a notebook (``SimulationDisplay``) and the same figure in the report use these same
values, so they cannot drift apart.
"""

from __future__ import annotations

import html
import math
from typing import Any

#: Colours of the report (colour-blind-safe Okabe–Ito palette, in this order).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")
FONT_FAMILY = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
               "sans-serif")

#: Okabe–Ito colours (colour-blind safe), one per simulated model.
MODEL_COLORS = {"oracle": "#000000", "expert": "#D55E00", "flexible": "#0072B2", "lasso": "#009E73"}
#: How the report and the Displays name the simulated models.
MODEL_LABELS = {
    "oracle": "Oracle (the true features)",
    "expert": "Expert (one feature wrong)",
    "flexible": "Flexible (OLS on every feature)",
    "lasso": "Regularized flexible (Lasso)",
}
#: Two standard errors: the band is an approximate 95 % interval of the mean performance.
BAND_SE = 1.96
SIMULATION_Y_LABEL = "Performance, −log10(excess MSE / σ²)"
SIMULATION_X_LABELS = {"data": "Number of data points, n",
                       "compute": "Computation per fit (FLOP)"}

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_of_ten(exponent: int) -> str:
    """``10`` with a superscript exponent as plain text (``10⁵``, ``10⁻³``): no mathtext."""
    return "10" + str(int(exponent)).translate(SUPERSCRIPT)


def rgba(hex_color: str, alpha: float) -> str:
    """``#RRGGBB`` and an opacity as a plotly ``rgba(…)`` colour."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def plotly_text(value: Any) -> str:
    """A data string made safe to show in plotly labels and hover boxes (HTML-escaped)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=False)


def base_layout(**overrides: Any) -> dict[str, Any]:
    """The report's plotly layout defaults: quiet grid, readable fonts, room for the legend."""
    layout: dict[str, Any] = {
        "template": "simple_white",
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f2328"},
        "margin": {"l": 70, "r": 20, "t": 40, "b": 60},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 12}, "align": "left"},
        "legend": {"bgcolor": "rgba(255,255,255,0.8)", "font": {"size": 12}},
        "colorway": list(PALETTE),
    }
    layout.update(overrides)
    return layout
