"""Check the accounting identities of a generated Doc before it is printed.

The samples must add up the way real disclosures do, or the pipeline's own
checks would flag the truth: a parent code equals the sum of its children, the
合计 row equals the sum of the top-level rows, a 合计 column equals the sum of
its component columns, and the totals agree across tables.
"""

from __future__ import annotations

from model import Doc, Table

# value columns that are the sum of the value columns beside them
TOTAL_COLUMNS = {"合计", "小计", "本年收入合计", "本年支出合计"}
# columns beside a total that are not part of it
EXCLUDE = {"上年结转", "年初结转和结余", "年末结转和结余", "本年收入", "机关运行经费预算数"}


def cents(v: float) -> int:
    return round(v * 100)


def check_table(t: Table) -> list[str]:
    errs = []
    recs = [r for r in t.records() if r["side"] is None]
    coded = [r for r in recs if r["code"]]
    # parent = sum of children (functional 3/5/7, economic 3/5)
    for r in coded:
        kids = [k for k in coded if k["code"].startswith(r["code"]) and len(k["code"]) == len(r["code"]) + 2]
        if not kids:
            continue
        for key, v in r["values"].items():
            s = sum(cents(k["values"].get(key, 0.0)) for k in kids)
            if s != cents(v):
                errs.append(f"{t.title}: {r['code']} {key} {v} != children {s / 100}")
    # 合计 row = sum of top-level coded rows
    total = next((r for r in recs if r["name"] == "合计" and not r["code"]), None)
    tops = [r for r in coded if len(r["code"]) == 3]
    if total and tops:
        for key, v in total["values"].items():
            s = sum(cents(k["values"].get(key, 0.0)) for k in tops)
            if s != cents(v):
                errs.append(f"{t.title}: 合计 {key} {v} != top rows {s / 100}")
    # a 合计 column = the sum of the columns beside it under the same header;
    # a subgroup that has its own 小计/合计 counts through that subtotal
    paths = {i: tuple(t.header_path(i)) for i, c in enumerate(t.cols) if c.role == "value" and c.side is None}
    keys = t.value_keys()
    for ti, tp in paths.items():
        if not tp or tp[-1] not in TOTAL_COLUMNS:
            continue
        parent = tp[:-1]
        parts = []
        for i, q in paths.items():
            if i == ti or q[:len(parent)] != parent or q[len(parent)] in EXCLUDE:
                continue
            if len(q) > len(tp):
                group = q[:len(tp)]
                sub = [j for j, g in paths.items() if g[:len(group)] == group and len(g) == len(group) + 1
                       and g[-1] in TOTAL_COLUMNS]
                if sub and i not in sub:
                    continue
            parts.append(i)
        for r in recs:
            vals = r["values"]
            if keys[ti] not in vals:
                continue
            s = sum(cents(vals.get(keys[i], 0.0)) for i in parts)
            if s != cents(vals[keys[ti]]):
                errs.append(f"{t.title}: row {r['code'] or r['name']} {keys[ti]} {vals[keys[ti]]} != parts {s / 100}")
    return errs


def grand_total(t: Table) -> int | None:
    for r in t.records():
        if r["name"] in ("合计", "本年收入合计", "收入总计") and not r["code"]:
            for key in ("合计", "本年收入合计", "预算数", "金额", f"{t.title[:4]}年"):
                if key in r["values"]:
                    return cents(r["values"][key])
    return None


def check_doc(d: Doc) -> list[str]:
    errs = []
    for t in d.tables:
        errs += check_table(t)
    # the overview, income and expenditure totals agree
    kinds = {"budget_overview", "budget_income", "budget_expenditure", "final_income"}
    totals = {t.kind: grand_total(t) for t in d.tables if t.kind in kinds}
    vals = {v for v in totals.values() if v is not None}
    if d.kind == "budget" and len(vals) > 1:
        errs.append(f"{d.title}: totals differ across tables {totals}")
    return errs
