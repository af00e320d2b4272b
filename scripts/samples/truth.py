"""Write the truth JSON for a rendered Doc.

Page numbers are read back from the PDF (pdftotext, page by page): every table
and sheet starts on its own page, so a block runs from the page where its title
first appears (after the previous block) to the page before the next block.
Renderers that place pages themselves pass the page numbers directly.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess

from model import Doc, PerfSheet, Table

SCHEMA = "gongkai/1"


def pdf_pages(pdf: str) -> int:
    out = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    if not m:
        raise RuntimeError(f"no page count for {pdf}")
    return int(m.group(1))


def page_texts(pdf: str) -> list[str]:
    """Text of every page with all whitespace removed."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True).stdout
    pages = out.decode("utf-8", "replace").split("\f")
    return [re.sub(r"\s+", "", p) for p in pages]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def locate(pdf: str, d: Doc) -> tuple[list[list[int]], list[list[int]]]:
    """Pages of each table and each performance sheet, in document order."""
    texts = page_texts(pdf)
    n = pdf_pages(pdf)
    # blocks in the order renderers print them: tables, sections part, sheets
    keys: list[list[str]] = [[t.title] for t in d.tables]
    keys.append([d.part_titles["sections"]])
    keys += [[p.title, p.project] for p in d.perf]
    starts = []
    cursor = 0
    # skip the table of contents: start after the page holding the tables part title
    toc = next((i for i, tx in enumerate(texts) if "目录" in tx), 0)
    for i in range(toc + 1, len(texts)):
        if squash(d.part_titles["tables"]) in texts[i]:
            cursor = i
            break
    for key in keys:
        found = None
        for i in range(cursor, len(texts)):
            if all(squash(k) in texts[i] for k in key):
                found = i
                break
        if found is None:
            raise RuntimeError(f"{pdf}: cannot find {key} after page {cursor + 1}")
        starts.append(found)
        cursor = found + 1
    ends = [s - 1 for s in starts[1:]] + [n - 1]
    spans = [list(range(s + 1, max(s, e) + 2)) for s, e in zip(starts, ends)]
    nt = len(d.tables)
    return spans[:nt], spans[nt + 1:]


def table_json(t: Table, pages: list[int]) -> dict:
    return {
        "kind": t.kind,
        "title": t.title,
        "number": t.number,
        "pages": pages,
        "unit": t.unit,
        "header": t.header_grid(),
        "columns": t.columns(),
        "rows": t.rows,
        "records": t.records(),
        "repairs": [],
    }


def perf_json(p: PerfSheet, pages: list[int]) -> dict:
    def funds(d: dict[str, int]) -> dict[str, float]:
        return {k: float(v) for k, v in d.items()}
    return {
        "kind": "performance_target",
        "pages": pages,
        "project": p.project,
        "department": p.department,
        "implementer": p.implementer,
        "funds": {"实施期": funds(p.funds_total), "年度": funds(p.funds_year)},
        "funds_unit": "元",
        "fields": dict(p.attrs, **p.fields),
        "goals": p.goals,
        "indicators": [
            {"period": i.period, "level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target}
            for i in p.indicators
        ],
    }


def write_truth(d: Doc, pdf: str, rel: str, out: str,
                table_pages: list[list[int]] | None = None,
                perf_pages: list[list[int]] | None = None) -> dict:
    if table_pages is None or perf_pages is None:
        table_pages, perf_pages = locate(pdf, d)
    with open(pdf, "rb") as fh:
        sha = hashlib.sha256(fh.read()).hexdigest()
    doc = {
        "schema": SCHEMA,
        "source": {"file": rel, "sha256": sha, "format": "pdf", "pages": pdf_pages(pdf)},
        "document": {"entity": d.entity, "year": d.year, "kind": d.kind, "title": d.title},
        "tables": [table_json(t, p) for t, p in zip(d.tables, table_pages)],
        "performance": [perf_json(p, pg) for p, pg in zip(d.perf, perf_pages)],
        "sections": [{"heading": s.heading, "text": s.text} for s in d.intro + d.sections],
        "checks": [],
        "diagnostics": [],
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return doc
