//! The settings a user can change: the table stage's thresholds
//! ([`gongkai_tables::Settings`], in points where a length) and the extraction
//! limits ([`gongkai_extract::Limits`]). `gongkai settings` prints them as TOML
//! with each default, unit and meaning; `--settings FILE` reads such a file
//! back, where a file naming only some keys changes only those. Every output
//! records the [`UserSettings::stamp`] it was made with, so a resumed
//! `convert` redoes a file converted under other settings.
//!
//! The file is checked key by key against the defaults, so an unknown key or
//! a value of the wrong type is an error that names the key (a typo must not
//! be a setting silently left at its default).

use gongkai_extract::Limits;
use gongkai_tables::Settings;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Hex digits of the settings stamp: enough to tell settings apart, short
/// enough to read in an index line.
const STAMP_HEX: usize = 12;

/// Everything a user can set, as one TOML file has it: `[tables]` and `[limits]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UserSettings {
    pub tables: Settings,
    pub limits: Limits,
}

/// A settings file that cannot be used; each names the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read settings file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("settings file {path} is not TOML: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error(
        "settings file {path}: unknown {what} `{name}`; the sections are [tables] and [limits] \
         and `gongkai settings` lists every key"
    )]
    Unknown {
        path: PathBuf,
        what: &'static str,
        name: String,
    },
    #[error("settings file {path}: {key} = {value}: expected {expected}")]
    BadValue {
        path: PathBuf,
        key: String,
        value: String,
        expected: String,
    },
}

/// One printable setting: its section, name, unit, meaning and value.
struct Entry {
    name: &'static str,
    unit: &'static str,
    meaning: &'static str,
}

/// The settings of one section, described, in the struct's order.
fn entries(section: &str) -> Vec<Entry> {
    match section {
        "tables" => gongkai_tables::settings::DESCRIBED
            .iter()
            .map(|d| Entry {
                name: d.name,
                unit: d.unit,
                meaning: d.meaning,
            })
            .collect(),
        _ => gongkai_extract::limits::DESCRIBED
            .iter()
            .map(|&(name, unit, meaning)| Entry {
                name,
                unit,
                meaning,
            })
            .collect(),
    }
}

const SECTIONS: [&str; 2] = ["tables", "limits"];

/// A struct as a JSON map, floats as their shortest decimal (0.45, not the
/// f64 widening of the f32, 0.44999998807907104).
fn as_map<T: Serialize>(value: &T) -> Map<String, Value> {
    serde_json::to_string(value)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

impl UserSettings {
    /// Read a settings file over the defaults.
    pub fn from_file(path: &Path) -> Result<UserSettings, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        UserSettings::default().overlay(&text, path)
    }

    /// These settings with the keys named in `text` (TOML) changed.
    pub fn overlay(&self, text: &str, path: &Path) -> Result<UserSettings, SettingsError> {
        let file: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| SettingsError::Syntax {
                    path: path.to_path_buf(),
                    message: e.message().to_string(),
                })?;
        let unknown = |what, name: &str| SettingsError::Unknown {
            path: path.to_path_buf(),
            what,
            name: name.to_string(),
        };
        let mut sections = as_map(self);
        for (section, keys) in &file {
            let keys = match keys {
                toml::Value::Table(k) if SECTIONS.contains(&section.as_str()) => k,
                toml::Value::Table(_) => return Err(unknown("section", &format!("[{section}]"))),
                _ => return Err(unknown("setting", section)),
            };
            for (key, value) in keys {
                let name = format!("{section}.{key}");
                let bad = |expected: String| SettingsError::BadValue {
                    path: path.to_path_buf(),
                    key: name.clone(),
                    value: value.to_string(),
                    expected,
                };
                let Some(Value::Object(current)) = sections.get_mut(section) else {
                    return Err(unknown("section", &format!("[{section}]")));
                };
                let Some(old) = current.get(key) else {
                    return Err(unknown("setting", &name));
                };
                let unit = entries(section)
                    .into_iter()
                    .find(|e| e.name == key)
                    .map_or("", |e| e.unit);
                let new = if old.is_u64() {
                    match value {
                        toml::Value::Integer(i) if *i >= 0 => Value::from(*i),
                        _ => return Err(bad(format!("a whole number ≥ 0 ({unit})"))),
                    }
                } else {
                    let x = match value {
                        toml::Value::Float(x) => *x,
                        toml::Value::Integer(i) => *i as f64,
                        _ => return Err(bad(format!("a number ≥ 0 ({unit})"))),
                    };
                    match serde_json::Number::from_f64(x).filter(|_| x >= 0.0) {
                        Some(n) => Value::Number(n),
                        None => return Err(bad(format!("a finite number ≥ 0 ({unit})"))),
                    }
                };
                current.insert(key.clone(), new);
                // Each value on its own, so one out of its type's range (a
                // page count past u32) names its key.
                serde_json::from_value::<UserSettings>(Value::Object(sections.clone()))
                    .map_err(|e| bad(format!("a value that fits ({e})")))?;
            }
        }
        serde_json::from_value(Value::Object(sections)).map_err(|e| SettingsError::BadValue {
            path: path.to_path_buf(),
            key: "(file)".into(),
            value: String::new(),
            expected: e.to_string(),
        })
    }

    /// A short hash of every setting: outputs made with other settings have
    /// another stamp.
    pub fn stamp(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        let digest = Sha256::digest(json.as_bytes());
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            .chars()
            .take(STAMP_HEX)
            .collect()
    }

    /// Every setting as TOML that reads back as these settings: each key with
    /// a comment giving its meaning, unit and default.
    pub fn to_toml(&self) -> String {
        let now = as_map(self);
        let default = as_map(&UserSettings::default());
        let mut out = String::from(
            "# gongkai settings: every setting with its meaning, unit and default.\n\
             # Use with `gongkai convert --settings FILE` or `gongkai inspect --settings FILE`;\n\
             # a file that names only some keys changes only those.\n",
        );
        for section in SECTIONS {
            out.push_str(&format!("\n[{section}]\n"));
            let value = |m: &Map<String, Value>, k: &str| {
                m.get(section)
                    .and_then(|s| s.get(k))
                    .map_or_else(String::new, Value::to_string)
            };
            for e in entries(section) {
                out.push_str(&format!(
                    "# {} ({}; default {})\n{} = {}\n",
                    e.meaning,
                    e.unit,
                    value(&default, e.name),
                    e.name,
                    value(&now, e.name)
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<T: Serialize>(v: &T) -> Vec<String> {
        as_map(v)
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    #[test]
    fn every_field_is_described_once() {
        for (section, fields) in [
            ("tables", keys(&Settings::default())),
            ("limits", keys(&Limits::default())),
        ] {
            let mut described: Vec<String> = entries(section)
                .iter()
                .map(|e| e.name.to_string())
                .collect();
            described.sort();
            assert_eq!(described, fields, "[{section}]: described vs struct fields");
        }
    }

    #[test]
    fn printed_settings_read_back_the_same() {
        let printed = UserSettings::default().to_toml();
        let back = UserSettings::default()
            .overlay(&printed, Path::new("x.toml"))
            .unwrap();
        assert_eq!(back.stamp(), UserSettings::default().stamp());
        assert!(
            printed.contains("\nline_overlap_ratio = 0.5\n"),
            "{printed}"
        );
        assert!(
            printed.contains("\nbaseline_tolerance_ratio = 0.45\n"),
            "{printed}"
        );
    }

    #[test]
    fn a_partial_file_changes_only_its_keys() {
        let s = UserSettings::default()
            .overlay(
                "[tables]\nsnap_tolerance = 5\n[limits]\nmax_pages = 9",
                Path::new("x"),
            )
            .unwrap();
        assert_eq!(s.tables.snap_tolerance, 5.0);
        assert_eq!(s.limits.max_pages, 9);
        assert_eq!(s.tables.join_tolerance, Settings::default().join_tolerance);
        assert_ne!(s.stamp(), UserSettings::default().stamp());
        // The printed file shows the value in force and the default.
        assert!(s.to_toml().contains("default 3.0)\nsnap_tolerance = 5.0\n"));
    }

    #[test]
    fn errors_name_the_key() {
        let err = |text: &str| {
            UserSettings::default()
                .overlay(text, Path::new("my.toml"))
                .unwrap_err()
                .to_string()
        };
        let e = err("[tables]\nsnap_tolerence = 2\n");
        assert!(
            e.contains("unknown setting `tables.snap_tolerence`") && e.contains("my.toml"),
            "{e}"
        );
        let e = err("snap_tolerance = 2\n");
        assert!(e.contains("unknown setting `snap_tolerance`"), "{e}");
        let e = err("[table]\nsnap_tolerance = 2\n");
        assert!(e.contains("unknown section `[table]`"), "{e}");
        let e = err("[tables]\nsnap_tolerance = \"wide\"\n");
        assert!(
            e.contains("tables.snap_tolerance = \"wide\": expected a number ≥ 0 (pt)"),
            "{e}"
        );
        let e = err("[tables]\nmax_header_rows = 2.5\n");
        assert!(
            e.contains("tables.max_header_rows = 2.5: expected a whole number ≥ 0 (rows)"),
            "{e}"
        );
        let e = err("[limits]\nmax_pages = 99999999999\n");
        assert!(
            e.contains("limits.max_pages = 99999999999: expected a value that fits"),
            "{e}"
        );
        let e = err("[tables]\nsnap_tolerance = -1\n");
        assert!(e.contains("tables.snap_tolerance = -1"), "{e}");
        let e = err("[tables\n");
        assert!(e.contains("is not TOML"), "{e}");
    }
}
