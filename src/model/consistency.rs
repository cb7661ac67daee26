//! Checks that catch an author's silent mistakes in measures (issue #21): two measures at the
//! same `order` of a category, a `category` that is not the folder the file sits in, and a
//! statement whose wording contradicts its obligation. Also names the successor when a
//! reference uses an id that a measure `replaces`.

use super::front::Obligation;
use crate::diagnostics::Diagnostic;
use crate::load::SourceDoc;
use std::collections::{BTreeMap, HashMap};

/// What the checks need of one measure.
pub struct MeasureView<'a> {
    pub id: &'a str,
    pub category: &'a str,
    pub obligation: Obligation,
    /// None when no file writes `order` (it then defaults to 0 and is not compared).
    pub order: Option<i64>,
    /// Every language file with its statement, default language first.
    pub files: Vec<(&'a SourceDoc, &'a str)>,
}

pub fn check_measures(measures: &[MeasureView], diags: &mut Vec<Diagnostic>) {
    let mut by_place: BTreeMap<(&str, i64), Vec<&MeasureView>> = BTreeMap::new();
    for m in measures {
        if let Some(order) = m.order {
            by_place.entry((m.category, order)).or_default().push(m);
        }
        check_folder(m, diags);
        for (doc, statement) in &m.files {
            if let Some(d) = statement_wording(doc, statement, m.obligation) {
                diags.push(d);
            }
        }
    }
    for ((category, order), same) in by_place {
        let Some((first, rest)) = same.split_first() else {
            continue;
        };
        for m in rest {
            let doc = m.files[0].0;
            diags.push(
                doc.src
                    .error(
                        key_offset(doc, "order"),
                        format!(
                            "{} has order {order}, like {} in category {category}",
                            m.id, first.id
                        ),
                    )
                    .with_help("give each measure of a category its own order; `kijun new measure` picks the next free one"),
            );
        }
    }
}

/// content/measures/<folder>/<id>.<lang>.md: the folder is the category.
fn check_folder(m: &MeasureView, diags: &mut Vec<Diagnostic>) {
    let doc = m.files[0].0;
    let path = doc.src.display_path.replace('\\', "/");
    let folder = path.rsplit('/').nth(1).unwrap_or_default();
    if folder != m.category {
        diags.push(
            doc.src
                .error(
                    key_offset(doc, "category"),
                    format!(
                        "{} has category `{}` but is in the folder measures/{folder}/",
                        m.id, m.category
                    ),
                )
                .with_help(format!(
                    "move the files to content/measures/{}/ or fix `category`; to change a measure's category, use `kijun renumber {} <NEW-ID>`",
                    m.category, m.id
                )),
        );
    }
}

/// A warning when a required measure reads as a recommendation, or the other way round.
fn statement_wording(
    doc: &SourceDoc,
    statement: &str,
    obligation: Obligation,
) -> Option<Diagnostic> {
    let s = statement.trim();
    let problem = match (doc.lang.as_str(), obligation) {
        ("ja", Obligation::Required) if s.ends_with("望ましい。") => {
            "the statement ends 「…望ましい。」, the wording of a recommended measure, but obligation is \"required\""
        }
        ("ja", Obligation::Recommended) if !s.ends_with("望ましい。") => {
            "the statement does not end 「…することが望ましい。」, but obligation is \"recommended\""
        }
        ("en", Obligation::Required) if !has_word(s, "shall") => {
            "the statement does not say \"shall\", but obligation is \"required\""
        }
        ("en", Obligation::Recommended) if has_word(s, "shall") || !has_word(s, "should") => {
            "the statement does not say \"should\" (or says \"shall\"), but obligation is \"recommended\""
        }
        _ => return None,
    };
    let help = match (doc.lang.as_str(), obligation) {
        ("ja", Obligation::Required) => {
            "end a required measure 「…すること。」 (or change obligation to \"recommended\")"
        }
        ("ja", _) => {
            "end a recommended measure 「…することが望ましい。」 (or change obligation to \"required\")"
        }
        (_, Obligation::Required) => {
            "write \"The operator shall ...\" (or change obligation to \"recommended\")"
        }
        _ => "write \"The operator should ...\" (or change obligation to \"required\")",
    };
    Some(
        doc.src
            .warning(key_offset(doc, "statement"), problem)
            .with_help(help),
    )
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// Where `key = ` is written in the front matter (its start when not found).
fn key_offset(doc: &SourceDoc, key: &str) -> usize {
    let front = doc.front_text();
    let mut at = 0;
    for line in front.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            return doc.front.start + at + (line.len() - trimmed.len());
        }
        at += line.len();
    }
    doc.front.start
}

/// A reference to an id that a measure `replaces` is not a typo: say where it went instead of
/// suggesting a look-alike ("LM-2 was renumbered to VM-8").
pub fn name_successors(successors: &HashMap<String, Vec<String>>, diags: &mut [Diagnostic]) {
    if successors.is_empty() {
        return;
    }
    for d in diags.iter_mut() {
        let Some((lead, id, reference)) = unknown_measure(&d.message) else {
            continue;
        };
        let Some(to) = successors.get(id) else {
            continue;
        };
        let (lead, id) = (lead.to_string(), id.to_string());
        let renumbered = format!("{id} was renumbered to {}", to.join(", "));
        if reference {
            d.message = format!("broken reference `measure:{id}`: {renumbered}");
            d.help = Some(format!("write [](measure:{}) instead", to[0]));
        } else {
            d.message = format!("{lead}unknown measure `{id}`: {renumbered}");
            d.help = Some(format!("write \"{}\" instead of \"{id}\"", to[0]));
        }
    }
}

/// The id in "broken reference `measure:X`: …" (a cross-reference, true) or "[lead]unknown
/// measure `X`" (a guideline list, a crosswalk row or a `[[remains]]`, false), with the words
/// before it: the messages of src/markdown.rs, src/model/build.rs, src/model/crosswalk.rs and
/// src/model/crosswalk_checks.rs.
fn unknown_measure(message: &str) -> Option<(&str, &str, bool)> {
    if let Some(rest) = message.strip_prefix("broken reference `measure:") {
        return Some(("", rest.split('`').next()?, true));
    }
    const UNKNOWN: &str = "unknown measure `";
    let at = message.find(UNKNOWN)?;
    let rest = &message[at + UNKNOWN.len()..];
    Some((&message[..at], rest.split('`').next()?, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_measure_ids_are_read_from_both_messages() {
        assert_eq!(
            unknown_measure("broken reference `measure:LM-2`: no measure `LM-2`"),
            Some(("", "LM-2", true))
        );
        assert_eq!(
            unknown_measure("unknown measure `LM-2`"),
            Some(("", "LM-2", false))
        );
        assert_eq!(
            unknown_measure("[[remains]] for unknown measure `LM-2`"),
            Some(("[[remains]] for ", "LM-2", false))
        );
        assert_eq!(unknown_measure("unknown sector `gas`"), None);
    }

    #[test]
    fn words_are_whole() {
        assert!(has_word("The operator shall do it.", "shall"));
        assert!(!has_word("The operator marshalls.", "shall"));
    }
}
