"""Render a Doc with reportlab's canvas, drawing every table by hand.

Fonts are the non-embedded Adobe-GB1 CID font STSong-Light, either with
UniGB-UCS2-H (reportlab's UnicodeCIDFont) or with GBK-EUC-H (the same font,
strings written as GBK bytes). Options give the traps seen in real files:
ruled or whitespace-only tables, headers and titles drawn twice with a small
offset (fake bold), a row whose cell text is split across a page break.
The renderer returns the pages each table starts and ends on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import cidfonts, pdfmetrics
from reportlab.pdfgen import canvas

from model import Doc, Table

rl_config.invariant = 1  # no dates or random ids: same input, same bytes

# (table title, page) of every row split across a page by the last render()
LAST_SPLITS: list[tuple[str, int]] = []


class GBKFont(cidfonts.UnicodeCIDFont):
    """STSong-Light with /Encoding /GBK-EUC-H: strings are GBK bytes.

    CIDs in Adobe-GB1 do not depend on the CMap, so the widths reportlab
    writes for the UCS2 font are right for this encoding too.
    """

    def __init__(self):
        super().__init__("STSong-Light")
        self.encodingName = "GBK-EUC-H"
        self.name = self.fontName = "STSong-Light-GBK"
        # GBK-EUC-H maps single bytes 0x20-0x7E to the half-width Roman CIDs
        # 814-908, 500 units wide each; measure them so.
        self.unicodeWidths = dict(self.unicodeWidths)
        for b in range(0x20, 0x7F):
            self.unicodeWidths[chr(b)] = 500

    def addObjects(self, doc):
        internal = "F" + repr(len(doc.fontMapping) + 1)
        big = copy.deepcopy(cidfonts.CIDFontInfo[self.face.name])
        big["Name"] = "/" + internal
        big["Encoding"] = "/" + self.encodingName
        big["DescendantFonts"][0]["W"] = big["DescendantFonts"][0]["W"] + [814, 908, 500]
        ref = doc.Reference(cidfonts.structToPDF(big), internal)
        doc.idToObject["BasicFonts"].dict[internal] = ref
        doc.fontMapping[self.name] = "/" + internal

    def formatForPdf(self, text):
        if isinstance(text, bytes):
            text = text.decode("utf8")
        return cidfonts.escapePDF(text.encode("gbk"))


def register(font: str) -> str:
    if font == "gbk":
        if "STSong-Light-GBK" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(GBKFont())
        return "STSong-Light-GBK"
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(cidfonts.UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@dataclass
class Style:
    font: str = "ucs2"  # ucs2 | gbk
    ruled: bool = True
    fake_bold: bool = False
    split_cells: bool = False
    size: float = 9.0
    margin: float = 42.0
    pad: float = 2.5
    bottom_reserve: float = 0.0  # shrink the usable page so a split falls on a long row


class Renderer:
    def __init__(self, path: str, style: Style, title: str):
        self.st = style
        self.font = register(style.font)
        self.c = canvas.Canvas(path, pagesize=A4, invariant=1)
        self.c.setTitle(title)
        self.c.setAuthor("gongkai samples")
        self.page = 1
        self.size = A4
        self.started = False

    # -- pages
    def new_page(self, land: bool = False) -> None:
        if self.started:
            self.footer()
            self.c.showPage()
            self.page += 1
        self.started = True
        self.size = landscape(A4) if land else A4
        self.c.setPageSize(self.size)
        self.y = self.size[1] - self.st.margin

    def footer(self) -> None:
        self.c.setFont(self.font, 9)
        self.c.drawCentredString(self.size[0] / 2, 24, f"第 {self.page} 页")

    def finish(self) -> None:
        self.footer()
        self.c.showPage()
        self.c.save()

    # -- text
    def width(self, s: str, size: float) -> float:
        return pdfmetrics.stringWidth(s, self.font, size)

    def wrap(self, s: str, w: float, size: float) -> list[str]:
        if not s:
            return [""]
        lines, cur = [], ""
        for ch in s:
            if cur and self.width(cur + ch, size) > w:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        lines.append(cur)
        return lines

    def text(self, x: float, y: float, s: str, size: float, align: str = "l", bold: bool = False) -> None:
        self.c.setFont(self.font, size)
        if align == "r":
            x -= self.width(s, size)
        elif align == "c":
            x -= self.width(s, size) / 2
        self.c.drawString(x, y, s)
        if bold:  # the same text again, a little to the right: fake bold
            self.c.drawString(x + 0.4, y + 0.1, s)

    def para(self, s: str, size: float, indent: bool = True) -> None:
        w = self.size[0] - 2 * self.st.margin
        lead = size * 1.7
        for line in self.wrap(("　　" if indent else "") + s, w, size):
            if self.y - lead < self.st.margin:
                self.new_page()
            self.y -= lead
            self.text(self.st.margin, self.y, line, size)

    def heading(self, s: str, size: float, center: bool = False) -> None:
        self.y -= size * 2
        if center:
            self.text(self.size[0] / 2, self.y, s, size, "c", self.st.fake_bold)
        else:
            self.text(self.st.margin, self.y, s, size, "l", self.st.fake_bold)
        self.y -= size * 0.6

    # -- tables
    def table(self, t: Table) -> list[int]:
        st = self.st
        self.new_page(t.landscape)
        first_page = self.page
        left = st.margin
        avail = self.size[0] - 2 * st.margin
        tot = sum(c.width for c in t.cols)
        widths = [avail * c.width / tot for c in t.cols]
        xs = [left]
        for w in widths:
            xs.append(xs[-1] + w)
        size, lead, pad = st.size, st.size * 1.35, st.pad

        # title block (first page only)
        if t.number_line:
            self.text(xs[-1], self.y - 9, t.number_line, 9, "r")
            self.y -= 14
        self.y -= 18
        self.text(self.size[0] / 2, self.y, t.title, 15, "c", st.fake_bold)
        self.y -= 20
        self.text(left, self.y, t.entity_line, 9)
        self.text(xs[-1], self.y, f"单位：{t.unit}", 9, "r")
        self.y -= 6

        # header layout: cells with their grid boxes
        cov = t.coverage()
        nrows = len(t.header)
        cells = []  # (r0, c0, r1, c1, text)
        seen = set()
        for r in range(nrows):
            for ci in range(t.ncols()):
                who = cov[r][ci]
                if who is None or who in seen:
                    continue
                seen.add(who)
                cell = t.header[who[0]][who[1]]
                cells.append((r, ci, r + cell.rowspan, ci + cell.colspan, cell.text))
        hh = [lead + 2 * pad] * nrows
        for r0, c0, r1, c1, txt in cells:
            n = len(self.wrap(txt, xs[c1] - xs[c0] - 2 * pad, size))
            need = n * lead + 2 * pad
            have = sum(hh[r0:r1])
            if need > have:
                hh[r1 - 1] += need - have
        colnum_h = lead + 2 * pad if t.colnums else 0

        def draw_header() -> None:
            top = self.y
            ys = [top]
            for h in hh:
                ys.append(ys[-1] - h)
            for r0, c0, r1, c1, txt in cells:
                lines = self.wrap(txt, xs[c1] - xs[c0] - 2 * pad, size)
                mid = (ys[r0] + ys[r1]) / 2
                y0 = mid + (len(lines) * lead) / 2 - lead + (lead - size) / 2 + 1
                for k, line in enumerate(lines):
                    self.text((xs[c0] + xs[c1]) / 2, y0 - k * lead, line, size, "c", st.fake_bold)
                if st.ruled:
                    self.c.rect(xs[c0], ys[r1], xs[c1] - xs[c0], ys[r0] - ys[r1], stroke=1, fill=0)
            self.y = ys[-1]
            if t.colnums:
                for ci, x in enumerate(t.colnums):
                    self.text((xs[ci] + xs[ci + 1]) / 2, self.y - pad - size, x, size, "c")
                    if st.ruled:
                        self.c.rect(xs[ci], self.y - colnum_h, widths[ci], colnum_h, stroke=1, fill=0)
                self.y -= colnum_h

        self.c.setLineWidth(0.5)
        draw_header()
        bottom = st.margin + st.bottom_reserve

        def draw_row(parts: list[list[str]], h: float, open_top: bool = False, open_bottom: bool = False):
            top = self.y
            for ci, lines in enumerate(parts):
                col = t.cols[ci]
                for k, line in enumerate(lines):
                    yb = top - pad - size - k * lead + 1
                    if col.align == "r":
                        self.text(xs[ci + 1] - pad, yb, line, size, "r")
                    elif col.align == "c":
                        self.text((xs[ci] + xs[ci + 1]) / 2, yb, line, size, "c")
                    else:
                        self.text(xs[ci] + pad, yb, line, size)
            if st.ruled:
                for x in xs:
                    self.c.line(x, top, x, top - h)
                if not open_top:
                    self.c.line(xs[0], top, xs[-1], top)
                self.c.line(xs[0], top - h, xs[-1], top - h)
            self.y = top - h

        for row in t.rows:
            wrapped = [self.wrap(v, widths[i] - 2 * pad, size) for i, v in enumerate(row)]
            n = max(len(w) for w in wrapped)
            h = n * lead + 2 * pad
            if self.y - h < bottom:
                fit = int((self.y - bottom - 2 * pad) // lead)
                if st.split_cells and n > 1 and 1 <= fit < n:
                    # the cell continues on the next page, below the repeated header
                    draw_row([w[:fit] for w in wrapped], fit * lead + 2 * pad, open_bottom=True)
                    LAST_SPLITS.append((t.title, self.page))
                    self.new_page(t.landscape)
                    draw_header()
                    rest = [w[fit:] for w in wrapped]
                    m = max(len(w) for w in rest)
                    draw_row(rest, m * lead + 2 * pad, open_top=True)
                    continue
                self.new_page(t.landscape)
                draw_header()
            draw_row(wrapped, h)
        if t.note:
            self.y -= 14
            self.text(left, self.y, t.note, 9)
        return list(range(first_page, self.page + 1))


def render(d: Doc, path: str, style: Style) -> tuple[list[list[int]], list[list[int]]]:
    """Draw the document; perf sheets are not drawn by this renderer."""
    LAST_SPLITS.clear()
    r = Renderer(path, style, d.title)
    r.new_page()
    r.y -= 220
    r.text(A4[0] / 2, r.y, d.cover_lines[0], 24, "c", style.fake_bold)
    for line in d.cover_lines[1:]:
        r.y -= 40
        r.text(A4[0] / 2, r.y, line, 18, "c", style.fake_bold)
    r.new_page()
    r.heading("目 录", 16, center=True)
    for line in d.toc:
        r.para(line, 10.5, indent=False)
    r.new_page()
    for s in d.intro:
        r.heading(s.heading, 12)
        r.para(s.text, 10.5)
    r.new_page()
    r.y -= 200
    r.heading(d.part_titles["tables"], 18, center=True)
    pages = [r.table(t) for t in d.tables]
    r.new_page()
    r.heading(d.part_titles["sections"], 16, center=True)
    for s in d.sections:
        r.heading(s.heading, 12)
        r.para(s.text, 10.5)
    r.finish()
    return pages, []
