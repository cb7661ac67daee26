//! `kijun new` and `kijun renumber` on a copy of the bundled content (issue #21): an author
//! starts a page or renumbers a measure and `kijun check` stays clean.

mod common;
use common::*;
use std::fs;
use std::path::Path;

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--root", root.to_str().unwrap()]);
    kijun(&all)
}

fn assert_check_clean(root: &Path, extra: &[&str]) {
    let mut args = vec!["check"];
    args.extend(extra);
    let o = run(root, &args);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("0 error(s), 0 warning(s)"), "{err}");
}

#[test]
fn new_measure_is_written_in_both_languages_and_checks_clean() {
    let (_tmp, root) = bundled_copy();
    let o = run(&root, &["new", "measure", "LM-8"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("LM-8.ja.md") && out.contains("LM-8.en.md"),
        "{out}"
    );
    assert!(out.contains("remove `draft = true`"), "{out}");

    let ja = fs::read_to_string(root.join("content/measures/LM/LM-8.ja.md")).unwrap();
    // LM-1..LM-6 exist, so the new measure comes after them.
    assert!(ja.contains("id = \"LM-8\"\ncategory = \"LM\""), "{ja}");
    assert!(ja.contains("\norder = 7\n"), "{ja}");
    for heading in [
        "## なぜ重要か",
        "## 達成の目安",
        "## 小規模事業者の最小実施例",
    ] {
        assert!(ja.contains(heading), "{heading} in {ja}");
    }
    let en = fs::read_to_string(root.join("content/measures/LM/LM-8.en.md")).unwrap();
    assert!(!en.contains("\norder ="), "neutral fields only in ja: {en}");
    for heading in [
        "## Why it matters",
        "## What done looks like",
        "## Minimal approach for small operators",
    ] {
        assert!(en.contains(heading), "{heading} in {en}");
    }
    assert!(out.contains("review it against every crosswalk"), "{out}");
    assert_check_clean(&root, &[]);

    // As a draft it is checked with --drafts: the comprehensive crosswalks have not reviewed it
    // yet, and check says so for each of them instead of claiming "no corresponding item".
    let o = run(&root, &["check", "--drafts"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    for crosswalk in ["nist-csf-2.0", "ncsc-caf-4.0", "eu-nis2-art21"] {
        assert!(
            err.contains(&format!("content/crosswalks/{crosswalk}.toml"))
                && err.contains("measure `LM-8` has no row"),
            "{crosswalk}: {err}"
        );
    }
    assert!(err.contains("3 error(s), 0 warning(s)"), "{err}");

    // The author reviews it against each crosswalk, then publishes it (draft removed).
    for (crosswalk, item) in [
        ("nist-csf-2.0", "DE.CM-01"),
        ("ncsc-caf-4.0", "C1.a"),
        ("eu-nis2-art21", "21(2)(b)"),
    ] {
        let path = root.join(format!("content/crosswalks/{crosswalk}.toml"));
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str(&format!(
            "\n[[row]]\nmeasure = \"LM-8\"\nitem = \"{item}\"\nrelation = \"intersects-with\"\n\
             rationale = \"semantic\"\nstrength = 3\njustification.ja = \"一部が重なる。\"\n\
             justification.en = \"They overlap in part.\"\n\n[[remains]]\nmeasure = \"LM-8\"\n\
             ja = \"本基準はさらに新しい対策を求める。\"\nen = \"This baseline also asks for the new measure.\"\n"
        ));
        fs::write(&path, text).unwrap();
    }
    assert_check_clean(&root, &["--drafts"]);
    edit(
        &root.join("content/measures/LM/LM-8.ja.md"),
        "draft = true",
        "",
    );
    assert_check_clean(&root, &[]);
}

#[test]
fn new_refuses_ids_in_use_or_retired() {
    let (_tmp, root) = bundled_copy();
    let o = run(&root, &["new", "measure", "VM-1"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("`VM-1` is already a measure"), "{err}");
    assert!(err.contains("the next free id in VM is VM-8"), "{err}");

    // OT-6 replaces LM-7: LM-7 is retired, never reused.
    let o = run(&root, &["new", "measure", "LM-7"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("`LM-7` was retired: OT-6 lists it in `replaces`"),
        "{err}"
    );
    assert!(err.contains("LM-8"), "{err}");
    assert!(!root.join("content/measures/LM/LM-7.ja.md").exists());

    let o = run(&root, &["new", "guideline", "getting-started"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already a guideline"), "{}", stderr(&o));
}

#[test]
fn new_refuses_an_id_published_in_a_committed_revision() {
    let (_tmp, root) = bundled_copy();
    // AM-1 was published in the committed revision 2026.10-draft.0; withdraw it from the sources.
    fs::remove_file(root.join("content/measures/AM/AM-1.ja.md")).unwrap();
    fs::remove_file(root.join("content/measures/AM/AM-1.en.md")).unwrap();
    let o = run(&root, &["new", "measure", "AM-1"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("published in revision 2026.10-draft.0"),
        "{err}"
    );
}

#[test]
fn new_guideline_sector_and_page_check_clean() {
    let (_tmp, root) = bundled_copy();
    for args in [
        &["new", "guideline", "lm-edr", "--category", "LM"][..],
        &["new", "sector", "space"][..],
        &["new", "page", "faq"][..],
    ] {
        let o = run(&root, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let g = fs::read_to_string(root.join("content/guidelines/lm-edr.ja.md")).unwrap();
    assert!(g.contains("categories = [\"LM\"]"), "{g}");
    assert!(g.contains("## 実施の手順"), "{g}");
    let s = fs::read_to_string(root.join("content/sectors/space.en.md")).unwrap();
    assert!(s.contains("## Cyber-risk characteristics"), "{s}");
    assert_check_clean(&root, &["--drafts"]);
}

#[test]
fn renumber_moves_a_measure_across_categories_and_checks_clean() {
    let (_tmp, root) = bundled_copy();
    let crosswalk = root.join("content/crosswalks/nist-csf-2.0.toml");
    let before = fs::read_to_string(&crosswalk).unwrap();
    let rows_before = before.matches("measure = \"LM-2\"").count();
    assert!(rows_before > 0);

    // The dry run lists the edits and writes nothing.
    let o = run(&root, &["renumber", "LM-2", "VM-8", "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listing = stdout(&o);
    assert!(
        listing.contains("content/measures/LM/LM-2.ja.md -> content/measures/VM/VM-8.ja.md"),
        "{listing}"
    );
    assert!(listing.contains("+ replaces = [\"LM-2\"]"), "{listing}");
    assert!(listing.contains("- measure = \"LM-2\""), "{listing}");
    assert!(root.join("content/measures/LM/LM-2.ja.md").exists());
    assert_eq!(fs::read_to_string(&crosswalk).unwrap(), before);

    let o = run(&root, &["renumber", "LM-2", "VM-8"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!root.join("content/measures/LM/LM-2.ja.md").exists());
    assert!(!root.join("content/measures/LM/LM-2.en.md").exists());
    let ja = fs::read_to_string(root.join("content/measures/VM/VM-8.ja.md")).unwrap();
    assert!(ja.contains("id = \"VM-8\"\ncategory = \"VM\""), "{ja}");
    // VM-1..VM-7 exist: it comes last in its new category.
    assert!(ja.contains("\norder = 8\nreplaces = [\"LM-2\"]\n"), "{ja}");
    let after = fs::read_to_string(&crosswalk).unwrap();
    assert_eq!(after.matches("measure = \"VM-8\"").count(), rows_before);
    assert!(!after.contains("\"LM-2\""));
    let guideline =
        fs::read_to_string(root.join("content/guidelines/lm-logging-monitoring.ja.md")).unwrap();
    assert!(
        guideline.contains("\"LM-1\", \"VM-8\", \"LM-3\""),
        "{guideline}"
    );
    assert!(guideline.contains("[](measure:VM-8)"), "{guideline}");
    // Comments and the other rows keep their formatting: only the renamed lines differ.
    let changed = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(before.lines().count(), after.lines().count());
    assert!(
        changed >= rows_before && changed < 20,
        "{changed} lines changed"
    );
    assert_check_clean(&root, &[]);

    // The retired id is now refused, and a second renumbering of it says where it went.
    let o = run(&root, &["new", "measure", "LM-2"]);
    assert!(
        stderr(&o).contains("VM-8 lists it in `replaces`"),
        "{}",
        stderr(&o)
    );
    let o = run(&root, &["renumber", "LM-2", "VM-9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("VM-8 lists it in `replaces`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn renumber_refuses_a_taken_id_and_writes_nothing() {
    let (_tmp, root) = bundled_copy();
    let o = run(&root, &["renumber", "LM-2", "VM-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`VM-1` is already a measure"),
        "{}",
        stderr(&o)
    );
    assert!(root.join("content/measures/LM/LM-2.ja.md").exists());
    let o = run(&root, &["renumber", "LM-2", "XX-1"]);
    assert!(stderr(&o).contains("no category `XX`"), "{}", stderr(&o));
}
