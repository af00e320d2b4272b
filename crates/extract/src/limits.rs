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
    /// When to stop: checked before each page and every few thousand
    /// operators, so a file that a caller gave up on (convert's
    /// `--timeout`) stops using a core soon after, instead of running on
    /// until the other limits stop it. The pages read so far are kept.
    #[serde(skip)]
    pub deadline: Option<std::time::Instant>,
}

impl Limits {
    /// Whether the deadline has passed.
    pub fn expired(&self) -> bool {
        self.deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
    }
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
            deadline: None,
        }
    }
}
