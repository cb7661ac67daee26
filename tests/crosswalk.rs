//! Crosswalk pages on the mini fixture: coverage arithmetic (full, partial, none, not-related)
//! under each level/obligation filter, "already following", provisional translations, and a
//! framework added as data only.

mod common;

use common::copy_dir;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

fn build(root: &Path, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `data-states` of the heat-map cell for `item` on a crosswalk page.
fn states(page: &str, item: &str) -> String {
    let marker = format!("<span class=\"item-id\">{item}</span> <span class=\"heat-state\">");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("cell for {item}"));
    let cell_start = page[..at].rfind("<li class=\"heat-cell").unwrap();
    let attr = &page[cell_start..at];
    let from = attr.find("data-states=\"").unwrap() + "data-states=\"".len();
    attr[from..from + attr[from..].find('"').unwrap()].to_string()
}

/// The mini fixture plus one row: AM-2 (recommended, Lv.2) superset-of T-2, so that T-2's
/// coverage depends on which measures count.
fn fixture_with_filter_row() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), root.path());
    let cw = root.path().join("content/crosswalks/test-fw.toml");
    let mut text = fs::read_to_string(&cw).unwrap();
    text.push_str("\n[[row]]\nmeasure = \"AM-2\"\nitem = \"T-2\"\nrelation = \"superset-of\"\nrationale = \"semantic\"\nstrength = 6\njustification.ja = \"より広い。\"\njustification.en = \"Asks for more.\"\n");
    fs::write(&cw, text).unwrap();
    root
}

#[test]
fn coverage_states_follow_the_relations_and_the_filters() {
    let root = fixture_with_filter_row();
    let out = tempfile::tempdir().unwrap();
    build(root.path(), out.path());
    let page = fs::read_to_string(out.path().join("en/frameworks/test-fw/index.html")).unwrap();
    // T-1: AM-1 (required, Lv.1) is equal → full under every filter.
    assert_eq!(states(&page, "T-1"), "a1=f a2=f a3=f r1=f r2=f r3=f");
    // T-2: AC-1 (required, Lv.1) subset-of → partial; AM-2 (recommended, Lv.2) superset-of → full
    // once recommended Lv.2 measures count.
    assert_eq!(states(&page, "T-2"), "a1=p a2=f a3=f r1=p r2=p r3=p");
    // T-3: only a not-related row; T-4: no row at all.
    assert_eq!(states(&page, "T-3"), "a1=x a2=x a3=x r1=x r2=x r3=x");
    assert_eq!(states(&page, "T-4"), "a1=n a2=n a3=n r1=n r2=n r3=n");
    // Text alternative: group counts written out, not only colours.
    assert!(page.contains("Full <strong>2</strong>, Partial <strong>0</strong>, None <strong>1</strong>, Not related <strong>1</strong>"), "group summary");
    // Forward table lists every measure; reverse table separates not-related from unmapped.
    for id in ["AM-1", "AM-2", "AC-1"] {
        assert!(
            page.contains(&format!(">{id}</a><span class=\"item-title\">")),
            "{id} in the forward table"
        );
    }
    assert!(page.contains("relation-not-related") && page.contains("relation-unmapped"));
}

#[test]
fn already_following_sorts_measures_by_what_the_framework_gives() {
    let root = fixture_with_filter_row();
    let out = tempfile::tempdir().unwrap();
    build(root.path(), out.path());
    let page =
        fs::read_to_string(out.path().join("en/frameworks/test-fw/already/index.html")).unwrap();
    let section = |key: &str| {
        let start = page
            .find(&format!("already-{key}\""))
            .unwrap_or_else(|| panic!("{key} list"));
        page[start..start + page[start..].find("</ul>").unwrap()].to_string()
    };
    let likely = section("likely_met");
    assert!(
        likely.contains("AM-1") && likely.contains("AC-1"),
        "equal and subset-of count as likely met"
    );
    let partly = section("partly_met");
    assert!(
        partly.contains("AM-2"),
        "superset-of only counts as partly met"
    );
    assert!(
        !page.contains("already-remains"),
        "every measure has a related item"
    );
}

#[test]
fn japanese_pages_show_the_official_title_and_a_marked_provisional_translation() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture(), out.path());
    let ja = fs::read_to_string(out.path().join("ja/frameworks/test-fw/index.html")).unwrap();
    assert!(ja.contains("Keep an inventory"), "official English title");
    assert!(
        ja.contains("仮訳：台帳を維持する"),
        "translation marked 仮訳"
    );
    let measure = fs::read_to_string(out.path().join("ja/measures/am-1/index.html")).unwrap();
    assert!(measure.contains("Keep an inventory") && measure.contains("仮訳：台帳を維持する"));
    let en = fs::read_to_string(out.path().join("en/frameworks/test-fw/index.html")).unwrap();
    assert!(
        !en.contains("台帳を維持する"),
        "no Japanese translation on English pages"
    );
}

#[test]
fn a_new_framework_is_added_with_data_files_only() {
    let root = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), root.path());
    let content = root.path().join("content");
    fs::write(
        content.join("frameworks/other-fw.toml"),
        "schema_version = 1\n[framework]\nid = \"other-fw\"\nname = \"Other Framework\"\nshort_name = \"OFW\"\nversion = \"2\"\n\n[[item]]\nid = \"O1\"\nkind = \"goal\"\ntitle = \"Govern\"\n\n[[item]]\nid = \"O1.1\"\nparent = \"O1\"\nkind = \"practice\"\ntitle = \"Know your assets\"\n",
    )
    .unwrap();
    fs::write(
        content.join("crosswalks/other-fw.toml"),
        "[crosswalk]\nframework = \"other-fw\"\nversion = \"1\"\nstatus = \"final\"\ndate = \"2026-01-01\"\ncomprehensive = true\nlevel = \"practice\"\n\n[[row]]\nmeasure = \"AM-1\"\nitem = \"O1.1\"\nrelation = \"equal\"\nrationale = \"syntactic\"\njustification.ja = \"同じ。\"\njustification.en = \"Same.\"\n",
    )
    .unwrap();
    let out = root.path().join("out");
    build(root.path(), &out);
    let page = fs::read_to_string(out.join("en/frameworks/other-fw/index.html")).unwrap();
    assert!(page.contains("Know your assets") && page.contains("cov-full"));
    let manifest = fs::read_to_string(out.join("downloads/baseline.json")).unwrap();
    assert!(manifest.contains("\"other-fw\""));
    let measure = fs::read_to_string(out.join("ja/measures/am-1/index.html")).unwrap();
    assert!(
        measure.contains("O1.1"),
        "the measure page lists the new framework's item"
    );
}
