"""gongkai from Python: Chinese government budget and final-account
disclosures (PDF or text dumps) as the contract's JSON documents and as pandas
DataFrames.

The work is done by the same Rust code as the ``gongkai`` command line, so
``convert`` returns exactly the document ``gongkai convert`` writes, and
``records`` / ``checks`` have exactly the rows and columns of
``gongkai export --csv``. Every call releases the GIL while it works, so
threads convert files in parallel.

Errors follow ``gongkai convert``: a file whose *contents* cannot be read
(not a PDF, corrupt, too large, over its time budget, a crash in a parser)
still gives a document, with an ``error`` diagnostic, never an exception or a
crash of the interpreter. Only what is not a file's contents raises: a path
that cannot be read raises ``OSError`` (``FileNotFoundError``, ...), and JSON
that is not a gongkai document raises ``GongkaiError`` (a ``ValueError``).
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Union

import pandas as pd

from . import _native
from ._native import CHECK_COLUMNS, RECORD_COLUMNS, GongkaiError, __version__

__all__ = [
    "CHECK_COLUMNS",
    "DEFAULT_TIMEOUT",
    "GongkaiError",
    "RECORD_COLUMNS",
    "__version__",
    "checks",
    "convert",
    "convert_json",
    "errors",
    "read_dir",
    "records",
]

#: A file's time budget in seconds unless a call says otherwise (as
#: ``gongkai convert --timeout``).
DEFAULT_TIMEOUT: float = _native.DEFAULT_TIMEOUT

PathLike = Union[str, "os.PathLike[str]"]
Source = Union[PathLike, bytes]
Document = Dict[str, Any]

#: pandas dtypes of the records table: text as ``string``, the kinds as
#: categoricals, ``code`` a string (``"2010101"`` keeps its digits), amounts
#: float64 in the table's ``unit`` (万元 or 元, as printed), ``pages`` the
#: CSV's ``1;2``, ``role`` the measure a table is the one place for (sum over
#: one role to count each amount once; missing where a table restates others).
RECORD_DTYPES: Dict[str, str] = {
    "file": "string",
    "entity": "string",
    "year": "Int32",
    "document_kind": "category",
    "table": "int64",
    "table_kind": "category",
    "table_title": "string",
    "side": "category",
    "code": "string",
    "name": "string",
    "level": "Int8",
    "column": "string",
    "value": "float64",
    "unit": "category",
    "pages": "string",
    "role": "category",
}

#: pandas dtypes of the failed-checks table.
CHECK_DTYPES: Dict[str, str] = {
    "file": "string",
    "entity": "string",
    "year": "Int32",
    "document_kind": "category",
    "rule": "category",
    "table": "Int64",
    "table_kind": "category",
    "table_title": "string",
    "row": "string",
    "column": "string",
    "expected": "float64",
    "found": "float64",
}

#: Columns of the errors table: one row per error diagnostic of a document
#: (or per input that could not be read at all, stage ``read``).
ERROR_COLUMNS: List[str] = ["file", "stage", "message"]
ERROR_DTYPES: Dict[str, str] = {"file": "string", "stage": "category", "message": "string"}


def convert_json(
    source: Source, *, name: Optional[str] = None, timeout: float = DEFAULT_TIMEOUT
) -> str:
    """Convert one file (a path) or its bytes; return the output JSON text,
    byte for byte what ``gongkai convert`` writes for that file.

    ``name`` becomes ``source.file`` (default: the file's name, as
    ``gongkai convert FILE`` names it; ``"<bytes>"`` for bytes).
    """
    return _native.convert_json(source, name=name, timeout=timeout)


def convert(
    source: Source, *, name: Optional[str] = None, timeout: float = DEFAULT_TIMEOUT
) -> Document:
    """Convert one file (a path) or its bytes into the contract document (a
    dict), exactly the JSON ``gongkai convert`` writes.

    A file that cannot be converted gives a document whose ``diagnostics``
    hold an ``error``; a path that cannot be read raises ``OSError``.
    """
    return json.loads(convert_json(source, name=name, timeout=timeout))


def read_dir(out_dir: PathLike) -> List[Document]:
    """The documents of a folder written by ``gongkai convert``, in the order
    ``gongkai export`` reads them (by path); other JSON (the index) is skipped."""
    return [json.loads(t) for t in _native.read_dir_json(os.fspath(out_dir))]


def _texts(items: Any) -> List[str]:
    """Documents as JSON texts, from a document, a path (a convert folder, an
    output ``.json``, or an input to convert) or an iterable of these."""
    if isinstance(items, dict):
        return [json.dumps(items, ensure_ascii=False)]
    if isinstance(items, (str, os.PathLike)):
        path = os.fspath(items)
        if os.path.isdir(path):
            return list(_native.read_dir_json(path))
        if path.lower().endswith(".json"):
            with open(path, encoding="utf-8") as f:
                return [f.read()]
        return [convert_json(path)]
    if isinstance(items, (bytes, bytearray)):
        raise TypeError("records() takes documents or paths; convert bytes with convert() first")
    out: List[str] = []
    for item in items:
        out.extend(_texts(item))
    return out


def _frame(columns: Dict[str, list], names: List[str], dtypes: Dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame({c: columns[c] for c in names}, columns=names)
    # Categories of text, even in an empty frame (a Dask meta), so every
    # partition has the same Arrow schema.
    text = {c: "string" for c, t in dtypes.items() if t == "category"}
    return df.astype(text).astype(dtypes)


DocsOrPaths = Union[Document, PathLike, Iterable[Union[Document, PathLike]]]


def records(docs_or_paths: DocsOrPaths) -> pd.DataFrame:
    """The flat records (one row per record and value column) as a
    DataFrame, with the columns, order and rows of ``gongkai export --csv``.

    Takes documents (dicts from ``convert``/``read_dir``), paths (a folder
    written by ``gongkai convert``, an output ``.json``, or a PDF/text file,
    converted first), or a list of these. Dtypes: ``RECORD_DTYPES``.
    """
    return _frame(_native.record_columns(_texts(docs_or_paths)), RECORD_COLUMNS, RECORD_DTYPES)


def checks(docs_or_paths: DocsOrPaths) -> pd.DataFrame:
    """The failed accounting checks as a DataFrame, with the columns and rows
    of ``gongkai export --csv``'s ``<stem>.checks.csv``. Takes what
    ``records`` takes. Dtypes: ``CHECK_DTYPES``."""
    return _frame(_native.check_columns(_texts(docs_or_paths)), CHECK_COLUMNS, CHECK_DTYPES)


def errors(docs: Iterable[Document]) -> pd.DataFrame:
    """The error diagnostics of documents: ``file``, ``stage``, ``message``,
    one row each (an empty frame when every document converted)."""
    rows = [
        (d["source"]["file"], g["stage"], g["message"])
        for d in docs
        for g in d.get("diagnostics", [])
        if g.get("level") == "error"
    ]
    return _frame(
        {c: [r[i] for r in rows] for i, c in enumerate(ERROR_COLUMNS)}, ERROR_COLUMNS, ERROR_DTYPES
    )
