//! Whether a document reads as a disclosure at all. A file named on the
//! command line is read whatever it is, and a README or a log read as a text
//! dump still yields "tables" (any aligned text) and a year; without this
//! note it would come out with status `ok`. A disclosure names its body or
//! its title, or prints standard tables with amounts, or performance sheets.

use crate::schema;

/// Fewer amounts than this in tables of a standard kind is no disclosure's
/// worth: the smallest standard table (三公经费) prints seven or more, and
/// a disclosure prints several tables.
pub const MIN_AMOUNTS: usize = 10;

/// The warning for a document that shows none of a disclosure's signs.
pub fn not_a_disclosure(
    info: &schema::DocumentInfo,
    tables: &[schema::Table],
    performance_sheets: usize,
) -> Option<schema::Diagnostic> {
    if info.entity.is_some() || info.title.is_some() || performance_sheets > 0 {
        return None;
    }
    let amounts: usize = tables
        .iter()
        .filter(|t| t.kind != "unknown")
        .flat_map(|t| &t.records)
        .map(|r| r.values.len())
        .sum();
    (amounts < MIN_AMOUNTS).then(|| schema::Diagnostic {
        level: "warning".into(),
        stage: "normalize".into(),
        page: None,
        message: format!(
            "not a disclosure, it seems: no body or title named and {amounts} amounts in standard tables \
             (is this the file you meant?)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_body_or_enough_amounts_is_a_disclosure() {
        let none = schema::DocumentInfo::default();
        assert!(not_a_disclosure(&none, &[], 0).is_some());
        assert!(not_a_disclosure(&none, &[], 1).is_none());
        let named = schema::DocumentInfo {
            entity: Some("某局".into()),
            ..schema::DocumentInfo::default()
        };
        assert!(not_a_disclosure(&named, &[], 0).is_none());
    }
}
