"""The HTML report: the paper's whole analysis in one self-contained, interactive page.

Public API
----------
- :func:`build_report` ``(ReportSettings(out_dir=…, sources=…, full=…, seed=…))`` →
  :class:`ReportResult` (paths written, sections, timings). Writes ``index.html`` (plotly.js
  inlined, no network), ``figures/*.png|svg`` and ``tables/*.csv``.
- :class:`ReportSettings`, :class:`ReportResult`.
- :mod:`dlcost.report.sections`: the six sections, each built only from the library's API.
"""

from __future__ import annotations

from dlcost.report.build import ReportResult, build_report
from dlcost.report.context import ReportSettings

__all__ = ["ReportResult", "ReportSettings", "build_report"]
