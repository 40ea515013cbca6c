"""The results store's schema, as named migrations applied in order, each in a transaction.

A migration is applied together with its record in ``migrations``: either both happen or
neither does. Never edit a migration that has shipped; add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def m001_initial(con: duckdb.DuckDBPyConnection) -> None:
    """Results, their training phases, their compute estimates, and the imports behind them."""
    con.execute(
        """
        CREATE TABLE imports (
            import_key  VARCHAR PRIMARY KEY,  -- e.g. 'futuretech:imagenet'
            source      VARCHAR NOT NULL,     -- builtin | futuretech | epoch | pwc | ...
            path        VARCHAR,
            sha256      VARCHAR NOT NULL,
            n_rows      INTEGER NOT NULL,
            dlcost_version VARCHAR NOT NULL
        )
        """
    )
    con.execute(
        """
        CREATE TABLE results (
            id          VARCHAR PRIMARY KEY,  -- content-derived: stable across re-imports
            import_key  VARCHAR NOT NULL,
            source      VARCHAR NOT NULL,
            source_row  INTEGER,              -- 1-based data row in the source file
            benchmark   VARCHAR,              -- NULL for model-only sources (Epoch models)
            task        VARCHAR,
            metric      VARCHAR,
            score       DOUBLE,
            error       DOUBLE,
            split       VARCHAR,
            extra_data  VARCHAR,
            date        DATE,
            year        INTEGER,
            model       VARCHAR NOT NULL,
            paper_title VARCHAR,
            paper_url   VARCHAR,
            reference   VARCHAR,              -- arXiv id / DOI of the primary source
            parameters  DOUBLE,
            ops_per_pass_flop DOUBLE,
            metrics     JSON,                 -- secondary metrics {name: value}
            facts       JSON,                 -- where each fact stands, or 'assumed: …'
            attributes  JSON,                 -- source-specific extras (domain, organization, …)
            notes       VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE phases (
            result_id   VARCHAR NOT NULL,
            phase       VARCHAR NOT NULL,     -- pretraining | training | finetuning
            chip_index  INTEGER NOT NULL,     -- 0.. for several chip kinds in one phase
            dataset     VARCHAR,
            examples    DOUBLE,
            epochs      DOUBLE,
            steps       DOUBLE,
            batch_size  DOUBLE,
            ops_per_pass_flop DOUBLE,
            chip        VARCHAR,
            chip_count  DOUBLE,
            peak_flop_per_s DOUBLE,           -- as the source states it (NULL: catalogue's)
            time_text   VARCHAR,
            seconds     DOUBLE,
            time_kind   VARCHAR,              -- wall | chip | core
            PRIMARY KEY (result_id, phase, chip_index)
        )
        """
    )
    con.execute(
        """
        CREATE TABLE estimates (
            result_id   VARCHAR NOT NULL,
            method      VARCHAR NOT NULL,     -- network_operations | hardware_burden | …
            flop        DOUBLE,               -- dlcost's own estimate (NULL if not computable)
            description VARCHAR,
            inputs      JSON,
            assumptions JSON,
            problem     VARCHAR,              -- why dlcost could not estimate it
            reported_flop DOUBLE,             -- the source's own stored value, if any
            PRIMARY KEY (result_id, method)
        )
        """
    )


def m002_hardware(con: duckdb.DuckDBPyConnection) -> None:
    """Hardware tables imported from public datasets (Epoch's ML hardware)."""
    con.execute(
        """
        CREATE TABLE hardware (
            name        VARCHAR NOT NULL,
            import_key  VARCHAR NOT NULL,
            source      VARCHAR NOT NULL,
            manufacturer VARCHAR,
            kind        VARCHAR,
            release_date DATE,
            peak_fp32_flop_per_s DOUBLE,
            peak_tf32_flop_per_s DOUBLE,
            peak_fp16_tensor_flop_per_s DOUBLE,
            peak_fp8_flop_per_s DOUBLE,
            tdp_w       DOUBLE,
            release_price_usd DOUBLE,
            attributes  JSON,
            PRIMARY KEY (source, name)
        )
        """
    )


def m020_hardware_prices(con: duckdb.DuckDBPyConnection) -> None:
    """Dated chip prices (Epoch AI's hardware prices): cloud $ per chip-hour and purchase $."""
    con.execute(
        """
        CREATE TABLE hardware_prices (
            import_key  VARCHAR NOT NULL,
            source      VARCHAR NOT NULL,
            source_row  INTEGER NOT NULL,     -- 1-based line in the source file
            hardware    VARCHAR NOT NULL,     -- the chip as the source names it
            manufacturer VARCHAR,
            price_date  DATE NOT NULL,
            vendor      VARCHAR,              -- cloud provider; NULL for purchase prices
            location    VARCHAR,              -- cloud region
            on_demand_usd_per_chip_hour DOUBLE,
            one_year_usd_per_chip_hour DOUBLE,    -- 1-year committed use
            three_year_usd_per_chip_hour DOUBLE,  -- 3-year committed use
            purchase_price_usd DOUBLE,        -- as the source states it (see ``chips``)
            chips       DOUBLE,               -- chips the price or instance covers
            description VARCHAR,
            notes       VARCHAR,
            price_source VARCHAR,             -- URL of the price observation
            PRIMARY KEY (import_key, source_row)
        )
        """
    )


def m021_import_provenance(con: duckdb.DuckDBPyConnection) -> None:
    """How each import came (snapshot, fetch, import, builtin), its date, licence and origin."""
    for column, kind in (("kind", "VARCHAR DEFAULT 'import'"), ("data_date", "DATE"),
                         ("licence", "VARCHAR"), ("attribution", "VARCHAR"),
                         ("origin", "VARCHAR"), ("snapshot", "VARCHAR"),
                         ("imported_at", "TIMESTAMP")):
        con.execute(f"ALTER TABLE imports ADD COLUMN {column} {kind}")
    con.execute("UPDATE imports SET kind = 'builtin' WHERE source = 'builtin'")
    con.execute("UPDATE imports SET imported_at = current_timestamp")


MIGRATIONS: tuple[Migration, ...] = (
    Migration("m001_initial", m001_initial),
    Migration("m002_hardware", m002_hardware),
    Migration("m020_hardware_prices", m020_hardware_prices),
    Migration("m021_import_provenance", m021_import_provenance),
)
