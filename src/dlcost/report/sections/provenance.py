"""Section 6: what the report rests on — data, imputed rows, presets, versions, and makers."""

from __future__ import annotations

import platform
from typing import Any

from dlcost import __version__
from dlcost.benchmarks import BENCHMARKS
from dlcost.report import format as F
from dlcost.report.context import N_BOOT, ReportContext
from dlcost.report.model import Column, ReportFigure, ReportTable, Section, qualified_name

HOW_TO_READ = (
    "Everything above can be traced back from here: which datasets were read and how many "
    "rows each gave, which compute values were filled in rather than reported, every constant "
    "behind the dollars and CO₂ with its source, the software versions and the random seed, "
    "and, for each figure and table, the dlcost function that made it.",
    "Running the same command with the same data and seed gives the same tables, byte for "
    "byte; each table is also saved as a CSV file beside this page.",
)


def datasets_frame(ctx: ReportContext) -> Any:
    imports = ctx.db.imports()
    if ctx.sources != ["combined"]:  # combined reads every source in the store
        imports = imports[imports["source"].isin(ctx.sources)]
    imports = imports.copy()
    imports["sha256"] = imports["sha256"].astype(str)
    return imports.reset_index(drop=True)


def snapshots_frame(ctx: ReportContext) -> Any:
    """Every snapshot dlcost ships: date, origin, SHA-256 of each source file, licence,
    attribution, and whether this store still holds it (or data fetched since)."""
    import pandas as pd

    from dlcost.store.snapshots import shipped, source_status

    held = {s.source: s for s in source_status(ctx.db)}
    records = []
    for snap in shipped():
        status = held.get(snap.name)
        records.append({
            "snapshot": snap.name, "title": snap.title,
            "date": f"{snap.date} ({snap.date_kind})",
            "origin_url": snap.origin_url, "origin_commit": snap.origin_commit or "",
            "files_sha256": "\n".join(f"{f['path']}: {f['sha256']}" for f in snap.files),
            "licence": snap.licence, "attribution": snap.attribution, "rows": snap.rows,
            "in_store": ("not in this store" if status is None
                         else f"{status.kind} ({status.date})"),
        })
    return pd.DataFrame(records)


def rows_frame(ctx: ReportContext) -> Any:
    import pandas as pd

    records = []
    for bench in ctx.benchmarks():
        rows = ctx.results[ctx.results["benchmark"] == bench]
        fits = ctx.fits()[bench]
        record: dict[str, Any] = {
            "benchmark": bench, "benchmark_name": BENCHMARKS[bench].name,
            "results": len(rows),
            "with_hardware_burden": int(rows["hardware_burden"].notna().sum()),
            "with_network_operations": int(rows["network_operations"].notna().sum()),
            "in_fit": None, "observed": None, "imputed": None,
            "consolidation_slope": None, "consolidation_r2": None, "consolidation_pairs": None,
            "notes": fits.problem or "; ".join(fits.data.notes if fits.data else []),
        }
        if fits.ok:
            method = fits.data.frame["compute_method"]
            record.update(in_fit=len(fits.data.frame), observed=int((method == "observed").sum()),
                          imputed=int((method == "imputed").sum()))
            c = fits.data.consolidation
            if c is not None:
                record.update(consolidation_slope=c.slope, consolidation_r2=c.r2,
                              consolidation_pairs=c.n_pairs)
        records.append(record)
    return pd.DataFrame(records)


def constants_frame(ctx: ReportContext) -> Any:
    """Every constant the numbers rest on, each with its source and URL."""
    import pandas as pd

    from dlcost import assumptions
    from dlcost.projection import PAPER_TARGETS, default_targets
    from dlcost.projection.equivalences import NYC_MONTH
    from dlcost.report.sections.projections import projection_rows

    records: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(used_for: str, name: str, value: Any, unit: str, source: str, url: str,
            derivation: str = "") -> None:
        key = (used_for, name)
        if key in seen:
            return
        seen.add(key)
        records.append({"used_for": used_for, "name": name, "value": value, "unit": unit,
                        "source": source, "url": url, "derivation": derivation})

    for entry in projection_rows(ctx).entries:
        proj = entry.projection
        for c in proj.preset_constants:
            add(f"cost preset {proj.preset}", c["name"], c["value"], c["unit"], c["source"],
                c["url"], c.get("derivation", ""))
    add("CO₂ equivalence", NYC_MONTH.unit, NYC_MONTH.kg_co2e, "kg CO₂e", NYC_MONTH.source,
        NYC_MONTH.url)
    for a in assumptions.ALL:
        add("compute estimates", a.name, a.value, a.unit, a.source, a.url)
    for bench, targets in PAPER_TARGETS.items():
        add("projection targets", f"{BENCHMARKS[bench].name} target errors",
            ", ".join(F.percent(t) for t in targets), "error",
            "Thompson et al. 2020, projection table (METHODS.md §4)",
            "https://arxiv.org/abs/2007.05558",
            f"{default_targets.__module__}.{default_targets.__qualname__}")
    frame = pd.DataFrame(records)
    frame["value"] = frame["value"].map(lambda v: v if isinstance(v, str) else f"{v:.6g}")
    return frame


def run_frame(ctx: ReportContext) -> Any:
    import numpy as np
    import pandas as pd
    import plotly

    from dlcost.report.sections.theory import scale_note, simulation_settings

    sim = simulation_settings(ctx)
    facts = [
        ("dlcost version", __version__),
        ("seed", str(ctx.seed)),
        ("sources", ", ".join(ctx.sources)),
        ("bootstrap resamples per fit", str(N_BOOT)),
        ("simulation", f"{sim.reps} repetitions, p = {sim.features}, s = {sim.relevant}, "
                       f"n = {sim.n_min}…{sim.n_max} ({sim.n_points} points), seed {sim.seed}, "
                       f"{scale_note(sim)}"),
        ("Python", platform.python_version()),
        ("numpy", np.__version__),
        ("pandas", pd.__version__),
        ("plotly (and the plotly.js inlined in the page)", plotly.__version__),
    ]
    return pd.DataFrame(facts, columns=["item", "value"])


def makers_frame(sections: list[Section]) -> Any:
    import pandas as pd

    records = []
    for section in sections:
        for block in section.blocks:
            if isinstance(block, ReportFigure | ReportTable):
                records.append({
                    "section": section.title,
                    "kind": "figure" if isinstance(block, ReportFigure) else "table",
                    "id": block.id, "title": block.title, "made_by": block.maker,
                    "inputs": block.inputs if isinstance(block, ReportFigure) else "",
                })
    return pd.DataFrame(records)


def provenance(ctx: ReportContext, sections: list[Section]) -> Section:
    section = Section("provenance", "Assumptions and provenance", HOW_TO_READ)
    section.blocks.append(ReportTable(
        id="table-datasets", title="Datasets read", frame=datasets_frame(ctx),
        columns=[
            Column("import_key", "Import"), Column("source", "Source"),
            Column("n_rows", "Rows", F.integer, numeric=True),
            Column("sha256", "SHA-256", lambda v: str(v)[:16] + "…"),
            Column("dlcost_version", "Imported with dlcost"),
        ],
        maker=qualified_name(datasets_frame),
    ))
    section.blocks.append(ReportTable(
        id="table-snapshots", title="Snapshots shipped with dlcost, and their licences",
        frame=snapshots_frame(ctx),
        columns=[
            Column("title", "Dataset", link="origin_url"), Column("date", "Date"),
            Column("origin_commit", "Origin commit"),
            Column("files_sha256", "Source files (SHA-256)", multiline=True),
            Column("rows", "Rows", F.integer, numeric=True),
            Column("licence", "Licence"), Column("attribution", "Attribution"),
            Column("in_store", "In this store"),
        ],
        maker=qualified_name(snapshots_frame),
        caption="Built by scripts/build_snapshots.py from the public files through dlcost's "
                "own importers (a test rebuilds them and compares). `dlcost data fetch SOURCE` "
                "replaces a snapshot with the current public data.",
    ))
    section.blocks.append(ReportTable(
        id="table-rows", title="Rows per benchmark: used, observed and imputed compute",
        frame=rows_frame(ctx),
        columns=[
            Column("benchmark_name", "Benchmark"),
            Column("results", "Results", F.integer, numeric=True),
            Column("with_hardware_burden", "With hardware burden", F.integer, numeric=True),
            Column("with_network_operations", "With network operations", F.integer,
                   numeric=True),
            Column("in_fit", "In the fit", F.integer, numeric=True),
            Column("observed", "Observed", F.integer, numeric=True),
            Column("imputed", "Imputed", F.integer, numeric=True),
            Column("notes", "How the rows were chosen"),
        ],
        maker=qualified_name(rows_frame),
        caption="Imputed: hardware burden predicted from network operations with a log-log fit "
                "on the rows that have both (the 2022 analysis's consolidation); the CSV gives "
                "that fit's slope, R² and number of pairs.",
    ))
    section.blocks.append(ReportTable(
        id="table-constants", title="Presets and constants, with their sources",
        frame=constants_frame(ctx),
        columns=[
            Column("used_for", "Used for"), Column("name", "Constant"),
            Column("value", "Value", numeric=True), Column("unit", "Unit"),
            Column("source", "Source", link="url"), Column("derivation", "Derivation"),
        ],
        maker=qualified_name(constants_frame),
    ))
    section.blocks.append(ReportTable(
        id="table-run", title="This run", frame=run_frame(ctx),
        columns=[Column("item", "Item"), Column("value", "Value")],
        maker=qualified_name(run_frame),
    ))
    own = makers_frame([*sections, section])
    own.loc[len(own)] = {"section": section.title, "kind": "table", "id": "table-makers",
                         "title": "Every figure and table, and the function that made it",
                         "made_by": qualified_name(makers_frame), "inputs": ""}
    section.blocks.append(ReportTable(
        id="table-makers", title="Every figure and table, and the function that made it",
        frame=own,
        columns=[Column("kind", "Kind"), Column("id", "Id"), Column("title", "Title"),
                 Column("made_by", "Made by"), Column("inputs", "Inputs")],
        maker=qualified_name(makers_frame),
    ))
    return section
