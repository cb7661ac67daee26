//! The downloads, opened as their users open them: the CSV read by a CSV parser as Excel would
//! (BOM, CRLF, quoting, Japanese), the workbook read by a spreadsheet reader (sheets, headers,
//! the rating drop-down, frozen headers, filters, dates).

mod outputs;

use calamine::{Data, Reader, Xlsx};
use outputs::{build, find_file, mini};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

struct Site {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    manifest: serde_json::Value,
}

fn mini_site() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    build(&mini(), &dir, &[], None);
    let manifest =
        serde_json::from_slice(&std::fs::read(dir.join("downloads/baseline.json")).unwrap())
            .unwrap();
    Site {
        _tmp: tmp,
        dir,
        manifest,
    }
}

impl Site {
    fn downloads(&self) -> PathBuf {
        self.dir.join("downloads")
    }
    fn measure_ids(&self) -> Vec<String> {
        self.manifest["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    }
    fn measure(&self, id: &str) -> &serde_json::Value {
        self.manifest["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
    }
}

/// Counts line ends outside quoted fields, failing on any that is a bare LF.
fn record_ends(bytes: &[u8]) -> usize {
    let mut in_quotes = false;
    let mut ends = 0;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                assert_eq!(bytes[i - 1], b'\r', "bare LF ending a record at byte {i}");
                ends += 1;
            }
            _ => {}
        }
    }
    ends
}

fn read_csv(path: &Path) -> (Vec<u8>, Vec<csv::StringRecord>) {
    let bytes = std::fs::read(path).unwrap();
    let records = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.expect("valid CSV"))
        .collect();
    (bytes, records)
}

#[test]
fn csv_opens_in_japanese_excel_with_one_row_per_measure() {
    let site = mini_site();
    let ids = site.measure_ids();
    for lang in ["ja", "en"] {
        let path = find_file(
            &site.downloads(),
            "kijun-measures-mini-1-",
            &format!("-{lang}.csv"),
        );
        let (bytes, records) = read_csv(&path);
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{lang}: UTF-8 BOM first"
        );
        assert!(
            bytes.ends_with(b"\r\n"),
            "{lang}: the last record ends in CRLF"
        );
        assert_eq!(
            record_ends(&bytes),
            records.len(),
            "{lang}: every record ends in CRLF"
        );
        let header = &records[0];
        let rows = &records[1..];
        assert_eq!(rows.len(), ids.len(), "{lang}: one row per measure");
        let got: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(got, ids, "{lang}: in baseline order");
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("{lang}: no column {name} in {header:?}"))
        };
        let am1 = &rows[0];
        let m = site.measure("AM-1");
        assert_eq!(
            am1[col(if lang == "ja" { "対策名" } else { "Title" })],
            m["title"][lang]
        );
        assert_eq!(
            am1[col(if lang == "ja" {
                "要求事項"
            } else {
                "Requirement"
            })],
            m["statement"][lang]
        );
        assert_eq!(
            &am1[header.len() - 1],
            format!("https://example.org/mini/{lang}/measures/am-1/")
        );
    }
    let (_, ja) = read_csv(&find_file(&site.downloads(), "kijun-measures-", "-ja.csv"));
    assert_eq!(
        &ja[0].iter().take(11).collect::<Vec<_>>(),
        &[
            "ID",
            "分類ID",
            "分類",
            "対策名",
            "区分",
            "レベル",
            "対象分野",
            "要求事項",
            "なぜ重要か",
            "達成の目安",
            "小規模事業者の最小実施例"
        ]
    );
    let am1 = &ja[1];
    assert_eq!(&am1[4], "講ずべき対策事項");
    assert_eq!(&am1[5], "1");
    assert_eq!(&am1[6], "全分野");
    assert_eq!(
        &am1[8],
        "把握していない機器は守れない。脆弱性のある機器を見つけるにも台帳が要る。"
    );
    assert_eq!(&am1[9], "・台帳がある");
    // An empty cross-reference is filled with the target's id and title, as on the page.
    assert_eq!(
        &am1[10],
        "表計算ソフトで始める。AC-1 多要素認証の導入 も参照。"
    );
    assert_eq!(&am1[11], "医療：医療機器も台帳に含める。");
    assert_eq!(&am1[12], "T-1（同等）");
    assert_eq!(&ja[2][6], "電力", "AM-2 applies to electricity only");
}

fn workbook(site: &Site, lang: &str) -> (Vec<u8>, Xlsx<Cursor<Vec<u8>>>) {
    let bytes = std::fs::read(find_file(
        &site.downloads(),
        "kijun-baseline-mini-1-",
        &format!("-{lang}.xlsx"),
    ))
    .unwrap();
    let book = Xlsx::new(Cursor::new(bytes.clone())).expect("a workbook calamine can open");
    (bytes, book)
}

fn row_strings(range: &calamine::Range<Data>, row: usize) -> Vec<String> {
    (0..range.width())
        .map(|c| {
            range
                .get((row, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect()
}

/// The XML of the sheet called `name`, found through the workbook's relationships.
fn sheet_xml(xlsx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut read = |path: &str| {
        let mut s = String::new();
        zip.by_name(path).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    let at = workbook
        .find(&format!("name=\"{name}\""))
        .expect("sheet listed");
    let rid_at = workbook[at..].find("r:id=\"").unwrap() + at + 6;
    let rid = &workbook[rid_at..rid_at + workbook[rid_at..].find('"').unwrap()];
    let rels = read("xl/_rels/workbook.xml.rels");
    let rel_at = rels.find(&format!("Id=\"{rid}\"")).unwrap();
    let rel = &rels[rels[..rel_at].rfind('<').unwrap()..];
    let target_at = rel.find("Target=\"").unwrap() + 8;
    let target = &rel[target_at..target_at + rel[target_at..].find('"').unwrap()];
    read(&format!("xl/{target}"))
}

#[test]
fn xlsx_has_measures_checklist_and_crosswalk_sheets() {
    let site = mini_site();
    let ids = site.measure_ids();
    let csv_header: Vec<String> =
        read_csv(&find_file(&site.downloads(), "kijun-measures-", "-ja.csv")).1[0]
            .iter()
            .map(str::to_string)
            .collect();
    let (bytes, mut book) = workbook(&site, "ja");
    assert_eq!(
        book.sheet_names(),
        [
            "対策一覧",
            "自己評価",
            "TFW",
            "OLIR TFW",
            "このブックについて"
        ]
    );
    // The OLIR sheet: the template's columns, one row per crosswalk row, OLIR's wording.
    let olir = book.worksheet_range("OLIR TFW").unwrap();
    assert_eq!(
        row_strings(&olir, 1),
        [
            "Focal Document Element",
            "Focal Document Element Description",
            "Rationale",
            "Relationship",
            "Reference Document Element",
            "Reference Document Element Description",
            "Strength of Relationship",
            "Comments"
        ]
    );
    let first = row_strings(&olir, 2);
    assert_eq!(
        (first[0].as_str(), first[3].as_str(), first[4].as_str()),
        ("AM-1", "equal", "T-1")
    );
    assert!(
        (2..olir.height()).any(|r| row_strings(&olir, r)[3] == "not related to"),
        "not-related rows use OLIR's wording"
    );

    let measures = book.worksheet_range("対策一覧").unwrap();
    let title = row_strings(&measures, 0)[0].clone();
    assert!(
        title.contains("mini-1") && title.contains("ドラフト"),
        "title row: {title}"
    );
    assert_eq!(
        row_strings(&measures, 1),
        csv_header,
        "same columns as the CSV"
    );
    let got: Vec<String> = (2..measures.height())
        .map(|r| row_strings(&measures, r)[0].clone())
        .collect();
    assert_eq!(got, ids);
    assert_eq!(
        measures.get((2, 5)),
        Some(&Data::Float(1.0)),
        "levels are numbers"
    );

    let checklist = book.worksheet_range("自己評価").unwrap();
    let header = row_strings(&checklist, 1);
    assert_eq!(
        &header[..7],
        [
            "ID",
            "対策名",
            "区分",
            "レベル",
            "対象分野",
            "要求事項",
            "評価"
        ]
    );
    assert_eq!(checklist.height() - 2, ids.len());

    let crosswalk = book.worksheet_range("TFW").unwrap();
    let rows: Vec<Vec<String>> = (2..crosswalk.height())
        .map(|r| row_strings(&crosswalk, r))
        .collect();
    assert_eq!(
        rows.iter()
            .map(|r| (r[0].as_str(), r[2].as_str(), r[5].as_str()))
            .collect::<Vec<_>>(),
        [
            ("AM-1", "T-1", "equal"),
            ("AM-2", "T-3", "not-related"),
            ("AC-1", "T-2", "subset-of"),
            ("", "T-4", "unmapped")
        ]
    );
    assert_eq!(rows[0][4], "同等");

    let xml = sheet_xml(&bytes, "自己評価");
    let at = xml.find("<dataValidation ").expect("a data validation");
    let element = &xml[at..at + xml[at..].find('>').unwrap()];
    assert!(
        element.contains(r#"type="list""#) && element.contains(r#"sqref="G3:G5""#),
        "rating drop-down on G3:G5: {element}"
    );
    assert!(xml.contains(r#"<formula1>"FI,LI,PI,NI,N/A"</formula1>"#));
    for sheet in ["対策一覧", "自己評価", "TFW"] {
        let xml = sheet_xml(&bytes, sheet);
        assert!(
            xml.contains(r#"ySplit="2""#) && xml.contains(r#"state="frozen""#),
            "{sheet}: header rows frozen"
        );
        assert!(
            xml.contains("<autoFilter ref=\"A2:"),
            "{sheet}: filter on the header row"
        );
        assert!(xml.contains("<col "), "{sheet}: column widths set");
    }

    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let mut core = String::new();
    zip.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    assert!(
        core.contains(">2026-01-15T00:00:00Z</dcterms:created>"),
        "created = revision date: {core}"
    );
    assert!(core.contains(">2026-01-15T00:00:00Z</dcterms:modified>"));

    let (_, mut en) = workbook(&site, "en");
    assert_eq!(
        en.sheet_names(),
        ["Measures", "Self-assessment", "TFW", "OLIR TFW", "About"]
    );
    let about = en.worksheet_range("About").unwrap();
    let text: Vec<String> = (0..about.height())
        .flat_map(|r| row_strings(&about, r))
        .collect();
    for rating in ["FI", "LI", "PI", "NI", "N/A"] {
        assert!(text.iter().any(|t| t == rating), "legend explains {rating}");
    }
}

#[test]
fn offline_bundle_checksum_matches_and_entries_are_sorted() {
    let site = mini_site();
    let zip_path = find_file(&site.downloads(), "kijun-site-mini-1", ".zip");
    let bytes = std::fs::read(&zip_path).unwrap();
    let sum =
        std::fs::read_to_string(site.downloads().join("kijun-site-mini-1.zip.sha256")).unwrap();
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sum, format!("{digest}  kijun-site-mini-1.zip\n"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries in path order");
    assert!(names.iter().all(|n| n.starts_with("kijun-site-mini-1/")));
    assert!(names.contains(&"kijun-site-mini-1/index.html".to_string()));
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".zip") || n.ends_with(".sha256")),
        "not itself"
    );
    let on_disk = outputs::read_tree(&site.dir);
    // Not the zip, its checksum, or the marker that says the folder is kijun's (.kijun-site).
    assert!(site.dir.join(".kijun-site").is_file());
    assert_eq!(
        names.len(),
        on_disk.len() - 3,
        "every other file of the site"
    );
    let entry = zip.by_name("kijun-site-mini-1/ja/index.html").unwrap();
    let t = entry.last_modified().unwrap();
    assert_eq!(
        (t.year(), t.month(), t.day(), t.hour()),
        (2026, 1, 15, 0),
        "dated by revision_date"
    );
}

#[test]
fn a_measure_heading_that_is_not_a_fixed_one_is_a_warning_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("mini");
    outputs::copy_tree(&mini(), &root);
    let file = root.join("content/measures/AM/AM-1.en.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("## Why it matters", "## Why this matters"),
    )
    .unwrap();

    let check = std::process::Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "a warning, not an error: {stderr}");
    assert!(
        stderr.contains("content/measures/AM/AM-1.en.md:9:1: warning: `## Why this matters` is not one of the fixed measure headings"),
        "{stderr}"
    );
    assert!(
        stderr.contains("no `## Why it matters` section"),
        "{stderr}"
    );

    // The build goes on; the section keeps its text in OSCAL, and the CSV column stays empty.
    let out = tmp.path().join("site");
    build(&root, &out, &[], None);
    let (_, en) = read_csv(&find_file(
        &out.join("downloads"),
        "kijun-measures-",
        "-en.csv",
    ));
    assert_eq!(&en[1][0], "AM-1");
    assert_eq!(&en[1][8], "");
    let catalog = std::fs::read_to_string(out.join("downloads/oscal/en/catalog.json")).unwrap();
    assert!(catalog.contains("\"title\": \"Why this matters\""));
}
