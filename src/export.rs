//! `gongkai export` (being written).

use anyhow::{bail, Result};

pub fn run(_args: crate::cli::ExportArgs) -> Result<u8> {
    bail!("export is not implemented yet")
}
