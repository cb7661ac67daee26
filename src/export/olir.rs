//! A crosswalk in the column layout of NIST's OLIR submission template (NIST IR 8278A Rev. 1,
//! as used with NIST IR 8477 relationships). The focal document is this baseline and the
//! reference document is the framework, so the relationship reads as kijun's does:
//! "focal element (measure) is <relationship> reference element (framework item)".

use super::table::{Column, Table, Value};
use crate::model::{Baseline, Crosswalk, Framework, Relation};

/// The template's column headings, in its order.
pub const COLUMNS: [&str; 8] = [
    "Focal Document Element",
    "Focal Document Element Description",
    "Rationale",
    "Relationship",
    "Reference Document Element",
    "Reference Document Element Description",
    "Strength of Relationship",
    "Comments",
];

/// OLIR's wording of the IR 8477 relationships.
pub fn relationship(r: Relation) -> &'static str {
    match r {
        Relation::Equal => "equal",
        Relation::SubsetOf => "subset of",
        Relation::SupersetOf => "superset of",
        Relation::IntersectsWith => "intersects with",
        Relation::NotRelated => "not related to",
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Rows in baseline order; descriptions are the English statement and the official item text.
pub fn olir_table(b: &Baseline, fw: &Framework, cw: &Crosswalk) -> Table {
    let widths = [12.0, 60.0, 12.0, 16.0, 14.0, 60.0, 10.0, 60.0];
    let columns = COLUMNS
        .iter()
        .zip(widths)
        .map(|(h, width)| Column {
            header: (*h).to_string(),
            width,
            wrap: width > 20.0,
        })
        .collect();
    let mut rows = Vec::new();
    for m in &b.measures {
        let statement = m
            .text
            .get("en")
            .or_else(|| m.text.values().next())
            .map(|t| t.statement_plain.clone())
            .unwrap_or_default();
        for r in b
            .mappings_of(&m.id)
            .filter(|(c, _)| c.framework == cw.framework)
            .map(|(_, r)| r)
        {
            let item = fw.item(&r.item);
            let description = item
                .map(|i| i.text.clone().unwrap_or_else(|| i.title.clone()))
                .unwrap_or_default();
            rows.push(vec![
                Value::Text(m.id.clone()),
                Value::Text(statement.clone()),
                Value::Text(capitalised(r.rationale.as_str())),
                Value::Text(relationship(r.relation).to_string()),
                Value::Text(r.item.clone()),
                Value::Text(description),
                r.strength
                    .map_or(Value::Text(String::new()), |s| Value::Number(u32::from(s))),
                Value::Text(r.justification.get("en").cloned().unwrap_or_default()),
            ]);
        }
    }
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationships_use_olir_wording() {
        assert_eq!(relationship(Relation::SubsetOf), "subset of");
        assert_eq!(relationship(Relation::NotRelated), "not related to");
        assert_eq!(capitalised("semantic"), "Semantic");
    }
}
