"""The logical model of a disclosure: tables, performance sheets, sections.

Renderers draw these objects; `truth.py` turns the same objects into the
contract's JSON, so what is printed and what the truth says cannot drift apart.
Amounts are integer cents of the printed unit, so sums are exact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


# ---------------------------------------------------------------- formatting

def fmt(cents: int | None, comma: bool = False, zero: str = "") -> str:
    """Print an amount held in cents the way the bureaus do."""
    if cents is None:
        return ""
    if cents == 0:
        return zero
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    whole, frac = divmod(c, 100)
    w = f"{whole:,}" if comma else str(whole)
    return f"{sign}{w}.{frac:02d}"


def parse_amount(text: str) -> float | None:
    t = text.strip().replace(",", "")
    if t in ("", "-", "—", "--", "——"):
        return None
    try:
        return float(t)
    except ValueError:
        return None


CN_NUM = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二, 30 -> 三十."""
    if n <= 10:
        return "一二三四五六七八九十"[n - 1]
    tens, ones = divmod(n, 10)
    s = ("" if tens == 1 else CN_NUM[tens - 1]) + "十"
    return s + (CN_NUM[ones - 1] if ones else "")


def level_of(code: str | None, name: str | None) -> int | None:
    """Convention 8: code length, else the printed enumerator."""
    if code and code.isdigit():
        return {3: 1, 5: 2, 7: 3}.get(len(code))
    if not name:
        return None
    n = unicodedata.normalize("NFKC", name).strip()
    if re.match(r"^[一二三四五六七八九十]+、", n):
        return 1
    if re.match(r"^\([一二三四五六七八九十]+\)", n) or (n and n[0] in CIRCLED):
        return 2
    return None


# ---------------------------------------------------------------- tables

@dataclass
class Cell:
    """A header cell as printed, with its span."""
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Col:
    """What a grid column means.

    role: code | codepart | name | value | lineno | label (a second label, no values)
    side: None | income | expenditure
    width: relative width for renderers
    align: l | c | r
    group: None, or the column group (0, 1, ...) of a multi-group table: groups
        printed side by side, each with its own code, name and value columns
        and its rows running independently down the page (决算 基本支出表)
    """
    role: str
    side: str | None = None
    width: float = 1.0
    align: str = "l"
    group: int | None = None


@dataclass
class Table:
    kind: str
    title: str
    number: str | None
    unit: str
    header: list[list[Cell]]
    cols: list[Col]
    rows: list[list[str]]
    entity_line: str = ""
    colnums: list[str] | None = None  # printed 栏次 row, not in the truth
    note: str = ""
    landscape: bool = False
    number_line: str = ""  # e.g. 预算公开表1 / 公开01表, printed above the title
    # body cells spanning columns: (row index, first column) -> colspan; the
    # text stands in the first column, the columns it covers hold ""
    body_spans: dict[tuple[int, int], int] = field(default_factory=dict)

    # -- derived, as the contract defines them
    def ncols(self) -> int:
        return len(self.cols)

    def coverage(self) -> list[list[tuple[int, int] | None]]:
        """For each header grid position, the (row, index) of the cell covering it."""
        n = self.ncols()
        grid: list[list[tuple[int, int] | None]] = [[None] * n for _ in self.header]
        for r, row in enumerate(self.header):
            c = 0
            for i, cell in enumerate(row):
                while c < n and grid[r][c] is not None:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if r + dr < len(grid) and c + dc < n:
                            grid[r + dr][c + dc] = (r, i)
                c += cell.colspan
        return grid

    def header_grid(self) -> list[list[str]]:
        cov = self.coverage()
        out = []
        seen = set()
        for r, row in enumerate(cov):
            line = []
            for c, who in enumerate(row):
                if who is None or who in seen:
                    line.append("")
                else:
                    seen.add(who)
                    line.append(self.header[who[0]][who[1]].text)
            out.append(line)
        return out

    def columns(self) -> list[str]:
        g = self.header_grid()
        out = []
        for c in range(self.ncols()):
            label = ""
            for r in range(len(g)):
                if g[r][c]:
                    label = g[r][c]
            out.append(label)
        return out

    def header_path(self, c: int) -> list[str]:
        cov = self.coverage()
        path: list[str] = []
        last = None
        for r in range(len(cov)):
            who = cov[r][c]
            if who is None or who == last:
                continue
            last = who
            t = self.header[who[0]][who[1]].text
            if t:
                path.append(t)
        return path

    def parts(self) -> list[tuple[str | None, int | None]]:
        """The (side, group) partitions of the columns, in order of first appearance."""
        out: list[tuple[str | None, int | None]] = []
        for c in self.cols:
            if (c.side, c.group) not in out:
                out.append((c.side, c.group))
        return out

    def value_keys(self) -> dict[int, str]:
        labels = self.columns()
        keys = {}
        for part in self.parts():
            idx = [i for i, c in enumerate(self.cols) if c.role == "value" and (c.side, c.group) == part]
            counts: dict[str, int] = {}
            for i in idx:
                counts[labels[i]] = counts.get(labels[i], 0) + 1
            for i in idx:
                keys[i] = "/".join(self.header_path(i)) if counts[labels[i]] > 1 else labels[i]
        return keys

    def records(self) -> list[dict]:
        """One record per body row and side; a multi-group table gives one per
        row and group, all of the first group in row order, then the next."""
        keys = self.value_keys()
        parts = self.parts()
        per_row = []
        for row in self.rows:
            per_part = []
            for part in parts:
                idx = [i for i, c in enumerate(self.cols) if (c.side, c.group) == part]
                pieces = [row[i].strip() for i in idx if self.cols[i].role == "codepart"]
                code_cells = [row[i].strip() for i in idx if self.cols[i].role == "code"]
                names = [row[i].strip() for i in idx if self.cols[i].role == "name"]
                name = names[0] if names else ""
                code = "".join(pieces) if pieces else (code_cells[0] if code_cells else "")
                if code and not code.isdigit():
                    # 合计 printed in the code column (convention 6)
                    if not name:
                        name = code
                    code = ""
                values = {}
                for i in idx:
                    if self.cols[i].role == "value":
                        v = parse_amount(row[i])
                        if v is not None:
                            values[keys[i]] = v
                per_part.append([part[0], code or None, name or None, values])
            recs = []
            for k, (side, code, name, values) in enumerate(per_part):
                if code is None and name is None and not values:
                    recs.append(None)
                    continue
                if code is None and name is None:
                    others = [p[2] or p[1] for j, p in enumerate(per_part) if j != k and (p[2] or p[1])]
                    name = others[0] if others else None
                recs.append({
                    "side": side,
                    "code": code,
                    "name": name,
                    "level": level_of(code, name),
                    "values": dict(sorted(values.items())),
                })
            per_row.append(recs)
        grouped = any(c.group is not None for c in self.cols)
        if grouped:
            order = [r[k] for k in range(len(parts)) for r in per_row]
        else:
            order = [rec for r in per_row for rec in r]
        return [rec for rec in order if rec is not None]


# ---------------------------------------------------------------- performance sheets

@dataclass
class Indicator:
    period: str
    level1: str
    level2: str
    name: str
    target: str


@dataclass
class PerfSheet:
    title: str  # e.g. 长治市市级预算部门（单位）项目支出绩效目标表
    year_line: str  # (2025年度)
    project: str
    department: str
    implementer: str
    attrs: dict[str, str]  # 项目属性, 项目期
    funds_total: dict[str, int]  # yuan, keys as in the contract (资金总额, 中央财政资金, ...)
    funds_year: dict[str, int]
    fields: dict[str, str]  # 项目概况, 立项依据, ...
    goals: dict[str, str]
    indicators: list[Indicator]

    FUND_KEYS = ["资金总额", "中央财政资金", "省级财政资金", "市县(区)财政资金", "单位自筹"]


@dataclass
class Section:
    heading: str
    text: str


@dataclass
class Doc:
    name: str  # output file stem
    entity: str
    year: int
    kind: str  # budget | final_account
    title: str
    cover_lines: list[str]
    toc: list[str]
    intro: list[Section]  # 概况 before the tables
    tables: list[Table]
    perf: list[PerfSheet]
    sections: list[Section]  # 情况说明 after the tables
    part_titles: dict[str, str] = field(default_factory=dict)
