//! Guards the bundled draft baseline: complete in both languages, within the outline, and
//! clean under `kijun check` (no error and no warning).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn kijun_check_reports_no_error_and_no_warning_on_the_bundled_content() {
    let o = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args([
            "check",
            "--root",
            root().to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{report:#}");
    assert_eq!(report["warnings"], 0, "{report:#}");
    assert!(o.status.success());
}

/// The text under each `## ` heading of a Markdown body.
fn sections(body: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in body.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            current = Some(h.trim().to_string());
            out.insert(h.trim().to_string(), String::new());
        } else if let Some(h) = &current {
            let text = out.get_mut(h).unwrap();
            text.push_str(line.trim());
        }
    }
    out
}

fn front_and_body(path: &Path) -> (toml::Table, String) {
    let text = fs::read_to_string(path).unwrap();
    let rest = text
        .strip_prefix("+++\n")
        .unwrap_or_else(|| panic!("{}: front matter", path.display()));
    let end = rest.find("\n+++\n").unwrap();
    (
        toml::from_str(&rest[..end]).unwrap(),
        rest[end + 5..].to_string(),
    )
}

#[test]
fn every_measure_is_complete_in_both_languages_and_the_outline_is_covered() {
    let headings = [
        (
            "ja",
            ["なぜ重要か", "達成の目安", "小規模事業者の最小実施例"],
        ),
        (
            "en",
            [
                "Why it matters",
                "What done looks like",
                "Minimal approach for small operators",
            ],
        ),
    ];
    let sector_ids: BTreeSet<String> = fs::read_dir(root().join("content/sectors"))
        .unwrap()
        .filter_map(|e| {
            e.unwrap()
                .file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".ja.md"))
                .map(str::to_string)
        })
        .collect();
    assert_eq!(
        sector_ids.len(),
        15,
        "the 15 critical-infrastructure sectors"
    );
    let mut levels_by_category: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let mut obligations_by_category: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut count = 0;
    for category in fs::read_dir(root().join("content/measures")).unwrap() {
        let dir = category.unwrap().path();
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let Some(id) = path
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .strip_suffix(".ja.md")
            else {
                continue;
            };
            count += 1;
            let (front, _) = front_and_body(&path);
            let level = front["level"].as_integer().unwrap();
            assert!((1..=3).contains(&level), "{id}: level");
            let obligation = front["obligation"].as_str().unwrap().to_string();
            assert!(
                ["required", "recommended"].contains(&obligation.as_str()),
                "{id}: obligation"
            );
            if let Some(sectors) = front.get("sectors") {
                for s in sectors.as_array().unwrap() {
                    let s = s.as_str().unwrap();
                    assert!(s == "all" || sector_ids.contains(s), "{id}: sector {s}");
                }
            }
            let cat = front["category"].as_str().unwrap().to_string();
            levels_by_category
                .entry(cat.clone())
                .or_default()
                .insert(level);
            obligations_by_category
                .entry(cat)
                .or_default()
                .insert(obligation);
            for (lang, wanted) in &headings {
                let file = dir.join(format!("{id}.{lang}.md"));
                let (front, body) = front_and_body(&file);
                for key in ["title", "statement"] {
                    assert!(
                        !front[key].as_str().unwrap().trim().is_empty(),
                        "{id}.{lang}: {key}"
                    );
                }
                let found = sections(&body);
                for h in wanted {
                    let text = found
                        .get(*h)
                        .unwrap_or_else(|| panic!("{id}.{lang}: section {h}"));
                    assert!(
                        text.chars().count() > 20,
                        "{id}.{lang}: section {h} is empty"
                    );
                }
            }
        }
    }
    assert!(count >= 80, "at least 80 measures, found {count}");
    assert!(levels_by_category.len() >= 12, "at least 12 categories");
    for (cat, levels) in &levels_by_category {
        assert!(
            levels.len() > 1,
            "{cat} has measures at more than one level"
        );
        assert_eq!(
            obligations_by_category[cat].len(),
            2,
            "{cat} has both obligations"
        );
    }
}

#[test]
fn every_page_says_it_is_a_draft() {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args([
            "build",
            "--root",
            root().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for lang in ["ja", "en"] {
        for page in [
            "index.html",
            "measures/am-1/index.html",
            "frameworks/nist-csf-2.0/index.html",
        ] {
            let html = fs::read_to_string(out.path().join(lang).join(page)).unwrap();
            assert!(
                html.contains("badge-draft"),
                "{lang}/{page} carries the DRAFT label"
            );
        }
    }
}

/// The Japanese glossary in dictionary order (JIS X 4061: ー read as the vowel before it, small
/// kana as large, voicing second), checked term by term against the order worked out by hand.
#[test]
fn japanese_glossary_is_in_dictionary_order() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["build", "--root", root().to_str().unwrap(), "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = fs::read_to_string(site.join("ja/glossary/index.html")).unwrap();
    let ids: Vec<&str> = page
        .split("<dt id=\"term-")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let expected = [
        "crypto-agility",
        "sis",
        "edr",
        "contractor",
        "incident",
        "sbom",
        "immutable-backup",
        "core-infrastructure-operator",
        "tabletop-exercise",
        "default-password",
        "threat-intelligence",
        "required-measure",
        "recommended-measure",
        "least-privilege",
        "cyber-response-act",
        "supply-chain",
        "eol",
        "csirt",
        "siem",
        "jc-star",
        "bcp",
        "self-assessment",
        "asset-inventory",
        "lotl",
        "critical-infrastructure",
        "competent-ministry",
        "unified-baseline",
        "ot",
        "vulnerability",
        "generative-ai",
        "ceptoar",
        "zero-trust",
        "third-party-assessment",
        "pqc",
        "mfa",
        "dmz",
        "forensics",
        "privileged-account",
        "network-segmentation",
        "backup",
        "patch",
        "phishing",
        "penetration-test",
        "rto",
        "rpo",
        "ransomware",
        "level",
        "log",
    ];
    // Terms added later must be placed too: compare the order of the known ones.
    let known: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| expected.contains(id))
        .collect();
    assert_eq!(known, expected);
}
