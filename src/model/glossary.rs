//! The bilingual glossary, `content/glossary.toml`.

use super::build::{ID_HELP, valid_id};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::load::DataFile;
use crate::tomlerr::toml_diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub id: String,
    /// The term in each language.
    pub names: BTreeMap<String, String>,
    /// Kana reading, to sort the Japanese glossary in gojūon order.
    pub reading: Option<String>,
    pub definition: BTreeMap<String, String>,
    pub see: Vec<String>,
    /// Other words for the term in each language (abbreviations such as MFA, spelling
    /// variants): search treats the name and these as one (`src/search/synonyms.rs`).
    pub aliases: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default, rename = "term")]
    terms: Vec<Spanned<toml::Table>>,
}

/// Where each term's `id` and `see` entries are written, read in a second pass so that errors
/// point at the value itself rather than at the `[[term]]` header.
#[derive(Deserialize)]
struct GlossarySpans {
    #[serde(default, rename = "term")]
    terms: Vec<TermSpans>,
}

#[derive(Deserialize, Default)]
struct TermSpans {
    id: Option<Spanned<toml::Value>>,
    see: Option<Vec<Spanned<toml::Value>>>,
}

/// Byte offset of entry `index` of term `term`'s `see` list; `fallback` when unknown (the
/// second pass fails only when `see` is not a list, which is reported elsewhere).
fn see_offset(spans: &[TermSpans], term: usize, index: usize, fallback: usize) -> usize {
    spans
        .get(term)
        .and_then(|t| t.see.as_ref())
        .and_then(|see| see.get(index))
        .map_or(fallback, |v| v.span().start)
}

pub fn load_glossary(
    file: &DataFile,
    languages: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Term> {
    let src = &file.src;
    let parsed: GlossaryFile = match toml::from_str(&src.text) {
        Ok(f) => f,
        Err(e) => {
            diags.push(toml_diagnostic(src, 0, &e));
            return vec![];
        }
    };
    let spans: Vec<TermSpans> = toml::from_str::<GlossarySpans>(&src.text)
        .map(|f| f.terms)
        .unwrap_or_default();
    let mut known_keys: Vec<&str> = vec!["id", "reading", "definition", "see", "aliases"];
    known_keys.extend(languages.iter().map(String::as_str));
    let mut terms: Vec<Term> = Vec::new();
    // Term index in the file with the offset of its header, for positions found after the loop.
    let mut term_at: Vec<(usize, usize)> = Vec::new();
    for (index, spanned) in parsed.terms.into_iter().enumerate() {
        let offset = spanned.span().start;
        let table = spanned.into_inner();
        let text = |key: &str| table.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let Some(id) = text("id") else {
            diags.push(
                src.error(offset, "glossary term without `id`")
                    .with_help("add id = \"slug\""),
            );
            continue;
        };
        if !valid_id(&id) {
            let at = spans
                .get(index)
                .and_then(|t| t.id.as_ref())
                .map_or(offset, |v| v.span().start);
            diags.push(
                src.error(at, format!("`{id}` is not a valid glossary id"))
                    .with_help(ID_HELP),
            );
            continue;
        }
        for key in table.keys() {
            if !known_keys.contains(&key.as_str()) {
                let help = did_you_mean(key, known_keys.iter().copied())
                    .unwrap_or_else(|| format!("known keys: {}", known_keys.join(", ")));
                diags.push(
                    src.error(offset, format!("term `{id}`: unknown key `{key}`"))
                        .with_help(help),
                );
            }
        }
        let mut names = BTreeMap::new();
        let mut definition = BTreeMap::new();
        for lang in languages {
            match text(lang) {
                Some(name) => {
                    names.insert(lang.clone(), name);
                }
                None => diags.push(
                    src.error(offset, format!("term `{id}` has no name in `{lang}`"))
                        .with_help(format!("add {lang} = \"...\"")),
                ),
            }
            match table
                .get("definition")
                .and_then(|d| d.get(lang))
                .and_then(|v| v.as_str())
            {
                Some(d) => {
                    definition.insert(lang.clone(), d.to_string());
                }
                None => diags.push(
                    src.error(offset, format!("term `{id}` has no definition in `{lang}`"))
                        .with_help(format!("add definition.{lang} = \"...\"")),
                ),
            }
        }
        let aliases = term_aliases(&table, languages, &id, |msg, help| {
            diags.push(src.error(offset, msg).with_help(help))
        });
        let see = table
            .get("see")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if terms.iter().any(|t| t.id == id) {
            diags.push(src.error(offset, format!("duplicate glossary term `{id}`")));
            continue;
        }
        term_at.push((index, offset));
        terms.push(Term {
            id,
            names,
            reading: text("reading"),
            definition,
            see,
            aliases,
        });
    }
    for (term, &(index, header)) in terms.iter().zip(&term_at) {
        // `see` keeps only the string entries: count the others to find this one's position.
        let strings: Vec<usize> = spans
            .get(index)
            .and_then(|t| t.see.as_ref())
            .map(|see| {
                (0..see.len())
                    .filter(|&i| see[i].get_ref().is_str())
                    .collect()
            })
            .unwrap_or_default();
        for (n, target) in term.see.iter().enumerate() {
            if !terms.iter().any(|t| &t.id == target) {
                let entry = strings.get(n).copied().unwrap_or(usize::MAX);
                let offset = see_offset(&spans, index, entry, header);
                diags.push(src.error(
                    offset,
                    format!("term `{}` refers to unknown term `{target}`", term.id),
                ));
            }
        }
    }
    terms
}

/// `aliases.<lang> = ["...", ...]` of one term; anything else under `aliases` is reported.
fn term_aliases(
    table: &toml::Table,
    languages: &[String],
    id: &str,
    mut error: impl FnMut(String, String),
) -> BTreeMap<String, Vec<String>> {
    let mut aliases = BTreeMap::new();
    let Some(value) = table.get("aliases") else {
        return aliases;
    };
    let example = "aliases.ja = [\"MFA\"] and aliases.en = [\"MFA\"]".to_string();
    let Some(by_lang) = value.as_table() else {
        error(
            format!("term `{id}`: `aliases` must list words per language"),
            example,
        );
        return aliases;
    };
    for (lang, words) in by_lang {
        if !languages.contains(lang) {
            let help = did_you_mean(lang, languages.iter().map(String::as_str))
                .unwrap_or_else(|| format!("languages: {}", languages.join(", ")));
            error(
                format!("term `{id}`: `aliases.{lang}` is not a language of the site"),
                help,
            );
            continue;
        }
        let list: Option<Vec<String>> = words.as_array().and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(|w| w.trim().to_string()))
                .collect()
        });
        match list {
            Some(list) if list.iter().all(|w| !w.is_empty()) => {
                aliases.insert(lang.clone(), list);
            }
            _ => error(
                format!("term `{id}`: `aliases.{lang}` must be a list of non-empty strings"),
                example.clone(),
            ),
        }
    }
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;
    use std::sync::Arc;

    fn load(toml: &str) -> (Vec<Term>, Vec<Diagnostic>) {
        let file = DataFile {
            src: Arc::new(SourceText::named("content/glossary.toml", toml)),
            rel: "glossary.toml".into(),
        };
        let mut diags = Vec::new();
        let langs = ["ja".to_string(), "en".to_string()];
        (load_glossary(&file, &langs, &mut diags), diags)
    }

    const TERM: &str = "[[term]]\nid = \"mfa\"\nja = \"多要素認証\"\nen = \"Multi-factor authentication\"\n\
        definition.ja = \"定義\"\ndefinition.en = \"Definition\"\n";

    #[test]
    fn aliases_per_language() {
        let (terms, diags) = load(&format!(
            "{TERM}aliases.ja = [\"MFA\", \" 二要素認証 \"]\naliases.en = [\"MFA\"]\n"
        ));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(terms[0].aliases["ja"], ["MFA", "二要素認証"]);
        assert_eq!(terms[0].aliases["en"], ["MFA"]);
        let (terms, _) = load(TERM);
        assert!(terms[0].aliases.is_empty());
    }

    #[test]
    fn bad_aliases_are_errors_naming_the_term() {
        for (bad, says) in [
            ("aliases = \"MFA\"", "must list words per language"),
            ("aliases.jp = [\"MFA\"]", "`aliases.jp` is not a language"),
            (
                "aliases.ja = \"MFA\"",
                "must be a list of non-empty strings",
            ),
            ("aliases.ja = [\"\"]", "must be a list of non-empty strings"),
            ("aliases.en = [1]", "must be a list of non-empty strings"),
        ] {
            let (_, diags) = load(&format!("{TERM}{bad}\n"));
            assert_eq!(diags.len(), 1, "{bad}: {diags:?}");
            let text = format!("{:?}", diags[0]);
            assert!(
                text.contains("term `mfa`") && text.contains(says),
                "{bad}: {text}"
            );
        }
    }

    #[test]
    fn glossary_ids_follow_the_id_rules() {
        for bad in ["CON", "a b", "x\\\"y", "end.", "com1.txt"] {
            let (terms, diags) = load(&TERM.replace("\"mfa\"", &format!("\"{bad}\"")));
            assert!(terms.is_empty(), "{bad}");
            assert_eq!(diags.len(), 1, "{bad}: {diags:?}");
            assert!(format!("{:?}", diags[0]).contains("not a valid glossary id"));
        }
    }

    #[test]
    fn unknown_see_entries_are_reported_at_their_entry() {
        let toml = format!("{TERM}see = [\"gone\", \"mfa\", 1, \"lost\"]\n");
        let (_, diags) = load(&toml);
        let src = SourceText::named("content/glossary.toml", &toml);
        let at = |needle: &str| src.error(toml.find(needle).unwrap(), "x");
        assert_eq!(diags.len(), 2, "{diags:?}");
        for (diag, needle) in diags.iter().zip(["\"gone\"", "\"lost\""]) {
            let want = at(needle);
            assert_eq!(
                (diag.line, diag.column),
                (want.line, want.column),
                "{needle}"
            );
        }
    }
}
