//! CMaps: how a shown string splits into character codes (codespace ranges
//! of 1 to 4 bytes), which CID a code selects, and which Unicode text a code
//! stands for (ToUnicode).
//!
//! Embedded CMaps (ToUnicode streams, and /Encoding streams of Type0 fonts)
//! are parsed here by a small lenient tokenizer: a malformed entry is skipped,
//! not fatal, as pdf.js's `cmap.js` does (ideas taken from there: codespace
//! matching byte by byte from the shortest length up, `bfrange` with a
//! destination array, a `bfrange` destination incremented in its last
//! character, `usecmap` of a predefined CMap). Predefined CMaps (GBK-EUC-H,
//! UniGB-UTF16-H, Adobe-GB1-UCS2, …) are `hayro-cmap`'s, turned into compact
//! tables at build time (build.rs, read by [`super::predef`]) so that a run
//! does not decompress hayro's whole bundle.

use super::predef::{CodeTable, Unicode, UnicodeTable};
use hayro_cmap::{CMapName, CidFamily};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// One codespace range: codes of `len` bytes whose every byte lies between
/// the corresponding bytes of `low` and `high`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct CodeRange {
    len: u8,
    low: [u8; 4],
    high: [u8; 4],
}

impl CodeRange {
    fn new(low: &[u8], high: &[u8]) -> Option<CodeRange> {
        if low.is_empty() || low.len() > 4 || low.len() != high.len() {
            return None;
        }
        let mut r = CodeRange {
            len: low.len() as u8,
            low: [0; 4],
            high: [0; 4],
        };
        r.low[..low.len()].copy_from_slice(low);
        r.high[..high.len()].copy_from_slice(high);
        Some(r)
    }

    fn matches(&self, bytes: &[u8]) -> bool {
        bytes.len() == self.len as usize
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| self.low[i] <= *b && *b <= self.high[i])
    }
}

/// How strings split into codes.
#[derive(Debug, Clone)]
pub(crate) struct CodeSpace {
    ranges: Vec<CodeRange>,
    /// For each first byte: the code length when every range admitting that
    /// first byte agrees on one (the common case, decided by one lookup);
    /// 0 when the full byte-by-byte check is needed.
    by_first: [u8; 256],
    /// Length used for a byte sequence no range admits.
    fallback_len: u8,
}

impl CodeSpace {
    pub(crate) fn fixed(len: u8) -> CodeSpace {
        let len = len.clamp(1, 4);
        let r = CodeRange {
            len,
            low: [0; 4],
            high: [0xFF; 4],
        };
        CodeSpace::from_ranges(vec![r])
    }

    fn from_ranges(ranges: Vec<CodeRange>) -> CodeSpace {
        let mut by_first = [0u8; 256];
        for (b, slot) in by_first.iter_mut().enumerate() {
            let b = b as u8;
            let mut lens = ranges
                .iter()
                .filter(|r| r.low[0] <= b && b <= r.high[0])
                .map(|r| r.len);
            if let Some(first) = lens.next() {
                if lens.all(|l| l == first) {
                    *slot = first;
                }
            }
        }
        let fallback_len = ranges.iter().map(|r| r.len).min().unwrap_or(1);
        CodeSpace {
            ranges,
            by_first,
            fallback_len,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The next code of `bytes` (which must not be empty): its value and its
    /// length in bytes (at least 1, at most `bytes.len()`).
    pub(crate) fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        let Some(&first) = bytes.first() else {
            return (0, 1);
        };
        let mut n = self.by_first[first as usize] as usize;
        if n == 0 {
            n = (1..=bytes.len().min(4))
                .find(|&n| self.ranges.iter().any(|r| r.matches(&bytes[..n])))
                .unwrap_or_else(|| {
                    // Nothing admits these bytes: the shortest length of a
                    // range that admits the first byte keeps later codes
                    // aligned; else the shortest length of all.
                    self.ranges
                        .iter()
                        .filter(|r| r.low[0] <= first && first <= r.high[0])
                        .map(|r| r.len as usize)
                        .min()
                        .unwrap_or(self.fallback_len as usize)
                });
        }
        let n = n.clamp(1, bytes.len());
        let code = bytes[..n].iter().fold(0u32, |c, &b| (c << 8) | b as u32);
        (code, n)
    }
}

/// Unicode text of one ToUnicode entry, for a range of codes: the text of
/// code `start + k` is `prefix` followed by the character `last + k`.
#[derive(Debug, Clone)]
struct BfRange {
    start: u32,
    end: u32,
    prefix: Box<str>,
    last: u32,
}

/// A parsed embedded CMap (ToUnicode, or a Type0 /Encoding stream).
#[derive(Debug, Clone, Default)]
pub(crate) struct EmbeddedCMap {
    codespace: Vec<CodeRange>,
    /// Single codes (bfchar, array bfrange): code → text. Later entries win.
    singles: HashMap<u32, Box<str>>,
    /// Ranges (bfrange with a string destination), sorted by start.
    ranges: Vec<BfRange>,
    /// CID ranges (cidrange/cidchar): (start, end, first cid), sorted.
    cids: Vec<(u32, u32, u32)>,
    pub(crate) vertical: bool,
    /// Name given to `usecmap` (a predefined CMap).
    pub(crate) usecmap: Option<Vec<u8>>,
}

impl EmbeddedCMap {
    /// Whether the CMap says anything about Unicode.
    pub(crate) fn has_unicode(&self) -> bool {
        !self.singles.is_empty() || !self.ranges.is_empty()
    }

    pub(crate) fn has_cids(&self) -> bool {
        !self.cids.is_empty()
    }

    /// The codespace of this CMap; empty when it declares none.
    pub(crate) fn codespace(&self) -> CodeSpace {
        CodeSpace::from_ranges(self.codespace.clone())
    }

    pub(crate) fn declares_codespace(&self) -> bool {
        !self.codespace.is_empty()
    }

    /// The Unicode text of `code`, appended to `out`; false when unmapped.
    pub(crate) fn unicode_into(&self, code: u32, out: &mut String) -> bool {
        if let Some(s) = self.singles.get(&code) {
            out.push_str(s);
            return true;
        }
        let i = self.ranges.partition_point(|r| r.start <= code);
        // Overlapping ranges are rare; look back a little for one containing code.
        for r in self.ranges[..i].iter().rev().take(8) {
            if code <= r.end {
                let Some(c) = r.last.checked_add(code - r.start).and_then(char::from_u32) else {
                    return false;
                };
                out.push_str(&r.prefix);
                out.push(c);
                return true;
            }
        }
        false
    }

    /// The CID of `code` per cidrange/cidchar entries.
    pub(crate) fn cid(&self, code: u32) -> Option<u32> {
        let i = self.cids.partition_point(|r| r.0 <= code);
        self.cids[..i]
            .iter()
            .rev()
            .take(8)
            .find(|r| code <= r.1)
            .map(|r| r.2.saturating_add(code - r.0))
    }

    /// Parse CMap text leniently. Never fails: unreadable parts are skipped.
    pub(crate) fn parse(data: &[u8]) -> EmbeddedCMap {
        let mut cmap = EmbeddedCMap::default();
        let mut lx = Lexer { data, pos: 0 };
        let mut prev: Option<Tok<'_>> = None;
        let mut prev2: Option<Tok<'_>> = None;
        while let Some(tok) = lx.next() {
            if let Tok::Op(op) = tok {
                match op {
                    b"begincodespacerange" => cmap.read_codespace(&mut lx),
                    b"beginbfchar" => cmap.read_bfchar(&mut lx),
                    b"beginbfrange" => cmap.read_bfrange(&mut lx),
                    b"begincidchar" => cmap.read_cidchar(&mut lx),
                    b"begincidrange" => cmap.read_cidrange(&mut lx),
                    b"usecmap" => {
                        if let Some(Tok::Name(n)) = &prev {
                            cmap.usecmap = Some(n.to_vec());
                        }
                    }
                    b"def" => {
                        if let (Some(Tok::Name(b"WMode")), Some(Tok::Num(v))) = (&prev2, &prev) {
                            cmap.vertical = *v == 1.0;
                        }
                    }
                    _ => {}
                }
            }
            prev2 = prev.take();
            prev = Some(tok);
        }
        cmap.ranges.sort_by_key(|r| r.start);
        cmap.cids.sort_by_key(|r| r.0);
        cmap
    }

    fn read_codespace(&mut self, lx: &mut Lexer<'_>) {
        let mut pending: Option<Vec<u8>> = None;
        while let Some(tok) = lx.next() {
            match tok {
                Tok::Op(b"endcodespacerange") => return,
                Tok::Str(s) => match pending.take() {
                    None => pending = Some(s),
                    Some(low) => {
                        if let Some(r) = CodeRange::new(&low, &s) {
                            self.codespace.push(r);
                        }
                    }
                },
                Tok::Op(_) => return,
                _ => {}
            }
        }
    }

    fn read_bfchar(&mut self, lx: &mut Lexer<'_>) {
        let mut src: Option<u32> = None;
        while let Some(tok) = lx.next() {
            match tok {
                Tok::Op(b"endbfchar") => return,
                Tok::Str(s) => match src.take() {
                    None => src = code_of(&s),
                    Some(code) => {
                        let text = utf16_text(&s);
                        self.singles.insert(code, text.into());
                    }
                },
                Tok::Name(n) => {
                    // pdf.js accepts a glyph name as destination.
                    if let Some(code) = src.take() {
                        if let Some(text) = super::glyph_names::glyph_name_to_unicode(n) {
                            self.singles.insert(code, text.into());
                        }
                    }
                }
                Tok::Op(_) => return,
                _ => {}
            }
        }
    }

    fn read_bfrange(&mut self, lx: &mut Lexer<'_>) {
        let mut lo: Option<u32> = None;
        let mut hi: Option<u32> = None;
        while let Some(tok) = lx.next() {
            match tok {
                Tok::Op(b"endbfrange") => return,
                Tok::Str(s) => {
                    if lo.is_none() {
                        lo = Some(code_of(&s).unwrap_or(u32::MAX));
                    } else if hi.is_none() {
                        hi = Some(code_of(&s).unwrap_or(0));
                    } else {
                        let (Some(l), Some(h)) = (lo.take(), hi.take()) else {
                            continue;
                        };
                        if l > h {
                            continue;
                        }
                        let text = utf16_text(&s);
                        let mut chars: Vec<char> = text.chars().collect();
                        // `<0000> <FFFF> <0000>` (tesseract's and other
                        // OCR layers' identity map) starts at U+0000, which
                        // the text drops: the range starts there all the same.
                        let last = match (chars.pop(), s.as_slice()) {
                            (Some(c), _) => Some(c as u32),
                            (None, [a, b]) => Some(u32::from(u16::from_be_bytes([*a, *b]))),
                            (None, _) => None,
                        };
                        if let Some(last) = last {
                            self.ranges.push(BfRange {
                                start: l,
                                end: h,
                                prefix: chars.into_iter().collect::<String>().into(),
                                last,
                            });
                        }
                    }
                }
                Tok::ArrOpen => {
                    let (Some(l), Some(h)) = (lo.take(), hi.take()) else {
                        continue;
                    };
                    let mut code = l;
                    while let Some(t) = lx.next() {
                        match t {
                            Tok::ArrClose => break,
                            Tok::Str(s) => {
                                if code <= h {
                                    self.singles.insert(code, utf16_text(&s).into());
                                }
                                code = code.saturating_add(1);
                            }
                            Tok::Name(n) => {
                                if code <= h {
                                    if let Some(t) = super::glyph_names::glyph_name_to_unicode(n) {
                                        self.singles.insert(code, t.into());
                                    }
                                }
                                code = code.saturating_add(1);
                            }
                            Tok::Op(_) => return,
                            _ => {}
                        }
                    }
                }
                Tok::Op(_) => return,
                _ => {}
            }
        }
    }

    fn read_cidchar(&mut self, lx: &mut Lexer<'_>) {
        let mut src: Option<u32> = None;
        while let Some(tok) = lx.next() {
            match tok {
                Tok::Op(b"endcidchar") => return,
                Tok::Str(s) => src = code_of(&s),
                Tok::Num(v) => {
                    if let Some(code) = src.take() {
                        if v >= 0.0 && v < u32::MAX as f64 {
                            self.cids.push((code, code, v as u32));
                        }
                    }
                }
                Tok::Op(_) => return,
                _ => {}
            }
        }
    }

    fn read_cidrange(&mut self, lx: &mut Lexer<'_>) {
        let mut lo: Option<u32> = None;
        let mut hi: Option<u32> = None;
        while let Some(tok) = lx.next() {
            match tok {
                Tok::Op(b"endcidrange") => return,
                Tok::Str(s) => {
                    if lo.is_none() {
                        lo = code_of(&s);
                    } else {
                        hi = code_of(&s);
                    }
                }
                Tok::Num(v) => {
                    if let (Some(l), Some(h)) = (lo.take(), hi.take()) {
                        if l <= h && v >= 0.0 && v < u32::MAX as f64 {
                            self.cids.push((l, h, v as u32));
                        }
                    }
                }
                Tok::Op(_) => return,
                _ => {}
            }
        }
    }
}

/// A code from the bytes of a CMap string (1 to 4 bytes).
fn code_of(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some(bytes.iter().fold(0u32, |c, &b| (c << 8) | b as u32))
}

/// The text of a ToUnicode destination: UTF-16BE (an odd leading byte stands
/// for itself, as some producers write one-byte destinations); NULs, which
/// zero-padded UCS-4 writers leave, are dropped.
pub(crate) fn utf16_text(bytes: &[u8]) -> String {
    let mut units = Vec::with_capacity(bytes.len() / 2 + 1);
    let mut rest = bytes;
    if rest.len() % 2 == 1 {
        units.push(rest[0] as u16);
        rest = &rest[1..];
    }
    units.extend(
        rest.chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]])),
    );
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .filter(|&c| c != '\0')
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Str(Vec<u8>),
    Name(&'a [u8]),
    Num(f64),
    Op(&'a [u8]),
    ArrOpen,
    ArrClose,
}

/// PostScript-ish tokens of a CMap. Dictionaries delimiters are dropped:
/// only the begin…end sections and a few `def`s matter.
struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Option<Tok<'a>> {
        loop {
            let b = *self.data.get(self.pos)?;
            match b {
                b if b.is_ascii_whitespace() || b == 0 => self.pos += 1,
                b'%' => {
                    while let Some(&c) = self.data.get(self.pos) {
                        if c == b'\n' || c == b'\r' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'[' => {
                    self.pos += 1;
                    return Some(Tok::ArrOpen);
                }
                b']' => {
                    self.pos += 1;
                    return Some(Tok::ArrClose);
                }
                b'{' | b'}' | b')' | b'>' => self.pos += 1,
                b'<' => {
                    if self.data.get(self.pos + 1) == Some(&b'<') {
                        self.pos += 2;
                        continue;
                    }
                    self.pos += 1;
                    return Some(Tok::Str(self.hex()));
                }
                b'(' => {
                    self.pos += 1;
                    return Some(Tok::Str(self.literal()));
                }
                b'/' => {
                    self.pos += 1;
                    return Some(Tok::Name(self.word()));
                }
                _ => {
                    let w = self.word();
                    if w.is_empty() {
                        self.pos += 1;
                        continue;
                    }
                    if let Some(v) = std::str::from_utf8(w)
                        .ok()
                        .and_then(|s| s.parse::<f64>().ok())
                    {
                        return Some(Tok::Num(v));
                    }
                    return Some(Tok::Op(w));
                }
            }
        }
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(&c) = self.data.get(self.pos) {
            if c.is_ascii_whitespace() || c == 0 || is_delim(c) {
                break;
            }
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn hex(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while let Some(&c) = self.data.get(self.pos) {
            self.pos += 1;
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                b'>' => break,
                _ => continue,
            };
            match hi.take() {
                None => hi = Some(v),
                Some(h) => out.push(h << 4 | v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    fn literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(&c) = self.data.get(self.pos) {
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = self.data.get(self.pos) else {
                        break;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' | b'\n' => {}
                        _ => out.push(e),
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }
}

/// A predefined CMap: build.rs's compact table of what hayro-cmap answers
/// (see [`super::predef`]), or Identity-H/V.
#[derive(Debug)]
pub(crate) struct Predefined {
    /// None for Identity-H/V (2-byte codes are their CIDs).
    table: Option<CodeTable>,
    pub(crate) codespace: CodeSpace,
    pub(crate) vertical: bool,
    /// Character collection of the CIDs this CMap produces.
    pub(crate) family: Option<CidFamily>,
    /// Uni*-UCS2 / Uni*-UTF16 CMaps: the codes are Unicode themselves.
    pub(crate) codes_are_unicode: bool,
    /// GB family byte encodings (GBK, GBKp, GBK2K, GB-EUC, GBpc): codes are
    /// GBK/GB18030 bytes, decodable by encoding_rs when a CID fails.
    pub(crate) codes_are_gbk: bool,
}

type PredefinedCache = Mutex<HashMap<Vec<u8>, Arc<Predefined>>>;

/// A predefined CMap by name, opened once per process (they are immutable
/// and several documents share them). Only CMaps that exist are kept: the
/// name comes from the file, and a miss is a cheap lookup in the built-in
/// table, so a corpus of made-up names cannot grow the cache.
pub(crate) fn predefined(name: &[u8]) -> Option<Arc<Predefined>> {
    static CACHE: OnceLock<PredefinedCache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(map) = cache.lock() {
        if let Some(hit) = map.get(name) {
            return Some(hit.clone());
        }
    }
    let loaded = Arc::new(load_predefined(name)?);
    if let Ok(mut map) = cache.lock() {
        map.insert(name.to_vec(), loaded.clone());
    }
    Some(loaded)
}

fn load_predefined(name: &[u8]) -> Option<Predefined> {
    let (table, codespace, vertical, family) = match name {
        b"Identity-H" | b"Identity-V" => (
            None,
            CodeSpace::fixed(2),
            name == b"Identity-V",
            Some(CidFamily::AdobeIdentity),
        ),
        _ => {
            let t = CodeTable::find(name)?;
            let ranges: Vec<CodeRange> = t
                .codespace
                .iter()
                .filter_map(|(low, high)| CodeRange::new(low, high))
                .collect();
            if ranges.is_empty() {
                return None;
            }
            let (vertical, family) = (t.vertical, t.family.clone());
            (Some(t), CodeSpace::from_ranges(ranges), vertical, family)
        }
    };
    let vertical = vertical || name.ends_with(b"-V");
    let codes_are_unicode =
        name.starts_with(b"Uni") && (contains(name, b"-UCS2-") || contains(name, b"-UTF16-"));
    let codes_are_gbk = name.starts_with(b"GB") && !name.starts_with(b"GBT");
    Some(Predefined {
        table,
        codespace,
        vertical,
        family,
        codes_are_unicode,
        codes_are_gbk,
    })
}

impl Predefined {
    /// The CID of a code of `len` bytes.
    pub(crate) fn cid(&self, code: u32, len: usize) -> Option<u32> {
        match &self.table {
            Some(t) => t.cid(code, len),
            None => (len == 2 && code <= 0xFFFF).then_some(code),
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// CID → Unicode of a character collection (Adobe-GB1-UCS2, …).
#[derive(Debug)]
pub(crate) struct Ucs2 {
    table: UnicodeTable,
}

impl Ucs2 {
    /// Append the text of `cid`; false when the table has none.
    pub(crate) fn push_unicode(&self, cid: u32, out: &mut String) -> bool {
        match self.table.get(cid) {
            Some(Unicode::Char(c)) => out.push(c),
            Some(Unicode::Str(s)) => out.push_str(s),
            None => return false,
        }
        true
    }
}

/// CID → Unicode through the character collection's UCS2 CMap
/// (Adobe-GB1-UCS2, …), opened once per process.
pub(crate) fn ucs2_for(family: &CidFamily) -> Option<Arc<Ucs2>> {
    type Ucs2Cache = Mutex<HashMap<&'static [u8], Option<Arc<Ucs2>>>>;
    static CACHE: OnceLock<Ucs2Cache> = OnceLock::new();
    let key: &'static [u8] = match family.ucs2_cmap()? {
        CMapName::AdobeGb1Ucs2 => b"Adobe-GB1-UCS2",
        CMapName::AdobeCns1Ucs2 => b"Adobe-CNS1-UCS2",
        CMapName::AdobeJapan1Ucs2 => b"Adobe-Japan1-UCS2",
        CMapName::AdobeKorea1Ucs2 => b"Adobe-Korea1-UCS2",
        _ => return None,
    };
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(map) = cache.lock() {
        if let Some(hit) = map.get(key) {
            return hit.clone();
        }
    }
    let loaded = UnicodeTable::find(key).map(|table| Arc::new(Ucs2 { table }));
    if let Ok(mut map) = cache.lock() {
        map.insert(key, loaded.clone());
    }
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_range_from_zero_maps_codes_to_themselves() {
        // What `tesseract … pdf` writes for its GlyphLessFont.
        let cm = EmbeddedCMap::parse(
            b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
              1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n",
        );
        assert!(cm.has_unicode());
        let mut out = String::new();
        assert!(cm.unicode_into(0x4E00, &mut out));
        assert_eq!(out, "一");
    }

    #[test]
    fn bfrange_with_array_and_increment() {
        let cm = EmbeddedCMap::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfrange\n<0003> <0005> [<4E00> <00660069> <D840DC00>]\n\
              <0010> <0012> <6D45>\nendbfrange\n\
              1 beginbfchar <0020> <8C08> endbfchar endcmap",
        );
        let get = |c| {
            let mut s = String::new();
            cm.unicode_into(c, &mut s).then_some(s)
        };
        assert_eq!(get(3).as_deref(), Some("一"));
        assert_eq!(get(4).as_deref(), Some("fi"));
        assert_eq!(get(5).as_deref(), Some("\u{20000}"));
        assert_eq!(get(0x10).as_deref(), Some("浅"));
        assert_eq!(get(0x12).as_deref(), Some("浇"));
        assert_eq!(get(0x20).as_deref(), Some("谈"));
        assert_eq!(get(0x13), None);
    }

    #[test]
    fn codespace_mixed_one_and_two_bytes() {
        let cm =
            EmbeddedCMap::parse(b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange");
        let cs = cm.codespace();
        let bytes = [0x41u8, 0xC7, 0xB3, 0x20, 0xCC, 0xB8];
        let mut codes = vec![];
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            let (c, n) = cs.next_code(rest);
            codes.push((c, n));
            rest = &rest[n..];
        }
        assert_eq!(codes, vec![(0x41, 1), (0xC7B3, 2), (0x20, 1), (0xCCB8, 2)]);
    }

    #[test]
    fn codespace_ambiguous_first_byte_checks_every_byte() {
        // First byte 0x81 starts 2-byte codes (second byte 0x40..0xFE) and
        // 4-byte codes (second byte 0x30..0x39), as in GBK2K.
        let cm = EmbeddedCMap::parse(
            b"3 begincodespacerange <00> <80> <8140> <FEFE> <81308130> <FE39FE39> endcodespacerange",
        );
        let cs = cm.codespace();
        assert_eq!(cs.next_code(&[0x81, 0x40, 0x41]), (0x8140, 2));
        assert_eq!(cs.next_code(&[0x81, 0x30, 0x81, 0x30]), (0x8130_8130, 4));
        assert_eq!(cs.next_code(&[0x20, 0x81]), (0x20, 1));
    }

    #[test]
    fn predefined_gbk_codespace_and_cids() {
        let p = predefined(b"GBK-EUC-H").unwrap();
        assert_eq!(p.codespace.next_code(&[0xC7, 0xB3]), (0xC7B3, 2));
        assert_eq!(p.codespace.next_code(&[0x41, 0xC7]), (0x41, 1));
        let cid = p.cid(0xC7B3, 2).unwrap();
        let h = hayro_cmap::CMap::parse(
            hayro_cmap::load_embedded(CMapName::GbkEucH).unwrap(),
            hayro_cmap::load_embedded,
        )
        .unwrap();
        assert_eq!(Some(cid), h.lookup_cid_code(0xC7B3, 2));
        assert_eq!(p.cid(0x41, 1), h.lookup_cid_code(0x41, 1));
        assert_eq!(p.cid(0xFFFF, 2), None);
        let ucs2 = ucs2_for(p.family.as_ref().unwrap()).unwrap();
        let mut s = String::new();
        assert!(ucs2.push_unicode(cid, &mut s));
        assert_eq!(s, "浅");
        assert!(p.codes_are_gbk);
        let v = predefined(b"GBK-EUC-V").unwrap();
        assert!(v.vertical);
        assert_eq!(v.codespace.next_code(&[0xC7, 0xB3]), (0xC7B3, 2));
        let u = predefined(b"UniGB-UTF16-H").unwrap();
        assert!(u.codes_are_unicode);
        assert_eq!(u.codespace.next_code(&[0x76, 0xEE]), (0x76EE, 2));
        assert_eq!(
            u.codespace.next_code(&[0xD8, 0x40, 0xDC, 0x00]),
            (0xD840_DC00, 4)
        );
    }

    #[test]
    fn mutated_cmap_text_does_not_panic() {
        let base: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            /CMapName /X def /WMode 1 def\n\
            2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange\n\
            2 beginbfrange <0003> <0005> [<4E00> <00660069> <D840DC00>] <0010> <0012> <6D45> endbfrange\n\
            1 beginbfchar <0020> <8C08> endbfchar 1 begincidrange <8140> <FEFE> 100 endcidrange\n\
            1 begincidchar <41> 34 endcidchar (a\\(b\\)c) /GBK-EUC-H usecmap endcmap";
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..500 {
            let mut data = base.to_vec();
            for _ in 0..(1 + round % 6) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let i = (state as usize) % data.len();
                data[i] = (state >> 32) as u8;
            }
            let cm = EmbeddedCMap::parse(&data);
            let cs = cm.codespace();
            let mut rest = &data[..];
            while !rest.is_empty() {
                let (code, n) = cs.next_code(rest);
                let mut s = String::new();
                cm.unicode_into(code, &mut s);
                let _ = cm.cid(code);
                rest = &rest[n..];
            }
        }
    }

    #[test]
    fn hostile_cmap_text_does_not_panic() {
        for data in [
            &b"begincodespacerange <0> endcodespacerange beginbfrange <00> <FF> [ (x"[..],
            b"beginbfrange <FFFFFFFF> <00> <41> endbfrange beginbfchar <> <> endbfchar",
            b"((((\\",
            b"<<<<>>>> begincidrange <00> <FF> -5 <01> <02> 1e99 endcidrange",
        ] {
            let cm = EmbeddedCMap::parse(data);
            let mut s = String::new();
            cm.unicode_into(0, &mut s);
            let _ = cm.cid(0xFF);
            let cs = cm.codespace();
            let _ = cs.next_code(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        }
    }
}
