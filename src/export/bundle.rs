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
    use crate::output::SiteOutput;
    use crate::write::OutputFile;
    use std::io::Read;
    use zip::ZipArchive;

    /// Files in no particular order (not sorted by path), as a build's threads put them.
    fn files() -> Vec<OutputFile> {
        vec![
            OutputFile::new("ja/b/index.html", "<p>べ</p>"),
            OutputFile::new("static/logo.png", b"\x89PNG not really".to_vec()),
            OutputFile::new("a.css", "x{}"),
            OutputFile::new("downloads/baseline.csv", "id\r\nAM-1\r\n"),
            OutputFile::new("ja/a/index.html", "<p>あ</p>"),
        ]
    }

    /// The zip that a build makes of `files`, through the real output path.
    fn bundle_of(files: Vec<OutputFile>, revision_date: &str) -> Vec<u8> {
        let packer = Packer::new(&name("2026.1-draft"), revision_date).unwrap();
        let out = SiteOutput::in_memory(Some(packer));
        out.put_all(files).unwrap();
        let sha = out.bundle("downloads/site.zip").unwrap().unwrap();
        let zip = out
            .into_files()
            .into_iter()
            .find(|f| f.path == "downloads/site.zip")
            .unwrap()
            .bytes;
        assert_eq!(sha256_hex(&zip), sha);
        zip
    }

    fn archive(zip: &[u8]) -> ZipArchive<Cursor<&[u8]>> {
        ZipArchive::new(Cursor::new(zip)).unwrap()
    }

    #[test]
    fn same_files_in_any_order_give_the_same_zip_in_path_order() {
        let given = files();
        let mut rotated = files();
        rotated.rotate_left(2);
        let mut reversed = files();
        reversed.reverse();
        let zip = bundle_of(given, "2026-11-25");
        assert_eq!(zip, bundle_of(rotated, "2026-11-25"));
        assert_eq!(zip, bundle_of(reversed, "2026-11-25"));
        // The zip's central directory lists entries in the order they were written.
        let mut archive = archive(&zip);
        let written: Vec<_> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(
            written,
            [
                "kijun-site-2026.1-draft/a.css",
                "kijun-site-2026.1-draft/downloads/baseline.csv",
                "kijun-site-2026.1-draft/ja/a/index.html",
                "kijun-site-2026.1-draft/ja/b/index.html",
                "kijun-site-2026.1-draft/static/logo.png",
            ]
        );
    }

    #[test]
    fn entries_keep_their_bytes_and_are_dated_the_revision_date_with_fixed_permissions() {
        let zip = bundle_of(files(), "2026-11-25");
        let mut archive = archive(&zip);
        for f in files() {
            let mut entry = archive
                .by_name(&format!("kijun-site-2026.1-draft/{}", f.path))
                .unwrap();
            let t = entry.last_modified().unwrap();
            assert_eq!(
                (t.year(), t.month(), t.day(), t.hour(), t.minute()),
                (2026, 11, 25, 0, 0),
                "{}",
                f.path
            );
            assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
            let method = entry.compression();
            let expected = if f.path.ends_with(".png") {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            assert_eq!(method, expected, "{}", f.path);
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            assert_eq!(bytes, f.bytes, "{}", f.path);
        }
    }

    #[test]
    fn the_same_files_under_another_date_differ_only_in_their_dates() {
        let one = bundle_of(files(), "2026-11-25");
        let other = bundle_of(files(), "2026-11-26");
        assert_ne!(one, other);
        let (mut a, mut b) = (archive(&one), archive(&other));
        assert_eq!(a.len(), b.len());
        for i in 0..a.len() {
            let (mut x, mut y) = (a.by_index(i).unwrap(), b.by_index(i).unwrap());
            let name = x.name().unwrap().to_string();
            assert_eq!(name, y.name().unwrap());
            assert_eq!(x.last_modified().unwrap().day(), 25);
            assert_eq!(y.last_modified().unwrap().day(), 26);
            let (mut bx, mut by) = (Vec::new(), Vec::new());
            x.read_to_end(&mut bx).unwrap();
            y.read_to_end(&mut by).unwrap();
            assert_eq!(bx, by, "{name}");
        }
    }

    #[test]
    fn compressed_formats_are_stored_as_they_are() {
        for path in [
            "a.xlsx", "a.zip", "a.png", "a.jpg", "a.jpeg", "a.gif", "a.webp", "a.woff", "a.woff2",
            "a.gz",
        ] {
            assert!(is_compressed(path), "{path}");
        }
        for path in ["a.html", "a.css", "a.js", "a.csv", "a.json", "a.svg", "png"] {
            assert!(!is_compressed(path), "{path}");
        }
    }

    #[test]
    fn revision_dates_become_zip_dates_or_clear_errors() {
        let d = zip_date("2026-03-09").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2026, 3, 9));
        let early = zip_date("1970-01-01").unwrap();
        assert_eq!(early.year(), 1980, "zip dates start in 1980");
        for bad in [
            "2026-3-9",
            "26-03-09",
            "2026-13-01",
            "2026-02-30",
            "",
            "yyyy-mm-dd",
        ] {
            let err = Packer::new("x", bad).err().expect(bad);
            assert!(err.contains(&format!("`{bad}`")), "{err}");
        }
    }

    #[test]
    fn the_bundle_is_named_after_the_revision() {
        assert_eq!(name("2026.1-draft"), "kijun-site-2026.1-draft");
    }

    #[test]
    fn checksum_file_reads_with_sha256sum() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(checksum_file("ab", "x.zip"), "ab  x.zip\n");
    }
}
