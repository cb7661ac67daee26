//! The corpus of bad and hostile inputs under `tests/bad-inputs/`: each case patches a copy of
//! `tests/fixtures/mini`, runs the real `kijun build` over a last good site, and checks the
//! outcome its `case.toml` expects: the diagnostics (file, line, column, message), the exit code,
//! that a failed build left the old site byte for byte, and for accepted input, what the pages
//! say and that they pass the security audit. No case may make kijun panic.

#[path = "support/audit.rs"]
mod audit;
#[path = "support/sitetree.rs"]
mod sitetree;

use serde::Deserialize;
mod common;

use common::copy_dir;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case is about, for failure messages.
    about: String,
    /// 0: accepted (with the warnings listed), 1: refused with the errors listed.
    exit: i32,
    /// Name of the site root folder (to test spaces and Japanese in paths).
    #[serde(default)]
    root_name: Option<String>,
    /// Files of the fixture to delete.
    #[serde(default)]
    remove: Vec<String>,
    /// Files written from text (besides those copied from the case's `files/` folder).
    #[serde(default)]
    write: Vec<Write>,
    /// Large or deep files made at test time: head + unit × count + tail.
    #[serde(default)]
    generate: Vec<Generate>,
    #[serde(default)]
    symlink: Vec<Symlink>,
    /// Named pipes (a read would block forever).
    #[serde(default)]
    fifo: Vec<String>,
    /// Only in release builds (the case takes minutes unoptimised).
    #[serde(default)]
    release_only: bool,
    /// Exactly these errors (and at least these warnings).
    #[serde(default)]
    diagnostic: Vec<Expected>,
    /// For accepted input: what built pages must and must not contain.
    #[serde(default)]
    page: Vec<PageCheck>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Write {
    path: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    path: String,
    #[serde(default)]
    head: String,
    unit: String,
    count: usize,
    #[serde(default)]
    tail: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Symlink {
    path: String,
    target: String,
    /// A file to create at the target (relative to the root's parent folder), outside the root.
    #[serde(default)]
    outside_file: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    severity: String,
    file: String,
    line: usize,
    column: usize,
    /// A substring of the message.
    message: String,
    /// A substring of the help line, when there must be one.
    #[serde(default)]
    help: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageCheck {
    path: String,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    not_contains: Vec<String>,
}

/// One diagnostic as `kijun` prints it: `file:line:col: severity: message` then `  help: ...`.
#[derive(Debug)]
struct Printed {
    file: String,
    line: usize,
    column: usize,
    severity: String,
    message: String,
    help: Option<String>,
}

fn parse_printed(stderr: &str) -> Vec<Printed> {
    let mut out: Vec<Printed> = Vec::new();
    for line in stderr.lines() {
        if let Some(help) = line.strip_prefix("  help: ") {
            if let Some(last) = out.last_mut() {
                last.help = Some(help.to_string());
            }
            continue;
        }
        for severity in ["error", "warning"] {
            let marker = format!(": {severity}: ");
            let Some((place, message)) = line.split_once(&marker) else {
                continue;
            };
            // The file name may hold ':'; line and column are the last two fields.
            let mut parts = place.rsplitn(3, ':');
            let (Some(col), Some(ln), Some(file)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(column), Ok(line)) = (col.parse(), ln.parse()) else {
                continue;
            };
            out.push(Printed {
                file: file.to_string(),
                line,
                column,
                severity: severity.to_string(),
                message: message.to_string(),
                help: None,
            });
            break;
        }
    }
    out
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn kijun_build(root: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .expect("kijun runs")
}

/// Applies the case to a fresh copy of the mini fixture; returns the root.
fn prepare(case: &Case, case_dir: &Path, tmp: &Path) -> PathBuf {
    let root = tmp.join(case.root_name.as_deref().unwrap_or("root"));
    copy_dir(&repo().join("tests/fixtures/mini"), &root);
    for rel in &case.remove {
        fs::remove_file(root.join(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }
    let files = case_dir.join("files");
    if files.is_dir() {
        copy_dir(&files, &root);
    }
    for w in &case.write {
        let path = root.join(&w.path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, &w.text).unwrap();
    }
    for g in &case.generate {
        let mut text = String::with_capacity(g.head.len() + g.unit.len() * g.count + g.tail.len());
        text.push_str(&g.head);
        for _ in 0..g.count {
            text.push_str(&g.unit);
        }
        text.push_str(&g.tail);
        let path = root.join(&g.path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    for link in &case.symlink {
        if let Some(outside) = &link.outside_file {
            fs::write(tmp.join(outside), "+++\ntitle = \"secret\"\n+++\nsecret\n").unwrap();
        }
        std::os::unix::fs::symlink(&link.target, root.join(&link.path)).unwrap();
    }
    for fifo in &case.fifo {
        let status = Command::new("mkfifo")
            .arg(root.join(fifo))
            .status()
            .unwrap();
        assert!(status.success(), "mkfifo");
    }
    root
}

fn run_case(case_dir: &Path) -> Result<(), String> {
    let name = case_dir.file_name().unwrap().to_string_lossy().to_string();
    let text = fs::read_to_string(case_dir.join("case.toml")).map_err(|e| format!("{e}"))?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("case.toml: {e}"))?;
    if case.release_only && cfg!(debug_assertions) {
        eprintln!("{name}: skipped in a debug build (release_only)");
        return Ok(());
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    // The last good site, built from the untouched fixture.
    let good = kijun_build(&repo().join("tests/fixtures/mini"), &out);
    assert!(good.status.success(), "the mini fixture builds");
    let before = sitetree::hash_tree(&out);

    let root = prepare(&case, case_dir, tmp.path());
    let run = kijun_build(&root, &out);
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    let fail = |why: String| {
        Err(format!(
            "{name} ({}): {why}\n--- stderr:\n{stderr}",
            case.about
        ))
    };

    if stderr.contains("panicked") || run.status.code().is_none() {
        return fail("kijun crashed".into());
    }
    if run.status.code() != Some(case.exit) {
        return fail(format!(
            "exit {:?}, expected {}",
            run.status.code(),
            case.exit
        ));
    }
    let printed = parse_printed(&stderr);
    for d in &printed {
        if d.line == 0 || d.column == 0 || d.file.is_empty() {
            return fail(format!("a diagnostic without a position: {d:?}"));
        }
    }
    for want in &case.diagnostic {
        let found = printed.iter().any(|d| {
            d.severity == want.severity
                && d.file == want.file
                && d.line == want.line
                && d.column == want.column
                && d.message.contains(&want.message)
                && want
                    .help
                    .as_ref()
                    .is_none_or(|h| d.help.as_deref().unwrap_or("").contains(h.as_str()))
        });
        if !found {
            return fail(format!("missing diagnostic {want:?}"));
        }
    }
    // Errors are listed exactly: no cascade of follow-on errors.
    let errors: Vec<&Printed> = printed.iter().filter(|d| d.severity == "error").collect();
    let expected_errors = case
        .diagnostic
        .iter()
        .filter(|d| d.severity == "error")
        .count();
    if errors.len() != expected_errors {
        return fail(format!(
            "{} errors printed, {expected_errors} expected",
            errors.len()
        ));
    }

    let leftovers: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".site."))
        .collect();
    if !leftovers.is_empty() {
        return fail(format!("staging folders left behind: {leftovers:?}"));
    }
    if case.exit != 0 {
        if sitetree::hash_tree(&out) != before {
            return fail("the failed build changed the last good site".into());
        }
        return Ok(());
    }
    let files = sitetree::read_tree(&out);
    let problems = audit::audit_site(&files);
    if !problems.is_empty() {
        return fail(format!("security audit: {problems:#?}"));
    }
    for check in &case.page {
        let Some(bytes) = files.get(&check.path) else {
            return fail(format!("{} was not built", check.path));
        };
        let page = String::from_utf8_lossy(bytes);
        for s in &check.contains {
            if !page.contains(s.as_str()) {
                return fail(format!("{} lacks {s:?}", check.path));
            }
        }
        for s in &check.not_contains {
            if page.contains(s.as_str()) {
                return fail(format!("{} contains {s:?}", check.path));
            }
        }
    }
    Ok(())
}

#[test]
fn every_bad_input_gets_a_precise_diagnostic_and_keeps_the_last_good_site() {
    let mut cases: Vec<PathBuf> = fs::read_dir(repo().join("tests/bad-inputs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    // Cases are independent: run them on both cores.
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<&[PathBuf]> = cases.chunks(cases.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|c| run_case(c).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
