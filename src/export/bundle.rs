//! The offline bundle: the whole built site in one zip that works unpacked and opened from disk
//! (links are relative, scripts need no server), with its SHA-256 published beside it.
//!
//! Deterministic: entries sorted by path, every timestamp the revision date, fixed permissions,
//! so the same site gives the same zip and the same checksum.

use sha2::{Digest, Sha256};
use std::io::{Cursor, Seek, Write};
use zip::write::{PreparedZipFile, SimpleFileOptions};
use zip::{CompressionMethod, DateTime, ZipWriter};

/// `kijun-site-<revision>`: the zip's name without extension and the folder it unpacks into.
pub fn name(revision: &str) -> String {
    format!("kijun-site-{}", super::file_revision(revision))
}

/// Deflate level 2 (no lazy matching). Measured: on the bundled site the zip is 4.19 MB against
/// 3.74 MB at the default level 6, made in a third of the time; at 20,000 pages, 164 MB against
/// 155 MB at level 3, 0.3–0.5 s sooner (`scripts/bench-build`).
const COMPRESSION_LEVEL: i64 = 2;

/// Compresses files for the bundle one by one (on any thread), so that the zip costs little
/// more than copying when it is assembled.
pub struct Packer {
    top: String,
    deflated: SimpleFileOptions,
    stored: SimpleFileOptions,
}

impl Packer {
    /// Entries go under the folder `top/`, dated `revision_date` (YYYY-MM-DD).
    pub fn new(top: &str, revision_date: &str) -> Result<Packer, String> {
        let date = zip_date(revision_date)?;
        let deflated = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(COMPRESSION_LEVEL))
            .last_modified_time(date)
            .unix_permissions(0o644);
        // Files that are compressed already are stored as they are.
        let stored = deflated
            .compression_method(CompressionMethod::Stored)
            .compression_level(None);
        Ok(Packer {
            top: top.to_string(),
            deflated,
            stored,
        })
    }

    /// One file, compressed and ready for `assemble`.
    pub fn prepare(&self, path: &str, bytes: &[u8]) -> Result<PreparedZipFile, String> {
        let options = if is_compressed(path) {
            self.stored
        } else {
            self.deflated
        };
        PreparedZipFile::from_data(format!("{}/{path}", self.top), options, bytes)
            .map_err(|e| format!("{path}: {e}"))
    }
}

/// The zip of `entries`, which must be in path order: the bytes then depend on the files only,
/// not on which thread compressed what.
pub fn assemble(entries: impl IntoIterator<Item = PreparedZipFile>) -> Result<Vec<u8>, String> {
    Ok(assemble_into(Cursor::new(Vec::new()), entries)?.into_inner())
}

/// `assemble`, written to `writer`; each entry is dropped once written.
pub fn assemble_into<W: Write + Seek>(
    writer: W,
    entries: impl IntoIterator<Item = PreparedZipFile>,
) -> Result<W, String> {
    let mut zip = ZipWriter::new(writer);
    zip.add_prepared_files(entries).map_err(|e| e.to_string())?;
    zip.finish().map_err(|e| e.to_string())
}

fn is_compressed(path: &str) -> bool {
    [
        ".xlsx", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".gz",
    ]
    .iter()
    .any(|ext| path.ends_with(ext))
}

fn zip_date(revision_date: &str) -> Result<DateTime, String> {
    let part = |range: std::ops::Range<usize>| {
        revision_date
            .get(range)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| format!("revision_date `{revision_date}` is not YYYY-MM-DD"))
    };
    let (y, m, d) = (part(0..4)?, part(5..7)?, part(8..10)?);
    // Zip dates start in 1980.
    DateTime::from_date_and_time(y.max(1980), m as u8, d as u8, 0, 0, 0)
        .map_err(|_| format!("revision_date `{revision_date}` cannot be a zip timestamp"))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex, as `sha256sum` prints a digest.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The checksum file in the format `sha256sum -c` reads.
pub fn checksum_file(digest: &str, file_name: &str) -> String {
    format!("{digest}  {file_name}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::OutputFile;

    fn zip(files: &[OutputFile], top: &str, revision_date: &str) -> Result<Vec<u8>, String> {
        let packer = Packer::new(top, revision_date)?;
        let mut sorted: Vec<&OutputFile> = files.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        let entries = sorted.iter().map(|f| packer.prepare(&f.path, &f.bytes));
        assemble(entries.collect::<Result<Vec<_>, String>>()?)
    }

    #[test]
    fn same_files_in_any_order_give_the_same_zip() {
        let a = OutputFile::new("b/index.html", "<p>b</p>");
        let b = OutputFile::new("a.css", "x{}");
        let one = zip(&[a.clone(), b.clone()], "site", "2026-11-25").unwrap();
        let two = zip(&[b, a], "site", "2026-11-25").unwrap();
        assert_eq!(one, two);
        let other_day = zip(&[OutputFile::new("a.css", "x{}")], "site", "2026-11-26").unwrap();
        assert_ne!(one, other_day);
    }

    #[test]
    fn checksum_file_reads_with_sha256sum() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(checksum_file("ab", "x.zip"), "ab  x.zip\n");
    }
}
