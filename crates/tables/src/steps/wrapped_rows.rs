//! Wrapped rows merged (step `wrapped_rows`): a code on a line of its own, a
//! name that wrapped, amounts on the next line ([`crate::rows::merge_wrapped`]).

use crate::rows::{column_roles, merge_wrapped};
use crate::settings::Settings;
use crate::table::{RawTable, Repair, SPLIT_ROW_MERGED};

/// Merge the lines of each logical row into one row.
pub fn wrapped_rows(raw: &mut RawTable, _settings: &Settings) -> Vec<Repair> {
    let width = raw.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let k = raw.header_len();
    let body = raw.rows.split_off(k);
    let roles = column_roles(&body, width);
    let (body, merges) = merge_wrapped(body, &roles);
    let repairs = merges
        .into_iter()
        .map(|m| Repair {
            kind: SPLIT_ROW_MERGED.into(),
            page: Some(m.page),
            // The merged row, by its first raw row (see the steps' module).
            row: body.get(m.into).and_then(|r| r.origins.first().copied()),
            detail: m.detail,
        })
        .collect();
    raw.rows.extend(body);
    repairs
}
