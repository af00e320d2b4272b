//! PDF object syntax (ISO 32000-1 §7.3): bytes → `lopdf::Object`, one
//! object at a time, for the on-demand loader in [`super::reachable`].
//!
//! lopdf parses every object of a file when it opens it; we parse only the
//! objects extraction reaches, so we need a parser of our own that can start
//! at any offset. It reads exactly what lopdf's parser reads, to the same
//! values (integers as i64, reals as f32 with the same quirks, `#xx` in names,
//! escapes and line ends in literal strings, odd hex strings, the last of
//! duplicate keys), so a document loaded either way is the same document: a
//! test compares the two on every PDF we have. Anything this parser does not
//! accept makes the on-demand load give up, and the caller falls back to
//! lopdf's full load, which repairs what can be repaired. So strictness
//! here costs speed on odd files, never text.

use super::lexer::{is_regular, is_white};
use lopdf::{Dictionary, Object, StringFormat};

/// Nesting of arrays and dictionaries at most (below lopdf's 100, so
/// what we accept lopdf accepts too).
pub(crate) const MAX_DEPTH: usize = 64;
/// Nesting of parentheses inside a literal string at most (below lopdf's).
const MAX_PARENS: usize = 64;

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|v| v as u8)
}

/// A cursor over a file's bytes.
pub(crate) struct Parser<'a> {
    data: &'a [u8],
    pub pos: usize,
    /// An object was refused for nesting deeper than [`MAX_DEPTH`] (so the
    /// caller can say why, rather than "not found").
    pub too_deep: bool,
}

impl<'a> Parser<'a> {
    pub(crate) fn at(data: &'a [u8], pos: usize) -> Parser<'a> {
        Parser {
            data,
            pos,
            too_deep: false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    /// Skip white space and comments.
    pub(crate) fn space(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                // A comment runs to the end of the line; lopdf requires the
                // line end, so a comment at the very end is not skipped.
                let rest = self.rest();
                match rest.iter().position(|&c| c == b'\r' || c == b'\n') {
                    Some(n) => self.pos += n,
                    None => return,
                }
            } else {
                return;
            }
        }
    }

    /// Consume `word` if the input starts with it.
    pub(crate) fn eat(&mut self, word: &[u8]) -> bool {
        if self.rest().starts_with(word) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// An end of line: CR LF, LF or CR.
    pub(crate) fn eol(&mut self) -> bool {
        self.eat(b"\r\n") || self.eat(b"\n") || self.eat(b"\r")
    }

    /// A run of ASCII digits as an unsigned value (None if empty or too big).
    pub(crate) fn unsigned(&mut self) -> Option<u64> {
        let digits = self
            .rest()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        let mut v: u64 = 0;
        for &d in self.rest().get(..digits)? {
            v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        self.pos += digits;
        Some(v)
    }

    /// `n g` followed by `keyword` (`obj` or `R`), white space allowed
    /// between; the position is left after the keyword, or unchanged.
    pub(crate) fn id_then(&mut self, keyword: &[u8]) -> Option<(u32, u16)> {
        let start = self.pos;
        let parsed = (|| {
            let n = u32::try_from(self.unsigned()?).ok()?;
            self.space();
            let g = u16::try_from(self.unsigned()?).ok()?;
            self.space();
            self.eat(keyword).then_some((n, g))
        })();
        if parsed.is_none() {
            self.pos = start;
        }
        parsed
    }

    /// After a stream's dictionary: `stream`, its line end, `length` bytes
    /// of data, an optional line end and `endstream` (lopdf's framing; a
    /// wrong /Length is refused here and left to lopdf's repairs).
    pub(crate) fn stream_body(&mut self, length: usize) -> Option<&'a [u8]> {
        self.space();
        if !self.eat(b"stream") {
            return None;
        }
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        if !self.eol() {
            return None;
        }
        let body = self.data.get(self.pos..self.pos.checked_add(length)?)?;
        self.pos += length;
        self.eol();
        self.eat(b"endstream").then_some(body)
    }

    /// Whether a dictionary starts here.
    pub(crate) fn at_dictionary(&self) -> bool {
        self.rest().starts_with(b"<<")
    }

    /// Whether `stream` follows (after white space), without moving.
    pub(crate) fn at_stream(&self) -> bool {
        let mut p = Parser::at(self.data, self.pos);
        p.space();
        p.rest().starts_with(b"stream")
    }

    /// One direct object and the white space after it (None: not an
    /// object, or nested deeper than [`MAX_DEPTH`]).
    pub(crate) fn object(&mut self, depth: usize) -> Option<Object> {
        let o = self.bare(depth)?;
        self.space();
        Some(o)
    }

    /// A dictionary or stream dictionary, then white space.
    pub(crate) fn dictionary(&mut self, depth: usize) -> Option<Dictionary> {
        if depth == 0 {
            self.too_deep = true;
            return None;
        }
        if !self.eat(b"<<") {
            return None;
        }
        self.space();
        let mut dict = Dictionary::new();
        while self.peek() == Some(b'/') {
            let key = self.name()?;
            self.space();
            let value = self.object(depth - 1)?;
            dict.set(key, value);
        }
        self.eat(b">>").then_some(dict)
    }

    fn bare(&mut self, depth: usize) -> Option<Object> {
        if depth == 0 {
            self.too_deep = true;
            return None;
        }
        match self.peek()? {
            b'n' => self.eat(b"null").then_some(Object::Null),
            b't' => self.eat(b"true").then_some(Object::Boolean(true)),
            b'f' => self.eat(b"false").then_some(Object::Boolean(false)),
            b'0'..=b'9' => {
                if let Some(id) = self.id_then(b"R") {
                    return Some(Object::Reference(id));
                }
                self.number()
            }
            b'+' | b'-' | b'.' => self.number(),
            b'/' => self.name().map(Object::Name),
            b'(' => {
                self.pos += 1;
                let s = self.literal(MAX_PARENS)?;
                Some(Object::String(s, StringFormat::Literal))
            }
            b'<' if self.rest().starts_with(b"<<") => {
                self.dictionary(depth).map(Object::Dictionary)
            }
            b'<' => self.hex_string(),
            b'[' => {
                self.pos += 1;
                self.space();
                let mut items = Vec::new();
                while self.peek() != Some(b']') {
                    items.push(self.object(depth - 1)?);
                }
                self.pos += 1;
                Some(Object::Array(items))
            }
            _ => None,
        }
    }

    /// A real (sign, digits with a point, and lopdf's tolerance of a minus
    /// sign inside the fraction, "0.00-4142502") or else an integer.
    fn number(&mut self) -> Option<Object> {
        let start = self.pos;
        let rest = self.rest();
        let mut i = usize::from(matches!(rest.first(), Some(b'+' | b'-')));
        let int_digits = rest
            .get(i..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let real = if int_digits > 0 {
            rest.get(i + int_digits) == Some(&b'.')
        } else {
            rest.get(i) == Some(&b'.') && rest.get(i + 1).is_some_and(|b| b.is_ascii_digit())
        };
        if real {
            i += int_digits + 1;
            i += rest
                .get(i..)?
                .iter()
                .take_while(|&&b| b == b'-' || b.is_ascii_digit())
                .count();
            let text = rest.get(..i)?;
            let (&first, tail) = text.split_first()?;
            let value = if tail.contains(&b'-') {
                let mut digits = vec![first];
                digits.extend(tail.iter().filter(|&&c| c != b'-'));
                std::str::from_utf8(&digits).ok()?.parse::<f32>().ok()?
            } else {
                std::str::from_utf8(text).ok()?.parse::<f32>().ok()?
            };
            self.pos = start + i;
            return Some(Object::Real(value));
        }
        if int_digits == 0 {
            return None;
        }
        let negative = rest.first() == Some(&b'-');
        self.pos = start + i;
        let magnitude = self.unsigned()?;
        let value = if negative {
            0i64.checked_sub_unsigned(magnitude)?
        } else {
            i64::try_from(magnitude).ok()?
        };
        Some(Object::Integer(value))
    }

    /// A name after its `/`, `#xx` decoded; any other `#` ends it.
    fn name(&mut self) -> Option<Vec<u8>> {
        if !self.eat(b"/") {
            return None;
        }
        let mut out = Vec::new();
        loop {
            let rest = self.rest();
            let run = rest
                .iter()
                .position(|&c| c == b'#' || !is_regular(c))
                .unwrap_or(rest.len());
            out.extend_from_slice(rest.get(..run)?);
            self.pos += run;
            let rest = self.rest();
            match (
                rest.first(),
                rest.get(1).and_then(|&b| hex(b)),
                rest.get(2).and_then(|&b| hex(b)),
            ) {
                (Some(b'#'), Some(h), Some(l)) => {
                    out.push((h << 4) | l);
                    self.pos += 3;
                }
                _ => return Some(out),
            }
        }
    }

    /// A literal string's bytes after its `(`, through the closing `)`.
    fn literal(&mut self, parens: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let rest = self.rest();
            let run = rest
                .iter()
                .position(|&c| matches!(c, b'(' | b')' | b'\\' | b'\r' | b'\n'))?;
            out.extend_from_slice(rest.get(..run)?);
            self.pos += run;
            match self.peek()? {
                b')' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'(' => {
                    if parens == 0 {
                        return None;
                    }
                    self.pos += 1;
                    let inner = self.literal(parens - 1)?;
                    out.push(b'(');
                    out.extend_from_slice(&inner);
                    out.push(b')');
                }
                b'\\' => {
                    self.pos += 1;
                    let rest = self.rest();
                    let octal = rest
                        .iter()
                        .take(3)
                        .take_while(|b| (b'0'..=b'7').contains(b))
                        .count();
                    if octal > 0 {
                        let v = rest
                            .get(..octal)?
                            .iter()
                            .fold(0u16, |v, &d| v * 8 + u16::from(d - b'0'));
                        out.push(v as u8);
                        self.pos += octal;
                    } else if self.eol() {
                        // A backslash at the end of a line continues it.
                    } else {
                        let c = self.peek()?;
                        self.pos += 1;
                        out.push(match c {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => b'\x08',
                            b'f' => b'\x0C',
                            c => c,
                        });
                    }
                }
                _ => {
                    // An unescaped line end (CR, LF or CR LF) reads as LF.
                    self.eol();
                    out.push(b'\n');
                }
            }
        }
    }

    /// `<…>`: hex digits with white space between; an odd last digit is
    /// the high half of a byte.
    fn hex_string(&mut self) -> Option<Object> {
        if !self.eat(b"<") {
            return None;
        }
        let mut out = Vec::new();
        let mut high = true;
        loop {
            let b = self.peek()?;
            self.pos += 1;
            if b == b'>' {
                return Some(Object::String(out, StringFormat::Hexadecimal));
            }
            if is_white(b) {
                continue;
            }
            let v = hex(b)?;
            if high {
                out.push(v << 4);
            } else if let Some(last) = out.last_mut() {
                *last |= v;
            }
            high = !high;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<Object> {
        Parser::at(s.as_bytes(), 0).object(MAX_DEPTH)
    }

    #[test]
    fn reads_each_kind_of_object() {
        assert_eq!(parse("null"), Some(Object::Null));
        assert_eq!(parse("true "), Some(Object::Boolean(true)));
        assert_eq!(parse("-17"), Some(Object::Integer(-17)));
        assert_eq!(parse("+4"), Some(Object::Integer(4)));
        assert_eq!(parse("5."), Some(Object::Real(5.0)));
        assert_eq!(parse("-.25"), Some(Object::Real(-0.25)));
        assert_eq!(parse("0.00-4142502"), Some(Object::Real(0.004_142_502)));
        assert_eq!(parse("12 0 R"), Some(Object::Reference((12, 0))));
        assert_eq!(parse("/A#20B"), Some(Object::Name(b"A B".to_vec())));
        assert_eq!(
            parse("(a\\(b\\)\\101\\\r\nc\r\nd(e))"),
            Some(Object::String(
                b"a(b)Ac\nd(e)".to_vec(),
                StringFormat::Literal
            ))
        );
        assert_eq!(
            parse("<4 1 4>"),
            Some(Object::String(vec![0x41, 0x40], StringFormat::Hexadecimal))
        );
        let Some(Object::Array(a)) = parse("[1 2.5 3 0 R/N(x)<</K 1>>]") else {
            panic!("not an array");
        };
        assert_eq!(a.len(), 6);
        assert_eq!(a[0], Object::Integer(1));
        assert_eq!(a[1], Object::Real(2.5));
        assert_eq!(a[2], Object::Reference((3, 0)));
        assert_eq!(a[3], Object::Name(b"N".to_vec()));
    }

    #[test]
    fn later_duplicate_keys_win_and_comments_are_space() {
        let Some(Object::Dictionary(d)) = parse("<< /A 1 % note\n /A 2 /B [] >>") else {
            panic!("not a dictionary");
        };
        assert_eq!(d.get(b"A").ok(), Some(&Object::Integer(2)));
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn refuses_garbage_and_deep_nesting() {
        assert_eq!(parse("<< /A >>"), None);
        assert_eq!(parse("[1 2"), None);
        assert_eq!(parse("(unclosed"), None);
        assert_eq!(parse("<4G>"), None);
        assert_eq!(parse("99999999999999999999"), None);
        assert_eq!(parse(&"[".repeat(200)), None);
        assert_eq!(
            parse(&format!("{}{}", "(".repeat(150), ")".repeat(150))),
            None
        );
    }
}
