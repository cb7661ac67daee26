//! Helpers shared by the integration tests: run the real binary, copy fixtures, edit files.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn kijun_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kijun"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("kijun runs")
}

pub fn kijun(args: &[&str]) -> Output {
    kijun_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the bundled site root (content, revisions, theme, kijun.toml) in a temporary folder,
/// for tests that change the sources as an author or maintainer would.
pub fn bundled_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "revisions", "themes"] {
        copy_dir(&here.join(dir), &root.join(dir));
    }
    fs::copy(here.join("kijun.toml"), root.join("kijun.toml")).unwrap();
    (tmp, root)
}

/// Replaces `old` (which must occur) by `new` in the file at `path`.
pub fn edit(path: &Path, old: &str, new: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(old), "{} contains {old:?}", path.display());
    fs::write(path, text.replacen(old, new, 1)).unwrap();
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn build(root: &Path, out: &Path) -> Output {
    kijun(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
