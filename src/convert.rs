//! `gongkai convert` (being written).

use anyhow::{bail, Result};

pub fn run(_args: crate::cli::ConvertArgs) -> Result<u8> {
    bail!("convert is not implemented yet")
}
