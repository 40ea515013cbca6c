"""Epoch AI's "Data on Machine Learning Hardware": one row per ML accelerator.

Origin: https://epoch.ai/data/machine-learning-hardware (``ml_hardware.csv``, updated as chips
are released; licence CC BY 4.0). Rows go to the ``hardware`` table: name, maker, kind, release
date and price, peak FLOP/s at FP32, TF32, tensor FP16/BF16 and FP8, and TDP; every other
column Epoch gives (memory, bandwidths, process, die, datasheet link, …) is kept in
``attributes``. These are Epoch's figures beside dlcost's own catalogue, not a replacement
for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlcost.exceptions import DataFormatError
from dlcost.store.batch import (
    HARDWARE_COLUMNS,
    ImportBatch,
    parse_date,
    parse_number,
    sha256_of,
    to_json,
)
from dlcost.store.importers._csv import read_rows, require_files
from dlcost.store.inputs import quote

SOURCE = "epoch-hardware"
FORMAT_NAME = "Epoch AI ML hardware"
HINT = "Expected ml_hardware.csv from https://epoch.ai/data/machine-learning-hardware."
NAME = "Hardware name"
#: hardware-table column → Epoch column
COLUMNS = {
    "manufacturer": "Manufacturer",
    "kind": "Type",
    "release_date": "Release date",
    "peak_fp32_flop_per_s": "FP32 (single precision) performance (FLOP/s)",
    "peak_tf32_flop_per_s": "TF32 (TensorFloat-32) performance (FLOP/s)",
    "peak_fp16_tensor_flop_per_s": "Tensor-FP16/BF16 performance (FLOP/s)",
    "peak_fp8_flop_per_s": "FP8 performance (FLOP/s)",
    "tdp_w": "TDP (W)",
    "release_price_usd": "Release price (USD)",
}
#: attribute → Epoch column holding a positive quantity
NUMERIC_ATTRIBUTES = {
    "peak_fp64_flop_per_s": "FP64 (double precision) performance (FLOP/s)",
    "peak_fp16_flop_per_s": "FP16 (half precision) performance (FLOP/s)",
    "peak_fp4_flop_per_s": "FP4 performance (FLOP/s)",
    "peak_int16_op_per_s": "INT16 performance (OP/s)",
    "peak_int8_op_per_s": "INT8 performance (OP/s)",
    "peak_int4_op_per_s": "INT4 performance (OP/s)",
    "memory_bytes": "Memory (bytes)",
    "memory_bandwidth_byte_per_s": "Memory bandwidth (byte/s)",
    "intranode_bandwidth_byte_per_s": "Intranode bandwidth (byte/s)",
    "internode_bandwidth_bit_per_s": "Internode bandwidth (bit/s)",
    "die_size_mm2": "Die Size (mm^2)",
    "base_clock_mhz": "Base clock (MHz)",
    "boost_clock_mhz": "Boost clock (MHz)",
    "memory_clock_mhz": "Memory clock (MHz)",
    "memory_bus_bit": "Memory bus (bit)",
    "tensor_cores": "Tensor cores",
    "process_size_nm": "Process size (nm)",
    "transistors_millions": "Transistors (millions)",
}
#: attribute → Epoch column derived by Epoch from the others (may be 0 where inputs are missing)
DERIVED_ATTRIBUTES = {
    "max_performance": "Max performance",
    "energy_efficiency": "Energy efficiency",
    "total_processing_performance_bit_op_per_s": "Total processing performance (bit-OP/s)",
    "price_performance": "Price-performance",
    "ml_op_per_s": "ML OP/s",
}
TEXT_ATTRIBUTES = {
    "notes": "Notes",
    "foundry": "Foundry",
    "datasheet_url": "Link to datasheet",
    "price_source": "Source for the price",
    "ml_models": "ML models",
    "last_modified": "Last modified",
}
REQUIRED = (NAME, *COLUMNS.values())


def parse(path: Path) -> list[ImportBatch]:
    """Parse ``ml_hardware.csv`` (or the folder holding it) into hardware rows."""
    if path.is_dir():
        [path] = require_files(path, ["ml_hardware.csv"])
    batch = ImportBatch(source=SOURCE, import_key=f"{SOURCE}:{path.stem}", path=str(path),
                        sha256=sha256_of([path]))
    where = str(path)
    first_line: dict[str, int] = {}
    for line, row in read_rows(path, required=REQUIRED, format_name=FORMAT_NAME,
                                  format_hint=HINT):
        def num(col: str, positive: bool = True, _line: int = line,
                _row: dict[str, str] = row) -> float | None:
            if positive:
                return parse_number(_row.get(col), path=where, row=_line, column=col,
                                    positive=True)
            value = parse_number(_row.get(col), path=where, row=_line, column=col)
            if value is not None and value < 0:
                raise DataFormatError(f"must not be negative, found {quote(_row[col])}",
                                      path=where, row=_line, column=col)
            return value

        name = row[NAME].strip()
        if not name:
            raise DataFormatError("a chip has no name", path=where, row=line, column=NAME)
        if name.lower() in first_line:
            raise DataFormatError(
                f"duplicate row: hardware {quote(name)} already appears at row "
                f"{first_line[name.lower()]}; remove one of the two",
                path=where, row=line,
            )
        first_line[name.lower()] = line
        hw: dict[str, Any] = dict.fromkeys(HARDWARE_COLUMNS)
        hw.update(
            name=name, import_key=batch.import_key, source=SOURCE,
            manufacturer=row[COLUMNS["manufacturer"]].strip() or None,
            kind=row[COLUMNS["kind"]].strip().lower() or None,
            release_date=parse_date(row[COLUMNS["release_date"]], path=where, row=line,
                                    column=COLUMNS["release_date"]),
        )
        for key in ("peak_fp32_flop_per_s", "peak_tf32_flop_per_s",
                    "peak_fp16_tensor_flop_per_s", "peak_fp8_flop_per_s", "tdp_w",
                    "release_price_usd"):
            hw[key] = num(COLUMNS[key])
        attributes: dict[str, Any] = {}
        for key, col in NUMERIC_ATTRIBUTES.items():
            attributes[key] = num(col) if col in row else None
        for key, col in DERIVED_ATTRIBUTES.items():
            attributes[key] = num(col, positive=False) if col in row else None
        for key, col in TEXT_ATTRIBUTES.items():
            attributes[key] = (row.get(col) or "").strip() or None
        hw["attributes"] = to_json({k: v for k, v in attributes.items() if v is not None})
        batch.hardware.append(hw)
    return [batch]
