//! The prefilter of shape recognition: every glyph of a reference face that
//! its cmap maps to a character, indexed with features read from its `glyf`
//! header alone (box placement, contour sizes), and the narrowing of that
//! index to the few candidates worth comparing at full size (nearest by
//! features, then best at 8×8, then at 16×16). Apart from the recogniser
//! because it is where the cost is bounded: one distance per reference glyph,
//! a few rasterisations.

use super::raster::{byte_iou, glyph_bitmap, outline_bitmap, to_bytes, COARSE, EM_TOP, MEDIUM};
use super::settings::ShapeSettings;
use crate::font::embedded::{each_codepoint, segmented_groups};
use crate::font::format4;
use crate::font::util::{be16, be32, be_i16};
use std::collections::BinaryHeap;
use ttf_parser::{Face, GlyphId};

/// Contour sizes kept per glyph (the largest; the rest are summed).
pub(super) const CONTOURS_KEPT: usize = 8;
/// Contours read from a `glyf` header at most (a hostile header may claim
/// 32767); beyond, the structure is unknown.
pub(super) const MAX_CONTOURS: usize = 512;

/// A TrueType glyph's contour structure: the points of its largest
/// contours, largest first (0 when fewer; at most 255 each), of all the
/// others, and in all (0: the structure is unknown, as for a composite
/// glyph or a CFF outline).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Contours {
    pub(super) largest: [u8; CONTOURS_KEPT],
    pub(super) rest: u16,
    pub(super) points: u16,
}

impl Contours {
    /// From the points of each contour, in any order.
    pub(super) fn of(sizes: impl Iterator<Item = u16>) -> Contours {
        let mut c = Contours::default();
        let (mut rest, mut points) = (0u32, 0u32);
        for size in sizes {
            points += size as u32;
            let size = size.min(u8::MAX as u16) as u8;
            // Insertion into the sorted few without a branch: each slot
            // keeps its own, or takes the new size, or the one before it,
            // whichever lies between; what falls off the end is the rest.
            let old = c.largest;
            // Each slot's neighbour before it (the first has none).
            let before = std::iter::once(u8::MAX).chain(old.iter().copied());
            for ((slot, &o), b) in c.largest.iter_mut().zip(&old).zip(before) {
                *slot = o.max(size.min(b));
            }
            rest += size.min(old.last().copied().unwrap_or(u8::MAX)) as u32;
        }
        c.rest = rest.min(u16::MAX as u32) as u16;
        c.points = points.min(u16::MAX as u32) as u16;
        c
    }

    /// Points by which the two differ, contour by contour in size order.
    pub(super) fn distance(&self, other: &Contours) -> u32 {
        let kept: u32 = self
            .largest
            .iter()
            .zip(&other.largest)
            .map(|(a, b)| a.abs_diff(*b) as u32)
            .sum();
        kept + self.rest.abs_diff(other.rest) as u32
    }
}

/// Placements are kept in 1/4096 of the em (the index holds one per
/// reference glyph: 20 bytes in all, not 28).
pub(super) const PLACEMENT_UNITS: f32 = 4096.0;

/// What the prefilter compares, read from a glyph's `glyf` header without
/// parsing its outline, so every reference glyph can be screened: the
/// placement of its box in the em box (centre x and y, width and height,
/// in [`PLACEMENT_UNITS`] of the advance and of the em, y down, as the
/// bitmaps place it) and, for a simple TrueType outline, its contour sizes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Features {
    pub(super) placement: [i16; 4],
    pub(super) contours: Contours,
}

/// The prefilter's units (see [`ShapeSettings::prefilter_box`]), worked
/// out once per scan of the index.
pub(super) struct Units {
    /// Distance per placement unit of centre (half that of size).
    pub(super) per_placement: f32,
    pub(super) points_abs: f32,
    pub(super) points_rel: f32,
}

impl Units {
    pub(super) fn of(s: &ShapeSettings) -> Units {
        Units {
            per_placement: 1.0 / (PLACEMENT_UNITS * s.prefilter_box.max(f32::EPSILON)),
            points_abs: s.prefilter_points_abs as f32,
            points_rel: s.prefilter_points_rel,
        }
    }
}

impl Features {
    /// How far `other` is from this glyph: the difference of placements in
    /// units of `prefilter_box` (sizes at half weight) plus that of contour
    /// sizes in units of the points tolerance (1 when either is unknown).
    pub(super) fn distance(&self, other: &Features, u: &Units) -> f32 {
        let (a, b) = (&self.placement, &other.placement);
        let [d0, d1, d2, d3] = [0, 1, 2, 3].map(|i| {
            let (x, y) = (a.get(i).copied(), b.get(i).copied());
            i32::from(x.unwrap_or(0)).abs_diff(i32::from(y.unwrap_or(0)))
        });
        let placement = (2 * (d0 + d1) + d2 + d3) as f32 * 0.5 * u.per_placement;
        let (x, y) = (&self.contours, &other.contours);
        let structure = if x.points == 0 || y.points == 0 {
            1.0
        } else {
            let tolerance = u.points_abs + u.points_rel * x.points.max(y.points) as f32;
            x.distance(y) as f32 / tolerance.max(1.0)
        };
        placement + structure
    }
}

/// Glyphs ahead whose headers the index build asks for.
pub(super) const PREFETCH_AHEAD: usize = 8;

/// Reads glyphs' features from a face, its tables looked up once.
pub(super) struct FeatureReader<'a> {
    pub(super) face: &'a Face<'a>,
    pub(super) glyf: Option<&'a [u8]>,
    pub(super) loca: Option<&'a [u8]>,
    pub(super) long_loca: bool,
    pub(super) upem: f32,
}

impl<'a> FeatureReader<'a> {
    pub(super) fn new(face: &'a Face<'a>) -> FeatureReader<'a> {
        let raw = face.raw_face();
        FeatureReader {
            face,
            glyf: raw.table(ttf_parser::Tag::from_bytes(b"glyf")),
            loca: raw.table(ttf_parser::Tag::from_bytes(b"loca")),
            long_loca: matches!(
                face.tables().head.index_to_location_format,
                ttf_parser::head::IndexToLocationFormat::Long
            ),
            upem: face.units_per_em().max(1) as f32,
        }
    }

    pub(super) fn features(&self, gid: u16) -> Option<Features> {
        let upem = self.upem;
        let advance = self
            .face
            .glyph_hor_advance(GlyphId(gid))
            .filter(|&a| a > 0)
            .map_or(upem, |a| a as f32);
        let (b, contours) = match self.glyf_header(gid) {
            Some(h) => h,
            // CFF outlines: the box from the outline itself.
            None => {
                let r = self.face.glyph_bounding_box(GlyphId(gid))?;
                ([r.x_min, r.y_min, r.x_max, r.y_max], Contours::default())
            }
        };
        let top = EM_TOP * upem;
        let [x_min, y_min, x_max, y_max] = b.map(f32::from);
        let (left, right) = (x_min / advance, x_max / advance);
        let (upper, lower) = ((top - y_max) / upem, (top - y_min) / upem);
        // Saturating: a box 8 em away is as far as any.
        let units = |v: f32| (v * PLACEMENT_UNITS) as i16;
        Some(Features {
            placement: [
                units((left + right) * 0.5),
                units((upper + lower) * 0.5),
                units(right - left),
                units(lower - upper),
            ],
            contours,
        })
    }

    /// Box (x min, y min, x max, y max in font units) and contour sizes
    /// (unknown for a composite glyph or an implausible header) from a
    /// glyph's `glyf` header; None without a `glyf` table or for an empty
    /// glyph.
    /// Where glyph `g`'s data lies in the `glyf` table (by `loca`).
    pub(super) fn glyph_range(&self, g: usize) -> Option<(usize, usize)> {
        let loca = self.loca?;
        let at16 = |o: usize| be16(loca, o).map(|v| v as usize * 2);
        let at32 = |o: usize| be32(loca, o).map(|v| v as usize);
        if self.long_loca {
            Some((at32(4 * g)?, at32(4 * g + 4)?))
        } else {
            Some((at16(2 * g)?, at16(2 * g + 2)?))
        }
    }

    /// Ask for glyph `gid`'s header to be fetched into the cache ahead of
    /// [`FeatureReader::features`] (the index reads tens of thousands of
    /// them, each from a different place of a mapped file).
    pub(super) fn prefetch(&self, gid: usize) {
        #[cfg(target_arch = "x86_64")]
        if let (Some(glyf), Some((start, _))) = (self.glyf, self.glyph_range(gid)) {
            if let Some(b) = glyf.get(start) {
                use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
                // SAFETY: SSE is part of every x86-64 CPU, and a prefetch
                // only hints (it never faults); the address is in bounds.
                unsafe { _mm_prefetch::<_MM_HINT_T0>((b as *const u8).cast()) };
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = gid;
    }

    pub(super) fn glyf_header(&self, gid: u16) -> Option<([i16; 4], Contours)> {
        let glyf = self.glyf?;
        let (start, end) = self.glyph_range(gid as usize)?;
        if end <= start {
            return None;
        }
        let header = glyf.get(start..start + 10)?;
        let v = |i: usize| be_i16(header, i).unwrap_or(0);
        let n = v(0);
        let mut contours = Contours::default();
        // End points of contours, each past the one before.
        let ends = (n > 0 && n as usize <= MAX_CONTOURS)
            .then(|| glyf.get(start + 10..start + 10 + 2 * n as usize))
            .flatten();
        if let Some(ends) = ends {
            let (mut prev, mut ok) = (-1i32, true);
            let c = Contours::of(ends.chunks_exact(2).map(|e| {
                let e = be16(e, 0).map_or(-1, i32::from);
                ok &= e > prev;
                let size = (e - prev).clamp(0, u16::MAX as i32) as u16;
                prev = e;
                size
            }));
            if ok {
                contours = c;
            }
        }
        Some(([v(2), v(4), v(6), v(8)], contours))
    }
}

/// The glyph being recognised: its features, 8×8 and 16×16 coverage.
pub(super) struct Unknown {
    pub(super) features: Features,
    pub(super) coarse: Vec<u8>,
    pub(super) medium: Vec<u8>,
}

impl Unknown {
    pub(super) fn of(face: &Face<'_>, gid: u16) -> Option<Unknown> {
        Some(Unknown {
            features: FeatureReader::new(face).features(gid)?,
            medium: to_bytes(&glyph_bitmap(face, gid, MEDIUM)?),
            coarse: to_bytes(&outline_bitmap(face, gid, COARSE)?),
        })
    }
}

/// Every glyph of a reference face that its cmap maps to a character:
/// its id, character and features, side by side. Building it reads only
/// the cmap and the glyph headers; a recognition rasterises only the few
/// glyphs the prefilter lets through.
pub(super) struct RefIndex {
    pub(super) gids: Vec<u16>,
    pub(super) chars: Vec<char>,
    pub(super) features: Vec<Features>,
}

/// [`crate::font::embedded::rank`] as one number (lower is preferred): private
/// use, then compatibility, then the code point (below 2²¹).
pub(super) fn rank_key(cp: u32) -> u32 {
    let (pua, compat, cp) = crate::font::embedded::rank(cp);
    (pua as u32) << 31 | (compat as u32) << 30 | cp
}

impl RefIndex {
    pub(super) fn build(face: &Face<'_>, raw_cmap: Option<&[u8]>) -> RefIndex {
        let n = face.number_of_glyphs();
        // Per glyph, the preferred code point's rank key (u32::MAX: none).
        let mut best: Vec<u32> = vec![u32::MAX; n as usize];
        let mut take = |cp: u32, g: u16| {
            let key = rank_key(cp);
            // Cheapest tests first: most pairs come twice (two subtables).
            if let Some(e) = best.get_mut(g as usize) {
                if key < *e && g != 0 && wanted(cp) {
                    *e = key;
                }
            }
        };
        if let Some(raw) = raw_cmap {
            segmented_groups(raw, n, &mut |unicode, cp, g| {
                if unicode {
                    take(cp, g)
                }
            });
        }
        if let Some(cmap) = face.tables().cmap {
            // Format 4 subtables walked directly (most fonts list one
            // twice, for two platforms); each at most once.
            let mut walked: Vec<usize> = Vec::new();
            for sub in cmap.subtables {
                let segmented = matches!(
                    sub.format,
                    ttf_parser::cmap::Format::SegmentedCoverage(_)
                        | ttf_parser::cmap::Format::ManyToOneRangeMappings(_)
                );
                if !sub.is_unicode() || segmented {
                    continue;
                }
                if let ttf_parser::cmap::Format::SegmentMappingToDeltaValues(_) = sub.format {
                    let platform = format4::platform_number(sub.platform_id);
                    let at = raw_cmap.and_then(|r| format4::offset(r, platform, sub.encoding_id));
                    if let (Some(raw), Some(at)) = (raw_cmap, at) {
                        if walked.contains(&at) {
                            continue;
                        }
                        if format4::walk(raw, at, &mut take) {
                            walked.push(at);
                            continue;
                        }
                    }
                }
                each_codepoint(&sub, raw_cmap, &mut |cp| {
                    if let Some(g) = sub.glyph_index(cp) {
                        take(cp, g.0);
                    }
                });
            }
        }
        let reader = FeatureReader::new(face);
        let mapped = best.iter().filter(|&&k| k != u32::MAX).count();
        let mut index = RefIndex {
            gids: Vec::with_capacity(mapped),
            chars: Vec::with_capacity(mapped),
            features: Vec::with_capacity(mapped),
        };
        for (gid, &key) in best.iter().enumerate() {
            reader.prefetch(gid + PREFETCH_AHEAD);
            let (Ok(gid), Some(ch)) = (
                u16::try_from(gid),
                char::from_u32(key & 0x1F_FFFF).filter(|_| key != u32::MAX),
            ) else {
                continue;
            };
            if let Some(f) = reader.features(gid) {
                index.gids.push(gid);
                index.chars.push(ch);
                index.features.push(f);
            }
        }
        index
    }

    /// The reference glyphs most like `unknown`: the `prefilter_keep`
    /// nearest by features, of those the best `coarse_keep` at 8×8, of
    /// those the best `medium_keep` at 16×16. `face` is the face the index
    /// was built from.
    pub(super) fn candidates(
        &self,
        face: &Face<'_>,
        unknown: &Unknown,
        s: &ShapeSettings,
    ) -> Vec<(u16, char)> {
        // The nearest `prefilter_keep`, kept in a heap whose top is the
        // farthest of them.
        let keep = s.prefilter_keep;
        let units = Units::of(s);
        let mut near: BinaryHeap<Near> = BinaryHeap::with_capacity(keep + 1);
        for (i, f) in self.features.iter().enumerate() {
            let d = Near(unknown.features.distance(f, &units), i);
            if near.len() < keep {
                near.push(d);
            } else if let Some(mut far) = near.peek_mut() {
                if d < *far {
                    *far = d;
                }
            }
        }
        let mut scored: Vec<(f32, usize)> = near
            .iter()
            .filter_map(|&Near(_, i)| {
                let coarse = to_bytes(&outline_bitmap(face, *self.gids.get(i)?, COARSE)?);
                Some((byte_iou(&unknown.coarse, &coarse), i))
            })
            .collect();
        let by_score = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        scored.sort_unstable_by(by_score);
        scored.truncate(s.coarse_keep);
        for e in scored.iter_mut() {
            e.0 = self
                .gids
                .get(e.1)
                .and_then(|&g| glyph_bitmap(face, g, MEDIUM))
                .map_or(-1.0, |m| byte_iou(&unknown.medium, &to_bytes(&m)));
        }
        // Blank at 16×16 (nothing inked): not a candidate, as before.
        scored.retain(|e| e.0 >= 0.0);
        scored.sort_unstable_by(by_score);
        scored
            .iter()
            .take(s.medium_keep)
            .filter_map(|&(_, i)| Some((*self.gids.get(i)?, *self.chars.get(i)?)))
            .collect()
    }
}

/// A reference glyph's distance to the unknown one and its place in the
/// index, ordered by distance, then place (the order is total, so the
/// glyphs kept do not depend on the order they are met in).
#[derive(Debug, Clone, Copy)]
pub(super) struct Near(f32, usize);

impl PartialEq for Near {
    fn eq(&self, other: &Near) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Near {}
impl PartialOrd for Near {
    fn partial_cmp(&self, other: &Near) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Near {
    fn cmp(&self, other: &Near) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// Characters worth matching: not controls, spaces or private use.
pub(super) fn wanted(cp: u32) -> bool {
    let Some(c) = char::from_u32(cp) else {
        return false;
    };
    !(c.is_control() || c.is_whitespace() || (0xE000..=0xF8FF).contains(&cp) || cp >= 0xF0000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Contour sizes: the largest few in decreasing order, the rest summed,
    /// each at most 255, the total exact.
    #[test]
    fn contours_keep_the_largest_sorted() {
        let c = Contours::of([3u16, 61, 4, 300, 4, 9, 1, 2, 7, 5, 6].into_iter());
        assert_eq!(c.largest, [255, 61, 9, 7, 6, 5, 4, 4]);
        assert_eq!(c.rest, 3 + 1 + 2);
        assert_eq!(c.points, 402);
        let few = Contours::of([4u16, 56, 6].into_iter());
        assert_eq!(few.largest, [56, 6, 4, 0, 0, 0, 0, 0]);
        assert_eq!((few.rest, few.points), (0, 66));
        assert_eq!(few.distance(&few), 0);
        // [61, 4, 4, 4] against [56, 6, 4, 0]: 5 + 2 + 0 + 4.
        let other = Contours::of([61u16, 4, 4, 4].into_iter());
        assert_eq!(few.distance(&other), 11);
    }
}
