//! Reading and fingerprinting a built site folder, to prove a failed build left it untouched.

#![allow(dead_code)] // each test crate uses a different part

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// SHA-256 over every entry under `dir`: relative path, kind, and content (or link target),
/// in sorted order. Equal hashes mean the same tree, byte for byte.
pub fn hash_tree(dir: &Path) -> String {
    let mut hasher = Sha256::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("readable tree");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let kind = entry.file_type();
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        if kind.is_symlink() {
            hasher.update(b"L");
            hasher.update(
                std::fs::read_link(entry.path())
                    .unwrap()
                    .to_string_lossy()
                    .as_bytes(),
            );
        } else if kind.is_dir() {
            hasher.update(b"D");
        } else {
            hasher.update(b"F");
            let bytes = std::fs::read(entry.path()).unwrap();
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        hasher.update([0]);
    }
    format!("{:x}", hasher.finalize())
}

/// Every file under `dir`, by site-relative path with `/` separators.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable tree"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}
