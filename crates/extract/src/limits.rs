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
    /// Longest line of a text dump kept whole; longer lines are cut, with
    /// a diagnostic (a one-line dump of hundreds of megabytes is not a
    /// disclosure, and splitting it would cost memory for nothing).
    pub max_line_bytes: usize,
    /// When to stop: checked before each page and every few thousand
    /// operators, so a file that a caller gave up on (convert's
    /// `--timeout`) stops using a core soon after, instead of running on
    /// until the other limits stop it. The pages read so far are kept.
    #[serde(skip)]
    pub deadline: Option<std::time::Instant>,
}

/// The words for a limit that stopped the work: which one, its value, and
/// how to raise it. Every message about a limit is made here, so each
/// names its setting the same way.
pub fn hit(name: &str, value: impl std::fmt::Display) -> String {
    format!("limit {name} = {value} reached (raise it with --limit {name}=N)")
}

/// The message for a document with more pages than `max_pages`.
pub fn pages_cut(max_pages: u32, total: u64) -> String {
    format!(
        "only the first {max_pages} of {total} pages were read: {}",
        hit("max_pages", max_pages)
    )
}

/// The settable limits, by name (the deadline comes from `--timeout`).
pub const NAMES: &[&str] = &[
    "max_file_bytes",
    "max_stream_bytes",
    "max_operators_per_page",
    "max_glyphs_per_page",
    "max_xobject_depth",
    "max_pages",
    "max_line_bytes",
];

/// Each settable limit with its unit and one line on what it bounds (for
/// `gongkai settings`), in the order of [`NAMES`].
pub const DESCRIBED: &[(&str, &str, &str)] = &[
    ("max_file_bytes", "bytes", "largest input file read at all"),
    (
        "max_stream_bytes",
        "bytes",
        "largest decompressed stream (content, font file, CMap)",
    ),
    (
        "max_operators_per_page",
        "operators",
        "most content-stream operators run on one page",
    ),
    (
        "max_glyphs_per_page",
        "glyphs",
        "most glyphs kept on one page",
    ),
    (
        "max_xobject_depth",
        "levels",
        "deepest nesting of Form XObjects",
    ),
    ("max_pages", "pages", "most pages read from one document"),
    (
        "max_line_bytes",
        "bytes",
        "longest line of a text dump kept whole (longer lines are cut)",
    ),
];

impl Limits {
    /// Set one limit from `name=value` text (the CLI's `--limit`).
    pub fn set(&mut self, assignment: &str) -> Result<(), String> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| format!("--limit takes NAME=VALUE, not {assignment:?}"))?;
        let (name, value) = (name.trim(), value.trim().replace('_', ""));
        let bad = |e: std::num::ParseIntError| {
            format!("--limit {name}: {value:?} is not a whole number ({e})")
        };
        match name {
            "max_file_bytes" => self.max_file_bytes = value.parse().map_err(bad)?,
            "max_stream_bytes" => self.max_stream_bytes = value.parse().map_err(bad)?,
            "max_operators_per_page" => self.max_operators_per_page = value.parse().map_err(bad)?,
            "max_glyphs_per_page" => self.max_glyphs_per_page = value.parse().map_err(bad)?,
            "max_xobject_depth" => self.max_xobject_depth = value.parse().map_err(bad)?,
            "max_pages" => self.max_pages = value.parse().map_err(bad)?,
            "max_line_bytes" => self.max_line_bytes = value.parse().map_err(bad)?,
            _ => {
                return Err(format!(
                    "--limit: no limit named {name:?}; the limits are {}",
                    NAMES.join(", ")
                ))
            }
        }
        Ok(())
    }

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
            max_line_bytes: 64 << 10,
            deadline: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_set_by_name() {
        let mut l = Limits::default();
        l.set("max_pages=10_000").unwrap();
        assert_eq!(l.max_pages, 10_000);
        l.set(" max_line_bytes = 4096").unwrap();
        assert_eq!(l.max_line_bytes, 4096);
        assert!(l
            .set("max_pages=lots")
            .unwrap_err()
            .contains("whole number"));
        let e = l.set("max_fish=3").unwrap_err();
        assert!(e.contains("max_pages") && e.contains("max_fish"), "{e}");
        assert!(l.set("max_pages").is_err());
        // Every name is settable.
        for name in NAMES {
            l.set(&format!("{name}=7")).unwrap();
        }
        assert_eq!(l.max_xobject_depth, 7);
    }

    #[test]
    fn a_hit_names_the_setting() {
        assert_eq!(
            hit("max_pages", 5000),
            "limit max_pages = 5000 reached (raise it with --limit max_pages=N)"
        );
    }
}
