//! The self-assessment outputs of `kijun build`, driving the real binary on
//! tests/fixtures/assessment: the generated data scripts and the page without JavaScript.
//! The page's behaviour in a browser is tested in tests/browser/assessment.test.mjs.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/assessment")
}

fn build(out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["build", "--root"])
        .arg(fixture())
        .arg("--out")
        .arg(out)
        .output()
        .expect("kijun runs");
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The JSON a data script assigns to its global.
fn data_of(site: &Path, lang: &str) -> Value {
    let text = fs::read_to_string(site.join(format!("assessment/data.{lang}.js"))).unwrap();
    let json = text
        .lines()
        .find_map(|l| l.strip_prefix("window.KIJUN_ASSESSMENT_DATA = "))
        .and_then(|l| l.strip_suffix(';'))
        .expect("the script sets window.KIJUN_ASSESSMENT_DATA");
    serde_json::from_str(json).expect("the assigned value is JSON")
}

fn manifest(site: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(site.join("downloads/baseline.json")).unwrap())
        .unwrap()
}

/// Measure ids from the fixture's sources: `content/measures/<CAT>/<ID>.ja.md`.
fn source_measure_ids() -> Vec<String> {
    let mut ids = Vec::new();
    for cat in fs::read_dir(fixture().join("content/measures")).unwrap() {
        for f in fs::read_dir(cat.unwrap().path()).unwrap() {
            let name = f.unwrap().file_name().to_string_lossy().to_string();
            if let Some(id) = name.strip_suffix(".ja.md") {
                ids.push(id.to_string());
            }
        }
    }
    ids.sort();
    ids
}

#[test]
fn data_scripts_carry_every_measure_with_its_related_framework_items() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&site);
    let manifest = manifest(&site);
    for lang in ["ja", "en"] {
        let data = data_of(&site, lang);
        assert_eq!(data["schema"], "kijun-assessment-data/1");
        assert_eq!(data["export_schema"], "kijun-assessment/1");
        assert_eq!(data["lang"], lang);
        // The storage key is the site, never the revision, so ratings outlive a revision.
        assert_eq!(data["site"], "https://example.org/assess/");
        assert_eq!(data["revision"], manifest["revision"]);
        let measures = data["measures"].as_array().unwrap();
        let mut ids: Vec<String> = measures
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        assert_eq!(ids, source_measure_ids());
        for m in measures {
            let id = m["id"].as_str().unwrap();
            let entry = manifest["measures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["id"] == id)
                .unwrap();
            assert_eq!(m["title"], entry["title"][lang], "{id} title in {lang}");
            assert_eq!(m["level"], entry["level"]);
            assert_eq!(m["obligation"], entry["obligation"]);
            // Related items: the crosswalk rows other than not-related.
            let mut expected: Vec<(String, String)> = entry["mappings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x["relation"] != "not-related")
                .map(|x| (x["framework"].to_string(), x["ref"].to_string()))
                .collect();
            let mut got: Vec<(String, String)> = m["mappings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| (x["framework"].to_string(), x["item"].to_string()))
                .collect();
            expected.sort();
            got.sort();
            assert_eq!(got, expected, "{id} mappings");
            assert!(
                m["mappings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|x| !x["title"].as_str().unwrap().is_empty()),
                "{id}: every related item has its title"
            );
            // The link works: it names a page that was built.
            assert!(site.join(m["href"].as_str().unwrap()).is_file());
        }
        let strings = data["strings"].as_object().unwrap();
        for key in [
            "assessment_rating_FI",
            "assessment_csv_note",
            "required",
            "rel_subset-of",
        ] {
            assert!(strings.contains_key(key), "{lang}: string {key}");
        }
        assert!(!strings.contains_key("rel_subset-of_help"));
    }
    // Japanese first: the ja data has the Japanese titles.
    assert_eq!(
        data_of(&site, "ja")["measures"][0]["title"],
        "資産台帳の整備"
    );
}

#[test]
fn assessment_outputs_are_byte_identical_across_builds() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(&a);
    build(&b);
    for file in [
        "assessment/data.ja.js",
        "assessment/data.en.js",
        "ja/assessment/index.html",
        "en/assessment/index.html",
    ] {
        assert_eq!(
            fs::read(a.join(file)).unwrap(),
            fs::read(b.join(file)).unwrap(),
            "{file} differs between two builds"
        );
    }
}

#[test]
fn without_javascript_the_page_is_a_plain_checklist_and_says_rating_needs_javascript() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&site);
    for (lang, needs_js) in [("ja", "JavaScriptが必要です"), ("en", "need JavaScript")] {
        let html = fs::read_to_string(site.join(format!("{lang}/assessment/index.html"))).unwrap();
        let noscript = html
            .split("<noscript>")
            .nth(1)
            .and_then(|s| s.split("</noscript>").next())
            .expect("a noscript message");
        assert!(noscript.contains(needs_js), "{lang}: {noscript}");
        let static_list = html
            .split(r#"id="assessment-static""#)
            .nth(1)
            .expect("the static checklist");
        for id in source_measure_ids() {
            let href = format!("measures/{}/index.html", id.to_lowercase());
            assert!(static_list.contains(&href), "{lang}: {id} is listed");
        }
        // The interactive part stays hidden until the script shows it.
        assert!(html.contains(r#"id="assessment-app" class="assessment-app" hidden"#));
        // CSP: only the site's own script files; no inline script or style.
        assert!(!html.contains(" style="));
        for tag in html.split("<script").skip(1) {
            let src = tag
                .split("src=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .expect("every script has a src");
            assert!(!src.contains("://"), "script from elsewhere: {src}");
            let file = site
                .join(format!("{lang}/assessment"))
                .join(src)
                .canonicalize();
            assert!(file.is_ok(), "{lang}: script {src} exists");
        }
    }
}
