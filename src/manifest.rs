//! `site/downloads/baseline.json`: the manifest of everything built (contract: shared DESIGN.md).

use crate::model::{Baseline, Relation};
use crate::urls;
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA: &str = "kijun-baseline/1";

type PerLang = BTreeMap<String, String>;

#[derive(Serialize)]
struct Manifest<'a> {
    schema: &'static str,
    revision: &'a str,
    revision_date: &'a str,
    draft: bool,
    languages: &'a [String],
    pages: Pages,
    categories: Vec<CategoryEntry>,
    measures: Vec<MeasureEntry>,
    frameworks: Vec<FrameworkEntry>,
    sectors: Vec<SectorEntry>,
}

#[derive(Serialize)]
struct Pages {
    home: PerLang,
    search: PerLang,
    assessment: PerLang,
    baseline: PerLang,
    matrix: PerLang,
    crosswalk: BTreeMap<String, PerLang>,
}

#[derive(Serialize)]
struct CategoryEntry {
    id: String,
    order: i64,
    title: PerLang,
    url: PerLang,
}

#[derive(Serialize)]
struct MeasureEntry {
    id: String,
    category: String,
    level: u8,
    obligation: &'static str,
    sectors: Vec<String>,
    title: PerLang,
    statement: PerLang,
    url: PerLang,
    replaces: Vec<String>,
    mappings: Vec<MappingEntry>,
}

#[derive(Serialize)]
struct MappingEntry {
    framework: String,
    #[serde(rename = "ref")]
    item: String,
    relation: Relation,
    rationale: &'static str,
    strength: Option<u8>,
}

#[derive(Serialize)]
struct FrameworkEntry {
    id: String,
    name: String,
    version: String,
    items: usize,
    crosswalk: Option<CrosswalkEntry>,
}

#[derive(Serialize)]
struct CrosswalkEntry {
    version: String,
    status: &'static str,
    date: String,
    comprehensive: bool,
    rows: usize,
}

#[derive(Serialize)]
struct SectorEntry {
    id: String,
    title: PerLang,
    url: PerLang,
}

fn per_lang(b: &Baseline, f: impl Fn(&str) -> String) -> PerLang {
    b.languages.iter().map(|l| (l.clone(), f(l))).collect()
}

fn url(b: &Baseline, f: impl Fn(&str) -> String) -> PerLang {
    per_lang(b, |l| urls::pretty(&f(l)))
}

pub fn manifest_json(b: &Baseline) -> String {
    let all_sectors: Vec<String> = b.sectors.iter().map(|s| s.id.clone()).collect();
    let manifest = Manifest {
        schema: SCHEMA,
        revision: &b.config.revision,
        revision_date: &b.config.revision_date,
        draft: b.config.draft,
        languages: &b.languages,
        pages: Pages {
            home: url(b, urls::home),
            search: url(b, |l| urls::section(l, "search")),
            assessment: url(b, |l| urls::section(l, "assessment")),
            baseline: url(b, |l| urls::section(l, "baseline")),
            matrix: url(b, |l| urls::section(l, "matrix")),
            crosswalk: b
                .frameworks
                .iter()
                .map(|f| (f.id.clone(), url(b, |l| urls::framework(l, &f.id))))
                .collect(),
        },
        categories: b
            .categories
            .iter()
            .map(|c| CategoryEntry {
                id: c.id.clone(),
                order: c.order,
                title: per_lang(b, |l| c.text[l].title.clone()),
                url: url(b, |l| urls::category(l, &c.id)),
            })
            .collect(),
        measures: b
            .measures
            .iter()
            .map(|m| MeasureEntry {
                id: m.id.clone(),
                category: m.category.clone(),
                level: m.level,
                obligation: m.obligation.as_str(),
                // The contract lists the sectors a measure applies to; "all" is spelled out.
                sectors: if m.sectors.is_empty() {
                    all_sectors.clone()
                } else {
                    m.sectors.clone()
                },
                title: per_lang(b, |l| m.text[l].page.title.clone()),
                statement: per_lang(b, |l| m.text[l].statement_plain.clone()),
                url: url(b, |l| urls::measure(l, &m.id)),
                replaces: m.replaces.clone(),
                mappings: b
                    .mappings_of(&m.id)
                    .map(|(cw, r)| MappingEntry {
                        framework: cw.framework.clone(),
                        item: r.item.clone(),
                        relation: r.relation,
                        rationale: r.rationale.as_str(),
                        strength: r.strength,
                    })
                    .collect(),
            })
            .collect(),
        frameworks: b
            .frameworks
            .iter()
            .map(|f| FrameworkEntry {
                id: f.id.clone(),
                name: f.meta.name.clone(),
                version: f.meta.version.clone(),
                items: f.items.len(),
                crosswalk: b.crosswalks.iter().find(|c| c.framework == f.id).map(|c| {
                    CrosswalkEntry {
                        version: c.version.clone(),
                        status: c.status.as_str(),
                        date: c.date.clone(),
                        comprehensive: c.comprehensive,
                        rows: c.rows.len(),
                    }
                }),
            })
            .collect(),
        sectors: b
            .sectors
            .iter()
            .map(|s| SectorEntry {
                id: s.id.clone(),
                title: per_lang(b, |l| s.text[l].title.clone()),
                url: url(b, |l| urls::sector(l, &s.id)),
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&manifest).expect("manifest serialises");
    json.push('\n');
    json
}
