//! The bundled samples (samples/*.pdf with truth in samples/truth) through
//! the library pipeline: every JSON valid against the schema, document
//! fields right on every sample, and records matching the truth (the same
//! tuples `gongkai eval` scores: kind, side, code or name, column, value).

mod common;
use common::*;
use gongkai_normalize::schema::Document;
use gongkai_normalize::text::{norm, strip_enumerator};
use std::collections::BTreeMap;
use std::path::Path;

type Tuple = (String, String, String, String, i64);

fn tuples(d: &Document) -> BTreeMap<Tuple, usize> {
    let mut m = BTreeMap::new();
    for t in &d.tables {
        for r in &t.records {
            let who = r
                .code
                .clone()
                .unwrap_or_else(|| norm(strip_enumerator(r.name.as_deref().unwrap_or(""))));
            for (k, v) in &r.values {
                let key = (
                    t.kind.clone(),
                    r.side.clone().unwrap_or_default(),
                    who.clone(),
                    norm(k),
                    (v * 100.0).round() as i64,
                );
                *m.entry(key).or_insert(0) += 1;
            }
        }
    }
    m
}

#[test]
fn samples_match_their_truth() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let mut pdfs: Vec<_> = std::fs::read_dir(&root)
        .expect("samples")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert!(pdfs.len() >= 20, "{} samples", pdfs.len());
    let (mut matched, mut found, mut expected) = (0usize, 0usize, 0usize);
    let mut report = String::new();
    for pdf in &pdfs {
        let name = pdf.file_name().unwrap().to_string_lossy().to_string();
        let truth_path = root.join("truth").join(format!("{name}.json"));
        let truth: Document =
            serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
        let d = convert(pdf);
        to_valid_json(&d);
        let (a, b) = (&d.document, &truth.document);
        assert_eq!(
            a.entity.as_deref().map(norm),
            b.entity.as_deref().map(norm),
            "{name}: entity"
        );
        assert_eq!(
            (a.year, a.kind.as_deref()),
            (b.year, b.kind.as_deref()),
            "{name}: year/kind"
        );
        let (fo, tr) = (tuples(&d), tuples(&truth));
        let m: usize = fo
            .iter()
            .map(|(k, n)| (*n).min(tr.get(k).copied().unwrap_or(0)))
            .sum();
        let (f, e): (usize, usize) = (fo.values().sum(), tr.values().sum());
        report.push_str(&format!("{name}: {m}/{f} found, {m}/{e} expected\n"));
        matched += m;
        found += f;
        expected += e;
    }
    let p = matched as f64 / found.max(1) as f64;
    let r = matched as f64 / expected.max(1) as f64;
    let f1 = 2.0 * p * r / (p + r).max(1e-9);
    eprintln!("record F1 {f1:.4} (P {p:.4} R {r:.4})");
    assert!(
        f1 >= 0.98,
        "record F1 {f1:.3} (P {p:.3} R {r:.3})\n{report}"
    );
}
