"""Language-model scores joined to Epoch's models table: date, training compute, parameters.

The benchmarking hub (``dlcost data import epoch-benchmarks DIR``) stores scores with the
model version and the name of the model in Epoch's models table (``epoch_model``); Epoch's
models table (``dlcost data import epoch DIR``) holds each model's publication date, training
compute with Epoch's confidence, and parameters. :func:`lm_scores` joins the two on the model
name (case and runs of spaces ignored); :func:`join_report` says, per benchmark, how many rows
the source has, how many joined to a model and how many of those have compute, with a sample
of what did not join and why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from dlcost.exceptions import UnknownBenchmarkError, UnknownSourceError

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

BENCHMARK_SOURCE = "epoch_benchmarks"
MODELS_SOURCE = "epoch"
ECI_ID = "eci"

#: Why a score did not join, in the order the join tries its steps.
NO_VERSION = "no model version in the source row"
UNKNOWN_VERSION = "model version not in model_versions.csv"
NO_MODEL_NAME = "model_versions.csv gives no Epoch model for the version"
NOT_IN_MODELS = "Epoch model not in the imported models table"
NO_MODELS_TABLE = "Epoch's models table is not imported (dlcost data import epoch DIR)"
JOINED = "joined"
#: Joined on the row's own model name (or version id) where model_versions.csv gives no model.
JOINED_BY_NAME = "joined by the row's model name"

COLUMNS = [
    "id", "benchmark", "model", "model_version", "epoch_model", "organization", "date",
    "version_release_date", "score", "error", "training_compute_flop", "compute_confidence",
    "parameters", "shots", "shots_text", "reasoning", "distilled", "distilled_confidence",
    "origin", "source_name", "source_url", "join_status",
]


def model_key(name: Any) -> str:
    """Join key of a model name: lower case, runs of white space collapsed."""
    return " ".join(str(name or "").lower().split())


def _attributes(frame: pd.DataFrame) -> pd.Series:
    return frame["attributes"].map(lambda t: json.loads(t) if isinstance(t, str) and t else {})


def epoch_models(db: ResultsDB) -> pd.DataFrame:
    """Epoch's models table as imported, one row per model name (the entry with compute first).

    Columns: ``key, epoch_model, date, training_compute_flop, compute_confidence, parameters,
    organization, domain``. Empty when the table is not imported.
    """
    if MODELS_SOURCE not in db.sources():
        return pd.DataFrame(columns=["key", "epoch_model", "date", "training_compute_flop",
                                     "compute_confidence", "parameters", "organization",
                                     "domain"])
    rows = db.results(sources=[MODELS_SOURCE])
    rows = rows[rows["benchmark"].isna()]
    attrs = _attributes(rows)
    out = pd.DataFrame({
        "key": rows["model"].map(model_key),
        "epoch_model": rows["model"],
        "date": rows["date"],
        "training_compute_flop": rows["training_compute"].astype(float),
        "compute_confidence": attrs.map(lambda a: a.get("confidence")),
        "parameters": rows["parameters"].astype(float),
        "organization": attrs.map(lambda a: a.get("organization")),
        "domain": attrs.map(lambda a: a.get("domain")),
    })
    out = out.assign(_has=out["training_compute_flop"].notna())
    out = out.sort_values(["key", "_has"], ascending=[True, False], kind="stable")
    return out.drop_duplicates("key").drop(columns="_has").reset_index(drop=True)


def lm_scores(
    db: ResultsDB,
    *,
    benchmark: str | None = None,
    sources: Sequence[str] = (BENCHMARK_SOURCE,),
) -> pd.DataFrame:
    """Every benchmarking-hub score (ECI excepted) with its Epoch model's date and compute.

    One row per score, columns :data:`COLUMNS`. ``date`` is the Epoch model's publication
    date, else the version's release date; ``join_status`` says why a row has no model.
    """
    available = db.sources()
    chosen = [s for s in sources if s in available]
    if not chosen:
        raise UnknownSourceError(
            "no language-model benchmark scores in the store; import Epoch's benchmarking hub "
            "with `dlcost data import epoch-benchmarks DIR` (and its models table with "
            "`dlcost data import epoch DIR`)"
        )
    rows = db.results(benchmark=benchmark, sources=chosen)
    rows = rows[rows["benchmark"].notna() & (rows["benchmark"] != ECI_ID)].reset_index(drop=True)
    attrs = _attributes(rows)
    frame = pd.DataFrame({
        "id": rows["id"], "benchmark": rows["benchmark"], "model": rows["model"],
        "score": rows["score"].astype(float), "error": rows["error"].astype(float),
        "source_name": rows["paper_title"], "source_url": rows["paper_url"],
    })
    for key in ("model_version", "epoch_model", "version_release_date", "shots", "shots_text",
                "reasoning", "distilled", "distilled_confidence", "origin"):
        frame[key] = attrs.map(lambda a, k=key: a.get(k))
    frame["_known"] = attrs.map(lambda a: a.get("version_known"))
    models = epoch_models(db)
    names = dict(zip(models["key"], models["epoch_model"], strict=True))
    status = [
        _status(v, k, m, have_models=not models.empty, found=model_key(m) in names)
        for v, k, m in zip(frame["model_version"], frame["_known"], frame["epoch_model"],
                           strict=True)
    ]
    # Fallback: where model_versions.csv names no model, the row's own name or version id
    # may be the model's name in Epoch's table (``OPT-13B``).
    for i, st in enumerate(status):
        if st in (NO_VERSION, UNKNOWN_VERSION, NO_MODEL_NAME, NOT_IN_MODELS):
            for candidate in (frame.at[i, "model"], frame.at[i, "model_version"]):
                if _present(candidate) and model_key(candidate) in names:
                    frame.at[i, "epoch_model"] = names[model_key(candidate)]
                    status[i] = JOINED_BY_NAME
                    break
    frame["join_status"] = status
    frame["_key"] = frame["epoch_model"].map(lambda m: model_key(m) if _present(m) else None)
    joined = frame.merge(models.drop(columns=["epoch_model"]), how="left", left_on="_key",
                         right_on="key")
    joined["date"] = pd.to_datetime(joined["date"]).fillna(
        pd.to_datetime(joined["version_release_date"]))
    return joined[COLUMNS]


def _present(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _status(version: Any, known: Any, model: Any, *, have_models: bool, found: bool) -> str:
    if not _present(version):
        return NO_VERSION
    if known is False:
        return UNKNOWN_VERSION
    if not _present(model):
        return NO_MODEL_NAME
    if not have_models:
        return NO_MODELS_TABLE
    return JOINED if found else NOT_IN_MODELS


@dataclass
class JoinReport:
    """Per benchmark: rows in the source, joined to a model, with compute; unjoined samples."""

    table: pd.DataFrame
    unjoined: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmarks": self.table.to_dict("records"),
            "unjoined_sample": self.unjoined,
        }

    def row(self, benchmark: str) -> dict[str, Any]:
        match = self.table[self.table["benchmark"] == benchmark]
        if match.empty:
            raise UnknownBenchmarkError(f"no benchmark {benchmark!r} in the join report")
        return dict(match.iloc[0])


def join_report(db: ResultsDB, *, sample: int = 5) -> JoinReport:
    """How the benchmarking hub's scores joined to Epoch's models table, per benchmark."""
    frame = lm_scores(db)
    joined = frame["join_status"].isin([JOINED, JOINED_BY_NAME])
    frame = frame.assign(
        _version=frame["model_version"].notna(), _joined=joined,
        _compute=joined & frame["training_compute_flop"].gt(0),
    )
    table = frame.groupby("benchmark").agg(
        rows=("id", "size"), with_version=("_version", "sum"), joined=("_joined", "sum"),
        with_compute=("_compute", "sum"),
        joined_by_name=("join_status", lambda s: int((s == JOINED_BY_NAME).sum())),
    ).reset_index().sort_values(["with_compute", "benchmark"], ascending=[False, True])
    table = table.astype({c: int for c in ("rows", "with_version", "joined", "joined_by_name",
                                           "with_compute")})
    table = table[["benchmark", "rows", "with_version", "joined", "joined_by_name",
                   "with_compute"]]
    unjoined: dict[str, list[dict[str, str]]] = {}
    for bench, group in frame[~joined].groupby("benchmark"):
        unjoined[str(bench)] = [
            {"model": str(r.model), "model_version": str(r.model_version or ""),
             "reason": str(r.join_status)}
            for r in group.head(sample).itertuples()
        ]
    return JoinReport(table.reset_index(drop=True), unjoined)
