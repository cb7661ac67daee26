//! Where a build's files go as they are made.
//!
//! `kijun build` writes each file into the staging folder (`write::Staging`) as soon as it is
//! rendered, and remembers only what the last steps need: its path and size, the checksum of
//! each download, whether a page only redirects, and its compressed copy for the offline bundle.
//! So a site of tens of thousands of pages never sits in memory whole, and the bundle's
//! compression runs on every core alongside rendering. `kijun check` and `kijun serve` keep the
//! files in memory instead.

use crate::diagnostics::{Diagnostic, LineCol};
use crate::export::{self, bundle};
use crate::write::{OutputFile, Staging};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// The compressed copy for the offline bundle, until the bundle is made.
    zipped: Option<PreparedZipFile>,
}

pub struct SiteOutput {
    /// `Some` when files are written as they come.
    staging: Option<Staging>,
    /// `Some` when the build makes the offline bundle.
    packer: Option<bundle::Packer>,
    /// Set once the bundle is made: files added later are not in it.
    sealed: AtomicBool,
    made: Mutex<Vec<Made>>,
}

impl SiteOutput {
    /// Files kept in memory, for `into_files`.
    pub fn in_memory(packer: Option<bundle::Packer>) -> SiteOutput {
        SiteOutput {
            staging: None,
            packer,
            sealed: AtomicBool::new(false),
            made: Mutex::new(Vec::new()),
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
        match all.iter_mut().find(|m| m.path == made.path) {
            // The bundle keeps the copy it was made with.
            Some(old) => {
                let zipped = old.zipped.take();
                *old = Made { zipped, ..made };
            }
            None => all.push(made),
        }
        Ok(())
    }

    fn made(&self, file: OutputFile) -> Result<Made, Diagnostic> {
        let OutputFile { path, bytes } = file;
        let zipped = match &self.packer {
            Some(packer) if !self.sealed.load(Ordering::SeqCst) => Some(
                packer
                    .prepare(&path, &bytes)
                    .map_err(|e| bundle_error(&e))?,
            ),
            _ => None,
        };
        let sha256 = path
            .starts_with(&format!("{}/", export::DIR))
            .then(|| bundle::sha256_hex(&bytes));
        let redirect = path.ends_with(".html") && export::sitemap::redirects(&bytes);
        let len = bytes.len();
        let bytes = match &self.staging {
            Some(staging) => {
                staging
                    .write(&path, &bytes)
                    .map_err(|e| write_error(staging, &e))?;
                None
            }
            None => Some(bytes),
        };
        Ok(Made {
            path,
            len,
            sha256,
            redirect,
            bytes,
            zipped,
        })
    }

    /// Runs `f` on what is known of every file so far, in no particular order.
    pub fn with_made<T>(&self, f: impl FnOnce(&[Made]) -> T) -> T {
        f(&self.lock())
    }

    /// Makes the offline bundle, at `path`, of every file put so far (in path order); files put
    /// afterwards are left out of it. Returns its SHA-256, or `None` when this build makes no
    /// bundle. A streamed output writes the zip straight to its file: it is the largest file of
    /// a large site, and never needs to be in memory.
    pub fn bundle(&self, path: &str) -> Option<Result<String, Diagnostic>> {
        self.packer.as_ref()?;
        self.sealed.store(true, Ordering::SeqCst);
        let entries: Vec<PreparedZipFile> = {
            let mut all = self.lock();
            all.sort_by(|a, b| a.path.cmp(&b.path));
            all.iter_mut().filter_map(|m| m.zipped.take()).collect()
        };
        Some(match &self.staging {
            None => bundle::assemble(entries)
                .map_err(|e| bundle_error(&e))
                .and_then(|zip| {
                    let sha256 = bundle::sha256_hex(&zip);
                    self.put(OutputFile::new(path, zip))?;
                    Ok(sha256)
                }),
            Some(staging) => self.bundle_to_file(staging, path, entries),
        })
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
            zipped: None,
        });
        Ok(sha256)
    }

    /// Checks that no two files share a path, then returns the paths, sorted.
    pub fn finish(&self) -> Result<Vec<String>, Diagnostic> {
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
        Ok(all.iter().map(|m| m.path.clone()).collect())
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
