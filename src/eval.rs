//! `gongkai eval` (being written).

use anyhow::{bail, Result};

pub fn run(_args: crate::cli::EvalArgs) -> Result<u8> {
    bail!("eval is not implemented yet")
}
