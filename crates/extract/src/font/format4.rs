//! The one reader of `cmap` format 4 subtables (segment mapping to delta
//! values), straight from the raw `cmap` table. ttf-parser's own iterator
//! visits overlapping segments again and again (a hostile font can make that
//! billions of calls) and its lookup is one search per code point, so the
//! embedded-font reader (which code points a subtable maps: [`union`]) and
//! the shape recogniser's reference index (every code point → glyph pair:
//! [`walk`]) both read the segments here.

use ttf_parser::PlatformId;

/// A platform id as the `cmap` table numbers it.
pub(super) fn platform_number(p: PlatformId) -> u16 {
    match p {
        PlatformId::Unicode => 0,
        PlatformId::Macintosh => 1,
        PlatformId::Iso => 2,
        PlatformId::Windows => 3,
        PlatformId::Custom => 4,
    }
}

/// Where in a raw `cmap` table the first format 4 subtable of this platform
/// and encoding starts.
pub(super) fn offset(raw: &[u8], platform: u16, encoding: u16) -> Option<usize> {
    let u16_at = |o: usize| raw.get(o..o + 2)?.try_into().ok().map(u16::from_be_bytes);
    let u32_at = |o: usize| {
        raw.get(o..o + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_be_bytes)
    };
    let count = u16_at(2)? as usize;
    (0..count).find_map(|i| {
        let rec = 4 + i * 8;
        let off = u32_at(rec + 4)? as usize;
        (u16_at(rec)? == platform && u16_at(rec + 2)? == encoding && u16_at(off)? == 4)
            .then_some(off)
    })
}

/// The segment arrays of the format 4 subtable at `at` of a raw `cmap`
/// table, each read checked.
struct Segments<'a> {
    sub: &'a [u8],
    count: usize,
}

impl<'a> Segments<'a> {
    fn at(raw: &'a [u8], at: usize) -> Option<Segments<'a>> {
        let sub = raw.get(at..)?;
        let mut s = Segments { sub, count: 0 };
        s.count = s.u16_at(6)? as usize / 2;
        Some(s)
    }

    fn u16_at(&self, o: usize) -> Option<u16> {
        self.sub
            .get(o..o + 2)?
            .try_into()
            .ok()
            .map(u16::from_be_bytes)
    }

    fn end(&self, i: usize) -> Option<u16> {
        self.u16_at(14 + 2 * i)
    }

    fn start(&self, i: usize) -> Option<u16> {
        self.u16_at(16 + 2 * self.count + 2 * i)
    }

    fn delta(&self, i: usize) -> Option<u16> {
        self.u16_at(16 + 4 * self.count + 2 * i)
    }

    /// Where segment `i`'s range offset is (glyph ids are read relative to it).
    fn range_at(&self, i: usize) -> usize {
        16 + 6 * self.count + 2 * i
    }

    fn range(&self, i: usize) -> Option<u16> {
        self.u16_at(self.range_at(i))
    }
}

/// The merged code ranges of the format 4 subtable at `at` (segments whose
/// bounds cannot be read are left out).
pub(super) fn union(raw: &[u8], at: usize) -> Option<Vec<(u32, u32)>> {
    let segs = Segments::at(raw, at)?;
    let mut ranges: Vec<(u32, u32)> = (0..segs.count)
        .filter_map(|i| {
            let end = segs.end(i)? as u32;
            let start = segs.start(i)? as u32;
            (start <= end).then_some((start, end))
        })
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    Some(merged)
}

/// Every (code point, glyph) pair of the format 4 subtable at `at`, segment
/// by segment, computed as ttf-parser's lookup computes them. Only for
/// segments in increasing order without overlap, where that lookup finds
/// each code point's own segment; false (nothing visited) otherwise.
pub(super) fn walk(raw: &[u8], at: usize, f: &mut dyn FnMut(u32, u16)) -> bool {
    let Some(segs) = Segments::at(raw, at) else {
        return false;
    };
    let seg = |i: usize| Some((segs.start(i)?, segs.end(i)?, segs.delta(i)?, segs.range(i)?));
    let mut prev_end: Option<u16> = None;
    for i in 0..segs.count {
        let Some((start, end, _, _)) = seg(i) else {
            return false;
        };
        if start > end || prev_end.is_some_and(|p| p >= start) {
            return false;
        }
        prev_end = Some(end);
    }
    for i in 0..segs.count {
        let Some((start, end, delta, range)) = seg(i) else {
            continue;
        };
        for cp in start..=end {
            let g = if range == 0 {
                Some(cp.wrapping_add(delta))
            } else if range == 0xFFFF {
                None
            } else {
                // As ttf-parser: positions in the subtable, in 16 bits.
                u16::try_from((cp - start) as u32 * 2)
                    .ok()
                    .map(|step| {
                        (segs.range_at(i) as u16)
                            .wrapping_add(step)
                            .wrapping_add(range)
                    })
                    .and_then(|pos| segs.u16_at(pos as usize))
                    .filter(|&v| v != 0)
                    .and_then(|v| u16::try_from((v as i16).wrapping_add(delta as i16)).ok())
            };
            if let Some(g) = g {
                f(cp as u32, g);
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use ttf_parser::Face;

    const MINI_CJK: &[u8] = include_bytes!("testdata/mini-cjk.ttf");
    const WQY: &str = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

    /// Format 4 segments are merged before walking: 30 000 copies of the
    /// full range cost one pass, not 30 000.
    #[test]
    fn format4_segments_merged() {
        let segs: Vec<(u16, u16)> = std::iter::repeat_n((0u16, 0xFFFFu16), 30_000)
            .chain([(0x41, 0x5A), (0x4E00, 0x4E10)])
            .collect();
        let mut raw = vec![0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12];
        raw.extend_from_slice(&[0, 4, 0, 0, 0, 0]);
        raw.extend_from_slice(&((segs.len() * 2) as u16).to_be_bytes());
        raw.extend_from_slice(&[0; 6]);
        segs.iter()
            .for_each(|s| raw.extend_from_slice(&s.1.to_be_bytes()));
        raw.extend_from_slice(&[0, 0]);
        segs.iter()
            .for_each(|s| raw.extend_from_slice(&s.0.to_be_bytes()));
        let union_of = |raw: &[u8], enc| offset(raw, 3, enc).and_then(|at| union(raw, at));
        assert_eq!(union_of(&raw, 1), Some(vec![(0, 0xFFFF)]));
        assert_eq!(union_of(&raw, 0), None);
        for cut in 0..64 {
            let _ = union_of(&raw[..cut], 1);
        }
    }

    /// The direct format 4 walk visits exactly the pairs ttf-parser's
    /// lookup gives, over every code point of the WenQuanYi reference and
    /// the test font; segments out of order or overlapping are refused
    /// (left to the lookup).
    #[test]
    fn format4_walk_agrees_with_lookup() {
        let mut checked = 0;
        for data in [std::fs::read(WQY).unwrap(), MINI_CJK.to_vec()] {
            let face = Face::parse(&data, 0).unwrap();
            let raw = face
                .raw_face()
                .table(ttf_parser::Tag::from_bytes(b"cmap"))
                .unwrap();
            for sub in face.tables().cmap.unwrap().subtables {
                if !matches!(
                    sub.format,
                    ttf_parser::cmap::Format::SegmentMappingToDeltaValues(_)
                ) {
                    continue;
                }
                let at = offset(raw, platform_number(sub.platform_id), sub.encoding_id).unwrap();
                let mut walked = BTreeMap::new();
                assert!(walk(raw, at, &mut |cp, g| {
                    walked.insert(cp, g);
                }));
                let looked: BTreeMap<u32, u16> = (0..=0xFFFFu32)
                    .filter_map(|cp| Some((cp, sub.glyph_index(cp)?.0)))
                    .collect();
                assert_eq!(walked, looked);
                checked += 1;
            }
        }
        assert!(checked >= 2, "{checked}");
        // One cmap, one format 4 subtable of two segments: 'A'..'C' then
        // 'B'..'D' overlaps, 'E'..'F' does not.
        let cmap = |second: (u16, u16)| {
            // Header and record (Windows Unicode BMP at offset 12); format,
            // length, language, 2 × segments, search fields; ends, pad,
            // starts, deltas, range offsets.
            let words: Vec<u16> = [
                vec![0, 1, 3, 1, 0, 12],
                vec![4, 32, 0, 4, 0, 0, 0],
                vec![0x43, second.1, 0, 0x41, second.0, 0, 0, 0, 0],
            ]
            .concat();
            words
                .iter()
                .flat_map(|w| w.to_be_bytes())
                .collect::<Vec<u8>>()
        };
        let mut seen = 0;
        assert!(walk(&cmap((0x45, 0x46)), 12, &mut |_, _| seen += 1));
        assert_eq!(seen, 5);
        assert!(!walk(&cmap((0x42, 0x44)), 12, &mut |_, _| seen += 1));
        assert_eq!(seen, 5);
    }
}
