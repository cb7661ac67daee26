//! Diagnostics: every problem kijun finds in the sources, with file, line and column.
//!
//! Stages collect diagnostics instead of stopping at the first one, so that `kijun check`
//! can list everything an author has to fix in one run.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, pos: LineCol, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: pos.line,
            column: pos.column,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl Into<String>, pos: LineCol, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message` — the format editors and CI annotators recognise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, label, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl LineCol {
    pub const START: LineCol = LineCol { line: 1, column: 1 };

    /// Position of `byte_offset` in `text`; offsets past the end or inside a character are clamped.
    pub fn of(text: &str, byte_offset: usize) -> LineCol {
        let mut offset = byte_offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        LineCol { line, column }
    }
}

/// A source file's text with its display path, for turning byte offsets into positions.
#[derive(Debug)]
pub struct SourceText {
    pub display_path: String,
    pub text: String,
    /// Where each line starts, made on the first position asked for: a file with thousands of
    /// diagnostics would otherwise recount its lines from the start for each (issue 20).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceText {
    pub fn new(root: &Path, path: &Path, text: String) -> Self {
        SourceText::named(display_path(root, path), text)
    }

    /// A text shown as `display_path` in messages.
    pub fn named(display_path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceText {
            display_path: display_path.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The same as `LineCol::of(&self.text, byte_offset)`, in time for the line's length only.
    pub fn pos(&self, byte_offset: usize) -> LineCol {
        let text = &self.text;
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    text.bytes()
                        .enumerate()
                        .filter(|(_, b)| *b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        });
        let mut offset = byte_offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = starts.partition_point(|&start| start <= offset);
        let column = text[starts[line - 1]..offset].chars().count() + 1;
        LineCol { line, column }
    }

    pub fn error(&self, byte_offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.display_path.clone(), self.pos(byte_offset), message)
    }

    pub fn warning(&self, byte_offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.display_path.clone(), self.pos(byte_offset), message)
    }
}

/// `path` relative to `root` with forward slashes, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}

/// How many diagnostics of one file `to_human` prints.
pub const SHOWN_PER_FILE: usize = 50;

/// All diagnostics of a run, sorted for stable output.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn sorted(mut self) -> Self {
        self.items.sort();
        self.items.dedup();
        self
    }

    /// Every diagnostic as `file:line:col: ...`, at most `SHOWN_PER_FILE` per file (as rustc
    /// stops after a screenful) with a count of the rest; `to_json` lists them all.
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        let mut per_file: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for d in &self.items {
            let (shown, hidden) = per_file.entry(&d.file).or_default();
            if *shown < SHOWN_PER_FILE {
                *shown += 1;
                out.push_str(&d.to_string());
                out.push('\n');
            } else {
                *hidden += 1;
            }
        }
        for (file, (_, hidden)) in per_file.into_iter().filter(|(_, (_, h))| *h > 0) {
            out.push_str(&format!(
                "{file}: {hidden} more problem(s) not shown; `kijun check --format json` lists them all\n"
            ));
        }
        out
    }

    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            errors: usize,
            warnings: usize,
            diagnostics: &'a [Diagnostic],
        }
        serde_json::to_string_pretty(&Report {
            errors: self.error_count(),
            warnings: self.warning_count(),
            diagnostics: &self.items,
        })
        .expect("diagnostics serialise")
    }
}

/// "did you mean `level`?" for a misspelt key, when one known key is close enough.
pub fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        // On a tie the alphabetically first wins, whatever order the keys came in.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| format!("did you mean `{k}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "一行目\n二行目のabc";
        let offset = text.find("abc").unwrap();
        assert_eq!(LineCol::of(text, offset), LineCol { line: 2, column: 5 });
        assert_eq!(LineCol::of(text, 0), LineCol::START);
        assert_eq!(LineCol::of(text, 10_000).line, 2);
    }

    #[test]
    fn the_line_index_agrees_with_counting_and_is_fast() {
        let text = "一行目\n\nabc 二\r\nx";
        let src = SourceText::named("f", text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                src.pos(offset),
                LineCol::of(text, offset),
                "offset {offset}"
            );
        }
        let big = SourceText::named("f", "[[row]]\nmeasure = \"AM-1\"\n".repeat(200_000));
        for offset in (0..big.text.len()).step_by(big.text.len() / 50) {
            assert_eq!(big.pos(offset), LineCol::of(&big.text, offset));
        }
        // 20,000 positions: instant with the index, minutes without (scripts/bench-diagnostics
        // measures the whole build).
        for i in 0..20_000 {
            assert!(big.pos(i * 220).line > 0);
        }
    }

    #[test]
    fn at_most_a_set_number_per_file_are_printed() {
        let mut all = Diagnostics::default();
        for i in 0..SHOWN_PER_FILE + 7 {
            all.push(Diagnostic::error(
                "a.toml",
                LineCol {
                    line: i + 1,
                    column: 1,
                },
                "dup",
            ));
        }
        all.push(Diagnostic::warning("b.md", LineCol::START, "w"));
        let text = all.to_human();
        assert_eq!(text.matches("a.toml:").count(), SHOWN_PER_FILE + 1);
        assert!(
            text.contains("a.toml: 7 more problem(s) not shown"),
            "{text}"
        );
        assert!(text.contains("b.md:1:1: warning: w"));
        assert_eq!(all.to_json().matches("\"dup\"").count(), SHOWN_PER_FILE + 7);
    }

    #[test]
    fn suggests_close_keys_only() {
        let known = ["id", "level", "obligation"];
        assert_eq!(
            did_you_mean("leve", known).as_deref(),
            Some("did you mean `level`?")
        );
        assert_eq!(did_you_mean("zzzzzz", known), None);
        for order in [["AM-1", "AM-2"], ["AM-2", "AM-1"]] {
            assert_eq!(
                did_you_mean("AM-9", order).as_deref(),
                Some("did you mean `AM-1`?"),
                "ties are settled the same way in any order"
            );
        }
    }
}
