//! Finding the inputs of a run: files given directly and `.pdf` / `.txt` files
//! found recursively under directories, each with the relative path that names
//! its output. The order is sorted by that relative path, so every run, on any
//! machine, sees the same list (which sharding and the index rely on). In the
//! library so the Python package names files as `convert` does.

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// Why the inputs of a run cannot be listed.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("input {0} has no file name")]
    NoName(PathBuf),
    #[error("{first} and {second} would both write {key}.json; convert them into separate output directories")]
    Clash {
        first: PathBuf,
        second: PathBuf,
        key: String,
    },
    #[error("{file} would write {output}, a file where {other} needs a folder of that name for its output; convert them into separate output directories")]
    FolderClash {
        file: PathBuf,
        other: PathBuf,
        output: String,
    },
}

type Result<T> = std::result::Result<T, DiscoverError>;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DiscoverError + '_ {
    move |source| DiscoverError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One input file of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it.
    pub path: PathBuf,
    /// Path relative to the input directory given (for a file input: its
    /// file name). Names the output `OUT/<rel>.json`.
    pub rel: PathBuf,
    /// `rel` with `/` separators: the stable name used in the index, in the
    /// JSON's `source.file`, and for sharding.
    pub key: String,
}

/// The longest file name the usual file systems take, in bytes (`NAME_MAX`
/// on Linux and macOS).
pub const NAME_MAX: usize = 255;

/// Hex digits of the hash that stands for an over-long output name.
const NAME_HASH_HEX: usize = 16;

impl Input {
    /// The output JSON's path relative to the output directory:
    /// `<rel>.json`, or, when that file name would be longer than
    /// [`NAME_MAX`], the name cut short and a hash of the whole name (see
    /// [`Input::output_shortened`]).
    pub fn output_rel(&self) -> PathBuf {
        let name = self.rel.file_name().unwrap_or(self.rel.as_os_str());
        let mut file = OsString::from(name);
        file.push(".json");
        if file.len() > NAME_MAX {
            file = OsString::from(shortened_name(name, ".json"));
        }
        match self.rel.parent() {
            Some(parent) => parent.join(file),
            None => PathBuf::from(file),
        }
    }

    /// [`Input::output_rel`] with `/` separators, as the index names it.
    pub fn output_key(&self) -> String {
        rel_key(&self.output_rel())
    }

    /// Whether the output name had to be shortened (the index says so).
    pub fn output_shortened(&self) -> bool {
        let name = self.rel.file_name().unwrap_or(self.rel.as_os_str());
        name.len() + ".json".len() > NAME_MAX
    }
}

/// A file name of at most [`NAME_MAX`] bytes standing for `name` + `suffix`:
/// the start of `name` (cut at a character boundary), `~`, and a hash of the
/// whole name, so two long names that share their start still differ.
pub fn shortened_name(name: &std::ffi::OsStr, suffix: &str) -> String {
    let digest = Sha256::digest(name.as_encoded_bytes());
    let hash: String = digest
        .iter()
        .take(NAME_HASH_HEX / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    let room = NAME_MAX.saturating_sub(1 + hash.len() + suffix.len());
    let lossy = name.to_string_lossy();
    format!("{}~{hash}{suffix}", cut_at_char(&lossy, room))
}

/// The longest start of `s` of at most `max` bytes that ends on a character
/// boundary.
pub fn cut_at_char(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

/// Whether a file name is one we convert (`.pdf` or `.txt`, any case).
pub fn wanted(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf") || e.eq_ignore_ascii_case("txt"))
}

/// Expand the command line's inputs into a sorted, de-duplicated list.
/// `skip` is a directory never descended into (the output directory, when it
/// sits inside an input directory). Two different files that would write the
/// same output are a usage error.
pub fn discover(inputs: &[PathBuf], skip: Option<&Path>) -> Result<Vec<Input>> {
    let skip = skip.and_then(|p| p.canonicalize().ok());
    let mut by_key: BTreeMap<String, (Input, PathBuf)> = BTreeMap::new();
    for root in inputs {
        // A dangling link named directly is still an input: its record says so.
        let is_dir = match std::fs::metadata(root) {
            Ok(m) => m.is_dir(),
            Err(e) => {
                std::fs::symlink_metadata(root).map_err(|_| io(root)(e))?;
                false
            }
        };
        let mut found = Vec::new();
        if is_dir {
            let mut seen = HashSet::new();
            walk(root, Path::new(""), skip.as_deref(), &mut seen, &mut found)?;
        } else {
            // A file named on the command line is taken whatever its extension.
            let name = root
                .file_name()
                .ok_or_else(|| DiscoverError::NoName(root.clone()))?;
            found.push((root.clone(), PathBuf::from(name)));
        }
        for (path, rel) in found {
            let key = rel_key(&rel);
            let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
            if let Some((prev, prev_canon)) = by_key.get(&key) {
                if *prev_canon == canon {
                    continue; // the same file reached twice
                }
                return Err(DiscoverError::Clash {
                    first: prev.path.clone(),
                    second: path,
                    key,
                });
            }
            by_key.insert(key.clone(), (Input { path, rel, key }, canon));
        }
    }
    let found: Vec<Input> = by_key.into_values().map(|(i, _)| i).collect();
    refuse_folder_clashes(&found)?;
    Ok(found)
}

/// Refuse a run where one output is a file whose path another output needs
/// as a folder (`a.pdf` writes `a.pdf.json`; `a.pdf.json/b.pdf` writes
/// `a.pdf.json/b.pdf.json`): one of the two writes would fail, or the run
/// would depend on their order.
fn refuse_folder_clashes(found: &[Input]) -> Result<()> {
    let outputs: BTreeMap<String, &Input> = found.iter().map(|i| (i.output_key(), i)).collect();
    for input in found {
        let key = input.output_key();
        let mut folder = key.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(file) = outputs.get(parent) {
                return Err(DiscoverError::FolderClash {
                    file: file.path.clone(),
                    other: input.path.clone(),
                    output: parent.to_string(),
                });
            }
            folder = parent;
        }
    }
    Ok(())
}

/// Depth-first walk; follows symbolic links but never the same directory
/// twice. Every non-directory entry with an input's name is returned, whatever
/// it is, so that none is skipped without a word.
fn walk(
    dir: &Path,
    rel: &Path,
    skip: Option<&Path>,
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<()> {
    let canon = dir.canonicalize().map_err(io(dir))?;
    if skip == Some(canon.as_path()) || !seen.insert(canon) {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        // Hidden entries include our own temporary files.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let child_rel = rel.join(&name);
        // A dangling link, FIFO or device with an input's name is kept: its
        // conversion refuses it, so the index says what it was.
        let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir {
            walk(&path, &child_rel, skip, seen, out)?;
        } else if wanted(&path) {
            out.push((path, child_rel));
        }
    }
    Ok(())
}

/// `a/b/c.pdf` whatever the platform's separator.
fn rel_key(rel: &Path) -> String {
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `--shard K/N`: this process takes shard `k` (1-based) of `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl Shard {
    /// Parse `K/N` with 1 ≤ K ≤ N.
    pub fn parse(spec: &str) -> std::result::Result<Shard, String> {
        let (k, n) = spec
            .split_once('/')
            .ok_or_else(|| format!("--shard '{spec}': expected K/N, e.g. 3/10"))?;
        let k: u64 = k
            .trim()
            .parse()
            .map_err(|_| format!("--shard '{spec}': K is not a number"))?;
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("--shard '{spec}': N is not a number"))?;
        if n == 0 || k == 0 || k > n {
            return Err(format!("--shard '{spec}': need 1 <= K <= N"));
        }
        Ok(Shard { k, n })
    }

    /// Whether an input belongs to this shard: a hash of its relative path,
    /// so the split is stable across machines, runs and corpus growth, and
    /// needs no coordinator.
    pub fn contains(&self, key: &str) -> bool {
        let digest = Sha256::digest(key.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.n == self.k - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_specs() {
        assert_eq!(Shard::parse("2/3").unwrap(), Shard { k: 2, n: 3 });
        for bad in ["0/3", "4/3", "1/0", "x/3", "3", "1/y", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_keys() {
        let keys: Vec<String> = (0..300).map(|i| format!("dir/文件{i}.pdf")).collect();
        let n = 4;
        let mut counts = vec![0; n as usize];
        for key in &keys {
            let owners: Vec<u64> = (1..=n).filter(|&k| Shard { k, n }.contains(key)).collect();
            assert_eq!(owners.len(), 1, "{key}");
            counts[(owners[0] - 1) as usize] += 1;
        }
        // Roughly even: each shard well away from empty.
        assert!(counts.iter().all(|&c| c > 40), "{counts:?}");
    }

    #[test]
    fn extensions() {
        assert!(wanted(Path::new("a/预算.PDF")));
        assert!(wanted(Path::new("b.Txt")));
        assert!(!wanted(Path::new("c.json")));
        assert!(!wanted(Path::new("pdf")));
    }

    #[test]
    fn discovery_is_sorted_relative_and_recursive() {
        let dir = std::env::temp_dir().join(format!("gongkai-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("in/sub/深")).unwrap();
        for f in [
            "in/b.pdf",
            "in/a.TXT",
            "in/sub/深/c.pdf",
            "in/x.json",
            "in/.hidden.pdf",
        ] {
            std::fs::write(dir.join(f), b"x").unwrap();
        }
        std::fs::write(dir.join("lone.Pdf"), b"y").unwrap();
        let found = discover(&[dir.join("in"), dir.join("lone.Pdf")], None).unwrap();
        let keys: Vec<&str> = found.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["a.TXT", "b.pdf", "lone.Pdf", "sub/深/c.pdf"]);
        assert_eq!(found[3].output_rel(), Path::new("sub/深/c.pdf.json"));
        // The same file twice is fine; two files with one output name are not.
        assert_eq!(
            discover(&[dir.join("in"), dir.join("in")], None)
                .unwrap()
                .len(),
            3
        );
        std::fs::create_dir_all(dir.join("other")).unwrap();
        std::fs::write(dir.join("other/b.pdf"), b"z").unwrap();
        assert!(discover(&[dir.join("in"), dir.join("other")], None).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
    #[test]
    fn over_long_output_names_are_hashed_within_the_limit() {
        let long = format!("{}xx.pdf", "预算".repeat(41)); // 252 bytes: fits, its .json does not
        assert!(long.len() <= NAME_MAX && long.len() + 5 > NAME_MAX);
        let input = |name: &str| Input {
            path: PathBuf::from(name),
            rel: Path::new("sub").join(name),
            key: format!("sub/{name}"),
        };
        let a = input(&long);
        let out = a.output_rel();
        let file = out.file_name().unwrap().to_str().unwrap();
        assert!(a.output_shortened());
        assert!(file.len() <= NAME_MAX, "{}", file.len());
        assert!(file.starts_with("预算预算") && file.ends_with(".json"));
        assert_eq!(out.parent(), Some(Path::new("sub")));
        assert_eq!(a.output_key(), format!("sub/{file}"));
        // Two long names with the same start get different outputs.
        let b = input(&long.replace(".pdf", "x.pdf"));
        assert_ne!(a.output_rel(), b.output_rel());
        // Short names are left alone.
        let c = input("a.pdf");
        assert!(!c.output_shortened());
        assert_eq!(c.output_key(), "sub/a.pdf.json");
        assert_eq!(cut_at_char("预算", 4), "预");
        assert_eq!(cut_at_char("预算", 0), "");
    }

    #[test]
    fn an_output_that_another_needs_as_a_folder_is_refused() {
        let dir = std::env::temp_dir().join(format!("gongkai-folder-clash-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("in/a.pdf.json")).unwrap();
        std::fs::write(dir.join("in/a.pdf"), b"x").unwrap();
        std::fs::write(dir.join("in/a.pdf.json/b.pdf"), b"y").unwrap();
        let err = discover(&[dir.join("in")], None).unwrap_err().to_string();
        assert!(
            err.contains("a.pdf.json") && err.contains("needs a folder"),
            "{err}"
        );
        std::fs::remove_file(dir.join("in/a.pdf")).unwrap();
        assert_eq!(discover(&[dir.join("in")], None).unwrap().len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
