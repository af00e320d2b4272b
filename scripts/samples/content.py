"""Build the logical disclosures: amounts that keep the accounting identities,
and the tables of the three templates (Shanxi 13-table budget set, the 决算
公开01–09表, the Shanghai nine-table budget set), performance sheets and
narrative sections.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from model import (CIRCLED, Cell, Col, Doc, Indicator, PerfSheet, Section, Table,
                   cn_numeral, fmt)
from subjects import (CAPITAL, CLASS_NAME, CLASSES, CORE, ECON_CLASS, ECONOMIC, ECONOMIC_FULL,
                      GOV_ECON, LEAVES, PROJECTS, SUBJECTS)


# ---------------------------------------------------------------- amounts

@dataclass
class Leaf:
    code: str
    name: str
    fund: str  # gpb | gf | sc
    basic: int  # cents
    project: int

    @property
    def total(self) -> int:
        return self.basic + self.project


class Finance:
    """One entity's year: functional leaves, economic split, projects."""

    def __init__(self, rng: random.Random, scale: int, with_gf: bool, with_sc: bool,
                 n_leaves: int):
        pool = [l for l in LEAVES if (with_gf or l[2] != "gf") and (with_sc or l[2] != "sc")]
        chosen = {c for c, *_ in pool if c in CORE}
        rest = [l[0] for l in pool if l[0] not in chosen]
        rng.shuffle(rest)
        # a gf / sc leaf when asked for, so those tables have content
        for want in ("gf", "sc"):
            if (want == "gf" and with_gf) or (want == "sc" and with_sc):
                cands = [l[0] for l in pool if l[2] == want]
                chosen.update(rng.sample(cands, min(2, len(cands))))
        for c in rest:
            if len(chosen) >= n_leaves:
                break
            chosen.add(c)
        self.leaves: list[Leaf] = []
        for code, name, fund, basic in pool:
            if code not in chosen:
                continue
            amt = rng.randint(scale // 200, scale) * rng.choice([1, 1, 1, 3, 10])
            if basic:
                b = amt if rng.random() < 0.85 else amt * rng.randint(50, 90) // 100
                self.leaves.append(Leaf(code, name, fund, b, amt - b))
            else:
                self.leaves.append(Leaf(code, name, fund, 0, amt))
        self.leaves.sort(key=lambda l: l.code)

    def by_fund(self, fund: str | None) -> list[Leaf]:
        return [l for l in self.leaves if fund is None or l.fund == fund]

    def fund_total(self, fund: str | None, part: str = "total") -> int:
        return sum(getattr(l, part) for l in self.by_fund(fund))

    def class_total(self, cls: str, fund: str | None = None) -> int:
        return sum(l.total for l in self.by_fund(fund) if l.code.startswith(cls))


def tree_rows(leaves: list[Leaf]) -> list[tuple[str, str, list[Leaf]]]:
    """(code, name, leaves under it) for every 类, 款 and 项 in code order."""
    out = []
    classes = sorted({l.code[:3] for l in leaves})
    for c in classes:
        under = [l for l in leaves if l.code.startswith(c)]
        out.append((c, CLASS_NAME[c], under))
        for k in sorted({l.code[:5] for l in under}):
            kl = [l for l in under if l.code.startswith(k)]
            out.append((k, SUBJECTS[k], kl))
            for l in kl:
                out.append((l.code, l.name, [l]))
    return out


def split_amount(rng: random.Random, total: int, n: int) -> list[int]:
    """Split cents into n positive parts (n may be reduced for tiny totals)."""
    n = max(1, min(n, total // 100 if total >= 100 else 1))
    cuts = sorted(rng.sample(range(1, total), n - 1)) if n > 1 else []
    parts, prev = [], 0
    for c in cuts + [total]:
        parts.append(c - prev)
        prev = c
    return parts


# ---------------------------------------------------------------- Shanxi budget set

def shanxi_budget(rng: random.Random, name: str, entity: str, city: str, year: int,
                  n_perf: int = 2, narrow: bool = False, long_perf: bool = False) -> Doc:
    unit = "万元"
    f = Finance(rng, scale=300000, with_gf=rng.random() < 0.5, with_sc=rng.random() < 0.7,
                n_leaves=rng.randint(14, 22))
    ent = f"单位名称：{entity}"
    y = year
    gpb, gf, sc = f.fund_total("gpb"), f.fund_total("gf"), f.fund_total("sc")
    total = gpb + gf + sc
    tables: list[Table] = []
    num = lambda n: f"表{cn_numeral(n)}"
    w = 0.8 if narrow else 1.0

    # 表一 预算收支总表
    inc = [("一、一般公共预算", gpb), ("二、政府性基金预算", gf), ("三、国有资本经营预算", sc),
           ("四、财政专户管理资金", 0), ("五、单位资金", 0)]
    rows = []
    for i, (code, cname) in enumerate(CLASSES):
        a = f.class_total(code)
        left = inc[i] if i < len(inc) else ("", None)
        rows.append([left[0], fmt(left[1]), f"{cn_numeral(i + 1)}、{cname}", fmt(a), fmt(a), ""])
    rows += [["本年收入合计", fmt(total), "本年支出合计", fmt(total), fmt(total), ""],
             ["上年结转", "", "年终结转", "", "", ""],
             ["收入总计", fmt(total), "支出总计", fmt(total), fmt(total), ""]]
    tables.append(Table(
        "budget_overview", f"{y}年预算收支总表", num(1), unit,
        [[Cell("收入", 2), Cell("支出", 4)],
         [Cell("项目"), Cell(f"{y}年"), Cell("项目"), Cell(f"{y}年合计"), Cell("当年预算安排"),
          Cell("上年结转安排")]],
        [Col("name", "income", 2.2 * w), Col("value", "income", 1, "r"),
         Col("name", "expenditure", 2.6 * w), Col("value", "expenditure", 1, "r"),
         Col("value", "expenditure", 1, "r"), Col("value", "expenditure", 1, "r")],
        rows, ent, number_line="预算公开表1"))

    # 表二 预算收入总表
    rows = [["合计", "", fmt(total), fmt(gpb), fmt(gf), fmt(sc), "", "", ""]]
    for code, nm, ls in tree_rows(f.leaves):
        s = lambda fund: sum(l.total for l in ls if l.fund == fund)
        rows.append([code, nm, fmt(sum(l.total for l in ls)), fmt(s("gpb")), fmt(s("gf")),
                     fmt(s("sc")), "", "", ""])
    tables.append(Table(
        "budget_income", f"{y}年预算收入总表", num(2), unit,
        [[Cell("项目", 2), Cell("本年收入", 6), Cell("上年结转", 1, 2)],
         [Cell("科目编码"), Cell("科目名称"), Cell("合计"), Cell("一般公共预算"), Cell("政府性基金"),
          Cell("国有资本经营预算"), Cell("财政专户管理资金"), Cell("单位资金")]],
        [Col("code", None, 0.9), Col("name", None, 2.6 * w)] + [Col("value", None, 1, "r")] * 7,
        rows, ent, landscape=True))

    def func_table(kind, title, number, leaves, top):
        rows = [["合计", "", fmt(sum(l.total for l in leaves)), fmt(sum(l.basic for l in leaves)),
                 fmt(sum(l.project for l in leaves))]]
        for code, nm, ls in tree_rows(leaves):
            rows.append([code, nm, fmt(sum(l.total for l in ls)), fmt(sum(l.basic for l in ls)),
                         fmt(sum(l.project for l in ls))])
        return Table(kind, title, number, unit,
                     [[Cell("项目", 2), Cell(top, 3)],
                      [Cell("科目编码"), Cell("科目名称"), Cell("合计"), Cell("基本支出"), Cell("项目支出")]],
                     [Col("code", None, 0.9), Col("name", None, 3.0 * w)] + [Col("value", None, 1, "r")] * 3,
                     rows, ent)

    tables.append(func_table("budget_expenditure", f"{y}年预算支出总表", num(3), f.leaves,
                             f"{y}年预算数"))

    # 表四 财政拨款收支总表
    rows = []
    inc = [("一、一般公共预算", gpb), ("二、政府性基金预算", gf), ("三、国有资本经营预算", sc)]
    for i, (code, cname) in enumerate(CLASSES):
        left = inc[i] if i < len(inc) else ("", None)
        rows.append([left[0], fmt(left[1]), f"{cn_numeral(i + 1)}、{cname}", fmt(f.class_total(code)),
                     fmt(f.class_total(code, "gpb")), fmt(f.class_total(code, "gf")),
                     fmt(f.class_total(code, "sc"))])
    rows += [["本年收入合计", fmt(total), "本年支出合计", fmt(total), fmt(gpb), fmt(gf), fmt(sc)],
             ["上年财政拨款结转", "", "年终结转", "", "", "", ""],
             ["收入总计", fmt(total), "支出总计", fmt(total), fmt(gpb), fmt(gf), fmt(sc)]]
    tables.append(Table(
        "fiscal_overview", f"{y}年财政拨款收支总表", num(4), unit,
        [[Cell("收入", 2), Cell("支出", 5)],
         [Cell("项目", 1, 2), Cell("金额", 1, 2), Cell("项目", 1, 2), Cell("金额", 4)],
         [Cell("小计"), Cell("一般公共预算"), Cell("政府性基金预算"), Cell("国有资本经营预算")]],
        [Col("name", "income", 2.0 * w), Col("value", "income", 1, "r"),
         Col("name", "expenditure", 2.6 * w)] + [Col("value", "expenditure", 1, "r")] * 4,
        rows, ent, landscape=True))

    tables.append(func_table("general_budget_expenditure",
                             f"{y}年一般公共预算支出预算表（不含上年结转）", num(5),
                             f.by_fund("gpb"), f"{y}年预算数"))

    # 表六 基本支出分经济科目
    basic_total = f.fund_total("gpb", "basic")
    econ = econ_split(rng, basic_total)
    staff = sum(a for c, n, g, a in econ if g == "staff")
    office = sum(a for c, n, g, a in econ if g == "office")
    rows = [["合计", "", fmt(basic_total), fmt(staff), fmt(office)]]
    for cls, cname in ECON_CLASS.items():
        items = [e for e in econ if e[0].startswith(cls) and e[3] > 0]
        if not items:
            continue
        cs = sum(e[3] for e in items)
        rows.append([cname, "", fmt(cs), fmt(sum(e[3] for e in items if e[2] == "staff")),
                     fmt(sum(e[3] for e in items if e[2] == "office"))])
        for c, n, g, a in items:
            rows.append([n, GOV_ECON.get(c, "办公经费"), fmt(a), fmt(a if g == "staff" else 0),
                         fmt(a if g == "office" else 0)])
    tables.append(Table(
        "basic_expenditure_economic", f"{y}年一般公共预算安排基本支出分经济科目表（不含上年结转）",
        num(6), unit,
        [[Cell("部门预算支出经济科目名称", 1, 2), Cell("政府预算支出经济科目名称", 1, 2),
          Cell(f"{y}年预算数", 3)],
         [Cell("合计"), Cell("人员经费"), Cell("公用经费")]],
        [Col("name", None, 2.2 * w), Col("label", None, 2.0 * w)] + [Col("value", None, 1, "r")] * 3,
        rows, ent))

    # 表七 / 表八 政府性基金
    tables.append(Table(
        "gov_fund_income", f"{y}年政府性基金预算收入表（不含上年结转）", num(7), unit,
        [[Cell("项目", 2), Cell("政府性基金收入预算", 1, 2)], [Cell("收入科目编码"), Cell("科目名称")]],
        [Col("code", None, 1.2), Col("name", None, 3.0), Col("value", None, 1.5, "r")],
        [["合计", "", fmt(gf)]], ent, note="" if gf else "注：本表无数据"))
    t8 = func_table("gov_fund_expenditure", f"{y}年政府性基金预算支出表（不含上年结转）", num(8),
                    f.by_fund("gf"), f"{y}年预算数")
    t8.header = [[Cell("科目编码"), Cell("科目名称"), Cell("合计"), Cell("基本支出"), Cell("项目支出")]]
    if not gf:
        t8.rows = [["合计", "", "", "", ""]]
        t8.note = "注：本表无数据"
    tables.append(t8)

    # 表九 国有资本经营预算收支预算表 (two-sided, income mirrors the subjects)
    sl = f.by_fund("sc")
    rows = [["合计", "", fmt(sc), "", "", fmt(sc), fmt(0), fmt(sc)]]
    for code, nm, ls in tree_rows(sl):
        a = fmt(sum(l.total for l in ls))
        rows.append([code, nm, a, code, nm, a, "", a])
    t9 = Table(
        "state_capital", f"{y}年国有资本经营预算收支预算表（不含上年结转）", num(9), unit,
        [[Cell("国有资本经营预算收入", 3), Cell("国有资本经营预算支出", 5)],
         [Cell("项目", 2), Cell("国有资本经营收入预算", 1, 2), Cell("科目编码", 1, 2),
          Cell("科目名称", 1, 2), Cell("合计", 1, 2), Cell("基本支出", 1, 2), Cell("项目支出", 1, 2)],
         [Cell("收入科目编码"), Cell("科目名称")]],
        [Col("code", "income", 1.0), Col("name", "income", 2.4 * w), Col("value", "income", 1.1, "r"),
         Col("code", "expenditure", 1.0), Col("name", "expenditure", 2.4 * w),
         Col("value", "expenditure", 1, "r"), Col("value", "expenditure", 1, "r"),
         Col("value", "expenditure", 1, "r")],
        rows, ent, landscape=True, note="" if sc else "注：本表无数据")
    if not sc:
        t9.rows = [["合计", "", "", "", "", "", "", ""]]
    tables.append(t9)

    # 表十 三公
    abroad = rng.choice([0, 0, rng.randint(100, 900)])
    recep = rng.choice([0, rng.randint(50, 300)])
    buy = rng.choice([0, 0, rng.randint(1000, 3000)])
    run = rng.choice([0, rng.randint(200, 900)])
    car = buy + run
    tp = abroad + recep + car
    rows = [[n, fmt(a), fmt(a), "", ""] for n, a in
            [("因公出国（境）费", abroad), ("公务接待费", recep), ("公务用车购置及运行费", car),
             ("①公务用车购置费", buy), ("②公务用车运行维护费", run), ("合计", tp)]]
    tables.append(Table(
        "three_public", f"{y}年财政拨款安排“三公”经费支出预算表", num(10), unit,
        [[Cell("项目", 1, 2), Cell(f"{y}年预算数", 4)],
         [Cell("合计"), Cell("一般公共预算"), Cell("政府性基金预算"), Cell("国有资本经营预算")]],
        [Col("name", None, 2.4)] + [Col("value", None, 1, "r")] * 4, rows, ent,
        note="" if tp else "注：本表无数据", number_line="预算公开表10"))

    # 表十一 机关运行经费
    tables.append(Table(
        "operating_costs", f"{y}年财政拨款安排机关运行经费预算表", num(11), unit,
        [[Cell("单位名称", 1, 2), Cell(f"{y}预算数", 4)],
         [Cell("合计"), Cell("一般公共预算"), Cell("政府性基金预算"), Cell("国有资本经营预算")]],
        [Col("name", None, 2.4)] + [Col("value", None, 1, "r")] * 4,
        [["部门合计", fmt(office), fmt(office), "", ""], [entity, fmt(office), fmt(office), "", ""]],
        ent))

    # 表十二 项目支出预算表（本年预算）
    projects = project_list(rng, f)
    pt = {k: sum(p[1][k] for p in projects) for k in ("gpb", "gf", "sc")}
    rows = [[entity, fmt(sum(pt.values())), fmt(pt["gpb"]), fmt(pt["gf"]), fmt(pt["sc"]), "", ""]]
    for pname, a in projects:
        rows.append([pname, fmt(sum(a.values())), fmt(a["gpb"]), fmt(a["gf"]), fmt(a["sc"]), "", ""])
    tables.append(Table(
        "project_expenditure", f"{y}年项目支出预算表（本年预算）", num(12), unit,
        [[Cell("项目名称", 1, 2), Cell("合计", 1, 2), Cell(f"{y}年财政拨款", 3),
          Cell("财政专户管理资金", 1, 2), Cell("单位资金", 1, 2)],
         [Cell("一般公共预算"), Cell("政府性基金预算"), Cell("国有资本经营预算")]],
        [Col("name", None, 3.2 * w)] + [Col("value", None, 1, "r")] * 6, rows, ent,
        colnums=[str(i) for i in range(1, 8)]))

    tables.append(Table(
        "project_expenditure_carryover", f"{y}年项目支出预算表（上年结转）", num(13), unit,
        [[Cell("项目名称", 1, 2), Cell("合计", 1, 2), Cell(f"{y}年财政拨款", 3)],
         [Cell("一般公共预算"), Cell("政府性基金预算"), Cell("国有资本经营预算")]],
        [Col("name", None, 3.2)] + [Col("value", None, 1, "r")] * 4, [], ent,
        colnums=[str(i) for i in range(1, 6)], note="注：本表无数据"))

    perf = [perf_sheet(rng, city, entity, year, p[0], sum(p[1].values()), long_perf)
            for p in projects[:n_perf]]

    wan = lambda c: fmt(c, comma=True, zero="0")
    sections = [
        Section("一、单位预算收支数据变动情况及原因",
                f"{year}年度{entity}预算收入总计{wan(total)}万元，其中：本年收入{wan(total)}万元，"
                f"上年结转0万元。本年单位预算支出总计{wan(total)}万元，其中：本年预算安排{wan(total)}万元，上年结转0万元。"),
        Section("二、收入预算情况说明",
                f"{year}年度{entity}预算收入{wan(total)}万元，主要包括一般公共预算拨款收入{wan(gpb)}万元；"
                f"政府性基金预算拨款收入{wan(gf)}万元；国有资本经营预算拨款收入{wan(sc)}万元。"),
        Section("三、支出预算情况说明",
                f"{year}年度{entity}支出预算{wan(total)}万元，其中：基本支出{wan(f.fund_total(None, 'basic'))}万元；"
                f"项目支出{wan(f.fund_total(None, 'project'))}万元。"),
        Section("四、机关运行经费增减变动原因说明",
                f"本单位机关运行经费财政拨款预算{wan(office)}万元，主要用于办公费、差旅费、会议费等日常公用经费支出。"),
    ]
    intro = [Section("一、本单位职责", f"{entity}是{city}人民政府工作部门，主要负责贯彻执行国家和省有关方针政策，"
                     "研究拟订本行业发展规划并组织实施，承担本行业运行监测和管理服务工作。"),
             Section("二、机构设置情况", f"{entity}内设办公室、规划科、财务科、综合科等职能科室，下属事业单位1个。")]
    title = f"{entity}{year}年度单位预算公开"
    return Doc(name, entity, year, "budget", title, [entity, f"{year}年度单位预算公开"],
               ["第一部分 概况", f"第二部分 {year}年单位预算报表"] +
               [f"{t.number}{t.title}" for t in tables] + [f"第三部分 {year}年度单位预算情况说明"],
               intro, tables, perf, sections,
               {"tables": f"第二部分 {year}年单位预算报表", "sections": f"第三部分 {year}年度单位预算情况说明"})


def econ_split(rng: random.Random, basic_total: int) -> list[tuple[str, str, str, int]]:
    """Spread the basic expenditure over economic items (70-85% staff)."""
    staff_items = [e for e in ECONOMIC if e[2] == "staff"]
    office_items = [e for e in ECONOMIC if e[2] == "office"]
    staff_total = basic_total * rng.randint(70, 85) // 100
    office_total = basic_total - staff_total
    out = []
    for items, tot in ((staff_items, staff_total), (office_items, office_total)):
        pick = sorted(rng.sample(items, max(1, min(len(items), rng.randint(6, 12)))))
        parts = split_amount(rng, tot, len(pick))
        for (c, n, g), a in zip(pick, parts):
            out.append((c, n, g, a))
    out.sort()
    return out


def project_list(rng: random.Random, f: Finance) -> list[tuple[str, dict[str, int]]]:
    """Projects whose amounts sum, per fund, to the project expenditure."""
    names = rng.sample(PROJECTS, len(PROJECTS))
    out = []
    for fund in ("gpb", "gf", "sc"):
        tot = f.fund_total(fund, "project")
        if tot <= 0:
            continue
        n = rng.randint(3, 9) if fund == "gpb" else rng.randint(1, 3)
        for a in split_amount(rng, tot, n):
            if not names:
                names = [f"专项工作经费{len(out) + 1}"]
            amounts = {"gpb": 0, "gf": 0, "sc": 0}
            amounts[fund] = a
            out.append((names.pop(), amounts))
    rng.shuffle(out)
    return out


def perf_sheet(rng: random.Random, city: str, entity: str, year: int, project: str,
               cents_wan: int, long: bool = False) -> PerfSheet:
    yuan = cents_wan * 100  # 万元 cents -> 元
    local = yuan
    funds = {"资金总额": yuan, "中央财政资金": 0, "省级财政资金": 0, "市县(区)财政资金": local, "单位自筹": 0}
    inds = []
    n_people = rng.randint(20, 90)
    for period in ("实施期目标", "年度目标"):
        inds += [
            Indicator(period, "产出指标", "数量指标", "服务保障机关在职人员人数", f"{n_people}人"),
            Indicator(period, "产出指标", "数量指标", f"完成{project}相关工作任务", f"≥{rng.randint(3, 12)}项"),
        ]
        if long:  # a sheet that runs over a page break
            inds += [Indicator(period, "产出指标", "数量指标", f"开展{t}工作次数", f"≥{k + 2}次")
                     for k, t in enumerate(["政策宣传培训", "企业走访调研", "项目现场核查", "专项资金绩效评价",
                                            "行业运行监测分析", "安全生产检查", "档案资料整理归档"])]
            inds += [Indicator(period, "产出指标", "质量指标", f"{t}合格率", "≥95%")
                     for t in ["调研报告", "培训组织", "核查资料", "评价报告", "监测数据", "检查记录", "归档资料"]]
        inds += [
            Indicator(period, "产出指标", "质量指标", "资金使用合规率", "100%"),
            Indicator(period, "产出指标", "时效指标", "项目完成及时性", "及时"),
            Indicator(period, "产出指标", "成本指标", "项目总成本", f"≤{fmt(cents_wan)}万元"),
            Indicator(period, "效益指标", "社会效益指标", "保障机关工作正常运转", "100%"),
            Indicator(period, "满意度指标", "服务对象满意度指标", "服务对象满意度", f"≥{rng.choice([90, 95, 98])}%"),
        ]
    goal = f"保障{year}年度{project}顺利实施，完成年度工作任务，提高资金使用效益。"
    if long:
        goal += "严格执行项目管理和资金管理制度，加强过程监控和绩效运行监控，确保项目按期保质完成，" \
                "切实发挥财政资金使用效益，服务全市经济社会高质量发展。"
    return PerfSheet(
        f"{city}市级预算部门（单位）项目支出绩效目标表", f"({year}年度)", project,
        f"{rng.randint(101, 399)}-{entity}", entity,
        {"项目属性": "经常性项目(长期开展)", "项目期": "99年"}, funds, dict(funds),
        {"项目概况": f"{project}主要用于保障{entity}相关业务工作的开展，包括组织实施、监督检查和日常管理等工作。",
         "立项依据": "单位职责和年度工作计划", "项目设立必要性": f"保障{year}年度{entity}相关工作正常开展。",
         "保证项目实施的制度、措施": "内部控制管理制度", "项目实施计划": "按计划组织实施，年底前完成全部工作任务。"},
        {"实施期目标": goal, "年度目标": goal}, inds)


# ---------------------------------------------------------------- 决算 公开01–09表

FINAL_CLASSES = [c for c in CLASSES if c[0] not in ("209", "227", "230", "233")]


def grouped_basic_table(rng: random.Random, econ: list[tuple[str, str, str, int]], n_groups: int,
                        unit: str, ent: str, number: str) -> Table:
    """公开06表 in the multi-group form real 决算 sets print: column groups side by
    side, each with its own code, name and 决算数 columns, every economic item of
    its classes listed (blank where nothing was spent), each group running down
    the page on its own, and a last row 人员经费合计 | x | 公用经费合计 | y.

    n_groups 2: 类 | 款 | 科目名称 | 决算数 twice (人员 301/303 left, 公用 302/310
    right, as 上海市普陀区财政局 prints it); 3: 科目编码 | 科目名称 | 决算数 three
    times under a top row 人员经费 | 公用经费 (302 in the middle, 307/310 right).
    """
    amt = {c: a for c, _, _, a in econ}
    # part of the 公用经费 bought equipment (资本性支出 310), taken off the largest office item
    office_items = [e for e in econ if e[2] == "office"]
    big = max(office_items, key=lambda e: e[3])[0]
    cap_total = amt[big] * rng.randint(10, 30) // 100
    picks = sorted(rng.sample(CAPITAL, rng.randint(1, 2)))
    for (c, _), a in zip(picks, split_amount(rng, cap_total, len(picks))):
        amt[big] -= a
        amt[c] = a
    staff_classes, office_classes = ["301", "303"], ["302", "310"]
    groups = [staff_classes, office_classes] if n_groups == 2 else \
        [staff_classes, ["302"], ["307", "310"]]
    split = n_groups == 2  # 类 and 款 in columns of their own
    width = 4 if split else 3

    def group_rows(classes: list[str]) -> list[list[str]]:
        out = []
        for cls in classes:
            cname, items = ECONOMIC_FULL[cls]
            total = sum(amt.get(c, 0) for c, _ in items)
            out.append(([cls, ""] if split else [cls]) + [cname, fmt(total)])
            for c, nm in items:
                out.append(([cls, c[3:]] if split else [c]) + [nm, fmt(amt.get(c, 0))])
        return out

    cols_of = [group_rows(g) for g in groups]
    n = max(len(g) for g in cols_of)
    rows = []
    for i in range(n):
        row: list[str] = []
        for g in cols_of:
            row += g[i] if i < len(g) else [""] * width
        rows.append(row)
    staff = sum(a for c, a in amt.items() if c[:3] in staff_classes)
    office = sum(amt.values()) - staff
    total_row = ["人员经费合计"] + [""] * (width - 2) + [fmt(staff, zero="0.00")] + \
        ["公用经费合计"] + [""] * (width - 2) + [fmt(office, zero="0.00")]
    total_row += [""] * (width * n_groups - len(total_row))
    rows.append(total_row)
    spans = {(len(rows) - 1, 0): width - 1, (len(rows) - 1, width): width - 1}
    if split:
        header = [[Cell("经济分类科目编码", 2), Cell("科目名称", 1, 2), Cell("决算数", 1, 2)] * 2,
                  [Cell("类"), Cell("款")] * 2]
        cols = [col for g in range(2) for col in
                (Col("codepart", width=0.5, group=g), Col("codepart", width=0.5, group=g),
                 Col("name", width=2.4, group=g), Col("value", width=1.1, align="r", group=g))]
    else:
        header = [[Cell("人员经费", 3), Cell("公用经费", 6)],
                  [Cell("科目编码"), Cell("科目名称"), Cell("决算数")] * 3]
        cols = [col for g in range(3) for col in
                (Col("code", width=1.0, group=g), Col("name", width=1.9, group=g),
                 Col("value", width=1.0, align="r", group=g))]
    return Table("final_basic_expenditure_detail", "一般公共预算财政拨款基本支出决算表", number, unit,
                 header, cols, rows, ent, number_line=number, body_spans=spans,
                 note="注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")


def final_accounts(rng: random.Random, name: str, entity: str, year: int, basic_groups: int = 0) -> Doc:
    """The 决算 公开01–09表 set. basic_groups 2 or 3 prints 公开06表 in that many
    column groups (grouped_basic_table) instead of one 合计/人员经费/公用经费 table."""
    unit = "万元"
    f = Finance(rng, scale=200000, with_gf=rng.random() < 0.4, with_sc=rng.random() < 0.6,
                n_leaves=rng.randint(12, 20))
    other_leaf = next((l for l in f.leaves if l.code == "2010302"), f.leaves[0])
    other = rng.randint(500, 3000)  # 其他收入, kept as 年末结余
    begin = rng.randint(50, 500)  # 年初结转, spent this year on other_leaf
    gpb, gf, sc = f.fund_total("gpb"), f.fund_total("gf"), f.fund_total("sc")
    fiscal = gpb + gf + sc
    inc_total = fiscal + other
    exp_total = fiscal + begin
    ent = f"部门名称：{entity}"
    tables: list[Table] = []
    num = lambda n: f"公开{n:02d}表"

    # 01 收入支出决算总表
    inc = ["一、一般公共预算财政拨款收入", "二、政府性基金预算财政拨款收入",
           "三、国有资本经营预算财政拨款收入", "四、上级补助收入", "五、事业收入", "六、经营收入",
           "七、附属单位上缴收入", "八、其他收入"]
    inc_amt = [gpb, gf, sc, 0, 0, 0, 0, other]
    n = len(FINAL_CLASSES)
    rows = []
    for i in range(n):
        code, cname = FINAL_CLASSES[i]
        a = f.class_total(code) + (begin if code == other_leaf.code[:3] else 0)
        rows.append([inc[i] if i < len(inc) else "", str(i + 1), fmt(inc_amt[i]) if i < len(inc) else "",
                     f"{cn_numeral(i + 1)}、{cname}", str(n + 6 + i), fmt(a)])
    tail = [("本年收入合计", fmt(inc_total), "本年支出合计", fmt(exp_total)),
            ("使用非财政拨款结余和专用结余", "", "结余分配", ""),
            ("年初结转和结余", fmt(begin), "年末结转和结余", fmt(other)),
            ("", "", "", ""),
            ("总计", fmt(inc_total + begin), "总计", fmt(exp_total + other))]
    for j, (a, b, c, d) in enumerate(tail):
        rows.append([a, str(n + 1 + j), b, c, str(2 * n + 6 + j), d])
    tables.append(Table(
        "final_overview", "收入支出决算总表", num(1), unit,
        [[Cell("收入", 3), Cell("支出", 3)],
         [Cell("项目"), Cell("行次"), Cell("金额"), Cell("项目"), Cell("行次"), Cell("金额")]],
        [Col("name", "income", 2.6), Col("lineno", "income", 0.5, "c"), Col("value", "income", 1.2, "r"),
         Col("name", "expenditure", 2.6), Col("lineno", "expenditure", 0.5, "c"),
         Col("value", "expenditure", 1.2, "r")],
        rows, ent, colnums=["栏次", "", "1", "栏次", "", "2"], number_line=num(1),
        note="注：本表反映部门本年度的总收支和年末结转结余情况。"))

    # 02 收入决算表
    rows = [["合计", "", fmt(inc_total), fmt(fiscal), "", "", "", "", fmt(other)]]
    for code, nm, ls in tree_rows(f.leaves):
        o = other if other_leaf in ls else 0
        fa = sum(l.total for l in ls)
        rows.append([code, nm, fmt(fa + o), fmt(fa), "", "", "", "", fmt(o)])
    tables.append(Table(
        "final_income", "收入决算表", num(2), unit,
        [[Cell("项目", 2), Cell("本年收入合计", 1, 2), Cell("财政拨款收入", 1, 2), Cell("上级补助收入", 1, 2),
          Cell("事业收入", 1, 2), Cell("经营收入", 1, 2), Cell("附属单位上缴收入", 1, 2), Cell("其他收入", 1, 2)],
         [Cell("科目代码"), Cell("科目名称")]],
        [Col("code", None, 0.9), Col("name", None, 1.5)] + [Col("value", None, 1, "r")] * 7, rows, ent,
        colnums=["栏次", ""] + [str(i) for i in range(1, 8)], landscape=True, number_line=num(2),
        note="注：本表反映部门本年度取得的各项收入情况。"))

    # 03 支出决算表
    rows = [["合计", "", fmt(exp_total), fmt(f.fund_total(None, "basic")),
             fmt(f.fund_total(None, "project") + begin), "", "", ""]]
    for code, nm, ls in tree_rows(f.leaves):
        o = begin if other_leaf in ls else 0
        rows.append([code, nm, fmt(sum(l.total for l in ls) + o), fmt(sum(l.basic for l in ls)),
                     fmt(sum(l.project for l in ls) + o), "", "", ""])
    tables.append(Table(
        "final_expenditure", "支出决算表", num(3), unit,
        [[Cell("项目", 2), Cell("本年支出合计", 1, 2), Cell("基本支出", 1, 2), Cell("项目支出", 1, 2),
          Cell("上缴上级支出", 1, 2), Cell("经营支出", 1, 2), Cell("对附属单位补助支出", 1, 2)],
         [Cell("科目代码"), Cell("科目名称")]],
        [Col("code", None, 0.9), Col("name", None, 1.5)] + [Col("value", None, 1, "r")] * 6, rows, ent,
        colnums=["栏次", ""] + [str(i) for i in range(1, 7)], landscape=True, number_line=num(3),
        note="注：本表反映部门本年度各项支出情况。"))

    # 04 财政拨款收入支出决算总表
    inc = [("一、一般公共预算财政拨款", gpb), ("二、政府性基金预算财政拨款", gf),
           ("三、国有资本经营预算财政拨款", sc)]
    rows = []
    for i in range(n):
        code, cname = FINAL_CLASSES[i]
        left = inc[i] if i < len(inc) else ("", None)
        rows.append([left[0], str(i + 1), fmt(left[1]), f"{cn_numeral(i + 1)}、{cname}", str(n + 7 + i),
                     fmt(f.class_total(code, None)), fmt(f.class_total(code, "gpb")),
                     fmt(f.class_total(code, "gf")), fmt(f.class_total(code, "sc"))])
    tail = [("本年收入合计", fmt(fiscal), "本年支出合计", [fiscal, gpb, gf, sc]),
            ("年初财政拨款结转和结余", "", "年末财政拨款结转和结余", None),
            ("一般公共预算财政拨款", "", "", None), ("政府性基金预算财政拨款", "", "", None),
            ("国有资本经营预算财政拨款", "", "", None),
            ("总计", fmt(fiscal), "总计", [fiscal, gpb, gf, sc])]
    for j, (a, b, c, d) in enumerate(tail):
        rows.append([a, str(n + 1 + j), b, c, str(2 * n + 7 + j)] +
                    ([fmt(x) for x in d] if d else ["", "", "", ""]))
    tables.append(Table(
        "final_fiscal_overview", "财政拨款收入支出决算总表", num(4), unit,
        [[Cell("收入", 3), Cell("支出", 6)],
         [Cell("项目"), Cell("行次"), Cell("金额"), Cell("项目"), Cell("行次"), Cell("合计"),
          Cell("一般公共预算财政拨款"), Cell("政府性基金预算财政拨款"), Cell("国有资本经营预算财政拨款")]],
        [Col("name", "income", 2.0), Col("lineno", "income", 0.5, "c"), Col("value", "income", 1.1, "r"),
         Col("name", "expenditure", 2.0), Col("lineno", "expenditure", 0.5, "c")] +
        [Col("value", "expenditure", 1.1, "r")] * 4,
        rows, ent, colnums=["栏次", "", "1", "栏次", "", "2", "3", "4", "5"], landscape=True,
        number_line=num(4)))

    def exp3(kind, title, number, leaves, top, first):
        rows = [["合计", "", fmt(sum(l.total for l in leaves)), fmt(sum(l.basic for l in leaves)),
                 fmt(sum(l.project for l in leaves))]]
        for code, nm, ls in tree_rows(leaves):
            rows.append([code, nm, fmt(sum(l.total for l in ls)), fmt(sum(l.basic for l in ls)),
                         fmt(sum(l.project for l in ls))])
        return Table(kind, title, number, unit,
                     [[Cell("项目", 2), Cell(top, 3)],
                      [Cell("科目代码"), Cell("科目名称"), Cell(first), Cell("基本支出"), Cell("项目支出")]],
                     [Col("code", None, 0.9), Col("name", None, 2.2)] + [Col("value", None, 1, "r")] * 3,
                     rows, ent, colnums=["栏次", "", "1", "2", "3"], number_line=number)

    tables.append(exp3("final_general_budget_expenditure", "一般公共预算财政拨款支出决算表", num(5),
                       f.by_fund("gpb"), "本年支出", "小计"))

    # 06 基本支出决算表 (vertical form)
    basic = f.fund_total("gpb", "basic")
    econ = econ_split(rng, basic)
    staff = sum(e[3] for e in econ if e[2] == "staff")
    rows = [["合计", "", fmt(basic), fmt(staff), fmt(basic - staff)]]
    for cls, cname in ECON_CLASS.items():
        items = [e for e in econ if e[0].startswith(cls)]
        if not items:
            continue
        rows.append([cls, cname, fmt(sum(e[3] for e in items)),
                     fmt(sum(e[3] for e in items if e[2] == "staff")),
                     fmt(sum(e[3] for e in items if e[2] == "office"))])
        for c, nm, g, a in items:
            rows.append([c, nm, fmt(a), fmt(a if g == "staff" else 0), fmt(a if g == "office" else 0)])
    if basic_groups:
        tables.append(grouped_basic_table(rng, econ, basic_groups, unit, ent, num(6)))
    else:
        tables.append(Table(
            "final_basic_expenditure_detail", "一般公共预算财政拨款基本支出决算表", num(6), unit,
            [[Cell("项目", 2), Cell("决算数", 3)],
             [Cell("科目代码"), Cell("科目名称"), Cell("合计"), Cell("人员经费"), Cell("公用经费")]],
            [Col("code", None, 0.9), Col("name", None, 2.2)] + [Col("value", None, 1, "r")] * 3,
            rows, ent, number_line=num(6)))

    # 07 政府性基金
    gl = f.by_fund("gf")
    rows = [["合计", "", "", fmt(gf), fmt(gf), "", fmt(gf), ""]]
    for code, nm, ls in tree_rows(gl):
        a = fmt(sum(l.total for l in ls))
        rows.append([code, nm, "", a, a, "", a, ""])
    tables.append(Table(
        "final_gov_fund", "政府性基金预算财政拨款收入支出决算表", num(7), unit,
        [[Cell("项目", 2), Cell("年初结转和结余", 1, 2), Cell("本年收入", 1, 2), Cell("本年支出", 3),
          Cell("年末结转和结余", 1, 2)],
         [Cell("科目代码"), Cell("科目名称"), Cell("合计"), Cell("基本支出"), Cell("项目支出")]],
        [Col("code", None, 0.9), Col("name", None, 2.0)] + [Col("value", None, 1, "r")] * 6,
        rows, ent, landscape=True, number_line=num(7),
        note="" if gf else f"说明：{entity}本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"))

    tables.append(exp3("final_state_capital", "国有资本经营预算财政拨款支出决算表", num(8),
                       f.by_fund("sc"), "本年支出", "合计"))
    if not sc:
        tables[-1].note = f"说明：{entity}本年度没有国有资本经营预算财政拨款支出，故本表无数据。"

    # 09 三公 (12 value columns, labels repeat -> header paths)
    items = {"abroad": (rng.randint(0, 300), 0), "buy": (rng.choice([0, 2500]), 0),
             "run": (rng.randint(100, 800), 0), "recep": (rng.randint(50, 400), 0)}
    spent = {k: (b, b * rng.randint(60, 100) // 100) for k, (b, _) in items.items()}
    car = tuple(spent["buy"][i] + spent["run"][i] for i in range(2))
    tot = tuple(spent["abroad"][i] + car[i] + spent["recep"][i] for i in range(2))
    vals = [tot, spent["abroad"], car, spent["buy"], spent["run"], spent["recep"]]
    row = [fmt(v, zero="0.00") for pair in vals for v in pair]
    tables.append(Table(
        "final_three_public", "财政拨款“三公”经费支出决算表", num(9), unit,
        [[Cell("合计", 2, 2), Cell("因公出国（境）费", 2, 2), Cell("公务用车购置及运行维护费", 6),
          Cell("公务接待费", 2, 2)],
         [Cell("小计", 2), Cell("公务用车购置费", 2), Cell("公务用车运行维护费", 2)],
         [Cell("预算数"), Cell("决算数")] * 6],
        [Col("value", None, 1, "r")] * 12, [row], ent, landscape=True, number_line=num(9),
        note="注：本表反映部门本年度“三公”经费支出预决算情况。"))

    wan = lambda c: fmt(c, comma=True, zero="0")
    sections = [
        Section("一、收入支出决算总体情况说明",
                f"{year}年度收入总计{wan(inc_total + begin)}万元，支出总计{wan(exp_total + other)}万元。"),
        Section("二、收入决算情况说明",
                f"本年收入合计{wan(inc_total)}万元，其中：财政拨款收入{wan(fiscal)}万元，其他收入{wan(other)}万元。"),
        Section("三、支出决算情况说明",
                f"本年支出合计{wan(exp_total)}万元，其中：基本支出{wan(f.fund_total(None, 'basic'))}万元。"),
    ]
    intro = [Section("一、部门职责", f"{entity}主要负责本地区相关行业的规划、管理和服务工作。"),
             Section("二、机构设置", f"{entity}机关内设机构5个，下属事业单位1个。")]
    title = f"{entity}{year}年度部门决算"
    return Doc(name, entity, year, "final_account", title, [entity, f"{year}年度部门决算"],
               ["第一部分 部门概况", f"第二部分 {year}年度部门决算表"] +
               [f"{t.number} {t.title}" for t in tables] + [f"第三部分 {year}年度部门决算情况说明"],
               intro, tables, [], sections,
               {"tables": f"第二部分 {year}年度部门决算表", "sections": f"第三部分 {year}年度部门决算情况说明"})


# ---------------------------------------------------------------- Shanghai nine-table set

def shanghai_budget(rng: random.Random, name: str, entity: str, year: int) -> Doc:
    """Amounts in 元 with thousands separators, codes in 类/款/项 columns, 合计 last."""
    unit = "元"
    f = Finance(rng, scale=200_000_000, with_gf=False, with_sc=rng.random() < 0.3,
                n_leaves=rng.randint(12, 18))
    for l in f.leaves:  # whole yuan, as Shanghai prints
        l.basic -= l.basic % 100
        l.project -= l.project % 100
    c = lambda v: fmt(v, comma=True)
    gpb, gf, sc = f.fund_total("gpb"), f.fund_total("gf"), f.fund_total("sc")
    total = gpb + gf + sc
    ent = f"编制部门：{entity}"
    tables: list[Table] = []

    # 1 财务收支预算总表
    inc = [("一、财政拨款收入", total), ("1. 一般公共预算资金", gpb), ("2. 政府性基金", gf),
           ("3. 国有资本经营预算", sc), ("二、事业收入", 0), ("三、事业单位经营收入", 0), ("四、其他收入", 0)]
    exps = [(cn, f.class_total(cc)) for cc, cn in CLASSES if f.class_total(cc)]
    rows = []
    for i in range(max(len(inc), len(exps))):
        a = inc[i] if i < len(inc) else ("", None)
        b = (f"{cn_numeral(i + 1)}、{exps[i][0]}", exps[i][1]) if i < len(exps) else ("", None)
        rows.append([a[0], c(a[1]), b[0], c(b[1])])
    rows.append(["收入总计", c(total), "支出总计", c(total)])
    tables.append(Table(
        "budget_overview", f"{year}年部门财务收支预算总表", "1", unit,
        [[Cell("本年收入", 2), Cell("本年支出", 2)],
         [Cell("项目"), Cell("预算数"), Cell("项目"), Cell("预算数")]],
        [Col("name", "income", 2.2), Col("value", "income", 1.3, "r"),
         Col("name", "expenditure", 2.4), Col("value", "expenditure", 1.3, "r")], rows, ent))

    def tree3(leaves, vals):
        out = []
        for code, nm, ls in tree_rows(leaves):
            parts = [code[:3], code[3:5], code[5:7]]
            out.append(parts + [nm] + [c(v(ls)) for v in vals])
        return out

    code_hdr = lambda top, n_vals, labels, name_label="功能分类科目名称": [
        [Cell("项目", 4), Cell(top, n_vals)],
        [Cell("功能分类科目编码", 3), Cell(name_label, 1, 2)] + [Cell(x, 1, 2) for x in labels],
        [Cell("类"), Cell("款"), Cell("项")]]
    code_cols = lambda n: [Col("codepart", None, 0.45, "l")] * 3 + [Col("name", None, 2.6)] + \
        [Col("value", None, 1.2, "r")] * n

    tot = lambda ls: sum(l.total for l in ls)
    bas = lambda ls: sum(l.basic for l in ls)
    pro = lambda ls: sum(l.project for l in ls)
    fin = lambda ls: sum(l.total for l in ls)
    zero = lambda ls: 0
    rows = tree3(f.leaves, [tot, fin, zero, zero, zero]) + [["", "", "", "合计", c(total), c(total), "", "", ""]]
    tables.append(Table("budget_income", f"{year}年部门收入预算总表", "2", unit,
                        code_hdr("收入预算", 5, ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]),
                        code_cols(5), rows, ent))
    rows = tree3(f.leaves, [tot, bas, pro]) + [["", "", "", "合计", c(total), c(f.fund_total(None, "basic")),
                                                 c(f.fund_total(None, "project"))]]
    tables.append(Table("budget_expenditure", f"{year}年部门支出预算总表", "3", unit,
                        code_hdr("支出预算", 3, ["合计", "基本支出", "项目支出"]), code_cols(3), rows, ent))

    # 4 财政拨款收支预算总表
    inc = [("一、一般公共预算资金", gpb), ("二、政府性基金", gf), ("三、国有资本经营预算", sc)]
    rows = []
    for i in range(max(len(inc), len(exps))):
        a = inc[i] if i < len(inc) else ("", None)
        if i < len(exps):
            cc = [k for k, v in CLASSES if v == exps[i][0]][0]
            b = [f"{cn_numeral(i + 1)}、{exps[i][0]}", c(f.class_total(cc)), c(f.class_total(cc, "gpb")),
                 c(f.class_total(cc, "gf")), c(f.class_total(cc, "sc"))]
        else:
            b = ["", "", "", "", ""]
        rows.append([a[0], c(a[1])] + b)
    rows.append(["收入总计", c(total), "支出总计", c(total), c(gpb), c(gf), c(sc)])
    tables.append(Table(
        "fiscal_overview", f"{year}年部门财政拨款收支预算总表", "4", unit,
        [[Cell("财政拨款收入", 2), Cell("财政拨款支出", 5)],
         [Cell("项目"), Cell("预算数"), Cell("项目"), Cell("合计"), Cell("一般公共预算"), Cell("政府性基金预算"),
          Cell("国有资本经营预算")]],
        [Col("name", "income", 1.8), Col("value", "income", 1.2, "r"), Col("name", "expenditure", 2.2)] +
        [Col("value", "expenditure", 1.2, "r")] * 4, rows, ent, landscape=True))

    gl = f.by_fund("gpb")
    rows = tree3(gl, [tot, bas, pro]) + [["", "", "", "合计", c(gpb), c(sum(l.basic for l in gl)),
                                           c(sum(l.project for l in gl))]]
    tables.append(Table("general_budget_expenditure", f"{year}年部门一般公共预算支出功能分类预算表", "5", unit,
                        code_hdr("一般公共预算支出", 3, ["合计", "基本支出", "项目支出"]), code_cols(3), rows, ent))
    tables.append(Table("gov_fund_expenditure", f"{year}年部门政府性基金预算支出功能分类预算表", "6", unit,
                        code_hdr("政府性基金预算支出", 3, ["合计", "基本支出", "项目支出"]), code_cols(3),
                        [["", "", "", "合计", "", "", ""]], ent,
                        note=f"注:本部门{year}年无政府性基金预算财政拨款安排的预算，故本表为空表。"))
    sl = f.by_fund("sc")
    t7 = Table("state_capital", f"{year}年部门国有资本经营预算支出功能分类预算表", "7", unit,
               code_hdr("国有资本经营预算支出", 3, ["合计", "基本支出", "项目支出"]), code_cols(3),
               tree3(sl, [tot, bas, pro]) + [["", "", "", "合计", c(sc), c(sum(l.basic for l in sl)),
                                              c(sum(l.project for l in sl))]], ent)
    if not sc:
        t7.note = f"注:本部门{year}年无国有资本经营预算财政拨款安排的预算，故本表为空表。"
    tables.append(t7)

    # 8 基本支出经济分类
    basic = f.fund_total("gpb", "basic")
    econ = [(a, b, g, v - v % 100) for a, b, g, v in econ_split(rng, basic)]
    basic = sum(e[3] for e in econ)
    rows = []
    for cls, cname in ECON_CLASS.items():
        items = [e for e in econ if e[0].startswith(cls)]
        if not items:
            continue
        rows.append([cls, "", cname, c(sum(e[3] for e in items)), c(sum(e[3] for e in items if e[2] == "staff")),
                     c(sum(e[3] for e in items if e[2] == "office"))])
        for code, nm, g, a in items:
            rows.append([cls, code[3:], nm, c(a), c(a if g == "staff" else 0), c(a if g == "office" else 0)])
    staff = sum(e[3] for e in econ if e[2] == "staff")
    rows.append(["", "", "合计", c(basic), c(staff), c(basic - staff)])
    tables.append(Table(
        "basic_expenditure_economic", f"{year}年部门一般公共预算基本支出部门预算经济分类预算表", "8", unit,
        [[Cell("项目", 3), Cell("一般公共预算基本支出", 3)],
         [Cell("部门预算经济分类科目编码", 2), Cell("经济分类科目名称", 1, 2), Cell("合计", 1, 2),
          Cell("人员经费", 1, 2), Cell("公用经费", 1, 2)],
         [Cell("类"), Cell("款")]],
        [Col("codepart", None, 0.5), Col("codepart", None, 0.5), Col("name", None, 2.6)] +
        [Col("value", None, 1.2, "r")] * 3, rows, ent))

    # 9 三公 and 机关运行经费 (in 万元 although the set is in 元)
    abroad, recep = rng.choice([0, 0, rng.randint(100, 500)]), rng.randint(50, 300)
    buy, run = rng.choice([0, 0, 1800]), rng.choice([0, rng.randint(200, 600)])
    op = sum(e[3] for e in econ if e[2] == "office") // 10000
    row = [fmt(abroad + recep + buy + run), fmt(abroad), fmt(recep), fmt(buy + run), fmt(buy), fmt(run), fmt(op)]
    tables.append(Table(
        "three_public", f"{year}年部门“三公”经费和机关运行经费预算表", "9", "万元",
        [[Cell("“三公”经费预算数", 6), Cell("机关运行经费预算数", 1, 3)],
         [Cell("合计", 1, 2), Cell("因公出国(境)费", 1, 2), Cell("公务接待费", 1, 2), Cell("公务用车购置及运行费", 3)],
         [Cell("小计"), Cell("购置费"), Cell("运行费")]],
        [Col("value", None, 1, "r")] * 7, [row], f"编制部门：{entity}"))

    wan = lambda v: fmt(v // 10000 * 100 if v else 0, comma=True, zero="0")
    sections = [
        Section(f"{year}年部门预算编制说明",
                f"{year}年，{entity}收入预算{wan(total)}万元，其中：财政拨款收入{wan(total)}万元；事业收入0万元；"
                f"其他收入0万元。支出预算{wan(total)}万元。"),
        Section("其他相关情况说明",
                f"{year}年“三公”经费预算数为{fmt(abroad + recep + buy + run, zero='0')}万元。"),
    ]
    intro = [Section(f"{entity}主要职能", f"{entity}是主管全区相关工作的区政府工作部门。"),
             Section(f"{entity}机构设置", f"{entity}部门预算是包括本部以及下属预算单位的综合收支计划。")]
    district = entity[:entity.index("区") + 1] if "区" in entity else "上海市"
    title = f"{district}{year}年区级部门预算"
    return Doc(name, entity, year, "budget", title, [title, f"预算主管部门：{entity}"],
               ["一、部门主要职能", "二、部门机构设置", "三、名词解释", "四、部门预算编制说明", "五、部门预算表"] +
               [f"{t.number}. {t.title}" for t in tables] + ["六、其他相关情况说明"],
               intro, tables, [], sections,
               {"tables": "五、部门预算表", "sections": "六、其他相关情况说明"})


_ = CIRCLED  # re-exported for renderers that number sub-items
