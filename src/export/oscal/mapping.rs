//! A crosswalk as an OSCAL mapping collection: the baseline's catalog is the source, the
//! framework the target, one map per crosswalk row.
//!
//! The relation always states the measure relative to the framework item (NIST IR 8477), which
//! is OSCAL's "source relative to target", so the tokens carry over without turning around.

use super::{Ids, Link, Metadata, Prop, control_id, metadata, one_line};
use crate::model::crosswalk::CrosswalkStatus;
use crate::model::{Baseline, Crosswalk, CrosswalkRow, Framework, Relation};
use serde::Serialize;

/// Relationship tokens OSCAL allows for a map in its own namespace (NIST IR 8477's set-theory
/// relationships). The JSON schema only checks that the value is a token, so kijun checks this.
pub const RELATIONSHIPS: [&str; 6] = [
    "equivalent-to",
    "equal-to",
    "subset-of",
    "superset-of",
    "intersects-with",
    "no-relationship",
];

/// The OSCAL token of a crosswalk relation.
pub fn relationship(r: Relation) -> &'static str {
    match r {
        Relation::Equal => "equal-to",
        Relation::SubsetOf => "subset-of",
        Relation::SupersetOf => "superset-of",
        Relation::IntersectsWith => "intersects-with",
        Relation::NotRelated => "no-relationship",
    }
}

#[derive(Serialize)]
struct Document {
    #[serde(rename = "mapping-collection")]
    collection: Collection,
}

#[derive(Serialize)]
struct Collection {
    uuid: String,
    metadata: Metadata,
    provenance: Provenance,
    mappings: Vec<Mapping>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Provenance {
    method: &'static str,
    matching_rationale: &'static str,
    status: &'static str,
    mapping_description: String,
    props: Vec<Prop>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Mapping {
    uuid: String,
    source_resource: Resource,
    target_resource: Resource,
    maps: Vec<Map>,
}

#[derive(Serialize)]
struct Resource {
    #[serde(rename = "type")]
    kind: &'static str,
    href: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Map {
    uuid: String,
    matching_rationale: &'static str,
    relationship: &'static str,
    sources: Vec<Item>,
    targets: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
struct Item {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "id-ref")]
    id_ref: String,
}

/// Texts the mapping collection needs in its language.
pub struct MappingText {
    pub title: String,
    pub description: String,
    pub target_remarks: String,
    pub draft_notice: String,
    /// "What remains: ", before the measure's remaining work in each map's remarks.
    pub remains_label: String,
}

/// The mapping collection of one crosswalk, or `None` when it has no rows (OSCAL needs one), or
/// an error naming a relationship token that OSCAL does not define.
pub fn mapping_collection(
    b: &Baseline,
    lang: &str,
    fw: &Framework,
    cw: &Crosswalk,
    catalog_href: &str,
    text: &MappingText,
) -> Result<Option<Vec<u8>>, String> {
    if cw.rows.is_empty() {
        return Ok(None);
    }
    let ids = Ids::new(b, lang);
    let mut rows: Vec<_> = cw.rows.iter().collect();
    rows.sort_by_key(|r| (b.measure_position(&r.measure), fw.item_position(&r.item)));
    let maps = rows
        .iter()
        .map(|r| {
            let token = relationship(r.relation);
            if !RELATIONSHIPS.contains(&token) {
                return Err(format!(
                    "relationship `{token}` ({} → {}) is not an OSCAL/NIST IR 8477 token",
                    r.measure, r.item
                ));
            }
            let remarks = map_remarks(b, cw, r, lang, &text.remains_label);
            Ok(Map {
                uuid: ids.uuid(&format!("map/{}/{}/{}/{lang}", fw.id, r.measure, r.item)),
                matching_rationale: r.rationale.as_str(),
                relationship: token,
                sources: vec![Item {
                    kind: "control",
                    id_ref: control_id(&r.measure),
                }],
                targets: vec![Item {
                    kind: "control",
                    id_ref: r.item.clone(),
                }],
                props: r
                    .strength
                    .map(|s| ids.prop("strength", s.to_string()))
                    .into_iter()
                    .collect(),
                remarks,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let site_page = crate::export::refs::absolute_url(
        &b.config.base_url(),
        &crate::urls::framework(lang, &fw.id),
    );
    let target_href = fw
        .meta
        .source_url
        .clone()
        .unwrap_or_else(|| site_page.clone());
    let doc = Document {
        collection: Collection {
            uuid: ids.document_uuid(&format!("mapping-collection/{}", fw.id)),
            metadata: metadata(b, &ids, text.title.clone(), &text.draft_notice),
            provenance: Provenance {
                method: "human",
                matching_rationale: dominant_rationale(cw),
                status: match cw.status {
                    CrosswalkStatus::Draft => "draft",
                    CrosswalkStatus::Final => "complete",
                },
                mapping_description: text.description.clone(),
                props: vec![
                    ids.prop("crosswalk-version", cw.version.clone()),
                    ids.prop("crosswalk-date", cw.date.clone()),
                    ids.prop("comprehensive", cw.comprehensive.to_string()),
                ],
            },
            mappings: vec![Mapping {
                uuid: ids.uuid(&format!("mapping/{}/{lang}", fw.id)),
                source_resource: Resource {
                    kind: "catalog",
                    href: catalog_href.to_string(),
                    links: vec![],
                    remarks: None,
                },
                target_resource: Resource {
                    kind: "catalog",
                    href: target_href,
                    links: vec![Link {
                        href: site_page,
                        rel: Some("alternate".into()),
                        media_type: Some("text/html".into()),
                        text: Some(one_line(&format!("{} {}", fw.meta.name, fw.meta.version))),
                    }],
                    remarks: Some(text.target_remarks.clone()),
                },
                maps,
            }],
        },
    };
    Ok(Some(super::to_json(&doc)))
}

/// A map's remarks: the row's justification, then what the measure asks beyond the framework
/// (the same on every map of the measure, so that each map read alone is honest).
fn map_remarks(
    b: &Baseline,
    cw: &Crosswalk,
    r: &CrosswalkRow,
    lang: &str,
    remains_label: &str,
) -> Option<String> {
    let default = &b.config.default_language;
    let justification = r
        .justification
        .get(lang)
        .or_else(|| r.justification.get(default))
        .map(|j| j.trim())
        .filter(|j| !j.is_empty());
    let remains = crate::derive::remains_text(Some(cw), &r.measure, lang, default)
        .map(|t| format!("{remains_label}{t}"));
    let parts: Vec<String> = justification
        .map(str::to_string)
        .into_iter()
        .chain(remains)
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Provenance needs one rationale for the whole collection: the one most rows use (each map
/// also states its own).
fn dominant_rationale(cw: &Crosswalk) -> &'static str {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for r in &cw.rows {
        let name = r.rationale.as_str();
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    // Ties go to the rationale seen first, so the choice is stable.
    counts
        .iter()
        .fold(None::<(&'static str, usize)>, |best, &(n, c)| match best {
            Some((_, bc)) if bc >= c => best,
            _ => Some((n, c)),
        })
        .map_or("semantic", |(n, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_relation_maps_to_an_oscal_token() {
        for r in Relation::ALL {
            assert!(RELATIONSHIPS.contains(&relationship(r)), "{r:?}");
        }
        // The direction is kept: the measure is the source.
        assert_eq!(relationship(Relation::SubsetOf), "subset-of");
        assert_eq!(relationship(Relation::NotRelated), "no-relationship");
    }
}
