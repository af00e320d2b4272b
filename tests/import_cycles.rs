//! No module imports one that imports it back, in any crate of the workspace
//! (issue 11). Each crate's module tree is read from its root (`lib.rs`,
//! `main.rs`) through its `mod` declarations; a module's imports are the
//! paths it names (`use crate::a::b`, `super::x`, `crate::a::f(…)` in code,
//! `child::f` of a declared child), each resolved to the module that holds
//! the item (a name the crate root re-exports resolves to the module it comes
//! from). Test code (`#[cfg(test)]` items) is left out: a test module may use
//! its parent. A cycle is a strongly connected group of two or more modules.
//!
//! The checker is tested on planted cycles below, so it can fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside one crate (`["dump", "forms"]`; the root is empty).
type ModPath = Vec<String>;

/// One crate's modules: each module's cleaned source (comments, strings and
/// test items removed) and the names of its declared child modules.
struct Crate {
    modules: BTreeMap<ModPath, Module>,
}

struct Module {
    source: String,
    children: BTreeSet<String>,
}

/// Source with comments, string and char literals blanked out, so that a
/// path printed in a doc comment or a message is not an import.
fn clean(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
            continue;
        }
        let ident_before = i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_');
        if c == 'r' && !ident_before && matches!(next, Some('"') | Some('#')) {
            // Raw string r"…" / r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) == Some(&'"') {
                j += 1;
                'raw: while j < b.len() {
                    if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break 'raw;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
                continue;
            }
        }
        if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
            continue;
        }
        if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'); otherwise a lifetime.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
                continue;
            }
            if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// End (exclusive) of the item starting at `from`: its first `;` at depth 0,
/// or the brace that closes its first `{`.
fn item_end(s: &[char], from: usize) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i < s.len() {
        match s[i] {
            ';' if depth == 0 => return i + 1,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    s.len()
}

/// The source without its `#[cfg(test)]` items, and the names of the
/// modules declared test-only (`#[cfg(test)] mod real_tests;`).
fn drop_test_items(src: &str) -> (String, BTreeSet<String>) {
    let s: Vec<char> = src.chars().collect();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut out = String::new();
    let mut test_mods = BTreeSet::new();
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(&marker) {
            let end = item_end(&s, i + marker.len());
            let item: String = s[i + marker.len()..end].iter().collect();
            let words: Vec<&str> = item
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect();
            if let Some(p) = words.iter().position(|w| *w == "mod") {
                if item.trim_end().ends_with(';') {
                    if let Some(name) = words.get(p + 1) {
                        test_mods.insert(name.to_string());
                    }
                }
            }
            i = end;
            continue;
        }
        out.push(s[i]);
        i += 1;
    }
    (out, test_mods)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `mod NAME;` declarations (file modules, not inline `mod NAME { … }`) of
/// a cleaned source.
fn file_mod_decls(src: &str) -> Vec<String> {
    let words: Vec<&str> = src
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if *w != "mod" {
            continue;
        }
        // `mod name;` or `mod name ;`
        let Some(next) = words.get(k + 1) else {
            continue;
        };
        let name = next.trim_end_matches(';');
        let declared = next.ends_with(';') || words.get(k + 2) == Some(&";");
        if declared && !name.is_empty() && name.chars().all(is_ident_char) {
            out.push(name.to_string());
        }
    }
    out
}

/// Read a crate's module tree from its root file.
fn read_crate(root: &Path) -> Crate {
    let mut modules = BTreeMap::new();
    let dir = root.parent().expect("root has a folder").to_path_buf();
    load(&mut modules, Vec::new(), root, &dir);
    Crate { modules }
}

fn load(modules: &mut BTreeMap<ModPath, Module>, path: ModPath, file: &Path, dir: &Path) {
    let raw = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let (source, test_mods) = drop_test_items(&clean(&raw));
    let decls = file_mod_decls(&source);
    let children: BTreeSet<String> = decls
        .iter()
        .filter(|d| !test_mods.contains(*d))
        .cloned()
        .collect();
    for child in &children {
        let a = dir.join(format!("{child}.rs"));
        let b = dir.join(child).join("mod.rs");
        let (f, d) = if a.exists() {
            (a, dir.join(child))
        } else {
            (b, dir.join(child))
        };
        let mut p = path.clone();
        p.push(child.clone());
        load(modules, p, &f, &d);
    }
    modules.insert(path, Module { source, children });
}

/// Every path the source names: `use` trees expanded, and `a::b::c` runs in
/// code. Each as its segments.
fn named_paths(src: &str) -> Vec<Vec<String>> {
    let s: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let at_word = i == 0 || !is_ident_char(s[i - 1]);
        if at_word
            && s[i..].starts_with(&['u', 's', 'e'])
            && s.get(i + 3).is_some_and(|c| c.is_whitespace())
        {
            let end = item_end(&s, i + 3);
            let tree: String = s[i + 3..end].iter().collect();
            let tree = tree.trim_end_matches(';');
            expand_use(tree.trim(), Vec::new(), &mut out);
            i = end;
            continue;
        }
        if at_word && is_ident_char(s[i]) {
            // A run ident(::ident)+.
            let mut segs = Vec::new();
            let mut j = i;
            loop {
                let st = j;
                while j < s.len() && is_ident_char(s[j]) {
                    j += 1;
                }
                if st == j {
                    break;
                }
                segs.push(s[st..j].iter().collect::<String>());
                if s.get(j) == Some(&':')
                    && s.get(j + 1) == Some(&':')
                    && s.get(j + 2).is_some_and(|c| is_ident_char(*c))
                {
                    j += 2;
                } else {
                    break;
                }
            }
            if segs.len() > 1 {
                out.push(segs);
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

/// Expand a use tree (`crate::{a::{b, c}, d as e}`) into full paths.
fn expand_use(tree: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(inner) = tree.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        for part in split_top(inner) {
            expand_use(part, prefix.clone(), out);
        }
        return;
    }
    match tree.find("::") {
        Some(p) if !tree[..p].contains('{') => {
            let mut pre = prefix;
            pre.push(tree[..p].trim().to_string());
            expand_use(&tree[p + 2..], pre, out);
        }
        _ => {
            let name = tree.split(" as ").next().unwrap_or(tree).trim();
            let mut full = prefix;
            if name != "self" {
                full.push(name.to_string());
            }
            out.push(full);
        }
    }
}

/// Split a use list at its top-level commas.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The module a path names from module `here`, if it is one of the crate's
/// modules other than `here`: the longest prefix of the resolved path that
/// is a module, followed through a root re-export (`crate::Settings` →
/// `settings`).
fn resolve(krate: &Crate, here: &ModPath, path: &[String]) -> Option<ModPath> {
    let first = path.first()?;
    let (mut base, rest): (ModPath, &[String]) = match first.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (here.clone(), &path[1..]),
        "super" => {
            let mut b = here.clone();
            let mut k = 0;
            while path.get(k).is_some_and(|s| s == "super") {
                b.pop();
                k += 1;
            }
            (b, &path[k..])
        }
        name if krate
            .modules
            .get(here)
            .is_some_and(|m| m.children.contains(name)) =>
        {
            (here.clone(), path)
        }
        _ => return None,
    };
    let mut found = base.clone();
    for seg in rest {
        base.push(seg.clone());
        if krate.modules.contains_key(&base) {
            found = base.clone();
        } else {
            break;
        }
    }
    // An item of the root: follow the root's own `use` of it.
    if found.is_empty() {
        let item = rest.first()?;
        let root = krate.modules.get(&Vec::new())?;
        for p in named_paths(&root.source) {
            if p.last() == Some(item) && p.len() > 1 {
                if let Some(m) = resolve(krate, &Vec::new(), &p) {
                    if !m.is_empty() {
                        found = m;
                        break;
                    }
                }
            }
        }
    }
    (found != *here).then_some(found)
}

/// Module → modules it imports.
fn graph(krate: &Crate) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let mut g = BTreeMap::new();
    for (here, m) in &krate.modules {
        let mut to = BTreeSet::new();
        for p in named_paths(&m.source) {
            if let Some(t) = resolve(krate, here, &p) {
                // A module naming its own descendant or ancestor through a
                // longer path still imports it.
                to.insert(t);
            }
        }
        g.insert(here.clone(), to);
    }
    g
}

/// Strongly connected groups of two or more modules (Tarjan).
fn cycles(g: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<String>> {
    struct St<'a> {
        g: &'a BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        on: BTreeSet<&'a ModPath>,
        stack: Vec<&'a ModPath>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(st: &mut St<'a>, v: &'a ModPath) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on.insert(v);
        let g = st.g;
        for w in g.get(v).into_iter().flatten() {
            let Some((w, _)) = g.get_key_value(w) else {
                continue;
            };
            if !st.index.contains_key(w) {
                visit(st, w);
                let lw = st.low[w];
                let lv = st.low[v];
                st.low.insert(v, lv.min(lw));
            } else if st.on.contains(w) {
                let iw = st.index[w];
                let lv = st.low[v];
                st.low.insert(v, lv.min(iw));
            }
        }
        if st.low[v] == st.index[v] {
            let mut group = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on.remove(w);
                group.push(name(w));
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                st.out.push(group);
            }
        }
    }
    let mut st = St {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        on: BTreeSet::new(),
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !st.index.contains_key(v) {
            visit(&mut st, v);
        }
    }
    st.out.sort();
    st.out
}

fn name(p: &ModPath) -> String {
    if p.is_empty() {
        "crate".to_string()
    } else {
        p.join("::")
    }
}

/// The crate roots of the workspace: every `src/lib.rs` and `src/main.rs`.
fn crate_roots() -> Vec<PathBuf> {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![ws.to_path_buf()];
    let mut members: Vec<PathBuf> = std::fs::read_dir(ws.join("crates"))
        .expect("crates/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Cargo.toml").exists())
        .collect();
    members.sort();
    dirs.extend(members);
    let mut roots = Vec::new();
    for d in dirs {
        for f in ["src/lib.rs", "src/main.rs"] {
            if d.join(f).exists() {
                roots.push(d.join(f));
            }
        }
    }
    roots
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let roots = crate_roots();
    assert!(roots.len() >= 6, "every crate root: {roots:?}");
    for root in roots {
        let krate = read_crate(&root);
        let rel = root.strip_prefix(ws).unwrap_or(&root).display().to_string();
        let g = graph(&krate);
        for c in cycles(&g) {
            // The edges inside the group, for the message.
            for (from, to) in &g {
                for t in to {
                    if c.contains(&name(from)) && c.contains(&name(t)) {
                        eprintln!("{rel}: {} → {}", name(from), name(t));
                    }
                }
            }
            found.push((rel.clone(), c));
        }
    }
    let unexpected: Vec<String> = found
        .iter()
        .map(|(root, c)| format!("{root}: {}", c.join(" ↔ ")))
        .collect();
    assert!(
        unexpected.is_empty(),
        "import cycles:\n{}",
        unexpected.join("\n")
    );
}

/// A crate written out in a temporary folder: `(file, source)` pairs.
fn planted(files: &[(&str, &str)]) -> Vec<Vec<String>> {
    let dir = std::env::temp_dir().join(format!(
        "gongkai-cycles-{}-{}",
        std::process::id(),
        files.len() * 31 + files.iter().map(|f| f.1.len()).sum::<usize>()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for (f, s) in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, s).expect("write");
    }
    let c = cycles(&graph(&read_crate(&dir.join("lib.rs"))));
    let _ = std::fs::remove_dir_all(&dir);
    c
}

#[test]
fn a_planted_cycle_is_found() {
    // use crate:: both ways.
    let c = planted(&[
        ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\n"),
        ("a.rs", "use crate::b::f;\npub fn g() {}\n"),
        ("b.rs", "pub fn f() { crate::a::g() }\n"),
        ("c.rs", "use crate::{a::g, b};\n"),
    ]);
    assert_eq!(c, vec![vec!["a".to_string(), "b".to_string()]]);
    // A parent naming its child, the child naming the parent through super::.
    let c = planted(&[
        ("lib.rs", "mod p;\n"),
        ("p.rs", "mod q;\npub fn h() { q::k() }\n"),
        ("p/q.rs", "pub fn k() { super::h() }\n"),
    ]);
    assert_eq!(c, vec![vec!["p".to_string(), "p::q".to_string()]]);
    // Through a re-export of the root: crate::Thing is the module t.
    let c = planted(&[
        ("lib.rs", "mod t;\nmod u;\npub use t::Thing;\n"),
        ("t.rs", "pub struct Thing;\nfn f() { crate::u::g() }\n"),
        ("u.rs", "use crate::Thing;\npub fn g() {}\n"),
    ]);
    assert_eq!(c, vec![vec!["t".to_string(), "u".to_string()]]);
}

#[test]
fn comments_strings_and_tests_are_not_imports() {
    let c = planted(&[
        ("lib.rs", "mod a;\nmod b;\n"),
        ("a.rs", "use crate::b::f;\n"),
        (
            "b.rs",
            "//! see crate::a::x\npub fn f() { let _ = \"crate::a::x\"; }\n#[cfg(test)]\nmod tests {\n    use crate::a::*;\n}\n",
        ),
    ]);
    assert!(c.is_empty(), "{c:?}");
}
