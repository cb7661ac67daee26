//! `kijun diff` end to end: two content roots, a root and a baseline.json, two git revisions,
//! and sides that cannot be read.

mod common;
use common::*;
use serde_json::{Value, json};
use std::fs;
use std::path::Path;
use std::process::Command;

/// Turns a copy of the mini fixture into its next revision:
/// AM-2 renumbered to AM-5, AC-1 moved to level 2, AM-1's English title reworded,
/// AC-2 added, and the AM-1 → T-1 crosswalk row changed from equal to superset-of.
fn make_next_revision(root: &Path) {
    edit(
        &root.join("kijun.toml"),
        "revision = \"mini-1\"",
        "revision = \"mini-2\"",
    );
    let measures = root.join("content/measures");
    for lang in ["ja", "en"] {
        fs::rename(
            measures.join(format!("AM/AM-2.{lang}.md")),
            measures.join(format!("AM/AM-5.{lang}.md")),
        )
        .unwrap();
    }
    edit(
        &measures.join("AM/AM-5.ja.md"),
        "id = \"AM-2\"",
        "id = \"AM-5\"\nreplaces = [\"AM-2\"]",
    );
    // The renumbered measure's row and its "what remains" follow it.
    for _ in 0..2 {
        edit(
            &root.join("content/crosswalks/test-fw.toml"),
            "measure = \"AM-2\"",
            "measure = \"AM-5\"",
        );
    }
    for lang in ["ja", "en"] {
        let text = fs::read_to_string(measures.join(format!("AC/AC-1.{lang}.md")))
            .unwrap()
            .replace("id = \"AC-1\"", "id = \"AC-2\"")
            .replace("order = 1", "order = 2");
        fs::write(measures.join(format!("AC/AC-2.{lang}.md")), text).unwrap();
    }
    edit(&measures.join("AC/AC-1.ja.md"), "level = 1", "level = 2");
    edit(
        &measures.join("AM/AM-1.en.md"),
        "title = \"Asset inventory\"",
        "title = \"Inventory of IT and OT assets\"",
    );
    // Now AM-1 asks more than T-1: no longer likely met, so it says what remains.
    edit(
        &root.join("content/crosswalks/test-fw.toml"),
        "relation = \"equal\"",
        "relation = \"superset-of\"",
    );
    let crosswalk = root.join("content/crosswalks/test-fw.toml");
    let mut text = fs::read_to_string(&crosswalk).unwrap();
    text.push_str(
        "\n[[remains]]\nmeasure = \"AM-1\"\nja = \"本基準はさらにOT資産も台帳に含める。\"\n\
         en = \"This baseline also puts OT assets in the inventory.\"\n",
    );
    fs::write(&crosswalk, text).unwrap();
}

fn json_of(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// What `make_next_revision` changed, as every kind of side must report it.
fn assert_next_revision_reported(report: &Value) {
    assert_eq!(report["schema"], "kijun-diff/1");
    assert_eq!(report["old"]["revision"], "mini-1");
    assert_eq!(report["new"]["revision"], "mini-2");
    assert_eq!(
        report["summary"],
        json!({"added": 1, "removed": 0, "replaced": 1, "changed": 2,
               "mappings": {"added": 0, "removed": 0, "changed": 1}})
    );
    assert_eq!(report["added"][0]["id"], "AC-2");
    assert_eq!(
        report["removed"],
        json!([]),
        "AM-2 is renumbered, not removed"
    );
    let replaced = &report["replaced"][0];
    assert_eq!(replaced["kind"], "renamed");
    assert_eq!(replaced["from"][0]["id"], "AM-2");
    assert_eq!(replaced["to"][0]["id"], "AM-5");
    assert_eq!(
        replaced["fields"],
        json!([]),
        "nothing else changed in AM-5"
    );
    let changed: Vec<&str> = report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["AM-1", "AC-1"]);
    assert_eq!(
        report["changed"][0]["fields"],
        json!([{"field": "title", "lang": "en", "old": "Asset inventory", "new": "Inventory of IT and OT assets"}])
    );
    assert_eq!(
        report["changed"][0]["mappings"][0]["changed"][0],
        json!({"ref": "T-1",
               "old": {"framework": "test-fw", "ref": "T-1", "relation": "equal", "rationale": "semantic", "strength": 9},
               "new": {"framework": "test-fw", "ref": "T-1", "relation": "superset-of", "rationale": "semantic", "strength": 9}})
    );
    assert_eq!(
        report["changed"][1]["fields"],
        json!([{"field": "level", "old": 1, "new": 2}])
    );
}

#[test]
fn diff_between_two_content_roots() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    copy_dir(&fixture("mini"), &old);
    copy_dir(&fixture("mini"), &new);
    make_next_revision(&new);
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());

    let report = json_of(&kijun(&["diff", o, n, "--format", "json"]));
    assert_next_revision_reported(&report);
    assert_eq!(report["old"]["kind"], "root");

    let text = kijun(&["diff", o, n, "--lang", "en"]);
    assert!(text.status.success(), "{}", stderr(&text));
    let text = stdout(&text);
    for line in [
        "mini-1 (2026-01-15) → mini-2 (2026-01-15)",
        "1 added, 0 removed, 1 renumbered, 2 changed; crosswalk rows: 0 added, 0 removed, 1 changed",
        "  + AC-2 Multi-factor authentication (required, Lv.1)",
        "  AM-2 → AM-5 (renamed): Software bill of materials",
        "  ~ AC-1 Multi-factor authentication",
        "      level: Lv.1 → Lv.2",
        "      crosswalk test-fw: ~T-1 (relation equal → superset-of)",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} in:\n{text}");
    }

    let md = stdout(&kijun(&["diff", o, n, "--format", "markdown"]));
    assert!(md.starts_with("# Changes from mini-1 to mini-2\n"), "{md}");
    assert!(
        md.contains("\n## Renumbered\n\n- **AM-2 → AM-5** (renamed): ソフトウェア部品表（SBOM）\n"),
        "{md}"
    );
    assert!(md.contains("  - level: Lv.1 → Lv.2\n"), "{md}");
}

#[test]
fn diff_between_a_root_and_a_baseline_json() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let built = build(&fixture("mini"), &site);
    assert!(built.status.success(), "{}", stderr(&built));
    let manifest = site.join("downloads/baseline.json");
    let new = tmp.path().join("new");
    copy_dir(&fixture("mini"), &new);
    make_next_revision(&new);
    let (m, n) = (manifest.to_str().unwrap(), new.to_str().unwrap());

    let report = json_of(&kijun(&["diff", m, n, "--format", "json"]));
    assert_eq!(report["old"]["kind"], "manifest");
    assert_next_revision_reported(&report);

    // A root and the manifest it builds are the same revision, from either side; a built site
    // folder stands for its manifest.
    let same = json_of(&kijun(&[
        "diff",
        fixture("mini").to_str().unwrap(),
        m,
        "--format",
        "json",
    ]));
    assert_eq!(same["summary"]["changed"], 0);
    assert_eq!(same["changed"], json!([]));
    let text = kijun(&[
        "diff",
        site.to_str().unwrap(),
        fixture("mini").to_str().unwrap(),
    ]);
    assert_eq!(
        stdout(&text),
        "mini-1 (2026-01-15) → mini-1 (2026-01-15)\nNo changes.\n"
    );
}

fn git(repo: &Path, args: &[&str]) {
    let o = Command::new("git")
        .current_dir(repo)
        .args([
            "-c",
            "user.name=kijun test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs (scripts/setup installs it)");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn diff_between_two_git_revisions() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    // The content root lives in a subfolder, as in a repository that holds more than the site.
    let root = repo.join("baseline");
    copy_dir(&fixture("mini"), &root);
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "mini-1"]);
    git(repo, &["tag", "v1"]);
    make_next_revision(&root);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "mini-2"]);
    // An uncommitted edit must not leak into either revision.
    edit(
        &root.join("content/measures/AM/AM-1.ja.md"),
        "level = 1",
        "level = 3",
    );

    // From inside the root's folder, revisions are read at the same place in the tree.
    let report = json_of(&kijun_in(
        &root,
        &["diff", "v1", "HEAD", "--format", "json"],
    ));
    assert_eq!(report["old"]["kind"], "git");
    assert_next_revision_reported(&report);
    // From elsewhere, with --repo and REV:path.
    let report = json_of(&kijun(&[
        "diff",
        "v1:baseline",
        "main:baseline",
        "--repo",
        repo.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_next_revision_reported(&report);
    // A revision against the working tree sees the uncommitted edit.
    let report = json_of(&kijun_in(&root, &["diff", "HEAD", ".", "--format", "json"]));
    assert_eq!(
        report["changed"][0]["fields"],
        json!([{"field": "level", "old": 1, "new": 3}])
    );

    let o = kijun_in(repo, &["diff", "v1", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("revision v1 has no kijun.toml in the repository's top folder"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("v1:path/to/root"), "{}", stderr(&o));
}

#[test]
fn unreadable_sides_exit_non_zero_with_a_clear_message() {
    let mini = fixture("mini");
    let mini = mini.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();

    let o = kijun_in(tmp.path(), &["diff", "no-such-thing", mini]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("error: no-such-thing is not a folder, a file or a git revision"),
        "{err}"
    );
    assert!(err.contains("help: give a content root"), "{err}");
    assert!(o.stdout.is_empty(), "no report on failure");

    let not_manifest = tmp.path().join("other.json");
    fs::write(&not_manifest, "{\"schema\": \"something-else/1\"}").unwrap();
    let o = kijun(&["diff", not_manifest.to_str().unwrap(), mini]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("other.json:1:1: error: not a kijun manifest: schema is \"something-else/1\""),
        "{err}"
    );

    let truncated = tmp.path().join("cut.json");
    fs::write(
        &truncated,
        "{\"schema\": \"kijun-baseline/1\",\n\"revision\": \"r1\",\n\"measures\": [",
    )
    .unwrap();
    let err = stderr(&kijun(&["diff", truncated.to_str().unwrap(), mini]));
    assert!(err.contains("cut.json:3:"), "{err}");

    let broken = tmp.path().join("broken");
    copy_dir(&fixture("mini"), &broken);
    edit(
        &broken.join("content/measures/AM/AM-2.ja.md"),
        "level = 2",
        "level = 7",
    );
    let o = kijun(&["diff", mini, broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "error: content root {} cannot be read:",
            broken.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("content/measures/AM/AM-2.ja.md:5:9: error: level 7 is out of range"),
        "{err}"
    );

    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let o = kijun(&["diff", empty.to_str().unwrap(), mini]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a folder without kijun.toml or downloads/baseline.json"));
}

#[test]
fn a_git_revision_is_read_with_its_history_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    copy_dir(&fixture("history"), repo);
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "hist-2"]);
    // [previous] needs revisions/hist-1.json inside the revision: it must be extracted.
    let o = kijun_in(
        repo,
        &["diff", "HEAD", "revisions/hist-1.json", "--format", "json"],
    );
    let report = json_of(&o);
    assert_eq!(report["old"]["revision"], "hist-2");
    assert_eq!(report["new"]["revision"], "hist-1");
    // Backwards, a renumbering is not a `replaces` of the newer side: AM-3 goes, AM-9 comes.
    assert_eq!(report["removed"][0]["id"], "AM-3");
    assert_eq!(report["added"][0]["id"], "AM-9");
    assert_eq!(report["changed"][0]["id"], "AM-2");
}
