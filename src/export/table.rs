//! The measure list as a table, in one language: the same columns for the CSV and the Excel
//! measures sheet, so both say the same thing in the same order.

use super::Labels;
use super::body::{plain_text, section};
use super::refs::Refs;
use crate::model::{Baseline, Measure, SectionKind};
use crate::urls;

pub enum Value {
    Text(String),
    Number(u32),
    Url(String),
}

impl Value {
    pub fn as_text(&self) -> String {
        match self {
            Value::Text(s) | Value::Url(s) => s.clone(),
            Value::Number(n) => n.to_string(),
        }
    }
}

pub struct Column {
    pub header: String,
    /// Excel column width in characters.
    pub width: f64,
    /// Long text that should wrap in a spreadsheet cell.
    pub wrap: bool,
}

pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

fn column(header: String, width: f64, wrap: bool) -> Column {
    Column {
        header,
        width,
        wrap,
    }
}

/// Sector names a measure applies to, or "all sectors".
pub fn sector_list(b: &Baseline, m: &Measure, labels: &Labels) -> String {
    if m.sectors.is_empty() {
        return labels.get("all_sectors");
    }
    let names: Vec<String> = m
        .sectors
        .iter()
        .map(|id| {
            b.sectors
                .iter()
                .find(|s| &s.id == id)
                .map_or_else(|| id.clone(), |s| s.text[labels.lang].title.clone())
        })
        .collect();
    names.join(labels.list_separator())
}

/// The heading of a body section in `lang`: the fixed one where the content format defines it.
pub fn section_heading(kind: SectionKind, labels: &Labels) -> String {
    kind.heading(labels.lang)
        .map(str::to_string)
        .unwrap_or_else(|| labels.get(&format!("export_section_{}", kind.as_str())))
}

pub fn measure_table(b: &Baseline, refs: &Refs, labels: &Labels) -> Table {
    let lang = labels.lang;
    let crosswalked: Vec<&crate::model::Framework> = b
        .frameworks
        .iter()
        .filter(|f| b.crosswalks.iter().any(|c| c.framework == f.id))
        .collect();
    let mut columns = vec![
        column(labels.get("id"), 9.0, false),
        column(labels.get("export_category_id"), 9.0, false),
        column(labels.get("category"), 24.0, true),
        column(labels.get("export_measure_title"), 32.0, true),
        column(labels.get("obligation"), 16.0, true),
        column(labels.get("level"), 8.0, false),
        column(labels.get("sectors"), 16.0, true),
        column(labels.get("statement"), 60.0, true),
    ];
    for kind in SectionKind::ALL {
        columns.push(column(section_heading(kind, labels), 60.0, true));
    }
    columns.push(column(labels.get("sector_notes"), 40.0, true));
    for fw in &crosswalked {
        columns.push(column(fw.short_name().to_string(), 24.0, true));
    }
    columns.push(column(labels.get("replaces"), 10.0, false));
    columns.push(column(labels.get("export_url"), 40.0, false));

    let rows = b
        .measures
        .iter()
        .map(|m| {
            let text = &m.text[lang];
            let mut row = vec![
                Value::Text(m.id.clone()),
                Value::Text(m.category.clone()),
                Value::Text(
                    b.category(&m.category)
                        .map(|c| c.text[lang].title.clone())
                        .unwrap_or_default(),
                ),
                Value::Text(text.page.title.clone()),
                Value::Text(labels.get(&format!("{}_long", m.obligation.as_str()))),
                Value::Number(u32::from(m.level)),
                Value::Text(sector_list(b, m, labels)),
                Value::Text(text.statement_plain.clone()),
            ];
            for kind in SectionKind::ALL {
                let md = section(text, kind).map_or("", |s| s.markdown.as_str());
                row.push(Value::Text(plain_text(md, refs)));
            }
            let notes: Vec<String> = text
                .sector_notes
                .iter()
                .map(|n| {
                    let name = b
                        .sectors
                        .iter()
                        .find(|s| s.id == n.sector)
                        .map_or_else(|| n.sector.clone(), |s| s.text[lang].title.clone());
                    format!("{name}{}{}", labels.get("export_label_colon"), n.plain)
                })
                .collect();
            row.push(Value::Text(notes.join("\n")));
            for fw in &crosswalked {
                let lines: Vec<String> = b
                    .mappings_of(&m.id)
                    .filter(|(cw, _)| cw.framework == fw.id)
                    .map(|(_, r)| {
                        format!(
                            "{}{}",
                            r.item,
                            labels.parenthesised(
                                &labels.get(&format!("rel_{}", r.relation.as_str()))
                            )
                        )
                    })
                    .collect();
                row.push(Value::Text(lines.join("\n")));
            }
            row.push(Value::Text(m.replaces.join(", ")));
            row.push(Value::Url(refs.absolute(&urls::measure(lang, &m.id))));
            row
        })
        .collect();
    Table { columns, rows }
}
