//! Scanned pages end to end: a page of a sample rendered to a grey JPEG
//! (what a scanner gives) and wrapped as an image-only PDF. Without `--ocr`
//! it says it was not read and how to read it; with `--ocr` tesseract reads
//! it and the table, its records and checks come out, marked as OCR'd; a
//! missing tesseract is a clear error, never an empty result.
//!
//! Needs tesseract with chi_sim and poppler's pdftoppm (`make deps`).

mod common;

use common::{code, gongkai, gongkai_env, stderr, TempDir};
use serde_json::Value;
use std::path::{Path, PathBuf};

const SAMPLE: &str = "samples/01-changzhi-gxj-budget-2025-chromium.pdf";
/// The sample's page with its 2025年预算支出总表 (budget_expenditure).
const PAGE: u32 = 8;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A PDF of one A4 page that is one DCT (JPEG) image, as scanners write.
fn image_only_pdf(jpeg: &[u8], px: (usize, usize), page: (f32, f32)) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let content = format!("q {} 0 0 {} 0 0 cm /Im0 Do Q", page.0, page.1);
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
            page.0, page.1
        )
        .into_bytes(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
            content.as_bytes(),
            b"\nendstream",
        ]
        .concat(),
        [
            format!(
                "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
                px.0,
                px.1,
                jpeg.len()
            )
            .as_bytes(),
            jpeg,
            b"\nendstream",
        ]
        .concat(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The sample's page as a 150-dpi grey JPEG scan, in `dir`.
fn scan_of_sample_page(dir: &Path) -> PathBuf {
    let base = dir.join("page");
    let st = std::process::Command::new("pdftoppm")
        .args(["-jpeg", "-gray", "-r", "150", "-singlefile", "-f"])
        .arg(PAGE.to_string())
        .arg("-l")
        .arg(PAGE.to_string())
        .arg(root().join(SAMPLE))
        .arg(&base)
        .status()
        .expect("pdftoppm (poppler-utils) is needed: make deps");
    assert!(st.success());
    let jpeg = std::fs::read(base.with_extension("jpg")).unwrap();
    // A4 at 150 dpi.
    let pdf = image_only_pdf(&jpeg, (1240, 1754), (595.0, 842.0));
    let path = dir.join("scan.pdf");
    std::fs::write(&path, pdf).unwrap();
    path
}

fn json(args: &[&str]) -> Value {
    let o = gongkai(args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn messages(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
}

/// The amounts of a table's records, as text with two decimals.
fn amounts(t: &Value) -> Vec<String> {
    let mut v: Vec<String> = t["records"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["values"].as_object().unwrap().values())
        .map(|x| format!("{:.2}", x.as_f64().unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn an_image_only_page_is_read_with_ocr_and_marked() {
    let tmp = TempDir::new("ocr");
    let scan = scan_of_sample_page(tmp.path());
    let scan = scan.to_str().unwrap();

    // Without --ocr: nothing read, and it says how to read it.
    let plain = json(&["inspect", scan, "--stage", "json"]);
    assert!(plain["tables"].as_array().unwrap().is_empty());
    assert!(
        messages(&plain)
            .iter()
            .any(|m| m.starts_with("no text layer (scanned?)") && m.contains("--ocr")),
        "{:?}",
        messages(&plain)
    );

    // With --ocr: the table, its records, marked as OCR'd.
    let doc = json(&["inspect", scan, "--stage", "json", "--ocr"]);
    assert_eq!(doc["source"]["ocr_pages"], serde_json::json!([1]));
    assert!(messages(&doc)
        .iter()
        .any(|m| m.starts_with("text from OCR (tesseract chi_sim")));
    assert!(!messages(&doc)
        .iter()
        .any(|m| m.starts_with("no text layer")));
    let tables = doc["tables"].as_array().unwrap();
    let t = tables
        .iter()
        .find(|t| t["kind"] == "budget_expenditure")
        .unwrap_or_else(|| panic!("no budget_expenditure in {tables:#?}"));
    assert_eq!(t["ocr"], true);
    assert!(t["repairs"].as_array().unwrap().iter().any(|r| r["kind"]
        .as_str()
        .unwrap()
        .starts_with("ocr_")
        || r["kind"] == "split_number_joined"));
    let checks = doc["checks"].as_array().unwrap();
    assert!(!checks.is_empty() && checks.iter().all(|c| c["ocr"] == true));

    // The amounts are the printed ones: most of the original's, exactly.
    let original = json(&[
        "inspect",
        root().join(SAMPLE).to_str().unwrap(),
        "--stage",
        "json",
        "--pages",
        &PAGE.to_string(),
    ]);
    let want = amounts(
        original["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["kind"] == "budget_expenditure")
            .unwrap(),
    );
    let mut got = amounts(t);
    let found = want
        .iter()
        .filter(|a| match got.iter().position(|g| g == *a) {
            Some(i) => {
                got.remove(i);
                true
            }
            None => false,
        })
        .count();
    assert!(
        found * 10 >= want.len() * 9,
        "{found} of {} amounts read",
        want.len()
    );

    // The same bytes out on a second run (tesseract with fixed settings).
    let again = json(&["inspect", scan, "--stage", "json", "--ocr"]);
    assert_eq!(doc, again);

    // Converted with --ocr and reviewed: the review page marks the OCR'd
    // table, so a reviewer knows whose reading its amounts are.
    let out = tmp.path().join("out");
    let site = tmp.path().join("site");
    let o = gongkai(&["convert", scan, "-o", out.to_str().unwrap(), "--ocr"]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let o = gongkai(&[
        "review",
        out.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = std::fs::read_dir(&site)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("doc-"))
        })
        .expect("a document page");
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains(r#"<span class="ocr">OCR</span>"#), "{html}");
}

#[test]
fn ocr_without_tesseract_is_a_clear_error() {
    let tmp = TempDir::new("ocr-missing");
    let scan = scan_of_sample_page(tmp.path());
    let empty = tmp.path().join("bin");
    std::fs::create_dir_all(&empty).unwrap();
    let out = tmp.path().join("out");
    let o = gongkai_env(
        &[
            "convert",
            scan.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--ocr",
        ],
        &[("PATH", empty.to_str().unwrap())],
    );
    assert_ne!(code(&o), 0);
    let e = stderr(&o);
    assert!(
        e.contains("tesseract")
            && e.contains("apt-get install tesseract-ocr tesseract-ocr-chi-sim"),
        "{e}"
    );
    // Nothing was written as if it had been read.
    assert!(!out.join("scan.pdf.json").exists());
}
