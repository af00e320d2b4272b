//! Where the tests find the shared test material: `../shared` beside the
//! repository (real disclosures, seeds, truth), which a clone on its own does
//! not have. Tests that need it start with [`require_shared!`], which skips
//! them with one line naming the folder when it is absent, so the rest of the
//! suite still runs. Used by every crate's tests and the CLI's; not an API.

use std::path::PathBuf;

/// `GONGKAI_SHARED`, else `../shared` beside the workspace.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("GONGKAI_SHARED") {
        Some(dir) => PathBuf::from(dir),
        // crates/extract → the folder holding the repository.
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .nth(3)
            .map_or_else(|| PathBuf::from("../shared"), |p| p.join("shared")),
    }
}

/// Whether the shared material is there; when not, one line says so,
/// written past the test harness's capture so a passing run shows it.
pub fn shared_present() -> bool {
    let dir = shared_dir();
    if dir.join("real").is_dir() {
        return true;
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: needs {} (the shared real PDFs and seeds), which is absent",
        dir.display()
    );
    false
}

/// Return from the calling test when the shared material is absent.
#[macro_export]
macro_rules! require_shared {
    () => {
        if !$crate::testdata::shared_present() {
            return;
        }
    };
}
