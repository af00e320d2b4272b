//! Hostile-input corpus: malformed files generated here, each read with the
//! normal entry point. Nothing may panic; limits must stop floods and bombs;
//! errors must be the typed ones. Set `GONGKAI_CORPUS_OUT=dir` to also write
//! the corpus to disk (seeds for the fuzz target).

use super::fixtures::{one_page, one_page_with, PdfBuilder};
use crate::{ExtractError, Limits, Options};
use std::io::Write;

fn valid() -> Vec<u8> {
    one_page(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET 0 0 m 100 0 l S", "")
}

fn deflate(data: impl Iterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for chunk in data {
        enc.write_all(&chunk).unwrap();
    }
    enc.finish().unwrap()
}

fn encrypted(user: &str) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(&valid()).unwrap();
    doc.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::string_literal(b"0123456789abcdef".to_vec()),
            lopdf::Object::string_literal(b"0123456789abcdef".to_vec()),
        ]),
    );
    let version = lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: user,
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    };
    let state = lopdf::EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A chain of forms 6..=16, each drawing the next `fan` times: `fan^11`
/// draws if nothing stopped it.
fn xobject_fan(fan: usize) -> Vec<u8> {
    one_page_with(b"/X1 Do", "", |b| {
        for id in 6..=16 {
            let body = "/N Do ".repeat(fan);
            let res = format!("/Resources << /XObject << /N {} 0 R >> >>", id + 1);
            b.stream(
                id,
                &format!("/Type /XObject /Subtype /Form /BBox [0 0 600 800] {res}"),
                body.as_bytes(),
            );
        }
        b.stream(
            17,
            "/Type /XObject /Subtype /Form /BBox [0 0 600 800]",
            b"0 0 m 1 1 l S",
        );
    })
}

/// The corpus: (name, bytes, limits to read with).
fn corpus() -> Vec<(&'static str, Vec<u8>, Limits)> {
    let d = Limits::default();
    let small = Limits {
        max_stream_bytes: 1 << 20,
        max_operators_per_page: 20_000,
        max_glyphs_per_page: 1_000,
        ..Limits::default()
    };
    let v = valid();
    let cut = |f: f64| v[..(v.len() as f64 * f) as usize].to_vec();
    let mut garbage = Vec::with_capacity(8192);
    let mut x: u32 = 12345;
    for _ in 0..8192 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        garbage.push((x >> 16) as u8);
    }
    let mut garbage_pdf = b"%PDF-1.4\n".to_vec();
    garbage_pdf.extend_from_slice(&garbage);
    let broken_xref = {
        let s = String::from_utf8_lossy(&v).into_owned();
        let i = s.rfind("startxref\n").unwrap();
        let mut out = s[..i].to_string();
        out.push_str("startxref\n999999\n%%EOF\n");
        let out = out.replace("0000000009 00000 n", "0000000001 00000 n");
        out.into_bytes()
    };
    let deep_object = {
        let mut b = PdfBuilder::new();
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .obj(
                3,
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Foo {} >>",
                    "[".repeat(50_000)
                ),
            );
        b.finish(1)
    };
    let deep_content = one_page(format!("{} TJ", "[".repeat(200_000)).as_bytes(), "");
    let cycles =
        {
            let mut b = PdfBuilder::new();
            b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 /Parent 2 0 R >>")
            .obj(
                3,
                "<< /Type /Page /Parent 2 0 R /Resources 9 0 R /Contents 4 0 R /MediaBox 10 0 R >>",
            )
            .stream(4, "", b"BT /F1 12 Tf (A) Tj ET")
            .obj(9, "9 0 R")
            .obj(10, "11 0 R")
            .obj(11, "10 0 R");
            b.finish(1)
        };
    let bomb_page = {
        let data = deflate((0..300).map(|_| vec![b' '; 1 << 20]));
        let mut b = PdfBuilder::new();
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>")
            .obj(
                3,
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R >>",
            )
            .stream(4, "/Filter /FlateDecode", &data)
            .obj(
                5,
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 6 0 R \
                 /Resources << /Font << /F1 7 0 R >> >> >>",
            )
            .stream(6, "", b"BT /F1 12 Tf 72 700 Td (Second) Tj ET")
            .obj(7, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        b.finish(1)
    };
    let op_flood = one_page("0 0 m 1 1 l ".repeat(50_000).as_bytes(), "");
    let q_flood = one_page("q ".repeat(100_000).as_bytes(), "");
    let glyph_flood = one_page(
        format!("BT /F1 1 Tf ({}) Tj ET", "A".repeat(100_000)).as_bytes(),
        "",
    );
    let self_cycle = one_page_with(b"/X1 Do", "", |b| {
        b.stream(
            6,
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 6 0 R >> >>",
            b"/X1 Do",
        );
    });
    let huge_numbers = one_page(
        b"99999999999999999999999999999999999999999999 0 0 999999999999999999999999999 0 0 cm \
          BT /F1 1000000000000 Tf 1e9 1e9 Td (AB) Tj ET 0 0 1e30 1e30 re f",
        "",
    );
    let unterminated = one_page(b"BT /F1 12 Tf (abc BI /W 1 ID xxxx", "");
    let bad_boxes = one_page(
        b"BT /F1 12 Tf (A) Tj ET",
        "/CropBox [0 0 -5 /x] /Rotate 45 /MediaBox [1 2 3]",
    );
    let image_only = one_page_with(b"q 600 0 0 800 0 0 cm /Im Do Q", "", |b| {
        b.stream(
            8,
            "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8",
            b"\x00",
        );
    });
    vec![
        ("empty", Vec::new(), d.clone()),
        ("garbage", garbage, d.clone()),
        ("zeros", vec![0u8; 4096], d.clone()),
        ("header only", b"%PDF-1.7\n".to_vec(), d.clone()),
        ("header then garbage", garbage_pdf, d.clone()),
        ("truncated 10%", cut(0.10), d.clone()),
        ("truncated 40%", cut(0.40), d.clone()),
        ("truncated 70%", cut(0.70), d.clone()),
        ("truncated 95%", cut(0.95), d.clone()),
        ("broken xref", broken_xref, d.clone()),
        ("deep nesting (object)", deep_object, d.clone()),
        ("deep nesting (content)", deep_content, d.clone()),
        ("reference cycles", cycles, d.clone()),
        ("decompression bomb", bomb_page, d.clone()),
        ("operator flood", op_flood, small.clone()),
        ("q flood", q_flood, d.clone()),
        ("glyph flood", glyph_flood, small.clone()),
        ("xobject self cycle", self_cycle, d.clone()),
        ("xobject fan-out", xobject_fan(10), small.clone()),
        ("huge numbers", huge_numbers, d.clone()),
        ("unterminated string and image", unterminated, d.clone()),
        ("bad page boxes", bad_boxes, d.clone()),
        ("image only", image_only, d.clone()),
        ("encrypted, password", encrypted("secret"), d.clone()),
        ("encrypted, empty password", encrypted(""), d),
    ]
}

fn peak_rss_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn hostile_corpus_never_panics_and_stays_bounded() {
    let corpus = corpus();
    assert!(corpus.len() >= 15);
    if let Some(dir) = std::env::var_os("GONGKAI_CORPUS_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        for (i, (name, bytes, _)) in corpus.iter().enumerate() {
            let file = format!(
                "{i:02}-{}.pdf",
                name.replace([' ', ',', '(', ')', '%'], "_")
            );
            std::fs::write(std::path::Path::new(&dir).join(file), bytes).unwrap();
        }
    }
    let mut results = Vec::new();
    for (name, bytes, limits) in &corpus {
        let opts = Options {
            limits: limits.clone(),
            pages: None,
            ocr: Default::default(),
        };
        let r = super::open(bytes, &opts);
        results.push((*name, r));
    }
    let get = |n: &str| &results.iter().find(|(name, _)| *name == n).unwrap().1;
    assert!(
        matches!(get("empty"), Err(ExtractError::Empty)),
        "{:?}",
        get("empty")
    );
    for n in ["garbage", "zeros"] {
        assert!(
            matches!(get(n), Err(ExtractError::NotPdf(_))),
            "{n}: {:?}",
            get(n)
        );
    }
    assert!(matches!(
        get("header only"),
        Err(ExtractError::Truncated(_))
    ));
    assert!(matches!(
        get("encrypted, password"),
        Err(ExtractError::Encrypted)
    ));
    let text = |n: &str| -> String {
        match get(n) {
            Ok(d) => d
                .pages
                .iter()
                .flat_map(|p| p.glyphs.iter().map(|g| g.text.as_str()))
                .collect(),
            Err(e) => panic!("{n}: {e}"),
        }
    };
    assert_eq!(text("encrypted, empty password"), "Hello");
    assert_eq!(text("broken xref"), "Hello");
    // Nesting past the parser's depth is named as such, not "not found".
    match get("deep nesting (object)") {
        Ok(d) => assert!(
            d.damaged
                && d.diagnostics
                    .iter()
                    .any(|x| x.message.contains("nests arrays or dictionaries more than")),
            "{:?}",
            d.diagnostics
        ),
        Err(e) => assert!(e.to_string().contains("nests arrays"), "{e}"),
    }
    // The bomb page fails alone; the next page is read.
    let bomb = get("decompression bomb").as_ref().unwrap();
    assert_eq!(bomb.page_count, 2);
    assert_eq!(text("decompression bomb"), "Second");
    assert!(bomb.diagnostics.iter().any(|d| d.page == Some(1)));
    // Floods stop at the limits, with a warning.
    for n in ["operator flood", "glyph flood", "xobject fan-out"] {
        let d = get(n).as_ref().unwrap();
        assert!(
            d.diagnostics.iter().any(|x| x.message.contains("limit")),
            "{n}: {:?}",
            d.diagnostics
        );
    }
    assert_eq!(
        get("glyph flood").as_ref().unwrap().pages[0].glyphs.len(),
        1_000
    );
    let cyc = get("xobject self cycle").as_ref().unwrap();
    assert!(cyc.diagnostics.iter().any(|x| x.message.contains("cycle")));
    let img = get("image only").as_ref().unwrap();
    assert_eq!(img.pages[0].images, 1);
    assert!(img
        .diagnostics
        .iter()
        .any(|x| x.message.starts_with("no text layer (scanned?)")));
    let huge = get("huge numbers").as_ref().unwrap();
    assert!(huge.pages[0].glyphs.iter().all(|g| g.bbox.is_finite()));
    if let Some(rss) = peak_rss_bytes() {
        assert!(rss < 1 << 30, "peak memory {rss} bytes");
    }
}
