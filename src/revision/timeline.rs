//! Facts derived from the revision history for the site: what changed in each revision, in which
//! revision each measure last changed, and where the pages of retired ids now live.

use super::diff::{Diff, diff};
use super::history::History;
use super::snapshot::Snapshot;
use crate::model::Baseline;
use crate::urls;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct Timeline {
    /// Newest first: the current revision, then the recorded earlier ones.
    pub entries: Vec<RevisionEntry>,
    /// Current measure id → the revision it last changed in (absent without a history).
    pub last_changed: BTreeMap<String, LastChanged>,
    /// Retired ids whose old pages forward to the measures that replace them.
    pub redirects: Vec<Redirect>,
    /// Retired ids with no successor: their old pages say when they were withdrawn.
    pub withdrawn: Vec<Withdrawn>,
}

#[derive(Debug, Clone)]
pub struct RevisionEntry {
    pub revision: String,
    pub date: String,
    /// The revision it is compared with; none for the oldest recorded one.
    pub previous: Option<String>,
    pub diff: Option<Diff>,
    pub note: super::snapshot::PerLang,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LastChanged {
    pub revision: String,
    pub date: String,
    /// Unchanged since the oldest recorded revision, so the change itself is not on record.
    pub first_recorded: bool,
}

/// A measure removed in a recorded revision, not back since and not replaced by any measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawn {
    /// The measure as it was before its removal (id and titles).
    pub measure: super::diff::MeasureRef,
    /// The revision that removed it.
    pub revision: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    pub from: String,
    /// Current measure ids, in baseline order; several when the old measure was split.
    pub to: Vec<String>,
}

impl Timeline {
    pub fn new(baseline: &Baseline) -> Timeline {
        Timeline::from_parts(&baseline.history, Snapshot::from_baseline(baseline))
    }

    pub fn from_parts(history: &History, current: Snapshot) -> Timeline {
        let chain: Vec<&Snapshot> = history
            .revisions
            .iter()
            .chain(std::iter::once(&current))
            .collect();
        let diffs: Vec<Diff> = chain.windows(2).map(|w| diff(w[0], w[1])).collect();
        let entries = chain
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| RevisionEntry {
                revision: s.revision.clone(),
                date: s.revision_date.clone(),
                previous: i.checked_sub(1).map(|p| chain[p].revision.clone()),
                diff: i.checked_sub(1).map(|p| diffs[p].clone()),
                note: s.note.clone(),
            })
            .collect();
        let last_changed = if history.revisions.is_empty() {
            BTreeMap::new()
        } else {
            current
                .measures
                .iter()
                .map(|m| (m.id.clone(), last_change(&chain, &diffs, &m.id)))
                .collect()
        };
        Timeline {
            entries,
            last_changed,
            redirects: redirects(&chain, &current),
            withdrawn: withdrawn(&chain, &diffs, &current),
        }
    }
}

/// Walks back from the newest diff to the first that touches `id`: the id is unchanged in every
/// later revision, so its current facts date from that one.
fn last_change(chain: &[&Snapshot], diffs: &[Diff], id: &str) -> LastChanged {
    match diffs.iter().rposition(|d| d.touches(id)) {
        Some(i) => LastChanged {
            revision: chain[i + 1].revision.clone(),
            date: chain[i + 1].revision_date.clone(),
            first_recorded: false,
        },
        None => LastChanged {
            revision: chain[0].revision.clone(),
            date: chain[0].revision_date.clone(),
            first_recorded: true,
        },
    }
}

/// Ids removed by some recorded revision (the latest removal wins) that are neither current again
/// nor named in any `replaces`: a renumbered id gets a redirect instead.
fn withdrawn(chain: &[&Snapshot], diffs: &[Diff], current: &Snapshot) -> Vec<Withdrawn> {
    let replaced: BTreeSet<&str> = chain
        .iter()
        .flat_map(|s| s.measures.iter())
        .flat_map(|m| m.replaces.iter().map(String::as_str))
        .collect();
    let current_slugs: BTreeSet<String> =
        current.measures.iter().map(|m| urls::slug(&m.id)).collect();
    let mut found: BTreeMap<String, Withdrawn> = BTreeMap::new();
    for (i, d) in diffs.iter().enumerate() {
        for m in &d.removed {
            let record = Withdrawn {
                measure: m.clone(),
                revision: chain[i + 1].revision.clone(),
            };
            found.insert(m.id.clone(), record);
        }
    }
    found
        .into_values()
        .filter(|w| !replaced.contains(w.measure.id.as_str()))
        .filter(|w| !current_slugs.contains(&urls::slug(&w.measure.id)))
        .collect()
}

/// Every `replaces` link ever recorded, followed to today's measures: an id renamed twice still
/// reaches its current page, and an id whose successors were all removed gets no redirect.
fn redirects(chain: &[&Snapshot], current: &Snapshot) -> Vec<Redirect> {
    let mut successors: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for snapshot in chain {
        for m in &snapshot.measures {
            for old in &m.replaces {
                successors.entry(old).or_default().insert(&m.id);
            }
        }
    }
    let current_slugs: BTreeSet<String> =
        current.measures.iter().map(|m| urls::slug(&m.id)).collect();
    let position: BTreeMap<&str, usize> = current
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    successors
        .keys()
        .filter(|old| !current_slugs.contains(&urls::slug(old)))
        .filter_map(|old| {
            let mut seen = BTreeSet::from([*old]);
            let mut queue = vec![*old];
            let mut live = BTreeSet::new();
            while let Some(id) = queue.pop() {
                for next in successors.get(id).into_iter().flatten() {
                    if position.contains_key(next) {
                        live.insert(*next);
                    } else if seen.insert(next) {
                        queue.push(next);
                    }
                }
            }
            let mut to: Vec<&str> = live.into_iter().collect();
            to.sort_by_key(|id| position[id]);
            (!to.is_empty()).then(|| Redirect {
                from: old.to_string(),
                to: to.into_iter().map(String::from).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::snapshot::MeasureSnapshot;
    use super::*;

    fn m(id: &str, level: u8, replaces: &[&str]) -> MeasureSnapshot {
        MeasureSnapshot {
            id: id.into(),
            category: id[..2].into(),
            level,
            obligation: "required".into(),
            sectors: vec![],
            title: [("en".to_string(), "Same title".to_string())].into(),
            statement: Default::default(),
            replaces: replaces.iter().map(|s| s.to_string()).collect(),
            mappings: vec![],
        }
    }

    fn snap(revision: &str, date: &str, measures: Vec<MeasureSnapshot>) -> Snapshot {
        Snapshot {
            revision: revision.into(),
            revision_date: date.into(),
            languages: vec!["en".into()],
            measures,
            note: Default::default(),
        }
    }

    /// r0: AM-1, AM-2, AM-9, LM-4. r1: AM-2 level raised; AM-9 → AM-10; LM-4 split into LM-5, LM-6.
    /// r2 (current): AM-10 → AM-11; AM-3 added.
    fn timeline() -> Timeline {
        let r0 = snap(
            "r0",
            "2026-01-01",
            vec![
                m("AM-1", 1, &[]),
                m("AM-2", 1, &[]),
                m("AM-9", 1, &[]),
                m("LM-4", 1, &[]),
            ],
        );
        let r1 = snap(
            "r1",
            "2026-02-01",
            vec![
                m("AM-1", 1, &[]),
                m("AM-2", 2, &[]),
                m("AM-10", 1, &["AM-9"]),
                m("LM-5", 1, &["LM-4"]),
                m("LM-6", 1, &["LM-4"]),
            ],
        );
        let r2 = snap(
            "r2",
            "2026-03-01",
            vec![
                m("AM-1", 1, &[]),
                m("AM-2", 2, &[]),
                m("AM-3", 1, &[]),
                m("AM-11", 1, &["AM-10"]),
                m("LM-5", 1, &["LM-4"]),
                m("LM-6", 1, &["LM-4"]),
            ],
        );
        Timeline::from_parts(
            &History {
                revisions: vec![r0, r1],
            },
            r2,
        )
    }

    #[test]
    fn entries_are_newest_first_each_with_its_diff() {
        let t = timeline();
        let revs: Vec<(&str, Option<&str>)> = t
            .entries
            .iter()
            .map(|e| (e.revision.as_str(), e.previous.as_deref()))
            .collect();
        assert_eq!(revs, [("r2", Some("r1")), ("r1", Some("r0")), ("r0", None)]);
        assert_eq!(t.entries[0].diff.as_ref().unwrap().added[0].id, "AM-3");
        assert!(t.entries[2].diff.is_none());
    }

    #[test]
    fn last_changed_is_the_latest_revision_that_touched_the_measure() {
        let t = timeline();
        let at = |id: &str| {
            let l = &t.last_changed[id];
            (l.revision.as_str(), l.first_recorded)
        };
        assert_eq!(
            at("AM-1"),
            ("r0", true),
            "never changed since the oldest record"
        );
        assert_eq!(at("AM-2"), ("r1", false), "level changed in r1");
        assert_eq!(at("AM-3"), ("r2", false), "added in r2");
        assert_eq!(at("AM-11"), ("r2", false), "renumbered in r2");
        assert_eq!(at("LM-5"), ("r1", false), "split off in r1");
        assert_eq!(t.last_changed.len(), 6);
    }

    #[test]
    fn redirects_follow_renumbering_across_revisions() {
        let t = timeline();
        let redirects: Vec<(&str, Vec<&str>)> = t
            .redirects
            .iter()
            .map(|r| (r.from.as_str(), r.to.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            redirects,
            [
                ("AM-10", vec!["AM-11"]),
                ("AM-9", vec!["AM-11"]),
                ("LM-4", vec!["LM-5", "LM-6"]),
            ]
        );
    }

    #[test]
    fn without_a_history_there_is_one_entry_and_no_dates_per_measure() {
        let current = snap("r0", "2026-01-01", vec![m("AM-2", 1, &["AM-1"])]);
        let t = Timeline::from_parts(&History::default(), current);
        assert_eq!(t.entries.len(), 1);
        assert!(t.last_changed.is_empty());
        // `replaces` alone still keeps the old URL alive.
        assert_eq!(
            t.redirects,
            [Redirect {
                from: "AM-1".into(),
                to: vec!["AM-2".into()]
            }]
        );
    }

    #[test]
    fn withdrawn_ids_are_removed_ones_without_successor_or_return() {
        let r0 = snap(
            "r0",
            "2026-01-01",
            vec![
                m("AM-1", 1, &[]),
                m("AM-2", 1, &[]),
                m("AM-3", 1, &[]),
                m("AM-4", 1, &[]),
            ],
        );
        // r1 drops AM-2 (withdrawn) and AM-3 (renumbered to AM-5), and AM-4 (back in r2).
        let r1 = snap(
            "r1",
            "2026-02-01",
            vec![m("AM-1", 1, &[]), m("AM-5", 1, &["AM-3"])],
        );
        let r2 = snap(
            "r2",
            "2026-03-01",
            vec![
                m("AM-1", 1, &[]),
                m("AM-4", 1, &[]),
                m("AM-5", 1, &["AM-3"]),
            ],
        );
        let t = Timeline::from_parts(
            &History {
                revisions: vec![r0, r1],
            },
            r2,
        );
        let got: Vec<(&str, &str)> = t
            .withdrawn
            .iter()
            .map(|w| (w.measure.id.as_str(), w.revision.as_str()))
            .collect();
        assert_eq!(got, [("AM-2", "r1")]);
    }
}
