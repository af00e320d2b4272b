//! Compact tables of the predefined CMaps, written at build time.
//!
//! `hayro-cmap` keeps all Adobe predefined CMaps in one brotli bundle that it
//! decompresses whole (~14 ms, 13 MB) the first time any CMap is loaded; a
//! one-page GBK file paid that on every run. Here, at build time, every
//! predefined CMap is asked, code by code, what hayro answers, and the
//! answers are written to OUT_DIR as small binary tables that the crate
//! `include_bytes!`s and reads in place (font/predef.rs), one table at a
//! time. The format (all integers little-endian) is described there.

use hayro_cmap::{BfString, CMap, CMapName, CidFamily, WritingMode};
use std::fmt::Write as _;
use std::path::Path;

/// Every predefined code → CID CMap hayro carries (Identity-H/V are built in).
const CMAPS: &[&str] = &[
    "83pv-RKSJ-H",
    "90ms-RKSJ-H",
    "90ms-RKSJ-V",
    "90msp-RKSJ-H",
    "90msp-RKSJ-V",
    "90pv-RKSJ-H",
    "Add-RKSJ-H",
    "Add-RKSJ-V",
    "B5pc-H",
    "B5pc-V",
    "CNS-EUC-H",
    "CNS-EUC-V",
    "ETen-B5-H",
    "ETen-B5-V",
    "ETenms-B5-H",
    "ETenms-B5-V",
    "EUC-H",
    "EUC-V",
    "Ext-RKSJ-H",
    "Ext-RKSJ-V",
    "GB-EUC-H",
    "GB-EUC-V",
    "GBK-EUC-H",
    "GBK-EUC-V",
    "GBK2K-H",
    "GBK2K-V",
    "GBKp-EUC-H",
    "GBKp-EUC-V",
    "GBpc-EUC-H",
    "GBpc-EUC-V",
    "H",
    "HKscs-B5-H",
    "HKscs-B5-V",
    "KSC-EUC-H",
    "KSC-EUC-V",
    "KSCms-UHC-H",
    "KSCms-UHC-HW-H",
    "KSCms-UHC-HW-V",
    "KSCms-UHC-V",
    "KSCpc-EUC-H",
    "UniCNS-UCS2-H",
    "UniCNS-UCS2-V",
    "UniCNS-UTF16-H",
    "UniCNS-UTF16-V",
    "UniGB-UCS2-H",
    "UniGB-UCS2-V",
    "UniGB-UTF16-H",
    "UniGB-UTF16-V",
    "UniJIS-UCS2-H",
    "UniJIS-UCS2-HW-H",
    "UniJIS-UCS2-HW-V",
    "UniJIS-UCS2-V",
    "UniJIS-UTF16-H",
    "UniJIS-UTF16-V",
    "UniKS-UCS2-H",
    "UniKS-UCS2-V",
    "UniKS-UTF16-H",
    "UniKS-UTF16-V",
    "V",
];

/// The CID → Unicode CMaps of the four CJK collections.
const UCS2: &[&str] = &[
    "Adobe-CNS1-UCS2",
    "Adobe-GB1-UCS2",
    "Adobe-Japan1-UCS2",
    "Adobe-Korea1-UCS2",
];

/// CIDs asked of a UCS2 CMap (the largest collection, Japan1, ends near
/// 23 060; the runtime treats CIDs beyond a table as unmapped).
const MAX_CID: u32 = 0x1_0000;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out);
    write_tables(out, CMAPS, "cmap", code_table);
    write_tables(out, UCS2, "ucs2", ucs2_table);
}

/// One `<prefix>-<name>.bin` per CMap and `<prefix>_index.rs`, the slice of
/// (name, bytes) the crate includes.
fn write_tables(out: &Path, names: &[&str], prefix: &str, table: fn(&str) -> Option<Vec<u8>>) {
    let mut index = String::from("&[\n");
    for name in names {
        let data = table(name).unwrap_or_else(|| panic!("hayro has no CMap {name}"));
        let file = format!("{prefix}-{name}.bin");
        std::fs::write(out.join(&file), data).expect("write table");
        writeln!(
            index,
            "    (b\"{name}\", include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{file}\"))),"
        )
        .expect("fmt");
    }
    index.push_str("]\n");
    std::fs::write(out.join(format!("{prefix}_index.rs")), index).expect("write index");
}

fn load(name: &str) -> Option<(&'static [u8], CMap)> {
    let data = hayro_cmap::load_embedded(CMapName::from_bytes(name.as_bytes()))?;
    let cmap = CMap::parse(data, hayro_cmap::load_embedded)?;
    Some((data, cmap))
}

/// Header: "GKCM", writing mode (u8, 1 = vertical), registry and ordering
/// (u8 length + bytes each; both empty without a character collection),
/// codespace ranges (u8 count; each u8 width, low bytes, high bytes); then
/// for code lengths 1 to 4: u32 count of runs and the runs, each
/// (first code, last code, CID of the first code) as u32, sorted, codes of
/// one run mapping to consecutive CIDs.
fn code_table(name: &str) -> Option<Vec<u8>> {
    let (data, cmap) = load(name)?;
    let meta = cmap.metadata();
    let mut out = b"GKCM".to_vec();
    out.push(u8::from(meta.writing_mode == Some(WritingMode::Vertical)));
    let (reg, ord): (&[u8], &[u8]) = match meta.character_collection.as_ref().map(|c| &c.family) {
        Some(CidFamily::AdobeGB1) => (b"Adobe", b"GB1"),
        Some(CidFamily::AdobeCNS1) => (b"Adobe", b"CNS1"),
        Some(CidFamily::AdobeJapan1) => (b"Adobe", b"Japan1"),
        Some(CidFamily::AdobeKorea1) => (b"Adobe", b"Korea1"),
        Some(CidFamily::AdobeIdentity) => (b"Adobe", b"Identity"),
        Some(CidFamily::Custom { registry, ordering }) => (registry, ordering),
        None => (b"", b""),
    };
    for s in [reg, ord] {
        out.push(s.len() as u8);
        out.extend_from_slice(s);
    }
    let ranges = bcmap_codespace(data, 0);
    assert!(!ranges.is_empty(), "{name}: no codespace");
    out.push(ranges.len() as u8);
    for (low, high) in &ranges {
        out.push(low.len() as u8);
        out.extend_from_slice(low);
        out.extend_from_slice(high);
    }
    for len in 1..=4u8 {
        let mut codes: Vec<u32> = match len {
            1 => (0..0x100).collect(),
            2 => (0..0x1_0000).collect(),
            _ => Vec::new(),
        };
        for (low, high) in ranges.iter().filter(|r| r.0.len() == len as usize) {
            if len > 2 {
                enumerate(low, high, 0, 0, &mut codes);
            }
        }
        codes.sort_unstable();
        codes.dedup();
        let mut runs: Vec<[u32; 3]> = Vec::new();
        for code in codes {
            let Some(cid) = cmap.lookup_cid_code(code, len) else {
                continue;
            };
            match runs.last_mut() {
                Some(r) if r[1] + 1 == code && r[2] + (r[1] - r[0]) + 1 == cid => r[1] = code,
                _ => runs.push([code, code, cid]),
            }
        }
        out.extend_from_slice(&(runs.len() as u32).to_le_bytes());
        for r in runs {
            for v in r {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
    Some(out)
}

/// Every code in a codespace range (each byte within its bounds).
fn enumerate(low: &[u8], high: &[u8], i: usize, acc: u32, out: &mut Vec<u32>) {
    if i == low.len() {
        out.push(acc);
        return;
    }
    for b in low[i]..=high[i] {
        enumerate(low, high, i + 1, (acc << 8) | b as u32, out);
    }
}

/// "GKUC", u32 count of CIDs, then per CID a u32: the Unicode scalar, or
/// u32::MAX for none, or 0x8000_0000 | offset of a multi-character answer
/// in the string pool that follows (u8 length + UTF-8 bytes).
fn ucs2_table(name: &str) -> Option<Vec<u8>> {
    let (_, cmap) = load(name)?;
    let mut values = Vec::new();
    let mut pool = Vec::new();
    for cid in 0..MAX_CID {
        values.push(match cmap.lookup_bf_string(cid) {
            Some(BfString::Char(c)) => c as u32,
            Some(BfString::String(s)) => {
                let v = 0x8000_0000 | pool.len() as u32;
                assert!(s.len() < 256);
                pool.push(s.len() as u8);
                pool.extend_from_slice(s.as_bytes());
                v
            }
            None => u32::MAX,
        });
    }
    while values.last() == Some(&u32::MAX) {
        values.pop();
    }
    let mut out = b"GKUC".to_vec();
    out.extend_from_slice(&(values.len() as u32).to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&pool);
    Some(out)
}

/// Codespace ranges (low, high bytes) of a hayro binary CMap ("bcmap":
/// 5-byte magic, version byte, u32 length, then segments of type u8, length
/// u32 incl. header, payload). Codespace segment (0x0C): count u8, then per
/// range width u8, low and high as big-endian integers of that width. A CMap
/// without its own codespace takes its `usecmap` parent's (segment 0x09,
/// payload = name).
fn bcmap_codespace(data: &[u8], depth: u32) -> Vec<(Vec<u8>, Vec<u8>)> {
    const CODESPACE: u8 = 0x0C;
    const USECMAP: u8 = 0x09;
    let mut out = Vec::new();
    let mut parent: Option<&[u8]> = None;
    assert!(data.starts_with(b"bcmap") && depth <= 4);
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let end = be(&data[6..10]).min(data.len());
    let mut pos = 10;
    while pos + 5 <= end {
        let ty = data[pos];
        let seg_len = be(&data[pos + 1..pos + 5]);
        if seg_len < 5 || pos + seg_len > end {
            break;
        }
        let payload = &data[pos + 5..pos + seg_len];
        match ty {
            CODESPACE => {
                let n = payload[0] as usize;
                let mut p = 1;
                for _ in 0..n {
                    let w = payload[p] as usize;
                    let low = payload[p + 1..p + 1 + w].to_vec();
                    let high = payload[p + 1 + w..p + 1 + 2 * w].to_vec();
                    out.push((low, high));
                    p += 1 + 2 * w;
                }
            }
            USECMAP => parent = Some(payload),
            _ => {}
        }
        pos += seg_len;
    }
    if out.is_empty() {
        if let Some(p) = parent {
            if let Some(pdata) = hayro_cmap::load_embedded(CMapName::from_bytes(p)) {
                return bcmap_codespace(pdata, depth + 1);
            }
        }
    }
    out
}
