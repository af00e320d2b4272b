//! Fuzz target: any bytes through PDF open and extraction of every page.
//! Small limits keep each run fast; the property is "no panic, no hang,
//! bounded memory" (libFuzzer's -rss_limit_mb and -timeout enforce the rest).
#![no_main]

use gongkai_extract::{Limits, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = Options {
        limits: Limits {
            max_stream_bytes: 4 << 20,
            max_operators_per_page: 50_000,
            max_glyphs_per_page: 20_000,
            max_pages: 50,
            ..Limits::default()
        },
        ..Options::default()
    };
    if let Ok(doc) = gongkai_extract::pdf::open(data, &opts) {
        for p in &doc.pages {
            for g in &p.glyphs {
                assert!(g.bbox.is_finite());
            }
        }
    }
});
