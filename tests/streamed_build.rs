//! `kijun build` writes pages into a staging folder as it renders them (so that a large site
//! never sits in memory whole): these tests check, with the real binary, that a build that fails
//! half-way still leaves the last good site exactly as it was and no staging folder behind, and
//! that `check` and `build` agree on what is built.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kijun(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(args)
        .output()
        .expect("kijun runs")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
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

fn build(root: &Path, out: &Path) -> Output {
    kijun(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Every file under `dir`, relative, with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_template_error_half_way_through_keeps_the_last_good_site_and_leaves_no_staging_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    copy_dir(&repo().join("tests/fixtures/mini"), &root);
    let parent = tmp.path().join("out");
    let site = parent.join("site");
    let o = build(&root, &site);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = snapshot(&site);
    assert!(before.len() > 20);

    // A theme whose measure template fails at render time: the pages rendered before the
    // first measure page have been written to the staging folder by then.
    let theme = root.join("themes/default");
    copy_dir(&repo().join("themes/default"), &theme);
    let template = theme.join("templates/measure.html");
    let text = fs::read_to_string(&template)
        .unwrap()
        .replace("{{ measure.title }}", "{{ measure.no_such_field.x }}");
    fs::write(&template, text).unwrap();
    let o = build(&root, &site);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("themes/default/templates") || err.contains("measure.html"),
        "{err}"
    );
    assert!(err.contains("left as it was"), "{err}");

    assert_eq!(snapshot(&site), before, "the last good site is untouched");
    let leftovers: Vec<_> = fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("site")],
        "no staging folder left"
    );
}

#[test]
fn a_render_error_in_a_fresh_output_folder_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    copy_dir(&repo().join("tests/fixtures/mini"), &root);
    let theme = root.join("themes/default");
    copy_dir(&repo().join("themes/default"), &theme);
    let template = theme.join("templates/measure.html");
    let text = fs::read_to_string(&template)
        .unwrap()
        .replace("{{ measure.title }}", "{{ measure.no_such_field.x }}");
    fs::write(&template, text).unwrap();
    let parent = tmp.path().join("out");
    let o = build(&root, &parent.join("site"));
    assert_eq!(o.status.code(), Some(1));
    let left = fs::read_dir(&parent).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "nothing written");
}

#[test]
fn build_reports_the_pages_it_wrote() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = build(&repo().join("tests/fixtures/mini"), &site);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let files = snapshot(&site);
    let pages = files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(
        err.contains(&format!("built {pages} pages ({} files)", files.len())),
        "{err}"
    );
}
