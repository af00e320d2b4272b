//! Every threshold of the table stage, in points (or counts where a length
//! makes no sense), in one plain struct, so a user can see and tune them and a
//! test can pin them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Glyphs whose vertical extents overlap by at least this fraction of the
    /// smaller height sit on one text line.
    pub line_overlap_ratio: f32,
    /// ... and their centres are at most this fraction of the font size apart
    /// (glyph boxes from font metrics can be far taller than the text).
    pub baseline_tolerance_ratio: f32,
    /// A horizontal gap wider than this fraction of the font size between two
    /// glyphs of one line is a word break (a space is inserted).
    pub word_gap_ratio: f32,

    // ---- lattice (ruling lines) ----
    /// Rulings whose positions differ by at most this (pt) are on one line
    /// (collinear segments merged, near-misses snapped).
    pub snap_tolerance: f32,
    /// Collinear segments with a gap up to this (pt) are joined into one.
    pub join_tolerance: f32,
    /// A horizontal and a vertical ruling meet when each reaches the other
    /// within this (pt).
    pub intersection_tolerance: f32,
    /// Rulings shorter than this (pt) are ignored (underlines of glyphs, dots).
    pub min_ruling_length: f32,
    /// Filled rectangles thinner than this (pt) in one direction are rulings;
    /// a cell-sized filled rectangle contributes its four edges instead.
    pub max_ruling_thickness: f32,
    /// A lattice needs at least this many rows and columns of cells.
    pub min_lattice_rows: usize,
    pub min_lattice_cols: usize,
    /// Grids with more cells than this are drawings, not tables (bounds the
    /// memory a hostile page can cost).
    pub max_lattice_cells: usize,
    /// Grid columns narrower than this (pt) that hold no text are border
    /// artefacts (double lines) and are dropped.
    pub min_empty_column_width: f32,
    /// A glyph belongs to the cell holding its centre, allowing this slack (pt).
    pub cell_padding: f32,

    // ---- stream (text alignment) ----
    /// Words on one line further apart than this fraction of the font size
    /// are separate cells.
    pub cell_gap_ratio: f32,
    /// A digit then a Han character further apart than the glyphs before
    /// them by more than this fraction of the font size are two cells (an
    /// amount right-aligned against a text cell: 0.00|打印机…); glyphs of one
    /// run of text sit at their advances, so their gaps stay level.
    pub class_gap_excess_ratio: f32,
    /// Column boundaries closer than this (pt) are merged.
    pub column_merge_tolerance: f32,
    /// A stream table needs at least this many consecutive rows that look
    /// tabular (two or more cells, one of them an amount), unless header
    /// lines of two or more cells sit right above (a table of one row).
    pub min_stream_rows: usize,
    /// A header label marks a column of its own (one empty in every data
    /// row) only when it is at least this far (pt) from every data column.
    pub header_column_min_gap: f32,
    /// A header line half-way between the lines above and below, each closer
    /// than this fraction of the median line pitch, holds labels spanning two
    /// rows (printed centred in their cell): it joins the row above.
    pub centred_label_max_pitch_ratio: f32,
    /// A row whose label wrapped onto two lines and whose other cells are
    /// printed vertically centred (on a line half-way between the label's
    /// two, as Chromium prints borderless HTML tables) is one row when the
    /// middle line overlaps each of the label's lines by at least this (pt)
    /// ...
    pub centred_row_min_overlap: f32,
    /// ... and its centre is at most this (pt) from half-way between theirs.
    pub centred_row_max_offset: f32,
    /// A vertical gap larger than this multiple of the median line pitch ends
    /// a stream table.
    pub max_row_gap_ratio: f32,

    // ---- header, rows, stitching ----
    /// Most header rows a table may have; a "header" longer than this is body.
    pub max_header_rows: usize,
    /// Column edges of two page fragments match when each edge is within this (pt).
    pub stitch_edge_tolerance: f32,
    /// A continuation must start within this fraction of the page height from
    /// the top of the page (below any running head).
    pub stitch_top_ratio: f32,
    /// The fragment being continued must end within this fraction of the page
    /// height from the bottom.
    pub stitch_bottom_ratio: f32,
    /// Cells up to this many characters may have inner wrap spaces removed.
    pub wrap_join_max_chars: usize,
    /// A page number is furniture only within this distance of the top or
    /// the bottom of the page (the head and foot bands, points): a bare "1"
    /// in the body is text (万里's placeholder paragraphs).
    pub furniture_band: f32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            line_overlap_ratio: 0.5,
            word_gap_ratio: 0.25,
            baseline_tolerance_ratio: 0.45,
            snap_tolerance: 3.0,
            join_tolerance: 3.0,
            intersection_tolerance: 3.0,
            min_ruling_length: 4.0,
            max_ruling_thickness: 3.0,
            min_lattice_rows: 2,
            min_lattice_cols: 2,
            max_lattice_cells: 200_000,
            min_empty_column_width: 6.0,
            cell_padding: 1.0,
            cell_gap_ratio: 0.6,
            class_gap_excess_ratio: 0.05,
            column_merge_tolerance: 6.0,
            min_stream_rows: 3,
            max_row_gap_ratio: 3.0,
            centred_label_max_pitch_ratio: 0.7,
            centred_row_min_overlap: 0.5,
            centred_row_max_offset: 2.0,
            header_column_min_gap: 30.0,
            max_header_rows: 5,
            stitch_edge_tolerance: 4.0,
            stitch_top_ratio: 0.35,
            stitch_bottom_ratio: 0.35,
            wrap_join_max_chars: 30,
            furniture_band: 100.0,
        }
    }
}
