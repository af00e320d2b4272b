//! Test fixtures: small PDFs written byte by byte, so tests can make exactly
//! the (well- or ill-formed) structure they need.

use std::io::Write;

#[derive(Default)]
pub struct PdfBuilder {
    objs: Vec<(u32, Vec<u8>)>,
}

impl PdfBuilder {
    pub fn new() -> PdfBuilder {
        PdfBuilder::default()
    }

    /// An indirect object `id 0 obj body endobj`.
    pub fn obj(&mut self, id: u32, body: impl AsRef<[u8]>) -> &mut Self {
        self.objs.push((id, body.as_ref().to_vec()));
        self
    }

    /// A stream object with `dict_extra` inside its dictionary.
    pub fn stream(&mut self, id: u32, dict_extra: &str, data: &[u8]) -> &mut Self {
        let mut body =
            format!("<< /Length {} {} >>\nstream\n", data.len(), dict_extra).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.objs.push((id, body));
        self
    }

    /// The file: header, objects, a correct xref table, trailer.
    pub fn finish(&self, root: u32) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let max = self.objs.iter().map(|o| o.0).max().unwrap_or(0);
        let mut offsets = vec![None; max as usize + 1];
        for (id, body) in &self.objs {
            offsets[*id as usize] = Some(out.len());
            writeln!(out, "{id} 0 obj").unwrap();
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        write!(out, "xref\n0 {}\n0000000000 65535 f \n", max + 1).unwrap();
        for off in offsets.iter().skip(1) {
            match off {
                Some(o) => writeln!(out, "{o:010} 00000 n ").unwrap(),
                None => writeln!(out, "0000000000 65535 f ").unwrap(),
            }
        }
        write!(
            out,
            "trailer\n<< /Size {} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            max + 1
        )
        .unwrap();
        out
    }
}

/// A one-page document: catalog 1, pages 2, page 3 (with `page_extra` in
/// its dictionary), content 4, Helvetica as /F1 (object 5).
pub fn one_page(content: &[u8], page_extra: &str) -> Vec<u8> {
    one_page_with(content, page_extra, |_| {})
}

/// [`one_page`] with extra objects (ids from 6) added by `more`.
pub fn one_page_with(
    content: &[u8],
    page_extra: &str,
    more: impl FnOnce(&mut PdfBuilder),
) -> Vec<u8> {
    let mut b = PdfBuilder::new();
    b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
        .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        .obj(
            3,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R \
                 /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R /X2 7 0 R /Im 8 0 R >> >> {page_extra} >>"
            ),
        )
        .stream(4, "", content)
        .obj(
            5,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        );
    more(&mut b);
    b.finish(1)
}
