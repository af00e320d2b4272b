"""The Python package against the command line on the bundled samples: the
same documents byte for byte, the same rows as ``export --csv``, bad input
reported as documented, the GIL released, Parquet keeping the dtypes, and a
corpus on a two-process Dask LocalCluster."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

import gongkai

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
BIN = REPO / "target" / "release" / "gongkai"


def sample_pdfs():
    return sorted(SAMPLES.glob("*.pdf"))


@pytest.fixture(scope="session")
def cli(tmp_path_factory):
    """What the CLI writes for samples/: the convert folder and export's CSVs."""
    subprocess.run(
        ["cargo", "build", "--release", "-q", "--bin", "gongkai"], cwd=REPO, check=True
    )
    root = tmp_path_factory.mktemp("cli")
    out = root / "out"
    subprocess.run([BIN, "convert", SAMPLES, "-o", out, "-j", "2"], check=True)
    csv_path = root / "records.csv"
    subprocess.run([BIN, "export", out, "--csv", csv_path], check=True)
    return {"out": out, "records": csv_path, "checks": root / "records.checks.csv"}


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def as_csv_fields(df: pd.DataFrame, float_cols):
    """A frame's rows as export --csv's fields: missing is empty, numbers
    compared as numbers (Rust and Python print floats differently)."""
    out = []
    for row in df.itertuples(index=False):
        fields = []
        for name, v in zip(df.columns, row):
            if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
                fields.append(None if name in float_cols else "")
            elif name in float_cols:
                fields.append(float(v))
            else:
                fields.append(str(v))
        out.append(fields)
    return out


def csv_as_fields(header, rows, float_cols):
    idx = {i for i, h in enumerate(header) if h in float_cols}
    return [
        [(float(v) if v else None) if i in idx else v for i, v in enumerate(r)] for r in rows
    ]


def test_convert_is_the_cli_document(cli):
    pdfs = sample_pdfs()
    assert len(pdfs) >= 20
    for pdf in pdfs:
        written = (cli["out"] / (pdf.name + ".json")).read_text(encoding="utf-8")
        assert gongkai.convert_json(pdf) == written, pdf.name
        assert gongkai.convert(pdf.read_bytes(), name=pdf.name) == json.loads(written)


def test_records_equal_export_csv(cli):
    header, rows = read_csv(cli["records"])
    df = gongkai.records(cli["out"])
    assert list(df.columns) == header == gongkai.RECORD_COLUMNS
    assert len(df) == len(rows) > 1000
    assert as_csv_fields(df, {"value"}) == csv_as_fields(header, rows, {"value"})
    # Documents in memory give the same frame as the folder.
    docs = [gongkai.convert(p) for p in sample_pdfs()[:3]]
    by_doc = gongkai.records(docs)
    files = {d["source"]["file"] for d in docs}
    pd.testing.assert_frame_equal(
        by_doc.astype(object),
        df[df.file.isin(files)].reset_index(drop=True).astype(object),
    )
    assert df["code"].dtype == "string"
    assert df["value"].dtype == "float64"
    assert df["table_kind"].dtype == "category"


def test_checks_equal_export_csv(cli):
    header, rows = read_csv(cli["checks"])
    df = gongkai.checks(cli["out"])
    assert list(df.columns) == header == gongkai.CHECK_COLUMNS
    floats = {"expected", "found"}
    assert as_csv_fields(df, floats) == csv_as_fields(header, rows, floats)


def test_read_dir_skips_the_index(cli):
    docs = gongkai.read_dir(cli["out"])
    assert [d["source"]["file"] for d in docs] == [p.name for p in sample_pdfs()]
    assert (cli["out"] / "index.jsonl").exists()


def test_bad_input_is_a_document_with_an_error(cli, tmp_path):
    # Not a PDF at all, but named one.
    doc = gongkai.convert(b"\x00\xffnot a pdf", name="x.pdf")
    assert doc["source"]["file"] == "x.pdf"
    assert [d["level"] for d in doc["diagnostics"]] == ["error"]
    # A real PDF cut in half, and a header over garbage, read from paths:
    # whatever is recovered or reported is what the CLI writes.
    pdf = sample_pdfs()[0].read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    (bad / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    out = tmp_path / "out"
    subprocess.run([BIN, "convert", bad, "-o", out], check=False, capture_output=True)
    for name in ["cut.pdf", "garbage.pdf"]:
        written = (out / (name + ".json")).read_text(encoding="utf-8")
        assert gongkai.convert_json(bad / name) == written, name
    garbage = gongkai.convert(bad / "garbage.pdf")
    assert any(d["level"] == "error" for d in garbage["diagnostics"])
    errs = gongkai.errors([gongkai.convert(b"junk", name="j.pdf")])
    assert list(errs.file) == ["j.pdf"] and list(errs.stage) == ["extract"]


def test_what_is_not_a_files_contents_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        gongkai.convert(tmp_path / "missing.pdf")
    with pytest.raises(gongkai.GongkaiError):
        gongkai.records({"schema": "someone-else/1"})
    (tmp_path / "notjson.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError):
        gongkai.records(tmp_path / "notjson.json")
    with pytest.raises(ValueError):
        gongkai.convert(b"x", timeout=0)


def test_the_gil_is_released_during_convert():
    """With a switch interval of 1000 s, the main thread runs while the
    other thread is inside convert only if convert lets go of the GIL."""
    pdf = max(sample_pdfs(), key=lambda p: p.stat().st_size)
    started, state = threading.Event(), {"done": False}

    def work():
        started.set()
        gongkai.convert_json(pdf)
        state["done"] = True

    old = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    try:
        t = threading.Thread(target=work)
        t.start()
        started.wait()
        ran_while_converting = not state["done"]
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert ran_while_converting


def test_threads_convert_the_same_documents():
    from concurrent.futures import ThreadPoolExecutor

    pdfs = sample_pdfs()
    serial = [gongkai.convert_json(p) for p in pdfs]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(gongkai.convert_json, pdfs))
    assert threaded == serial


def test_parquet_keeps_the_dtypes(cli, tmp_path):
    pytest.importorskip("pyarrow")
    df = gongkai.records(cli["out"])
    path = tmp_path / "records.parquet"
    df.to_parquet(path, partition_cols=["document_kind"])
    back = pd.read_parquet(path)
    assert back["value"].dtype == "float64"
    assert back["table_kind"].dtype == "category"
    assert back["unit"].dtype == "category"
    assert len(back) == len(df)
    key = ["file", "table", "name", "column"]
    a = df.sort_values(key, kind="stable").reset_index(drop=True)
    b = back.sort_values(key, kind="stable").reset_index(drop=True)
    assert a["value"].equals(b["value"])


@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_local_cluster_matches_the_cli(cli, cluster_client, tmp_path):
    import gongkai.dask

    corrupt = tmp_path / "in" / "corrupt.pdf"
    corrupt.parent.mkdir()
    corrupt.write_bytes(b"%PDF-1.7\n1 0 obj << /Length 99999 >> stream\ngarbage")
    assert len(cluster_client.scheduler_info()["workers"]) == 2
    res = gongkai.dask.convert([SAMPLES, corrupt.parent], files_per_partition=4)
    assert res.records.npartitions > 2
    records, checks, errors = res.compute()

    header, rows = read_csv(cli["records"])
    assert as_csv_fields(records.reset_index(drop=True), {"value"}) == csv_as_fields(
        header, rows, {"value"}
    )
    header, rows = read_csv(cli["checks"])
    floats = {"expected", "found"}
    assert as_csv_fields(checks.reset_index(drop=True), floats) == csv_as_fields(
        header, rows, floats
    )
    assert list(errors.file) == ["corrupt.pdf"]
    assert list(errors.stage) == ["extract"]

    # The same to partitioned Parquet.
    out = tmp_path / "pq"
    gongkai.dask.convert([SAMPLES, corrupt.parent], out=out, partition_on=["document_kind"])
    back = pd.read_parquet(out / "records")
    assert len(back) == len(records)
    assert sorted(os.listdir(out)) == ["checks", "errors", "records"]
    assert any(p.name.startswith("document_kind=") for p in (out / "records").iterdir())
    assert list(pd.read_parquet(out / "errors").file) == ["corrupt.pdf"]
