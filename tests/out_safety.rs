//! `--out` never destroys a user's files (issue 20): every refused case exits 2 with one line
//! and leaves the whole tree, byte for byte, as it was, with no staging folder behind.

mod common;

use common::{copy_dir, fixture, kijun_in, stderr};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every path under `dir` (symlinks not followed) with what it is and a hash of its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let kind = e.file_type();
            let what = if kind.is_symlink() {
                format!("link {}", fs::read_link(e.path()).unwrap().display())
            } else if kind.is_dir() {
                "dir".to_string()
            } else {
                let bytes = fs::read(e.path()).unwrap();
                format!("file {:x}", Sha256::digest(&bytes))
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), what)
        })
        .collect()
}

/// `top/` holding a copy of the mini site at `top/root/` (with `.git/` and `revisions/`) and a
/// sibling folder of the user's.
fn project() -> (tempfile::TempDir, PathBuf) {
    let top = tempfile::tempdir().unwrap();
    let root = top.path().join("root");
    copy_dir(&fixture("mini"), &root);
    fs::create_dir_all(root.join(".git/refs")).unwrap();
    fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::create_dir_all(root.join("revisions")).unwrap();
    fs::create_dir_all(top.path().join("sibling")).unwrap();
    fs::write(top.path().join("sibling/thesis.md"), "years of work").unwrap();
    (top, root)
}

/// Runs `kijun build --out OUT EXTRA...` from `cwd` and asserts it is refused: exit 2, one
/// line saying `expected`, and nothing under `watched` changed.
fn assert_refused(cwd: &Path, watched: &Path, args: &[&str], expected: &str) {
    let before = tree(watched);
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let o = kijun_in(cwd, &all);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(expected), "{args:?}: {err}");
    assert_eq!(before, tree(watched), "{args:?} left the tree as it was");
}

#[test]
fn the_root_its_ancestors_and_the_current_folder_are_refused() {
    let (top, root) = project();
    let r = root.to_str().unwrap();
    assert_refused(
        &root,
        top.path(),
        &["--root", r, "--out", r],
        "is the site root",
    );
    assert_refused(&root, top.path(), &["--out", "."], "is the site root");
    assert_refused(
        &root,
        top.path(),
        &["--out", "content/.."],
        "is the site root",
    );
    assert_refused(&root, top.path(), &["--out", ".."], "holds the site root");
    let up = top.path().to_str().unwrap();
    assert_refused(&root, top.path(), &["--out", up], "holds the site root");
    assert_refused(&root, top.path(), &["--out", "/"], "top of the file system");
    // --force never overrides these.
    assert_refused(&root, top.path(), &["--out", "..", "--force"], "holds");
}

#[test]
fn the_sources_and_anything_inside_them_are_refused() {
    let (top, root) = project();
    for out in [
        "content",
        "content/measures",
        "content/new-folder/site",
        "themes",
        "revisions",
        ".git",
        ".git/site",
    ] {
        let dir = out.split('/').next().unwrap();
        let expected = format!("inside the sources ({dir}/)");
        assert_refused(&root, top.path(), &["--out", out], &expected);
        assert_refused(&root, top.path(), &["--out", out, "--force"], &expected);
    }
    // Named from elsewhere, with --root.
    let content = root.join("content");
    assert_refused(
        top.path(),
        top.path(),
        &["--root", "root", "--out", content.to_str().unwrap()],
        "inside the sources (content/)",
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_to_the_sources_is_refused() {
    let (top, root) = project();
    std::os::unix::fs::symlink(root.join("content"), top.path().join("out-link")).unwrap();
    let link = top.path().join("out-link");
    assert_refused(
        &root,
        top.path(),
        &["--out", link.to_str().unwrap()],
        "inside the sources (content/)",
    );
}

#[test]
fn a_file_is_refused_and_the_config_kept() {
    let (top, root) = project();
    assert_refused(&root, top.path(), &["--out", "kijun.toml"], "is a file");
    assert_refused(
        &root,
        top.path(),
        &["--out", "kijun.toml", "--force"],
        "is a file",
    );
    assert_refused(
        &root,
        top.path(),
        &["--out", "kijun.toml/site"],
        "which is a file",
    );
}

#[test]
fn a_folder_kijun_did_not_make_is_refused_unless_forced() {
    let (top, root) = project();
    let sibling = top.path().join("sibling");
    let s = sibling.to_str().unwrap();
    assert_refused(&root, top.path(), &["--out", s], "--force");
    let o = kijun_in(&root, &["build", "--out", s, "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !sibling.join("thesis.md").exists(),
        "--force replaces it whole"
    );
    assert!(sibling.join(kijun::outdir::MARKER).is_file());
    assert!(sibling.join("downloads/baseline.json").is_file());
    // Now marked as kijun's, it is replaced without --force.
    let o = kijun_in(&root, &["build", "--out", s]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_new_an_empty_and_a_built_folder_are_accepted() {
    let (top, root) = project();
    fs::create_dir(top.path().join("empty")).unwrap();
    for out in ["site", "../empty", "../new/deeper/site"] {
        let o = kijun_in(&root, &["build", "--out", out]);
        assert!(o.status.success(), "{out}: {}", stderr(&o));
        let built = root.join(out);
        assert!(
            built.join(kijun::outdir::MARKER).is_file(),
            "{out} is marked"
        );
        // Built again over itself.
        let o = kijun_in(&root, &["build", "--out", out]);
        assert!(o.status.success(), "{out} again: {}", stderr(&o));
    }
    let names: Vec<_> = fs::read_dir(top.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "no staging folders left: {names:?}");
}

#[test]
fn a_site_from_an_older_kijun_without_a_marker_is_accepted_but_not_with_extra_files() {
    let (top, root) = project();
    let o = kijun_in(&root, &["build", "--out", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = root.join("site");
    fs::remove_file(site.join(kijun::outdir::MARKER)).unwrap();
    let o = kijun_in(&root, &["build", "--out", "site"]);
    assert!(
        o.status.success(),
        "an older build is replaced: {}",
        stderr(&o)
    );
    fs::remove_file(site.join(kijun::outdir::MARKER)).unwrap();
    fs::write(site.join("CNAME"), "example.org").unwrap();
    assert_refused(&root, top.path(), &["--out", "site"], "--force");
    // A manifest of another schema is not kijun's.
    fs::remove_file(site.join("CNAME")).unwrap();
    common::edit(
        &site.join("downloads/baseline.json"),
        "kijun-baseline/1",
        "other/1",
    );
    assert_refused(&root, top.path(), &["--out", "site"], "--force");
}

#[test]
fn a_failed_build_leaves_the_output_and_no_staging_folder() {
    let (top, root) = project();
    let o = kijun_in(&root, &["build", "--out", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    fs::write(root.join("kijun.toml"), "this is = = not toml").unwrap();
    let before = tree(top.path());
    let o = kijun_in(&root, &["build", "--out", "site"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(before, tree(top.path()));
}
