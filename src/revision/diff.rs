//! What changed between two revisions: measures added, removed, renumbered (renamed, split,
//! merged) and changed, field by field, with their crosswalk rows.
//!
//! Only the normative facts are compared: title, statement, level, obligation, sectors, category
//! and crosswalk rows. The explanatory body (why it matters, examples) is guidance and is not a
//! change of the baseline; manifests do not carry it either, so every kind of side compares alike.

use super::snapshot::{Mapping, MeasureSnapshot, PerLang, Snapshot};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    pub added: Vec<MeasureRef>,
    pub removed: Vec<MeasureRef>,
    /// Old ids that live on under new ids (`replaces`).
    pub replaced: Vec<Replacement>,
    /// Measures with the same id on both sides whose facts or crosswalk rows differ.
    pub changed: Vec<MeasureChange>,
}

/// A measure as it is on one side, for lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureRef {
    pub id: String,
    pub title: PerLang,
    pub level: u8,
    pub obligation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplacementKind {
    /// One old id → one new id.
    Renamed,
    /// One old id → several new ids.
    Split,
    /// Several old ids → one id, or an old id folded into a measure that already existed.
    Merged,
    /// Several old ids → several new ids, entangled.
    Restructured,
}

impl ReplacementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplacementKind::Renamed => "renamed",
            ReplacementKind::Split => "split",
            ReplacementKind::Merged => "merged",
            ReplacementKind::Restructured => "restructured",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replacement {
    pub kind: ReplacementKind,
    /// Ids of the old side that no longer exist.
    pub from: Vec<MeasureRef>,
    /// Ids of the new side that name them in `replaces`.
    pub to: Vec<MeasureRef>,
    /// For a rename: what else changed between the old and the new measure.
    pub fields: Vec<FieldChange>,
    pub mappings: Vec<FrameworkMappingChanges>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureChange {
    pub id: String,
    /// Title on the new side.
    pub title: PerLang,
    pub fields: Vec<FieldChange>,
    pub mappings: Vec<FrameworkMappingChanges>,
}

/// One changed fact: `{"field": "level", "old": 2, "new": 1}`; texts also name their language.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "field", rename_all = "lowercase")]
pub enum FieldChange {
    Title {
        lang: String,
        old: String,
        new: String,
    },
    Statement {
        lang: String,
        old: String,
        new: String,
    },
    Level {
        old: u8,
        new: u8,
    },
    Obligation {
        old: String,
        new: String,
    },
    Sectors {
        old: Vec<String>,
        new: Vec<String>,
        added: Vec<String>,
        removed: Vec<String>,
    },
    Category {
        old: String,
        new: String,
    },
}

impl FieldChange {
    pub fn name(&self) -> &'static str {
        match self {
            FieldChange::Title { .. } => "title",
            FieldChange::Statement { .. } => "statement",
            FieldChange::Level { .. } => "level",
            FieldChange::Obligation { .. } => "obligation",
            FieldChange::Sectors { .. } => "sectors",
            FieldChange::Category { .. } => "category",
        }
    }
}

/// Crosswalk rows of one measure to one framework that were added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkMappingChanges {
    pub framework: String,
    pub added: Vec<Mapping>,
    pub removed: Vec<Mapping>,
    pub changed: Vec<MappingChange>,
}

/// A row to the same item whose relation, rationale or strength changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappingChange {
    #[serde(rename = "ref")]
    pub item: String,
    pub old: Mapping,
    pub new: Mapping,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.replaced.is_empty()
            && self.changed.is_empty()
    }

    /// Whether the measure `id` of the new side is added, renumbered into or changed here.
    pub fn touches(&self, id: &str) -> bool {
        self.added.iter().any(|m| m.id == id)
            || self.changed.iter().any(|c| c.id == id)
            || self
                .replaced
                .iter()
                .any(|r| r.to.iter().any(|m| m.id == id))
    }

    /// Mapping rows added, removed and changed, summed over all measures.
    pub fn mapping_counts(&self) -> (usize, usize, usize) {
        let all = self
            .changed
            .iter()
            .flat_map(|c| &c.mappings)
            .chain(self.replaced.iter().flat_map(|r| &r.mappings));
        all.fold((0, 0, 0), |(a, r, c), f| {
            (a + f.added.len(), r + f.removed.len(), c + f.changed.len())
        })
    }
}

pub fn diff(old: &Snapshot, new: &Snapshot) -> Diff {
    let replaced = replacements(old, new);
    let renumbered_to: BTreeSet<&str> = replaced
        .iter()
        .flat_map(|r| r.to.iter().map(|m| m.id.as_str()))
        .collect();
    let renumbered_from: BTreeSet<&str> = replaced
        .iter()
        .flat_map(|r| r.from.iter().map(|m| m.id.as_str()))
        .collect();
    let added = new
        .measures
        .iter()
        .filter(|m| !old.has(&m.id) && !renumbered_to.contains(m.id.as_str()))
        .map(measure_ref)
        .collect();
    let removed = old
        .measures
        .iter()
        .filter(|m| !new.has(&m.id) && !renumbered_from.contains(m.id.as_str()))
        .map(measure_ref)
        .collect();
    let changed = new
        .measures
        .iter()
        .filter_map(|n| {
            let o = old.measure(&n.id)?;
            let fields = field_changes(o, n);
            let mappings = mapping_changes(&o.mappings, &n.mappings);
            (!fields.is_empty() || !mappings.is_empty()).then(|| MeasureChange {
                id: n.id.clone(),
                title: n.title.clone(),
                fields,
                mappings,
            })
        })
        .collect();
    Diff {
        added,
        removed,
        replaced,
        changed,
    }
}

fn measure_ref(m: &MeasureSnapshot) -> MeasureRef {
    MeasureRef {
        id: m.id.clone(),
        title: m.title.clone(),
        level: m.level,
        obligation: m.obligation.clone(),
    }
}

/// Groups `replaces` links whose old id is gone into connected groups, and names each group.
fn replacements(old: &Snapshot, new: &Snapshot) -> Vec<Replacement> {
    // Links old id → new id that matter here: the old id existed before and is gone now.
    let links: Vec<(&str, &str)> = new
        .measures
        .iter()
        .flat_map(|n| n.replaces.iter().map(move |o| (o.as_str(), n.id.as_str())))
        .filter(|(o, _)| old.has(o) && !new.has(o))
        .collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    // Walk the new side in baseline order so groups come out in a stable, readable order.
    for start in new.measures.iter().map(|m| m.id.as_str()) {
        if done.contains(start) || !links.iter().any(|(_, n)| *n == start) {
            continue;
        }
        let (mut from, mut to) = (BTreeSet::new(), BTreeSet::from([start]));
        loop {
            let more_from: BTreeSet<&str> = links
                .iter()
                .filter(|(_, n)| to.contains(n))
                .map(|(o, _)| *o)
                .collect();
            let more_to: BTreeSet<&str> = links
                .iter()
                .filter(|(o, _)| more_from.contains(o))
                .map(|(_, n)| *n)
                .collect();
            if more_from == from && more_to == to {
                break;
            }
            from = more_from;
            to.extend(more_to);
        }
        done.extend(&to);
        let in_order = |side: &Snapshot, ids: &BTreeSet<&str>| -> Vec<MeasureRef> {
            side.measures
                .iter()
                .filter(|m| ids.contains(m.id.as_str()))
                .map(measure_ref)
                .collect()
        };
        let from_refs = in_order(old, &from);
        let to_refs = in_order(new, &to);
        let kind = match (from_refs.len(), to_refs.len()) {
            (1, 1) if old.has(&to_refs[0].id) => ReplacementKind::Merged,
            (1, 1) => ReplacementKind::Renamed,
            (1, _) => ReplacementKind::Split,
            (_, 1) => ReplacementKind::Merged,
            _ => ReplacementKind::Restructured,
        };
        let (fields, mappings) = if kind == ReplacementKind::Renamed {
            let (o, n) = (
                old.measure(&from_refs[0].id).expect("in old"),
                new.measure(&to_refs[0].id).expect("in new"),
            );
            (
                field_changes(o, n),
                mapping_changes(&o.mappings, &n.mappings),
            )
        } else {
            (vec![], vec![])
        };
        out.push(Replacement {
            kind,
            from: from_refs,
            to: to_refs,
            fields,
            mappings,
        });
    }
    out
}

fn field_changes(o: &MeasureSnapshot, n: &MeasureSnapshot) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (lang, old, new) in per_lang_changes(&o.title, &n.title) {
        out.push(FieldChange::Title { lang, old, new });
    }
    for (lang, old, new) in per_lang_changes(&o.statement, &n.statement) {
        out.push(FieldChange::Statement { lang, old, new });
    }
    if o.level != n.level {
        out.push(FieldChange::Level {
            old: o.level,
            new: n.level,
        });
    }
    if o.obligation != n.obligation {
        out.push(FieldChange::Obligation {
            old: o.obligation.clone(),
            new: n.obligation.clone(),
        });
    }
    let (old_set, new_set): (BTreeSet<&String>, BTreeSet<&String>) =
        (o.sectors.iter().collect(), n.sectors.iter().collect());
    if old_set != new_set {
        let keep = |from: &[String], not_in: &BTreeSet<&String>| -> Vec<String> {
            from.iter()
                .filter(|s| !not_in.contains(s))
                .cloned()
                .collect()
        };
        out.push(FieldChange::Sectors {
            old: o.sectors.clone(),
            new: n.sectors.clone(),
            added: keep(&n.sectors, &old_set),
            removed: keep(&o.sectors, &new_set),
        });
    }
    if o.category != n.category {
        out.push(FieldChange::Category {
            old: o.category.clone(),
            new: n.category.clone(),
        });
    }
    out
}

/// Languages whose text differs. A language only one side has is not a change of the measure
/// (the site gained or lost a translation), so it is skipped.
fn per_lang_changes(old: &PerLang, new: &PerLang) -> Vec<(String, String, String)> {
    new.iter()
        .filter_map(|(lang, n)| {
            let o = old.get(lang)?;
            (o != n).then(|| (lang.clone(), o.clone(), n.clone()))
        })
        .collect()
}

fn mapping_changes(old: &[Mapping], new: &[Mapping]) -> Vec<FrameworkMappingChanges> {
    let key = |m: &Mapping| (m.framework.clone(), m.item.clone());
    let old_rows: BTreeMap<_, &Mapping> = old.iter().map(|m| (key(m), m)).collect();
    let new_rows: BTreeMap<_, &Mapping> = new.iter().map(|m| (key(m), m)).collect();
    let frameworks: BTreeSet<&String> = old.iter().chain(new).map(|m| &m.framework).collect();
    frameworks
        .into_iter()
        .filter_map(|fw| {
            let in_fw = |rows: &BTreeMap<(String, String), &Mapping>| -> Vec<Mapping> {
                rows.iter()
                    .filter(|((f, _), _)| f == fw)
                    .map(|(_, m)| (*m).clone())
                    .collect()
            };
            let (olds, news) = (in_fw(&old_rows), in_fw(&new_rows));
            let added: Vec<Mapping> = news
                .iter()
                .filter(|m| !old_rows.contains_key(&key(m)))
                .cloned()
                .collect();
            let removed: Vec<Mapping> = olds
                .iter()
                .filter(|m| !new_rows.contains_key(&key(m)))
                .cloned()
                .collect();
            let changed: Vec<MappingChange> = news
                .iter()
                .filter_map(|n| {
                    let o = old_rows.get(&key(n))?;
                    (*o != n).then(|| MappingChange {
                        item: n.item.clone(),
                        old: (*o).clone(),
                        new: n.clone(),
                    })
                })
                .collect();
            (!added.is_empty() || !removed.is_empty() || !changed.is_empty()).then(|| {
                FrameworkMappingChanges {
                    framework: fw.clone(),
                    added,
                    removed,
                    changed,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(id: &str, level: u8) -> MeasureSnapshot {
        MeasureSnapshot {
            id: id.into(),
            category: id[..2].into(),
            level,
            obligation: "required".into(),
            sectors: vec!["gas".into(), "water".into()],
            title: [("en".to_string(), format!("Title of {id}"))].into(),
            statement: [("en".to_string(), format!("The operator shall {id}."))].into(),
            replaces: vec![],
            mappings: vec![],
        }
    }

    fn snapshot(measures: Vec<MeasureSnapshot>) -> Snapshot {
        Snapshot {
            revision: "r".into(),
            revision_date: "2026-01-01".into(),
            languages: vec!["en".into()],
            measures,
            note: Default::default(),
        }
    }

    fn replacing(mut m: MeasureSnapshot, old: &[&str]) -> MeasureSnapshot {
        m.replaces = old.iter().map(|s| s.to_string()).collect();
        m
    }

    fn row(item: &str, relation: &str) -> Mapping {
        Mapping {
            framework: "csf".into(),
            item: item.into(),
            relation: relation.into(),
            rationale: "semantic".into(),
            strength: None,
        }
    }

    fn ids(v: &[MeasureRef]) -> Vec<&str> {
        v.iter().map(|m| m.id.as_str()).collect()
    }

    #[test]
    fn identical_snapshots_have_no_changes() {
        let s = snapshot(vec![measure("AM-1", 1), measure("AM-2", 2)]);
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn added_and_removed_measures() {
        let old = snapshot(vec![measure("AM-1", 1), measure("AM-2", 2)]);
        let new = snapshot(vec![measure("AM-1", 1), measure("AM-3", 1)]);
        let d = diff(&old, &new);
        assert_eq!(ids(&d.added), ["AM-3"]);
        assert_eq!(ids(&d.removed), ["AM-2"]);
        assert!(d.replaced.is_empty() && d.changed.is_empty());
    }

    #[test]
    fn each_changed_field_is_named_with_old_and_new_values() {
        let old = snapshot(vec![measure("AM-1", 2)]);
        let mut m = measure("AM-1", 1);
        m.title.insert("en".into(), "New title".into());
        m.statement
            .insert("en".into(), "The operator shall do more.".into());
        m.obligation = "recommended".into();
        m.sectors = vec!["water".into(), "medical".into()];
        let d = diff(&old, &snapshot(vec![m]));
        assert_eq!(d.changed.len(), 1);
        let fields = &d.changed[0].fields;
        let names: Vec<&str> = fields.iter().map(FieldChange::name).collect();
        assert_eq!(
            names,
            ["title", "statement", "level", "obligation", "sectors"]
        );
        assert_eq!(fields[2], FieldChange::Level { old: 2, new: 1 });
        assert_eq!(
            fields[4],
            FieldChange::Sectors {
                old: vec!["gas".into(), "water".into()],
                new: vec!["water".into(), "medical".into()],
                added: vec!["medical".into()],
                removed: vec!["gas".into()],
            }
        );
        let json = serde_json::to_value(&fields[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"field": "title", "lang": "en", "old": "Title of AM-1", "new": "New title"})
        );
    }

    #[test]
    fn reordered_sectors_and_a_new_translation_are_not_changes() {
        let old = snapshot(vec![measure("AM-1", 1)]);
        let mut m = measure("AM-1", 1);
        m.sectors.reverse();
        m.title.insert("ja".into(), "台帳".into());
        assert!(diff(&old, &snapshot(vec![m])).is_empty());
    }

    #[test]
    fn mapping_rows_added_removed_and_changed_per_framework() {
        let mut o = measure("AM-1", 1);
        o.mappings = vec![row("ID.AM-01", "equal"), row("ID.AM-02", "subset-of")];
        let mut n = measure("AM-1", 1);
        let mut other_fw = row("A1.a", "intersects-with");
        other_fw.framework = "caf".into();
        n.mappings = vec![
            row("ID.AM-01", "subset-of"),
            row("ID.AM-08", "equal"),
            other_fw,
        ];
        let d = diff(&snapshot(vec![o]), &snapshot(vec![n]));
        let maps = &d.changed[0].mappings;
        assert!(d.changed[0].fields.is_empty());
        assert_eq!(
            maps.iter()
                .map(|f| f.framework.as_str())
                .collect::<Vec<_>>(),
            ["caf", "csf"]
        );
        let csf = &maps[1];
        assert_eq!(csf.added, [row("ID.AM-08", "equal")]);
        assert_eq!(csf.removed, [row("ID.AM-02", "subset-of")]);
        assert_eq!(csf.changed[0].item, "ID.AM-01");
        assert_eq!(
            (
                csf.changed[0].old.relation.as_str(),
                csf.changed[0].new.relation.as_str()
            ),
            ("equal", "subset-of")
        );
        assert_eq!(d.mapping_counts(), (2, 1, 1));
    }

    #[test]
    fn a_replaced_id_is_a_rename_not_a_removal_and_an_addition() {
        let old = snapshot(vec![measure("AM-1", 1), measure("NS-9", 2)]);
        let new = snapshot(vec![
            measure("AM-1", 1),
            replacing(measure("AM-2", 1), &["NS-9"]),
        ]);
        let d = diff(&old, &new);
        assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
        let r = &d.replaced[0];
        assert_eq!(r.kind, ReplacementKind::Renamed);
        assert_eq!((ids(&r.from), ids(&r.to)), (vec!["NS-9"], vec!["AM-2"]));
        // A rename also reports what else changed: here the level, category, title and statement.
        let names: Vec<&str> = r.fields.iter().map(FieldChange::name).collect();
        assert_eq!(names, ["title", "statement", "level", "category"]);
        assert!(d.touches("AM-2") && !d.touches("AM-1"));
    }

    #[test]
    fn split_merge_and_folding_into_an_existing_measure() {
        let old = snapshot(vec![
            measure("AM-1", 1),
            measure("AM-8", 1),
            measure("AM-9", 1),
            measure("LM-5", 1),
            measure("LM-6", 1),
        ]);
        let new = snapshot(vec![
            replacing(measure("AM-1", 1), &["LM-6"]),
            replacing(measure("AM-10", 1), &["AM-9"]),
            replacing(measure("AM-11", 1), &["AM-9"]),
            replacing(measure("AM-12", 2), &["AM-8", "LM-5"]),
        ]);
        let d = diff(&old, &new);
        let got: Vec<(ReplacementKind, Vec<&str>, Vec<&str>)> = d
            .replaced
            .iter()
            .map(|r| (r.kind, ids(&r.from), ids(&r.to)))
            .collect();
        assert_eq!(
            got,
            [
                (ReplacementKind::Merged, vec!["LM-6"], vec!["AM-1"]),
                (ReplacementKind::Split, vec!["AM-9"], vec!["AM-10", "AM-11"]),
                (ReplacementKind::Merged, vec!["AM-8", "LM-5"], vec!["AM-12"]),
            ]
        );
        assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
        // Split and merged groups do not compare fields one to one.
        assert!(d.replaced.iter().skip(1).all(|r| r.fields.is_empty()));
    }

    #[test]
    fn entangled_replacements_form_one_group() {
        let old = snapshot(vec![measure("AM-8", 1), measure("AM-9", 1)]);
        let new = snapshot(vec![
            replacing(measure("AM-10", 1), &["AM-8", "AM-9"]),
            replacing(measure("AM-11", 1), &["AM-9"]),
        ]);
        let d = diff(&old, &new);
        assert_eq!(d.replaced.len(), 1);
        assert_eq!(d.replaced[0].kind, ReplacementKind::Restructured);
        assert_eq!(ids(&d.replaced[0].to), ["AM-10", "AM-11"]);
    }

    #[test]
    fn replaces_naming_ids_older_than_the_old_side_are_history_not_changes() {
        // AM-2 replaced AM-9 in an earlier revision; both sides already have AM-2.
        let old = snapshot(vec![replacing(measure("AM-2", 1), &["AM-9"])]);
        let new = old.clone();
        assert!(diff(&old, &new).is_empty());
        // And a measure that is new and also names a long-gone id is simply added.
        let new = snapshot(vec![
            replacing(measure("AM-2", 1), &["AM-9"]),
            replacing(measure("AM-3", 1), &["AM-7"]),
        ]);
        assert_eq!(ids(&diff(&old, &new).added), ["AM-3"]);
    }
}
