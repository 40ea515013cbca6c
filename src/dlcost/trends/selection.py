"""Which quantity, over which models or chips: the rows a growth trend is fitted to.

Two kinds of rows live in the store:

- **models** (Epoch AI's "Data on AI Models", results without a benchmark): training compute,
  cost, power draw, chips, training time, parameters, dataset size — dated by publication;
- **chips** (Epoch AI's "Machine Learning Hardware", the ``hardware`` table): peak FLOP/s per
  precision, FLOP/s per dollar and per watt, memory bandwidth — dated by release.

The running top N (Epoch's "frontier"): a model is in it if, among the *selected* models
released up to its date, its training compute is among the N largest. It is computed over the
whole history of the selection, before the date window, so that a window never changes which
models count as frontier (:func:`rolling_top`). For chips the ranking is by the quantity
itself (the fastest, cheapest-per-FLOP, … chips at release).

``flops-per-dollar`` has two price bases (``Selection.prices``):

- ``release`` (default): one point per chip, peak FLOP/s over its release (purchase) price,
  dated by release — FLOP/s per USD;
- ``cloud``: the dated on-demand rental prices of Epoch AI's hardware prices (the store's
  ``hardware_prices`` table, Cottier et al. 2024). One point per chip and calendar quarter:
  peak FLOP/s × 3,600 s/h over the median on-demand USD per chip-hour of that quarter (all
  vendors and regions), dated by the median price date — FLOP per USD of rented time. The
  median keeps one vendor's many regions from weighing more than one observation; rows
  without an on-demand price (purchase, 1- and 3-year committed) and chips without a peak
  FLOP/s at the precision are dropped and counted in the notes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.exceptions import FitError, InvalidParameterError
from dlcost.trends.fit import decimal_year

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

MODELS = "models"
HARDWARE = "hardware"
SUBSETS = ("notable", "all", "large-scale")
#: Without --frontier-top, points in the running top 10 (Epoch's usual N) are still marked.
MARK_TOP = 10
#: --precision → the hardware column (or attribute) of its peak FLOP/s
PRECISIONS: dict[str, str] = {
    "fp32": "peak_fp32_flop_per_s",
    "fp16": "peak_fp16_flop_per_s",
    "tf32": "peak_tf32_flop_per_s",
    "tensor-fp16": "peak_fp16_tensor_flop_per_s",
    "fp8": "peak_fp8_flop_per_s",
}
#: --prices: the price a ``flops-per-dollar`` point divides by (module docstring)
RELEASE_PRICES = "release"
CLOUD_PRICES = "cloud"
PRICE_BASES = (RELEASE_PRICES, CLOUD_PRICES)
#: Seconds in an hour: FLOP/s over USD per hour × this = FLOP per USD.
SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class Quantity:
    """A quantity one can fit a trend to: where it comes from and its unit."""

    key: str
    label: str
    unit: str
    kind: str  # MODELS or HARDWARE
    description: str


QUANTITIES: dict[str, Quantity] = {q.key: q for q in (
    Quantity("compute", "training compute", "FLOP", MODELS,
             "Epoch's training compute (FLOP) of each model"),
    Quantity("cost", "training compute cost", "2023 USD", MODELS,
             "Epoch's training compute cost, 2023 US dollars"),
    Quantity("power", "training power draw", "W", MODELS, "Epoch's training power draw (W)"),
    Quantity("chips", "training chips", "chips", MODELS, "Epoch's hardware quantity"),
    Quantity("training-time", "training time", "hours", MODELS, "Epoch's training time (h)"),
    Quantity("parameters", "parameters", "parameters", MODELS, "Epoch's parameter count"),
    Quantity("dataset-size", "training dataset size", "data points", MODELS,
             "Epoch's training dataset size (data points, e.g. tokens)"),
    Quantity("chip-flops", "peak FLOP/s per chip", "FLOP/s", HARDWARE,
             "peak FLOP/s at --precision (dense)"),
    Quantity("flops-per-dollar", "peak FLOP/s per dollar", "FLOP/s per USD", HARDWARE,
             "peak FLOP/s at --precision over the release price (nominal USD)"),
    Quantity("flops-per-watt", "peak FLOP/s per watt", "FLOP/s per W", HARDWARE,
             "peak FLOP/s at --precision over TDP"),
    Quantity("memory-bandwidth", "memory bandwidth", "byte/s", HARDWARE,
             "memory bandwidth (byte/s)"),
)}

#: ``flops-per-dollar`` with ``prices="cloud"``: the same key, another unit.
CLOUD_FLOPS_PER_DOLLAR = Quantity(
    "flops-per-dollar", "peak FLOP per dollar of on-demand cloud time",
    "FLOP per USD (on-demand rental)", HARDWARE,
    "peak FLOP/s at --precision × 3600 over the median on-demand USD per chip-hour of a "
    "chip in a quarter (Epoch AI's hardware prices)")

#: model quantity → attribute holding it (columns of ``results`` are handled apart)
_MODEL_ATTRIBUTES = {
    "cost": "training_compute_cost_2023_usd",
    "power": "training_power_draw_w",
    "chips": "hardware_quantity",
    "training-time": "training_time_hours",
    "dataset-size": "dataset_size",
}


def get_quantity(name: str) -> Quantity:
    """The quantity called ``name``; else an :class:`InvalidParameterError` with the choices."""
    key = name.strip().lower().replace("_", "-")
    if key not in QUANTITIES:
        raise InvalidParameterError(
            f"unknown quantity {name!r}; choose one of {', '.join(QUANTITIES)}")
    return QUANTITIES[key]


def rolling_top(values: pd.Series, when: pd.Series, n: int) -> pd.Series:
    """True for rows whose value was among the ``n`` largest released up to their date.

    A row is in the running top ``n`` when fewer than ``n`` rows released on or before its
    date have a strictly larger value (Epoch AI's definition; ties stay in together). The
    answer depends only on the rows, not on their order. Rows without value or date are
    False.
    """
    if n < 1:
        raise InvalidParameterError(f"the running top N needs N ≥ 1, got {n}")
    ok = (values.notna() & when.notna()).to_numpy()
    keep = np.zeros(len(values), dtype=bool)
    v = values.to_numpy(dtype=float)
    w = when.to_numpy(dtype=float)
    positions = np.flatnonzero(ok)
    best = np.empty(0)  # the n largest values released so far
    for date in np.unique(w[positions]):
        here = positions[w[positions] == date]
        pool = np.concatenate([best, v[here]])
        greater = (pool[None, :] > v[here][:, None]).sum(axis=1)
        keep[here] = greater < n
        best = np.sort(pool)[-n:]
    return pd.Series(keep, index=values.index)


@dataclass(frozen=True)
class Selection:
    """Which models or chips a trend is fitted to: the options of ``dlcost trend``.

    Pass one to :func:`trend_rows` or :func:`dlcost.trends.trend`, or give its fields as
    keywords there. On a result (``TrendData.selection``) it is the selection as applied: the
    sources read, the precision used, and ``subset="all"`` for chips.
    ``sources=None``: Epoch AI's models when imported, else the store's defaults.
    """

    subset: str = "notable"
    frontier_top: int | None = None
    domain: str | None = None
    organization: str | None = None
    since: str | None = None
    until: str | None = None
    exclude: tuple[str, ...] = ()
    precision: str | None = None
    sources: tuple[str, ...] | None = None
    #: ``flops-per-dollar`` only: ``release`` (purchase price at release) or ``cloud``
    #: (dated on-demand rental prices); module docstring.
    prices: str = RELEASE_PRICES

    def __post_init__(self) -> None:
        # Lists given for the sequences are kept as tuples, so a selection stays immutable.
        object.__setattr__(self, "exclude", tuple(self.exclude))
        if self.sources is not None:
            object.__setattr__(self, "sources", tuple(self.sources))

    @classmethod
    def from_options(cls, selection: Selection | None = None, **options: Any) -> Selection:
        """``selection`` (default: the defaults) with keyword ``options`` (field names)
        applied; an unknown option is an :class:`InvalidParameterError` naming the known."""
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(options) - set(known))
        if unknown:
            raise InvalidParameterError(
                f"unknown trend selection option(s) {', '.join(unknown)}; the options are "
                f"{', '.join(known)}")
        base = selection if selection is not None else cls()
        return replace(base, **options) if options else base

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"subset": self.subset, "frontier_top": self.frontier_top,
                "domain": self.domain, "organization": self.organization,
                "since": self.since, "until": self.until, "exclude": list(self.exclude),
                "precision": self.precision, "sources": list(self.sources or ())}
        if self.prices != RELEASE_PRICES:  # the release default keeps the document as it was
            out["prices"] = self.prices
        return out

    def describe(self) -> str:
        parts = [self.subset if self.subset != "all" else "all"]
        if self.frontier_top:
            parts.append(f"running top {self.frontier_top}")
        if self.domain:
            parts.append(f"domain {self.domain}")
        if self.organization:
            parts.append(f"organization {self.organization}")
        if self.precision:
            parts.append(self.precision)
        if self.prices != RELEASE_PRICES:
            parts.append(f"{self.prices} on-demand prices")
        if self.since or self.until:
            parts.append(f"{self.since or '…'} to {self.until or '…'}")
        return ", ".join(parts)


def _bound(text: str | None, name: str, *, end: bool = False) -> float | None:
    """A date bound as a decimal year; a bare year is its first day, or with ``end`` its last
    (``--until 2023`` keeps all of 2023)."""
    if text is None or str(text).strip() == "":
        return None
    raw = str(text).strip()
    value = decimal_year([raw])[0]
    if not np.isfinite(value):
        raise InvalidParameterError(f"{name} {text!r} is not a date; write 2016-01-01 or 2016")
    if end and raw.isdigit():
        value += 364.0 / 365.25
    return float(value)


def _attrs(frame: pd.DataFrame) -> pd.Series:
    return frame["attributes"].map(lambda t: json.loads(t) if isinstance(t, str) and t else {})


def _numeric(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float)


@dataclass
class TrendData:
    """The rows of a trend: name, date, decimal year, value, whether in the running top N."""

    quantity: Quantity
    frame: pd.DataFrame
    selection: Selection
    notes: list[str] = field(default_factory=list)


def _window(frame: pd.DataFrame, since: float | None, until: float | None) -> pd.DataFrame:
    if since is not None:
        frame = frame[frame["year"] >= since]
    if until is not None:
        frame = frame[frame["year"] <= until]
    return frame


def _model_rows(db: ResultsDB, q: Quantity, sel: Selection, notes: list[str],
                ) -> tuple[pd.DataFrame, Selection]:
    """The selected models' rows, and ``sel`` with the sources read."""
    chosen = sel.sources or (["epoch"] if "epoch" in db.sources() else None)
    rows, attrs, years = _models_and_attributes(db, chosen)
    sel = replace(sel, sources=tuple(db.resolve_sources(chosen)))
    if rows.empty:
        raise FitError("no models (results without a benchmark) in the store; import Epoch "
                       "AI's models: `dlcost data import epoch PATH`")
    if sel.subset != "all":
        flag = sel.subset.replace("-", "_")
        flags = attrs.map(lambda a: a.get(flag))
        if not flags.notna().any():
            raise FitError(f"the store records no '{sel.subset}' flag; import Epoch's whole "
                           "folder (all_ai_models.csv with its subset files) or use --subset all")
        keep = flags.fillna(False).astype(bool)
        rows, attrs = rows[keep], attrs[keep]
    if sel.domain:
        want = sel.domain.strip().lower()
        keep = attrs.map(lambda a: want in {d.strip().lower()
                                            for d in str(a.get("domain", "")).split(",")})
        rows, attrs = rows[keep], attrs[keep]
    if sel.organization:
        want = sel.organization.strip().lower()
        keep = attrs.map(lambda a: want in str(a.get("organization", "")).lower())
        rows, attrs = rows[keep], attrs[keep]
    if sel.exclude:
        names = {n.strip().lower() for n in sel.exclude}
        lower = rows["model"].str.strip().str.lower()
        missing = names - set(lower)
        if missing:
            notes.append(f"--exclude: no model named {', '.join(sorted(missing))} in the "
                         "selection")
        keep = ~lower.isin(names)
        rows, attrs = rows[keep], attrs[keep]
    if q.key == "compute":
        value = _numeric(rows["training_compute"])
    elif q.key == "parameters":
        value = _numeric(rows["parameters"])
    else:
        key = _MODEL_ATTRIBUTES[q.key]
        value = _numeric(attrs.map(lambda a: a.get(key)))
    year = years.loc[rows.index].to_numpy(dtype=float)
    compute = _numeric(rows["training_compute"])
    frame = pd.DataFrame({
        "name": rows["model"].to_numpy(), "year": year,
        "value": value.to_numpy(), "compute": compute.to_numpy(),
    })
    top = rolling_top(frame["compute"].where(frame["compute"] > 0), frame["year"],
                      sel.frontier_top or MARK_TOP)
    frame["frontier"] = top
    if sel.frontier_top:
        frame = frame[top]
    return frame, sel


def _models_and_attributes(db: ResultsDB, chosen: Sequence[str] | None,
                           ) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The models (results without a benchmark), their parsed attributes and their decimal
    years, kept per store state (the growth section and the planner select from them a
    dozen times); copies. The attribute dicts are shared: selections only read them. A
    model's decimal year depends on its date alone, so it is computed once for all."""
    from dlcost.fitting.memo import store_memo

    memo = store_memo(db)
    key = ("trend-models", tuple(chosen) if chosen else None)
    if key not in memo:
        rows = db.results(sources=chosen)
        rows = rows[rows["benchmark"].isna()].copy()
        years = pd.Series(decimal_year(rows["date"].astype(str).where(rows["date"].notna(),
                                                                        None)),
                          index=rows.index)
        memo[key] = (rows, _attrs(rows), years)
    rows, attrs, years = memo[key]
    return rows.copy(), attrs.copy(), years


def _hardware_and_attributes(db: ResultsDB) -> tuple[pd.DataFrame, pd.Series]:
    """The ML hardware table and its parsed attributes, kept per store state; copies."""
    from dlcost.fitting.memo import store_memo

    memo = store_memo(db)
    if "trend-hardware" not in memo:
        hw = db.hardware()
        memo["trend-hardware"] = (hw, _attrs(hw))
    hw, attrs = memo["trend-hardware"]
    return hw.copy(), attrs.copy()


def _hardware_rows(db: ResultsDB, q: Quantity, sel: Selection, notes: list[str],
                   ) -> tuple[pd.DataFrame, Selection]:
    """The selected chips' rows, and ``sel`` with the sources read and the precision used."""
    hw, attrs = _hardware_and_attributes(db)
    if hw.empty:
        raise FitError("no ML hardware in the store; import Epoch AI's hardware table: "
                       "`dlcost data import epoch-hardware ml_hardware.csv`")
    precision = sel.precision or "fp32"
    sel = replace(sel, sources=tuple(sorted(hw["source"].dropna().unique().tolist())),
                  precision=precision if q.key != "memory-bandwidth" else None)
    if precision not in PRECISIONS:
        raise InvalidParameterError(f"unknown precision {precision!r}; choose one of "
                          f"{', '.join(PRECISIONS)}")
    column = PRECISIONS[precision]
    peak = (_numeric(hw[column]) if column in hw
            else _numeric(attrs.map(lambda a: a.get(column))))
    if q.key == "chip-flops":
        value = peak
    elif q.key == "flops-per-dollar":
        value = peak / _numeric(hw["release_price_usd"])
    elif q.key == "flops-per-watt":
        value = peak / _numeric(hw["tdp_w"])
    else:
        value = _numeric(attrs.map(lambda a: a.get("memory_bandwidth_byte_per_s")))
    if sel.organization:
        want = sel.organization.strip().lower()
        keep = hw["manufacturer"].fillna("").str.lower().str.contains(want, regex=False)
        hw, value = hw[keep], value[keep]
    if sel.exclude:
        names = {n.strip().lower() for n in sel.exclude}
        keep = ~hw["name"].str.strip().str.lower().isin(names)
        hw, value = hw[keep], value[keep]
    year = decimal_year(hw["release_date"].astype(str).where(hw["release_date"].notna(), None))
    frame = pd.DataFrame({"name": hw["name"].to_numpy(), "year": year,
                          "value": value.to_numpy(), "compute": np.nan})
    top = rolling_top(frame["value"].where(frame["value"] > 0), frame["year"],
                      sel.frontier_top or MARK_TOP)
    frame["frontier"] = top
    if sel.frontier_top:
        frame = frame[top]
    return frame, sel


def _cloud_rows(db: ResultsDB, sel: Selection, notes: list[str],
                ) -> tuple[pd.DataFrame, Selection]:
    """``flops-per-dollar`` on dated on-demand cloud prices: one row per chip and quarter
    (module docstring), and ``sel`` with the sources read and the precision used."""
    hw, attrs = _hardware_and_attributes(db)
    prices = db.hardware_prices()
    if hw.empty or prices.empty:
        raise FitError("cloud price-performance needs Epoch AI's ML hardware and its hardware "
                       "prices in the store: `dlcost data import epoch-hardware "
                       "ml_hardware.csv` and `dlcost data import epoch-prices "
                       "hardware_prices.csv`")
    precision = sel.precision or "fp32"
    if precision not in PRECISIONS:
        raise InvalidParameterError(f"unknown precision {precision!r}; choose one of "
                                    f"{', '.join(PRECISIONS)}")
    sources = set(hw["source"].dropna()) | set(prices["source"].dropna())
    sel = replace(sel, sources=tuple(sorted(sources)), precision=precision)
    column = PRECISIONS[precision]
    peak = (_numeric(hw[column]) if column in hw
            else _numeric(attrs.map(lambda a: a.get(column))))
    chips = pd.DataFrame({"chip": hw["name"].str.strip().to_numpy(), "peak": peak.to_numpy(),
                          "maker": hw["manufacturer"].fillna("").to_numpy()})
    chips = chips.drop_duplicates("chip").set_index("chip")
    total = len(prices)
    usd = _numeric(prices["on_demand_usd_per_chip_hour"])
    rows = pd.DataFrame({"chip": prices["hardware"].str.strip().to_numpy(),
                         "date": prices["price_date"].astype(str).to_numpy(),
                         "usd_per_hour": usd.to_numpy()})
    rows = rows[rows["usd_per_hour"] > 0]
    dropped = [f"{total - len(rows)} without an on-demand price (purchase or committed-use "
               "prices only)"]
    known = rows["chip"].isin(chips.index)
    if (~known).any():
        dropped.append(f"{int((~known).sum())} of {rows.loc[~known, 'chip'].nunique()} chips "
                       "not in the hardware table")
    rows = rows[known]
    rows = rows.assign(peak=rows["chip"].map(chips["peak"]).to_numpy(dtype=float))
    no_peak = ~(rows["peak"] > 0)
    if no_peak.any():
        dropped.append(f"{int(no_peak.sum())} of {rows.loc[no_peak, 'chip'].nunique()} chips "
                       f"without a peak FLOP/s at {precision}")
    rows = rows[~no_peak]
    if sel.organization:
        want = sel.organization.strip().lower()
        maker = rows["chip"].map(chips["maker"]).str.lower()
        rows = rows[maker.str.contains(want, regex=False).to_numpy()]
    if sel.exclude:
        names = {n.strip().lower() for n in sel.exclude}
        rows = rows[~rows["chip"].str.lower().isin(names)]
    when = pd.to_datetime(rows["date"])
    rows = rows.assign(year=decimal_year(rows["date"]),
                       quarter=(when.dt.year.astype(str) + "Q"
                                + ((when.dt.month - 1) // 3 + 1).astype(str)).to_numpy())
    grouped = rows.groupby(["chip", "quarter"], sort=True)
    agg = grouped.agg(year=("year", "median"), usd_per_hour=("usd_per_hour", "median"),
                      peak=("peak", "first"), prices=("usd_per_hour", "size")).reset_index()
    notes.append(f"cloud prices: {len(rows)} of {total} price rows in {len(agg)} chip-quarter "
                 f"observations of {agg['chip'].nunique()} chips (median on-demand USD per "
                 f"chip-hour per chip and quarter); dropped: {'; '.join(dropped)}")
    frame = pd.DataFrame({
        "name": (agg["chip"] + " " + agg["quarter"]).to_numpy(),
        "year": agg["year"].to_numpy(dtype=float),
        "value": (agg["peak"] * SECONDS_PER_HOUR / agg["usd_per_hour"]).to_numpy(dtype=float),
        "compute": np.nan})
    top = rolling_top(frame["value"].where(frame["value"] > 0), frame["year"],
                      sel.frontier_top or MARK_TOP)
    frame["frontier"] = top
    if sel.frontier_top:
        frame = frame[top]
    return frame, sel


def trend_rows(db: ResultsDB, quantity: str, selection: Selection | None = None,
               **options: Any) -> TrendData:
    """The rows a trend of ``quantity`` is fitted to (module docstring for the rules).

    ``selection`` (a :class:`Selection`; default: its defaults) and keyword ``options`` (its
    field names, e.g. ``frontier_top=10, since="2010-01-01"``, applied over it) choose the
    rows. ``since`` and ``until`` are dates (``2016-01-01``) or whole years, both inclusive;
    the running top N is taken before them. Rows lacking a date or a positive value are
    dropped and counted in the notes.
    """
    q = get_quantity(quantity)
    sel = Selection.from_options(selection, **options)
    if sel.subset not in SUBSETS:
        raise InvalidParameterError(
            f"unknown subset {sel.subset!r}; choose one of {', '.join(SUBSETS)}")
    if sel.frontier_top is not None and sel.frontier_top < 1:
        raise InvalidParameterError(
            f"--frontier-top must be at least 1, got {sel.frontier_top}")
    lo, hi = _bound(sel.since, "--since"), _bound(sel.until, "--until", end=True)
    if lo is not None and hi is not None and hi < lo:
        raise InvalidParameterError(f"--until {sel.until} is before --since {sel.since}")
    basis = str(sel.prices).strip().lower()
    if basis not in PRICE_BASES:
        raise InvalidParameterError(
            f"unknown price basis {sel.prices!r} (--prices); choose one of "
            f"{', '.join(PRICE_BASES)}")
    sel = replace(sel, prices=basis)
    if basis != RELEASE_PRICES and q.key != "flops-per-dollar":
        raise InvalidParameterError(
            f"--prices applies to flops-per-dollar, not to {q.key!r}")
    notes: list[str] = []
    if q.kind == MODELS:
        if sel.precision:
            raise InvalidParameterError(
                f"--precision applies to chip quantities (chip-flops, flops-per-dollar, "
                f"flops-per-watt), not to the model quantity {q.key!r}")
        frame, sel = _model_rows(db, q, sel, notes)
    else:
        if sel.domain:
            raise InvalidParameterError(f"--domain applies to models, not to chips ({q.key})")
        if sel.subset != "notable":
            raise InvalidParameterError(f"--subset applies to models, not to chips ({q.key})")
        if basis == CLOUD_PRICES:
            q = CLOUD_FLOPS_PER_DOLLAR
            frame, sel = _cloud_rows(db, replace(sel, subset="all"), notes)
        else:
            frame, sel = _hardware_rows(db, q, replace(sel, subset="all"), notes)
    frame = _window(frame, lo, hi)
    usable = frame["year"].notna() & (frame["value"] > 0)
    if (~usable).any():
        notes.append(f"{int((~usable).sum())} of {len(frame)} selected row(s) lack a date or "
                     f"a value of {q.label} and are left out")
    frame = frame[usable].sort_values(["year", "name"], kind="stable").reset_index(drop=True)
    return TrendData(quantity=q, frame=frame, selection=sel, notes=notes)

