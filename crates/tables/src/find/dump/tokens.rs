//! Cells of a raw-pdftotext line, where one space parts two cells and two
//! spaces leave an empty one between them: the tokeniser both the
//! single-space table reader and the form reader use.

use crate::cells::{doubled_code, has_han, is_amount, is_code, is_han};

/// Split a raw-pdftotext line into cells: one space between cells, an empty
/// cell between two spaces; an amount glued to the text after it is split.
/// The final token after a trailing space is dropped (every cell is followed
/// by a space); the flag says it was there (the next cell is still open).
pub(super) fn single_cells(t: &str) -> (Vec<String>, bool) {
    let mut toks: Vec<String> = t.split(' ').map(str::to_string).collect();
    let open = t.ends_with(' ');
    if open {
        toks.pop();
    }
    let mut out: Vec<String> = Vec::with_capacity(toks.len());
    for tok in toks {
        // A name indented under its code ("30101   基本工资"): the run of
        // spaces between a code and its name is one gap, not empty cells.
        if has_han(&tok) && !tok.is_empty() {
            let empties = out.iter().rev().take_while(|c| c.is_empty()).count();
            let before = out.len() - empties;
            if empties >= 2 && before > 0 && out.get(before - 1).is_some_and(|c| is_code_cell(c)) {
                out.truncate(before);
            }
        }
        match split_glued(&tok) {
            Some((a, b)) => {
                out.push(a);
                out.push(b);
            }
            None => out.push(tok),
        }
    }
    (out, open)
}

/// A subject code, or one printed twice by an overprinting dump ("301301").
pub(super) fn is_code_cell(c: &str) -> bool {
    is_code(c) || doubled_code(c).is_some()
}

/// "773.07三、国防支出" → ("773.07", "三、国防支出").
fn split_glued(tok: &str) -> Option<(String, String)> {
    let p = tok.find(|c: char| is_han(c))?;
    let (a, b) = tok.split_at(p);
    (a.contains('.') && is_amount(a)).then(|| (a.to_string(), b.to_string()))
}
