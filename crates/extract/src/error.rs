//! Typed errors of the extraction stage. A file-level error means nothing
//! could be read; page-level trouble becomes a `Diagnostic` instead.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ExtractError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a PDF: {0}")]
    NotPdf(String),
    #[error("truncated PDF: {0}")]
    Truncated(String),
    #[error("damaged PDF: {0}")]
    Damaged(String),
    #[error("encrypted PDF needs a password")]
    Encrypted,
    #[error("not a regular file ({0}); only regular files are read")]
    NotRegular(String),
    #[error("file too large: {size} bytes (limit {limit})")]
    TooLarge { size: u64, limit: u64 },
    #[error("unrecognised text encoding: {0}")]
    Encoding(String),
    #[error("limit exceeded: {0}")]
    Limit(String),
}
