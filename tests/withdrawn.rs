//! A measure removed without a successor keeps a page at its old URLs saying in which revision
//! it was withdrawn and why (issue #21, `[withdrawn]` in kijun.toml; docs/revisions.md).

mod common;
use common::*;
use std::fs;
use std::path::{Path, PathBuf};

const OLD: &str = "revisions/2026.10-draft.0.json";

/// The bundled site root, with the previous revision's manifest also holding AC-99, a measure
/// the current sources no longer have and no measure `replaces`.
fn with_retired_measure() -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = bundled_copy();
    let path = root.join(OLD);
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let measures = manifest["measures"].as_array_mut().unwrap();
    let mut retired = measures[0].clone();
    retired["id"] = "AC-99".into();
    retired["title"] = serde_json::json!({"ja": "旧い対策", "en": "An old measure"});
    retired["replaces"] = serde_json::json!([]);
    retired["url"] = "/ja/measures/ac-99/".into();
    measures.push(retired);
    fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    (tmp, root)
}

fn main_of(page: &Path) -> String {
    let html = fs::read_to_string(page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let start = html.find("<main").unwrap();
    html[start..html.find("</main>").unwrap()].to_string()
}

#[test]
fn a_withdrawn_measure_keeps_a_page_saying_when_and_why() {
    let (tmp, root) = with_retired_measure();
    let toml = root.join("kijun.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let reason =
        "\n[withdrawn.AC-99]\nja = \"AC-1 と重複していたため。\"\nen = \"It duplicated AC-1.\"\n";
    fs::write(&toml, text + reason).unwrap();
    let site = tmp.path().join("site");
    let o = build(&root, &site);
    assert!(o.status.success(), "{}", stderr(&o));

    let ja = main_of(&site.join("ja/measures/ac-99/index.html"));
    assert!(ja.contains("<h1>AC-99 は廃止されました</h1>"), "{ja}");
    assert!(ja.contains("旧い対策"), "{ja}");
    assert!(
        ja.contains("#rev-2026.11-draft.1\">2026.11-draft.1</a>"),
        "{ja}"
    );
    assert!(ja.contains("AC-1 と重複していたため。"), "{ja}");
    let en = main_of(&site.join("en/measures/ac-99/index.html"));
    assert!(en.contains("<h1>AC-99 was withdrawn</h1>"), "{en}");
    assert!(en.contains("An old measure"), "{en}");
    assert!(en.contains("It duplicated AC-1."), "{en}");
    // Nothing to forward to: no redirect, and search engines leave it out.
    let head = fs::read_to_string(site.join("en/measures/ac-99/index.html")).unwrap();
    assert!(!head.contains("http-equiv=\"refresh\""));
    assert!(head.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn a_renumbered_measure_is_not_withdrawn_and_the_reason_is_optional() {
    let (tmp, root) = with_retired_measure();
    let site = tmp.path().join("site");
    let o = build(&root, &site);
    assert!(o.status.success(), "{}", stderr(&o));
    let ja = main_of(&site.join("ja/measures/ac-99/index.html"));
    assert!(ja.contains("廃止されました"), "{ja}");
    assert!(!ja.contains("廃止の理由"), "no reason recorded: {ja}");
    // LM-7 became OT-6: its old URL redirects instead.
    let lm7 = fs::read_to_string(site.join("ja/measures/lm-7/index.html")).unwrap();
    assert!(lm7.contains("http-equiv=\"refresh\""));
    assert!(!lm7.contains("廃止"));
}
