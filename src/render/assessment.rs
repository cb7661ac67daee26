//! The self-assessment page and the data its script reads.
//!
//! The page works opened from disk, where a script cannot fetch JSON, so the measures ship as
//! `assessment/data.<lang>.js`: one generated script per language that sets a global. The
//! script's interface strings come from the theme's `assessment_*` keys, so translators edit
//! one i18n file for page and script alike.

use super::PageJob;
use super::context::{Link, Shared};
use super::rows::item_title;
use crate::derive::{self, Credit};
use crate::model::{Framework, FrameworkItem, Measure, Relation};
use crate::urls;
use crate::write::OutputFile;
use serde::Serialize;
use std::collections::BTreeMap;

/// Schema name of the generated data; the script refuses data it does not understand.
pub const DATA_SCHEMA: &str = "kijun-assessment-data/1";
/// Schema name of the JSON an operator exports and imports.
pub const EXPORT_SCHEMA: &str = "kijun-assessment/1";
/// The global the data script sets.
const DATA_GLOBAL: &str = "KIJUN_ASSESSMENT_DATA";
/// Ratings in the order they are offered: ISO/IEC 33020-style achievement, then not applicable.
pub const RATINGS: [&str; 5] = ["FI", "LI", "PI", "NI", "NA"];

pub fn data_path(lang: &str) -> String {
    format!("assessment/data.{lang}.js")
}

/// The page: the applicable-measure checklist for readers without JavaScript, and the empty
/// frame the script fills.
pub fn page(s: &Shared, lang: &str) -> PageJob {
    let href = urls::section(lang, "assessment");
    let title = s.t(lang, "assessment_title");
    let mut ctx = s.base_context(lang, &href, "assessment", &title, s.crumbs(lang, &[]));
    let groups = s.category_groups(lang, |_| true, false);
    ctx.insert("groups", &groups);
    ctx.insert("measure_count", &s.baseline.measures.len());
    let sectors: Vec<Link> = s
        .baseline
        .sectors
        .iter()
        .map(|x| Link {
            title: x.text[lang].title.clone(),
            href: x.id.clone(),
        })
        .collect();
    ctx.insert("sectors", &sectors);
    ctx.insert("ratings", &RATINGS);
    ctx.insert("data_script", &data_path(lang));
    PageJob {
        href,
        template: "assessment.html",
        context: ctx,
    }
}

/// One data script per language.
pub fn data_files(s: &Shared) -> Vec<OutputFile> {
    s.baseline
        .languages
        .iter()
        .map(|lang| OutputFile::new(data_path(lang), data_script(s, lang)))
        .collect()
}

#[derive(Serialize)]
struct Data<'a> {
    schema: &'static str,
    export_schema: &'static str,
    /// Identifies the site in browser storage; the revision is deliberately not part of it, so
    /// saved ratings survive a new revision.
    site: String,
    revision: &'a str,
    revision_date: &'a str,
    draft: bool,
    lang: &'a str,
    ratings: [&'static str; 5],
    sectors: Vec<Named>,
    categories: Vec<Named>,
    frameworks: Vec<Named>,
    measures: Vec<MeasureData>,
    strings: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct Named {
    id: String,
    title: String,
}

#[derive(Serialize)]
struct MeasureData {
    id: String,
    category: String,
    obligation: &'static str,
    level: u8,
    /// Sector ids; empty means every sector.
    sectors: Vec<String>,
    /// Ids of retired measures this one replaces, to carry their saved ratings over.
    replaces: Vec<String>,
    title: String,
    statement: String,
    /// Site-relative link to the measure's page.
    href: String,
    mappings: Vec<MappingData>,
    /// Per framework with a crosswalk, in framework order: where the measure stands for an
    /// operator who follows it, and what remains.
    crosswalks: Vec<StatusData>,
}

#[derive(Serialize)]
struct MappingData {
    framework: String,
    item: String,
    /// The item's title: the 仮訳 on Japanese pages where there is one, else the official one.
    title: String,
    /// The language of `title`.
    title_lang: String,
    relation: &'static str,
}

#[derive(Serialize)]
struct StatusData {
    framework: String,
    /// `likely-met`, `partly-met`, `not-addressed` or `not-mapped`.
    status: &'static str,
    /// Interface-string key of the status name.
    status_key: &'static str,
    remains: Option<String>,
}

fn data_script(s: &Shared, lang: &str) -> String {
    let b = s.baseline;
    let data = Data {
        schema: DATA_SCHEMA,
        export_schema: EXPORT_SCHEMA,
        site: b.config.base_url(),
        revision: &b.config.revision,
        revision_date: &b.config.revision_date,
        draft: b.config.draft,
        lang,
        ratings: RATINGS,
        sectors: b
            .sectors
            .iter()
            .map(|x| Named {
                id: x.id.clone(),
                title: x.text[lang].title.clone(),
            })
            .collect(),
        categories: b
            .categories
            .iter()
            .map(|c| Named {
                id: c.id.clone(),
                title: c.text[lang].title.clone(),
            })
            .collect(),
        frameworks: b
            .frameworks
            .iter()
            .map(|f| Named {
                id: f.id.clone(),
                title: f.short_name().to_string(),
            })
            .collect(),
        measures: b
            .measures
            .iter()
            .map(|m| measure_data(s, m, lang))
            .collect(),
        strings: s.strings[lang]
            .iter()
            .filter(|(k, _)| k.starts_with("assessment_") || is_shared_string(k))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
    };
    // U+2028 and U+2029 end a line in JavaScript before ES2019 (and in some tools still):
    // escaped, as in the search index. serde_json leaves them raw, and only inside strings.
    let json = serde_json::to_string(&data)
        .expect("assessment data serialises")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!(
        "// Generated by kijun: measures for the self-assessment page ({lang}). Do not edit.\n\
         window.{DATA_GLOBAL} = {json};\n"
    )
}

/// Interface strings outside the `assessment_` prefix that the script also shows: obligations
/// and the names of crosswalk relations.
fn is_shared_string(key: &str) -> bool {
    matches!(key, "required" | "recommended")
        || Credit::ALL.iter().any(|c| c.key() == key)
        || key == "what_remains_label"
        || (key.starts_with("rel_") && !key.ends_with("_help"))
}

fn measure_data(s: &Shared, m: &Measure, lang: &str) -> MeasureData {
    let b = s.baseline;
    let text = &m.text[lang];
    // Not-related rows are assertions that nothing corresponds: no evidence to reuse there.
    let mut mappings: Vec<MappingData> = b
        .mappings_of(&m.id)
        .filter(|(_, r)| r.relation != Relation::NotRelated)
        .map(|(cw, r)| {
            let fw = b.framework(&cw.framework);
            let (title, title_lang) = fw
                .and_then(|f| f.item(&r.item).map(|i| local_item_title(f, i, lang)))
                .unwrap_or_default();
            MappingData {
                framework: cw.framework.clone(),
                item: r.item.clone(),
                title,
                title_lang,
                relation: r.relation.as_str(),
            }
        })
        .collect();
    // Framework order as on the crosswalk pages, then the order the crosswalk lists the rows.
    let framework_rank = |id: &str| b.frameworks.iter().position(|f| f.id == id);
    mappings.sort_by_key(|x| framework_rank(&x.framework));
    MeasureData {
        id: m.id.clone(),
        category: m.category.clone(),
        obligation: m.obligation.as_str(),
        level: m.level,
        sectors: m.sectors.clone(),
        replaces: m.replaces.clone(),
        title: text.page.title.clone(),
        statement: text.statement_plain.clone(),
        href: urls::measure(lang, &m.id),
        mappings,
        crosswalks: crosswalk_status(s, m, lang),
    }
}

/// The title of a framework item for a reader of `lang`, with its language: the provisional
/// Japanese translation on Japanese pages where there is one, else the official title.
fn local_item_title(fw: &Framework, item: &FrameworkItem, lang: &str) -> (String, String) {
    match (lang, &item.title_ja) {
        ("ja", Some(ja)) => (ja.clone(), "ja".into()),
        _ => (
            item_title(item, lang),
            fw.meta.language.clone().unwrap_or_else(|| "en".into()),
        ),
    }
}

fn crosswalk_status(s: &Shared, m: &Measure, lang: &str) -> Vec<StatusData> {
    let b = s.baseline;
    b.frameworks
        .iter()
        .filter_map(|fw| b.crosswalks.iter().find(|c| c.framework == fw.id))
        .map(|cw| {
            let credit = derive::credit(Some(cw), &m.id);
            StatusData {
                framework: cw.framework.clone(),
                status: credit.as_str(),
                status_key: credit.key(),
                remains: derive::remains_text(Some(cw), &m.id, lang, &b.config.default_language)
                    .map(str::to_string),
            }
        })
        .collect()
}
