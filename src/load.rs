//! Stage 1: walk `content/`, read each source file and split off its TOML front matter.
//!
//! Nothing here knows what a measure is: the model stage gives the pieces meaning.

use crate::diagnostics::{Diagnostic, Diagnostics, LineCol, SourceText, display_path};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const CONTENT_DIR: &str = "content";

/// Larger sources are refused before they are read: a real page is a few kB, and a 20 MB page
/// already takes seconds and a gigabyte of memory to publish.
pub const MAX_SOURCE_BYTES: u64 = 32 * 1024 * 1024;

/// All sources together: several files just under the per-file cap would exhaust memory.
pub const MAX_TOTAL_SOURCE_BYTES: u64 = 256 * 1024 * 1024;

/// Tables and arrays in one TOML text (front matter or data file): the parser holds each as a
/// map or vector of its own, so a few MB of `[{a=1}, ...]` took gigabytes before the unknown
/// field was reported (issue 20). The largest crosswalk of the benchmark corpus has 60,000.
pub const MAX_TOML_STRUCTURES: usize = 200_000;

/// What a Markdown file is, from the folder it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Home,
    Category,
    Measure,
    Guideline,
    Sector,
    Page,
}

impl DocKind {
    fn from_folder(folder: &str) -> Option<DocKind> {
        Some(match folder {
            "categories" => DocKind::Category,
            "measures" => DocKind::Measure,
            "guidelines" => DocKind::Guideline,
            "sectors" => DocKind::Sector,
            "pages" => DocKind::Page,
            _ => return None,
        })
    }
}

/// One Markdown source file, split into front matter and body.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    pub src: Arc<SourceText>,
    pub kind: DocKind,
    /// File name without language and extension: `AM-1` for `AM-1.ja.md`.
    pub stem: String,
    pub lang: String,
    /// Byte range of the TOML between the `+++` lines.
    pub front: std::ops::Range<usize>,
    /// Byte range of the Markdown body.
    pub body: std::ops::Range<usize>,
}

impl SourceDoc {
    pub fn front_text(&self) -> &str {
        &self.src.text[self.front.clone()]
    }
    pub fn body_text(&self) -> &str {
        &self.src.text[self.body.clone()]
    }
}

/// A TOML data file under `content/` (glossary, frameworks, crosswalks).
#[derive(Debug, Clone)]
pub struct DataFile {
    pub src: Arc<SourceText>,
    /// Path relative to `content/`, e.g. `frameworks/nist-csf-2.0.toml`.
    pub rel: String,
}

#[derive(Debug, Default)]
pub struct Sources {
    pub docs: Vec<SourceDoc>,
    pub data: Vec<DataFile>,
    /// Every file read, for the watcher and for error messages.
    pub files: Vec<PathBuf>,
    /// Pages whose file exists but could not be read or split (already reported): kind, stem
    /// and language, so later stages do not report them missing as well.
    pub unreadable: Vec<(DocKind, String, String)>,
}

/// Reads every file under `root/content`, in a stable order.
pub fn load_sources(root: &Path, languages: &[String], diags: &mut Diagnostics) -> Sources {
    let content = root.join(CONTENT_DIR);
    let mut sources = Sources::default();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                CONTENT_DIR,
                LineCol::START,
                "the content/ folder is missing",
            )
            .with_help("create content/ next to kijun.toml, or pass --root DIR"),
        );
        return sources;
    }
    let canonical_content = content.canonicalize().unwrap_or_else(|_| content.clone());
    let mut to_read: Vec<(PathBuf, String)> = Vec::new();
    let mut walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content.clone());
                diags.push(Diagnostic::error(
                    display_path(root, &path),
                    LineCol::START,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        let name = entry.file_name().to_string_lossy().to_string();
        // Hidden files, editor backups, and README.md notes for authors are not content.
        if name.starts_with('.') || name.ends_with('~') || name.eq_ignore_ascii_case("README.md") {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue; // editor swap files, hidden folders
        }
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_content) => {
                    if target.is_dir() {
                        diags.push(Diagnostic::warning(
                            display_path(root, &path),
                            LineCol::START,
                            "symbolic links to folders are not followed",
                        ));
                        continue;
                    }
                }
                Ok(_) => {
                    diags.push(
                        Diagnostic::error(
                            display_path(root, &path),
                            LineCol::START,
                            "symbolic link points outside content/",
                        )
                        .with_help("copy the file into content/ instead of linking to it"),
                    );
                    continue;
                }
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            display_path(root, &path),
                            LineCol::START,
                            format!("broken symbolic link: {e}"),
                        )
                        .with_help("its target is missing or it links to itself; remove the link or copy the file here"),
                    );
                    continue;
                }
            }
        } else if entry.file_type().is_dir() {
            continue;
        }
        // A FIFO or device would block the read (or never end): only regular files are content.
        if !path.is_file() {
            diags.push(
                Diagnostic::error(
                    display_path(root, &path),
                    LineCol::START,
                    "not a regular file (a pipe, socket or device)",
                )
                .with_help("remove it from content/; content holds only Markdown and TOML files"),
            );
            continue;
        }
        let rel = path.strip_prefix(&content).unwrap_or(&path).to_path_buf();
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        if rel_str.ends_with(".md") || rel_str.ends_with(".toml") {
            to_read.push((path.clone(), rel_str));
        } else {
            diags.push(
                Diagnostic::warning(
                    display_path(root, &path),
                    LineCol::START,
                    "ignored: not a .md or .toml file",
                )
                .with_help("content/ holds only Markdown pages and TOML data"),
            );
            continue;
        }
        sources.files.push(path);
    }
    let total: u64 = to_read
        .iter()
        .filter_map(|(path, _)| std::fs::metadata(path).ok())
        .map(|m| m.len())
        .sum();
    if total > MAX_TOTAL_SOURCE_BYTES {
        diags.push(
            Diagnostic::error(
                CONTENT_DIR,
                LineCol::START,
                format!(
                    "the sources are too large ({} MiB in all; the limit is {} MiB)",
                    total >> 20,
                    MAX_TOTAL_SOURCE_BYTES >> 20
                ),
            )
            .with_help("content/ holds the baseline's text and data only: move other files out"),
        );
        return sources;
    }
    // Reading and splitting files is independent work: thousands of pages read in parallel,
    // then kept in walk order.
    let read: Vec<(Option<Read>, Diagnostics)> = to_read
        .into_par_iter()
        .map(|(path, rel)| {
            let mut d = Diagnostics::default();
            let r = if rel.ends_with(".md") {
                Some(match read_doc(root, &path, &rel, languages, &mut d) {
                    Ok(doc) => Read::Doc(doc),
                    Err(Some(unreadable)) => Read::Unreadable(unreadable),
                    Err(None) => return (None, d),
                })
            } else {
                read_text(root, &path, &mut d)
                    .filter(|src| within_toml_limits(src, 0..src.text.len(), &mut d))
                    .map(|src| {
                        Read::Data(DataFile {
                            src: Arc::new(src),
                            rel,
                        })
                    })
            };
            (r, d)
        })
        .collect();
    for (r, d) in read {
        diags.extend(d.items);
        match r {
            Some(Read::Doc(doc)) => sources.docs.push(doc),
            Some(Read::Data(data)) => sources.data.push(data),
            Some(Read::Unreadable(u)) => sources.unreadable.push(u),
            None => {}
        }
    }
    sources
}

enum Read {
    Doc(SourceDoc),
    Data(DataFile),
    /// A page file that could not be read: (kind, stem, language).
    Unreadable((DocKind, String, String)),
}

/// Reads a file as UTF-8, normalising CRLF to LF (positions stay on the same lines) and
/// dropping a byte-order mark with a warning.
pub fn read_text(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<SourceText> {
    let shown = display_path(root, path);
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_SOURCE_BYTES
    {
        diags.push(
            Diagnostic::error(
                shown,
                LineCol::START,
                format!(
                    "the file is too large ({} MiB; the limit is {} MiB)",
                    meta.len() / (1024 * 1024),
                    MAX_SOURCE_BYTES / (1024 * 1024)
                ),
            )
            .with_help("split it into several pages, or move data out of content/"),
        );
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                shown,
                LineCol::START,
                format!("cannot read file: {e}"),
            ));
            return None;
        }
    };
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).to_string();
            diags.push(
                Diagnostic::error(
                    shown,
                    LineCol::of(&prefix, valid),
                    "the file is not valid UTF-8",
                )
                .with_help("save the file as UTF-8 (not Shift_JIS or EUC-JP)"),
            );
            return None;
        }
    };
    if let Some(stripped) = text.strip_prefix('\u{feff}') {
        diags.push(
            Diagnostic::warning(
                shown.clone(),
                LineCol::START,
                "byte-order mark at the start of the file was ignored",
            )
            .with_help("save the file as UTF-8 without BOM"),
        );
        text = stripped.to_string();
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if let Some((at, c)) = text.char_indices().find(|(_, c)| is_forbidden_char(*c)) {
        diags.push(
            Diagnostic::error(
                shown,
                LineCol::of(&text, at),
                format!("the file contains the invisible control character U+{:04X}, which cannot appear in a web page", c as u32),
            )
            .with_help("delete it (it often comes from copying out of a PDF or a binary file)"),
        );
        return None;
    }
    Some(SourceText::named(shown, text))
}

/// What went wrong reading a page: nothing to add (`None`), or the page it was meant to be
/// when its name made sense but its content could not be read or split.
type Unreadable = Option<(DocKind, String, String)>;

/// Characters HTML does not allow in a page (C0 and C1 controls other than whitespace, and
/// noncharacters): refused at the source, so that the output is always valid.
fn is_forbidden_char(c: char) -> bool {
    let n = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\u{c}'))
        || (0xFDD0..=0xFDEF).contains(&n)
        || (n & 0xFFFE) == 0xFFFE
}

fn read_doc(
    root: &Path,
    path: &Path,
    rel: &str,
    languages: &[String],
    diags: &mut Diagnostics,
) -> Result<SourceDoc, Unreadable> {
    let shown = display_path(root, path);
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let Some((stem, lang)) = split_file_name(file_name) else {
        diags.push(
            Diagnostic::error(
                shown,
                LineCol::START,
                "the file name does not say its language",
            )
            .with_help(format!(
                "name it <id>.<lang>.md, with lang one of: {}",
                languages.join(", ")
            )),
        );
        return Err(None);
    };
    if !languages.iter().any(|l| l == lang) {
        diags.push(
            Diagnostic::error(
                shown,
                LineCol::START,
                format!("`{lang}` is not a language of this site"),
            )
            .with_help(format!(
                "use one of: {} (set in kijun.toml)",
                languages.join(", ")
            )),
        );
        return Err(None);
    }
    let kind = if !rel.contains('/') && stem == "_index" {
        DocKind::Home
    } else {
        let folder = rel.split('/').next().unwrap_or("");
        match DocKind::from_folder(folder) {
            Some(kind) if rel.contains('/') => kind,
            _ => {
                diags.push(
                    Diagnostic::error(
                        shown,
                        LineCol::START,
                        "this Markdown file is outside the known folders",
                    )
                    .with_help(
                        "put it in content/categories, measures, guidelines, sectors or pages",
                    ),
                );
                return Err(None);
            }
        }
    };
    let unreadable = || Some((kind, stem.to_string(), lang.to_string()));
    let src = Arc::new(read_text(root, path, diags).ok_or_else(unreadable)?);
    let (front, body) = match split_front_matter(&src.text) {
        Ok(parts) => parts,
        Err((offset, message, help)) => {
            diags.push(src.error(offset, message).with_help(help));
            return Err(unreadable());
        }
    };
    if !within_toml_limits(&src, front.clone(), diags) {
        return Err(unreadable());
    }
    Ok(SourceDoc {
        src,
        kind,
        stem: stem.to_string(),
        lang: lang.to_string(),
        front,
        body,
    })
}

/// Whether the TOML in `range` has at most `MAX_TOML_STRUCTURES` tables and arrays (counted
/// by their brackets, strings included: an over-count only for absurd text); reports the
/// bracket past the limit otherwise. Checked before parsing, so memory never grows for it.
fn within_toml_limits(
    src: &SourceText,
    range: std::ops::Range<usize>,
    diags: &mut Diagnostics,
) -> bool {
    let Some(text) = src.text.get(range.clone()) else {
        return true;
    };
    let over = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'{' | b'['))
        .nth(MAX_TOML_STRUCTURES);
    if let Some((at, _)) = over {
        diags.push(
            src.error(
                range.start + at,
                format!(
                    "too many tables and arrays in one TOML text (the limit is {MAX_TOML_STRUCTURES})"
                ),
            )
            .with_help("split the data into several files, or remove what kijun does not read"),
        );
        return false;
    }
    true
}

/// `AM-1.ja.md` → (`AM-1`, `ja`).
fn split_file_name(name: &str) -> Option<(&str, &str)> {
    let without_ext = name.strip_suffix(".md")?;
    let (stem, lang) = without_ext.rsplit_once('.')?;
    (!stem.is_empty()).then_some((stem, lang))
}

type SplitError = (usize, String, String);

/// Finds the `+++` fenced front matter at the start of `text`.
pub fn split_front_matter(
    text: &str,
) -> Result<(std::ops::Range<usize>, std::ops::Range<usize>), SplitError> {
    if text.trim().is_empty() {
        return Err((
            0,
            "the file is empty".into(),
            "start it with a +++ front matter block".into(),
        ));
    }
    // Sources are normalised to \n before they get here; authoring tools edit files as they are.
    let Some(after_open) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Err((
            0,
            "the file does not start with a +++ front matter line".into(),
            "put +++ on the first line, the TOML front matter, then +++ again".into(),
        ));
    };
    let start = text.len() - after_open.len();
    let mut offset = start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_start = offset + line.len();
            return Ok((start..offset, body_start..text.len()));
        }
        offset += line.len();
    }
    Err((
        0,
        "the front matter is not closed".into(),
        "add a line with +++ after the front matter".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\nid = \"A\"\n+++\nbody\n";
        let (front, body) = split_front_matter(text).unwrap();
        assert_eq!(&text[front], "id = \"A\"\n");
        assert_eq!(&text[body], "body\n");
    }

    #[test]
    fn splits_front_matter_written_with_crlf() {
        let text = "+++\r\nid = \"A\"\r\n+++\r\nbody\r\n";
        let (front, body) = split_front_matter(text).unwrap();
        assert_eq!(&text[front], "id = \"A\"\r\n");
        assert_eq!(&text[body], "body\r\n");
    }

    #[test]
    fn reports_an_unclosed_front_matter() {
        let err = split_front_matter("+++\nid = 1\nbody").unwrap_err();
        assert!(err.1.contains("not closed"));
    }

    #[test]
    fn file_names_carry_the_language() {
        assert_eq!(split_file_name("AM-1.ja.md"), Some(("AM-1", "ja")));
        assert_eq!(split_file_name("AM-1.md"), None);
    }
}
