//! Stage 3: facts derived from the model that several outputs share: crosswalk coverage and
//! indexes from framework items back to measures.

use crate::model::{Baseline, Crosswalk, CrosswalkRow, Framework, FrameworkItem, Relation};
use serde::Serialize;
use std::collections::BTreeMap;

/// How much of a framework a crosswalk speaks to, counted over its leaf items.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub leaf_kind: String,
    pub leaves: usize,
    /// Leaves with at least one row other than `not-related`.
    pub related: usize,
    /// Leaves whose only rows assert `not-related`.
    pub asserted_unrelated: usize,
    /// Leaves no row mentions.
    pub unmapped: usize,
    /// Rows per relation, in the order of `Relation::ALL`.
    pub by_relation: Vec<(String, usize)>,
    pub rows: usize,
    pub measures_mapped: usize,
}

pub fn coverage(
    framework: &Framework,
    crosswalk: Option<&Crosswalk>,
    baseline: &Baseline,
) -> Coverage {
    let level = crosswalk.and_then(|c| c.level.as_deref());
    let leaves: Vec<&FrameworkItem> = framework
        .items
        .iter()
        .filter(|i| framework.is_mappable(i, level))
        .collect();
    let rows: &[CrosswalkRow] = crosswalk.map_or(&[], |c| &c.rows);
    let mut cov = Coverage {
        leaf_kind: level.map_or_else(|| framework.leaf_kind.clone(), str::to_string),
        leaves: leaves.len(),
        rows: rows.len(),
        ..Default::default()
    };
    for leaf in &leaves {
        let mut mine = rows.iter().filter(|r| r.item == leaf.id).peekable();
        if mine.peek().is_none() {
            cov.unmapped += 1;
        } else if mine.all(|r| r.relation == Relation::NotRelated) {
            cov.asserted_unrelated += 1;
        } else {
            cov.related += 1;
        }
    }
    cov.by_relation = Relation::ALL
        .iter()
        .map(|rel| {
            (
                rel.as_str().to_string(),
                rows.iter().filter(|r| r.relation == *rel).count(),
            )
        })
        .collect();
    cov.measures_mapped = baseline
        .measures
        .iter()
        .filter(|m| {
            rows.iter()
                .any(|r| r.measure == m.id && r.relation != Relation::NotRelated)
        })
        .count();
    cov
}

/// Framework item id → rows that map to it, for one crosswalk.
pub fn rows_by_item(crosswalk: &Crosswalk) -> BTreeMap<&str, Vec<&CrosswalkRow>> {
    let mut map: BTreeMap<&str, Vec<&CrosswalkRow>> = BTreeMap::new();
    for row in &crosswalk.rows {
        map.entry(row.item.as_str()).or_default().push(row);
    }
    map
}

/// Exact-match search keywords of a measure: its id, the ids it replaces and every framework
/// item it is related to.
pub fn measure_keywords(baseline: &Baseline, measure: &str) -> Vec<String> {
    let mut words = vec![measure.to_string()];
    if let Some(m) = baseline.measure(measure) {
        words.extend(m.replaces.iter().cloned());
    }
    words.extend(
        baseline
            .mappings_of(measure)
            .filter(|(_, r)| r.relation != Relation::NotRelated)
            .map(|(_, r)| r.item.clone()),
    );
    words
}
