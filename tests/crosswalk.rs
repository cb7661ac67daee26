//! Crosswalk pages and exports on the mini fixture, read from the built site: coverage (full,
//! partial, gap) under each level/obligation filter and in any row order, "already following"
//! with its four statuses and what remains, what remains on the measure page, the CSV, the
//! workbook and the OSCAL mapping, provisional translations, and a framework added as data only.

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

/// The mini fixture with `extra` appended to its crosswalk.
fn fixture_with(extra: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), root.path());
    let cw = root.path().join("content/crosswalks/test-fw.toml");
    let mut text = fs::read_to_string(&cw).unwrap();
    text.push_str(extra);
    fs::write(&cw, text).unwrap();
    root
}

/// The mini fixture plus one row: AM-2 (recommended, Lv.2) superset-of T-2, so that T-2's
/// coverage depends on which measures count. AM-2 keeps its "what remains" (fixture), so it is
/// partly met.
fn fixture_with_filter_row() -> tempfile::TempDir {
    fixture_with(
        "\n[[row]]\nmeasure = \"AM-2\"\nitem = \"T-2\"\nrelation = \"superset-of\"\nrationale = \"semantic\"\nstrength = 6\njustification.ja = \"より広い。\"\njustification.en = \"Asks for more.\"\n",
    )
}

/// The text of the fixture's "what remains" for AM-2.
const AM2_REMAINS_EN: &str = "TFW does not address physical protection; this baseline also requires control of entry to where equipment is installed.";
const AM2_REMAINS_JA: &str =
    "TFWは物理的な保護を扱わない。本基準はさらに、機器の設置場所への入退室の管理を求める。";

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
    // T-3: only a not-related row; T-4: no row at all. Both are gaps.
    assert_eq!(states(&page, "T-3"), "a1=n a2=n a3=n r1=n r2=n r3=n");
    assert_eq!(states(&page, "T-4"), "a1=n a2=n a3=n r1=n r2=n r3=n");
    // Text alternative: group counts written out, not only colours.
    assert!(
        page.contains(
            "Full <strong>2</strong>, Partial <strong>0</strong>, None <strong>2</strong></p>"
        ),
        "group summary"
    );
    // Forward table lists every measure; reverse table separates not-related from unmapped.
    for id in ["AM-1", "AM-2", "AC-1"] {
        assert!(
            page.contains(&format!(">{id}</a><span class=\"item-title\">")),
            "{id} in the forward table"
        );
    }
    assert!(page.contains("relation-not-related") && page.contains("relation-unmapped"));
    // The forward table says what remains beside the measure.
    assert!(page.contains(&format!("class=\"remains\">{AM2_REMAINS_EN}</td>")));
}

#[test]
fn a_later_subset_row_does_not_downgrade_an_item_an_equal_row_covers() {
    // AM-2 subset-of T-1 after AM-1 equal T-1 in the file, and before it: T-1 stays full.
    let row = "\n[[row]]\nmeasure = \"AM-2\"\nitem = \"T-1\"\nrelation = \"subset-of\"\nrationale = \"semantic\"\njustification.ja = \"一部。\"\njustification.en = \"Part of it.\"\n";
    let after = fixture_with(row);
    let before = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), before.path());
    let cw = before.path().join("content/crosswalks/test-fw.toml");
    let text = fs::read_to_string(&cw).unwrap();
    let first_row = text.find("[[row]]").unwrap();
    fs::write(
        &cw,
        format!(
            "{}{}\n{}",
            &text[..first_row],
            row.trim_start(),
            &text[first_row..]
        ),
    )
    .unwrap();
    for root in [after.path(), before.path()] {
        let out = root.join("out");
        build(root, &out);
        let page = fs::read_to_string(out.join("en/frameworks/test-fw/index.html")).unwrap();
        // AM-2 is Lv.2 recommended: only filters admitting it see its row, and it is the lesser.
        assert_eq!(states(&page, "T-1"), "a1=f a2=f a3=f r1=f r2=f r3=f");
    }
}

#[test]
fn an_item_the_baseline_does_not_cover_is_a_gap_with_its_note() {
    let root = fixture_with(
        "\n[[not_covered]]\nitem = \"T-4\"\nja = \"T-4は本基準の対策としては求めていない。\"\nen = \"T-4 is not a measure of this baseline.\"\n",
    );
    let out = root.path().join("out");
    build(root.path(), &out);
    let page = fs::read_to_string(out.join("en/frameworks/test-fw/index.html")).unwrap();
    assert_eq!(states(&page, "T-4"), "a1=n a2=n a3=n r1=n r2=n r3=n");
    let row_at = page
        .find("id=\"item-T-4\"")
        .expect("T-4 in the reverse table");
    let row = &page[row_at..row_at + page[row_at..].find("</tr>").unwrap()];
    assert!(
        row.contains("Not covered by this baseline")
            && row.contains("T-4 is not a measure of this baseline."),
        "{row}"
    );
    assert!(page.contains("<strong>1</strong> items are noted as not covered by this baseline"));
    let ja = fs::read_to_string(out.join("ja/frameworks/test-fw/index.html")).unwrap();
    assert!(ja.contains("T-4は本基準の対策としては求めていない。"));
}

#[test]
fn already_following_sorts_measures_by_what_the_framework_gives() {
    let root = fixture_with_filter_row();
    let out = tempfile::tempdir().unwrap();
    build(root.path(), out.path());
    let page =
        fs::read_to_string(out.path().join("en/frameworks/test-fw/already/index.html")).unwrap();
    let section = |status: &str| {
        let start = page
            .find(&format!("already-{status}\""))
            .unwrap_or_else(|| panic!("{status} list"));
        page[start..start + page[start..].find("</ul>").unwrap()].to_string()
    };
    let likely = section("likely-met");
    assert!(
        likely.contains("AM-1") && likely.contains("AC-1"),
        "equal and subset-of with nothing remaining count as likely met"
    );
    let partly = section("partly-met");
    assert!(
        partly.contains("AM-2") && partly.contains(AM2_REMAINS_EN),
        "a related row and a what remains: partly met, with the remaining work beside it"
    );
    assert!(!page.contains("already-not-addressed\""));
    // Counts per level at the top: AM-1 and AC-1 are Lv.1, AM-2 Lv.2.
    let counts = |level: u8| {
        let at = page.find(&format!("href=\"#lv-{level}\"")).unwrap();
        let row = &page[at..at + page[at..].find("</tr>").unwrap()];
        ["likely-met", "partly-met", "not-addressed", "not-mapped"].map(|s| {
            let cell = format!("class=\"count-{s}\">");
            let from = row.find(&cell).unwrap() + cell.len();
            row[from..from + row[from..].find('<').unwrap()].to_string()
        })
    };
    assert_eq!(counts(1), ["2", "0", "0", "0"]);
    assert_eq!(counts(2), ["0", "1", "0", "0"]);
    // Without the superset-of row, AM-2 has only a not-related row: not addressed.
    let plain = tempfile::tempdir().unwrap();
    build(&fixture(), plain.path());
    let page = fs::read_to_string(
        plain
            .path()
            .join("ja/frameworks/test-fw/already/index.html"),
    )
    .unwrap();
    let at = page
        .find("already-not-addressed\"")
        .expect("not addressed list");
    assert!(page[at..].contains("AM-2") && page[at..].contains(AM2_REMAINS_JA));
    assert!(page.contains("対応する項目なし"));
}

#[test]
fn measure_page_exports_and_oscal_say_what_remains() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture(), out.path());
    let site = out.path();
    // The measure page, per framework: its status and what remains.
    let en = fs::read_to_string(site.join("en/measures/am-2/index.html")).unwrap();
    assert!(en.contains("status-not-addressed") && en.contains(AM2_REMAINS_EN));
    let ja = fs::read_to_string(site.join("ja/measures/am-2/index.html")).unwrap();
    assert!(ja.contains("残る要求：</strong>") && ja.contains(AM2_REMAINS_JA));
    let am1 = fs::read_to_string(site.join("en/measures/am-1/index.html")).unwrap();
    assert!(am1.contains("status-likely-met") && !am1.contains("What remains:"));

    // The crosswalk CSV, in each language: a status and a what-remains column on AM-2's row.
    for (lang, status, remains) in [
        ("en", "Not addressed", AM2_REMAINS_EN),
        ("ja", "対応する項目なし", AM2_REMAINS_JA),
    ] {
        let path = site.join(format!(
            "downloads/kijun-crosswalk-test-fw-mini-1-{lang}.csv"
        ));
        let text = fs::read_to_string(&path).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let remains_col = header.len() - 1;
        assert_eq!(
            header[remains_col],
            if lang == "en" {
                "What remains"
            } else {
                "残る要求"
            }
        );
        let am2 = reader
            .records()
            .map(Result::unwrap)
            .find(|r| &r[0] == "AM-2")
            .expect("AM-2 row");
        assert_eq!(
            (&am2[remains_col - 1], &am2[remains_col]),
            (status, remains)
        );
    }

    // The workbook's crosswalk sheet has the same columns.
    use calamine::{Reader, Xlsx};
    let bytes = fs::read(site.join("downloads/kijun-baseline-mini-1-en.xlsx")).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("TFW").unwrap();
    let cell = |r: usize, c: usize| sheet.get((r, c)).map(|d| d.to_string()).unwrap_or_default();
    let width = sheet.width();
    assert_eq!(cell(1, width - 1), "What remains");
    let am2 = (2..sheet.height())
        .find(|&r| cell(r, 0) == "AM-2")
        .expect("AM-2 row");
    assert_eq!(cell(am2, width - 1), AM2_REMAINS_EN);

    // The OSCAL mapping: the map of AM-2 ends with what remains.
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(site.join("downloads/oscal/ja/mapping-test-fw.json")).unwrap(),
    )
    .unwrap();
    let maps = json["mapping-collection"]["mappings"][0]["maps"]
        .as_array()
        .unwrap();
    let remarks = |measure: &str| {
        maps.iter()
            .find(|m| {
                m["sources"][0]["id-ref"]
                    .as_str()
                    .unwrap()
                    .eq_ignore_ascii_case(measure)
            })
            .map(|m| m["remarks"].as_str().unwrap_or_default().to_string())
            .unwrap()
    };
    assert_eq!(
        remarks("AM-2"),
        format!("物理対策は扱わない。\n\n残る要求：{AM2_REMAINS_JA}")
    );
    assert!(!remarks("AM-1").contains("残る要求"));
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
        "[crosswalk]\nframework = \"other-fw\"\nversion = \"1\"\nstatus = \"final\"\ndate = \"2026-01-01\"\ncomprehensive = false\nlevel = \"practice\"\n\n[[row]]\nmeasure = \"AM-1\"\nitem = \"O1.1\"\nrelation = \"equal\"\nrationale = \"syntactic\"\njustification.ja = \"同じ。\"\njustification.en = \"Same.\"\n",
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
    // AC-1 has no row in the new crosswalk, which is not comprehensive: not yet mapped, never
    // "reviewed, none".
    for (lang, label, never) in [
        ("ja", "未対応付け", "検討の結果"),
        ("en", "Not yet mapped", "Considered: no item"),
    ] {
        let page =
            fs::read_to_string(out.join(format!("{lang}/measures/ac-1/index.html"))).unwrap();
        let at = page.find("id=\"map-other-fw\"").unwrap();
        let section = &page[at..];
        assert!(
            section.contains("status-not-mapped") && section.contains(label),
            "{lang}"
        );
        assert!(!page.contains(never), "{lang}");
        let already =
            fs::read_to_string(out.join(format!("{lang}/frameworks/other-fw/already/index.html")))
                .unwrap();
        assert!(
            already.contains("<td class=\"count-not-mapped\">1</td>"),
            "{lang}: AC-1 (Lv.1)"
        );
    }
    // Declaring it comprehensive makes the missing review an error of `kijun check`.
    let cw = content.join("crosswalks/other-fw.toml");
    let text = fs::read_to_string(&cw)
        .unwrap()
        .replace("comprehensive = false", "comprehensive = true");
    fs::write(&cw, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["check", "--root", root.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        stderr.contains("content/crosswalks/other-fw.toml:1:1: error: measure `AC-1` has no row, but this crosswalk to OFW declares comprehensive = true"),
        "{stderr}"
    );
}
