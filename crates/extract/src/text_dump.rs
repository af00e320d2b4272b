//! Text dumps of disclosures (what other extractors or OCR produced) opened into
//! the page model. (Placeholder while the decoder is written.)

use crate::{Document, ExtractError, Options};

pub fn open(_bytes: &[u8], _opts: &Options) -> Result<Document, ExtractError> {
    Err(ExtractError::Encoding(
        "text dumps not implemented yet".into(),
    ))
}
