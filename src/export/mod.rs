//! Downloads: the baseline in the forms its users work with, written to `site/downloads/` by
//! every build. People get CSV and Excel; tools get `baseline.json` (the contract) and OSCAL.
//! The offline bundle (`bundle.rs`) and the site map (`sitemap.rs`) are made from the finished
//! site, after the pages.
//!
//! Everything here is derived from the model and the revision date; nothing reads the clock, so
//! the same sources give the same bytes.

pub mod body;
pub mod bundle;
mod csv;
mod olir;
pub mod oscal;
pub mod refs;
pub mod sitemap;
mod table;
mod xlsx;

use crate::model::Baseline;
use crate::write::OutputFile;
use refs::Refs;

pub const DIR: &str = "downloads";

/// Looks up an interface string: (language, key) → text.
pub type Lookup<'l> = dyn Fn(&str, &str) -> String + Sync + 'l;

/// Interface strings of one language (from the theme's i18n files).
pub struct Labels<'a> {
    pub lang: &'a str,
    lookup: &'a Lookup<'a>,
}

impl<'a> Labels<'a> {
    pub fn new(lang: &'a str, lookup: &'a Lookup<'a>) -> Labels<'a> {
        Labels { lang, lookup }
    }

    pub fn get(&self, key: &str) -> String {
        (self.lookup)(self.lang, key)
    }

    /// Between items of a list in running text: `、` in Japanese.
    pub fn list_separator(&self) -> &'static str {
        if self.lang == "ja" { "、" } else { ", " }
    }

    /// `（x）` in Japanese, ` (x)` otherwise: to follow a word directly.
    pub fn parenthesised(&self, s: &str) -> String {
        if self.lang == "ja" {
            format!("（{s}）")
        } else {
            format!(" ({s})")
        }
    }
}

/// What a download is, for the downloads page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Manifest,
    Csv,
    /// CSV of the crosswalk to a framework (its short name).
    CrosswalkCsv(String),
    Xlsx,
    OscalCatalog,
    /// Profile for a level set; the label is `Lv.1`, `Lv.1–2` or empty for all levels.
    OscalProfile(String),
    /// Mapping collection for a framework (its short name).
    OscalMapping(String),
    Bundle,
    Checksum,
    /// Anything else another part of kijun writes under `downloads/`.
    Other,
}

impl Kind {
    /// The key of its description among the interface strings.
    pub fn key(&self) -> &'static str {
        match self {
            Kind::Manifest => "dl_manifest",
            Kind::Csv => "dl_csv",
            Kind::CrosswalkCsv(_) => "dl_crosswalk_csv",
            Kind::Xlsx => "dl_xlsx",
            Kind::OscalCatalog => "dl_oscal_catalog",
            Kind::OscalProfile(l) if l.is_empty() => "dl_oscal_profile_all",
            Kind::OscalProfile(_) => "dl_oscal_profile",
            Kind::OscalMapping(_) => "dl_oscal_mapping",
            Kind::Bundle => "dl_bundle",
            Kind::Checksum => "dl_checksum",
            Kind::Other => "dl_other",
        }
    }

    /// The value of `{x}` in its description.
    pub fn detail(&self) -> &str {
        match self {
            Kind::OscalProfile(s) | Kind::OscalMapping(s) | Kind::CrosswalkCsv(s) => s,
            _ => "",
        }
    }

    pub fn format(&self) -> &'static str {
        match self {
            Kind::Manifest => "JSON",
            Kind::Csv | Kind::CrosswalkCsv(_) => "CSV",
            Kind::Xlsx => "Excel (XLSX)",
            Kind::OscalCatalog | Kind::OscalProfile(_) | Kind::OscalMapping(_) => "OSCAL JSON",
            Kind::Bundle => "ZIP",
            Kind::Checksum => "SHA-256",
            Kind::Other => "",
        }
    }
}

/// What one file under `downloads/` is.
pub struct Download {
    pub path: String,
    pub kind: Kind,
    /// The language of its text, if it has one.
    pub lang: Option<String>,
}

/// The revision as it may appear in a file name.
pub fn file_revision(revision: &str) -> String {
    revision
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Every download except the manifest and the offline bundle. Each file goes to `put` as soon as
/// it is made, so that they are never all in memory at once; what each is comes back in the order
/// the downloads page lists them: spreadsheets of every language first, then OSCAL, each in
/// language order.
pub fn downloads(
    b: &Baseline,
    lookup: &Lookup<'_>,
    put: &Put<'_>,
) -> Result<Vec<Download>, String> {
    let rev = file_revision(&b.config.revision);
    // `baseline.json` is written with the other data files (render::pages::data_files).
    let per_lang: Vec<Vec<Download>> = b
        .languages
        .iter()
        .map(|lang| language_downloads(b, lang, &rev, lookup, put))
        .collect::<Result<_, String>>()?;
    let (sheets, oscal): (Vec<Download>, Vec<Download>) = per_lang
        .into_iter()
        .flatten()
        .partition(|d| matches!(d.kind, Kind::Csv | Kind::CrosswalkCsv(_) | Kind::Xlsx));
    Ok(sheets.into_iter().chain(oscal).collect())
}

/// Takes a finished download (from any thread).
pub type Put<'a> = dyn Fn(OutputFile) -> Result<(), String> + Sync + 'a;

fn language_downloads(
    b: &Baseline,
    lang: &str,
    rev: &str,
    lookup: &Lookup<'_>,
    put: &Put<'_>,
) -> Result<Vec<Download>, String> {
    let labels = Labels::new(lang, lookup);
    let refs = Refs::new(b, lang);
    let tables = xlsx::SheetTables::new(b, &refs, &labels);
    // The workbook takes as long as the rest: made beside it.
    let (workbook, (csvs, oscal)) = rayon::join(
        || workbook(b, lang, rev, &labels, &tables, put),
        || {
            let csvs = csv_files(lang, rev, &tables, put);
            (csvs, oscal_files(b, lang, &labels, &refs, put))
        },
    );
    Ok([csvs?, workbook?, oscal?].into_iter().flatten().collect())
}

/// Hands each file to `put` and remembers what it is.
fn adder<'a>(
    lang: &'a str,
    put: &'a Put<'a>,
    made: &'a mut Vec<Download>,
) -> impl FnMut(String, Vec<u8>, Kind) -> Result<(), String> + 'a {
    move |path, bytes, kind| {
        made.push(Download {
            path: path.clone(),
            kind,
            lang: Some(lang.to_string()),
        });
        put(OutputFile::new(path, bytes))
    }
}

/// The measures CSV and a CSV per crosswalk.
fn csv_files(
    lang: &str,
    rev: &str,
    tables: &xlsx::SheetTables,
    put: &Put<'_>,
) -> Result<Vec<Download>, String> {
    let mut out = Vec::new();
    let mut add = adder(lang, put, &mut out);
    let csv = csv::write(&tables.measures).map_err(|e| format!("CSV ({lang}): {e}"))?;
    add(
        format!("{DIR}/kijun-measures-{rev}-{lang}.csv"),
        csv,
        Kind::Csv,
    )?;
    // One CSV per framework crosswalk, in the same columns as its sheet in the workbook.
    for (fw, _, table) in &tables.crosswalks {
        let csv = csv::write(table).map_err(|e| format!("CSV ({lang}, {}): {e}", fw.id))?;
        add(
            format!("{DIR}/kijun-crosswalk-{}-{rev}-{lang}.csv", fw.id),
            csv,
            Kind::CrosswalkCsv(fw.short_name().to_string()),
        )?;
    }
    drop(add);
    Ok(out)
}

/// The workbook: the measures, the self-assessment checklist, a sheet per crosswalk.
fn workbook(
    b: &Baseline,
    lang: &str,
    rev: &str,
    labels: &Labels,
    tables: &xlsx::SheetTables,
    put: &Put<'_>,
) -> Result<Vec<Download>, String> {
    let mut out = Vec::new();
    let mut add = adder(lang, put, &mut out);
    let xlsx = xlsx::write(b, labels, tables).map_err(|e| format!("Excel ({lang}): {e}"))?;
    add(
        format!("{DIR}/kijun-baseline-{rev}-{lang}.xlsx"),
        xlsx,
        Kind::Xlsx,
    )?;
    drop(add);
    Ok(out)
}

/// The OSCAL catalog, its profiles and a mapping collection per crosswalk.
fn oscal_files(
    b: &Baseline,
    lang: &str,
    labels: &Labels,
    refs: &Refs,
    put: &Put<'_>,
) -> Result<Vec<Download>, String> {
    let mut out = Vec::new();
    let mut add = adder(lang, put, &mut out);
    let dir = format!("{DIR}/oscal/{lang}");
    let draft_notice = labels.get("draft_notice");
    add(
        format!("{dir}/catalog.json"),
        oscal::catalog(b, &refs, &draft_notice),
        Kind::OscalCatalog,
    )?;
    let site_title = b.config.language(lang).title.clone();
    for levels in oscal::LevelSet::ALL {
        let label = levels.label();
        let title = format!(
            "{site_title} — {}",
            label
                .clone()
                .unwrap_or_else(|| labels.get("export_all_levels"))
        );
        if let Some(bytes) = oscal::profile(b, lang, levels, title, "catalog.json", &draft_notice) {
            add(
                format!("{dir}/profile-{}.json", levels.slug()),
                bytes,
                Kind::OscalProfile(label.unwrap_or_default()),
            )?;
        }
    }
    for fw in &b.frameworks {
        let Some(cw) = b.crosswalks.iter().find(|c| c.framework == fw.id) else {
            continue;
        };
        let text = oscal::MappingText {
            title: format!(
                "{site_title} — {} {}",
                labels.get("crosswalk_to"),
                fw.short_name()
            ),
            description: cw
                .notes
                .get(lang)
                .cloned()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| {
                    labels
                        .get("export_mapping_description")
                        .replace("{x}", fw.short_name())
                }),
            target_remarks: labels.get("export_mapping_target"),
            draft_notice: draft_notice.clone(),
            remains_label: labels.get("what_remains_label"),
        };
        let bytes = oscal::mapping_collection(b, lang, fw, cw, "catalog.json", &text)
            .map_err(|e| format!("OSCAL mapping for {} ({lang}): {e}", fw.id))?;
        if let Some(bytes) = bytes {
            add(
                format!("{dir}/mapping-{}.json", crate::urls::slug(&fw.id)),
                bytes,
                Kind::OscalMapping(fw.short_name().to_string()),
            )?;
        }
    }
    drop(add);
    Ok(out)
}
