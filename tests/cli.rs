//! End-to-end tests of `kijun build` and `kijun check`, driving the real binary.

mod common;

use common::copy_dir;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kijun(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(args)
        .output()
        .expect("kijun runs")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

/// A writable copy of the mini fixture.
fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
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

#[test]
fn help_and_version_are_available() {
    let help = kijun(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for command in ["build", "check"] {
        assert!(text.contains(command), "--help lists {command}");
    }
    let version = kijun(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
    assert_eq!(
        kijun(&["build", "--no-such-flag"]).status.code(),
        Some(2),
        "usage errors exit 2"
    );
}

#[test]
fn builds_every_page_kind_in_both_languages_with_a_manifest() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = build(&fixture(), &site);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("downloads/baseline.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["schema"], "kijun-baseline/1");
    assert_eq!(manifest["revision"], "mini-1");
    assert_eq!(manifest["languages"], serde_json::json!(["ja", "en"]));
    let measures = manifest["measures"].as_array().unwrap();
    assert_eq!(measures.len(), 3);
    let am1 = measures.iter().find(|m| m["id"] == "AM-1").unwrap();
    assert_eq!(am1["level"], 1);
    assert_eq!(am1["obligation"], "required");
    assert_eq!(am1["title"]["en"], "Asset inventory");
    assert_eq!(am1["mappings"][0]["framework"], "test-fw");
    assert_eq!(am1["mappings"][0]["ref"], "T-1");
    assert_eq!(am1["mappings"][0]["relation"], "equal");
    // Every URL in the manifest exists under site/.
    let mut urls = vec![];
    for m in measures {
        urls.extend(m["url"].as_object().unwrap().values().cloned());
    }
    for key in ["home", "search", "assessment"] {
        urls.extend(
            manifest["pages"][key]
                .as_object()
                .unwrap()
                .values()
                .cloned(),
        );
    }
    urls.extend(
        manifest["pages"]["crosswalk"]["test-fw"]
            .as_object()
            .unwrap()
            .values()
            .cloned(),
    );
    for url in urls {
        let path = site
            .join(url.as_str().unwrap().trim_start_matches('/'))
            .join("index.html");
        assert!(path.is_file(), "{} exists", path.display());
    }

    let page = fs::read_to_string(site.join("ja/measures/am-1/index.html")).unwrap();
    assert!(page.contains("<html lang=\"ja\">"));
    assert!(page.contains("hreflang=\"en\" href=\"https://example.org/mini/en/measures/am-1/\""));
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://example.org/mini/ja/measures/am-1/\">"
        )
    );
    assert!(
        page.contains("href=\"../../../en/measures/am-1/index.html\""),
        "language switcher"
    );
    assert!(
        page.contains("aria-label=\"パンくずリスト\""),
        "breadcrumbs"
    );
    assert!(page.contains("ドラフト"), "draft label");
    assert!(
        page.contains("<a href=\"../../../ja/measures/ac-1/index.html\">AC-1 多要素認証の導入</a>"),
        "cross-reference"
    );

    let matrix = fs::read_to_string(site.join("en/matrix/index.html")).unwrap();
    assert!(
        matrix.contains("en/baseline/required-1/index.html#cat-am"),
        "matrix counts link to the measures"
    );
    let start = fs::read_to_string(site.join("en/guidelines/start/index.html")).unwrap();
    assert!(
        start.contains("AC-1") && start.contains("AM-1") && !start.contains(">AM-2<"),
        "level-1 checklist"
    );
    let fw = fs::read_to_string(site.join("en/frameworks/test-fw/index.html")).unwrap();
    assert!(
        fw.contains("relation-not-related") && fw.contains("relation-unmapped"),
        "not-related differs from unmapped"
    );
    let about_en = fs::read_to_string(site.join("en/about/index.html")).unwrap();
    assert!(
        about_en.contains("notice-fallback"),
        "missing translation falls back with a notice"
    );
    assert!(site.join("404.html").is_file() && site.join("index.html").is_file());
}

#[test]
fn identical_sources_give_identical_bytes() {
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    assert!(build(&fixture(), &a).status.success());
    assert!(build(&fixture(), &b).status.success());
    let files = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = walk(root)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(root).unwrap().display().to_string(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(files(&a), files(&b));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_broken_reference_names_file_and_line_and_keeps_the_last_good_site() {
    let root = copy_fixture();
    let site = root.path().join("site");
    assert!(build(root.path(), &site).status.success());
    let before = fs::read(site.join("ja/measures/am-1/index.html")).unwrap();

    let file = root.path().join("content/measures/AM/AM-1.en.md");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("[](measure:AC-1)", "[](measure:AC-9)");
    fs::write(&file, text).unwrap();
    let o = build(root.path(), &site);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/measures/AM/AM-1.en.md:19:36:"),
        "{err}"
    );
    assert!(err.contains("broken reference `measure:AC-9`"), "{err}");
    assert_eq!(
        fs::read(site.join("ja/measures/am-1/index.html")).unwrap(),
        before,
        "site left as it was"
    );
}

#[test]
fn check_reports_a_typo_with_a_suggestion_as_json() {
    let root = copy_fixture();
    let file = root.path().join("content/measures/AM/AM-2.ja.md");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("level = 2", "leve = 2");
    fs::write(&file, text).unwrap();
    let o = kijun(&[
        "check",
        "--root",
        root.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["file"], "content/measures/AM/AM-2.ja.md");
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 1);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `leve`")
    );
    assert_eq!(d["help"], "did you mean `level`?");
    assert!(!root.path().join("site").exists(), "check writes nothing");
}

#[test]
fn neutral_fields_must_agree_between_languages() {
    let root = copy_fixture();
    let file = root.path().join("content/measures/AM/AM-1.en.md");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("+++\ntitle", "+++\nlevel = 2\ntitle");
    fs::write(&file, text).unwrap();
    let o = kijun(&["check", "--root", root.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("content/measures/AM/AM-1.en.md:2:9: error: `level` is 2 here but 1 in content/measures/AM/AM-1.ja.md"), "{err}");
}

#[test]
fn unknown_crosswalk_values_are_errors_with_position() {
    let root = copy_fixture();
    let file = root.path().join("content/crosswalks/test-fw.toml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replacen("item = \"T-2\"", "item = \"T-22\"", 1)
        .replacen("relation = \"equal\"", "relation = \"same\"", 1);
    fs::write(&file, text).unwrap();
    let o = kijun(&["check", "--root", root.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("content/crosswalks/test-fw.toml:") && err.contains("unknown variant `same`"),
        "{err}"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let root = copy_fixture();
    let file = root.path().join("content/measures/AM/AM-2.ja.md");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("order = 2", "order = 2\ndraft = true");
    fs::write(&file, text).unwrap();
    // The crosswalk maps AM-2, so its rows must go too for a build without drafts.
    let cw = root.path().join("content/crosswalks/test-fw.toml");
    let cw_text = fs::read_to_string(&cw).unwrap();
    let kept: Vec<&str> = cw_text
        .split("[[row]]")
        .filter(|row| !row.contains("measure = \"AM-2\""))
        .collect();
    fs::write(&cw, kept.join("[[row]]")).unwrap();
    let out = root.path().join("out");
    let o = build(root.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("ja/measures/am-2/index.html").exists());
    let o = kijun(&[
        "build",
        "--root",
        root.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--drafts",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = fs::read_to_string(out.join("ja/measures/am-2/index.html")).unwrap();
    assert!(page.contains("notice-draft"), "draft badge");
}

#[test]
fn a_site_without_a_themes_folder_builds_with_the_embedded_theme() {
    let root = copy_fixture();
    assert!(!root.path().join("themes").exists());
    let out = root.path().join("out");
    assert!(build(root.path(), &out).status.success());
    assert!(out.join("static/css/kijun.css").is_file());
}
