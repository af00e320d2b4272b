"""Render a Doc as HTML and print it with headless Chromium.

Tables break across pages with the header repeated (thead), every table and
sheet starts on a new page, page numbers come from @page margin boxes.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile

from model import Doc, PerfSheet, Table, fmt

CSS = """
@page { size: A4 portrait; margin: 16mm 14mm 18mm 14mm;
        @bottom-center { content: "— " counter(page) " —"; font-size: 9pt; font-family: %(font)s; } }
@page land { size: A4 landscape; margin: 14mm 12mm 16mm 12mm;
        @bottom-center { content: "— " counter(page) " —"; font-size: 9pt; font-family: %(font)s; } }
body { font-family: %(font)s; font-size: %(size)spt; }
.page { break-before: page; }
.land { page: land; }
.cover { text-align: center; padding-top: 70mm; }
.cover h1 { font-size: 24pt; margin: 0 0 14mm 0; }
.cover p { font-size: 18pt; }
h1.part { font-size: 16pt; text-align: center; }
h2 { font-size: 14pt; text-align: center; margin: 2mm 0 3mm 0; }
.numline { text-align: right; font-size: 9pt; }
.meta { display: flex; justify-content: space-between; font-size: 9pt; margin-bottom: 1mm; }
table.t { border-collapse: collapse; width: 100%%; table-layout: fixed; }
table.t td, table.t th { border: 0.6pt solid #000; padding: 1.2pt 2pt; font-weight: normal;
    word-break: break-all; overflow-wrap: anywhere; vertical-align: middle; }
table.t th { text-align: center; }
table.t tr { break-inside: %(rowbreak)s; }
td.r { text-align: right; } td.c { text-align: center; }
.note { font-size: 9pt; margin-top: 1mm; }
.sec h3 { font-size: 12pt; } .sec p { text-indent: 2em; line-height: 1.6; }
table.perf { border-collapse: collapse; width: 100%%; table-layout: fixed; font-size: 0.9em; }
table.perf td { border: 0.6pt solid #000; padding: 1.5pt 2pt; word-break: break-all; }
"""


def esc(s: str) -> str:
    return html.escape(s)


def table_html(t: Table) -> str:
    total_w = sum(c.width for c in t.cols)
    cols = "".join(f'<col style="width:{100 * c.width / total_w:.2f}%">' for c in t.cols)
    head = []
    for row in t.header:
        cells = "".join(
            f'<th colspan="{c.colspan}" rowspan="{c.rowspan}">{esc(c.text)}</th>' for c in row)
        head.append(f"<tr>{cells}</tr>")
    if t.colnums:
        head.append("<tr>" + "".join(f'<th>{esc(x)}</th>' for x in t.colnums) + "</tr>")
    body = []
    for r, row in enumerate(t.rows):
        tds, skip = [], 0
        for c, (col, v) in enumerate(zip(t.cols, row)):
            if skip:
                skip -= 1
                continue
            span = t.body_spans.get((r, c), 1)
            skip = span - 1
            attr = f' colspan="{span}"' if span > 1 else ""
            tds.append(f'<td class="{"c" if span > 1 else col.align}"{attr}>{esc(v)}</td>')
        body.append(f"<tr>{''.join(tds)}</tr>")
    cls = "page land" if t.landscape else "page"
    parts = [f'<div class="{cls}">']
    if t.number_line:
        parts.append(f'<div class="numline">{esc(t.number_line)}</div>')
    parts.append(f"<h2>{esc(t.title)}</h2>")
    parts.append(f'<div class="meta"><span>{esc(t.entity_line)}</span><span>单位：{esc(t.unit)}</span></div>')
    parts.append(f'<table class="t"><colgroup>{cols}</colgroup><thead>{"".join(head)}</thead>'
                 f'<tbody>{"".join(body)}</tbody></table>')
    if t.note:
        parts.append(f'<div class="note">{esc(t.note)}</div>')
    parts.append("</div>")
    return "\n".join(parts)


def runs(values: list[str]) -> list[int]:
    """Row spans for runs of equal values: span at the first row, 0 elsewhere."""
    spans = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        spans[i] = j - i + 1
        i = j + 1
    return spans


def perf_html(p: PerfSheet) -> str:
    y = lambda v: f"{v:,}"
    td = lambda s, cs=1, rs=1, cls="": (f'<td colspan="{cs}" rowspan="{rs}"'
                                         + (f' class="{cls}"' if cls else "") + f">{esc(s)}</td>")
    rows = [
        td("项目名称", 2) + td(p.project, 6),
        td("主管部门及代码", 2) + td(p.department, 2) + td("实施单位") + td(p.implementer, 3),
        td("项目属性", 2) + td(p.attrs["项目属性"], 2) + td("项目期") + td(p.attrs["项目期"], 3),
    ]
    labels = [("实施期资金总额：", "年度资金总额："), ("其中：中央财政资金", "其中：中央财政资金"),
              ("省级财政资金", "省级财政资金"), ("市县(区)财政资金", "市县(区)财政资金"), ("单位自筹", "单位自筹")]
    for i, (key, (a, b)) in enumerate(zip(PerfSheet.FUND_KEYS, labels)):
        first = td("项目资金（元）", 1, len(labels)) if i == 0 else ""
        rows.append(first + td(a, 2) + td(y(p.funds_total[key]), 1, 1, "r") + td(b, 2)
                    + td(y(p.funds_year[key]), 2, 1, "r"))
    for k, v in p.fields.items():
        rows.append(td(k, 2) + td(v, 6))
    rows.append(td("", 1) + td("实施期目标", 3) + td("年度目标", 4))
    rows.append(td("总体目标") + td(p.goals["实施期目标"], 3) + td(p.goals["年度目标"], 4))
    a = [i for i in p.indicators if i.period == "实施期目标"]
    b = [i for i in p.indicators if i.period == "年度目标"]
    n = len(a)
    rows.append(td("绩效指标", 1, n + 1) + td("一级指标") + td("二级指标") + td("三级指标") + td("指标值")
                + td("二级指标") + td("三级指标") + td("指标值"))
    s1 = runs([i.level1 for i in a])
    s2a = runs([i.level1 + i.level2 for i in a])
    s2b = runs([i.level1 + i.level2 for i in b])
    for k in range(n):
        r = td(a[k].level1, 1, s1[k]) if s1[k] else ""
        r += td(a[k].level2, 1, s2a[k]) if s2a[k] else ""
        r += td(a[k].name) + td(a[k].target)
        r += td(b[k].level2, 1, s2b[k]) if s2b[k] else ""
        r += td(b[k].name) + td(b[k].target)
        rows.append(r)
    widths = [9, 10, 12, 20, 10, 12, 17, 10]
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    return (f'<div class="page"><h2>{esc(p.title)}</h2><p style="text-align:center">{esc(p.year_line)}</p>'
            f'<table class="perf"><colgroup>{cols}</colgroup>'
            + "".join(f"<tr>{r}</tr>" for r in rows) + "</table></div>")


# Tables set without any rule: columns aligned by whitespace only.
PLAIN = """
table.t td, table.t th { border: none; padding: 1.5pt 4pt; }
"""


def doc_html(d: Doc, font: str, size: float, rowbreak: str = "avoid", borders: bool = True) -> str:
    css = CSS % {'font': font, 'size': size, 'rowbreak': rowbreak} + ("" if borders else PLAIN)
    out = [f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{esc(d.title)}</title>"
           f"<style>{css}</style></head><body>"]
    out.append('<div class="cover">' + f"<h1>{esc(d.cover_lines[0])}</h1>"
               + "".join(f"<p>{esc(x)}</p>" for x in d.cover_lines[1:]) + "</div>")
    out.append('<div class="page"><h1 class="part">目 录</h1>'
               + "".join(f"<p>{esc(x)}</p>" for x in d.toc) + "</div>")
    out.append('<div class="page sec">' + "".join(f"<h3>{esc(s.heading)}</h3><p>{esc(s.text)}</p>"
                                                  for s in d.intro) + "</div>")
    out.append(f'<div class="page"><h1 class="part">{esc(d.part_titles["tables"])}</h1></div>')
    for t in d.tables:
        out.append(table_html(t))
    out.append(f'<div class="page sec"><h1 class="part">{esc(d.part_titles["sections"])}</h1>'
               + "".join(f"<h3>{esc(s.heading)}</h3><p>{esc(s.text)}</p>" for s in d.sections) + "</div>")
    for p in d.perf:
        out.append(perf_html(p))
    out.append("</body></html>")
    return "\n".join(out)


def chromium_pdf(html_text: str, pdf_path: str) -> None:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise RuntimeError("chromium not found")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "doc.html")
        with open(src, "w", encoding="utf-8") as fh:
            fh.write(html_text)
        prof = os.path.join(tmp, "profile")
        os.mkdir(prof)
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={prof}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}",
               "file://" + src]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)


def render(d: Doc, pdf_path: str, font: str = "'Noto Serif CJK SC'", size: float = 9.5,
           rowbreak: str = "avoid", borders: bool = True) -> None:
    chromium_pdf(doc_html(d, font, size, rowbreak, borders), pdf_path)


_ = fmt
