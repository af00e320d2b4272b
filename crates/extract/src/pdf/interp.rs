//! The content-stream interpreter: runs a page's operators with the full
//! graphics and text state and records what is painted: glyphs (through the
//! [`FontCache`]), ruling segments (through [`super::ruling`]) and images.
//!
//! Everything is computed straight into upright page coordinates: the initial
//! CTM is the page frame's matrix (crop box, /Rotate, y flipped), so each
//! point is transformed once. Text positioning follows ISO 32000-1 §9.4
//! (Trm = [Tfs·Th 0 0 Tfs 0 Ts] × Tm × CTM; tx = ((w0 − Tj/1000)·Tfs + Tc + Tw)·Th),
//! vertical fonts advance by w1 with the glyph displaced by (vx, vy) as in
//! §9.7.4.3; the approach (resolve resources once, decode via the font cache)
//! follows pdf.js `src/core/evaluator.js`. No code was copied.

use super::geometry::Matrix;
use super::lexer::{Lexer, Operand, Token};
use super::ruling::{PathBuilder, RulingSink};
use super::settings::Settings;
use crate::font::{DecodedChar, Font, FontCache};
use crate::geom::Rect;
use crate::glyph::{Direction, Glyph};
use crate::ruling::Ruling;
use crate::Limits;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// Most operands kept for one operator; more is garbage.
const MAX_OPERANDS: usize = 64;
/// Deepest q nesting kept (unbalanced `q` floods are ignored past this).
const MAX_GSTATE_STACK: usize = 1024;

/// How colour operands of `sc`/`scn` are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// One tint component of a spot colour: 0 = no ink (white), 1 = full ink.
    Tint,
    /// Patterns, indexed and other spaces: colour not tracked, taken as black.
    Other,
}

#[derive(Debug, Clone)]
struct GState {
    ctm: Matrix,
    /// Clip region as a box on the page (None = unclipped).
    clip: Option<Rect>,
    fill: [f32; 3],
    stroke: [f32; 3],
    fill_space: Space,
    stroke_space: Space,
    line_width: f32,
    font: Option<Arc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
    render_mode: u8,
}

/// What one page produced.
#[derive(Debug, Default)]
pub struct PageOutput {
    pub glyphs: Vec<Glyph>,
    pub rulings: Vec<Ruling>,
    pub images: u32,
    /// Where each image was painted (its unit square under the CTM), in page
    /// space: OCR layers are invisible text drawn over these.
    pub image_boxes: Vec<Rect>,
    /// The image XObjects painted, with the matrix that placed each (for OCR,
    /// which decodes the page image).
    pub image_placements: Vec<ImagePlacement>,
    /// Problems met that did not stop the page (limits hit, missing resources).
    pub warnings: Vec<String>,
    /// The page referred to an object the file does not hold (a damaged or
    /// truncated file).
    pub damaged: bool,
}

/// An image XObject as painted: the object and the matrix taking its unit
/// square to the upright page.
#[derive(Debug, Clone, Copy)]
pub struct ImagePlacement {
    pub id: lopdf::ObjectId,
    pub matrix: Matrix,
    pub rect: Rect,
}

/// Why interpretation stopped early.
#[derive(Debug)]
enum Stop {
    Limit(String),
}

pub struct Interpreter<'d, 'c> {
    doc: &'d Document,
    fonts: &'c mut FontCache,
    limits: &'c Limits,
    settings: Settings,
    /// The page box in page coordinates (0,0,w,h): glyphs outside are invisible.
    page_box: Rect,
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    path: PathBuilder,
    pending_clip: bool,
    ops: usize,
    /// Decompressed bytes charged to this page (content + form XObjects).
    stream_bytes: usize,
    xobject_stack: Vec<ObjectId>,
    /// Decoded content of the form XObjects drawn on this page, so a form
    /// drawn many times (a logo, a tick box) is decompressed and charged once.
    forms: HashMap<ObjectId, Rc<[u8]>>,
    decoded: Vec<DecodedChar>,
    /// Fonts resolved on this page: (resource dictionary address, name) → font.
    font_lookup: Vec<(usize, Vec<u8>, Arc<Font>)>,
    fallback_font: Arc<Font>,
    sink: RulingSink,
    out: PageOutput,
}

fn deref<'d>(doc: &'d Document, o: &'d Object) -> Option<&'d Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

/// `dict[key]` as a dictionary, following references.
pub(crate) fn get_dict<'d>(
    doc: &'d Document,
    dict: &'d Dictionary,
    key: &[u8],
) -> Option<&'d Dictionary> {
    let o = deref(doc, dict.get(key).ok()?)?;
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// The last `N` operands as numbers (extra leading garbage is common and
/// harmless), without allocating.
fn last_nums<const N: usize>(args: &[Operand<'_>]) -> Option<[f32; N]> {
    let s = args.get(args.len().checked_sub(N)?..)?;
    let mut out = [0f32; N];
    for (o, a) in out.iter_mut().zip(s) {
        *o = a.num()?;
    }
    Some(out)
}

fn cmyk_to_rgb(c: f32, m: f32, y: f32, k: f32) -> [f32; 3] {
    [
        (1.0 - c) * (1.0 - k),
        (1.0 - m) * (1.0 - k),
        (1.0 - y) * (1.0 - k),
    ]
}

fn clamp01(v: f32) -> f32 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn intersect(a: Option<Rect>, b: Rect) -> Option<Rect> {
    Some(match a {
        None => b,
        Some(a) => {
            let r = Rect {
                x0: a.x0.max(b.x0),
                y0: a.y0.max(b.y0),
                x1: a.x1.min(b.x1),
                y1: a.y1.min(b.y1),
            };
            if r.x0 > r.x1 || r.y0 > r.y1 {
                // Empty clip: keep it empty but well-formed.
                Rect {
                    x0: r.x0,
                    y0: r.y0,
                    x1: r.x0,
                    y1: r.y0,
                }
            } else {
                r
            }
        }
    })
}

impl<'d, 'c> Interpreter<'d, 'c> {
    pub fn new(
        doc: &'d Document,
        fonts: &'c mut FontCache,
        limits: &'c Limits,
        settings: Settings,
        page_matrix: Matrix,
        width: f32,
        height: f32,
    ) -> Interpreter<'d, 'c> {
        let page_box = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: width,
            y1: height,
        };
        Interpreter {
            doc,
            fonts,
            limits,
            settings,
            page_box,
            gs: GState {
                ctm: page_matrix,
                clip: None,
                fill: [0.0; 3],
                stroke: [0.0; 3],
                fill_space: Space::Gray,
                stroke_space: Space::Gray,
                line_width: 1.0,
                font: None,
                font_size: 0.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                h_scale: 1.0,
                leading: 0.0,
                rise: 0.0,
                render_mode: 0,
            },
            stack: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            path: PathBuilder::default(),
            pending_clip: false,
            ops: 0,
            stream_bytes: 0,
            xobject_stack: Vec::new(),
            forms: HashMap::new(),
            decoded: Vec::new(),
            font_lookup: Vec::new(),
            fallback_font: Arc::new(Font::fallback("unknown")),
            sink: RulingSink::new(settings, page_box),
            out: PageOutput::default(),
        }
    }

    /// Charge `n` decompressed bytes to the page; false when over the limit.
    pub fn charge_stream(&mut self, n: usize) -> bool {
        self.stream_bytes = self.stream_bytes.saturating_add(n);
        self.stream_bytes <= self.limits.max_stream_bytes
    }

    /// Interpret a page's content with its resources, then hand back the result.
    pub fn run_page(mut self, content: &[u8], res: Option<&'d Dictionary>) -> PageOutput {
        if let Err(Stop::Limit(msg)) = self.run(content, res) {
            self.out.warnings.push(msg);
        }
        self.out.rulings = self.sink.finish();
        self.out
    }

    fn run(&mut self, content: &[u8], res: Option<&'d Dictionary>) -> Result<(), Stop> {
        let mut lexer = Lexer::new(content);
        let mut operands: Vec<Operand<'_>> = Vec::with_capacity(8);
        let base_depth = self.stack.len();
        while let Some(tok) = lexer.next_token() {
            match tok {
                Token::Operand(o) => {
                    if operands.len() < MAX_OPERANDS {
                        operands.push(o);
                    }
                }
                Token::InlineImage => {
                    self.count_op()?;
                    self.paint_image(None);
                    operands.clear();
                }
                Token::Operator(op) => {
                    self.count_op()?;
                    self.operator(op, &operands, res)?;
                    operands.clear();
                }
            }
        }
        // Unbalanced q inside a form must not leak out of it.
        while self.stack.len() > base_depth {
            if let Some(g) = self.stack.pop() {
                self.gs = g;
            }
        }
        Ok(())
    }

    fn count_op(&mut self) -> Result<(), Stop> {
        self.ops += 1;
        if self.ops > self.limits.max_operators_per_page {
            return Err(Stop::Limit(format!(
                "page stopped after {} operators: {}",
                self.limits.max_operators_per_page,
                crate::limits::hit("max_operators_per_page", self.limits.max_operators_per_page)
            )));
        }
        // A clock read costs tens of nanoseconds: once per 4096 operators.
        if self.ops.is_multiple_of(4096) && self.limits.expired() {
            return Err(Stop::Limit(format!(
                "page stopped after {} operators (time budget exhausted)",
                self.ops
            )));
        }
        Ok(())
    }

    fn operator(
        &mut self,
        op: &[u8],
        args: &[Operand<'_>],
        res: Option<&'d Dictionary>,
    ) -> Result<(), Stop> {
        let n = |i: usize| -> f32 { args.get(i).and_then(Operand::num).unwrap_or(0.0) };
        match op {
            // ---- graphics state
            b"q" if self.stack.len() < MAX_GSTATE_STACK => self.stack.push(self.gs.clone()),
            b"q" => {}
            b"Q" => {
                if let Some(g) = self.stack.pop() {
                    self.gs = g;
                }
            }
            b"cm" => {
                if let Some(m) = last_nums::<6>(args).and_then(|v| Matrix::from_slice(&v)) {
                    self.gs.ctm = m.then(&self.gs.ctm);
                }
            }
            b"w" => self.gs.line_width = n(0).abs(),
            b"gs" => self.ext_gstate(args, res),
            // ---- colour
            b"g" => self.gs.fill = [clamp01(n(0)); 3],
            b"G" => self.gs.stroke = [clamp01(n(0)); 3],
            b"rg" => {
                if let Some(v) = last_nums::<3>(args) {
                    self.gs.fill = [clamp01(v[0]), clamp01(v[1]), clamp01(v[2])];
                    self.gs.fill_space = Space::Rgb;
                }
            }
            b"RG" => {
                if let Some(v) = last_nums::<3>(args) {
                    self.gs.stroke = [clamp01(v[0]), clamp01(v[1]), clamp01(v[2])];
                    self.gs.stroke_space = Space::Rgb;
                }
            }
            b"k" => {
                if let Some(v) = last_nums::<4>(args) {
                    self.gs.fill = cmyk_to_rgb(v[0], v[1], v[2], v[3]).map(clamp01);
                    self.gs.fill_space = Space::Cmyk;
                }
            }
            b"K" => {
                if let Some(v) = last_nums::<4>(args) {
                    self.gs.stroke = cmyk_to_rgb(v[0], v[1], v[2], v[3]).map(clamp01);
                    self.gs.stroke_space = Space::Cmyk;
                }
            }
            b"cs" | b"CS" => {
                let space = match args.last() {
                    Some(Operand::Name(name)) => self.color_space(name, res),
                    _ => Space::Other,
                };
                // Setting a space resets the colour to its initial value (black,
                // or full tint for spot colours).
                if op == b"cs" {
                    self.gs.fill_space = space;
                    self.gs.fill = [0.0; 3];
                } else {
                    self.gs.stroke_space = space;
                    self.gs.stroke = [0.0; 3];
                }
            }
            b"sc" | b"scn" | b"SC" | b"SCN" => {
                // Up to four components (a pattern name may follow them).
                let nums: Vec<f32> = args.iter().filter_map(Operand::num).take(4).collect();
                let nums = nums.as_slice();
                let fill = op.first() == Some(&b's');
                let space = if fill {
                    self.gs.fill_space
                } else {
                    self.gs.stroke_space
                };
                let rgb = match (space, nums) {
                    (Space::Tint, [t, ..]) => Some([clamp01(1.0 - t); 3]),
                    (Space::Gray, [g, ..]) => Some([clamp01(*g); 3]),
                    (Space::Rgb, [r, g, b, ..]) => Some([clamp01(*r), clamp01(*g), clamp01(*b)]),
                    (Space::Cmyk, [c, m, y, k, ..]) => {
                        Some(cmyk_to_rgb(*c, *m, *y, *k).map(clamp01))
                    }
                    (Space::Other, _) => Some([0.0; 3]),
                    _ => None,
                };
                if let Some(rgb) = rgb {
                    if fill {
                        self.gs.fill = rgb;
                    } else {
                        self.gs.stroke = rgb;
                    }
                }
            }
            // ---- paths
            b"m" => {
                let (x, y) = self.gs.ctm.apply(n(0), n(1));
                self.path.move_to(x, y);
            }
            b"l" => {
                let (x, y) = self.gs.ctm.apply(n(0), n(1));
                self.path.line_to(x, y);
            }
            b"c" => {
                let (x, y) = self.gs.ctm.apply(n(4), n(5));
                self.path.curve_to(x, y);
            }
            b"v" | b"y" => {
                let (x, y) = self.gs.ctm.apply(n(2), n(3));
                self.path.curve_to(x, y);
            }
            b"h" => self.path.close(),
            b"re" => {
                let (x, y, w, h) = (n(0), n(1), n(2), n(3));
                let ctm = self.gs.ctm;
                self.path.rect([
                    ctm.apply(x, y),
                    ctm.apply(x + w, y),
                    ctm.apply(x + w, y + h),
                    ctm.apply(x, y + h),
                ]);
            }
            b"S" => self.paint(false, true, false),
            b"s" => self.paint(false, true, true),
            b"f" | b"F" | b"f*" => self.paint(true, false, true),
            b"B" | b"B*" => self.paint(true, true, false),
            b"b" | b"b*" => self.paint(true, true, true),
            b"n" => self.paint(false, false, false),
            b"W" | b"W*" => self.pending_clip = true,
            // ---- text state
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"ET" => {}
            b"Tc" => self.gs.char_spacing = n(0),
            b"Tw" => self.gs.word_spacing = n(0),
            b"Tz" => self.gs.h_scale = n(0) / 100.0,
            b"TL" => self.gs.leading = n(0),
            b"Ts" => self.gs.rise = n(0),
            b"Tr" => self.gs.render_mode = n(0).clamp(0.0, 7.0) as u8,
            b"Tf" => {
                self.gs.font_size = n(1);
                if let Some(Operand::Name(name)) = args.first() {
                    self.gs.font = Some(self.resolve_font(name, res));
                }
            }
            b"Td" => self.td(n(0), n(1)),
            b"TD" => {
                self.gs.leading = -n(1);
                self.td(n(0), n(1));
            }
            b"Tm" => {
                if let Some(m) = last_nums::<6>(args).and_then(|v| Matrix::from_slice(&v)) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            b"T*" => self.td(0.0, -self.gs.leading),
            b"Tj" => {
                if let Some(Operand::Str(s)) = args.last() {
                    self.show(s)?;
                }
            }
            b"'" => {
                self.td(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = args.last() {
                    self.show(s)?;
                }
            }
            b"\"" => {
                self.gs.word_spacing = n(0);
                self.gs.char_spacing = n(1);
                self.td(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = args.last() {
                    self.show(s)?;
                }
            }
            b"TJ" => {
                if let Some(Operand::Array(items)) = args.last() {
                    for it in items {
                        match it {
                            Operand::Str(s) => self.show(s)?,
                            Operand::Num(adj) => self.adjust(*adj),
                            _ => {}
                        }
                    }
                }
            }
            // ---- XObjects
            b"Do" => {
                if let Some(Operand::Name(name)) = args.last() {
                    self.do_xobject(name, res)?;
                }
            }
            // Marked content, shading, Type 3 metrics, compatibility: nothing to record.
            _ => {}
        }
        Ok(())
    }

    fn ext_gstate(&mut self, args: &[Operand<'_>], res: Option<&'d Dictionary>) {
        let Some(Operand::Name(name)) = args.last() else {
            return;
        };
        let doc = self.doc;
        let Some(gs) = res
            .and_then(|r| get_dict(doc, r, b"ExtGState"))
            .and_then(|d| get_dict(doc, d, name))
        else {
            return;
        };
        if let Some(lw) = gs.get(b"LW").ok().and_then(|o| o.as_float().ok()) {
            if lw.is_finite() {
                self.gs.line_width = lw.abs();
            }
        }
        if let Ok(Object::Array(f)) = gs.get(b"Font") {
            if let (Some(font), Some(size)) = (f.first(), f.get(1).and_then(|s| s.as_float().ok()))
            {
                let loaded = self.fonts.get(doc, font, b"ExtGState", self.limits);
                self.gs.font = Some(loaded);
                self.gs.font_size = size;
            }
        }
    }

    fn color_space(&self, name: &[u8], res: Option<&'d Dictionary>) -> Space {
        match name {
            b"DeviceGray" | b"CalGray" | b"G" => return Space::Gray,
            b"DeviceRGB" | b"CalRGB" | b"RGB" => return Space::Rgb,
            b"DeviceCMYK" | b"CMYK" => return Space::Cmyk,
            _ => {}
        }
        let doc = self.doc;
        let Some(cs) = res
            .and_then(|r| get_dict(doc, r, b"ColorSpace"))
            .and_then(|d| d.get(name).ok())
            .and_then(|o| deref(doc, o))
        else {
            return Space::Other;
        };
        let arr = match cs {
            Object::Array(a) => a,
            Object::Name(n) => {
                return match n.as_slice() {
                    b"DeviceGray" | b"CalGray" => Space::Gray,
                    b"DeviceRGB" | b"CalRGB" => Space::Rgb,
                    b"DeviceCMYK" => Space::Cmyk,
                    _ => Space::Other,
                }
            }
            _ => return Space::Other,
        };
        match arr.first().and_then(|o| o.as_name().ok()) {
            Some(b"Separation") => Space::Tint,
            Some(b"CalGray") => Space::Gray,
            Some(b"CalRGB") | Some(b"Lab") => Space::Rgb,
            Some(b"ICCBased") => {
                let comps = arr
                    .get(1)
                    .and_then(|o| deref(doc, o))
                    .and_then(|o| o.as_stream().ok())
                    .and_then(|s| s.dict.get(b"N").ok())
                    .and_then(|o| o.as_i64().ok());
                match comps {
                    Some(1) => Space::Gray,
                    Some(4) => Space::Cmyk,
                    _ => Space::Rgb,
                }
            }
            _ => Space::Other,
        }
    }

    fn resolve_font(&mut self, name: &[u8], res: Option<&'d Dictionary>) -> Arc<Font> {
        let key = res.map_or(0, |r| r as *const Dictionary as usize);
        if let Some((_, _, f)) = self
            .font_lookup
            .iter()
            .find(|(k, n, _)| *k == key && n.as_slice() == name)
        {
            return f.clone();
        }
        let doc = self.doc;
        let obj = res
            .and_then(|r| get_dict(doc, r, b"Font"))
            .and_then(|d| d.get(name).ok());
        let font = match obj {
            // A reference to an object the file lost: reading its codes as
            // Latin-1 would make up text, so the text is left out.
            Some(Object::Reference(id)) if doc.get_object(*id).is_err() => {
                self.out.damaged = true;
                self.out.warnings.push(format!(
                    "damaged PDF: font /{} ({} {} R) is missing; its text is left out",
                    String::from_utf8_lossy(name),
                    id.0,
                    id.1
                ));
                Arc::new(Font::missing(&String::from_utf8_lossy(name)))
            }
            Some(o) => self.fonts.get(doc, o, name, self.limits),
            None => {
                self.out.warnings.push(format!(
                    "font /{} not in the page resources",
                    String::from_utf8_lossy(name)
                ));
                Arc::new(Font::fallback(&String::from_utf8_lossy(name)))
            }
        };
        if self.font_lookup.len() < 4096 {
            self.font_lookup.push((key, name.to_vec(), font.clone()));
        }
        font
    }

    fn td(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix::translate(tx, ty).then(&self.tlm);
        self.tm = self.tlm;
    }

    /// A TJ number: move the pen back by `adj` thousandths of the font size.
    fn adjust(&mut self, adj: f32) {
        let gs = &self.gs;
        let vertical = gs.font.as_ref().is_some_and(|f| f.vertical);
        if vertical {
            let ty = -adj / 1000.0 * gs.font_size;
            self.tm = Matrix::translate(0.0, ty).then(&self.tm);
        } else {
            let tx = -adj / 1000.0 * gs.font_size * gs.h_scale;
            self.tm = Matrix::translate(tx, 0.0).then(&self.tm);
        }
    }

    fn show(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        let font = self
            .gs
            .font
            .clone()
            .unwrap_or_else(|| self.fallback_font.clone());
        // Decode no more codes than the glyph budget can take (a code is at
        // most four bytes): a 50 MB string would otherwise be decoded whole
        // before the glyph limit stops it.
        let max = self.limits.max_glyphs_per_page;
        let budget = max
            .saturating_sub(self.out.glyphs.len())
            .saturating_add(1)
            .saturating_mul(4);
        let shown = bytes.get(..budget).unwrap_or(bytes);
        let mut decoded = std::mem::take(&mut self.decoded);
        decoded.clear();
        font.decode_into(shown, &mut decoded);
        let result = self.place_glyphs(&font, &mut decoded);
        self.decoded = decoded;
        result?;
        if shown.len() < bytes.len() {
            return Err(Stop::Limit(format!(
                "page stopped in a string of {} bytes: {}",
                bytes.len(),
                crate::limits::hit("max_glyphs_per_page", max)
            )));
        }
        Ok(())
    }

    fn place_glyphs(&mut self, font: &Font, decoded: &mut Vec<DecodedChar>) -> Result<(), Stop> {
        let tfs = self.gs.font_size;
        let th = self.gs.h_scale;
        let text_to_page = Matrix::new(tfs * th, 0.0, 0.0, tfs, 0.0, self.gs.rise);
        let mode = self.gs.render_mode;
        let fill = self.gs.fill;
        let white = fill.iter().all(|&c| c >= self.settings.white_level);
        let direction = if font.vertical {
            Direction::Vertical
        } else {
            Direction::Horizontal
        };
        for ch in decoded.drain(..) {
            let trm = text_to_page.then(&self.tm).then(&self.gs.ctm);
            let spacing = self.gs.char_spacing
                + if ch.is_word_space {
                    self.gs.word_spacing
                } else {
                    0.0
                };
            let (bbox, advance_v) = match (font.vertical, ch.vertical) {
                (true, vm) => {
                    let (vx, vy, w1) = match vm {
                        Some(v) => (v.vx, v.vy, v.advance),
                        None => (ch.width / 2.0, font.ascent, -1.0),
                    };
                    // Text space (before Tfs·Th): glyph origin displaced by −v.
                    let b =
                        trm.transform_rect(-vx, font.descent - vy, ch.width - vx, font.ascent - vy);
                    (b, Some(w1 * tfs + spacing))
                }
                (false, _) => (
                    trm.transform_rect(0.0, font.descent, ch.width, font.ascent),
                    None,
                ),
            };
            match advance_v {
                Some(ty) => self.tm = Matrix::translate(0.0, ty).then(&self.tm),
                None => {
                    let tx = (ch.width * tfs + spacing) * th;
                    self.tm = Matrix::translate(tx, 0.0).then(&self.tm);
                }
            }
            if !bbox.is_finite() {
                continue;
            }
            if self.out.glyphs.len() >= self.limits.max_glyphs_per_page {
                return Err(Stop::Limit(format!(
                    "page stopped after {} glyphs: {}",
                    self.limits.max_glyphs_per_page,
                    crate::limits::hit("max_glyphs_per_page", self.limits.max_glyphs_per_page)
                )));
            }
            let (cx, cy) = (bbox.center_x(), bbox.center_y());
            let clipped = self.gs.clip.is_some_and(|c| !c.contains(cx, cy));
            let visible =
                mode != 3 && mode != 7 && !clipped && !white && self.page_box.contains(cx, cy);
            let size = (trm.c * trm.c + trm.d * trm.d).sqrt();
            self.out.glyphs.push(Glyph {
                text: ch.unicode,
                bbox,
                font: font.name.clone(),
                size,
                render_mode: mode,
                fill,
                visible,
                direction,
            });
        }
        Ok(())
    }

    /// Paint (or just end) the current path: strokes and filled rectangles
    /// become rulings; a pending W applies its clip afterwards.
    fn paint(&mut self, fill: bool, stroke: bool, close: bool) {
        if close {
            self.path.close();
        }
        if stroke {
            let width = self.gs.line_width * self.gs.ctm.scale();
            self.sink
                .stroke(&self.path, width, self.gs.stroke, self.gs.clip);
        }
        if fill {
            self.sink
                .fill(&self.path, self.gs.fill, self.gs.clip, stroke);
        }
        if self.pending_clip {
            self.pending_clip = false;
            let b = self.path.bounds().unwrap_or(Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 0.0,
                y1: 0.0,
            });
            self.gs.clip = intersect(self.gs.clip, b);
        }
        self.path.clear();
    }

    /// A form's content stream, decompressed within what is left of the
    /// page's stream budget (None: unreadable, skip the form).
    fn decode_form(&mut self, stream: &lopdf::Stream) -> Result<Option<Vec<u8>>, Stop> {
        let max = self.limits.max_stream_bytes;
        let too_big = || {
            Stop::Limit(format!(
                "decompressed page content is too large: {}",
                crate::limits::hit("max_stream_bytes", max)
            ))
        };
        let remaining = self
            .limits
            .max_stream_bytes
            .saturating_sub(self.stream_bytes);
        let content = match stream.decompressed_content_with_limit(remaining) {
            Ok(c) => c,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => return Err(too_big()),
            // Undecodable: viewers try the raw bytes.
            Err(_) if stream.content.len() <= remaining => stream.content.clone(),
            Err(_) => return Ok(None),
        };
        if !self.charge_stream(content.len()) {
            return Err(too_big());
        }
        Ok(Some(content))
    }

    /// Count an image and keep where it lands on the page.
    fn paint_image(&mut self, id: Option<lopdf::ObjectId>) {
        self.out.images += 1;
        let m = self.gs.ctm;
        let pts = [
            m.apply(0.0, 0.0),
            m.apply(1.0, 0.0),
            m.apply(0.0, 1.0),
            m.apply(1.0, 1.0),
        ];
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in pts {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let r = Rect { x0, y0, x1, y1 };
        if r.is_finite() && self.out.image_boxes.len() < 64 {
            self.out.image_boxes.push(r);
            if let Some(id) = id {
                self.out.image_placements.push(ImagePlacement {
                    id,
                    matrix: m,
                    rect: r,
                });
            }
        }
    }

    fn do_xobject(&mut self, name: &[u8], res: Option<&'d Dictionary>) -> Result<(), Stop> {
        let doc = self.doc;
        let Some(entry) = res
            .and_then(|r| get_dict(doc, r, b"XObject"))
            .and_then(|d| d.get(name).ok())
        else {
            return Ok(());
        };
        let id = entry.as_reference().ok();
        let Some(stream) = deref(doc, entry).and_then(|o| o.as_stream().ok()) else {
            return Ok(());
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => {
                self.paint_image(id);
                return Ok(());
            }
            Ok(b"Form") => {}
            _ => return Ok(()),
        }
        if self.xobject_stack.len() >= self.limits.max_xobject_depth {
            self.out
                .warnings
                .push("form XObjects nested too deep; inner ones skipped".into());
            return Ok(());
        }
        if let Some(id) = id {
            if self.xobject_stack.contains(&id) {
                self.out.warnings.push(format!(
                    "form XObject {} {} draws itself; cycle cut",
                    id.0, id.1
                ));
                return Ok(());
            }
        }
        let content = match id.and_then(|id| self.forms.get(&id)) {
            Some(c) => c.clone(),
            None => {
                let Some(c) = self.decode_form(stream)? else {
                    return Ok(());
                };
                let c: Rc<[u8]> = c.into();
                if let Some(id) = id {
                    self.forms.insert(id, c.clone());
                }
                c
            }
        };
        let matrix = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| {
                let v: Option<Vec<f32>> = a.iter().map(|o| o.as_float().ok()).collect();
                v.and_then(|v| Matrix::from_slice(&v))
            })
            .unwrap_or(Matrix::IDENTITY);
        let own_res = match stream.dict.get(b"Resources") {
            Ok(o) => match deref(doc, o) {
                Some(Object::Dictionary(d)) => Some(d),
                _ => res,
            },
            Err(_) => res,
        };
        let saved = self.gs.clone();
        let saved_path = std::mem::take(&mut self.path);
        self.gs.ctm = matrix.then(&self.gs.ctm);
        if let Ok(bbox) = stream.dict.get(b"BBox").and_then(Object::as_array) {
            let v: Vec<f32> = bbox.iter().filter_map(|o| o.as_float().ok()).collect();
            if let [x0, y0, x1, y1] = v[..] {
                if [x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
                    let b = self.gs.ctm.transform_rect(x0, y0, x1, y1);
                    self.gs.clip = intersect(self.gs.clip, b);
                }
            }
        }
        self.xobject_stack.push(id.unwrap_or((0, 0)));
        let r = self.run(&content, own_res);
        self.xobject_stack.pop();
        self.gs = saved;
        self.path = saved_path;
        r
    }
}
