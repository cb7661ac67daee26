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
