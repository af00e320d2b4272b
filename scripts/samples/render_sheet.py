"""Render a Doc as a spreadsheet (.xlsx, openpyxl) and print it with
LibreOffice (`soffice --convert-to pdf`), as bureaus export their Excel
templates: one sheet per table, merged header cells, header rows repeated on
every page, amounts as numbers with a number format, wrapped name cells.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from model import Doc, PerfSheet, Table, parse_amount
from render_html import runs

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "Noto Sans CJK SC"


def setup(ws, landscape: bool, title_rows: str | None = None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.oddFooter.center.text = "第 &P 页"
    ws.oddFooter.center.size = 9
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    if title_rows:
        ws.print_title_rows = title_rows


def text_units(text: str, size: float) -> float:
    """Width of text in Excel column units (width of '0' in the default font)."""
    k = size / 9.0
    return sum((1.75 if ord(ch) > 0x2000 else 0.75) * k for ch in text)


def fit_height(ws, r: int, c: int, text, cs: int, size: float) -> None:
    """Set the row height a wrapped cell needs: LibreOffice keeps xlsx row heights."""
    if not isinstance(text, str) or not text:
        return
    width = sum((ws.column_dimensions[get_column_letter(c + i)].width or 9) for i in range(cs)) - 1.0
    lines = max(1, -(-text_units(text, size) // max(width, 1.0)))
    need = lines * size * 1.5 + 3
    cur = ws.row_dimensions[r].height or 0
    if need > cur:
        ws.row_dimensions[r].height = need


def put(ws, r: int, c: int, text, cs: int = 1, rs: int = 1, border: bool = True, align: str = "center",
        size: float = 10, bold: bool = False, numfmt: str | None = None) -> None:
    if rs == 1:
        fit_height(ws, r, c, text, cs, size)
    cell = ws.cell(row=r, column=c, value=text)
    cell.font = Font(name=FONT, size=size, bold=bold)
    cell.alignment = Alignment(horizontal={"l": "left", "r": "right", "c": "center"}.get(align, align),
                               vertical="center", wrap_text=True)
    if numfmt:
        cell.number_format = numfmt
    if cs > 1 or rs > 1:
        ws.merge_cells(start_row=r, start_column=c, end_row=r + rs - 1, end_column=c + cs - 1)
    if border:
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                ws.cell(row=rr, column=cc).border = BOX


def text_sheet(wb, name: str, lines: list[tuple[str, float]], width: int = 8) -> None:
    ws = wb.create_sheet(name)
    setup(ws, False)
    for i in range(1, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 11
    for r, (text, size) in enumerate(lines, start=1):
        put(ws, r, 1, text, cs=width, border=False, align="l" if size < 12 else "center", size=size)


def table_sheet(wb, t: Table, idx: int) -> None:
    ws = wb.create_sheet(f"T{idx:02d}")
    n = t.ncols()
    total = sum(c.width for c in t.cols)
    page_chars = 150 if t.landscape else 100
    for c, col in enumerate(t.cols, start=1):
        w = page_chars * col.width / total
        if col.role == "value":
            longest = max([len(row[c - 1]) for row in t.rows] + [4])
            w = max(w, longest * 1.2 + 2)
        ws.column_dimensions[get_column_letter(c)].width = round(w, 1)
    r = 1
    if t.number_line:
        put(ws, r, 1, t.number_line, cs=n, border=False, align="r", size=9)
        r += 1
    put(ws, r, 1, t.title, cs=n, border=False, size=14)
    ws.row_dimensions[r].height = 24
    r += 1
    half = max(1, n // 2)
    put(ws, r, 1, t.entity_line, cs=half, border=False, align="l", size=9)
    put(ws, r, half + 1, f"单位：{t.unit}", cs=n - half, border=False, align="r", size=9)
    r += 1
    head_first = r
    occupied: set[tuple[int, int]] = set()
    for hr, row in enumerate(t.header):
        c = 1
        for cell in row:
            while (r + hr, c) in occupied:
                c += 1
            put(ws, r + hr, c, cell.text, cs=cell.colspan, rs=cell.rowspan, size=9)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + hr + dr, c + dc))
            c += cell.colspan
    r += len(t.header)
    if t.colnums:
        for c, x in enumerate(t.colnums, start=1):
            put(ws, r, c, x, size=9)
        r += 1
    setup(ws, t.landscape, f"{head_first}:{r - 1}")
    for ri, row in enumerate(t.rows):
        skip = 0
        for c, (col, v) in enumerate(zip(t.cols, row), start=1):
            if skip:
                skip -= 1
                continue
            span = t.body_spans.get((ri, c - 1), 1)
            if span > 1:
                skip = span - 1
                put(ws, r, c, v, cs=span, size=9)
            elif col.role == "value" and v:
                amt = parse_amount(v)
                put(ws, r, c, amt, align="r", size=9, numfmt="#,##0.00" if "," in v else "0.00")
            else:
                put(ws, r, c, v, align=col.align, size=9)
        r += 1
    if t.note:
        put(ws, r, 1, t.note, cs=n, border=False, align="l", size=9)


def perf_sheet(wb, p: PerfSheet, idx: int) -> None:
    ws = wb.create_sheet(f"P{idx:02d}")
    setup(ws, False)
    for c, w in enumerate([9, 10, 12, 20, 10, 12, 17, 10], start=1):
        ws.column_dimensions[get_column_letter(c)].width = w * 1.05
    put(ws, 1, 1, p.title, cs=8, border=False, size=14)
    put(ws, 2, 1, p.year_line, cs=8, border=False, size=10)
    r = 3
    put(ws, r, 1, "项目名称", 2); put(ws, r, 3, p.project, 6, align="l"); r += 1
    put(ws, r, 1, "主管部门及代码", 2); put(ws, r, 3, p.department, 2, align="l"); put(ws, r, 5, "实施单位")
    put(ws, r, 6, p.implementer, 3, align="l"); r += 1
    put(ws, r, 1, "项目属性", 2); put(ws, r, 3, p.attrs["项目属性"], 2); put(ws, r, 5, "项目期")
    put(ws, r, 6, p.attrs["项目期"], 3); r += 1
    labels = [("实施期资金总额：", "年度资金总额："), ("其中：中央财政资金", "其中：中央财政资金"),
              ("省级财政资金", "省级财政资金"), ("市县(区)财政资金", "市县(区)财政资金"), ("单位自筹", "单位自筹")]
    put(ws, r, 1, "项目资金（元）", 1, len(labels))
    for key, (a, b) in zip(PerfSheet.FUND_KEYS, labels):
        put(ws, r, 2, a, 2, align="l", size=9)
        put(ws, r, 4, p.funds_total[key], align="r", numfmt="#,##0", size=9)
        put(ws, r, 5, b, 2, align="l", size=9)
        put(ws, r, 7, p.funds_year[key], 2, align="r", numfmt="#,##0", size=9)
        r += 1
    for k, v in p.fields.items():
        put(ws, r, 1, k, 2, size=9); put(ws, r, 3, v, 6, align="l", size=9)
        r += 1
    put(ws, r, 1, ""); put(ws, r, 2, "实施期目标", 3); put(ws, r, 5, "年度目标", 4); r += 1
    put(ws, r, 1, "总体目标"); put(ws, r, 2, p.goals["实施期目标"], 3, align="l", size=9)
    put(ws, r, 5, p.goals["年度目标"], 4, align="l", size=9)
    r += 1
    a = [i for i in p.indicators if i.period == "实施期目标"]
    b = [i for i in p.indicators if i.period == "年度目标"]
    put(ws, r, 1, "绩效指标", 1, len(a) + 1)
    for c, h in enumerate(["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"], start=2):
        put(ws, r, c, h, size=9)
    r += 1
    s1, s2a, s2b = runs([i.level1 for i in a]), runs([i.level1 + i.level2 for i in a]), \
        runs([i.level1 + i.level2 for i in b])
    for k in range(len(a)):
        if s1[k]:
            put(ws, r, 2, a[k].level1, 1, s1[k], size=9)
        if s2a[k]:
            put(ws, r, 3, a[k].level2, 1, s2a[k], size=9)
        put(ws, r, 4, a[k].name, align="l", size=9); put(ws, r, 5, a[k].target, size=9)
        if s2b[k]:
            put(ws, r, 6, b[k].level2, 1, s2b[k], size=9)
        put(ws, r, 7, b[k].name, align="l", size=9); put(ws, r, 8, b[k].target, size=9)
        r += 1


def build_workbook(d: Doc, path: str) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    text_sheet(wb, "封面", [("", 12)] * 8 + [(d.cover_lines[0], 22)] + [(x, 16) for x in d.cover_lines[1:]])
    text_sheet(wb, "目录", [("目 录", 16)] + [(x, 10.5) for x in d.toc])
    text_sheet(wb, "概况", sum([[(s.heading, 12.5), (s.text, 10.5)] for s in d.intro], []))
    text_sheet(wb, "报表", [("", 12)] * 6 + [(d.part_titles["tables"], 18)])
    for i, t in enumerate(d.tables, start=1):
        table_sheet(wb, t, i)
    text_sheet(wb, "说明", [(d.part_titles["sections"], 16)] +
               sum([[(s.heading, 12.5), (s.text, 10.5)] for s in d.sections], []))
    for i, p in enumerate(d.perf, start=1):
        perf_sheet(wb, p, i)
    wb.save(path)


def soffice_convert(src: str, fmt: str, out_path: str) -> None:
    """`soffice --convert-to FMT` with a private profile, result moved to out_path."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise RuntimeError("LibreOffice (soffice) not found")
    with tempfile.TemporaryDirectory() as tmp:
        prof = "file://" + os.path.join(tmp, "profile")
        subprocess.run([exe, f"-env:UserInstallation={prof}", "--headless", "--convert-to", fmt,
                        "--outdir", tmp, src], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)
        out = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + "." + fmt)
        shutil.move(out, out_path)


def render(d: Doc, pdf_path: str, sheet_format: str = "xlsx") -> None:
    """Print via an .xlsx, or via an .ods made from it (`sheet_format="ods"`)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, d.name + ".xlsx")
        build_workbook(d, src)
        if sheet_format == "ods":
            ods = os.path.join(tmp, d.name + ".ods")
            soffice_convert(src, "ods", ods)
            src = ods
        soffice_convert(src, "pdf", pdf_path)
