//! scripts/publish-revision, the steps of docs/examples/publish.yml (issue #21), run on a copy
//! of the bundled content: check as GitHub annotations, diff as Markdown, build, and the
//! manifest recorded under revisions/.

mod common;
use common::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const CURRENT: &str = "2026.11-draft.1";

/// Runs the script from inside the content root, as CI does, with the binary under test.
fn publish(root: &Path, args: &[&str]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/publish-revision");
    Command::new("bash")
        .arg(script)
        .args(args)
        .current_dir(root)
        .env("KIJUN", env!("CARGO_BIN_EXE_kijun"))
        .output()
        .expect("bash runs the script")
}

fn ac1() -> &'static str {
    "content/measures/AC/AC-1.ja.md"
}

#[test]
fn clean_content_is_checked_diffed_built_and_recorded() {
    let (tmp, root) = bundled_copy();
    // A change since the last published revision: AC-1 moves from Lv.1 to Lv.2.
    edit(&root.join(ac1()), "level = 1\n", "level = 2\n");
    let site = tmp.path().join("site");
    let diff = tmp.path().join("diff.md");
    let o = publish(
        &root,
        &[
            "--out",
            site.to_str().unwrap(),
            "--diff-out",
            diff.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "no annotations on clean content");
    assert!(
        stderr(&o).contains("kijun check: 0 error(s), 0 warning(s)"),
        "{}",
        stderr(&o)
    );

    let md = fs::read_to_string(&diff).unwrap();
    assert!(
        md.contains("2026.10-draft.0"),
        "compared with [previous]: {md}"
    );
    let entry = md
        .split("- **AC-1**")
        .nth(1)
        .expect("AC-1 listed as changed");
    let entry = entry.split("\n- **").next().unwrap();
    assert!(entry.contains("level: Lv.1 → Lv.2"), "{entry}");

    let recorded = root.join(format!("revisions/{CURRENT}.json"));
    let published = fs::read(site.join("downloads/baseline.json")).unwrap();
    assert_eq!(fs::read(&recorded).unwrap(), published);

    // A published revision is never rewritten: a different manifest already recorded for it
    // stops the record step and stays as it was.
    fs::write(&recorded, "{}").unwrap();
    let o = publish(&root, &["--out", site.to_str().unwrap(), "record"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("never rewritten"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&recorded).unwrap(), "{}");
}

#[test]
fn errors_become_annotations_and_nothing_is_built_or_recorded() {
    let (tmp, root) = bundled_copy();
    edit(&root.join(ac1()), "level = 1\n", "level = 7\n");
    let site = tmp.path().join("site");
    let o = publish(&root, &["--out", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("an error annotation: {out}"));
    assert!(
        line.starts_with(&format!("::error file={},line=5,col=9::level 7", ac1())),
        "{line}"
    );
    // The help line travels in the same annotation, its newline escaped for GitHub.
    assert!(line.contains("%0Ahelp: "), "{line}");
    assert!(!site.exists(), "nothing built after a failed check");
    assert!(!root.join(format!("revisions/{CURRENT}.json")).exists());
}
