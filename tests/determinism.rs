//! The same sources give byte-identical output: every file, the zip and the workbooks included.
//! The second build differs in everything that must not matter: time (two seconds later, past
//! the resolution of zip and XLSX timestamps), time zone, locale, thread count, output folder
//! and working directory.

mod outputs;

use outputs::{build, mini, read_tree, repo_root};
use std::path::Path;
use std::time::Duration;

fn assert_same_site(a: &Path, b: &Path) {
    let one = read_tree(a);
    let two = read_tree(b);
    let names_one: Vec<&String> = one.keys().collect();
    let names_two: Vec<&String> = two.keys().collect();
    assert_eq!(names_one, names_two, "both builds write the same files");
    let differing: Vec<&String> = one
        .iter()
        .filter(|(path, bytes)| two.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differing.is_empty(),
        "files differ between builds: {differing:?}"
    );
    // The comparison covers the binary downloads, not only pages.
    for suffix in [".zip", ".xlsx", ".zip.sha256", ".csv", "sitemap.xml"] {
        assert!(
            one.keys().any(|p| p.ends_with(suffix)),
            "the build wrote a {suffix} file"
        );
    }
}

fn build_twice(root: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    build(root, &tmp.path().join("one"), &[], None);
    std::thread::sleep(Duration::from_millis(2100));
    build(
        root,
        &tmp.path().join("two-elsewhere"),
        &[
            ("TZ", "America/Los_Angeles"),
            ("LC_ALL", "C"),
            ("RAYON_NUM_THREADS", "1"),
        ],
        Some(elsewhere.path()),
    );
    assert_same_site(&tmp.path().join("one"), &tmp.path().join("two-elsewhere"));
}

#[test]
fn two_builds_of_the_mini_site_are_byte_identical() {
    build_twice(&mini());
}

#[test]
fn two_builds_of_the_bundled_site_are_byte_identical() {
    build_twice(&repo_root());
}
