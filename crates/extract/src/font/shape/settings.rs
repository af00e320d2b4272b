//! The thresholds and bounds of shape recognition, in one struct that the
//! recogniser, the prefilter and installed-font discovery all read (a module
//! of its own, so none of them imports another for it).

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
