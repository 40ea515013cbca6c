"""Typed errors and warnings.

Every error subclasses :class:`DlcostError` and the built-in exception it refines, so callers
can catch either. The CLI turns any :class:`DlcostError` into one ``Error: …`` line and exit
status 1. Warnings mean "it ran, but be careful".
"""

from __future__ import annotations

#: Longest message text a :class:`DataFormatError` keeps (after the file, row and column).
MAX_MESSAGE = 800


class DlcostError(Exception):
    """Base class of every error dlcost raises on purpose."""


class _NotFound(KeyError):
    """A ``KeyError`` whose text is its message (``KeyError`` would quote it)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.__doc__ or ""


class InvalidParameterError(DlcostError, ValueError):
    """A parameter's value is outside its declared constraints (:mod:`dlcost.validation`)."""


class DataFormatError(DlcostError, ValueError):
    """An input file is malformed: the message names file, row and column (on one line)."""

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
        message = " ".join(message.split())  # parsers' messages may span lines
        if len(message) > MAX_MESSAGE:  # a cell quoted whole somewhere: never a 100 KB line
            message = message[:MAX_MESSAGE - 1] + "…"
        super().__init__(f"{prefix}: {message}" if prefix else message)


class DurationParseError(DlcostError, ValueError):
    """A training time as written in a paper could not be understood."""


class UnknownHardwareError(DlcostError, _NotFound):
    """A chip name is not in the accelerator catalogue."""


class UnknownBenchmarkError(DlcostError, _NotFound):
    """A benchmark id is not one of the six dlcost knows."""


class ResultNotFoundError(DlcostError, _NotFound):
    """No result with the given id is in the store."""


class EstimationError(DlcostError, ValueError):
    """A compute estimate cannot be made from the facts given (a fact is missing or invalid)."""


class FitError(DlcostError, ValueError):
    """A fit cannot be made (too few points, no spread in compute, …)."""


class TargetOutOfRangeError(FitError):
    """A target score the fit cannot reach: at or below the chance floor, or above the ceiling."""


class NotFittedError(DlcostError, ValueError, AttributeError):
    """A fitted attribute was read before ``fit()`` was called."""


class SimulationSettingsError(DlcostError, ValueError):
    """A simulation setting is out of range or inconsistent with the others."""


class BackendUnavailableError(DlcostError, ImportError):
    """The requested execution backend (Ray) is not installed or cannot start."""


class FetchError(DlcostError, OSError):
    """A download failed or its checksum did not match."""


class TrackerConfigError(DlcostError, ValueError):
    """A run tracker was set up wrongly (a bad option, an unknown energy method, …).

    Raised at construction, before the training starts; errors while measuring are logged and
    swallowed instead, so that a tracker never stops a training run.
    """


class StoreError(DlcostError, OSError):
    """The results database cannot be created or opened at the path given."""


class UnknownSourceError(DlcostError, _NotFound):
    """A data source or import format is not one dlcost knows, or not in the store."""


class UnknownModelError(DlcostError, _NotFound):
    """A model name (e.g. of the simulation's models) is not one of those known."""


class DataNotFoundError(DlcostError, FileNotFoundError):
    """A file or folder to read does not exist, or holds none of the data looked for."""


class ReportFolderError(DlcostError, OSError):
    """The report's output folder cannot be used (a file, a foreign folder, no permission)."""


class TrackedCommandError(DlcostError, OSError):
    """The command given to ``dlcost track`` cannot be started (not found, not executable)."""


class TransactionError(DlcostError, RuntimeError):
    """A store transaction could not be committed; nothing of it was written."""


class NotAStoreError(StoreError):
    """The database file is not a dlcost store (or not one this version can read)."""


class SettingError(DlcostError, ValueError):
    """An environment variable dlcost reads holds an invalid value."""


class StoreLockedError(StoreError):
    """Another process holds the results store longer than the configured wait."""


class ReadOnlyStoreError(StoreError, PermissionError):
    """A write was attempted on a store opened with ``read_only=True``."""


class ImportRefusedError(DlcostError, ValueError):
    """An import would lose existing data (and ``force`` was not given) or is not allowed."""


class ExtrapolationWarning(UserWarning):
    """A projection reaches beyond the range of the data it was fitted on."""


class ConvergenceWarning(UserWarning):
    """An iterative fit (quantile regression, its bootstrap resamples) stopped at its iteration
    limit before converging; its last iterate is used."""


class ApproximationWarning(UserWarning):
    """An approximation stood in for a measurement (a derived CPU peak, energy from TDP × time)."""
