"""A corpus converted on a Dask cluster: the files are listed where you call
``convert`` (named as ``gongkai convert`` names them), then each partition of
files is read and converted on a worker, and the records, failed checks and
errors come back as Dask DataFrames (or go straight to partitioned Parquet).
Dask does the scheduling, retries and data movement.

A file that fails, whatever the reason, is a row in the errors frame; it
never fails the computation. The workers need the files at the same paths
(a shared filesystem) and ``gongkai`` installed.

    from dask.distributed import Client, LocalCluster
    import gongkai.dask

    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
    # or Client("tcp://scheduler:8786") for a running cluster
    out = gongkai.dask.convert("corpus/**/*.pdf")
    out.records.groupby("table_kind").value.sum().compute()
    out.to_parquet("corpus.parquet", partition_on=["document_kind"])
"""

from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple, Union

import dask
import dask.dataframe as dd
import pandas as pd

from . import (
    CHECK_COLUMNS,
    CHECK_DTYPES,
    DEFAULT_TIMEOUT,
    ERROR_COLUMNS,
    ERROR_DTYPES,
    RECORD_COLUMNS,
    RECORD_DTYPES,
    _frame,
    _native,
    convert_json,
)
from . import errors as _errors

__all__ = ["Converted", "convert"]

PathLike = Union[str, "os.PathLike[str]"]


@dataclass
class Converted:
    """The three tables of a converted corpus, one partition per batch of
    files: ``records`` and ``checks`` as ``gongkai.records`` /
    ``gongkai.checks`` give them, ``errors`` one row per error diagnostic
    (columns ``file``, ``stage``, ``message``)."""

    records: dd.DataFrame
    checks: dd.DataFrame
    errors: dd.DataFrame

    def compute(self) -> Tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """All three as pandas frames, converting each file once."""
        return dask.compute(self.records, self.checks, self.errors)

    def to_parquet(self, path: PathLike, partition_on: Optional[List[str]] = None) -> None:
        """Write ``path/records``, ``path/checks`` and ``path/errors`` as
        Parquet datasets (pyarrow), converting each file once; records are
        split into hive folders by ``partition_on``, categorical columns
        (e.g. ``["document_kind"]``; a nullable integer such as ``year`` does
        not read back through pyarrow as a partition key)."""
        root = os.fspath(path)
        writes = [
            self.records.to_parquet(
                os.path.join(root, "records"),
                partition_on=partition_on,
                schema=_arrow_types(RECORD_DTYPES),
                compute=False,
            ),
            self.checks.to_parquet(
                os.path.join(root, "checks"), schema=_arrow_types(CHECK_DTYPES), compute=False
            ),
            self.errors.to_parquet(
                os.path.join(root, "errors"), schema=_arrow_types(ERROR_DTYPES), compute=False
            ),
        ]
        dask.compute(*writes)


def _arrow_types(dtypes: dict) -> dict:
    """Arrow types of the categorical columns, which Dask cannot infer from a
    partition without rows (a batch of failed files)."""
    import pyarrow as pa

    text = pa.dictionary(pa.int32(), pa.large_string())
    return {c: text for c, t in dtypes.items() if t == "category"}


def _expand(inputs: Union[PathLike, Iterable[PathLike]]) -> List[str]:
    """Paths, with glob patterns expanded (``**`` recursive), sorted."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    out: List[str] = []
    for item in inputs:
        path = os.fspath(item)
        if glob.has_magic(path):
            out.extend(sorted(glob.glob(path, recursive=True)))
        else:
            out.append(path)
    return out


def _convert_batch(
    batch: Sequence[Tuple[str, str]], timeout: float
) -> Tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """On a worker: read and convert a batch of files; never raises for a
    file (an unreadable path is an error row of stage ``read``)."""
    texts: List[str] = []
    unread: List[Tuple[str, str, str]] = []
    for path, key in batch:
        try:
            texts.append(convert_json(path, name=key, timeout=timeout))
        except OSError as e:
            unread.append((key, "read", str(e)))
    records = _frame(_native.record_columns(texts), RECORD_COLUMNS, RECORD_DTYPES)
    checks = _frame(_native.check_columns(texts), CHECK_COLUMNS, CHECK_DTYPES)
    errs = _errors(json.loads(t) for t in texts)
    if unread:
        columns = {c: [r[i] for r in unread] for i, c in enumerate(ERROR_COLUMNS)}
        extra = _frame(columns, ERROR_COLUMNS, ERROR_DTYPES)
        errs = pd.concat([errs, extra], ignore_index=True).astype(ERROR_DTYPES)
    return records, checks, errs


def _part(result: Tuple[pd.DataFrame, ...], i: int) -> pd.DataFrame:
    return result[i]


def _meta(names: List[str], dtypes: dict) -> pd.DataFrame:
    return _frame({c: [] for c in names}, names, dtypes)


def convert(
    inputs: Union[PathLike, Iterable[PathLike]],
    *,
    out: Optional[PathLike] = None,
    partition_on: Optional[List[str]] = None,
    files_per_partition: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
) -> Converted:
    """Convert files, folders or glob patterns on the current Dask scheduler
    (a ``dask.distributed.Client`` if one is active). Folders are searched
    for ``.pdf``/``.txt`` as ``gongkai convert`` does, and files are named
    (``file`` column) as it names them, so the rows equal ``export --csv``'s.

    Returns lazy ``Converted`` frames; with ``out``, also writes them as
    Parquet there (see ``Converted.to_parquet``), which computes them.
    """
    if files_per_partition < 1:
        raise ValueError("files_per_partition must be at least 1")
    found = [(os.fspath(p), key) for p, key in _native.discover_inputs(_expand(inputs))]
    batches = [
        found[i : i + files_per_partition] for i in range(0, len(found), files_per_partition)
    ]
    parts = [
        dask.delayed(_convert_batch, pure=True)(b, timeout) for b in batches
    ]

    def frame(i: int, names: List[str], dtypes: dict) -> dd.DataFrame:
        meta = _meta(names, dtypes)
        if not parts:
            return dd.from_pandas(meta, npartitions=1)
        pieces = [dask.delayed(_part, pure=True)(p, i) for p in parts]
        return dd.from_delayed(pieces, meta=meta, verify_meta=False)

    result = Converted(
        records=frame(0, RECORD_COLUMNS, RECORD_DTYPES),
        checks=frame(1, CHECK_COLUMNS, CHECK_DTYPES),
        errors=frame(2, ERROR_COLUMNS, ERROR_DTYPES),
    )
    if out is not None:
        result.to_parquet(out, partition_on=partition_on)
    return result
