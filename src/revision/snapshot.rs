//! A revision reduced to what a changelog compares: per measure its normative fields and its
//! crosswalk rows. Made from a built baseline or read from a `baseline.json` manifest, so that a
//! content root, a git revision and a published manifest all compare the same way.

use crate::diagnostics::{Diagnostic, LineCol};
use crate::manifest::SCHEMA;
use crate::model::Baseline;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Text per language code.
pub type PerLang = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Snapshot {
    pub revision: String,
    /// YYYY-MM-DD; empty when a manifest does not carry it.
    #[serde(default)]
    pub revision_date: String,
    #[serde(default)]
    pub languages: Vec<String>,
    /// In baseline order (category order, then measure order).
    pub measures: Vec<MeasureSnapshot>,
    /// A maintainer's note per language added to a committed manifest, e.g. that it is
    /// illustrative; shown on the changes page. `kijun build` never writes one.
    #[serde(default)]
    pub note: PerLang,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MeasureSnapshot {
    pub id: String,
    pub category: String,
    pub level: u8,
    pub obligation: String,
    /// Sector ids the measure applies to, "all" spelled out (as in the manifest).
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub title: PerLang,
    /// The requirement in plain text; older manifests may lack it.
    #[serde(default)]
    pub statement: PerLang,
    /// Ids this measure replaces (renumbering).
    #[serde(default)]
    pub replaces: Vec<String>,
    #[serde(default)]
    pub mappings: Vec<Mapping>,
}

/// One crosswalk row of a measure.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Mapping {
    pub framework: String,
    #[serde(rename = "ref")]
    pub item: String,
    pub relation: String,
    pub rationale: String,
    #[serde(default)]
    pub strength: Option<u8>,
}

impl Snapshot {
    pub fn measure(&self, id: &str) -> Option<&MeasureSnapshot> {
        self.measures.iter().find(|m| m.id == id)
    }

    pub fn has(&self, id: &str) -> bool {
        self.measure(id).is_some()
    }

    /// The same facts the manifest publishes, taken straight from the model.
    pub fn from_baseline(b: &Baseline) -> Snapshot {
        let all_sectors: Vec<String> = b.sectors.iter().map(|s| s.id.clone()).collect();
        let per_lang = |f: &dyn Fn(&str) -> String| -> PerLang {
            b.languages.iter().map(|l| (l.clone(), f(l))).collect()
        };
        let measures = b
            .measures
            .iter()
            .map(|m| MeasureSnapshot {
                id: m.id.clone(),
                category: m.category.clone(),
                level: m.level,
                obligation: m.obligation.as_str().to_string(),
                sectors: if m.sectors.is_empty() {
                    all_sectors.clone()
                } else {
                    m.sectors.clone()
                },
                title: per_lang(&|l| m.text[l].page.title.clone()),
                statement: per_lang(&|l| m.text[l].statement_plain.clone()),
                replaces: m.replaces.clone(),
                mappings: b
                    .mappings_of(&m.id)
                    .map(|(cw, r)| Mapping {
                        framework: cw.framework.clone(),
                        item: r.item.clone(),
                        relation: r.relation.as_str().to_string(),
                        rationale: r.rationale.as_str().to_string(),
                        strength: r.strength,
                    })
                    .collect(),
            })
            .collect();
        Snapshot {
            revision: b.config.revision.clone(),
            revision_date: b.config.revision_date.clone(),
            languages: b.languages.clone(),
            measures,
            note: PerLang::new(),
        }
    }

    /// Reads a `baseline.json` manifest (schema `kijun-baseline/1`); `file` names it in errors.
    pub fn from_manifest(file: &str, text: &str) -> Result<Snapshot, Diagnostic> {
        #[derive(Deserialize)]
        struct Head {
            schema: Option<String>,
        }
        let located = |e: serde_json::Error, what: &str| {
            Diagnostic::error(
                file,
                LineCol {
                    line: e.line().max(1),
                    column: e.column().max(1),
                },
                format!("{what}: {e}"),
            )
        };
        let head: Head = serde_json::from_str(text).map_err(|e| {
            located(e, "not a JSON manifest").with_help(
                "give a baseline.json written by `kijun build` (site/downloads/baseline.json)",
            )
        })?;
        if head.schema.as_deref() != Some(SCHEMA) {
            return Err(Diagnostic::error(
                file,
                LineCol::START,
                format!(
                    "not a kijun manifest: schema is {}, expected \"{SCHEMA}\"",
                    head.schema
                        .map(|s| format!("\"{s}\""))
                        .unwrap_or_else(|| "missing".into())
                ),
            )
            .with_help(
                "give a baseline.json written by `kijun build` (site/downloads/baseline.json)",
            ));
        }
        serde_json::from_str(text).map_err(|e| {
            located(e, "the manifest does not have the expected shape").with_help(
                "each measure needs id, category, level and obligation (see ../shared/DESIGN.md)",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_contract_minimum_and_ignores_extra_fields() {
        let text = r#"{"schema": "kijun-baseline/1", "revision": "r1", "languages": ["ja"],
            "extra": true,
            "measures": [{"id": "AM-1", "category": "AM", "level": 2, "obligation": "required",
                          "sectors": ["gas"], "title": {"ja": "台帳"}, "url": {"ja": "/ja/measures/am-1/"},
                          "mappings": [{"framework": "f", "ref": "X-1", "relation": "equal",
                                        "rationale": "semantic", "strength": null}]}]}"#;
        let s = Snapshot::from_manifest("old.json", text).unwrap();
        assert_eq!(s.revision, "r1");
        assert_eq!(s.revision_date, "");
        let m = s.measure("AM-1").unwrap();
        assert_eq!((m.level, m.obligation.as_str()), (2, "required"));
        assert!(m.statement.is_empty() && m.replaces.is_empty());
        assert_eq!(m.mappings[0].item, "X-1");
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let bad = "{\"schema\": \"kijun-baseline/1\",\n \"revision\": \"r1\",\n \"measures\": [ {\"id\": 3} ]}";
        let d = Snapshot::from_manifest("revisions/r1.json", bad).unwrap_err();
        assert_eq!((d.file.as_str(), d.line), ("revisions/r1.json", 3), "{d}");
        let other = Snapshot::from_manifest("x.json", r#"{"schema": "other/2"}"#).unwrap_err();
        assert!(other.message.contains("\"other/2\""), "{other}");
        let not_json = Snapshot::from_manifest("x.json", "<html>").unwrap_err();
        assert!(
            not_json.message.starts_with("not a JSON manifest"),
            "{not_json}"
        );
    }
}
