"""The accelerator catalogue: peak FLOP/s, power and price of the chips deep learning trained on.

Every hardware-burden estimate in dlcost multiplies a chip count and a training time by one of
these peaks, so the table is small, hand-curated and sourced row by row
(``src/dlcost/data/README.md`` says how it was built and how to extend it).

Two shipped tables, read lazily through :mod:`importlib.resources` (so they work from a wheel):

``accelerators.csv``
    One row per chip (61 rows: 43 GPUs, 9 TPU rows, 8 CPUs, 1 matrix ASIC).
    Columns: ``name, aliases`` (``;``-separated), ``kind`` (gpu|tpu|cpu|asic), ``manufacturer``,
    ``release_date`` (YYYY-MM-DD or YYYY-MM), ``unit`` (what one row counts: ``chip``; ``board``
    for the two-GPU Tesla K80; ``device`` for a 4-chip Cloud TPU), ``cores_per_unit``
    (TensorCores, TPUs only), ``peak_fp32_flop_per_s``, ``peak_tf32_flop_per_s``,
    ``peak_fp16_tensor_flop_per_s`` (dense FP16/BF16 matrix), ``peak_fp8_flop_per_s`` — all in
    FLOP/s per unit and **dense** (never the 2:4-sparse figures) — ``tdp_w`` (W),
    ``launch_price_usd``, ``source_url``, ``source_note``, ``notes``. Sample row::

        GeForce GTX 580, "GTX 580;GTX580;NVIDIA GeForce GTX 580", gpu, NVIDIA, 2010-11-09, chip,
        , 1.581056e12, , , , 244, 499, https://www.geforce.com/…/geforce-gtx-580/specifications, …

``cloud_prices.csv``
    Dated cloud prices per unit-hour (124 rows). Columns: ``chip`` (a catalogue name), ``year``,
    ``price_date``, ``usd_per_chip_hour``, ``vendor``, ``region``, ``pricing``
    (on-demand|1yr|3yr), ``source_url``, ``notes``. Sample row::

        TPU v3, 2019, 2019-07-01, 2, Google Cloud, Iowa (us-central1), on-demand,
        https://web.archive.org/web/20190701021000/https://cloud.google.com/tpu/pricing, …

Which peak counts is a convention, and two are in use; each is one method of :class:`Chip`:

* :meth:`Chip.burden_peak` — Thompson et al.'s hardware burden: FP32 for GPUs and CPUs, the
  headline dense FP16/BF16 matrix figure for TPUs and other matrix ASICs.
* :meth:`Chip.training_peak` — Epoch AI's training compute: the precision a model would train at,
  dense FP16/BF16 tensor where the chip has such units, else FP32.

>>> chip = get_chip("GeForce GTX 580")
>>> chip.burden_peak().flop_per_s
1581056000000.0
>>> get_chip("Cloud TPU v3").burden_peak().flop_per_s
420000000000000.0
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from dlcost.exceptions import (
    DataFormatError,
    EstimationError,
    InvalidParameterError,
    UnknownHardwareError,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BURDEN_ORDER",
    "KINDS",
    "PRECISIONS",
    "PRICINGS",
    "TRAINING_ORDER",
    "UNITS",
    "Chip",
    "CloudPrice",
    "PeakFlops",
    "catalogue_frame",
    "cloud_price",
    "cloud_prices_frame",
    "get_chip",
    "list_chips",
]

DATA_PACKAGE = "dlcost.data"
ACCELERATORS_CSV = "accelerators.csv"
CLOUD_PRICES_CSV = "cloud_prices.csv"

KINDS = ("gpu", "tpu", "cpu", "asic")
UNITS = ("chip", "board", "device")
PRICINGS = ("on-demand", "1yr", "3yr")

#: The peak-FLOP/s keys of :attr:`Chip.peak_flop_per_s`, each a CSV column
#: ``peak_<key>_flop_per_s``. All are dense (no structured sparsity).
PRECISIONS = ("fp32", "tf32", "fp16_tensor", "fp8")
PRECISION_LABELS = MappingProxyType({
    "fp32": "FP32",
    "tf32": "TF32 tensor",
    "fp16_tensor": "dense FP16/BF16 tensor",
    "fp8": "dense FP8 tensor",
})

#: Hardware burden (Thompson et al.): the first precision is the rule; if the catalogue lacks it
#: for a chip, the next ones are tried in order, from the rule's precision towards lower ones
#: (a GPU without an FP32 figure is counted at its TF32 rate before its FP16 rate), and the
#: fallback is named in :attr:`PeakFlops.reason`.
BURDEN_ORDER = MappingProxyType({
    "gpu": ("fp32", "tf32", "fp16_tensor", "fp8"),
    "cpu": ("fp32", "tf32", "fp16_tensor", "fp8"),
    "tpu": ("fp16_tensor", "tf32", "fp32", "fp8"),
    "asic": ("fp16_tensor", "tf32", "fp32", "fp8"),
})
_BURDEN_WHO = MappingProxyType({
    "gpu": "GPUs and CPUs", "cpu": "GPUs and CPUs",
    "tpu": "TPUs and other matrix ASICs", "asic": "TPUs and other matrix ASICs",
})

#: Training compute (Epoch AI): 16-bit tensor math where the chip has it, else FP32.
TRAINING_ORDER = ("fp16_tensor", "fp32", "tf32", "fp8")

# Words that papers and datasets put around a chip's name without changing which chip it is.
_FILLER_WORDS = frozenset({
    "nvidia", "geforce", "tesla", "google", "amd", "radeon", "instinct", "intel", "habana",
    "gpu", "gpus", "card",
})

_REQUIRED_COLUMNS = (
    "name", "aliases", "kind", "manufacturer", "release_date", "unit", "cores_per_unit",
    *(f"peak_{p}_flop_per_s" for p in PRECISIONS),
    "tdp_w", "launch_price_usd", "source_url", "source_note", "notes",
)
_PRICE_COLUMNS = ("chip", "year", "price_date", "usd_per_chip_hour", "vendor", "region",
                  "pricing", "source_url", "notes")

_UNKNOWN_HINT = (
    "Run `dlcost hardware list` to see every chip and its aliases, or add a row to "
    "src/dlcost/data/accelerators.csv (its README says how)."
)


@dataclass(frozen=True)
class PeakFlops:
    """A peak throughput chosen by a documented rule.

    ``flop_per_s`` is per catalogue unit (chip, board or device), ``precision`` one of
    :data:`PRECISIONS`, and ``reason`` a sentence saying which rule picked it and any fallback.
    """

    flop_per_s: float
    precision: str
    reason: str


@dataclass(frozen=True)
class Chip:
    """One row of the accelerator catalogue (see the module docstring for units).

    ``peak_flop_per_s`` holds only the dense peaks that are known, keyed by
    :data:`PRECISIONS`; it is excluded from hashing so that chips stay hashable.
    """

    name: str
    aliases: tuple[str, ...]
    kind: str
    manufacturer: str
    release_date: date | None
    unit: str
    cores_per_unit: int | None
    peak_flop_per_s: dict[str, float] = field(hash=False)
    tdp_w: float | None
    launch_price_usd: float | None
    source_url: str
    notes: str
    source_note: str = ""

    def burden_peak(self) -> PeakFlops:
        """The peak for Thompson et al.'s hardware burden (chips × peak × seconds).

        The paper's authors counted GPUs and CPUs at their FP32 peak and TPUs at the headline
        (dense BF16) figure; other matrix ASICs are treated like TPUs. If the rule's precision is
        missing for this chip, the next precision of :data:`BURDEN_ORDER` is used and
        ``reason`` says so.

        >>> get_chip("GTX 580").burden_peak().reason
        'peak FP32 used for GeForce GTX 580 (Thompson et al. convention for GPUs and CPUs)'
        """
        order = BURDEN_ORDER[self.kind]
        convention = f"Thompson et al. convention for {_BURDEN_WHO[self.kind]}"
        return self._pick(order, order[:1], convention)

    def training_peak(self) -> PeakFlops:
        """The peak for Epoch AI's training compute (before a utilization factor).

        Epoch AI assume a model trains in the fastest precision the chip offers for training:
        dense FP16/BF16 tensor math where the chip has tensor (matrix) units — V100 and later,
        TPUs, matrix ASICs — else FP32. TF32 and FP8 are fallbacks when neither is known.

        >>> get_chip("V100").training_peak().flop_per_s
        125000000000000.0
        """
        return self._pick(TRAINING_ORDER, TRAINING_ORDER[:2],
                          "Epoch AI convention: dense FP16/BF16 tensor where the chip has it, "
                          "else FP32")

    def per_core_peak(self, peak: PeakFlops | float) -> float:
        """``peak`` (a :class:`PeakFlops` or FLOP/s) divided by :attr:`cores_per_unit`, for
        times given in TPU core-days.

        Raises :class:`~dlcost.exceptions.EstimationError` when the catalogue does not know how
        many cores one unit has.

        >>> chip = get_chip("Cloud TPU v3")
        >>> chip.per_core_peak(chip.burden_peak())
        52500000000000.0
        """
        if not self.cores_per_unit:
            raise EstimationError(
                f"{self.name}: the catalogue does not say how many cores one {self.unit} has, so "
                "a per-core peak cannot be made; give the training time as wall-clock time with "
                "a chip count instead of core-time"
            )
        flop_per_s = peak.flop_per_s if isinstance(peak, PeakFlops) else float(peak)
        return flop_per_s / self.cores_per_unit

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "kind": self.kind,
            "manufacturer": self.manufacturer,
            "release_date": self.release_date.isoformat() if self.release_date else None,
            "unit": self.unit,
            "cores_per_unit": self.cores_per_unit,
            "peak_flop_per_s": dict(self.peak_flop_per_s),
            "tdp_w": self.tdp_w,
            "launch_price_usd": self.launch_price_usd,
            "source_url": self.source_url,
            "source_note": self.source_note,
            "notes": self.notes,
        }

    def _pick(self, order: tuple[str, ...], rule: tuple[str, ...], convention: str) -> PeakFlops:
        """The first known peak in ``order``; ``rule`` is what the convention itself asks for."""
        for precision in order:
            value = self.peak_flop_per_s.get(precision)
            if value is None:
                continue
            label = PRECISION_LABELS[precision]
            if precision in rule:
                reason = f"peak {label} used for {self.name} ({convention})"
            else:
                wanted = " or ".join(PRECISION_LABELS[p] for p in rule)
                reason = (
                    f"peak {label} used for {self.name}: the catalogue has no peak {wanted} "
                    f"for it ({convention}; fallback order {' → '.join(order)})"
                )
            return PeakFlops(flop_per_s=value, precision=precision, reason=reason)
        raise EstimationError(
            f"{self.name}: the catalogue has no peak FLOP/s at any precision; add one to "
            "src/dlcost/data/accelerators.csv or pass the peak explicitly"
        )


@dataclass(frozen=True)
class CloudPrice:
    """A cloud price per catalogue unit-hour, the table row it came from, and any fallback.

    ``year`` is the year asked for; ``row["year"]`` the year of the price used. ``fallback`` is
    ``None`` when they agree, else a sentence saying which year was used instead.
    """

    chip: str
    year: int
    pricing: str
    usd_per_chip_hour: float
    row: Mapping[str, str] = field(hash=False, compare=False)
    fallback: str | None


@dataclass(frozen=True)
class _Catalogue:
    chips: tuple[Chip, ...]
    exact: Mapping[str, Chip]
    loose: Mapping[str, Chip]
    display: Mapping[str, str]  # normalized alias → the alias as written


def _key(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a name."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _loose_key(text: str) -> str:
    """:func:`_key` without brand and filler words ("NVIDIA", "GeForce", "GPU", …)."""
    words = re.findall(r"[0-9a-z]+", text.lower())
    return "".join(w for w in words if w not in _FILLER_WORDS)


def _read_text(filename: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(filename).read_text(encoding="utf-8")


def _rows(filename: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_read_text(filename)))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise DataFormatError(f"missing columns {missing}", path=filename)
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


def _number(text: str, *, filename: str, row: int, column: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise DataFormatError(f"{text!r} is not a number", path=filename, row=row,
                              column=column) from None
    if not value > 0:
        raise DataFormatError(f"{text!r} must be positive", path=filename, row=row, column=column)
    return value


def _release_date(text: str, *, row: int) -> date | None:
    """YYYY-MM-DD, or YYYY-MM (read as the first of the month)."""
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    try:
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        raise DataFormatError(f"{text!r} is not YYYY-MM-DD or YYYY-MM", path=ACCELERATORS_CSV,
                              row=row, column="release_date") from None


def _parse_chip(raw: dict[str, str], row: int) -> Chip:
    def need(column: str, allowed: tuple[str, ...] | None = None) -> str:
        value = raw[column]
        if not value or (allowed is not None and value not in allowed):
            expected = f"one of {list(allowed)}" if allowed else "a value"
            raise DataFormatError(f"got {value!r}, expected {expected}", path=ACCELERATORS_CSV,
                                  row=row, column=column)
        return value

    peaks = {}
    for precision in PRECISIONS:
        column = f"peak_{precision}_flop_per_s"
        value = _number(raw[column], filename=ACCELERATORS_CSV, row=row, column=column)
        if value is not None:
            peaks[precision] = value
    cores = _number(raw["cores_per_unit"], filename=ACCELERATORS_CSV, row=row,
                    column="cores_per_unit")
    if cores is not None and cores != int(cores):
        raise DataFormatError(f"{cores} is not a whole number", path=ACCELERATORS_CSV, row=row,
                              column="cores_per_unit")
    return Chip(
        name=need("name"),
        aliases=tuple(a.strip() for a in raw["aliases"].split(";") if a.strip()),
        kind=need("kind", KINDS),
        manufacturer=need("manufacturer"),
        release_date=_release_date(raw["release_date"], row=row),
        unit=need("unit", UNITS),
        cores_per_unit=int(cores) if cores is not None else None,
        peak_flop_per_s=peaks,
        tdp_w=_number(raw["tdp_w"], filename=ACCELERATORS_CSV, row=row, column="tdp_w"),
        launch_price_usd=_number(raw["launch_price_usd"], filename=ACCELERATORS_CSV, row=row,
                                 column="launch_price_usd"),
        source_url=need("source_url"),
        notes=raw["notes"],
        source_note=raw["source_note"],
    )


@functools.cache
def _catalogue() -> _Catalogue:
    chips = tuple(_parse_chip(raw, row) for row, raw in
                  enumerate(_rows(ACCELERATORS_CSV, _REQUIRED_COLUMNS), start=2))
    exact: dict[str, Chip] = {}
    loose: dict[str, Chip] = {}
    display: dict[str, str] = {}
    for chip in chips:
        for alias in (chip.name, *chip.aliases):
            for index, key in ((exact, _key(alias)), (loose, _loose_key(alias))):
                other = index.setdefault(key, chip)
                if other is not chip:
                    raise DataFormatError(
                        f"the name {alias!r} of {chip.name!r} also names {other.name!r}; "
                        "every name and alias must pick one chip",
                        path=ACCELERATORS_CSV, column="aliases",
                    )
            display.setdefault(_key(alias), alias)
    return _Catalogue(chips=chips, exact=MappingProxyType(exact), loose=MappingProxyType(loose),
                      display=MappingProxyType(display))


def list_chips(kind: str | None = None) -> list[Chip]:
    """Every chip in the catalogue, in table order (optionally only one ``kind``)."""
    if kind is not None and kind not in KINDS:
        raise InvalidParameterError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    return [c for c in _catalogue().chips if kind is None or c.kind == kind]


def get_chip(name: str) -> Chip:
    """Look a chip up by its name or any alias, ignoring case, spaces and punctuation.

    Brand and filler words ("NVIDIA", "GeForce", "Tesla", "Google", "GPU", …) may be added or
    left out: ``"GTX 580"``, ``"GeForce GTX 580"`` and ``"NVIDIA GeForce GTX-580"`` are one chip.
    A generic name resolves to the variant the row's notes call the DEFAULT (``"V100"`` → Tesla
    V100 SXM2, ``"A100"`` → A100 SXM4 40GB, ``"H100"`` → H100 SXM5, ``"P100"`` → Tesla P100
    PCIe, ``"Titan X"`` → the 2015 GeForce GTX TITAN X). ``"TPU v3"`` is one chip and
    ``"Cloud TPU v3"`` the paper's 4-chip device.

    Raises :class:`~dlcost.exceptions.UnknownHardwareError` listing the closest names.

    >>> get_chip("Tesla V100-SXM2-32GB").name
    'Tesla V100 SXM2'
    """
    catalogue = _catalogue()
    chip = catalogue.exact.get(_key(name)) or catalogue.loose.get(_loose_key(name))
    if chip is not None:
        return chip
    raise UnknownHardwareError(_unknown_message(name))


@functools.lru_cache(maxsize=1024)
def _unknown_message(name: str) -> str:
    """The error text, made once per name: an import meets the same unknown chips on many rows,
    and the difflib suggestions were half of the Epoch import's parsing time."""
    catalogue = _catalogue()
    matches = difflib.get_close_matches(_key(name), list(catalogue.display), n=8, cutoff=0.5)
    names: list[str] = []
    for key in matches:
        chip_name = catalogue.exact[key].name
        if chip_name not in names:
            names.append(chip_name)
    closest = (f"Closest matches: {', '.join(repr(n) for n in names[:3])}." if names
               else "No name in the catalogue is close.")
    return (f"unknown hardware {name!r}: not in dlcost's accelerator catalogue "
            f"({len(catalogue.chips)} chips). {closest} {_UNKNOWN_HINT}")


@functools.cache
def _frame(filename: str) -> pd.DataFrame:
    import pandas as pd

    return pd.read_csv(io.StringIO(_read_text(filename)), keep_default_na=False,
                       na_values={c: [""] for c in ("cores_per_unit", "tdp_w", "launch_price_usd",
                                                    *(f"peak_{p}_flop_per_s" for p in PRECISIONS))})


def catalogue_frame() -> pd.DataFrame:
    """The accelerator table as a DataFrame (a fresh copy of a cached parse).

    Columns as in ``accelerators.csv`` (see the module docstring); numeric columns are floats
    with NaN where unknown, text columns are strings ("" where empty).
    """
    _catalogue()  # validate the table once before handing it out
    return _frame(ACCELERATORS_CSV).copy()


def cloud_prices_frame() -> pd.DataFrame:
    """The cloud price table as a DataFrame (a fresh copy of a cached parse)."""
    return _frame(CLOUD_PRICES_CSV).copy()


@functools.cache
def _price_rows() -> tuple[Mapping[str, str], ...]:
    rows = _rows(CLOUD_PRICES_CSV, _PRICE_COLUMNS)
    known = {c.name for c in _catalogue().chips}
    seen: set[tuple[str, str, str]] = set()
    for number, row in enumerate(rows, start=2):
        if row["chip"] not in known:
            raise DataFormatError(f"{row['chip']!r} is not a catalogue name",
                                  path=CLOUD_PRICES_CSV, row=number, column="chip")
        if row["pricing"] not in PRICINGS:
            raise DataFormatError(f"got {row['pricing']!r}, expected one of {list(PRICINGS)}",
                                  path=CLOUD_PRICES_CSV, row=number, column="pricing")
        if not re.fullmatch(r"\d{4}", row["year"]) or not row["price_date"].startswith(row["year"]):
            raise DataFormatError(f"year {row['year']!r} does not match price_date "
                                  f"{row['price_date']!r}", path=CLOUD_PRICES_CSV, row=number,
                                  column="year")
        _number(row["usd_per_chip_hour"], filename=CLOUD_PRICES_CSV, row=number,
                column="usd_per_chip_hour")
        key = (row["chip"], row["year"], row["pricing"])
        if key in seen:
            raise DataFormatError(f"a second {row['pricing']} price for {row['chip']} in "
                                  f"{row['year']}", path=CLOUD_PRICES_CSV, row=number)
        seen.add(key)
    return tuple(MappingProxyType(r) for r in rows)


def cloud_price(chip: str, year: int, pricing: str = "on-demand") -> CloudPrice:
    """The cloud price of one catalogue unit for an hour in ``year``.

    ``chip`` is any name :func:`get_chip` accepts; the price is per *catalogue unit* (a K80 board,
    a 4-chip Cloud TPU device, otherwise a chip). If the table has no price for that year, the
    nearest year's is used (the earlier on a tie) and :attr:`CloudPrice.fallback` says so.

    Raises :class:`~dlcost.exceptions.EstimationError` when the chip has no price of that kind
    at all, and :class:`ValueError` for an unknown ``pricing``.

    >>> price = cloud_price("TPU v3", 2019)
    >>> price.usd_per_chip_hour, price.fallback
    (2.0, None)
    """
    if pricing not in PRICINGS:
        raise InvalidParameterError(f"pricing must be one of {list(PRICINGS)}, got {pricing!r}")
    resolved = get_chip(chip)
    rows = [r for r in _price_rows() if r["chip"] == resolved.name and r["pricing"] == pricing]
    if not rows:
        priced = sorted({r["chip"] for r in _price_rows() if r["pricing"] == pricing})
        raise EstimationError(
            f"no {pricing} cloud price for {resolved.name} in src/dlcost/data/cloud_prices.csv; "
            f"chips with one: {', '.join(priced)}. Pass a price per chip-hour explicitly, or add "
            "a sourced row to the table"
        )
    row = min(rows, key=lambda r: (abs(int(r["year"]) - year), int(r["year"])))
    used = int(row["year"])
    fallback = None
    if used != year:
        fallback = (f"no {pricing} price for {resolved.name} in {year}; used {used}, the nearest "
                    f"year with one ({row['vendor']}, {row['price_date']})")
    return CloudPrice(chip=resolved.name, year=year, pricing=pricing,
                      usd_per_chip_hour=float(row["usd_per_chip_hour"]), row=row,
                      fallback=fallback)
