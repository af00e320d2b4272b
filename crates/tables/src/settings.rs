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
    /// A cell edge is drawn when rulings at its position cover at least this
    /// fraction of its length (an edge broken by a merged cell is not).
    pub edge_drawn_ratio: f32,
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
    /// Pages with more merged rulings than this are drawings, not tables (the
    /// pairwise grouping of rulings must stay bounded).
    pub max_lattice_rulings: usize,
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
    /// Cell spans of data lines closer than this (pt, and than
    /// `column_merge_tolerance`) are one column of a borderless table.
    pub span_merge_tolerance: f32,
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
    /// A label wrapped onto three or more lines beside the row's centred
    /// amounts has its lines at most this many line heights apart.
    pub tall_cell_max_pitch_ratio: f32,
    /// ... and each of its lines but the last ends at most this many line
    /// heights short of the widest label (it wrapped at the column's edge:
    /// a glyph that did not fit, and some).
    pub tall_cell_wrap_slack_ratio: f32,
    /// A title left at the foot of a page, followed by at most this many
    /// caption lines (unit, entity), titles the next page's first table.
    pub foot_title_max_caption_lines: usize,
    /// A vertical gap larger than this multiple of the median line pitch ends
    /// a stream table.
    pub max_row_gap_ratio: f32,
    /// The line pitch (pt) assumed for a block of a single text line (a 12 pt
    /// font's usual pitch) ...
    pub default_line_pitch: f32,
    /// ... and the least median pitch (pt): no text is set tighter, a smaller
    /// median comes from lines printed over each other.
    pub min_line_pitch: f32,
    /// A line of a borderless table that is not a data line (a wrapped label, a
    /// sub-heading) has at most this many characters; a longer one is prose.
    pub stream_max_text_line_chars: usize,

    // ---- header, rows, stitching ----
    /// Most header rows a table may have; a "header" longer than this is body.
    pub max_header_rows: usize,
    /// Column edges of two page fragments match when each edge is within this (pt).
    pub stitch_edge_tolerance: f32,
    /// The outer column edges (the table's borders) of two fragments may differ
    /// by this multiple of the edge tolerance (borders are drawn thicker or
    /// further out on some pages).
    pub stitch_outer_edge_factor: f32,
    /// Edges of borderless (stream) fragments, found from text alone, may differ
    /// by this multiple of the edge tolerance.
    pub stitch_stream_edge_factor: f32,
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
    /// A PDF table's title, caption and number are looked for in at most this
    /// many text lines above it (and below the table before it).
    pub title_lookback_lines: usize,
    /// The notes (注：…) below a table are looked for in at most this many lines
    /// below it ...
    pub note_max_lines: usize,
    /// ... and end at a vertical gap larger than this multiple of the line height.
    pub note_max_gap_ratio: f32,

    // ---- text dumps (in lines: a dump has no geometry) ----
    /// A dump table's title and caption are looked for in at most this many
    /// non-blank lines above it (and not above the table before it).
    pub dump_title_lookback_lines: usize,
    /// The notes (注：…) below a dump table end at more than this many blank
    /// lines in a row ...
    pub dump_note_max_blank_lines: usize,
    /// ... or once this many notes have been read.
    pub dump_max_notes: usize,
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
            edge_drawn_ratio: 0.5,
            min_ruling_length: 4.0,
            max_ruling_thickness: 3.0,
            min_lattice_rows: 2,
            min_lattice_cols: 2,
            max_lattice_cells: 200_000,
            max_lattice_rulings: 6_000,
            min_empty_column_width: 6.0,
            cell_padding: 1.0,
            cell_gap_ratio: 0.6,
            class_gap_excess_ratio: 0.05,
            column_merge_tolerance: 6.0,
            span_merge_tolerance: 2.0,
            min_stream_rows: 3,
            max_row_gap_ratio: 3.0,
            default_line_pitch: 14.0,
            min_line_pitch: 4.0,
            stream_max_text_line_chars: 30,
            centred_label_max_pitch_ratio: 0.7,
            centred_row_min_overlap: 0.5,
            centred_row_max_offset: 2.0,
            tall_cell_max_pitch_ratio: 1.8,
            tall_cell_wrap_slack_ratio: 1.5,
            foot_title_max_caption_lines: 3,
            header_column_min_gap: 30.0,
            max_header_rows: 5,
            stitch_edge_tolerance: 4.0,
            stitch_outer_edge_factor: 4.0,
            stitch_stream_edge_factor: 3.0,
            stitch_top_ratio: 0.35,
            stitch_bottom_ratio: 0.35,
            wrap_join_max_chars: 30,
            furniture_band: 100.0,
            title_lookback_lines: 7,
            note_max_lines: 8,
            note_max_gap_ratio: 3.0,
            dump_title_lookback_lines: 14,
            dump_note_max_blank_lines: 2,
            dump_max_notes: 9,
        }
    }
}

/// What a setting is, for `gongkai settings`: its name (as in the struct and
/// the settings file), its unit and one line on what it does.
#[derive(Debug, Clone, Copy)]
pub struct Described {
    pub name: &'static str,
    pub unit: &'static str,
    pub meaning: &'static str,
}

const fn d(name: &'static str, unit: &'static str, meaning: &'static str) -> Described {
    Described {
        name,
        unit,
        meaning,
    }
}

/// Every field of [`Settings`], in its order, with its unit and meaning (a
/// test in the `gongkai` crate checks that the two name the same fields).
pub const DESCRIBED: &[Described] = &[
    d("line_overlap_ratio", "fraction of the smaller glyph height", "glyphs whose heights overlap by at least this sit on one text line"),
    d("baseline_tolerance_ratio", "fraction of the font size", "... and whose centres are at most this far apart"),
    d("word_gap_ratio", "fraction of the font size", "a wider gap between two glyphs of a line is a word break"),
    d("snap_tolerance", "pt", "rulings this close in position are one line"),
    d("join_tolerance", "pt", "collinear ruling segments with a gap up to this are joined"),
    d("intersection_tolerance", "pt", "a horizontal and a vertical ruling meet when each reaches the other within this"),
    d("edge_drawn_ratio", "fraction of the edge", "a cell edge is drawn when rulings cover this much of it"),
    d("min_ruling_length", "pt", "shorter rulings are ignored (underlines, dots)"),
    d("max_ruling_thickness", "pt", "filled rectangles thinner than this are rulings"),
    d("min_lattice_rows", "rows", "a ruled table needs at least this many rows of cells"),
    d("min_lattice_cols", "columns", "... and this many columns"),
    d("max_lattice_cells", "cells", "a grid with more cells is a drawing, not a table"),
    d("max_lattice_rulings", "rulings", "a page with more merged rulings is a drawing (bounds the work)"),
    d("min_empty_column_width", "pt", "narrower grid columns holding no text are border artefacts, dropped"),
    d("cell_padding", "pt", "a glyph belongs to the cell holding its centre, with this slack"),
    d("cell_gap_ratio", "fraction of the font size", "words of one line further apart are separate cells (borderless tables)"),
    d("class_gap_excess_ratio", "fraction of the font size", "a digit then a Han character set apart more than the glyphs before them by this are two cells (an amount against a text cell)"),
    d("column_merge_tolerance", "pt", "column boundaries closer than this are merged"),
    d("span_merge_tolerance", "pt", "cell spans of data lines this close are one column"),
    d("min_stream_rows", "rows", "a borderless table needs this many consecutive tabular rows"),
    d("header_column_min_gap", "pt", "a header label is a column of its own only this far from every data column"),
    d("centred_label_max_pitch_ratio", "fraction of the line pitch", "a header line half-way between its neighbours, each closer than this, joins the row above"),
    d("centred_row_min_overlap", "pt", "a vertically centred middle line overlapping a wrapped label's two lines by this is one row with them"),
    d("centred_row_max_offset", "pt", "... when its centre is at most this far from half-way between them"),
    d("tall_cell_max_pitch_ratio", "line heights", "a label wrapped onto three or more lines beside centred amounts has its lines this close"),
    d("tall_cell_wrap_slack_ratio", "line heights", "... and each line but its last ends at most this short of the widest label"),
    d("foot_title_max_caption_lines", "lines", "a title at a page's foot followed by at most this many caption lines titles the next page's first table"),
    d("max_row_gap_ratio", "multiple of the line pitch", "a larger vertical gap ends a borderless table"),
    d("default_line_pitch", "pt", "line pitch assumed for a block of one line"),
    d("min_line_pitch", "pt", "least line pitch (a smaller median comes from overprinted lines)"),
    d("stream_max_text_line_chars", "characters", "a non-data line longer than this ends a borderless table (prose)"),
    d("max_header_rows", "rows", "most header rows a table may have; a longer header is body"),
    d("stitch_edge_tolerance", "pt", "column edges of two page fragments match within this"),
    d("stitch_outer_edge_factor", "multiple of stitch_edge_tolerance", "outer column edges of two fragments may differ by this many times the edge tolerance"),
    d("stitch_stream_edge_factor", "multiple of stitch_edge_tolerance", "edges of borderless fragments may differ by this many times the edge tolerance"),
    d("stitch_top_ratio", "fraction of the page height", "a continuation must start within this of the top of its page"),
    d("stitch_bottom_ratio", "fraction of the page height", "the table continued must end within this of the bottom of its page"),
    d("wrap_join_max_chars", "characters", "cells up to this long may have inner wrap spaces removed"),
    d("furniture_band", "pt", "a page number is page furniture only this close to the top or bottom of the page"),
    d("title_lookback_lines", "lines", "a PDF table's title and caption are looked for in this many lines above it"),
    d("note_max_lines", "lines", "the notes below a table are looked for in this many lines"),
    d("note_max_gap_ratio", "multiple of the line height", "a larger gap ends the notes below a table"),
    d("dump_title_lookback_lines", "lines", "a text dump table's title and caption are looked for in this many lines above it"),
    d("dump_note_max_blank_lines", "lines", "the notes below a text dump table end at more blank lines in a row than this"),
    d("dump_max_notes", "notes", "... or once this many notes are read"),
];

/// Smallest font size (pt) a gap is measured in: a size of 0 or near (a
/// broken Tf) would make every gap between glyphs a break.
pub const MIN_FONT_SIZE: f32 = 1.0;

/// Smallest height (pt) a box is given when heights are compared: a glyph
/// or line of zero height (a broken font matrix) still overlaps by a little,
/// and no ratio divides by zero. Far below any printed glyph.
pub const MIN_BOX_HEIGHT: f32 = 0.1;
