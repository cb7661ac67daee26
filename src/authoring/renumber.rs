//! `kijun renumber OLD NEW`: gives a measure a new id in one step. The files move to the new
//! category's folder; id, category, order and `replaces` are rewritten in the front matter; every
//! mention of the old id in content (cross-references, guideline `measures` lists, crosswalk
//! rows, prose) becomes the new one. Edits are textual, line by line, so formatting and
//! comments survive; framework catalogs and committed revisions are never touched.

use super::ids::{self, MeasureFiles};
use super::scaffold::{Refused, check_measure_free};
use crate::config::Config;
use crate::load::CONTENT_DIR;
use std::path::{Path, PathBuf};

/// One file's edit: its new text, where it moves, and the changed lines for `--dry-run`.
#[derive(Debug)]
pub struct FileEdit {
    pub path: PathBuf,
    pub moved_to: Option<PathBuf>,
    pub text: String,
    /// (line number in the new text, old line or "" if inserted, new line)
    pub lines: Vec<(usize, String, String)>,
}

fn refuse(message: impl Into<String>, help: impl Into<String>) -> Refused {
    Refused {
        message: message.into(),
        help: help.into(),
    }
}

/// Works out every edit without writing anything.
pub fn plan(root: &Path, old: &str, new: &str) -> Result<Vec<FileEdit>, Refused> {
    let config = Config::load(root)
        .map_err(|d| refuse(d.message.clone(), d.help.clone().unwrap_or_default()))?;
    let current = ids::measures(root, &config.default_language);
    let retired = ids::retired_measures(root, &config, &current);
    let Some(measure) = current.iter().find(|m| m.id == old) else {
        let help = match retired.get(old) {
            Some(why) => why.explain(old),
            None => "give the id of a measure under content/measures/".into(),
        };
        return Err(refuse(format!("no measure `{old}`"), help));
    };
    let Some((new_cat, _)) = ids::parse_measure_id(new) else {
        return Err(refuse(
            format!("`{new}` is not a measure id"),
            "a measure id is its category and a number, like VM-8",
        ));
    };
    if !root
        .join(CONTENT_DIR)
        .join("categories")
        .join(format!("{new_cat}.{}.md", config.default_language))
        .is_file()
    {
        return Err(refuse(
            format!("no category `{new_cat}`"),
            "the new id's prefix must be an existing category",
        ));
    }
    check_measure_free(new, new_cat, &current, &retired)?;
    let old_cat = measure
        .front
        .get("category")
        .and_then(|c| c.as_str())
        .unwrap_or(&measure.folder);
    let order = (old_cat != new_cat).then(|| next_order(&current, new_cat));
    let moved = Moved {
        old,
        new,
        new_cat,
        order,
        default_lang: &config.default_language,
    };
    let mut edits = Vec::new();
    for (lang, path) in &measure.files {
        let text = read(path)?;
        let mut edit = moved.rewrite_measure(path, &text, lang);
        edit.moved_to = Some(
            root.join(CONTENT_DIR)
                .join("measures")
                .join(new_cat)
                .join(format!("{new}.{lang}.md")),
        );
        edits.push(edit);
    }
    for path in content_files(root) {
        if measure.files.values().any(|p| p == &path) {
            continue;
        }
        let text = read(&path)?;
        let edit = replace_tokens(&path, &text, old, new);
        if !edit.lines.is_empty() {
            edits.push(edit);
        }
    }
    Ok(edits)
}

/// Writes the edits: new files first, then the old ones are removed, so an interruption leaves
/// both rather than neither.
pub fn apply(edits: &[FileEdit]) -> Result<(), Refused> {
    for e in edits {
        let target = e.moved_to.as_ref().unwrap_or(&e.path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|err| refuse(format!("cannot create {}: {err}", dir.display()), ""))?;
        }
        std::fs::write(target, &e.text)
            .map_err(|err| refuse(format!("cannot write {}: {err}", target.display()), ""))?;
    }
    for e in edits.iter().filter(|e| e.moved_to.is_some()) {
        std::fs::remove_file(&e.path)
            .map_err(|err| refuse(format!("cannot remove {}: {err}", e.path.display()), ""))?;
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, Refused> {
    std::fs::read_to_string(path)
        .map_err(|e| refuse(format!("cannot read {}: {e}", path.display()), ""))
}

fn next_order(current: &[MeasureFiles], category: &str) -> i64 {
    current
        .iter()
        .filter(|m| {
            m.front
                .get("category")
                .and_then(|c| c.as_str())
                .unwrap_or(&m.folder)
                == category
        })
        .filter_map(|m| m.front.get("order").and_then(|o| o.as_integer()))
        .max()
        .unwrap_or(0)
        + 1
}

/// Markdown pages and the TOML data that names measures; not framework catalogs, whose ids
/// belong to someone else.
fn content_files(root: &Path) -> Vec<PathBuf> {
    let content = root.join(CONTENT_DIR);
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let rel = p.strip_prefix(&content).unwrap_or(p);
            let ext = p.extension().and_then(|e| e.to_str());
            let hidden = rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            !hidden
                && !rel.starts_with("frameworks")
                && (ext == Some("md") || ext == Some("toml"))
                && p.file_name().is_some_and(|n| n != "README.md")
        })
        .collect();
    out.sort();
    out
}

/// Every whole-token mention of `old` becomes `new`, line by line.
fn replace_tokens(path: &Path, text: &str, old: &str, new: &str) -> FileEdit {
    let mut lines = Vec::new();
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let replaced = replace_in_line(line, old, new);
        if replaced != line {
            lines.push((n + 1, chomp(line), chomp(&replaced)));
        }
        out.push_str(&replaced);
    }
    FileEdit {
        path: path.to_path_buf(),
        moved_to: None,
        text: out,
        lines,
    }
}

pub fn replace_in_line(line: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = 0;
    for (at, _) in line.match_indices(old) {
        if at < rest || !ids::is_token_at(line, at, old.len()) {
            continue;
        }
        out.push_str(&line[rest..at]);
        out.push_str(new);
        rest = at + old.len();
    }
    out.push_str(&line[rest..]);
    out
}

fn chomp(s: &str) -> String {
    s.trim_end_matches(['\n', '\r']).to_string()
}

/// The facts of one renumbering, for rewriting the measure's own files.
struct Moved<'a> {
    old: &'a str,
    new: &'a str,
    new_cat: &'a str,
    /// The new order, when the measure changes category.
    order: Option<i64>,
    default_lang: &'a str,
}

impl Moved<'_> {
    /// The measure's own file: tokens replaced, then category, order and `replaces` set in the
    /// front matter's top-level keys (written there only in the default language).
    fn rewrite_measure(&self, path: &Path, text: &str, lang: &str) -> FileEdit {
        let mut edit = replace_tokens(path, text, self.old, self.new);
        let Some(front) = ids::front_range(&edit.text) else {
            return edit;
        };
        let first_line = edit.text[..front.start].matches('\n').count();
        let mut lines: Vec<String> = edit.text[front.clone()]
            .split_inclusive('\n')
            .map(String::from)
            .collect();
        let top = lines
            .iter()
            .position(|l| l.trim_start().starts_with('['))
            .unwrap_or(lines.len());
        let quoted_cat = format!("\"{}\"", self.new_cat);
        let mut changed: Vec<usize> = Vec::new();
        let mut anchor = None;
        for (i, line) in lines.iter_mut().enumerate().take(top) {
            let value = match key_of(line) {
                Some("category") => Some(quoted_cat.clone()),
                Some("order") => self.order.map(|o| o.to_string()),
                Some("replaces") => append_to_array(line, self.old),
                _ => None,
            };
            if matches!(key_of(line), Some("id" | "category" | "order")) {
                anchor = Some(i);
            }
            if let Some(value) = value {
                let new_line = if key_of(line) == Some("replaces") {
                    value
                } else {
                    set_value(line, &value)
                };
                if &new_line != line {
                    *line = new_line;
                    changed.push(i);
                }
            }
        }
        // Changed values first, numbered as in the file before any line is inserted.
        let old_lines: Vec<&str> = edit.text[front.clone()].split_inclusive('\n').collect();
        for &i in &changed {
            let number = first_line + i + 1;
            match edit.lines.iter_mut().find(|l| l.0 == number) {
                Some(l) => l.2 = chomp(&lines[i]),
                None => edit
                    .lines
                    .push((number, chomp(old_lines[i]), chomp(&lines[i]))),
            }
        }
        let has_replaces = lines
            .iter()
            .take(top)
            .any(|l| key_of(l) == Some("replaces"));
        if lang == self.default_lang && !has_replaces {
            let at = anchor.map_or(0, |i| i + 1);
            let number = first_line + at + 1;
            lines.insert(at, format!("replaces = [\"{}\"]\n", self.old));
            edit.lines
                .iter_mut()
                .filter(|l| l.0 >= number)
                .for_each(|l| l.0 += 1);
            edit.lines.push((number, String::new(), chomp(&lines[at])));
        }
        edit.lines.sort_by_key(|l| l.0);
        edit.text = format!(
            "{}{}{}",
            &edit.text[..front.start],
            lines.concat(),
            &edit.text[front.end..]
        );
        edit
    }
}

/// The key of a `key = value` line, if it is one.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).then_some(key)
}

/// `key = value  # comment` with the value replaced and the rest kept.
fn set_value(line: &str, value: &str) -> String {
    let (key, rest) = line.split_once('=').unwrap();
    let rest_trim = rest.trim_start();
    // The old value runs to a comment or the end of the line (category and order hold no '#').
    let end = rest_trim.find('#').map_or(rest_trim.trim_end().len(), |c| {
        rest_trim[..c].trim_end().len()
    });
    let tail = &rest_trim[end..];
    let eol = if line.ends_with('\n') && !tail.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    format!("{key}= {value}{tail}{eol}")
}

/// `replaces = ["A"]` → `replaces = ["A", "OLD"]`, for an array written on one line.
fn append_to_array(line: &str, id: &str) -> Option<String> {
    let close = line.rfind(']')?;
    let open = line.find('[')?;
    let inner = line[open + 1..close].trim();
    let sep = if inner.is_empty() { "" } else { ", " };
    Some(format!(
        "{}{}{sep}\"{id}\"{}",
        &line[..open + 1],
        inner,
        &line[close..]
    ))
}

/// The `--dry-run` listing: per file, where it moves and each changed line.
pub fn describe(edits: &[FileEdit], root: &Path) -> String {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut out = String::new();
    for e in edits {
        match &e.moved_to {
            Some(to) => out.push_str(&format!("{} -> {}\n", rel(&e.path), rel(to))),
            None => out.push_str(&format!("{}\n", rel(&e.path))),
        }
        for (n, old, new) in &e.lines {
            if !old.is_empty() {
                out.push_str(&format!("  {n:>4} - {old}\n"));
            }
            out.push_str(&format!("  {n:>4} + {new}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_replaced_keeping_comments() {
        assert_eq!(set_value("order = 2   # pos\n", "8"), "order = 8   # pos\n");
        assert_eq!(
            set_value("category = \"LM\"\n", "\"VM\""),
            "category = \"VM\"\n"
        );
        assert_eq!(
            append_to_array("replaces = [\"XX-1\"]  # old\n", "LM-2").unwrap(),
            "replaces = [\"XX-1\", \"LM-2\"]  # old\n"
        );
        assert_eq!(
            append_to_array("replaces = []\n", "LM-2").unwrap(),
            "replaces = [\"LM-2\"]\n"
        );
    }

    #[test]
    fn only_whole_ids_are_replaced() {
        assert_eq!(
            replace_in_line("[](measure:LM-2), LM-20, LM-2は", "LM-2", "VM-8"),
            "[](measure:VM-8), LM-20, VM-8は"
        );
    }

    #[test]
    fn the_measure_file_gets_category_order_and_replaces() {
        let text = "+++\nid = \"LM-2\"\ncategory = \"LM\"\nlevel = 1\norder = 2\ntitle = \"t\"\n\n[[sector_notes]]\nsector = \"gas\"\ntext = \"x\"\n+++\nLM-2 body\n";
        let moved = Moved {
            old: "LM-2",
            new: "VM-8",
            new_cat: "VM",
            order: Some(8),
            default_lang: "ja",
        };
        let e = moved.rewrite_measure(Path::new("x"), text, "ja");
        assert_eq!(
            e.text,
            "+++\nid = \"VM-8\"\ncategory = \"VM\"\nlevel = 1\norder = 8\nreplaces = [\"LM-2\"]\ntitle = \"t\"\n\n[[sector_notes]]\nsector = \"gas\"\ntext = \"x\"\n+++\nVM-8 body\n"
        );
        let numbers: Vec<usize> = e.lines.iter().map(|l| l.0).collect();
        assert_eq!(numbers, vec![2, 3, 5, 6, 13]);
        let en = moved.rewrite_measure(Path::new("x"), "+++\ntitle = \"t\"\n+++\n", "en");
        assert_eq!(en.text, "+++\ntitle = \"t\"\n+++\n");
    }
}
