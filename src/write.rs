//! Last stage: write the site to a temporary folder next to the output, then swap it in.
//! A failed build never leaves a half-written site, and the last good one stays in place.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One file of the built site; `path` is site-relative with `/` separators.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Writes `files` as the new content of `out`.
pub fn write_site(out: &Path, files: &[OutputFile]) -> std::io::Result<()> {
    let staging = Staging::new(out)?;
    files
        .par_iter()
        .try_for_each(|f| staging.write(&f.path, &f.bytes))?;
    staging.commit()
}

/// A site being written: files go into a staging folder beside the output as they are made,
/// so that a large site never has to sit in memory whole. `commit` swaps the folder in; if the
/// build fails first, dropping the `Staging` removes it and the output is left as it was.
pub struct Staging {
    dir: Option<tempfile::TempDir>,
    out: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Staging {
    pub fn new(out: &Path) -> std::io::Result<Staging> {
        let out = absolute(out)?;
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "site".into());
        remove_leftovers(&parent, &name);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)?;
        Ok(Staging {
            dir: Some(dir),
            out,
            parent,
            name,
        })
    }

    /// Writes one file (from any thread), making its folder first.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let dir = self.dir.as_ref().expect("not committed").path();
        let path = dir.join(site_path);
        if let Some(folder) = path.parent() {
            // Usually one new folder per page (`ja/measures/am-1/`); create_dir_all returns
            // after one mkdir when the parent exists.
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(path, bytes)
    }

    /// Creates one file to be written in pieces (and read back), making its folder first.
    pub fn create(&self, site_path: &str) -> std::io::Result<std::fs::File> {
        let path = self
            .dir
            .as_ref()
            .expect("not committed")
            .path()
            .join(site_path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
    }

    /// Reads back a file written.
    pub fn read(&self, site_path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(
            self.dir
                .as_ref()
                .expect("not committed")
                .path()
                .join(site_path),
        )
    }

    /// The output folder this replaces.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Replaces the output with what was written.
    pub fn commit(mut self) -> std::io::Result<()> {
        // Marks the folder as kijun's, so the next build may replace it (`outdir.rs`).
        self.write(crate::outdir::MARKER, crate::outdir::MARKER_TEXT.as_bytes())?;
        let dir = self.dir.take().expect("committed once").keep();
        swap_in(dir, &self.out, &self.parent, &self.name)
    }
}

/// Removes the staging and old-site folders that an interrupted build (Ctrl-C, a killed
/// process: no destructor runs) left beside the output. Two builds into one output at the same
/// time would race anyway; the one whose folder goes reports an I/O error and writes nothing.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.new-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn swap_in(staged: PathBuf, out: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(&staged, out);
    }
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(parent)?
        .keep();
    std::fs::remove_dir(&old)?;
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(&staged, out) {
        // Put the last good site back before reporting.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e);
    }
    std::fs::remove_dir_all(&old)
}

fn absolute(p: &Path) -> std::io::Result<PathBuf> {
    if p.is_absolute() {
        Ok(p.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abandoned_staging_folder_is_removed_and_the_site_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(&out, &[OutputFile::new("index.html", "good")]).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.write("a/b/index.html", b"half").unwrap();
        drop(staging); // the build failed before commit
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        assert!(!out.join("a").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[test]
    fn folders_left_by_an_interrupted_build_are_removed_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        for left in [".site.new-a1b2", ".site.old-c3d4"] {
            std::fs::create_dir_all(tmp.path().join(left).join("ja")).unwrap();
            std::fs::write(tmp.path().join(left).join("ja/index.html"), "half").unwrap();
        }
        std::fs::create_dir(tmp.path().join(".other.new-x")).unwrap();
        write_site(&out, &[OutputFile::new("index.html", "good")]).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".other.new-x", "site"],
            "another output's folders stay"
        );
    }

    #[test]
    fn replaces_the_old_site_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(
            &out,
            &[
                OutputFile::new("a/index.html", "one"),
                OutputFile::new("stale.html", "x"),
            ],
        )
        .unwrap();
        write_site(&out, &[OutputFile::new("a/index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }
}
