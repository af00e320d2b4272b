//! Predefined CMaps as compact tables compiled into the binary.
//!
//! build.rs asks `hayro-cmap`, at build time, what every predefined CMap
//! (GBK-EUC-H, UniGB-UCS2-H, …, and the Adobe-*-UCS2 CID → Unicode maps)
//! answers for every code, and writes the answers as sorted runs; here they
//! are read in place from the `include_bytes!`ed data. A run no longer
//! decompresses hayro's whole bundle (~14 ms and 13 MB) to read one CMap:
//! opening a table reads its header, a lookup is a binary search.
//!
//! Code → CID table: "GKCM", writing mode u8 (1 = vertical), registry and
//! ordering (u8 length + bytes each), codespace ranges (u8 count; each u8
//! width, low bytes, high bytes), then for code lengths 1 to 4 a u32 count
//! of runs and the runs, each three u32 (first code, last code, CID of the
//! first code), sorted. CID → Unicode table: "GKUC", u32 count, a u32 per
//! CID (the scalar, u32::MAX for none, or 0x8000_0000 | offset into the
//! string pool that follows of a u8 length + UTF-8 answer). Integers are
//! little-endian.

use hayro_cmap::CidFamily;

const CMAPS: &[(&[u8], &[u8])] = include!(concat!(env!("OUT_DIR"), "/cmap_index.rs"));
const UCS2: &[(&[u8], &[u8])] = include!(concat!(env!("OUT_DIR"), "/ucs2_index.rs"));

fn u32_at(data: &[u8], pos: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(pos..pos + 4)?.try_into().ok()?))
}

/// A predefined code → CID CMap.
#[derive(Debug)]
pub(crate) struct CodeTable {
    pub(crate) vertical: bool,
    pub(crate) family: Option<CidFamily>,
    /// Codespace ranges as (low, high) bytes.
    pub(crate) codespace: Vec<(&'static [u8], &'static [u8])>,
    /// Runs of codes of 1 to 4 bytes (12 bytes a run).
    runs: [&'static [u8]; 4],
}

impl CodeTable {
    /// The table of a predefined CMap by name.
    pub(crate) fn find(name: &[u8]) -> Option<CodeTable> {
        let data = CMAPS.iter().find(|(n, _)| *n == name)?.1;
        CodeTable::parse(data)
    }

    fn parse(data: &'static [u8]) -> Option<CodeTable> {
        if !data.starts_with(b"GKCM") {
            return None;
        }
        let vertical = *data.get(4)? == 1;
        let mut pos = 5;
        let mut take = |n: usize| -> Option<&'static [u8]> {
            let s = data.get(pos..pos + n)?;
            pos += n;
            Some(s)
        };
        let reg_len = *take(1)?.first()? as usize;
        let reg = take(reg_len)?;
        let ord_len = *take(1)?.first()? as usize;
        let ord = take(ord_len)?;
        let family = (!reg.is_empty()).then(|| CidFamily::from_registry_ordering(reg, ord));
        let n = *take(1)?.first()? as usize;
        let mut codespace = Vec::with_capacity(n);
        for _ in 0..n {
            let w = *take(1)?.first()? as usize;
            codespace.push((take(w)?, take(w)?));
        }
        let mut runs: [&'static [u8]; 4] = [&[]; 4];
        for r in runs.iter_mut() {
            let count = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
            *r = take(count.checked_mul(12)?)?;
        }
        Some(CodeTable {
            vertical,
            family,
            codespace,
            runs,
        })
    }

    /// The CID of a code of `len` bytes.
    pub(crate) fn cid(&self, code: u32, len: usize) -> Option<u32> {
        let runs = *self.runs.get(len.checked_sub(1)?)?;
        let n = runs.len() / 12;
        // First run whose last code is at least `code`.
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if u32_at(runs, mid * 12 + 4)? < code {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let first = u32_at(runs, lo * 12)?;
        if code < first {
            return None;
        }
        u32_at(runs, lo * 12 + 8)?.checked_add(code - first)
    }
}

/// A collection's CID → Unicode table (Adobe-GB1-UCS2, …).
#[derive(Debug)]
pub(crate) struct UnicodeTable {
    values: &'static [u8],
    pool: &'static [u8],
}

/// What a CID stands for.
pub(crate) enum Unicode {
    Char(char),
    Str(&'static str),
}

impl UnicodeTable {
    pub(crate) fn find(name: &[u8]) -> Option<UnicodeTable> {
        let data = UCS2.iter().find(|(n, _)| *n == name)?.1;
        if !data.starts_with(b"GKUC") {
            return None;
        }
        let count = u32_at(data, 4)? as usize;
        let end = 8 + count.checked_mul(4)?;
        Some(UnicodeTable {
            values: data.get(8..end)?,
            pool: data.get(end..)?,
        })
    }

    pub(crate) fn get(&self, cid: u32) -> Option<Unicode> {
        let v = u32_at(self.values, (cid as usize).checked_mul(4)?)?;
        if v == u32::MAX {
            None
        } else if v & 0x8000_0000 != 0 {
            let off = (v & 0x7FFF_FFFF) as usize;
            let len = *self.pool.get(off)? as usize;
            let bytes = self.pool.get(off + 1..off + 1 + len)?;
            std::str::from_utf8(bytes).ok().map(Unicode::Str)
        } else {
            char::from_u32(v).map(Unicode::Char)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayro_cmap::{BfString, CMap, CMapName};

    fn hayro(name: &[u8]) -> CMap {
        let data = hayro_cmap::load_embedded(CMapName::from_bytes(name)).unwrap();
        CMap::parse(data, hayro_cmap::load_embedded).unwrap()
    }

    /// Every code of the codespace (and every 1- and 2-byte code) maps as
    /// hayro maps it.
    #[test]
    fn code_tables_agree_with_hayro() {
        for name in [
            &b"GBK-EUC-H"[..],
            b"GBK2K-V",
            b"GB-EUC-V",
            b"UniGB-UCS2-H",
            b"UniGB-UTF16-V",
            b"UniJIS-UTF16-H",
            b"90ms-RKSJ-H",
            b"KSCms-UHC-H",
            b"ETen-B5-H",
        ] {
            let t = CodeTable::find(name).unwrap();
            let h = hayro(name);
            let meta = h.metadata();
            assert_eq!(
                t.family,
                meta.character_collection.as_ref().map(|c| c.family.clone())
            );
            assert_eq!(
                t.vertical,
                meta.writing_mode == Some(hayro_cmap::WritingMode::Vertical)
            );
            let mut checked = 0usize;
            let mut check = |code: u32, len: usize| {
                assert_eq!(
                    t.cid(code, len),
                    h.lookup_cid_code(code, len as u8),
                    "{} {code:X}/{len}",
                    String::from_utf8_lossy(name)
                );
                checked += 1;
            };
            for c in 0..0x100 {
                check(c, 1);
            }
            for c in 0..0x1_0000 {
                check(c, 2);
            }
            for (low, high) in &t.codespace {
                if low.len() < 3 {
                    continue;
                }
                let mut code = vec![0u8; low.len()];
                code.copy_from_slice(low);
                'all: loop {
                    check(
                        code.iter().fold(0u32, |a, b| (a << 8) | *b as u32),
                        code.len(),
                    );
                    for i in (0..code.len()).rev() {
                        if code[i] < high[i] {
                            code[i] += 1;
                            code[i + 1..].copy_from_slice(&low[i + 1..]);
                            continue 'all;
                        }
                    }
                    break;
                }
            }
            assert!(checked > 0x1_0000);
        }
    }

    #[test]
    fn unicode_tables_agree_with_hayro() {
        for name in [
            &b"Adobe-GB1-UCS2"[..],
            b"Adobe-CNS1-UCS2",
            b"Adobe-Japan1-UCS2",
            b"Adobe-Korea1-UCS2",
        ] {
            let t = UnicodeTable::find(name).unwrap();
            let h = hayro(name);
            for cid in 0..0x2_0000 {
                let ours = t.get(cid).map(|u| match u {
                    Unicode::Char(c) => BfString::Char(c),
                    Unicode::Str(s) => BfString::String(s.to_string()),
                });
                assert_eq!(ours, h.lookup_bf_string(cid), "{cid}");
            }
        }
    }

    #[test]
    fn embedded_data_stays_small() {
        let total: usize = CMAPS.iter().chain(UCS2).map(|(_, d)| d.len()).sum();
        assert!(total < 4 << 20, "{total} bytes");
    }
}
