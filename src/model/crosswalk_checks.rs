//! The rules a crosswalk must keep beyond valid references (docs/content-format.md, "Checks"):
//! no claim without a review, a "what remains" for every measure that is not likely met, and
//! relations that do not contradict each other or the notes.
//!
//! Runs on a loaded crosswalk, whose rows already point at known measures and items.

use super::crosswalk::{Crosswalk, CrosswalkContext, CrosswalkNote, Framework};
use crate::diagnostics::{Diagnostic, SourceText, did_you_mean};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Every rule, in the order a reader meets them in the file.
pub fn check(
    cw: &Crosswalk,
    fw: &Framework,
    ctx: &CrosswalkContext,
    src: &SourceText,
    diags: &mut Vec<Diagnostic>,
) {
    let remains = note_subjects(&cw.remains, "remains", "measure", src, diags);
    let not_covered = note_subjects(&cw.not_covered, "not_covered", "item", src, diags);
    empty_texts(cw, ctx.languages, src, diags);
    unknown_measures(&cw.remains, ctx.measure_ids, src, diags);
    unknown_items(cw, fw, src, diags);
    every_measure_mapped(cw, fw, ctx.measure_ids, src, diags);
    remains_where_needed(cw, fw, &remains, src, diags);
    split_measures(cw, fw, src, diags);
    noted_items_unrelated(cw, &not_covered, src, diags);
}

/// The first note per subject; a second one is an error at the second.
fn note_subjects<'c>(
    notes: &'c [CrosswalkNote],
    table: &str,
    what: &str,
    src: &SourceText,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<&'c str, &'c CrosswalkNote> {
    let mut first: HashMap<&str, &CrosswalkNote> = HashMap::new();
    for note in notes {
        if let Some(prev) = first.get(note.subject.as_str()) {
            diags.push(
                src.error(
                    note.offset,
                    format!(
                        "a second [[{table}]] for {what} `{}` (first at line {})",
                        note.subject,
                        src.pos(prev.offset).line
                    ),
                )
                .with_help(format!("keep one [[{table}]] per {what}: merge the texts")),
            );
        } else {
            first.insert(&note.subject, note);
        }
    }
    first
}

fn empty_texts(
    cw: &Crosswalk,
    languages: &[String],
    src: &SourceText,
    diags: &mut Vec<Diagnostic>,
) {
    let tables = [("remains", &cw.remains), ("not_covered", &cw.not_covered)];
    for (table, notes) in tables {
        for note in notes {
            for lang in languages {
                let text = note.text.get(lang).map_or("", |t| t.trim());
                if !text.is_empty() {
                    continue;
                }
                let at = note.text_offsets.get(lang).copied().unwrap_or(note.offset);
                diags.push(
                    src.error(
                        at,
                        format!("[[{table}]] for `{}` has no `{lang}` text", note.subject),
                    )
                    .with_help(format!(
                        "write {lang} = \"...\": one or two sentences ({})",
                        if table == "remains" {
                            "what the framework asks, and what this baseline also requires"
                        } else {
                            "why no measure of this baseline covers the item"
                        }
                    )),
                );
            }
        }
    }
}

fn unknown_measures(
    remains: &[CrosswalkNote],
    measure_ids: &[String],
    src: &SourceText,
    diags: &mut Vec<Diagnostic>,
) {
    let known: HashSet<&str> = measure_ids.iter().map(String::as_str).collect();
    for note in remains
        .iter()
        .filter(|n| !known.contains(n.subject.as_str()))
    {
        let hint = did_you_mean(&note.subject, measure_ids.iter().map(String::as_str));
        diags.push(
            src.error(
                note.subject_offset,
                format!("[[remains]] for unknown measure `{}`", note.subject),
            )
            .with_help(hint.unwrap_or_else(|| "check the measure id in content/measures/".into())),
        );
    }
}

/// `[[not_covered]]` names an item of the framework, of the level the rows map to.
fn unknown_items(cw: &Crosswalk, fw: &Framework, src: &SourceText, diags: &mut Vec<Diagnostic>) {
    let level = cw.level.as_deref();
    for note in &cw.not_covered {
        let d = match fw.item(&note.subject) {
            None => src
                .error(
                    note.subject_offset,
                    format!(
                        "[[not_covered]] for `{}`, not an item of {}",
                        note.subject, fw.id
                    ),
                )
                .with_help(
                    did_you_mean(&note.subject, fw.items.iter().map(|i| i.id.as_str()))
                        .unwrap_or_else(|| format!("use an id from {}", fw.source)),
                ),
            Some(item) if !fw.is_mappable(item, level) => src
                .error(
                    note.subject_offset,
                    format!(
                        "[[not_covered]] for `{}`, a {}: rows of this crosswalk map to {} items",
                        note.subject,
                        item.kind,
                        level.unwrap_or(&fw.leaf_kind)
                    ),
                )
                .with_help(format!("name the items under {} instead", note.subject)),
            Some(_) => continue,
        };
        diags.push(d);
    }
}

/// No claim without a review: a comprehensive crosswalk has a row for every measure.
fn every_measure_mapped(
    cw: &Crosswalk,
    fw: &Framework,
    measure_ids: &[String],
    src: &SourceText,
    diags: &mut Vec<Diagnostic>,
) {
    if !cw.comprehensive {
        return;
    }
    for id in measure_ids {
        if cw.rows_of(id).next().is_none() {
            diags.push(
                src.error(
                    cw.offset,
                    format!(
                        "measure `{id}` has no row, but this crosswalk to {} declares comprehensive = true",
                        fw.short_name()
                    ),
                )
                .with_help(format!(
                    "review {id} against {}: add its [[row]]s (not-related ones if nothing relates) and a [[remains]], or set comprehensive = false",
                    fw.short_name()
                )),
            );
        }
    }
}

/// A measure with rows but no `equal`/`subset-of` row needs a "what remains" (error); one with
/// such a row must not have one (warning: the two contradict).
fn remains_where_needed(
    cw: &Crosswalk,
    fw: &Framework,
    remains: &HashMap<&str, &CrosswalkNote>,
    src: &SourceText,
    diags: &mut Vec<Diagnostic>,
) {
    let mut first_row: BTreeMap<&str, usize> = BTreeMap::new();
    let mut meets: HashSet<&str> = HashSet::new();
    for row in &cw.rows {
        first_row.entry(&row.measure).or_insert(row.offset);
        if row.relation.meets_measure() {
            meets.insert(&row.measure);
        }
    }
    let mut missing: Vec<(usize, &str)> = first_row
        .iter()
        .filter(|(m, _)| !meets.contains(*m) && !remains.contains_key(*m))
        .map(|(m, at)| (*at, *m))
        .collect();
    missing.sort();
    for (at, measure) in missing {
        diags.push(
            src.error(
                at,
                format!(
                    "measure `{measure}` is not likely met by {} (no equal or subset-of row) and has no [[remains]]",
                    fw.short_name()
                ),
            )
            .with_help(format!(
                "add [[remains]] measure = \"{measure}\" with ja and en: what {} asks, and what this baseline also requires",
                fw.short_name()
            )),
        );
    }
    for note in &cw.remains {
        if meets.contains(note.subject.as_str()) {
            diags.push(
                src.warning(
                    note.offset,
                    format!(
                        "[[remains]] for `{}`, which has an equal or subset-of row: the two contradict",
                        note.subject
                    ),
                )
                .with_help("if something of the measure lies outside the item, the relation is intersects-with or superset-of; otherwise remove the [[remains]]"),
            );
        }
    }
}

/// A measure split across items is a subset of none of them.
fn split_measures(cw: &Crosswalk, fw: &Framework, src: &SourceText, diags: &mut Vec<Diagnostic>) {
    let mut first_item: HashMap<&str, &str> = HashMap::new();
    for row in cw.rows.iter().filter(|r| r.relation.meets_measure()) {
        match first_item.get(row.measure.as_str()) {
            None => {
                first_item.insert(&row.measure, &row.item);
            }
            Some(first) if *first != row.item => diags.push(
                src.warning(
                    row.offset,
                    format!(
                        "measure `{}` is equal to or a subset of both `{first}` and `{}` of {}",
                        row.measure,
                        row.item,
                        fw.short_name()
                    ),
                )
                .with_help("a measure split across items is a subset of neither: use intersects-with and [[remains]]"),
            ),
            Some(_) => {}
        }
    }
}

fn noted_items_unrelated(
    cw: &Crosswalk,
    not_covered: &HashMap<&str, &CrosswalkNote>,
    src: &SourceText,
    diags: &mut Vec<Diagnostic>,
) {
    let related: HashMap<&str, &str> = cw
        .rows
        .iter()
        .filter(|r| r.relation.is_related())
        .map(|r| (r.item.as_str(), r.measure.as_str()))
        .rev() // the first related row wins
        .collect();
    for note in &cw.not_covered {
        let first_of_item = not_covered.get(note.subject.as_str()).map(|n| n.offset);
        if first_of_item != Some(note.offset) {
            continue; // the duplicate is already an error
        }
        if let Some(measure) = related.get(note.subject.as_str()) {
            diags.push(
                src.warning(
                    note.offset,
                    format!(
                        "[[not_covered]] for `{}`, which measure `{measure}` is related to",
                        note.subject
                    ),
                )
                .with_help("remove the note, or make the row not-related if the measure does not cover the item"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::crosswalk::{load_crosswalk, load_framework};
    use super::*;
    use crate::load::DataFile;
    use std::sync::Arc;

    const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini/content/");

    fn data_file(rel: &str, text: String) -> DataFile {
        DataFile {
            src: Arc::new(SourceText::named(format!("content/{rel}"), text)),
            rel: rel.into(),
        }
    }

    /// The messages `kijun check` gives for the mini fixture's crosswalk (AM-1 `equal` T-1,
    /// AC-1 `subset-of` T-2, AM-2 `not-related` T-3 with a [[remains]]) with `edit` applied.
    fn messages(edit: impl Fn(String) -> String) -> Vec<String> {
        let read = |rel: &str| std::fs::read_to_string(format!("{MINI}{rel}")).unwrap();
        let mut diags = vec![];
        let fw_file = data_file("frameworks/test-fw.toml", read("frameworks/test-fw.toml"));
        let fw = load_framework(&fw_file, &mut diags).unwrap();
        let text = edit(read("crosswalks/test-fw.toml"));
        let ids = ["AC-1", "AM-1", "AM-2"].map(String::from);
        let languages = ["ja", "en"].map(String::from);
        let ctx = CrosswalkContext {
            frameworks: std::slice::from_ref(&fw),
            measure_ids: &ids,
            languages: &languages,
            failed_frameworks: &[],
        };
        load_crosswalk(
            &data_file("crosswalks/test-fw.toml", text),
            &ctx,
            &mut diags,
        );
        diags.into_iter().map(|d| d.message).collect()
    }

    fn with(extra: &str) -> impl Fn(String) -> String {
        move |text| format!("{text}\n{extra}")
    }

    const REMAINS_AM2: &str =
        "[[remains]]\nmeasure = \"AM-2\"\nja = \"二つ目。\"\nen = \"Second.\"\n";

    #[test]
    fn the_fixture_crosswalk_keeps_every_rule() {
        assert_eq!(messages(|t| t), Vec::<String>::new());
    }

    #[test]
    fn a_second_note_for_the_same_subject_is_an_error() {
        assert_eq!(
            messages(with(REMAINS_AM2)),
            ["a second [[remains]] for measure `AM-2` (first at line 33)"]
        );
    }

    #[test]
    fn a_note_needs_a_text_in_every_language() {
        let got = messages(|t| t.replace("en = \"TFW does not", "en = \"  \" # TFW does not"));
        assert_eq!(got, ["[[remains]] for `AM-2` has no `en` text"]);
    }

    #[test]
    fn a_remains_for_an_unknown_measure_is_an_error() {
        let got = messages(with(&REMAINS_AM2.replace("AM-2", "AM-9")));
        assert_eq!(got, ["[[remains]] for unknown measure `AM-9`"]);
    }

    #[test]
    fn not_covered_names_an_item_of_the_mapped_level() {
        let note = |item: &str| {
            format!("[[not_covered]]\nitem = \"{item}\"\nja = \"理由。\"\nen = \"Why.\"\n")
        };
        assert_eq!(messages(with(&note("T-4"))), Vec::<String>::new());
        assert_eq!(
            messages(with(&note("T-9"))),
            ["[[not_covered]] for `T-9`, not an item of test-fw"]
        );
        assert_eq!(
            messages(with(&note("T"))),
            ["[[not_covered]] for `T`, a function: rows of this crosswalk map to control items"]
        );
    }

    #[test]
    fn a_comprehensive_crosswalk_has_a_row_for_every_measure() {
        // AC-1's row becomes an intersects-with row of AM-1: AC-1 has none left.
        let drop_ac1 = |t: String| {
            t.replace(
                "measure = \"AC-1\"\nitem = \"T-2\"\nrelation = \"subset-of\"",
                "measure = \"AM-1\"\nitem = \"T-2\"\nrelation = \"intersects-with\"",
            )
        };
        assert_eq!(messages(drop_ac1), Vec::<String>::new());
        let comprehensive =
            |t: String| drop_ac1(t).replace("comprehensive = false", "comprehensive = true");
        assert_eq!(
            messages(comprehensive),
            ["measure `AC-1` has no row, but this crosswalk to TFW declares comprehensive = true"]
        );
    }

    #[test]
    fn what_remains_is_needed_exactly_where_the_measure_is_not_likely_met() {
        let no_remains = |t: String| t.replace("measure = \"AM-2\"\nja", "measure = \"AM-1\"\nja");
        assert_eq!(
            messages(no_remains),
            [
                "measure `AM-2` is not likely met by TFW (no equal or subset-of row) and has no [[remains]]",
                "[[remains]] for `AM-1`, which has an equal or subset-of row: the two contradict",
            ]
        );
    }

    #[test]
    fn a_measure_equal_to_two_items_is_split() {
        let split = |t: String| t.replace("measure = \"AC-1\"", "measure = \"AM-1\"");
        assert_eq!(
            messages(split),
            ["measure `AM-1` is equal to or a subset of both `T-1` and `T-2` of TFW"]
        );
        // Two meeting rows on the same item split nothing.
        let row = "[[row]]\nmeasure = \"AM-1\"\nitem = \"T-1\"\nrelation = \"subset-of\"\nrationale = \"semantic\"\njustification.ja = \"同じ。\"\njustification.en = \"Same.\"\n";
        let twice = messages(|t| t.replace("[[remains]]", &format!("{row}\n[[remains]]")));
        assert!(!twice.iter().any(|m| m.contains("both")), "{twice:?}");
    }

    #[test]
    fn a_not_covered_item_with_a_related_row_is_a_contradiction_once() {
        let note = "[[not_covered]]\nitem = \"T-1\"\nja = \"理由。\"\nen = \"Why.\"\n";
        assert_eq!(
            messages(with(note)),
            ["[[not_covered]] for `T-1`, which measure `AM-1` is related to"]
        );
        let got = messages(with(&format!("{note}\n{note}")));
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("a second [[not_covered]] for item `T-1`"),
            "{got:?}"
        );
        assert_eq!(
            got[1],
            "[[not_covered]] for `T-1`, which measure `AM-1` is related to"
        );
    }
}
