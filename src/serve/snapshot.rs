//! One good build held in memory: what the server serves, swapped whole after each rebuild.

use crate::write::OutputFile;
use std::collections::HashMap;
use std::sync::Arc;

/// The bytes of one site file, shared between the snapshot and responses being written.
#[derive(Clone)]
pub struct Bytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

pub struct Snapshot {
    /// Identifies this build to pages, so that a page can tell it is out of date.
    pub build: String,
    files: HashMap<String, Bytes>,
}

impl Snapshot {
    pub fn new(build: String, files: Vec<OutputFile>) -> Snapshot {
        let files = files
            .into_iter()
            .map(|f| (f.path, Bytes(Arc::new(f.bytes))))
            .collect();
        Snapshot { build, files }
    }

    /// Adds the files of `old` that this build lacks (the search index, the downloads: built
    /// after the pages), shared rather than copied.
    pub fn carry_over(&mut self, old: &Snapshot) {
        for (path, bytes) in &old.files {
            if !self.files.contains_key(path) {
                self.files.insert(path.clone(), bytes.clone());
            }
        }
    }

    /// Copies of the files at `paths`, for the stages that take owned files.
    pub fn files_at(&self, paths: &[String]) -> Vec<OutputFile> {
        paths
            .iter()
            .filter_map(|p| {
                self.files
                    .get(p)
                    .map(|b| OutputFile::new(p.clone(), b.as_ref()))
            })
            .collect()
    }

    pub fn get(&self, path: &str) -> Option<&Bytes> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Site files added, removed or with different bytes since `old`, sorted.
    pub fn changed_since(&self, old: &Snapshot) -> Vec<String> {
        let mut changed: Vec<String> = self
            .files
            .iter()
            .filter(|(path, bytes)| old.files.get(*path).is_none_or(|o| o.0 != bytes.0))
            .map(|(path, _)| path.clone())
            .chain(
                old.files
                    .keys()
                    .filter(|p| !self.files.contains_key(*p))
                    .cloned(),
            )
            .collect();
        changed.sort();
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_added_changed_and_removed_files() {
        let old = Snapshot::new(
            "1".into(),
            vec![
                OutputFile::new("a.html", "same"),
                OutputFile::new("b.html", "old"),
                OutputFile::new("gone.html", "x"),
            ],
        );
        let new = Snapshot::new(
            "2".into(),
            vec![
                OutputFile::new("a.html", "same"),
                OutputFile::new("b.html", "new"),
                OutputFile::new("c.css", "added"),
            ],
        );
        assert_eq!(new.changed_since(&old), ["b.html", "c.css", "gone.html"]);
        assert!(new.changed_since(&new).is_empty());
    }

    #[test]
    fn files_built_later_are_carried_over_until_replaced() {
        let old = Snapshot::new(
            "1".into(),
            vec![
                OutputFile::new("a.html", "a"),
                OutputFile::new("search/index.ja.js", "old index"),
            ],
        );
        let mut pages = Snapshot::new("2".into(), vec![OutputFile::new("a.html", "a2")]);
        pages.carry_over(&old);
        assert_eq!(
            pages.get("search/index.ja.js").unwrap().as_ref(),
            b"old index"
        );
        assert_eq!(pages.changed_since(&old), ["a.html"]);
        assert_eq!(pages.files_at(&["a.html".into()])[0].bytes, b"a2");
    }
}
