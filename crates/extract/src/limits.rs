//! Bounds on the work one file may cause, so a hostile file (decompression
//! bomb, operator flood, reference cycle) costs bounded memory and time.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Limits {
    /// Largest input file read at all.
    pub max_file_bytes: u64,
    /// Largest decompressed stream (content stream, font file, CMap).
    pub max_stream_bytes: usize,
    /// Most content-stream operators interpreted on one page (Form XObjects included).
    pub max_operators_per_page: usize,
    /// Most glyphs kept on one page.
    pub max_glyphs_per_page: usize,
    /// Deepest nesting of Form XObjects (also breaks cycles).
    pub max_xobject_depth: usize,
    /// Most pages read from one document.
    pub max_pages: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 512 << 20,
            max_stream_bytes: 64 << 20,
            max_operators_per_page: 2_000_000,
            max_glyphs_per_page: 200_000,
            max_xobject_depth: 12,
            max_pages: 5_000,
        }
    }
}
