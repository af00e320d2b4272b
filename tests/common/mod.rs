//! Helpers shared by the end-to-end tests: run the built binary, make
//! throw-away directories, build the mixed corpus the batch tests use.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicU64, Ordering};

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "gongkai-e2e-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `gongkai ARGS…` with extra environment variables.
pub fn gongkai_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run gongkai")
}

pub fn gongkai(args: &[&str]) -> Output {
    gongkai_env(args, &[])
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[allow(unused_imports)]
pub use gongkai_extract::testdata::{shared_dir, shared_present};

/// The shared real PDFs, read in place.
pub fn shared(rel: &str) -> PathBuf {
    shared_dir().join(rel)
}

/// The corpus of the batch tests, as `relative path → bytes`: good PDFs
/// (real disclosures, non-ASCII names, one with an upper-case extension), a
/// corrupt PDF, an empty file and a GBK text dump of a real disclosure.
pub fn corpus() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for (rel, src) in [
        (
            "good/商务委员会.pdf",
            "real/budget/上海市普陀区商务委员会2025年部门预算.pdf",
        ),
        (
            "good/财政局.PDF",
            "real/budget/上海市财政局2025年单位预算.pdf",
        ),
        ("good/deep/决算模板.pdf", "real/final/部门决算公开模板.pdf"),
    ] {
        files.insert(rel.to_string(), std::fs::read(shared(src)).unwrap());
    }
    let seed = std::fs::read_to_string(shared("seeds/000_aa7262f6cdff37ed.txt")).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&seed);
    assert!(!unmappable, "seed should be GBK-encodable");
    files.insert("dumps/长治工信局预算-gbk.txt".into(), gbk.into_owned());
    files.insert(
        "bad/corrupt.pdf".into(),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\x00\xff garbage, no xref, no trailer"
            .to_vec(),
    );
    files.insert("bad/empty.pdf".into(), Vec::new());
    files
}

/// Write a corpus under `dir`.
pub fn write_corpus(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (rel, bytes) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// The lines of an index file, in order.
pub fn index_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every file under `dir` (relative, `/`-separated), sorted.
pub fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
