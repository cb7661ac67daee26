//! The bilingual glossary, `content/glossary.toml`.

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default, rename = "term")]
    terms: Vec<Spanned<toml::Table>>,
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
    let mut known_keys: Vec<&str> = vec!["id", "reading", "definition", "see"];
    known_keys.extend(languages.iter().map(String::as_str));
    let mut terms: Vec<Term> = Vec::new();
    for spanned in parsed.terms {
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
        terms.push(Term {
            id,
            names,
            reading: text("reading"),
            definition,
            see,
        });
    }
    for term in &terms {
        for target in &term.see {
            if !terms.iter().any(|t| &t.id == target) {
                let offset = src.text.find(&format!("\"{target}\"")).unwrap_or(0);
                diags.push(src.error(
                    offset,
                    format!("term `{}` refers to unknown term `{target}`", term.id),
                ));
            }
        }
    }
    terms
}
