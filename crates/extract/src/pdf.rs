//! PDF documents: open with lopdf, walk the pages, interpret each content stream.
//! (Placeholder while the interpreter is written.)

use crate::{Document, ExtractError, Options};

pub fn open(_bytes: &[u8], _opts: &Options) -> Result<Document, ExtractError> {
    Err(ExtractError::Damaged(
        "PDF reading not implemented yet".into(),
    ))
}
