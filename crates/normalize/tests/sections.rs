//! Narrative sections of the real disclosures in ../shared/real: part and
//! project titles are headings, enumerated paragraphs are text, wrapped
//! headings are joined, and no body line is lost.

mod common;
use common::*;
use gongkai_normalize::schema::{Document, Section};

fn doc(rel: &str) -> Document {
    convert(&shared(rel))
}

fn find<'a>(d: &'a Document, heading: &str) -> &'a Section {
    d.sections
        .iter()
        .find(|s| s.heading == heading)
        .unwrap_or_else(|| panic!("no section {heading:?} in {:#?}", heads(d)))
}

fn heads(d: &Document) -> Vec<&str> {
    d.sections.iter().map(|s| s.heading.as_str()).collect()
}

#[test]
fn shanghai_finance_bureau_part_titles() {
    gongkai_extract::require_shared!();
    let d = doc("real/budget/上海市财政局2025年单位预算.pdf");
    let s = find(&d, "上海市财政局（单位）主要职能");
    assert!(s
        .text
        .starts_with("上海市财政局是主管全市财政工作的市政府组成部门。\n主要职能包括："));
    assert!(s.text.contains("（十四）完成市委、市政府交办的其他任务。"));
    assert!(!s.text.contains("设22个内设机构"), "机构设置 collapsed in");
    for h in [
        "上海市财政局（单位）机构设置",
        "名词解释",
        "2025年单位预算编制说明",
        "其他相关情况说明",
    ] {
        find(&d, h);
    }
    assert!(!heads(&d).contains(&"主要职能包括："));
}

#[test]
fn putuo_commerce_project_titles() {
    gongkai_extract::require_shared!();
    let d = doc("real/budget/上海市普陀区商务委员会2025年部门预算.pdf");
    let h = heads(&d);
    for t in [
        "上海市普陀区商务委员会主要职能",
        "上海市普陀区商务委员会机构设置",
        "名词解释",
        "2025年部门预算编制说明",
        "科技创新专项经费情况说明",
        "生命健康专项（政策资金）经费情况说明",
        "商业创新专项（政策资金）经费情况说明",
        "贸易高质量发展专项（政策资金）经费情况说明",
    ] {
        let i = h.iter().position(|x| *x == t).expect(t);
        if t.ends_with("经费情况说明") {
            assert_eq!(h.get(i + 1), Some(&"一、项目概述"), "{t}");
            assert!(d.sections[i].text.is_empty(), "{t}");
        }
    }
    // The project title is no longer the last line of the section before it.
    assert!(!find(&d, "五、国有资产占有使用情况")
        .text
        .contains("经费情况说明"));
}

#[test]
fn wanli_placeholder_numbers_and_titles() {
    gongkai_extract::require_shared!();
    let d = doc("real/budget/万里街道2025年部门预算-Calc重排版.pdf");
    for t in [
        "名词解释",
        "2025年部门预算编制说明",
        "其他相关情况说明",
        "项目经费情况说明",
    ] {
        find(&d, t);
    }
    let i = heads(&d)
        .iter()
        .position(|x| *x == "项目经费情况说明")
        .unwrap();
    let project = &d.sections[i + 1..];
    assert_eq!(project.len(), 7, "{:?}", heads(&d));
    // The "1" under each heading on p29 is text (placeholder paragraphs):
    // a bare number is a page number only in the head or foot band.
    for s in project {
        assert_eq!(s.text, "1", "{s:?}");
    }
}

#[test]
fn putuo_finance_final_paragraphs_and_wrapped_headings() {
    gongkai_extract::require_shared!();
    let d = doc("real/final/上海市普陀区财政局2024年度部门决算.pdf");
    let h = heads(&d);
    assert!(
        h.contains(&"第三部分上海市普陀区财政局2024年度部门决算情况说明"),
        "{h:?}"
    );
    assert!(!h.iter().any(|x| x.starts_with("（一）贯彻执行")), "{h:?}");
    assert!(
        !h.iter().any(|x| x.starts_with("五、年初结转和结余")),
        "{h:?}"
    );
    let duties = find(&d, "一、主要职能");
    assert!(duties.text.contains(
        "（一）贯彻执行国家和本市有关财政工作的法律、法规、规章和方针、政策；研\n究拟订"
    ));
    assert!(duties
        .text
        .contains("（十二）完成区委、区政府交办的其他任务。"));
    let terms = find(&d, "第四部分名词解释");
    assert!(terms.text.contains(
        "五、年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的\n资金。"
    ));
    find(&d, "二、部门决算单位构成");
    find(&d, "一、收入支出决算总体情况说明");

    let t = doc("real/final/部门决算公开模板.pdf");
    find(
        &t,
        "二、部门决算单位构成（仅有一个单位的部门，本部分内容为“机构设置”）",
    );
    find(&t, "九、国有资本经营预算财政拨款收入支出决算情况说明");
}

/// No narrative line is lost: every non-blank line of the layout's running
/// text after the contents pages, except page furniture, ends in a heading
/// or a text, and in one only (compared as character multisets, whitespace
/// removed).
#[test]
fn disclosures_lose_no_text() {
    gongkai_extract::require_shared!();
    for (rel, contents_end) in [
        ("real/budget/上海市财政局2025年单位预算.pdf", 2),
        ("real/budget/上海市普陀区商务委员会2025年部门预算.pdf", 2),
        ("real/budget/万里街道2025年部门预算-Calc重排版.pdf", 2),
        ("real/final/上海市普陀区财政局2024年度部门决算.pdf", 3),
        ("real/final/部门决算公开模板.pdf", 3),
    ] {
        let path = shared(rel);
        let docx = gongkai_extract::open_path(&path, &gongkai_extract::Options::default()).unwrap();
        let layout = gongkai_tables::find_tables(&docx, &gongkai_tables::Settings::default());
        let d = convert(&path);
        let mut want: Vec<char> = layout
            .text
            .iter()
            .filter(|b| b.page > contents_end) // cover and contents
            .flat_map(|b| b.lines.iter())
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut got: Vec<char> = d
            .sections
            .iter()
            .flat_map(|s| s.heading.chars().chain(s.text.chars()))
            .filter(|c| !c.is_whitespace())
            .collect();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got.len(), want.len(), "{rel}");
        assert_eq!(got, want, "{rel}");
    }
}

/// A text dump: 职责 paragraphs （一）… wrapped at the line end are text
/// under 一、本部门（单位）职责, not headings cut at the wrap.
#[test]
fn seed_enumerated_paragraphs_are_text() {
    gongkai_extract::require_shared!();
    let d = doc("seeds/002_9ab8174854570465.txt");
    let duties = find(&d, "一、本部门（单位）职责");
    assert!(duties
        .text
        .starts_with("(一)贯彻执行国家、省、市有关工业和信息化工作"));
    assert!(!heads(&d).iter().any(|h| h.starts_with("(一)贯彻执行")));
    find(&d, "四、财政拨款收支决算总体情况说明");
}
