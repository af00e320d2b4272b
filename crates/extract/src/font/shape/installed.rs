//! Installed-font discovery for shape recognition: the font files under the
//! standard directories (and `GONGKAI_FONT_DIRS`), scanned once per process
//! with bounded depth and count, each face's family names and scripts read
//! from its name table (and the [`Script`] they name); the pick of the
//! reference face for a font name; and the reference itself, mapped (not
//! read) and indexed once per process.

use super::prefilter::RefIndex;
use super::settings::ShapeSettings;
use crate::font::util::{be16, be32};
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use ttf_parser::Face;

/// The writing system of a CJK font, from a CIDSystemInfo ordering or the
/// languages of a font's name records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Script {
    Chinese,
    Japanese,
    Korean,
}

impl Script {
    /// The script of an Adobe character collection (GB1, CNS1, Japan1, Korea1).
    pub(crate) fn of_ordering(ordering: &str) -> Option<Script> {
        match ordering {
            "GB1" | "CNS1" => Some(Script::Chinese),
            "Japan1" | "Japan2" => Some(Script::Japanese),
            "Korea1" => Some(Script::Korean),
            _ => None,
        }
    }

    /// The script of a name record's language (Windows LCID or Macintosh
    /// language code).
    fn of_language(platform: ttf_parser::PlatformId, language: u16) -> Option<Script> {
        match platform {
            ttf_parser::PlatformId::Windows => match language & 0x3FF {
                0x04 => Some(Script::Chinese),
                0x11 => Some(Script::Japanese),
                0x12 => Some(Script::Korean),
                _ => None,
            },
            ttf_parser::PlatformId::Macintosh => match language {
                19 | 33 => Some(Script::Chinese),
                11 => Some(Script::Japanese),
                23 => Some(Script::Korean),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A reference face's file and index.
pub(super) struct Reference {
    pub(super) data: FontBytes,
    pub(super) index: RefIndex,
}

pub(super) type ReferenceCache = Mutex<HashMap<(PathBuf, u32), Option<Arc<Reference>>>>;

/// A reference face, read and indexed once per process.
pub(super) fn reference(path: &Path, index: u32, s: &ShapeSettings) -> Option<Arc<Reference>> {
    static CACHE: OnceLock<ReferenceCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (path.to_path_buf(), index);
    // Held while building, so one thread builds it.
    let mut map = cache.lock().ok()?;
    if let Some(hit) = map.get(&key) {
        return hit.clone();
    }
    let built = FontBytes::open(path, s.max_file_bytes).and_then(|data| {
        let face = Face::parse(&data, index).ok()?;
        let raw = face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
        let index = RefIndex::build(&face, raw);
        Some(Arc::new(Reference { data, index }))
    });
    map.insert(key, built.clone());
    built
}

/// A reference font file's bytes: mapped, so that only the pages of the
/// tables read (cmap, loca, hmtx, the glyph headers and the few outlines
/// rasterised) are ever touched, not copied into fresh memory; read whole
/// when it cannot be mapped.
pub(super) enum FontBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FontBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FontBytes::Mapped(m) => m,
            FontBytes::Read(v) => v,
        }
    }
}

impl FontBytes {
    pub(super) fn open(path: &Path, max: u64) -> Option<FontBytes> {
        let f = std::fs::File::open(path).ok()?;
        let len = f.metadata().ok()?.len();
        if len > max {
            return None;
        }
        // SAFETY: a read-only private mapping of an installed font; the
        // bytes change under us only if another process rewrites that file
        // in place while we run (package managers replace a file by
        // renaming, which leaves this mapping intact). Every read of it is
        // bounds-checked against the length mapped.
        match unsafe { memmap2::Mmap::map(&f) } {
            Ok(m) if m.len() as u64 == len => Some(FontBytes::Mapped(m)),
            _ => read_bounded(f, max).map(FontBytes::Read),
        }
    }
}

pub(super) fn read_bounded(f: std::fs::File, max: u64) -> Option<Vec<u8>> {
    // Sized up front: growing a 17 MB buffer by doubling cost more than
    // the read itself.
    let len = f.metadata().ok()?.len();
    if len > max {
        return None;
    }
    let mut data = Vec::with_capacity(len as usize + 1);
    f.take(max + 1).read_to_end(&mut data).ok()?;
    (data.len() as u64 <= max).then_some(data)
}

/// An installed face and its family names, normalised (see [`normalise`]).
#[derive(Debug, Clone)]
pub(super) struct InstalledFace {
    pub(super) path: PathBuf,
    pub(super) index: u32,
    pub(super) names: Vec<String>,
    /// Scripts of its name records' languages (a CJK font names itself
    /// in Chinese, Japanese or Korean).
    pub(super) scripts: Vec<Script>,
}

/// Lowercase ASCII letters and digits only: "WenQuanYi Zen Hei" and
/// "WenQuanYiZenHei" compare equal.
pub(super) fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The installed face whose family name (the longest of several that
/// match) is part of the font's name; ties to the first by path. Failing
/// that, the first CJK face of `script` — or, when the script is unknown,
/// of the one script every installed CJK face shares — flagged as a
/// fallback (the bool).
pub(super) fn pick_reference(
    name: &str,
    script: Option<Script>,
    faces: &[InstalledFace],
) -> Option<(PathBuf, u32, bool)> {
    let wanted = normalise(name);
    let mut best: Option<(usize, &InstalledFace)> = None;
    for f in faces {
        let Some(len) = f
            .names
            .iter()
            .filter(|n| n.len() >= 4 && wanted.contains(n.as_str()))
            .map(|n| n.len())
            .max()
        else {
            continue;
        };
        if best.is_none_or(|(l, _)| len > l) {
            best = Some((len, f));
        }
    }
    if let Some((_, f)) = best {
        return Some((f.path.clone(), f.index, false));
    }
    let script = match script {
        Some(s) => s,
        None => {
            let mut all: Vec<Script> = faces.iter().flat_map(|f| f.scripts.clone()).collect();
            all.sort();
            all.dedup();
            match all.as_slice() {
                [only] => *only,
                _ => return None,
            }
        }
    };
    let f = faces.iter().find(|f| f.scripts.contains(&script))?;
    Some((f.path.clone(), f.index, true))
}

/// Directories searched for reference fonts: the standard ones and those
/// listed (colon-separated) in `GONGKAI_FONT_DIRS`.
pub(super) fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(extra) = std::env::var_os("GONGKAI_FONT_DIRS") {
        dirs.extend(std::env::split_paths(&extra));
    }
    dirs.push("/usr/share/fonts".into());
    dirs.push("/usr/local/share/fonts".into());
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".fonts"));
        dirs.push(home.join(".local/share/fonts"));
    }
    dirs
}

/// Every installed face with its names, scanned once per process.
pub(super) fn installed_faces(s: &ShapeSettings) -> &'static [InstalledFace] {
    static FACES: OnceLock<Vec<InstalledFace>> = OnceLock::new();
    FACES.get_or_init(|| {
        let mut files = Vec::new();
        for d in font_dirs() {
            walk(&d, s.max_depth, s.max_files, &mut files);
        }
        files.sort();
        files.dedup();
        files
            .iter()
            .flat_map(|p| face_names(p).unwrap_or_default())
            .collect()
    })
}

pub(super) fn walk(dir: &Path, depth: usize, max: usize, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    // Whether each is a directory, from the listing itself where it says
    // (no stat per file); symbolic links are followed.
    let mut entries: Vec<(PathBuf, Option<bool>)> = rd
        .filter_map(|e| {
            let e = e.ok()?;
            let known = e.file_type().ok().filter(|t| !t.is_symlink());
            Some((e.path(), known.map(|t| t.is_dir())))
        })
        .collect();
    entries.sort();
    for (p, is_dir) in entries {
        if out.len() >= max {
            return;
        }
        if is_dir.unwrap_or_else(|| p.is_dir()) {
            if depth > 0 {
                walk(&p, depth - 1, max, out);
            }
        } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        }) {
            out.push(p);
        }
    }
}

/// The family names of each face of a font file, reading only its headers
/// and name tables (CJK collections are tens of megabytes).
pub(super) fn face_names(path: &Path) -> Option<Vec<InstalledFace>> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut read_at = |off: u64, len: usize| -> Option<Vec<u8>> {
        f.seek(SeekFrom::Start(off)).ok()?;
        let mut b = vec![0; len];
        f.read_exact(&mut b).ok()?;
        Some(b)
    };
    let head = read_at(0, 12)?;
    let offsets: Vec<u32> = if head.get(0..4) == Some(b"ttcf") {
        let n = be32(&head, 8)?.min(64) as usize;
        let list = read_at(12, 4 * n)?;
        (0..n).filter_map(|i| be32(&list, 4 * i)).collect()
    } else {
        vec![0]
    };
    let mut out = Vec::new();
    for (index, off) in offsets.into_iter().enumerate() {
        let Some(h) = read_at(off as u64, 12) else {
            continue;
        };
        let tables = be16(&h, 4).unwrap_or(0) as usize;
        let Some(dir) = read_at(off as u64 + 12, 16 * tables.min(256)) else {
            continue;
        };
        let Some((noff, nlen)) = dir.chunks(16).find_map(|r| {
            (r.get(0..4) == Some(b"name")).then(|| Some((be32(r, 8)?, be32(r, 12)?)))?
        }) else {
            continue;
        };
        let Some(bytes) = read_at(noff as u64, (nlen as usize).min(1 << 20)) else {
            continue;
        };
        let Some(table) = ttf_parser::name::Table::parse(&bytes) else {
            continue;
        };
        let mut scripts: Vec<Script> = table
            .names
            .into_iter()
            .filter_map(|n| Script::of_language(n.platform_id, n.language_id))
            .collect();
        scripts.sort();
        scripts.dedup();
        let mut names: Vec<String> = table
            .names
            .into_iter()
            .filter(|n| matches!(n.name_id, 1 | 4 | 6 | 16))
            .filter_map(|n| n.to_string())
            .map(|n| normalise(&n))
            .filter(|n| !n.is_empty())
            .collect();
        names.sort();
        names.dedup();
        out.push(InstalledFace {
            path: path.to_path_buf(),
            index: index as u32,
            names,
            scripts,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Family matching: the longest family name contained in the BaseFont
    /// wins (Zen Hei Mono only when asked for); a stranger falls back to a
    /// CJK face of its script, or of the only script installed, else none.
    #[test]
    fn reference_picked_by_family_then_script() {
        use Script::*;
        let face = |p: &str, i, names: &[&str], scripts: &[Script]| InstalledFace {
            path: p.into(),
            index: i,
            names: names.iter().map(|n| normalise(n)).collect(),
            scripts: scripts.to_vec(),
        };
        let mut faces = vec![
            face("/a/dejavu.ttf", 0, &["DejaVu Sans"], &[]),
            face("/w/wqy-zenhei.ttc", 0, &["WenQuanYi Zen Hei"], &[Chinese]),
            face(
                "/w/wqy-zenhei.ttc",
                1,
                &["WenQuanYi Zen Hei Mono"],
                &[Chinese],
            ),
            face("/w/x.ttf", 0, &["Hei"], &[]),
        ];
        let pick = |n: &str, s, f: &[InstalledFace]| pick_reference(n, s, f);
        assert_eq!(
            pick("7E9ba1WenQuanYiZenHei,Medium", None, &faces),
            Some(("/w/wqy-zenhei.ttc".into(), 0, false))
        );
        assert_eq!(
            pick("WenQuanYiZenHeiMono", Some(Japanese), &faces),
            Some(("/w/wqy-zenhei.ttc".into(), 1, false))
        );
        let wqy = Some(("/w/wqy-zenhei.ttc".into(), 0, true));
        assert_eq!(pick("SimSun", None, &faces), wqy);
        assert_eq!(pick("SimSun", Some(Chinese), &faces), wqy);
        assert_eq!(pick("MS-Mincho", Some(Japanese), &faces), None);
        // Two scripts installed: an unknown script is ambiguous.
        faces.push(face("/n/gothic.otf", 0, &["Some Gothic"], &[Japanese]));
        assert_eq!(pick("SimSun", None, &faces), None);
        assert_eq!(
            pick("MS-Mincho", Some(Japanese), &faces),
            Some(("/n/gothic.otf".into(), 0, true))
        );
    }
}
