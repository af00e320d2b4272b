//! Every threshold of the table stage, in points, in one plain struct, so a
//! user can see and tune them and a test can pin them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Glyphs whose vertical centres differ by less than this fraction of the
    /// font size sit on one text line.
    pub line_overlap_ratio: f32,
    /// A horizontal gap wider than this fraction of the font size between two
    /// glyphs of one line is a word break (a space is inserted).
    pub word_gap_ratio: f32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            line_overlap_ratio: 0.5,
            word_gap_ratio: 0.25,
        }
    }
}
