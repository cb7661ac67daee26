//! What ids a content root uses, and which it has retired: read straight from the files, so
//! that `new` and `renumber` work even while the sources have errors.

use crate::config::Config;
use crate::load::CONTENT_DIR;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One measure's files, as found under `content/measures/<folder>/`.
#[derive(Debug, Clone)]
pub struct MeasureFiles {
    pub id: String,
    pub folder: String,
    /// Per language code: the file's path.
    pub files: BTreeMap<String, PathBuf>,
    /// The default-language file's front matter (empty when it does not parse).
    pub front: toml::Table,
}

/// Why an id may not be used again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retired {
    /// A current measure lists it in `replaces`.
    ReplacedBy(String),
    /// A committed revision under revisions/ had it.
    InRevision(String),
}

impl Retired {
    pub fn explain(&self, id: &str) -> String {
        match self {
            Retired::ReplacedBy(by) => format!("`{id}` was retired: {by} lists it in `replaces`"),
            Retired::InRevision(rev) => {
                format!("`{id}` was published in revision {rev} (revisions/) and is retired")
            }
        }
    }
}

/// The TOML between the opening and closing `+++` lines of a page, with its byte range in the
/// file as it is (a byte-order mark and CRLF line ends kept, as the author wrote them).
pub fn front_range(text: &str) -> Option<std::ops::Range<usize>> {
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let (front, _) = crate::load::split_front_matter(&text[bom..]).ok()?;
    Some(front.start + bom..front.end + bom)
}

pub fn parse_front(text: &str) -> toml::Table {
    front_range(text)
        .and_then(|r| text[r].parse::<toml::Table>().ok())
        .unwrap_or_default()
}

/// The `<stem>.<lang>.md` files of one content folder, grouped by stem.
pub fn pages_in(dir: &Path) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut out: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(base) = name.strip_suffix(".md") else {
            continue;
        };
        if let Some((stem, lang)) = base.rsplit_once('.') {
            out.entry(stem.to_string())
                .or_default()
                .insert(lang.to_string(), entry.path());
        }
    }
    out
}

/// Every measure under content/measures, in folder then id order.
pub fn measures(root: &Path, default_lang: &str) -> Vec<MeasureFiles> {
    let dir = root.join(CONTENT_DIR).join("measures");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|e| {
            e.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    let mut out = Vec::new();
    for folder in folders {
        let folder_name = folder.file_name().unwrap().to_string_lossy().to_string();
        for (id, files) in pages_in(&folder) {
            let front = files
                .get(default_lang)
                .or_else(|| files.values().next())
                .and_then(|p| std::fs::read_to_string(p).ok())
                .map(|t| parse_front(&t))
                .unwrap_or_default();
            out.push(MeasureFiles {
                id,
                folder: folder_name.clone(),
                files,
                front,
            });
        }
    }
    out
}

/// The folder holding committed revision manifests (revisions/ unless `[previous]` says).
pub fn revisions_dir(root: &Path, config: &Config) -> PathBuf {
    let rel = config
        .previous
        .as_ref()
        .map(crate::revision::history::manifest_path)
        .unwrap_or_else(|| "revisions/x.json".into());
    root.join(Path::new(&rel).parent().unwrap_or(Path::new("revisions")))
}

/// Measure ids that are retired: listed in `replaces` by a current measure, or published in a
/// committed revision and no longer a current measure.
pub fn retired_measures(
    root: &Path,
    config: &Config,
    current: &[MeasureFiles],
) -> BTreeMap<String, Retired> {
    let mut out = BTreeMap::new();
    for m in current {
        for old in string_list(&m.front, "replaces") {
            out.insert(old, Retired::ReplacedBy(m.id.clone()));
        }
    }
    let dir = revisions_dir(root, config);
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|e| e.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    manifests.retain(|p| p.extension().is_some_and(|e| e == "json"));
    manifests.sort();
    for path in manifests {
        let Some(json) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        else {
            continue;
        };
        let revision = json["revision"].as_str().unwrap_or("?").to_string();
        for m in json["measures"].as_array().into_iter().flatten() {
            let mut ids: Vec<&str> = m["id"].as_str().into_iter().collect();
            ids.extend(
                m["replaces"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str()),
            );
            for id in ids {
                if !current.iter().any(|c| c.id == id) {
                    out.entry(id.to_string())
                        .or_insert_with(|| Retired::InRevision(revision.clone()));
                }
            }
        }
    }
    out
}

pub fn string_list(front: &toml::Table, key: &str) -> Vec<String> {
    front
        .get(key)
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// A measure id: two upper-case ASCII letters, '-', a number without leading zero.
pub fn parse_measure_id(id: &str) -> Option<(&str, u32)> {
    let (cat, n) = id.split_once('-')?;
    let cat_ok = cat.len() == 2 && cat.bytes().all(|b| b.is_ascii_uppercase());
    let n_ok = !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit());
    if !(cat_ok && n_ok) {
        return None;
    }
    Some((cat, n.parse().ok()?))
}

/// A slug for guidelines, sectors and pages: lower-case ASCII letters, digits and '-'.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `text[at..at+len]` is a whole id token, not part of a longer id such as LM-20 or
/// XLM-2.
pub fn is_token_at(text: &str, at: usize, len: usize) -> bool {
    let part = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let before = text[..at].bytes().last();
    let after = text[at + len..].bytes().next();
    !before.is_some_and(|b| part(b) || b == b'.') && !after.is_some_and(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_ids() {
        assert_eq!(parse_measure_id("AM-12"), Some(("AM", 12)));
        assert_eq!(parse_measure_id("AM-01"), None);
        assert_eq!(parse_measure_id("am-1"), None);
        assert_eq!(parse_measure_id("AMX-1"), None);
        assert_eq!(parse_measure_id("AM-"), None);
    }

    #[test]
    fn tokens_are_whole_ids() {
        let t = "LM-2, LM-20 and XLM-2 or (LM-2).";
        assert!(is_token_at(t, 0, 4));
        assert!(!is_token_at(t, 6, 4));
        assert!(!is_token_at(t, 17, 4));
        assert!(is_token_at(t, 26, 4));
    }

    #[test]
    fn front_matter_range() {
        let t = "+++\nid = \"A\"\n+++\nbody";
        assert_eq!(&t[front_range(t).unwrap()], "id = \"A\"\n");
        assert!(front_range("no front").is_none());
    }
}
