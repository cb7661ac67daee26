//! Site settings from `kijun.toml`.

use crate::diagnostics::{Diagnostic, LineCol, SourceText};
use crate::tomlerr::toml_diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const CONFIG_FILE: &str = "kijun.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Absolute URL the site is published at, e.g. `https://example.jp/kijun/`.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Revision label shown on every page and written to the manifest.
    pub revision: String,
    /// Date of the revision (YYYY-MM-DD); used in feeds and exports, never the clock.
    pub revision_date: String,
    /// When true every page carries a DRAFT label.
    #[serde(default)]
    pub draft: bool,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Raw HTML in Markdown is escaped unless trusted authors switch this on.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// How the search index is shipped: one file per language, or split into parts loaded on
    /// demand (see `crate::search::split`). `auto` splits when one file would be too big.
    #[serde(default)]
    pub search_index: crate::search::IndexLayout,
    pub languages: BTreeMap<String, LanguageConfig>,
    /// The revision before this one, for the changes page, feeds and redirects (docs/revisions.md).
    #[serde(default)]
    pub previous: Option<PreviousRevision>,
    /// Why a retired measure was withdrawn, per language: `[withdrawn.AM-2] ja = "…"`, shown on
    /// the page at its old URL (docs/revisions.md).
    #[serde(default)]
    pub withdrawn: BTreeMap<String, BTreeMap<String, String>>,
}

/// `[previous]`: the last published revision, read from its committed manifest so that a build
/// needs no git history.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousRevision {
    /// Its revision label, e.g. "2026.10-draft.0".
    pub revision: String,
    /// Its baseline.json, relative to the root; default `revisions/<revision>.json`.
    pub manifest: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
}

fn default_language() -> String {
    "ja".into()
}

fn default_theme() -> String {
    "default".into()
}

impl Config {
    /// Languages with the default first, then the others in alphabetical order.
    pub fn language_codes(&self) -> Vec<String> {
        let mut langs = vec![self.default_language.clone()];
        langs.extend(
            self.languages
                .keys()
                .filter(|l| **l != self.default_language)
                .cloned(),
        );
        langs
    }

    pub fn language(&self, lang: &str) -> &LanguageConfig {
        &self.languages[lang]
    }

    /// Base URL with exactly one trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(
                CONFIG_FILE,
                LineCol::START,
                format!("cannot read {CONFIG_FILE}: {e}"),
            )
            .with_help("run kijun from the folder that holds kijun.toml, or pass --root DIR")
        })?;
        let src = SourceText::new(root, &path, text);
        Self::parse(&src)
    }

    pub fn parse(src: &SourceText) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(&src.text).map_err(|e| toml_diagnostic(src, 0, &e))?;
        config.validate(src)?;
        Ok(config)
    }

    fn validate(&self, src: &SourceText) -> Result<(), Diagnostic> {
        let at_key = |key: &str| key_offset(&src.text, key);
        if !self.languages.contains_key(&self.default_language) {
            return Err(src
                .error(
                    at_key("default_language"),
                    format!(
                        "default_language `{}` has no [languages.{}] table",
                        self.default_language, self.default_language
                    ),
                )
                .with_help("add the table or change default_language"));
        }
        for code in self.languages.keys() {
            let valid =
                (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
            if !valid {
                return Err(src
                    .error(
                        at_key(&format!("languages.{code}")),
                        format!("`{code}` is not a language code"),
                    )
                    .with_help("use a two-letter ISO 639-1 code such as ja or en"));
            }
        }
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(src
                .error(
                    at_key("base_url"),
                    "base_url must be an absolute http(s) URL",
                )
                .with_help("for example base_url = \"https://example.jp/kijun/\""));
        }
        if !is_iso_date(&self.revision_date) {
            return Err(src
                .error(
                    at_key("revision_date"),
                    format!(
                        "revision_date `{}` is not a real date written YYYY-MM-DD",
                        self.revision_date
                    ),
                )
                .with_help("for example revision_date = \"2026-11-25\""));
        }
        if !is_file_name_safe(&self.revision) {
            return Err(src
                .error(
                    at_key("revision"),
                    format!("revision `{}` cannot be part of a file name", self.revision),
                )
                .with_help("the revision names the downloads (kijun-measures-REVISION-ja.csv): use 1 to 64 ASCII letters, digits, '-', '_' and '.', like 2026.11-draft.1"));
        }
        Ok(())
    }
}

/// Offset of the line that sets `key` (`key = ...` at the start of a line), or 0.
pub fn key_offset(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    0
}

/// A revision label usable in a file name on every system (issue 20: `revision = ""` made
/// `kijun-measures--ja.csv`).
fn is_file_name_safe(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A real calendar date written YYYY-MM-DD (`2026-02-30` is not one).
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return false;
    }
    let number = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(&SourceText::named("kijun.toml", text))
    }

    const GOOD: &str = r#"base_url = "https://example.jp/"
revision = "r1"
revision_date = "2026-11-25"
[languages.ja]
title = "基準"
[languages.en]
title = "Baseline"
"#;

    #[test]
    fn default_language_comes_first() {
        assert_eq!(parse(GOOD).unwrap().language_codes(), vec!["ja", "en"]);
    }

    #[test]
    fn a_wrong_key_names_the_key_and_line() {
        let bad = GOOD.replace("revision = ", "revison = ");
        let d = parse(&bad).unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.message.contains("revison"), "{d}");
        assert_eq!(d.help.as_deref(), Some("did you mean `revision`?"));
    }

    #[test]
    fn dates_are_calendar_dates_reported_at_their_line() {
        assert!(is_iso_date("2024-02-29"));
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-00-10",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
        let d = parse(&GOOD.replace("2026-11-25", "2026-02-30")).unwrap_err();
        assert_eq!((d.line, d.column), (3, 1), "{d}");
        assert!(d.message.contains("2026-02-30"), "{d}");
    }

    #[test]
    fn the_revision_must_be_usable_in_a_file_name() {
        for bad in ["", "a/b", "r 1", "x.", "..", "版1"] {
            let d = parse(&GOOD.replace("\"r1\"", &format!("{bad:?}"))).unwrap_err();
            assert_eq!(d.line, 2, "{bad:?}: {d}");
        }
        assert!(parse(&GOOD.replace("\"r1\"", "\"2026.11-draft.1\"")).is_ok());
    }

    #[test]
    fn a_wrong_type_names_the_line() {
        let bad = GOOD.replace("title = \"Baseline\"", "title = 3");
        let d = parse(&bad).unwrap_err();
        assert_eq!(d.line, 7, "{d}");
    }
}
