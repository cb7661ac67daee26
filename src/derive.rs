//! Stage 3: facts derived from the model that several outputs share: crosswalk coverage and
//! indexes from framework items back to measures.

use crate::model::{Baseline, Crosswalk, CrosswalkRow, Framework, FrameworkItem, Relation};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

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
    /// Items by coverage state (all measures): full, partial, none, not-related.
    pub full: usize,
    pub partial: usize,
    pub none: usize,
    pub not_related: usize,
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
    let by_item = crosswalk.map(rows_by_item).unwrap_or_default();
    for leaf in &leaves {
        match by_item.get(leaf.id.as_str()) {
            None => cov.unmapped += 1,
            Some(mine) if mine.iter().all(|r| r.relation == Relation::NotRelated) => {
                cov.asserted_unrelated += 1
            }
            Some(_) => cov.related += 1,
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
    let related: HashSet<&str> = rows
        .iter()
        .filter(|r| r.relation != Relation::NotRelated)
        .map(|r| r.measure.as_str())
        .collect();
    cov.measures_mapped = baseline
        .measures
        .iter()
        .filter(|m| related.contains(m.id.as_str()))
        .count();
    let states = item_states(framework, crosswalk, baseline, &MeasureFilter::ALL);
    for state in states.values() {
        match state {
            ItemState::Full => cov.full += 1,
            ItemState::Partial => cov.partial += 1,
            ItemState::None => cov.none += 1,
            ItemState::NotRelated => cov.not_related += 1,
        }
    }
    cov
}

/// How well the measures cover one framework item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemState {
    /// Some measure is `equal` to the item or a `superset-of` it.
    Full,
    /// Only `subset-of` or `intersects-with` rows: each measure covers part of the item.
    Partial,
    /// No related measure (nobody mapped it, or its measures are filtered out).
    None,
    /// Considered, and asserted `not-related` to every measure that was compared.
    NotRelated,
}

impl ItemState {
    /// One letter, for compact data attributes in pages.
    pub fn letter(self) -> char {
        match self {
            ItemState::Full => 'f',
            ItemState::Partial => 'p',
            ItemState::None => 'n',
            ItemState::NotRelated => 'x',
        }
    }
}

/// Which measures count: those up to a level, optionally required ones only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureFilter {
    pub max_level: u8,
    pub required_only: bool,
}

impl MeasureFilter {
    pub const ALL: MeasureFilter = MeasureFilter {
        max_level: 3,
        required_only: false,
    };

    /// Every filter the crosswalk pages offer, with a stable key (`a3` = all obligations up to Lv.3,
    /// `r1` = required up to Lv.1, ...).
    pub fn choices() -> Vec<(String, MeasureFilter)> {
        let mut out = vec![];
        for required_only in [false, true] {
            for max_level in 1..=3 {
                let key = format!("{}{max_level}", if required_only { 'r' } else { 'a' });
                out.push((
                    key,
                    MeasureFilter {
                        max_level,
                        required_only,
                    },
                ));
            }
        }
        out
    }

    pub fn admits(&self, m: &crate::model::Measure) -> bool {
        m.level <= self.max_level
            && (!self.required_only || m.obligation == crate::model::Obligation::Required)
    }
}

/// The coverage state of every mappable item, counting only the measures the filter admits.
pub fn item_states<'a>(
    framework: &'a Framework,
    crosswalk: Option<&Crosswalk>,
    baseline: &Baseline,
    filter: &MeasureFilter,
) -> BTreeMap<&'a str, ItemState> {
    let level = crosswalk.and_then(|c| c.level.as_deref());
    let by_item = crosswalk.map(rows_by_item).unwrap_or_default();
    let admitted: std::collections::HashSet<&str> = baseline
        .measures
        .iter()
        .filter(|m| filter.admits(m))
        .map(|m| m.id.as_str())
        .collect();
    framework
        .items
        .iter()
        .filter(|i| framework.is_mappable(i, level))
        .map(|item| {
            let mine: &[&CrosswalkRow] = by_item.get(item.id.as_str()).map_or(&[], Vec::as_slice);
            let counted = mine
                .iter()
                .filter(|r| admitted.contains(r.measure.as_str()));
            let mut state =
                if !mine.is_empty() && mine.iter().all(|r| r.relation == Relation::NotRelated) {
                    ItemState::NotRelated
                } else {
                    ItemState::None
                };
            for r in counted {
                match r.relation {
                    Relation::Equal | Relation::SupersetOf => state = ItemState::Full,
                    Relation::SubsetOf | Relation::IntersectsWith if state != ItemState::Full => {
                        state = ItemState::Partial
                    }
                    _ => {}
                }
            }
            (item.id.as_str(), state)
        })
        .collect()
}

/// What an operator who already complies with a framework has likely met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credit {
    /// The measure is `equal` to or a `subset-of` an item: meeting the item meets the measure.
    LikelyMet,
    /// Only `superset-of` or `intersects-with`: meeting the item meets part of the measure.
    PartlyMet,
    /// No related item: the measure remains to be done.
    Remains,
}

pub fn credit(crosswalk: Option<&Crosswalk>, measure: &str) -> Credit {
    let mut credit = Credit::Remains;
    for r in crosswalk.into_iter().flat_map(|c| c.rows_of(measure)) {
        match r.relation {
            Relation::Equal | Relation::SubsetOf => return Credit::LikelyMet,
            Relation::SupersetOf | Relation::IntersectsWith => credit = Credit::PartlyMet,
            Relation::NotRelated => {}
        }
    }
    credit
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
