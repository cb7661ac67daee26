//! Helpers for the output tests (determinism, exports): run the real binary, read what it wrote.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn mini() -> PathBuf {
    repo_root().join("tests/fixtures/mini")
}

/// `kijun build --root ROOT --out OUT` with extra environment; panics with stderr on failure.
pub fn build(root: &Path, out: &Path, env: &[(&str, &str)], cwd: Option<&Path>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kijun"));
    cmd.args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .envs(env.iter().copied());
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let result = cmd.output().expect("kijun runs");
    assert!(
        result.status.success(),
        "kijun build --root {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Every file under `dir`: relative path → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("readable file"));
            }
        }
    }
    out
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix`.
pub fn find_file(dir: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(suffix)
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {prefix}*{suffix} in {}: {found:?}",
        dir.display()
    );
    found[0].clone()
}

/// Copies the folder `from` to `to` (which must not exist).
pub fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in read_tree(from) {
        let target = to.join(&rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}
