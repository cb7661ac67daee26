//! Watches `content/`, `revisions/`, `themes/` and `kijun.toml` and reports, debounced, what
//! kind of source changed, so the rebuild can skip the stages the change cannot affect.

use crate::config::CONFIG_FILE;
use crate::load::CONTENT_DIR;
use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Quiet time after the last event on a path before it is reported. Editors that save by
/// writing a temporary file and renaming it over the original (vim, VS Code, JetBrains) finish
/// within a few milliseconds, so this merges one save into one rebuild without adding much
/// delay. (A save caught halfway is rebuilt again; its errors are held back, see ERROR_GRACE.)
const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often the debouncer looks for paths that have gone quiet.
const TICK: Duration = Duration::from_millis(5);

pub const THEMES_DIR: &str = "themes";
/// Earlier revisions' manifests, read with the model (the changes pages, feeds).
pub const REVISIONS_DIR: &str = "revisions";

/// Folders watched recursively; their changes reload the model, except themes/.
const SOURCE_FOLDERS: [&str; 3] = [CONTENT_DIR, REVISIONS_DIR, THEMES_DIR];

/// What changed since the last rebuild, by kind of source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub config: bool,
    pub theme: bool,
    pub content: bool,
    /// content/ or themes/ itself was created, removed or renamed: its watch must be renewed.
    pub folders: bool,
    /// The changed files, relative to the root, for the terminal.
    pub paths: Vec<String>,
}

impl Changes {
    pub fn everything() -> Changes {
        Changes {
            config: true,
            theme: true,
            content: true,
            folders: false,
            paths: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        !(self.config || self.theme || self.content)
    }

    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.theme |= other.theme;
        self.content |= other.content;
        self.folders |= other.folders;
        for p in other.paths {
            if !self.paths.contains(&p) {
                self.paths.push(p);
            }
        }
    }

    /// Sorts one changed path into its kind; paths the site does not read are left out.
    pub fn add(&mut self, root: &Path, path: &Path) {
        let Ok(rel) = path.strip_prefix(root) else {
            return;
        };
        let mut parts = rel.components();
        let Some(first) = parts.next() else { return };
        let first = first.as_os_str();
        if parts.clone().next().is_none() && SOURCE_FOLDERS.iter().any(|f| first == *f) {
            self.folders = true;
        }
        let kind = if first == CONFIG_FILE && parts.next().is_none() {
            &mut self.config
        } else if (first == CONTENT_DIR || first == REVISIONS_DIR) && !is_editor_scratch(path) {
            &mut self.content
        } else if first == THEMES_DIR && !is_editor_scratch(path) {
            &mut self.theme
        } else {
            return;
        };
        *kind = true;
        let shown = rel.to_string_lossy().replace('\\', "/");
        if !self.paths.contains(&shown) {
            self.paths.push(shown);
        }
    }
}

/// Swap, backup and temporary files that editors write next to the file being saved.
fn is_editor_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    name.starts_with('.') // vim .x.swp, emacs .#x lock files, hidden files kijun skips anyway
        || name.starts_with('#') // emacs #x# autosave
        || name.ends_with('~') // vim, emacs backups
        || name == "4913" // vim's "can I write here" probe
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

type DebouncerOf = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Keeps the watch alive; dropping it stops watching.
pub struct Watcher {
    debouncer: DebouncerOf,
    root: PathBuf,
}

impl Watcher {
    /// Starts watching `root` (absolute) and sends each debounced batch of changes.
    pub fn start(root: &Path, changes: Sender<Changes>) -> notify::Result<Watcher> {
        let handler_root = root.to_path_buf();
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), move |result: DebounceEventResult| {
            let events = match result {
                Ok(events) => events,
                Err(errors) => {
                    for e in errors {
                        eprintln!("kijun serve: watch error: {e}");
                    }
                    return;
                }
            };
            let mut batch = Changes::default();
            // Reads (kijun's own, during a rebuild) are reported as access events: skip them.
            let writes = events.iter().filter(|e| !e.kind.is_access());
            for path in writes.flat_map(|e| e.paths.iter()) {
                batch.add(&handler_root, path);
            }
            if !batch.is_empty() {
                let _ = changes.send(batch);
            }
        })?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
        };
        // The root itself, not recursively: catches kijun.toml replaced by rename and source
        // folders appearing, without watching site/ or target/.
        watcher
            .debouncer
            .watch(&watcher.root, RecursiveMode::NonRecursive)?;
        watcher.watch_source_folders()?;
        Ok(watcher)
    }

    /// Watches inside the source folders; called again when one was created or replaced.
    pub fn watch_source_folders(&mut self) -> notify::Result<()> {
        for folder in SOURCE_FOLDERS {
            let dir = self.root.join(folder);
            if dir.is_dir() {
                self.debouncer.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes_for(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        let mut c = Changes::default();
        for p in paths {
            c.add(root, &root.join(p));
        }
        c
    }

    #[test]
    fn sorts_paths_by_kind() {
        let c = changes_for(&["content/measures/AM/AM-1.ja.md"]);
        assert!(c.content && !c.theme && !c.config);
        let c = changes_for(&["revisions/2026.10-draft.0.json"]);
        assert!(c.content && !c.theme && !c.config);
        let c = changes_for(&["themes/default/templates/base.html", "kijun.toml"]);
        assert!(c.theme && c.config && !c.content);
        assert_eq!(
            c.paths,
            ["themes/default/templates/base.html", "kijun.toml"]
        );
    }

    #[test]
    fn ignores_editor_scratch_files_and_other_folders() {
        let c = changes_for(&[
            "content/measures/AM/.AM-1.ja.md.swp",
            "content/measures/AM/4913",
            "content/measures/AM/AM-1.ja.md~",
            "content/#AM-1.ja.md#",
            "site/ja/index.html",
            "target/debug/kijun",
            "kijun.toml.bak",
        ]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn merging_keeps_every_kind_and_path_once() {
        let mut a = changes_for(&["content/a.ja.md"]);
        a.merge(changes_for(&["content/a.ja.md", "kijun.toml"]));
        assert!(a.content && a.config);
        assert_eq!(a.paths.len(), 2);
    }
}
