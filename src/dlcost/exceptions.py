"""Typed errors and warnings.

Every error subclasses :class:`DlcostError` and the built-in exception it refines, so callers
can catch either. The CLI turns any :class:`DlcostError` into one ``Error: …`` line and exit
status 1. Warnings mean "it ran, but be careful".
"""

from __future__ import annotations


class DlcostError(Exception):
    """Base class of every error dlcost raises on purpose."""


class InvalidParameterError(DlcostError, ValueError):
    """A parameter's value is outside its declared constraints (:mod:`dlcost.validation`)."""


class DataFormatError(DlcostError, ValueError):
    """An input file is malformed: the message names file, row and column."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = path
        self.row = row
        self.column = column
        where = []
        if path is not None:
            where.append(str(path))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class DurationParseError(DlcostError, ValueError):
    """A training time as written in a paper could not be understood."""


class UnknownHardwareError(DlcostError, KeyError):
    """A chip name is not in the accelerator catalogue."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else "unknown hardware"


class UnknownBenchmarkError(DlcostError, KeyError):
    """A benchmark id is not one of the six dlcost knows."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown benchmark"


class ResultNotFoundError(DlcostError, KeyError):
    """No result with the given id is in the store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "result not found"


class EstimationError(DlcostError, ValueError):
    """A compute estimate cannot be made from the facts given (a fact is missing or invalid)."""


class FitError(DlcostError, ValueError):
    """A fit cannot be made (too few points, no spread in compute, …)."""


class NotFittedError(DlcostError, ValueError, AttributeError):
    """A fitted attribute was read before ``fit()`` was called."""


class SimulationSettingsError(DlcostError, ValueError):
    """A simulation setting is out of range or inconsistent with the others."""


class BackendUnavailableError(DlcostError, ImportError):
    """The requested execution backend (Ray) is not installed or cannot start."""


class FetchError(DlcostError, OSError):
    """A download failed or its checksum did not match."""


class StoreError(DlcostError, OSError):
    """The results database cannot be created or opened at the path given."""


class UnknownSourceError(DlcostError, KeyError):
    """A data source or import format is not one dlcost knows, or not in the store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown source"


class UnknownModelError(DlcostError, KeyError):
    """A model name (e.g. of the simulation's models) is not one of those known."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown model"


class DataNotFoundError(DlcostError, FileNotFoundError):
    """A file or folder to read does not exist, or holds none of the data looked for."""


class ReportFolderError(DlcostError, OSError):
    """The report's output folder cannot be used (a file, a foreign folder, no permission)."""


class TransactionError(DlcostError, RuntimeError):
    """A store transaction could not be committed; nothing of it was written."""


class ExtrapolationWarning(UserWarning):
    """A projection reaches beyond the range of the data it was fitted on."""


class ConvergenceWarning(UserWarning):
    """An iterative fit (quantile regression, its bootstrap resamples) stopped at its iteration
    limit before converging; its last iterate is used."""

