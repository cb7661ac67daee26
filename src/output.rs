//! Where a build's files go as they are made.
//!
//! `kijun build` writes each file into the staging folder (`write::Staging`) as soon as it is
//! rendered, and remembers only what the last steps need: its path and size, the checksum of
//! each download, whether a page only redirects. So a site of tens of thousands of pages never
//! sits in memory whole. The offline bundle is made last, from the files as written, compressed
//! on every core. `kijun serve` keeps the files in memory instead; `kijun check` drops them.

use crate::diagnostics::{Diagnostic, LineCol};
use crate::export::{self, bundle};
use crate::write::{OutputFile, Staging};
use std::sync::Mutex;
use zip::write::PreparedZipFile;

/// What the build remembers of one file it made.
pub struct Made {
    /// Site-relative, `/`-separated.
    pub path: String,
    pub len: usize,
    /// SHA-256 (hex) of files under `downloads/`, which the downloads page lists.
    pub sha256: Option<String>,
    /// An HTML page that only redirects to another (left out of the site map).
    pub redirect: bool,
    /// The bytes, when the files are kept in memory.
    bytes: Option<Vec<u8>>,
}

pub struct SiteOutput {
    /// `Some` when files are written as they come.
    staging: Option<Staging>,
    /// Whether files not written are kept in memory (or dropped, for `kijun check`).
    keep_bytes: bool,
    /// `Some` when the build makes the offline bundle.
    packer: Option<bundle::Packer>,
    made: Mutex<Vec<Made>>,
}

impl SiteOutput {
    /// Files kept in memory, for `into_files`.
    pub fn in_memory(packer: Option<bundle::Packer>) -> SiteOutput {
        SiteOutput {
            staging: None,
            keep_bytes: true,
            packer,
            made: Mutex::new(Vec::new()),
        }
    }

    /// Files dropped as they come, for `kijun check`: only what they are is kept.
    pub fn discarding() -> SiteOutput {
        SiteOutput {
            keep_bytes: false,
            ..SiteOutput::in_memory(None)
        }
    }

    /// Files written into `staging` as they come; `commit` swaps the folder in.
    pub fn streamed(staging: Staging, packer: Option<bundle::Packer>) -> SiteOutput {
        SiteOutput {
            staging: Some(staging),
            ..SiteOutput::in_memory(packer)
        }
    }

    /// Takes one finished file; callable from any thread.
    pub fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let made = self.made(file)?;
        self.lock().push(made);
        Ok(())
    }

    pub fn put_all(&self, files: impl IntoIterator<Item = OutputFile>) -> Result<(), Diagnostic> {
        files.into_iter().try_for_each(|f| self.put(f))
    }

    /// Takes a newer version of a file already put (or a new one).
    pub fn replace(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let made = self.made(file)?;
        let mut all = self.lock();
        // (The bundle, if made already, keeps the copy it was made with.)
        match all.iter_mut().find(|m| m.path == made.path) {
            Some(old) => *old = made,
            None => all.push(made),
        }
        Ok(())
    }

    fn made(&self, file: OutputFile) -> Result<Made, Diagnostic> {
        let OutputFile { path, bytes } = file;
        let is_download = path
            .strip_prefix(export::DIR)
            .is_some_and(|rest| rest.starts_with('/'));
        let sha256 = is_download.then(|| bundle::sha256_hex(&bytes));
        let redirect = path.ends_with(".html") && export::sitemap::redirects(&bytes);
        let len = bytes.len();
        let bytes = match &self.staging {
            Some(staging) => {
                staging
                    .write(&path, &bytes)
                    .map_err(|e| write_error(staging, &e))?;
                None
            }
            None => self.keep_bytes.then_some(bytes),
        };
        Ok(Made {
            path,
            len,
            sha256,
            redirect,
            bytes,
        })
    }

    /// Runs `f` on what is known of every file so far, in no particular order.
    pub fn with_made<T>(&self, f: impl FnOnce(&[Made]) -> T) -> T {
        f(&self.lock())
    }

    /// Makes the offline bundle, at `path`, of every file put so far; files put afterwards are
    /// left out of it. Returns its SHA-256, or `None` when this build makes no bundle. A
    /// streamed output reads the files back from the staging folder and writes the zip straight
    /// to its file; the compressed entries (about the zip's size) are held until it is written.
    pub fn bundle(&self, path: &str) -> Option<Result<String, Diagnostic>> {
        let packer = self.packer.as_ref()?;
        Some(self.compress(packer).and_then(|entries| {
            match &self.staging {
                None => bundle::assemble(entries)
                    .map_err(|e| bundle_error(&e))
                    .and_then(|zip| {
                        let sha256 = bundle::sha256_hex(&zip);
                        self.put(OutputFile::new(path, zip))?;
                        Ok(sha256)
                    }),
                Some(staging) => self.bundle_to_file(staging, path, entries),
            }
        }))
    }

    /// Every file compressed for the bundle, in path order, on every core.
    fn compress(&self, packer: &bundle::Packer) -> Result<Vec<PreparedZipFile>, Diagnostic> {
        use rayon::prelude::*;
        // Two files at one path would be one zip entry too many: report them as `finish` does.
        self.check_unique_paths()?;
        let all = self.lock();
        all.par_iter()
            .map(|m| {
                let prepared = match (&m.bytes, &self.staging) {
                    (Some(bytes), _) => packer.prepare(&m.path, bytes),
                    (None, Some(staging)) => {
                        let bytes = staging
                            .read(&m.path)
                            .map_err(|e| write_error(staging, &e))?;
                        packer.prepare(&m.path, &bytes)
                    }
                    (None, None) => unreachable!("an output that drops files makes no bundle"),
                };
                prepared.map_err(|e| bundle_error(&e))
            })
            .collect()
    }

    fn bundle_to_file(
        &self,
        staging: &Staging,
        path: &str,
        entries: Vec<PreparedZipFile>,
    ) -> Result<String, Diagnostic> {
        use sha2::Digest;
        let io_error = |e: std::io::Error| write_error(staging, &e);
        let file = staging.create(path).map_err(io_error)?;
        let writer = std::io::BufWriter::with_capacity(1 << 20, file);
        let writer = bundle::assemble_into(writer, entries).map_err(|e| bundle_error(&e))?;
        let mut file = writer.into_inner().map_err(|e| io_error(e.into_error()))?;
        // Read back for the checksum (the zip is written with seeks, so not hashed on the way).
        use std::io::Seek;
        let len = file.seek(std::io::SeekFrom::End(0)).map_err(io_error)?;
        file.rewind().map_err(io_error)?;
        let mut hasher = sha2::Sha256::new();
        std::io::copy(&mut std::io::BufReader::new(file), &mut hasher).map_err(io_error)?;
        let sha256 = bundle::hex(&hasher.finalize());
        self.lock().push(Made {
            path: path.to_string(),
            len: len as usize,
            sha256: Some(sha256.clone()),
            redirect: false,
            bytes: None,
        });
        Ok(sha256)
    }

    /// Checks that no two files share a path, then returns the paths, sorted.
    pub fn finish(&self) -> Result<Vec<String>, Diagnostic> {
        self.check_unique_paths()?;
        Ok(self.lock().iter().map(|m| m.path.clone()).collect())
    }

    /// Sorts the files by path and checks that no two share one.
    fn check_unique_paths(&self) -> Result<(), Diagnostic> {
        let mut all = self.lock();
        all.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(pair) = all.windows(2).find(|w| w[0].path == w[1].path) {
            return Err(Diagnostic::error(
                "content",
                LineCol::START,
                format!("two pages would be written to {}", pair[0].path),
            )
            .with_help(
                "two ids map to the same URL (ids are case-insensitive in URLs); rename one",
            ));
        }
        Ok(())
    }

    /// The files, sorted by path (empty for a streamed output: they are on disk).
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut all = self
            .made
            .into_inner()
            .expect("no panics while holding the lock");
        all.sort_by(|a, b| a.path.cmp(&b.path));
        all.into_iter()
            .filter_map(|m| {
                m.bytes.map(|bytes| OutputFile {
                    path: m.path,
                    bytes,
                })
            })
            .collect()
    }

    /// Swaps the written site in; for a streamed output only.
    pub fn commit(self) -> std::io::Result<()> {
        match self.staging {
            Some(staging) => staging.commit(),
            None => Ok(()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Made>> {
        self.made.lock().expect("no panics while holding the lock")
    }
}

fn bundle_error(e: &str) -> Diagnostic {
    Diagnostic::error(
        "content",
        LineCol::START,
        format!("cannot write the offline bundle: {e}"),
    )
}

fn write_error(staging: &Staging, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        staging.out().display().to_string(),
        LineCol::START,
        format!("cannot write the site: {e}"),
    )
    .with_help("check that the output folder's parent exists and is writable")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packer() -> Option<bundle::Packer> {
        Some(bundle::Packer::new("site-x", "2026-11-25").unwrap())
    }

    fn files() -> Vec<OutputFile> {
        vec![
            OutputFile::new("ja/a/index.html", "<p>あ</p>"),
            OutputFile::new(
                "old/index.html",
                r#"<meta http-equiv="refresh" content="0; url=../ja/a/">"#,
            ),
            OutputFile::new("downloads/x.csv", "a,b\r\n"),
            OutputFile::new("static/s.css", "p{}"),
        ]
    }

    #[test]
    fn what_is_kept_of_each_file() {
        let out = SiteOutput::discarding();
        out.put_all(files()).unwrap();
        let paths = out.finish().unwrap();
        assert_eq!(
            paths,
            [
                "downloads/x.csv",
                "ja/a/index.html",
                "old/index.html",
                "static/s.css"
            ]
        );
        out.with_made(|made| {
            let csv = made.iter().find(|m| m.path == "downloads/x.csv").unwrap();
            assert_eq!(csv.len, 5);
            assert_eq!(
                csv.sha256.as_deref(),
                Some(&*bundle::sha256_hex(b"a,b\r\n"))
            );
            let page = made.iter().find(|m| m.path == "ja/a/index.html").unwrap();
            assert!(page.sha256.is_none(), "only downloads are hashed");
            assert!(!page.redirect);
            assert!(
                made.iter()
                    .any(|m| m.path == "old/index.html" && m.redirect)
            );
        });
        assert!(
            out.into_files().is_empty(),
            "a discarding output keeps no bytes"
        );
    }

    #[test]
    fn the_bundle_is_the_same_whatever_order_files_came_in() {
        let bundle_of = |files: Vec<OutputFile>| {
            let out = SiteOutput::in_memory(packer());
            out.put_all(files).unwrap();
            let sha = out.bundle("downloads/site.zip").unwrap().unwrap();
            let zip = out
                .into_files()
                .into_iter()
                .find(|f| f.path == "downloads/site.zip")
                .unwrap();
            assert_eq!(bundle::sha256_hex(&zip.bytes), sha);
            zip.bytes
        };
        let mut reversed = files();
        reversed.reverse();
        assert_eq!(bundle_of(files()), bundle_of(reversed));
    }

    #[test]
    fn files_put_after_the_bundle_are_not_in_it_and_a_replaced_page_keeps_its_bundled_copy() {
        let out = SiteOutput::in_memory(packer());
        out.put_all(files()).unwrap();
        out.bundle("downloads/site.zip").unwrap().unwrap();
        out.put(OutputFile::new("late.txt", "late")).unwrap();
        out.replace(OutputFile::new("ja/a/index.html", "<p>new</p>"))
            .unwrap();
        let files = out.into_files();
        let zip = &files
            .iter()
            .find(|f| f.path == "downloads/site.zip")
            .unwrap()
            .bytes;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.ends_with("late.txt")));
        let mut page = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("site-x/ja/a/index.html").unwrap(),
            &mut page,
        )
        .unwrap();
        assert_eq!(page, "<p>あ</p>");
        let published = files.iter().find(|f| f.path == "ja/a/index.html").unwrap();
        assert_eq!(published.bytes, b"<p>new</p>");
    }

    #[test]
    fn two_files_at_one_path_are_an_error_naming_it() {
        let out = SiteOutput::in_memory(packer());
        out.put(OutputFile::new("ja/a/index.html", "1")).unwrap();
        out.put(OutputFile::new("ja/a/index.html", "2")).unwrap();
        let err = out.bundle("downloads/site.zip").unwrap().unwrap_err();
        assert!(err.message.contains("ja/a/index.html"), "{}", err.message);
        assert!(out.finish().is_err());
    }

    #[test]
    fn a_streamed_output_writes_each_file_at_once_and_bundles_from_disk() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let out = SiteOutput::streamed(Staging::new(&site).unwrap(), packer());
        out.put_all(files()).unwrap();
        let staged: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(
            staged.len(),
            1,
            "one staging folder, the output not there yet"
        );
        assert!(!site.exists());
        let sha = out.bundle("downloads/site.zip").unwrap().unwrap();
        out.finish().unwrap();
        out.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(site.join("ja/a/index.html")).unwrap(),
            "<p>あ</p>"
        );
        let zip = std::fs::read(site.join("downloads/site.zip")).unwrap();
        assert_eq!(bundle::sha256_hex(&zip), sha);
        let in_memory = SiteOutput::in_memory(packer());
        in_memory.put_all(files()).unwrap();
        assert_eq!(
            in_memory.bundle("downloads/site.zip").unwrap().unwrap(),
            sha,
            "the same zip as made in memory"
        );
    }
}
