//! Glyph recognition by shape: the last resort for an embedded TrueType
//! program that says nothing about Unicode. encodings/issue3405r.pdf draws
//! 其他参考数据 with CIDs 4–9 of a "WenQuanYi Zen Hei Medium" subset under
//! Identity-H; the program has no `cmap`, `post` or `name` table, there is no
//! ToUnicode and the CIDSystemInfo (Adobe-UCS) names no collection. Its
//! SOURCES.md entry speaks of "the font's own cmap table": there is none.
//! Nothing in the file says which characters these are — only the outlines.
//!
//! So we compare each outline drawn from such a program with the outlines
//! of an installed font of the same family (the BaseFont's family against
//! the name table of every font under the standard font directories, e.g.
//! Debian's `fonts-wqy-zenhei` for WenQuanYi Zen Hei), whose cmap does say
//! what its glyphs are. Outlines are placed in the em box (advance × 0.88
//! em above to 0.12 em below the baseline), not their tight box, so
//! position is part of the shape (一 is not 丨). Matching narrows the
//! reference's tens of thousands of glyphs in four steps:
//!
//! 1. A prefilter reads only each glyph's `glyf` header — its box and the
//!    end points of its contours — and ranks every reference glyph by the
//!    difference of box placement (centre; width and height at half weight,
//!    as a bolder weight grows the box on every side) plus that of contour
//!    sizes (points per contour, largest first: a weight of the same design
//!    keeps its contours, give or take a few points). Neither is a gate,
//!    both only rank; the nearest [`ShapeSettings::prefilter_keep`] (128)
//!    go on. issue3405r.pdf's six glyphs (Medium) against the installed
//!    Regular 0.9.45 find their characters 1st to 7th; the near twins that
//!    guard the decision below (地 for 他, 參 for 参, 裾 and 椐 for 据,
//!    scoring 0.55–0.61) rank 40th to 94th, so the decision is the one a
//!    search of twenty times as many candidates reaches.
//! 2. Those are rasterised at 8×8 and compared by soft intersection over
//!    union of coverage; the best `coarse_keep` (16) go on …
//! 3. … to 16×16, where the best `medium_keep` (8) go on (there the right
//!    glyphs are first, the near twins second or third; the decisions
//!    stay the same down to 8 and 4) …
//! 4. … to 48×48 after a slight blur, the score. A match is kept only
//!    above an absolute score and clearly ahead of the best candidate with
//!    a different character; anything else stays unknown (issue3405r.pdf:
//!    the right characters score 0.69–0.84, the best other character at
//!    most 0.61).
//!
//! Without a font of the family, a CJK font of the same script is used
//! with stricter thresholds, and only when the script is known or every
//! installed CJK font shares one; its contours need not follow the
//! unknown glyph's design, so the prefilter keeps many more
//! (`fallback_prefilter_keep`). The font cache warns how many glyphs were
//! recognised and against which file, so a user knows the text is a guess.
//!
//! The rasteriser is an area-accumulation scanline rasteriser (each edge
//! adds its signed covered area to the cells it crosses; a running sum per
//! row gives the coverage, clamped to 1, which is non-zero winding for
//! outlines whose contours do not cancel), with quadratic and cubic
//! curves flattened into lines: one or two per curve on the coarse grids,
//! at 48×48 as few as keep within 0.05 pixel of the curve (at most 8).
//!
//! Cost is bounded: only fonts with no Unicode source at all, only glyphs
//! actually drawn, at most [`ShapeSettings::max_glyphs`] per font and
//! [`ShapeSettings::max_glyphs_per_document`] per document, a bounded
//! directory scan (once per process), and each reference font mapped (not
//! read: a CJK collection is tens of megabytes, of which the index touches
//! the cmap, the metrics and the glyph headers) and indexed once per
//! process, holding no bitmaps (20 bytes of features per glyph). A
//! recognition computes one distance per reference glyph and rasterises
//! 128 + 16 + 8 of them. (issue3405r.pdf, one process: the index of
//! WenQuanYi's 42,000 mapped glyphs and six recognitions cost a few
//! milliseconds, where reading the file, indexing and rasterising 3000
//! candidates per glyph cost over a hundred.)
//! If no font of the family (nor an unambiguous one of the script) is
//! installed, the glyphs stay unknown with a warning saying why; for
//! issue3405r.pdf, `make deps` installs Debian's `fonts-wqy-zenhei`.
//!
//! The parts, one module each: this one decides (settings, the per-font and
//! per-document bounds, the ambiguity rule); `prefilter` indexes a reference
//! face and narrows it to the few candidates worth rasterising; `raster`
//! turns outlines into coverage bitmaps and compares them; `installed`
//! finds the installed fonts, picks the reference face and maps and indexes
//! it once per process.

mod installed;
mod prefilter;
mod raster;

use installed::{installed_faces, pick_reference, reference};
use prefilter::Unknown;
use raster::{blur, glyph_bitmap, soft_iou};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use ttf_parser::{Face, GlyphId};

/// Thresholds and bounds of shape recognition.
#[derive(Debug, Clone)]
pub(crate) struct ShapeSettings {
    /// Side of the fine bitmaps compared (pixels per em box).
    pub fine: usize,
    /// Candidates kept by the 8×8 pass, then by the 16×16 pass
    /// (issue3405r.pdf: the right glyph is first at 16×16, its near twin
    /// second or third; half as many would still do).
    pub coarse_keep: usize,
    pub medium_keep: usize,
    /// Lowest soft IoU of a match (identical outlines score 1).
    pub min_score: f32,
    /// How far the match must lead the best different character.
    pub min_lead: f32,
    /// The same two against a font of another family (a fallback of the
    /// same script): stricter, as designs differ.
    pub fallback_min_score: f32,
    pub fallback_min_lead: f32,
    /// Glyphs recognised per font at most, and per document (all fonts:
    /// a hostile file may carry a thousand small programs).
    pub max_glyphs: usize,
    pub max_glyphs_per_document: usize,
    /// Font files examined at most, and directory depth.
    pub max_files: usize,
    pub max_depth: usize,
    /// Largest reference font file mapped (bytes).
    pub max_file_bytes: u64,
    /// Prefilter before any rasterising, from each glyph's `glyf` header
    /// alone: the distance of a reference glyph to the unknown one is the
    /// difference of their box placements (centre, and half the difference
    /// of width and height: a bolder weight grows the box on every side) in
    /// units of this fraction of the em, …
    pub prefilter_box: f32,
    /// … plus, both being TrueType outlines, the difference of their
    /// contour sizes (points per contour, largest first: a weight of the
    /// same design keeps its contours) in units of this many points plus
    /// this fraction of the larger point count (1 when either is unknown).
    pub prefilter_points_abs: u32,
    pub prefilter_points_rel: f32,
    /// The nearest this many reference glyphs are rasterised and compared
    /// at 8×8 (issue3405r.pdf's six glyphs against WenQuanYi Regular: the
    /// right glyphs rank 1st to 7th, the near twins that decide the lead
    /// 40th to 94th), …
    pub prefilter_keep: usize,
    /// … or this many against a font of another family, whose contours
    /// need not follow the same design.
    pub fallback_prefilter_keep: usize,
}

impl Default for ShapeSettings {
    fn default() -> Self {
        ShapeSettings {
            fine: 48,
            coarse_keep: 16,
            medium_keep: 8,
            min_score: 0.6,
            min_lead: 0.08,
            fallback_min_score: 0.65,
            fallback_min_lead: 0.12,
            max_glyphs: 256,
            max_glyphs_per_document: 1024,
            max_files: 5000,
            max_depth: 6,
            max_file_bytes: 64 << 20,
            prefilter_box: 0.06,
            prefilter_points_abs: 4,
            prefilter_points_rel: 0.25,
            prefilter_keep: 128,
            fallback_prefilter_keep: 1024,
        }
    }
}

/// Why no glyph can be recognised (for the loader's warning).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NoRecognition {
    /// The program is not TrueType/OpenType with outlines.
    NoOutlines,
    /// No installed font of this family, nor an unambiguous one of its script.
    NoReference,
}

/// The writing system of a CJK font, from a CIDSystemInfo ordering or the
/// languages of a font's name records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Script {
    Chinese,
    Japanese,
    Korean,
}

impl Script {
    /// The script of an Adobe character collection (GB1, CNS1, Japan1, Korea1).
    pub(crate) fn of_ordering(ordering: &str) -> Option<Script> {
        match ordering {
            "GB1" | "CNS1" => Some(Script::Chinese),
            "Japan1" | "Japan2" => Some(Script::Japanese),
            "Korea1" => Some(Script::Korean),
            _ => None,
        }
    }

    /// The script of a name record's language (Windows LCID or Macintosh
    /// language code).
    fn of_language(platform: ttf_parser::PlatformId, language: u16) -> Option<Script> {
        match platform {
            ttf_parser::PlatformId::Windows => match language & 0x3FF {
                0x04 => Some(Script::Chinese),
                0x11 => Some(Script::Japanese),
                0x12 => Some(Script::Korean),
                _ => None,
            },
            ttf_parser::PlatformId::Macintosh => match language {
                19 | 33 => Some(Script::Chinese),
                11 => Some(Script::Japanese),
                23 => Some(Script::Korean),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Glyph recognitions left for one document, shared by its fonts.
#[derive(Debug, Clone)]
pub(crate) struct Budget(Arc<AtomicUsize>);

impl Default for Budget {
    fn default() -> Self {
        Budget::new(ShapeSettings::default().max_glyphs_per_document)
    }
}

impl Budget {
    pub(crate) fn new(n: usize) -> Budget {
        Budget(Arc::new(AtomicUsize::new(n)))
    }

    /// Spend one recognition; false when none is left.
    fn take(&self) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_sub(1))
            .is_ok()
    }
}

/// Recognition of one embedded program's glyphs, each the first time it is
/// drawn (a subset often carries many more glyphs than a page shows), at
/// most [`ShapeSettings::max_glyphs`] of them; answers are remembered.
pub(crate) struct Shapes {
    program: Vec<u8>,
    /// The reference font file and face.
    pub reference: PathBuf,
    /// Whether the reference is of another family (same script).
    pub fallback: bool,
    index: u32,
    settings: ShapeSettings,
    budget: Budget,
    memo: Mutex<BTreeMap<u16, Option<char>>>,
}

impl std::fmt::Debug for Shapes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shapes")
            .field("reference", &self.reference)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Shapes {
    /// Ready to recognise the glyphs of `program` (font `name` as in
    /// BaseFont) against an installed font of the same family.
    /// Without one, an installed CJK font of `script` (or, when that is
    /// unknown, of the one script all installed CJK fonts share) is used
    /// with stricter thresholds.
    pub(crate) fn new(
        program: Vec<u8>,
        name: &str,
        script: Option<Script>,
        settings: ShapeSettings,
        budget: Budget,
    ) -> Result<Shapes, NoRecognition> {
        let face = Face::parse(&program, 0).map_err(|_| NoRecognition::NoOutlines)?;
        let any_outline =
            (1..face.number_of_glyphs()).any(|g| face.glyph_bounding_box(GlyphId(g)).is_some());
        if !any_outline {
            return Err(NoRecognition::NoOutlines);
        }
        let (reference, index, fallback) = pick_reference(name, script, installed_faces(&settings))
            .ok_or(NoRecognition::NoReference)?;
        Ok(Shapes::with_reference(
            program, reference, index, fallback, settings, budget,
        ))
    }

    /// Against this reference face (`fallback`: of another family).
    fn with_reference(
        program: Vec<u8>,
        reference: PathBuf,
        index: u32,
        fallback: bool,
        mut settings: ShapeSettings,
        budget: Budget,
    ) -> Shapes {
        if fallback {
            settings.min_score = settings.fallback_min_score;
            settings.min_lead = settings.fallback_min_lead;
            settings.prefilter_keep = settings.fallback_prefilter_keep;
        }
        Shapes {
            program,
            reference,
            fallback,
            index,
            settings,
            budget,
            memo: Mutex::new(BTreeMap::new()),
        }
    }

    /// The character glyph `gid` looks like, if clearly one.
    pub(crate) fn char_of(&self, gid: u16) -> Option<char> {
        let mut memo = self.memo.lock().ok()?;
        if let Some(known) = memo.get(&gid) {
            return *known;
        }
        if memo.len() >= self.settings.max_glyphs || !self.budget.take() {
            return None;
        }
        let found = self.recognise(gid);
        memo.insert(gid, found);
        found
    }

    /// How many glyphs were recognised so far.
    pub(crate) fn recognised(&self) -> usize {
        self.memo
            .lock()
            .map_or(0, |m| m.values().filter(|c| c.is_some()).count())
    }

    fn recognise(&self, gid: u16) -> Option<char> {
        let s = &self.settings;
        let face = Face::parse(&self.program, 0).ok()?;
        let fine = blur(&glyph_bitmap(&face, gid, s.fine)?);
        let unknown = Unknown::of(&face, gid)?;
        let refs = reference(&self.reference, self.index, s)?;
        let ref_face = Face::parse(&refs.data, self.index).ok()?;
        let scored: Vec<(char, f32)> = refs
            .index
            .candidates(&ref_face, &unknown, s)
            .iter()
            .filter_map(|&(rgid, ch)| {
                let rb = blur(&glyph_bitmap(&ref_face, rgid, s.fine)?);
                Some((ch, soft_iou(&fine, &rb)))
            })
            .collect();
        best_match(&scored, s)
    }
}

/// The character of the best-scoring candidate, if it scores at least
/// `min_score` and leads every candidate of another character by
/// `min_lead`; near-ties between characters are ambiguous.
pub(crate) fn best_match(scored: &[(char, f32)], settings: &ShapeSettings) -> Option<char> {
    // A compatibility ideograph and its unified twin are one character.
    let mut sorted: Vec<(char, f32)> = scored
        .iter()
        .map(|&(c, v)| (super::normalize::normalize_char(c), v))
        .collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(ch, best) = sorted.first()?;
    let runner = sorted.iter().find(|c| c.0 != ch).map_or(0.0, |c| c.1);
    (best >= settings.min_score && best - runner >= settings.min_lead).then_some(ch)
}

#[cfg(test)]
mod tests {
    use super::installed::FontBytes;
    use super::prefilter::{FeatureReader, RefIndex, Units};
    use super::raster::{similarity, Bitmap, Rasteriser};
    use super::*;
    use std::path::Path;

    const MINI_CJK: &[u8] = include_bytes!("../testdata/mini-cjk.ttf");

    fn settings() -> ShapeSettings {
        ShapeSettings::default()
    }

    /// The WenQuanYi subset of issue3405r.pdf (no cmap: glyphs labelled
    /// here by id) matched against itself: each glyph is itself, with
    /// score 1 and a clear lead over its 147 siblings.
    #[test]
    fn glyph_matches_itself() {
        crate::require_shared!();
        let program = issue3405r_program();
        let face = Face::parse(&program, 0).unwrap();
        let s = settings();
        let label = |g: u16| char::from_u32(0x4E00 + g as u32).unwrap();
        let all: Vec<(char, Bitmap)> = (1..face.number_of_glyphs())
            .filter_map(|g| Some((label(g), blur(&glyph_bitmap(&face, g, s.fine)?))))
            .collect();
        assert_eq!(all.len(), 148);
        for g in 4..=9u16 {
            let me = blur(&glyph_bitmap(&face, g, s.fine).unwrap());
            let scored: Vec<(char, f32)> =
                all.iter().map(|(c, b)| (*c, soft_iou(&me, b))).collect();
            assert_eq!(best_match(&scored, &s), Some(label(g)), "{g}");
        }
    }

    /// The program of issue3405r.pdf's font (object 9).
    fn issue3405r_program() -> Vec<u8> {
        let doc = lopdf::Document::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/real/encodings/issue3405r.pdf"
        ))
        .unwrap();
        doc.get_object((9, 0))
            .unwrap()
            .as_stream()
            .unwrap()
            .get_plain_content()
            .unwrap()
    }

    const WQY: &str = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

    /// Against the WenQuanYi reference, even under the stricter fallback
    /// thresholds, the six glyphs read as the page shows; past the per-font
    /// bound nothing more is tried; blank and absent glyphs stay unknown.
    #[test]
    fn recognition_against_reference_and_its_bounds() {
        crate::require_shared!();
        assert!(
            Path::new(WQY).exists(),
            "install fonts-wqy-zenhei (make deps)"
        );
        let program = issue3405r_program();
        let strict = Shapes::with_reference(
            program.clone(),
            WQY.into(),
            0,
            true,
            settings(),
            Budget::default(),
        );
        let text: String = (4..=9).filter_map(|g| strict.char_of(g)).collect();
        assert_eq!(text, "其他参考数据");
        assert_eq!(strict.recognised(), 6);
        // .notdef-like and missing glyphs: no outline, no answer.
        assert_eq!(strict.char_of(1), None);
        assert_eq!(strict.char_of(60_000), None);
        let bounded = Shapes::with_reference(
            program,
            WQY.into(),
            0,
            false,
            ShapeSettings {
                max_glyphs: 2,
                ..settings()
            },
            Budget::default(),
        );
        assert_eq!(bounded.char_of(4), Some('其'));
        assert_eq!(bounded.char_of(5), Some('他'));
        assert_eq!(bounded.char_of(6), None);
        assert_eq!(bounded.char_of(4), Some('其'));
        // The document's budget is shared by its fonts.
        let budget = Budget::new(3);
        let fonts: Vec<Shapes> = (0..2)
            .map(|_| {
                let p = issue3405r_program();
                Shapes::with_reference(p, WQY.into(), 0, false, settings(), budget.clone())
            })
            .collect();
        let got: Vec<Option<char>> = [(0, 4), (1, 5), (0, 6), (1, 7), (0, 8)]
            .iter()
            .map(|&(f, g)| fonts[f].char_of(g))
            .collect();
        assert_eq!(got, [Some('其'), Some('他'), Some('参'), None, None]);
    }

    /// Identical outlines under different characters (the test font draws
    /// 中 and 文 as the same square) are ambiguous, at every stage.
    #[test]
    fn identical_shapes_are_ambiguous() {
        let face = Face::parse(MINI_CJK, 0).unwrap();
        let s = settings();
        let a = glyph_bitmap(&face, 1, s.fine).unwrap();
        let b = glyph_bitmap(&face, 2, s.fine).unwrap();
        let scored = [('中', similarity(&a, &a)), ('文', similarity(&a, &b))];
        assert!((scored[0].1 - 1.0).abs() < 1e-5 && (scored[1].1 - 1.0).abs() < 1e-5);
        assert_eq!(best_match(&scored, &s), None);
        let raw = face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
        let idx = RefIndex::build(&face, raw);
        let c = idx.candidates(&face, &Unknown::of(&face, 1).unwrap(), &s);
        let chars: Vec<char> = c.iter().map(|c| c.1).collect();
        assert!(chars.contains(&'中') && chars.contains(&'文'), "{chars:?}");
    }

    /// The ambiguity rule: too low, or not clearly ahead of another
    /// character, is no match; the same character twice is not ambiguous;
    /// a blank glyph yields no bitmap at all.
    #[test]
    fn ambiguous_or_weak_matches_are_refused() {
        let s = settings();
        assert_eq!(best_match(&[], &s), None);
        assert_eq!(best_match(&[('甲', 0.9), ('乙', 0.88)], &s), None);
        assert_eq!(best_match(&[('甲', 0.9), ('乙', 0.7)], &s), Some('甲'));
        assert_eq!(
            best_match(&[('甲', 0.9), ('甲', 0.89), ('乙', 0.5)], &s),
            Some('甲')
        );
        assert_eq!(best_match(&[('甲', 0.5)], &s), None);
        // A blank bitmap is like nothing.
        let blank = Rasteriser::new(48).finish();
        let face = Face::parse(MINI_CJK, 0).unwrap();
        let zhong = glyph_bitmap(&face, 1, 48).unwrap();
        assert_eq!(similarity(&blank, &zhong), 0.0);
        assert_eq!(best_match(&[('中', similarity(&blank, &zhong))], &s), None);
    }

    /// The prefilter's features: a glyph is at distance 0 from itself, and
    /// each of issue3405r.pdf's six glyphs (WenQuanYi Medium) finds its
    /// character in the Regular reference among the few nearest, far
    /// inside the `prefilter_keep` rasterised, and first after the 16×16
    /// pass. The near twins that guard against a wrong match are kept too:
    /// the decision is the one a search of twenty times as many candidates
    /// reaches, even when asked for almost twice the lead.
    #[test]
    fn prefilter_ranks_the_right_glyph_near_the_top() {
        crate::require_shared!();
        assert!(
            Path::new(WQY).exists(),
            "install fonts-wqy-zenhei (make deps)"
        );
        let s = settings();
        let units = Units::of(&s);
        let program = issue3405r_program();
        let face = Face::parse(&program, 0).unwrap();
        let data = FontBytes::open(Path::new(WQY), s.max_file_bytes).unwrap();
        let rf = Face::parse(&data, 0).unwrap();
        let raw = rf.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
        let idx = RefIndex::build(&rf, raw);
        let reader = FeatureReader::new(&face);
        let wide = ShapeSettings {
            prefilter_keep: 20 * s.prefilter_keep,
            coarse_keep: 16,
            medium_keep: 8,
            ..settings()
        };
        let mut worst = 0;
        for (g, ch) in (4..=9u16).zip("其他参考数据".chars()) {
            let me = reader.features(g).unwrap();
            assert_eq!(me.distance(&me, &units), 0.0);
            assert!(me.contours.points > 0, "{g}");
            let right = rf.glyph_index(ch).unwrap().0;
            let at = idx.gids.iter().position(|&x| x == right).unwrap();
            let d = me.distance(&idx.features[at], &units);
            let rank = idx
                .features
                .iter()
                .filter(|f| me.distance(f, &units) < d)
                .count();
            worst = worst.max(rank);
            let unknown = Unknown::of(&face, g).unwrap();
            assert_eq!(
                idx.candidates(&rf, &unknown, &s).first(),
                Some(&(right, ch)),
                "{ch}"
            );
            let fine = blur(&glyph_bitmap(&face, g, s.fine).unwrap());
            let scored = |s: &ShapeSettings| -> Vec<(char, f32)> {
                idx.candidates(&rf, &unknown, s)
                    .iter()
                    .map(|&(rg, rc)| {
                        let b = blur(&glyph_bitmap(&rf, rg, s.fine).unwrap());
                        (rc, soft_iou(&fine, &b))
                    })
                    .collect()
            };
            let (mine, theirs) = (scored(&s), scored(&wide));
            for lead in [0.08, 0.1, 0.12, 0.14, 0.15] {
                let s = ShapeSettings {
                    min_lead: lead,
                    ..settings()
                };
                assert_eq!(
                    best_match(&mine, &s),
                    best_match(&theirs, &s),
                    "{ch} {lead}: {mine:?} {theirs:?}"
                );
            }
        }
        assert!(worst * 8 <= s.prefilter_keep, "{worst}");
    }
}
