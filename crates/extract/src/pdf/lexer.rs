//! A content-stream tokenizer: bytes → operands and operators, borrowing from
//! the decoded stream wherever it can.
//!
//! Written instead of using lopdf's `Content::decode` because that allocates a
//! `String` per operator and an `Object` per operand, and gives no say over
//! nesting depth or inline-image data. Lenient like viewers: unknown bytes are
//! skipped, unbalanced brackets end the array, nothing here can fail.

use std::borrow::Cow;

/// Deepest array/dictionary nesting parsed as structure; deeper brackets are
/// ignored so hostile input cannot overflow the stack.
const MAX_NESTING: usize = 32;
/// Most elements kept in one array operand (a TJ array); the rest is skipped.
const MAX_ARRAY_LEN: usize = 1 << 16;

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Num(f32),
    Name(&'a [u8]),
    Str(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    Bool(bool),
    Null,
    /// A dictionary (marked-content properties); its content is not needed.
    Dict,
}

impl Operand<'_> {
    pub fn num(&self) -> Option<f32> {
        match self {
            Operand::Num(n) => Some(*n),
            _ => None,
        }
    }
}

/// What the lexer yields.
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    Operand(Operand<'a>),
    Operator(&'a [u8]),
    /// A whole inline image (BI … ID data EI), already skipped.
    InlineImage,
}

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

/// PDF white space (ISO 32000-1 §7.2.2), shared with [`super::syntax`].
pub(crate) fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(crate) fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_white(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if !is_regular(b) {
                break;
            }
            self.pos += 1;
        }
        self.data.get(start..self.pos).unwrap_or(&[])
    }

    /// The next token, or `None` at the end of the data.
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            self.skip_white();
            let b = self.peek()?;
            match b {
                b'[' | b'(' | b'/' | b'<' => return Some(Token::Operand(self.operand(0)?)),
                b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    return Some(Token::Operand(Operand::Num(self.number())))
                }
                b']' | b')' | b'>' | b'{' | b'}' => {
                    // Stray delimiter: skip it.
                    self.pos += 1;
                }
                _ => {
                    let word = self.regular_run();
                    if word.is_empty() {
                        self.pos += 1;
                        continue;
                    }
                    return Some(match word {
                        b"true" => Token::Operand(Operand::Bool(true)),
                        b"false" => Token::Operand(Operand::Bool(false)),
                        b"null" => Token::Operand(Operand::Null),
                        b"BI" => {
                            self.skip_inline_image();
                            Token::InlineImage
                        }
                        _ => Token::Operator(word),
                    });
                }
            }
        }
    }

    /// One operand starting at the current position (`depth` = enclosing arrays).
    fn operand(&mut self, depth: usize) -> Option<Operand<'a>> {
        self.skip_white();
        let b = self.peek()?;
        Some(match b {
            b'/' => {
                self.pos += 1;
                Operand::Name(self.regular_run())
            }
            b'(' => Operand::Str(self.literal_string()),
            b'<' => {
                if self.data.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    self.skip_dict(depth + 1);
                    Operand::Dict
                } else {
                    Operand::Str(Cow::Owned(self.hex_string()))
                }
            }
            b'[' => {
                self.pos += 1;
                Operand::Array(self.array(depth + 1))
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => Operand::Num(self.number()),
            _ => {
                let word = self.regular_run();
                if word.is_empty() {
                    self.pos += 1;
                }
                match word {
                    b"true" => Operand::Bool(true),
                    b"false" => Operand::Bool(false),
                    _ => Operand::Null,
                }
            }
        })
    }

    fn array(&mut self, depth: usize) -> Vec<Operand<'a>> {
        let mut items = Vec::new();
        loop {
            self.skip_white();
            match self.peek() {
                None => return items,
                Some(b']') => {
                    self.pos += 1;
                    return items;
                }
                Some(b'[') if depth >= MAX_NESTING => {
                    // Too deep: flatten instead of recursing.
                    self.pos += 1;
                }
                Some(b')' | b'>' | b'{' | b'}') => self.pos += 1,
                Some(_) => {
                    let before = self.pos;
                    let op = self.operand(depth);
                    if self.pos == before {
                        self.pos += 1;
                    }
                    if let Some(op) = op {
                        if items.len() < MAX_ARRAY_LEN {
                            items.push(op);
                        }
                    }
                }
            }
        }
    }

    /// Skip a dictionary body (after `<<`) up to its matching `>>`.
    fn skip_dict(&mut self, depth: usize) {
        loop {
            self.skip_white();
            match self.peek() {
                None => return,
                Some(b'>') => {
                    self.pos += 1;
                    if self.peek() == Some(b'>') {
                        self.pos += 1;
                    }
                    return;
                }
                Some(b'<') if self.data.get(self.pos + 1) == Some(&b'<') => {
                    self.pos += 2;
                    if depth < MAX_NESTING {
                        self.skip_dict(depth + 1);
                    }
                }
                Some(b'[') if depth >= MAX_NESTING => self.pos += 1,
                Some(b']' | b')' | b'{' | b'}') => self.pos += 1,
                Some(_) => {
                    let before = self.pos;
                    let _ = self.operand(depth);
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
    }

    /// A number, leniently: `-.5`, `+3`, `1.` all read; garbage reads as 0.
    fn number(&mut self) -> f32 {
        let mut neg = false;
        let mut int: f64 = 0.0;
        let mut frac: f64 = 0.0;
        let mut scale: f64 = 1.0;
        let mut seen_dot = false;
        // Signs (repeated signs happen in broken producers: "--5").
        while let Some(b @ (b'+' | b'-')) = self.peek() {
            if b == b'-' {
                neg = !neg;
            }
            self.pos += 1;
        }
        while let Some(b) = self.peek() {
            match b {
                b'0'..=b'9' => {
                    let d = f64::from(b - b'0');
                    if seen_dot {
                        scale /= 10.0;
                        frac += d * scale;
                    } else {
                        int = int * 10.0 + d;
                    }
                }
                b'.' if !seen_dot => seen_dot = true,
                _ => break,
            }
            self.pos += 1;
        }
        let v = int + frac;
        let v = if neg { -v } else { v };
        // Clamp to f32 range: infinities would poison every matrix after them.
        if v.is_finite() {
            v.clamp(-1e30, 1e30) as f32
        } else {
            0.0
        }
    }

    fn literal_string(&mut self) -> Cow<'a, [u8]> {
        // Called at '('.
        self.pos += 1;
        let start = self.pos;
        let mut depth = 1usize;
        let mut escaped = false;
        // First pass: find the end; see whether there are escapes.
        let mut i = self.pos;
        while let Some(&b) = self.data.get(i) {
            match b {
                b'\\' => {
                    escaped = true;
                    i += 1;
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        let end = i.min(self.data.len());
        self.pos = (end + 1).min(self.data.len());
        let raw = self.data.get(start..end).unwrap_or(&[]);
        if !escaped {
            return Cow::Borrowed(raw);
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut j = 0;
        while let Some(&b) = raw.get(j) {
            j += 1;
            if b != b'\\' {
                out.push(b);
                continue;
            }
            let Some(&e) = raw.get(j) else { break };
            j += 1;
            match e {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'\r' => {
                    if raw.get(j) == Some(&b'\n') {
                        j += 1;
                    }
                }
                b'\n' => {}
                b'0'..=b'7' => {
                    let mut v = u32::from(e - b'0');
                    for _ in 0..2 {
                        match raw.get(j) {
                            Some(&d @ b'0'..=b'7') => {
                                v = v * 8 + u32::from(d - b'0');
                                j += 1;
                            }
                            _ => break,
                        }
                    }
                    out.push((v & 0xff) as u8);
                }
                other => out.push(other),
            }
        }
        Cow::Owned(out)
    }

    fn hex_string(&mut self) -> Vec<u8> {
        // Called at '<'.
        self.pos += 1;
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(v) = hex_val(b) {
                match hi.take() {
                    Some(h) => out.push(h << 4 | v),
                    None => hi = Some(v),
                }
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    /// Skip an inline image: its dictionary up to `ID`, then the data up to an
    /// `EI` that stands alone between whitespace (or at the end).
    fn skip_inline_image(&mut self) {
        loop {
            self.skip_white();
            match self.peek() {
                None => return,
                Some(b) if is_regular(b) => {
                    let w = self.regular_run();
                    if w == b"ID" {
                        break;
                    }
                    if w == b"EI" {
                        return;
                    }
                }
                Some(_) => {
                    let before = self.pos;
                    let _ = self.operand(0);
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
        // One whitespace byte follows ID.
        self.pos += 1;
        let data = self.data;
        let mut i = self.pos;
        while i + 1 < data.len() {
            if data[i] == b'E'
                && data[i + 1] == b'I'
                && i > 0
                && is_white(data[i - 1])
                && data.get(i + 2).is_none_or(|&c| is_white(c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = data.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &[u8]) -> Vec<Token<'_>> {
        let mut l = Lexer::new(s);
        std::iter::from_fn(|| l.next_token()).collect()
    }

    #[test]
    fn reads_operands_and_operators() {
        let t =
            tokens(b"BT /F1 12 Tf 1 0 0 1 -72.5 .5 Tm (a\\(b\\)\\101) Tj [(x) -120 <4E2d>] TJ ET");
        assert_eq!(t[0], Token::Operator(b"BT"));
        assert_eq!(t[1], Token::Operand(Operand::Name(b"F1")));
        assert_eq!(t[2], Token::Operand(Operand::Num(12.0)));
        assert_eq!(t[8], Token::Operand(Operand::Num(-72.5)));
        assert_eq!(t[9], Token::Operand(Operand::Num(0.5)));
        assert_eq!(
            t[11],
            Token::Operand(Operand::Str(Cow::Owned(b"a(b)A".to_vec())))
        );
        match &t[13] {
            Token::Operand(Operand::Array(a)) => {
                assert_eq!(a.len(), 3);
                assert_eq!(a[2], Operand::Str(Cow::Owned(vec![0x4e, 0x2d])));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(t.last(), Some(&Token::Operator(b"ET")));
    }

    #[test]
    fn skips_inline_images_and_dicts() {
        let t = tokens(
            b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xff EI Q /P <</MCID 3 /X <</Y 1>> >> BDC",
        );
        assert_eq!(
            t,
            vec![
                Token::Operator(b"q"),
                Token::InlineImage,
                Token::Operator(b"Q"),
                Token::Operand(Operand::Name(b"P")),
                Token::Operand(Operand::Dict),
                Token::Operator(b"BDC"),
            ]
        );
    }

    #[test]
    fn survives_deep_nesting_and_garbage() {
        let mut s = vec![b'['; 100_000];
        s.extend_from_slice(b"1 2 ) > } (unterminated");
        let t = tokens(&s);
        assert!(!t.is_empty());
        let t = tokens(b"<< << <<");
        assert_eq!(t, vec![Token::Operand(Operand::Dict)]);
    }
}
