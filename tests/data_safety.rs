//! What the downloads and data scripts never carry (issue 20): a CSV cell a spreadsheet would
//! run as a formula, a list bullet written as a leading `-`, a raw U+2028/U+2029 in a `.js`.

mod common;

use common::{copy_dir, edit, fixture, kijun_in, stderr};
use std::fs;
use std::path::{Path, PathBuf};

/// Characters that make Excel or LibreOffice read a cell as a formula when they start it.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = kijun_in(
        root,
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    (out, site)
}

fn files_ending(dir: &Path, ext: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect()
}

/// Every cell of every CSV under `site`, parsed as a spreadsheet reads it, with its file.
fn csv_cells(site: &Path) -> Vec<(String, String)> {
    let csvs = files_ending(&site.join("downloads"), "csv");
    assert!(
        csvs.len() >= 4,
        "the measure and crosswalk CSVs, per language: {csvs:?}"
    );
    let mut cells = Vec::new();
    for path in csvs {
        let bytes = fs::read(&path).unwrap();
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a UTF-8 BOM");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells.push((name.clone(), cell.to_string()));
            }
        }
    }
    cells
}

fn assert_no_formula(cells: &[(String, String)]) {
    let formulas: Vec<_> = cells
        .iter()
        .filter(|(_, c)| c.starts_with(TRIGGERS))
        .collect();
    assert!(formulas.is_empty(), "cells read as formulas: {formulas:?}");
}

#[test]
fn the_bundled_csvs_hold_no_formula_and_no_dash_bullet() {
    let (_out, site) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let cells = csv_cells(&site);
    assert_no_formula(&cells);
    let quoted_dash: Vec<_> = cells.iter().filter(|(_, c)| c.starts_with("'-")).collect();
    assert!(
        quoted_dash.is_empty(),
        "bullets are written as • or ・: {quoted_dash:?}"
    );
    assert!(
        cells
            .iter()
            .any(|(f, c)| f.ends_with("-en.csv") && c.starts_with("• ")),
        "English list items start with a bullet"
    );
    assert!(
        cells
            .iter()
            .any(|(f, c)| f.ends_with("-ja.csv") && c.starts_with('・'))
    );
}

#[test]
fn hostile_titles_are_written_as_text() {
    let root = tempfile::tempdir().unwrap();
    copy_dir(&fixture("mini"), root.path());
    let measures = root.path().join("content/measures");
    let hyperlink = r#"=HYPERLINK("http://evil.example/","click")"#;
    edit(
        &measures.join("AM/AM-1.en.md"),
        r#"title = "Asset inventory""#,
        &format!("title = '{hyperlink}'"),
    );
    edit(
        &measures.join("AM/AM-1.en.md"),
        r#"statement = "The operator"#,
        r#"statement = "@SUM(A1) The operator"#,
    );
    edit(
        &measures.join("AM/AM-2.en.md"),
        r#"title = "Software bill of materials""#,
        r#"title = "+1""#,
    );
    edit(
        &measures.join("AC/AC-1.en.md"),
        r#"title = "Multi-factor authentication""#,
        r#"title = "-1""#,
    );
    let (_out, site) = build(root.path());
    let cells = csv_cells(&site);
    assert_no_formula(&cells);
    for written in [
        format!("'{hyperlink}"),
        "'@SUM(A1) The operator shall keep an inventory of IT and OT assets.".into(),
        "'+1".into(),
        "'-1".into(),
    ] {
        assert!(
            cells
                .iter()
                .any(|(f, c)| f.starts_with("kijun-measures") && *c == written),
            "{written} in the measures CSV"
        );
    }
    // The crosswalk CSV names the measure by title too.
    assert!(
        cells
            .iter()
            .any(|(f, c)| f.starts_with("kijun-crosswalk") && c.starts_with("'=HYPERLINK"))
    );
}

#[test]
fn line_and_paragraph_separators_are_escaped_in_every_script() {
    let root = tempfile::tempdir().unwrap();
    copy_dir(&fixture("mini"), root.path());
    let measure = root.path().join("content/measures/AM/AM-1.ja.md");
    edit(&measure, r#"title = ""#, "title = \"\u{2028}台帳\u{2029}");
    edit(&measure, r#"statement = ""#, "statement = \"\u{2028}");
    let (_out, site) = build(root.path());
    let scripts = files_ending(&site, "js");
    let data = site.join("assessment/data.ja.js");
    assert!(scripts.contains(&data), "{scripts:?}");
    assert!(
        fs::read_to_string(&data)
            .unwrap()
            .contains("\\u2028台帳\\u2029")
    );
    for script in scripts {
        let text = fs::read_to_string(&script).unwrap();
        assert!(
            !text.contains(['\u{2028}', '\u{2029}']),
            "{} holds a raw U+2028 or U+2029",
            script.display()
        );
    }
}
