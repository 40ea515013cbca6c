"""Builtin rows against the public datasets: score, date and compute.

A builtin row is matched to a public row of the same benchmark (FutureTech 2022, Papers with
Code) by arXiv id and model name, and to an Epoch AI model (no benchmark there) by model name
or arXiv id. The comparison is then:

- score: equal within 0.05 points where the public row reports the same split (FutureTech and
  Papers with Code report each paper's headline split);
- date: days between the builtin date and Papers with Code's or Epoch's publication date;
- compute: dlcost's hardware burden vs FutureTech's stored hardware burden; and dlcost's
  training compute in Epoch's convention (training-precision peak × Epoch's default
  utilization) vs Epoch's training compute (METHODS.md §2).

The goal (issue 3): compute within 2× for at least 90 % of overlapping rows, every larger
disagreement explained in the builtin row's notes.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from dlcost.formatting import sci
from dlcost.names import normalize_model_name

if TYPE_CHECKING:
    from rich.console import Console

    from dlcost.store.db import ResultsDB

#: A disagreement counts as explained when the builtin row's notes name the dataset.
SOURCE_NAMES = {
    "futuretech": ("futuretech", "thompson"),
    "pwc": ("papers with code", "pwc"),
    "epoch": ("epoch",),
}
SCORE_TOLERANCE = 0.05
#: Name similarity (difflib ratio of normalized names) needed to match within one paper.
MATCH_ONE = 0.6
MATCH_SEVERAL = 0.75
COMPUTE_FACTOR = 2.0
ARXIV = re.compile(r"(\d{4}\.\d{4,5})")
#: Splits that FutureTech and Papers with Code report for each benchmark (their headline split).
HEADLINE_SPLITS = {
    "imagenet": {"val"}, "coco": {"test-dev"}, "squad1.1": {"test", "dev"},
    "conll2003": {"test"}, "wmt14-en-fr": {"newstest2014", "test"},
    "wmt14-en-de": {"newstest2014", "test"},
}


def arxiv_id(*texts: Any) -> str | None:
    for text in texts:
        if isinstance(text, str):
            m = ARXIV.search(text)
            if m:
                return m.group(1)
    return None


#: Model names compared without case, spaces or punctuation (:mod:`dlcost.names`).
norm = normalize_model_name


@dataclass
class Comparison:
    """One builtin row against one public row."""

    builtin_id: str
    model: str
    benchmark: str
    against: str
    public_model: str
    field: str              # score | date | hardware_burden | training_compute
    builtin_value: Any
    public_value: Any
    agrees: bool
    detail: str
    explained: bool = False


@dataclass
class Crosscheck:
    comparisons: list[Comparison] = field(default_factory=list)
    matched_rows: int = 0
    builtin_rows: int = 0

    def _of(self, field_names: tuple[str, ...]) -> list[Comparison]:
        return [c for c in self.comparisons if c.field in field_names]

    def stats(self) -> dict[str, Any]:
        scores = self._of(("score",))
        compute = self._of(("hardware_burden", "training_compute"))
        dates = self._of(("date",))
        big = [c for c in compute if not c.agrees]
        return {
            "builtin_rows": self.builtin_rows,
            "matched_rows": self.matched_rows,
            "scores_compared": len(scores),
            "scores_identical": sum(c.agrees for c in scores),
            "dates_compared": len(dates),
            "dates_within_31_days": sum(c.agrees for c in dates),
            "compute_compared": len(compute),
            "compute_within_2x": len(compute) - len(big),
            "compute_within_2x_share": (len(compute) - len(big)) / len(compute)
            if compute else None,
            "compute_disagreements_explained": sum(c.explained for c in big),
            "compute_disagreements": len(big),
        }

    def summary(self) -> str:
        s = self.stats()
        share = s["compute_within_2x_share"]
        return (
            f"builtin vs public: {s['matched_rows']} of {s['builtin_rows']} builtin rows "
            f"matched; scores identical {s['scores_identical']}/{s['scores_compared']}; dates "
            f"within 31 days {s['dates_within_31_days']}/{s['dates_compared']}; compute within "
            f"2× {s['compute_within_2x']}/{s['compute_compared']}"
            + (f" ({share:.0%})" if share is not None else "")
            + f"; larger disagreements explained {s['compute_disagreements_explained']}/"
            f"{s['compute_disagreements']}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {"stats": self.stats(), "summary": self.summary(),
                "disagreements": [asdict(c) for c in self.comparisons if not c.agrees]}

    def print(self, console: Console) -> None:
        from rich.table import Table

        table = Table(title="Builtin rows that disagree with a public dataset")
        for col in ("model", "benchmark", "against", "field", "builtin", "public", "detail"):
            table.add_column(col, overflow="fold")
        for c in self.comparisons:
            if not c.agrees:
                table.add_row(c.model, c.benchmark, c.against, c.field, _fmt(c.builtin_value),
                              _fmt(c.public_value),
                              c.detail + (" (explained in notes)" if c.explained else ""))
        console.print(table)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return sci(value, digits=4)
    return str(value)


def load_public(db: ResultsDB, against: list[Path]) -> ResultsDB:
    """``db`` itself if nothing is named, else a memory store with builtin + the named data."""
    if not against:
        return db
    from dlcost.store import open_db
    from dlcost.store.importers import import_path

    public = open_db(":memory:")
    for path in against:
        for fmt, p in detect(Path(path)):
            import_path(public, fmt, p)
    return public


def detect(path: Path) -> list[tuple[str, Path]]:
    """Which importer reads what under ``path`` (a raw-data root, a folder or a file)."""
    from dlcost.exceptions import DataNotFoundError

    found: list[tuple[str, Path]] = []
    candidates = [path] + (sorted(p for p in path.iterdir() if p.is_dir())
                           if path.is_dir() else [])
    for p in candidates:
        if p.is_dir() and (p / "image-classification-on-imagenet.csv").exists():
            found.append(("futuretech", p))
        elif p.is_dir() and (p / "all_ai_models.csv").exists():
            found.append(("epoch", p))
        elif p.is_dir():
            found += [("pwc", f) for f in sorted(p.glob("evaluation-tables*.json*"))]
        elif p.is_file() and p.name.startswith("evaluation-tables"):
            found.append(("pwc", p))
        elif p.is_file() and p.name == "all_ai_models.csv":
            found.append(("epoch", p))
    if not found:
        raise DataNotFoundError(
            f"{path}: found no FutureTech, Epoch or Papers with Code data to check against; "
            "give the shared/data/raw folder or one dataset's folder"
        )
    return found


def crosscheck_builtin(db: ResultsDB) -> Crosscheck | None:
    """Compare builtin rows with every public source in ``db``."""
    frame = db.results(sources=["all"])
    builtin = frame[frame.source == "builtin"]
    public = frame[frame.source.isin(["futuretech", "pwc", "epoch"])]
    if builtin.empty or public.empty:
        return None
    out = Crosscheck(builtin_rows=len(builtin))
    public = public.assign(
        match_arxiv=[arxiv_id(u, t) for u, t in
                     zip(public.paper_url, public.paper_title, strict=True)],
        match_name=public.model.map(norm),
    )
    matched: set[str] = set()
    for row in builtin.itertuples():
        rid = arxiv_id(row.reference, row.paper_url)
        for source in ("futuretech", "pwc", "epoch"):
            pool = public[public.source == source]
            if source != "epoch":
                pool = pool[pool.benchmark == row.benchmark]
            match = _best_match(row, rid, pool)
            if match is None:
                continue
            matched.add(row.id)
            out.comparisons += _compare(row, match, source)
    out.matched_rows = len(matched)
    return out


def _best_match(row: Any, rid: str | None, pool: pd.DataFrame) -> Any | None:
    """Same normalized name; else same arXiv paper and a close name (not just any variant)."""
    name = norm(row.model)
    exact = pool[pool.match_name == name]
    if len(exact):
        return next(exact.itertuples())
    if rid is None:
        return None
    same_paper = pool[pool.match_arxiv == rid]
    if len(same_paper) == 0:
        return None
    core = norm(_core(row.model))
    ratios = [difflib.SequenceMatcher(None, core, norm(_core(m))).ratio()
              for m in same_paper.model]
    best = max(range(len(ratios)), key=ratios.__getitem__)
    # A paper's only row may be named loosely ("LUKE (single model)" vs "LUKE"); among several
    # rows only a close name is the same model (ViT-L/16 is not ViT-H/14).
    needed = MATCH_ONE if len(same_paper) == 1 else MATCH_SEVERAL
    if ratios[best] < needed or _variant_clash(row.model, same_paper.iloc[best].model):
        return None
    return next(same_paper.iloc[[best]].itertuples())


def _core(name: str) -> str:
    """A model name without its parenthetical qualifiers ("GNMT (WPM-32K, single model)")."""
    return re.sub(r"\([^)]*\)", "", str(name)).strip() or str(name)


SIZE_WORDS = {"tiny", "small", "base", "large", "huge", "giant", "xl", "xxl"}
SIZE_LETTERS = {"t": "tiny", "ti": "tiny", "s": "small", "b": "base", "l": "large",
                "h": "huge", "g": "giant"}


def _variant(name: str) -> dict[str, set[str]]:
    """What tells variants of one architecture apart, by kind.

    Size words ("large", or the "L" of "ViT-L/16"), patch sizes ("/16"), numbers ("B0" vs
    "B7", "ResNet-50" vs "ResNet-152") and one- or two-letter suffixes ("Swin-B", "BiT-M",
    "ConvNeXt-XL"), read from the name without its parenthetical qualifiers.
    """
    text = _core(name).lower()
    words = _sizes(text)
    words |= {SIZE_LETTERS[m] for m in re.findall(r"(?<![a-z])(ti|[tsblhg])(?=/\d)", text)}
    full = str(name).lower()
    return {
        "size": words,
        # an ensemble and a single model of one paper are different results
        "ensemble": ({"ensemble"} if "ensemble" in full else
                     {"single"} if "single" in full else set()),
        "patch": set(re.findall(r"/(\d+)", text)),
        "number": set(re.findall(r"(?<![/\d])(\d+)", text)),
        "suffix": set(re.findall(r"-([a-z]{1,2})\b", text)),
    }


def _sizes(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text) if w in SIZE_WORDS}


def _variant_clash(a: str, b: str) -> bool:
    """Two names of one paper are different models when any variant marker differs."""
    va, vb = _variant(a), _variant(b)
    sa, sb = (_sizes(str(n).lower()) for n in (a, b))
    if bool(sa) != bool(sb) and "ensemble" not in va["ensemble"] | vb["ensemble"]:
        # one name states a size ("BERT-Base") and the other none ("BERT"): which size the
        # unsized one is cannot be told from the name, so they are not matched
        return True
    return any(va[k] and vb[k] and not va[k] & vb[k] for k in va)


def _compare(row: Any, match: Any, source: str) -> list[Comparison]:
    out: list[Comparison] = []
    notes = row.notes.lower() if isinstance(row.notes, str) else ""
    explained = any(name in notes for name in SOURCE_NAMES[source])

    def add(field_name: str, b: Any, p: Any, agrees: bool, detail: str) -> None:
        out.append(Comparison(row.id, row.model, row.benchmark, source, match.model, field_name,
                              b, p, bool(agrees), detail, explained and not agrees))

    if source in ("futuretech", "pwc") and _present(match.score) and row.split in (
            HEADLINE_SPLITS.get(row.benchmark, set())):
        diff = abs(row.score - match.score)
        add("score", float(row.score), float(match.score), diff <= SCORE_TOLERANCE,
            f"differs by {diff:.2f} points")
    public_date = match.date if _present(match.date) else None
    if public_date is not None and _present(row.date):
        days = abs((pd.Timestamp(row.date) - pd.Timestamp(public_date)).days)
        add("date", str(pd.Timestamp(row.date).date()), str(pd.Timestamp(public_date).date()),
            days <= 31, f"{days} days apart")
    own = row.hardware_burden if _present(row.hardware_burden) else None
    if own is not None and source == "futuretech" and _present(match.hardware_burden):
        ratio = own / match.hardware_burden
        add("hardware_burden", own, float(match.hardware_burden),
            1 / COMPUTE_FACTOR <= ratio <= COMPUTE_FACTOR, f"ratio {ratio:.2f}")
    ours = row.training_compute_dlcost if _present(row.training_compute_dlcost) else None
    base = _epoch_base_model(match) if source == "epoch" else None
    if ours is not None and source == "epoch" and _present(match.training_compute) and not base:
        ratio = ours / match.training_compute
        add("training_compute", ours, float(match.training_compute),
            1 / COMPUTE_FACTOR <= ratio <= COMPUTE_FACTOR,
            f"ratio {ratio:.2f} (dlcost's training compute in Epoch's convention)")
    return out


def _epoch_base_model(match: Any) -> str | None:
    """Epoch counts a fine-tuned model's base model in its compute; a builtin row does not.

    Such pairs measure different things and are not compared.
    """
    attrs = json.loads(match.attributes) if isinstance(match.attributes, str) else {}
    base = attrs.get("base_model")
    return str(base) if base else None


def _present(value: Any) -> bool:
    return value is not None and not bool(pd.isna(value))
