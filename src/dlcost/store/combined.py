"""The ``combined`` view: one row per result across every source in the store.

The same result often appears in several sources: the builtin dataset, FutureTech 2022,
computerprogress.com, Papers with Code, and Epoch AI (models without benchmark scores, but with
dates, parameters and training compute). ``combined`` matches them and keeps one row per
(benchmark, metric, result), so that a fit never counts a model twice.

**Matching** (per benchmark and metric; the rules of :mod:`dlcost.store.crosscheck`, extended).
Sources are visited in :data:`MATCH_ORDER`; each row either joins one result already seen from
other sources, or starts a new one. A row joins a result when

1. the normalized names are equal (case, spaces and punctuation ignored) and the two papers do
   not contradict each other (equal arXiv ids, or one of them unknown); among several such
   results the one from the same arXiv paper is taken; or
2. failing that, both come from the same arXiv paper and the names are close (difflib ratio
   ≥ 0.6 when the paper has one result, ≥ 0.75 when it has several) without a variant clash
   ("ViT-L/16" is not "ViT-H/14").

A combined row keeps the id of its first row (in :data:`MATCH_ORDER`), so ids and the training
phases stored under them stay valid. A row never joins a result that already holds a row of its
own source (one source may list one architecture under several papers: different results). A
row that could join several results equally well is **ambiguous**: it is left out and reported
(:attr:`Combined.ambiguous`), never guessed. Epoch AI's models attach to results by the same
rules, over all of Epoch's models; an Epoch model that fits several results of one benchmark
equally is also reported.

**Field precedence** (:data:`PRECEDENCE`): each field of a combined row is taken from the
first contributing source, in that field's order, that has a value. Scores come first from
FutureTech 2022 (the paper's data), dates first from sources that give the day, training
compute first from Epoch AI. Every contributing row and its values are kept in
``contributors`` and which source gave each field in ``field_sources`` (``dlcost data show``
prints both).
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from dlcost.names import normalize_model_name as norm
from dlcost.store.crosscheck import MATCH_ONE, MATCH_SEVERAL, arxiv_id
from dlcost.store.crosscheck import _core as core_name
from dlcost.store.crosscheck import _variant_clash as variant_clash

COMBINED = "combined"
#: Sources with benchmark results, in the order they are matched (the first starts results).
MATCH_ORDER: tuple[str, ...] = ("futuretech", "builtin", "computerprogress", "pwc", "squad")
#: The model-only source whose rows attach to results (dates, parameters, training compute).
MODEL_SOURCE = "epoch"
#: Sources left out of the view: the language-model scores of Epoch's benchmarking hub join
#: Epoch's models by model version, exactly (:mod:`dlcost.store.lm`), not by name.
EXCLUDED_SOURCES = frozenset({"epoch_benchmarks"})
_SCORE = ("futuretech", "builtin", "computerprogress", "pwc", "squad")
#: field group → source order. The fields of a group come together from one row.
PRECEDENCE: dict[str, tuple[str, ...]] = {
    # the result itself: what was measured, on which split, in which paper
    "score": _SCORE,
    # day-precise dates first (FutureTech and computerprogress give the year only)
    "date": ("builtin", "epoch", "pwc", "squad", "futuretech", "computerprogress"),
    "year": ("builtin", "futuretech", "epoch", "pwc", "squad", "computerprogress"),
    "parameters": ("builtin", "futuretech", "epoch", "pwc", "squad"),
    "ops_per_pass_flop": ("futuretech", "builtin"),
    # the paper's compute measures: FutureTech's stored values, then dlcost's builtin estimate
    "network_operations": ("futuretech", "builtin", "computerprogress"),
    "hardware_burden": ("futuretech", "builtin", "computerprogress"),
    # training compute in Epoch's convention: Epoch's own estimate first
    "training_compute": ("epoch", "builtin", "futuretech", "computerprogress"),
}
#: Columns taken together with each group.
GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "score": ("model", "task", "score", "error", "split", "extra_data", "metrics",
              "paper_title", "paper_url", "reference", "notes"),
    "date": ("date",),
    "year": ("year",),
    "parameters": ("parameters",),
    "ops_per_pass_flop": ("ops_per_pass_flop",),
    "network_operations": ("network_operations", "network_operations_dlcost",
                           "network_operations_reported", "network_operations_description",
                           "network_operations_method"),
    "hardware_burden": ("hardware_burden", "hardware_burden_dlcost", "hardware_burden_reported",
                        "hardware_burden_description", "hardware_burden_method"),
    "training_compute": ("training_compute", "training_compute_dlcost",
                         "training_compute_reported", "training_compute_description",
                         "training_compute_method"),
}
#: What ``contributors`` keeps of each contributing row.
CONTRIBUTOR_FIELDS = ("source", "id", "model", "paper_title", "score", "error", "date", "year",
                      "parameters", "network_operations", "hardware_burden", "training_compute")


@dataclass(frozen=True)
class Ambiguity:
    """A row that matches several results equally well: reported, not merged."""

    benchmark: str
    metric: str | None
    source: str
    id: str
    model: str
    candidates: tuple[str, ...]   # the models it could be (with their sources)
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "candidates": list(self.candidates)}


@dataclass
class _Result:
    benchmark: str
    metric: Any
    rows: list[dict[str, Any]] = field(default_factory=list)
    epoch: dict[str, Any] | None = None

    @property
    def sources(self) -> set[str]:
        return {r["source"] for r in self.rows}

    @property
    def arxiv(self) -> str | None:
        return next((r["_arxiv"] for r in self.rows if r["_arxiv"]), None)

    @property
    def label(self) -> str:
        return f"{self.rows[0]['model']} ({self.rows[0]['source']})"


@dataclass
class Combined:
    """The combined rows and how they came about."""

    frame: pd.DataFrame
    ambiguous: list[Ambiguity]
    #: combined id → the contributing rows (source, id, model and values)
    members: dict[str, list[dict[str, Any]]]

    def group_of(self, result_id: str) -> str | None:
        """The combined id of the result that ``result_id`` (any source's row) belongs to."""
        if result_id in self.members:
            return result_id
        for cid, rows in self.members.items():
            if any(r["id"] == result_id for r in rows):
                return cid
        return None

    def matches(self, a: str, b: str) -> pd.DataFrame:
        """Results holding rows of both sources ``a`` and ``b``: benchmark, ids and names."""
        out = []
        for cid, rows in self.members.items():
            ra = [r for r in rows if r["source"] == a]
            rb = [r for r in rows if r["source"] == b]
            if ra and rb:
                out.append({"combined_id": cid, "benchmark": ra[0].get("benchmark"),
                            f"{a}_id": ra[0]["id"], f"{a}_model": ra[0]["model"],
                            f"{b}_id": rb[0]["id"], f"{b}_model": rb[0]["model"]})
        return pd.DataFrame(out)

    def summary(self) -> dict[str, Any]:
        per_source: dict[str, int] = defaultdict(int)
        for rows in self.members.values():
            for r in rows:
                per_source[r["source"]] += 1
        multi = sum(len({r["source"] for r in rows}) > 1 for rows in self.members.values())
        return {"results": len(self.frame), "matched_across_sources": multi,
                "rows_by_source": dict(sorted(per_source.items())),
                "ambiguous": len(self.ambiguous)}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for r in records:
        if r.get("date") is not None:
            r["date"] = pd.Timestamp(r["date"]).date()
        r["_arxiv"] = arxiv_id(r.get("reference"), r.get("paper_url"), r.get("paper_title"))
        r["_name"] = norm(r["model"])
    return records


def _compatible(arxiv: str | None, other: str | None) -> bool:
    return arxiv is None or other is None or arxiv == other


def _close(model: str, others: list[str], n_in_paper: int) -> list[int]:
    """Indexes of ``others`` that are the same model by the same-paper rule (best ratio)."""
    c = norm(core_name(model))
    ratios = [difflib.SequenceMatcher(None, c, norm(core_name(m))).ratio() for m in others]
    needed = MATCH_ONE if n_in_paper == 1 else MATCH_SEVERAL
    ok = [i for i, r in enumerate(ratios) if r >= needed and not variant_clash(model, others[i])]
    if not ok:
        return []
    best = max(ratios[i] for i in ok)
    return [i for i in ok if ratios[i] == best]


def _candidates(row: dict[str, Any], results: list[_Result], by_name: dict[str, list[int]],
                by_arxiv: dict[str, list[int]], *, exclude_source: bool = True
                ) -> tuple[list[int], str]:
    """Results ``row`` may belong to, and the rule that found them."""
    def free(i: int) -> bool:
        return not exclude_source or row["source"] not in results[i].sources

    ax = row["_arxiv"]
    exact = [i for i in by_name.get(row["_name"], [])
             if free(i) and _compatible(ax, results[i].arxiv)]
    if len(exact) > 1 and ax:
        same = [i for i in exact if results[i].arxiv == ax]
        exact = same if len(same) == 1 else exact
    if exact:
        return exact, "same name"
    if ax and ax in by_arxiv:
        paper = [i for i in by_arxiv[ax] if free(i)]
        picks = _close(row["model"], [results[i].rows[0]["model"] for i in paper],
                       len(by_arxiv[ax]))
        return [paper[k] for k in picks], "same arXiv paper, close name"
    return [], ""


def combine(frame: pd.DataFrame) -> Combined:
    """Combine the rows of ``db.results()`` (any sources) into one row per result."""
    ambiguous: list[Ambiguity] = []
    frame = frame[~frame["source"].isin(EXCLUDED_SOURCES)]
    bench_rows = frame[frame["benchmark"].notna()]
    models = _records(frame[frame["source"] == MODEL_SOURCE])
    order = {s: i for i, s in enumerate(MATCH_ORDER)}
    extra = sorted(set(bench_rows["source"]) - set(order) - {MODEL_SOURCE})
    order.update({s: len(order) + i for i, s in enumerate(extra)})
    results: list[_Result] = []
    for (benchmark, metric), group in bench_rows.groupby(
            [bench_rows["benchmark"], bench_rows["metric"].fillna("")], sort=True):
        mine: list[_Result] = []
        by_name: dict[str, list[int]] = defaultdict(list)
        by_arxiv: dict[str, list[int]] = defaultdict(list)
        records = sorted(_records(group), key=lambda r: (order[r["source"]], r["id"]))
        for row in records:
            found, rule = _candidates(row, mine, by_name, by_arxiv)
            if len(found) > 1:
                ambiguous.append(Ambiguity(
                    str(benchmark), metric or None, row["source"], row["id"], row["model"],
                    tuple(mine[i].label for i in found), rule))
                continue
            if found:
                mine[found[0]].rows.append(row)
                continue
            mine.append(_Result(str(benchmark), metric or None, [row]))
            by_name[row["_name"]].append(len(mine) - 1)
            if row["_arxiv"]:
                by_arxiv[row["_arxiv"]].append(len(mine) - 1)
        _attach_models(mine, models, ambiguous)
        results += mine
    rows, members = [], {}
    for result in results:
        row, contributors = _merge(result)
        rows.append(row)
        members[row["id"]] = contributors
    columns = [*frame.columns, "contributors", "field_sources"]
    out = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    for col in ("date",):
        out[col] = pd.to_datetime(out[col]).dt.date.where(out[col].notna(), None)
    out = out.sort_values(["benchmark", "year", "model", "id"], na_position="last",
                          kind="stable").reset_index(drop=True)
    return Combined(frame=out, ambiguous=ambiguous, members=members)


def _attach_models(results: list[_Result], models: list[dict[str, Any]],
                   ambiguous: list[Ambiguity]) -> None:
    """Attach each result's Epoch AI model, when exactly one fits (reported otherwise)."""
    if not models:
        return
    by_name: dict[str, list[int]] = defaultdict(list)
    by_arxiv: dict[str, list[int]] = defaultdict(list)
    pool = [_Result("", None, [m]) for m in models]
    for i, m in enumerate(models):
        by_name[m["_name"]].append(i)
        if m["_arxiv"]:
            by_arxiv[m["_arxiv"]].append(i)
    claimed: dict[int, list[int]] = defaultdict(list)
    for k, result in enumerate(results):
        found: list[int] = []
        for row in result.rows:
            probe = {**row, "_arxiv": result.arxiv}
            found, rule = _candidates(probe, pool, by_name, by_arxiv, exclude_source=False)
            if found:
                break
        if len(found) == 1:
            claimed[found[0]].append(k)
        elif len(found) > 1:
            first = result.rows[0]
            ambiguous.append(Ambiguity(
                result.benchmark, result.metric, MODEL_SOURCE, first["id"], first["model"],
                tuple(f"{models[i]['model']} ({MODEL_SOURCE})" for i in found),
                f"{rule} (Epoch AI model for a result)"))
    for i, ks in claimed.items():
        if len(ks) == 1:
            results[ks[0]].epoch = models[i]
            continue
        one = results[ks[0]]
        ambiguous.append(Ambiguity(
            one.benchmark, one.metric, MODEL_SOURCE, models[i]["id"], models[i]["model"],
            tuple(results[k].label for k in ks), "one Epoch AI model fits several results"))


def _merge(result: _Result) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rows = list(result.rows) + ([result.epoch] if result.epoch else [])
    by_source: dict[str, dict[str, Any]] = {}
    for r in rows:
        by_source.setdefault(r["source"], r)
    anchor = result.rows[0]
    merged: dict[str, Any] = {k: v for k, v in anchor.items() if not k.startswith("_")}
    field_sources: dict[str, str] = {}
    for group, sources in PRECEDENCE.items():
        lead = GROUP_COLUMNS[group][0] if group != "score" else "score"
        others = [s for s in by_source if s not in sources]
        for s in (*sources, *others):
            giver = by_source.get(s)
            if giver is not None and giver.get(lead) is not None:
                for col in GROUP_COLUMNS[group]:
                    merged[col] = giver.get(col)
                field_sources[group] = s
                break
        else:
            for col in GROUP_COLUMNS[group]:
                if col != "model":
                    merged[col] = None
    if merged.get("year") is None and merged.get("date") is not None:
        merged["year"] = pd.Timestamp(merged["date"]).year
    contributors = [{**{k: r.get(k) for k in CONTRIBUTOR_FIELDS},
                     "benchmark": r.get("benchmark") or result.benchmark} for r in rows]
    merged.update(
        id=anchor["id"], import_key=None, source=COMBINED, source_row=None,
        benchmark=result.benchmark, facts=None,
        attributes=json.dumps({"sources": sorted(by_source)}, sort_keys=True),
        contributors=json.dumps(contributors, default=str),
        field_sources=json.dumps(field_sources, sort_keys=True),
    )
    for m in ("network_operations", "hardware_burden", "training_compute"):
        source = field_sources.get(m)
        if merged.get(m) is not None and source:
            merged[f"{m}_method"] = f"{source}: {merged.get(f'{m}_method')}"
    return merged, contributors
