//! Serializable views of model items that several page kinds list.

use super::context::Shared;
use crate::model::{CrosswalkRow, Framework, Measure};
use crate::urls;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MeasureRow {
    pub id: String,
    pub title: String,
    pub href: String,
    pub category: String,
    pub category_title: String,
    pub category_href: String,
    pub obligation: &'static str,
    pub level: u8,
    /// Sector ids; empty means all sectors.
    pub sectors: Vec<String>,
    pub sector_names: Vec<String>,
    pub statement: String,
    pub fallback: bool,
    pub draft: bool,
}

impl MeasureRow {
    pub fn new(shared: &Shared, m: &Measure, lang: &str) -> MeasureRow {
        let text = &m.text[lang];
        let names = &shared.sector_names[lang];
        MeasureRow {
            id: m.id.clone(),
            title: text.page.title.clone(),
            href: urls::measure(lang, &m.id),
            category: m.category.clone(),
            category_title: shared
                .baseline
                .category(&m.category)
                .map(|c| c.text[lang].title.clone())
                .unwrap_or_default(),
            category_href: urls::category(lang, &m.category),
            obligation: m.obligation.as_str(),
            level: m.level,
            sectors: m.sectors.clone(),
            sector_names: m
                .sectors
                .iter()
                .map(|s| names.get(s).cloned().unwrap_or_else(|| s.clone()))
                .collect(),
            statement: text.statement_html.clone(),
            fallback: text.page.fallback,
            draft: m.draft,
        }
    }
}

/// A crosswalk row seen from either side.
#[derive(Debug, Clone, Serialize)]
pub struct MappingRow {
    pub framework: String,
    pub framework_name: String,
    pub framework_href: String,
    pub item: String,
    pub item_title: String,
    pub item_title_translation: Option<String>,
    pub item_kind: String,
    pub item_href: String,
    pub measure: String,
    pub measure_title: String,
    pub measure_href: String,
    pub relation: &'static str,
    pub rationale: &'static str,
    pub strength: Option<u8>,
    pub justification: String,
}

impl MappingRow {
    pub fn new(shared: &Shared, fw: &Framework, row: &CrosswalkRow, lang: &str) -> MappingRow {
        let item = fw.item(&row.item);
        let fw_href = urls::framework(lang, &fw.id);
        let measure = shared.baseline.measure(&row.measure);
        MappingRow {
            framework: fw.id.clone(),
            framework_name: fw.short_name().to_string(),
            framework_href: fw_href.clone(),
            item: row.item.clone(),
            item_title: item.map(|i| item_title(i, lang)).unwrap_or_default(),
            item_title_translation: item.and_then(|i| item_title_translation(i, lang)),
            item_kind: item.map(|i| i.kind.clone()).unwrap_or_default(),
            item_href: format!("{fw_href}#{}", item_anchor(&row.item)),
            measure: row.measure.clone(),
            measure_title: measure
                .map(|m| m.text[lang].page.title.clone())
                .unwrap_or_default(),
            measure_href: urls::measure(lang, &row.measure),
            relation: row.relation.as_str(),
            rationale: row.rationale.as_str(),
            strength: row.strength,
            justification: row
                .justification
                .get(lang)
                .or_else(|| {
                    row.justification
                        .get(&shared.baseline.config.default_language)
                })
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// The official title of a framework item (always shown, in the framework's own language).
pub fn item_title(item: &crate::model::FrameworkItem, _lang: &str) -> String {
    item.title.clone()
}

/// The project's provisional Japanese translation (仮訳), shown beside the official title on
/// Japanese pages.
pub fn item_title_translation(item: &crate::model::FrameworkItem, lang: &str) -> Option<String> {
    match lang {
        "ja" => item.title_ja.clone(),
        _ => None,
    }
}

/// Fragment id of a framework item on its crosswalk page (ids such as `21(2)(a)` made safe).
pub fn item_anchor(id: &str) -> String {
    let mut out = String::from("item-");
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}
