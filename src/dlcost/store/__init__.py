"""The results store (DuckDB), its schema and migrations, importers and fetch."""

from dlcost.store.db import ResultsDB, default_db_path

__all__ = ["ResultsDB", "default_db_path"]
