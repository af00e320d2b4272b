//! End-to-end checks of font decoding on the real PDFs in ../shared/real:
//! the test walks a page's content stream itself (Tf, Tj, TJ, ', ") so it
//! depends on nothing but lopdf and this module.

use super::{Font, FontCache};
use crate::Limits;
use lopdf::content::Content;
use lopdf::{Document, Object};
use std::collections::BTreeMap;
use std::sync::Arc;

pub(crate) fn real(path: &str) -> String {
    format!(
        "{}/../../../shared/real/{}",
        env!("CARGO_MANIFEST_DIR"),
        path
    )
}

/// The text of page `n` (1-based), decoded font by font, in stream order;
/// Form XObjects are followed one level deep.
pub(crate) fn page_text(path: &str, n: u32) -> (String, Vec<String>) {
    let doc = Document::load(real(path)).unwrap();
    let (t, w, _) = page_text_of(&doc, n);
    (t, w)
}

/// Text, font warnings and the number of codes decoded to no text.
pub(crate) fn page_text_of(doc: &Document, n: u32) -> (String, Vec<String>, usize) {
    let pages = doc.get_pages();
    let page_id = pages[&n];
    let mut cache = FontCache::new();
    let mut out = String::new();
    let content = doc.get_page_content(page_id);
    let page = doc.get_dictionary(page_id).unwrap();
    let res = resources(doc, page);
    let mut unknown = 0;
    run(doc, &content, res, &mut cache, &mut out, &mut unknown, 0);
    (out, cache.warnings, unknown)
}

fn resources<'a>(doc: &'a Document, dict: &'a lopdf::Dictionary) -> Option<&'a lopdf::Dictionary> {
    let mut d = dict;
    for _ in 0..16 {
        if let Ok(r) = d.get(b"Resources") {
            return doc.dereference(r).ok()?.1.as_dict().ok();
        }
        d = doc
            .get_dictionary(d.get(b"Parent").ok()?.as_reference().ok()?)
            .ok()?;
    }
    None
}

fn run(
    doc: &Document,
    content: &[u8],
    res: Option<&lopdf::Dictionary>,
    cache: &mut FontCache,
    out: &mut String,
    unknown: &mut usize,
    depth: u32,
) {
    let fonts: BTreeMap<Vec<u8>, &Object> = res
        .and_then(|r| r.get(b"Font").ok())
        .and_then(|f| doc.dereference(f).ok())
        .and_then(|(_, f)| f.as_dict().ok())
        .map(|d| d.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default();
    let limits = Limits::default();
    let mut font: Option<Arc<Font>> = None;
    let show = |font: &Option<Arc<Font>>, s: &[u8], out: &mut String, unknown: &mut usize| {
        let mut chars = Vec::new();
        font.as_ref().unwrap().decode_into(s, &mut chars);
        for c in chars {
            if c.unicode.is_empty() {
                *unknown += 1;
            }
            out.push_str(&c.unicode);
        }
    };
    let ops = Content::decode(content).unwrap();
    for op in ops.operations {
        match op.operator.as_str() {
            "Tf" => {
                let name = op.operands[0].as_name().unwrap();
                font = Some(cache.get(doc, fonts[name], name, &limits));
            }
            "Tj" | "'" | "\"" => {
                if let Some(Object::String(s, _)) = op.operands.last() {
                    show(&font, s, out, unknown);
                }
            }
            "TJ" => {
                for o in op.operands[0].as_array().unwrap() {
                    if let Object::String(s, _) = o {
                        show(&font, s, out, unknown);
                    }
                }
            }
            "Do" if depth < 3 => {
                let name = op.operands[0].as_name().unwrap();
                let xobj = res
                    .and_then(|r| r.get(b"XObject").ok())
                    .and_then(|x| doc.dereference(x).ok())
                    .and_then(|(_, x)| x.as_dict().ok())
                    .and_then(|x| x.get(name).ok())
                    .and_then(|x| doc.dereference(x).ok())
                    .and_then(|(_, x)| x.as_stream().ok());
                if let Some(s) = xobj {
                    if s.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) == Some(b"Form") {
                        let inner = s
                            .decompressed_content()
                            .unwrap_or_else(|_| s.content.clone());
                        let r = s
                            .dict
                            .get(b"Resources")
                            .ok()
                            .and_then(|r| doc.dereference(r).ok())
                            .and_then(|(_, r)| r.as_dict().ok())
                            .or(res);
                        run(doc, &inner, r, cache, out, unknown, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

fn han(s: &str) -> usize {
    s.chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count()
}

#[test]
fn gbk_euc_h_non_embedded() {
    crate::require_shared!();
    let (t, _) = page_text("encodings/issue2128r.pdf", 1);
    assert!(t.contains("浅谈校长的魅力"), "{t}");
}

#[test]
fn gbkp_euc_h() {
    crate::require_shared!();
    let (t, _) = page_text("encodings/issue3521.pdf", 1);
    assert!(t.contains("我们都是黑体字"), "{t}");
}

#[test]
fn unigb_utf16_h() {
    crate::require_shared!();
    let (t, _) = page_text("encodings/issue8372.pdf", 1);
    assert!(t.contains("目录"), "{t}");
}

/// issue3405r.pdf draws 其他参考数据 (so poppler's rendering shows) with
/// CIDs 4..9 of an embedded WenQuanYi subset under Identity-H, without
/// ToUnicode; its program has no cmap (nor post, nor name) table and the
/// CIDSystemInfo says Adobe-UCS, so nothing in the file says which
/// characters these are. Their outlines do: matched against the installed
/// WenQuanYi Zen Hei (Debian's fonts-wqy-zenhei, installed by `make deps`),
/// they read as the page shows, with a warning that this is a guess.
#[test]
fn identity_h_embedded_without_any_unicode_source_read_by_shape() {
    crate::require_shared!();
    let doc = Document::load(real("encodings/issue3405r.pdf")).unwrap();
    let mut cache = FontCache::new();
    let font = cache.get(&doc, &Object::Reference((6, 0)), b"F16", &Limits::default());
    assert_eq!(font.name, "7E9ba1WenQuanYiZenHei,Medium");
    assert!((font.ascent - 0.962).abs() < 1e-6 && (font.descent + 0.25).abs() < 1e-6);
    assert!(
        font.recognised_by_shape().is_some(),
        "no reference font: install fonts-wqy-zenhei (make deps); {:?}",
        cache.warnings
    );
    let mut out = Vec::new();
    font.decode_into(&[0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9], &mut out);
    assert_eq!(
        out.iter().map(|c| c.code).collect::<Vec<_>>(),
        vec![4, 5, 6, 7, 8, 9]
    );
    assert!(out.iter().all(|c| c.width == 1.0));
    let text: String = out.iter().map(|c| c.unicode.as_str()).collect();
    assert_eq!(text, "其他参考数据");
    // A glyph id past the program's glyphs stays unknown.
    assert_eq!(font.decode_text(&[0x7F, 0xFF]), "");
    cache.finish();
    let report = cache
        .warnings
        .iter()
        .find(|w| w.contains("6 glyphs recognised by shape against"));
    assert!(
        report.is_some_and(|w| w.contains("wqy-zenhei")),
        "{:?}",
        cache.warnings
    );
}

#[test]
fn custom_encoded_type1() {
    crate::require_shared!();
    let (t, w) = page_text("encodings/issue-842-example.pdf", 1);
    assert!(t.contains("股票代码："), "{t}");
    assert!(t.contains("ANHUI ANLI ARTIFICIAL LEATHER CO.,LTD."), "{t}");
    assert!(w.is_empty(), "{w:?}");
    let doc = Document::load(real("encodings/issue-842-example.pdf")).unwrap();
    let mut cache = FontCache::new();
    let limits = Limits::default();
    // The Custom-encoded (Differences) Type 1 Times-Roman, not embedded and
    // without /Widths: standard 14 metrics.
    let times = cache.get(&doc, &Object::Reference((7, 0)), b"F", &limits);
    let mut out = Vec::new();
    times.decode_into(&[b'2', b' ', 147, 150, 215], &mut out);
    let text: String = out.iter().map(|c| c.unicode.as_str()).collect();
    assert_eq!(text, "2 \u{201C}\u{2013}\u{D7}");
    let widths: Vec<f32> = out.iter().map(|c| (c.width * 1000.0).round()).collect();
    assert_eq!(widths, vec![500.0, 250.0, 444.0, 500.0, 564.0]);
    // Word's `宋体-WinCharSetFFFF-H` is named 宋体.
    let song = cache.get(&doc, &Object::Reference((13, 0)), b"F", &limits);
    assert_eq!(song.name, "宋体");
}

#[test]
fn simple_truetype_with_to_unicode() {
    crate::require_shared!();
    let (t, w) = page_text("budget/万里街道2025年部门预算-Calc重排版.pdf", 3);
    assert!(
        t.contains("上海市普陀区人民政府万里街道办事处是普陀区政府的派出机关"),
        "{t}"
    );
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn type0_identity_h_with_to_unicode() {
    crate::require_shared!();
    // WPS: CID TrueType subsets, Identity-H, ToUnicode.
    let (t, w) = page_text("budget/上海市普陀区商务委员会2025年部门预算.pdf", 3);
    assert!(
        t.contains("上海市普陀区商务委员会是主管全区产业经济的区政府工作部门"),
        "{t}"
    );
    assert!(w.is_empty(), "{w:?}");
    // ONLYOFFICE: CID TrueType and CID Type 0C (OpenType), Identity-H.
    let (t, _) = page_text("final/上海市普陀区财政局2024年度部门决算.pdf", 3);
    assert!(
        t.contains("国有资本经营预算财政拨款收入支出决算情况说明"),
        "{t}"
    );
}

#[test]
fn gbk_report_page_one() {
    crate::require_shared!();
    let (t, _) = page_text("encodings/深达声A2004年年度报告.pdf", 1);
    assert!(t.contains("深圳市赛格达声股份有限公司"), "{t}");
    assert!(
        t.contains("重要提示：本公司董事会及其董事保证本报告所载资料不存在任何"),
        "{t}"
    );
    assert!(han(&t) > 150, "{t}");
}

/// All 94 pages: every code of the GBK-EUC-H fonts (and the rest) decodes,
/// except one glyph of an embedded Wingdings subset that has no cmap (poppler
/// prints its CID as 'y').
#[test]
fn gbk_report_all_pages() {
    crate::require_shared!();
    let doc = Document::load(real("encodings/深达声A2004年年度报告.pdf")).unwrap();
    let mut unknown = 0;
    let mut han_total = 0;
    for p in 1..=doc.get_pages().len() as u32 {
        let (t, _, u) = page_text_of(&doc, p);
        assert!(!t.contains('\u{FFFD}'), "page {p}: {t}");
        unknown += u;
        han_total += han(&t);
    }
    assert_eq!(unknown, 1);
    assert!(han_total > 30_000, "{han_total}");
}
