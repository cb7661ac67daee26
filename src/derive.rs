//! Stage 3: facts derived from the model that several outputs share: crosswalk coverage and
//! indexes from framework items back to measures.

use crate::model::{Baseline, Crosswalk, CrosswalkRow, Framework, Relation};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// How much of a framework a crosswalk speaks to, counted over its mappable items.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub leaf_kind: String,
    pub leaves: usize,
    /// Items with at least one row other than `not-related`.
    pub related: usize,
    /// Items whose only rows assert `not-related` (and with no `[[not_covered]]` note).
    pub asserted_unrelated: usize,
    /// Items with a `[[not_covered]]` note and no related row: known gaps of the baseline.
    pub not_covered: usize,
    /// Items nothing mentions: no row, no note.
    pub unmapped: usize,
    /// Rows per relation, in the order of `Relation::ALL`.
    pub by_relation: Vec<(String, usize)>,
    /// Measures with at least one related row.
    pub measures_mapped: usize,
}

pub fn coverage(
    framework: &Framework,
    crosswalk: Option<&Crosswalk>,
    baseline: &Baseline,
) -> Coverage {
    let level = crosswalk.and_then(|c| c.level.as_deref());
    let rows: &[CrosswalkRow] = crosswalk.map_or(&[], |c| &c.rows);
    let mut cov = Coverage {
        leaf_kind: level.map_or_else(|| framework.leaf_kind.clone(), str::to_string),
        ..Default::default()
    };
    let by_item = crosswalk.map(rows_by_item).unwrap_or_default();
    for leaf in framework
        .items
        .iter()
        .filter(|i| framework.is_mappable(i, level))
    {
        cov.leaves += 1;
        let mine = by_item.get(leaf.id.as_str()).map_or(&[][..], Vec::as_slice);
        let noted = crosswalk.is_some_and(|c| c.not_covered_of(&leaf.id).is_some());
        if mine.iter().any(|r| r.relation.is_related()) {
            cov.related += 1;
        } else if noted {
            cov.not_covered += 1;
        } else if mine.is_empty() {
            cov.unmapped += 1;
        } else {
            cov.asserted_unrelated += 1;
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
        .filter(|r| r.relation.is_related())
        .map(|r| r.measure.as_str())
        .collect();
    cov.measures_mapped = baseline
        .measures
        .iter()
        .filter(|m| related.contains(m.id.as_str()))
        .count();
    cov
}

/// How well the measures cover one framework item (the heat map).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemState {
    /// No related measure: a gap (nobody mapped it, its rows are `not-related`, the crosswalk
    /// notes it as not covered, or its measures are filtered out).
    None,
    /// Only `subset-of` or `intersects-with` rows: each measure covers part of the item.
    Partial,
    /// Some measure is `equal` to the item or a `superset-of` it.
    Full,
}

impl ItemState {
    /// One letter, for compact data attributes in pages.
    pub fn letter(self) -> char {
        match self {
            ItemState::Full => 'f',
            ItemState::Partial => 'p',
            ItemState::None => 'n',
        }
    }

    /// What one row says about the item it maps to.
    fn of_relation(r: Relation) -> ItemState {
        match r {
            Relation::Equal | Relation::SupersetOf => ItemState::Full,
            Relation::SubsetOf | Relation::IntersectsWith => ItemState::Partial,
            Relation::NotRelated => ItemState::None,
        }
    }
}

/// The state of one item from its rows, counting the measures `admitted` accepts. The best
/// row wins, so the state does not depend on the order of the rows.
pub fn item_state<'r>(
    rows: impl IntoIterator<Item = &'r CrosswalkRow>,
    admitted: impl Fn(&str) -> bool,
) -> ItemState {
    rows.into_iter()
        .filter(|r| admitted(&r.measure))
        .map(|r| ItemState::of_relation(r.relation))
        .max()
        .unwrap_or(ItemState::None)
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
    let admitted: HashSet<&str> = baseline
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
            let mine = by_item.get(item.id.as_str()).into_iter().flatten();
            let state = item_state(mine.copied(), |m| admitted.contains(m));
            (item.id.as_str(), state)
        })
        .collect()
}

/// Where a measure stands for an operator who already follows a framework ("Already following
/// X?"), as defined in docs/content-format.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credit {
    /// An `equal` or `subset-of` row and no "what remains": meeting the item meets the measure.
    LikelyMet,
    /// Related rows and a "what remains": meeting the framework meets part of the measure.
    PartlyMet,
    /// Rows exist, all `not-related`: the framework does not address the measure.
    NotAddressed,
    /// No row at all (only in a crosswalk that is not comprehensive): nobody has looked yet.
    NotMapped,
}

impl Credit {
    pub const ALL: [Credit; 4] = [
        Credit::LikelyMet,
        Credit::PartlyMet,
        Credit::NotAddressed,
        Credit::NotMapped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Credit::LikelyMet => "likely-met",
            Credit::PartlyMet => "partly-met",
            Credit::NotAddressed => "not-addressed",
            Credit::NotMapped => "not-mapped",
        }
    }

    /// The interface-string key of its name (`likely_met`, ...); `<key>_help` explains it.
    pub fn key(self) -> &'static str {
        match self {
            Credit::LikelyMet => "likely_met",
            Credit::PartlyMet => "partly_met",
            Credit::NotAddressed => "not_addressed",
            Credit::NotMapped => "not_mapped",
        }
    }
}

/// The credit of a measure from its rows in one crosswalk and whether the crosswalk says what
/// remains for it. A measure with related rows but neither a meeting row nor a "what remains"
/// is an error of `kijun check`; it counts as partly met here.
pub fn credit_of<'r>(
    rows: impl IntoIterator<Item = &'r CrosswalkRow>,
    has_remains: bool,
) -> Credit {
    let (mut any, mut related, mut meets) = (false, false, false);
    for r in rows {
        any = true;
        related |= r.relation.is_related();
        meets |= r.relation.meets_measure();
    }
    match (any, related) {
        (false, _) => Credit::NotMapped,
        (true, false) => Credit::NotAddressed,
        (true, true) if meets && !has_remains => Credit::LikelyMet,
        (true, true) => Credit::PartlyMet,
    }
}

pub fn credit(crosswalk: Option<&Crosswalk>, measure: &str) -> Credit {
    match crosswalk {
        Some(c) => credit_of(c.rows_of(measure), c.remains_of(measure).is_some()),
        None => Credit::NotMapped,
    }
}

/// What `measure` asks beyond the framework, in `lang` (default language if missing).
pub fn remains_text<'c>(
    crosswalk: Option<&'c Crosswalk>,
    measure: &str,
    lang: &str,
    default_lang: &str,
) -> Option<&'c str> {
    let note = crosswalk?.remains_of(measure)?;
    note_text(note, lang, default_lang)
}

/// A note's text in `lang`, falling back to the default language; `None` when empty.
pub fn note_text<'c>(
    note: &'c crate::model::crosswalk::CrosswalkNote,
    lang: &str,
    default_lang: &str,
) -> Option<&'c str> {
    [lang, default_lang]
        .iter()
        .filter_map(|l| note.text.get(*l))
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
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
            .filter(|(_, r)| r.relation.is_related())
            .map(|(_, r)| r.item.clone()),
    );
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::crosswalk::Rationale;

    fn row(measure: &str, item: &str, relation: Relation) -> CrosswalkRow {
        CrosswalkRow {
            measure: measure.into(),
            item: item.into(),
            relation,
            rationale: Rationale::Semantic,
            strength: None,
            justification: BTreeMap::new(),
            offset: 0,
        }
    }

    /// `rows` in every order (Heap's algorithm; a handful of rows at most).
    fn orders(rows: &[CrosswalkRow]) -> Vec<Vec<&CrosswalkRow>> {
        fn permute<'r>(
            k: usize,
            v: &mut Vec<&'r CrosswalkRow>,
            out: &mut Vec<Vec<&'r CrosswalkRow>>,
        ) {
            if k <= 1 {
                out.push(v.clone());
                return;
            }
            for i in 0..k {
                permute(k - 1, v, out);
                v.swap(if k.is_multiple_of(2) { i } else { 0 }, k - 1);
            }
        }
        let mut v: Vec<&CrosswalkRow> = rows.iter().collect();
        let mut out = vec![];
        permute(v.len(), &mut v, &mut out);
        out
    }

    use Relation::*;

    #[test]
    fn item_state_is_the_best_row_in_every_order() {
        let cases: &[(&[Relation], ItemState)] = &[
            (&[], ItemState::None),
            (&[NotRelated], ItemState::None),
            (&[SubsetOf], ItemState::Partial),
            (&[IntersectsWith], ItemState::Partial),
            (&[Equal], ItemState::Full),
            (&[SupersetOf], ItemState::Full),
            (&[Equal, SubsetOf], ItemState::Full),
            (&[SupersetOf, IntersectsWith, NotRelated], ItemState::Full),
            (&[SubsetOf, NotRelated, IntersectsWith], ItemState::Partial),
            (
                &[Equal, SubsetOf, IntersectsWith, NotRelated],
                ItemState::Full,
            ),
        ];
        for (relations, want) in cases {
            let rows: Vec<CrosswalkRow> = relations
                .iter()
                .enumerate()
                .map(|(i, r)| row(&format!("M-{i}"), "T-1", *r))
                .collect();
            for order in orders(&rows) {
                let got = item_state(order.iter().copied(), |_| true);
                assert_eq!(got, *want, "{relations:?} in order {order:?}");
            }
        }
    }

    #[test]
    fn an_equal_row_of_a_filtered_out_measure_does_not_count() {
        let rows = [row("M-1", "T-1", Equal), row("M-2", "T-1", SubsetOf)];
        for order in orders(&rows) {
            let state = item_state(order.iter().copied(), |m| m == "M-2");
            assert_eq!(state, ItemState::Partial);
            assert_eq!(
                item_state(order.iter().copied(), |_| false),
                ItemState::None
            );
        }
    }

    #[test]
    fn credit_has_four_states_in_every_order() {
        let cases: &[(&[Relation], bool, Credit)] = &[
            (&[], false, Credit::NotMapped),
            (&[], true, Credit::NotMapped),
            (&[NotRelated], true, Credit::NotAddressed),
            (&[NotRelated, NotRelated], false, Credit::NotAddressed),
            (&[Equal], false, Credit::LikelyMet),
            (&[SubsetOf], false, Credit::LikelyMet),
            (&[SubsetOf, NotRelated], false, Credit::LikelyMet),
            (&[SubsetOf, IntersectsWith], false, Credit::LikelyMet),
            // A "what remains" says the framework leaves something of the measure undone.
            (&[Equal], true, Credit::PartlyMet),
            (&[SubsetOf, IntersectsWith], true, Credit::PartlyMet),
            (&[IntersectsWith], true, Credit::PartlyMet),
            (&[SupersetOf, NotRelated], true, Credit::PartlyMet),
            // Missing "what remains" is a check error; never shown as likely met.
            (&[IntersectsWith], false, Credit::PartlyMet),
        ];
        for (relations, remains, want) in cases {
            let rows: Vec<CrosswalkRow> = relations
                .iter()
                .enumerate()
                .map(|(i, r)| row("AC-6", &format!("T-{i}"), *r))
                .collect();
            for order in orders(&rows) {
                let got = credit_of(order.iter().copied(), *remains);
                assert_eq!(
                    got, *want,
                    "{relations:?} remains={remains} order {order:?}"
                );
            }
        }
    }

    #[test]
    fn orders_are_all_permutations() {
        let rows: Vec<CrosswalkRow> = (0..4).map(|i| row(&format!("M-{i}"), "T", Equal)).collect();
        let seen: HashSet<Vec<&str>> = orders(&rows)
            .iter()
            .map(|o| o.iter().map(|r| r.measure.as_str()).collect())
            .collect();
        assert_eq!(seen.len(), 24);
    }

    #[test]
    fn credit_names_and_keys_are_distinct() {
        let names: HashSet<&str> = Credit::ALL.iter().map(|c| c.as_str()).collect();
        let keys: HashSet<&str> = Credit::ALL.iter().map(|c| c.key()).collect();
        assert_eq!((names.len(), keys.len()), (4, 4));
        assert_eq!(Credit::NotMapped.as_str(), "not-mapped");
    }

    // --- Figures and lookups on a loaded baseline (tests/fixtures/mini: AM-1 `equal` T-1,
    // AC-1 `subset-of` T-2, AM-2 `not-related` T-3 with a "what remains", T-4 unmapped). ---

    fn mini() -> Baseline {
        let opts = crate::site::SiteOptions {
            root: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
            drafts: false,
            base_url: None,
            live_reload: false,
        };
        match crate::site::load_baseline(&opts) {
            Ok((b, _, _)) => b,
            Err(d) => panic!("tests/fixtures/mini does not load: {d:?}"),
        }
    }

    fn framework_and_crosswalk(b: &Baseline) -> (&Framework, &Crosswalk) {
        let fw = b.frameworks.iter().find(|f| f.id == "test-fw").unwrap();
        let cw = b
            .crosswalks
            .iter()
            .find(|c| c.framework == "test-fw")
            .unwrap();
        (fw, cw)
    }

    /// A `[[not_covered]]` note for `item`, with the shape the loader gives.
    fn not_covered(cw: &Crosswalk, item: &str) -> crate::model::crosswalk::CrosswalkNote {
        let mut note = cw.remains[0].clone();
        note.subject = item.into();
        note
    }

    fn counts(c: &Coverage) -> [usize; 6] {
        [
            c.leaves,
            c.related,
            c.asserted_unrelated,
            c.not_covered,
            c.unmapped,
            c.measures_mapped,
        ]
    }

    #[test]
    fn coverage_counts_each_item_once_by_what_its_rows_say() {
        let b = mini();
        let (fw, cw) = framework_and_crosswalk(&b);
        let cov = coverage(fw, Some(cw), &b);
        assert_eq!(cov.leaf_kind, "control");
        // leaves, related (T-1, T-2), asserted unrelated (T-3), not covered, unmapped (T-4),
        // measures with a related row (AM-1, AC-1; AM-2's row is not-related).
        assert_eq!(counts(&cov), [4, 2, 1, 0, 1, 2]);
        let by_relation: Vec<(&str, usize)> = cov
            .by_relation
            .iter()
            .map(|(r, n)| (r.as_str(), *n))
            .collect();
        let want: Vec<(&str, usize)> = Relation::ALL
            .iter()
            .map(|r| {
                let n = match r {
                    Equal | SubsetOf | NotRelated => 1,
                    SupersetOf | IntersectsWith => 0,
                };
                (r.as_str(), n)
            })
            .collect();
        assert_eq!(by_relation, want);
    }

    #[test]
    fn a_not_covered_note_makes_a_gap_unless_a_row_relates_the_item() {
        let b = mini();
        let (fw, cw) = framework_and_crosswalk(&b);
        let mut noted = cw.clone();
        // T-4 (no row), T-3 (only a not-related row) and T-1 (an equal row) get a note.
        for item in ["T-4", "T-3", "T-1"] {
            noted.not_covered.push(not_covered(cw, item));
        }
        let cov = coverage(fw, Some(&noted), &b);
        assert_eq!(counts(&cov), [4, 2, 0, 2, 0, 2]);
    }

    #[test]
    fn without_a_crosswalk_every_item_is_unmapped() {
        let b = mini();
        let (fw, _) = framework_and_crosswalk(&b);
        let cov = coverage(fw, None, &b);
        assert_eq!(cov.leaf_kind, fw.leaf_kind);
        assert_eq!(counts(&cov), [4, 0, 0, 0, 4, 0]);
        assert!(cov.by_relation.iter().all(|(_, n)| *n == 0));
        assert_eq!(cov.by_relation.len(), Relation::ALL.len());
    }

    #[test]
    fn item_states_follow_the_rows_and_the_filter() {
        let b = mini();
        let (fw, cw) = framework_and_crosswalk(&b);
        let all = item_states(fw, Some(cw), &b, &MeasureFilter::ALL);
        let want = BTreeMap::from([
            ("T-1", ItemState::Full),
            ("T-2", ItemState::Partial),
            ("T-3", ItemState::None),
            ("T-4", ItemState::None),
        ]);
        assert_eq!(all, want);
        let nothing = MeasureFilter {
            max_level: 0,
            required_only: false,
        };
        let none = item_states(fw, Some(cw), &b, &nothing);
        assert_eq!(none.len(), 4);
        assert!(none.values().all(|s| *s == ItemState::None), "{none:?}");
    }

    #[test]
    fn item_state_letters() {
        let letters: Vec<char> = [ItemState::Full, ItemState::Partial, ItemState::None]
            .iter()
            .map(|s| s.letter())
            .collect();
        assert_eq!(letters, ['f', 'p', 'n']);
    }

    #[test]
    fn filter_choices_have_stable_keys() {
        let got: Vec<(String, u8, bool)> = MeasureFilter::choices()
            .into_iter()
            .map(|(k, f)| (k, f.max_level, f.required_only))
            .collect();
        let want: Vec<(String, u8, bool)> = [
            ("a1", 1, false),
            ("a2", 2, false),
            ("a3", 3, false),
            ("r1", 1, true),
            ("r2", 2, true),
            ("r3", 3, true),
        ]
        .iter()
        .map(|(k, l, r)| (k.to_string(), *l, *r))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_filter_admits_measures_up_to_its_level_and_obligation() {
        use crate::model::Obligation::{Recommended, Required};
        let b = mini();
        let mut m = b.measures[0].clone();
        for level in 1..=3u8 {
            for obligation in [Required, Recommended] {
                m.level = level;
                m.obligation = obligation;
                for (key, f) in MeasureFilter::choices() {
                    let want = level <= f.max_level && (!f.required_only || obligation == Required);
                    assert_eq!(f.admits(&m), want, "{key} Lv.{level} {obligation:?}");
                }
            }
        }
    }

    #[test]
    fn credit_names_and_keys() {
        let got: Vec<(&str, &str)> = Credit::ALL.iter().map(|c| (c.as_str(), c.key())).collect();
        assert_eq!(
            got,
            [
                ("likely-met", "likely_met"),
                ("partly-met", "partly_met"),
                ("not-addressed", "not_addressed"),
                ("not-mapped", "not_mapped"),
            ]
        );
    }

    #[test]
    fn credit_reads_the_rows_and_the_remains_of_the_crosswalk() {
        let b = mini();
        let (_, cw) = framework_and_crosswalk(&b);
        assert_eq!(credit(Some(cw), "AM-1"), Credit::LikelyMet);
        assert_eq!(credit(Some(cw), "AC-1"), Credit::LikelyMet);
        assert_eq!(credit(Some(cw), "AM-2"), Credit::NotAddressed);
        assert_eq!(credit(Some(cw), "ZZ-9"), Credit::NotMapped);
        assert_eq!(credit(None, "AM-1"), Credit::NotMapped);
        let mut remains = cw.clone();
        let mut note = cw.remains[0].clone();
        note.subject = "AM-1".into();
        remains.remains.push(note);
        assert_eq!(credit(Some(&remains), "AM-1"), Credit::PartlyMet);
    }

    #[test]
    fn remains_text_in_the_language_asked_or_the_default() {
        let b = mini();
        let (_, cw) = framework_and_crosswalk(&b);
        let en = remains_text(Some(cw), "AM-2", "en", "ja").unwrap();
        assert!(
            en.starts_with("TFW does not address physical protection"),
            "{en}"
        );
        let ja = remains_text(Some(cw), "AM-2", "ja", "ja").unwrap();
        assert!(ja.starts_with("TFWは物理的な保護を扱わない。"), "{ja}");
        assert_eq!(remains_text(Some(cw), "AM-2", "fr", "ja"), Some(ja));
        assert_eq!(remains_text(Some(cw), "AM-1", "en", "ja"), None);
        assert_eq!(remains_text(None, "AM-2", "en", "ja"), None);
    }

    #[test]
    fn note_text_trims_and_skips_empty_texts() {
        let b = mini();
        let (_, cw) = framework_and_crosswalk(&b);
        let mut note = cw.remains[0].clone();
        note.text = BTreeMap::from([("en".into(), "  ".into()), ("ja".into(), " 日本語 ".into())]);
        assert_eq!(note_text(&note, "en", "ja"), Some("日本語"));
        assert_eq!(note_text(&note, "ja", "en"), Some("日本語"));
        note.text.insert("en".into(), " English\n".into());
        assert_eq!(note_text(&note, "en", "ja"), Some("English"));
        note.text = BTreeMap::from([("en".into(), String::new()), ("ja".into(), " ".into())]);
        assert_eq!(note_text(&note, "en", "ja"), None);
    }

    #[test]
    fn rows_by_item_groups_every_row_under_its_item() {
        let mut b = mini();
        let cw = b
            .crosswalks
            .iter_mut()
            .find(|c| c.framework == "test-fw")
            .unwrap();
        cw.rows.push(row("AM-2", "T-1", SubsetOf));
        let got: Vec<(&str, Vec<&str>)> = rows_by_item(cw)
            .into_iter()
            .map(|(item, rows)| (item, rows.iter().map(|r| r.measure.as_str()).collect()))
            .collect();
        assert_eq!(
            got,
            [
                ("T-1", vec!["AM-1", "AM-2"]),
                ("T-2", vec!["AC-1"]),
                ("T-3", vec!["AM-2"]),
            ]
        );
    }

    #[test]
    fn search_keywords_are_the_id_the_replaced_ids_and_related_items() {
        let mut b = mini();
        assert_eq!(measure_keywords(&b, "AM-1"), ["AM-1", "T-1"]);
        // AM-2's only row is not-related: the item is no keyword.
        assert_eq!(measure_keywords(&b, "AM-2"), ["AM-2"]);
        let ac1 = b.measures.iter_mut().find(|m| m.id == "AC-1").unwrap();
        ac1.replaces = vec!["AC-0".into()];
        assert_eq!(measure_keywords(&b, "AC-1"), ["AC-1", "AC-0", "T-2"]);
    }
}
