//! `kijun build` writes pages into a staging folder as it renders them (so that a large site
//! never sits in memory whole): these tests check, with the real binary, that a build that fails
//! half-way still leaves the last good site exactly as it was and no staging folder behind, and
//! that `check` and `build` agree on what is built.

mod common;

use common::{build, copy_dir, edit, fixture, walk};
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, relative, with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walk(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// A copy of the mini site with its own copy of the default theme, whose measure template
/// fails at render time (a field that does not exist).
fn site_with_a_failing_measure_template(root: &Path) {
    copy_dir(&fixture("mini"), root);
    let theme = root.join("themes/default");
    copy_dir(&repo().join("themes/default"), &theme);
    edit(
        &theme.join("templates/measure.html"),
        "{{ measure.title }}",
        "{{ measure.no_such_field.x }}",
    );
}

#[test]
fn a_template_error_half_way_through_keeps_the_last_good_site_and_leaves_no_staging_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("out");
    let site = parent.join("site");
    let o = build(&fixture("mini"), &site);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = snapshot(&site);
    assert!(before.len() > 20);

    // The pages rendered before the first measure page have been written to the staging
    // folder by the time the failing template is met.
    let root = tmp.path().join("root");
    site_with_a_failing_measure_template(&root);
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
    site_with_a_failing_measure_template(&root);
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
    let o = build(&fixture("mini"), &site);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let files = snapshot(&site);
    let pages = files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .count();
    // Every file on disk but the .kijun-site marker, which is not part of the site.
    assert!(site.join(".kijun-site").is_file());
    assert!(
        err.contains(&format!("built {pages} pages ({} files)", files.len() - 1)),
        "{err}"
    );
}
