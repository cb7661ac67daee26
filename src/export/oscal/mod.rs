//! OSCAL 1.2.1 (JSON) exports, one set per language: the baseline as a catalog, a profile per
//! level, and each crosswalk as a mapping collection.
//!
//! Determinism: every UUID is a version-5 UUID of a stable name (kind, framework, measure, item,
//! language, and for whole documents the revision) in a namespace derived from the site's
//! base URL; every timestamp is the revision date. Property names kijun invents (level,
//! obligation, sector, ...) carry kijun's namespace, `<base_url>ns/oscal`.

mod catalog;
mod mapping;
mod profile;

pub use catalog::catalog;
pub use mapping::{MappingText, mapping_collection, relationship};
pub use profile::{LevelSet, profile};

use crate::model::Baseline;
use serde::Serialize;
use uuid::Uuid;

pub const OSCAL_VERSION: &str = "1.2.1";

/// Names and identifiers shared by the documents of one language.
pub struct Ids {
    namespace: Uuid,
    pub ns: String,
    pub lang: String,
    pub revision: String,
    /// `YYYY-MM-DDT00:00:00Z` from the revision date.
    pub timestamp: String,
}

impl Ids {
    pub fn new(b: &Baseline, lang: &str) -> Ids {
        let base_url = b.config.base_url();
        Ids {
            namespace: Uuid::new_v5(&Uuid::NAMESPACE_URL, base_url.as_bytes()),
            ns: format!("{base_url}ns/oscal"),
            lang: lang.to_string(),
            revision: b.config.revision.clone(),
            timestamp: format!("{}T00:00:00Z", b.config.revision_date),
        }
    }

    /// A version-5 UUID of `name` (a `/`-separated path of stable ids).
    pub fn uuid(&self, name: &str) -> String {
        Uuid::new_v5(&self.namespace, name.as_bytes()).to_string()
    }

    /// A whole document changes identity with each revision, as OSCAL asks.
    pub fn document_uuid(&self, kind: &str) -> String {
        self.uuid(&format!("{kind}/{}/{}", self.lang, self.revision))
    }

    /// A kijun property.
    pub fn prop(&self, name: &str, value: impl Into<String>) -> Prop {
        Prop {
            name: name.to_string(),
            ns: Some(self.ns.clone()),
            value: value.into(),
            class: None,
        }
    }
}

/// OSCAL control id of a measure: `AM-1` → `am-1`.
pub fn control_id(measure: &str) -> String {
    measure.to_ascii_lowercase()
}

#[derive(Serialize)]
pub struct Prop {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

impl Prop {
    /// A property from OSCAL's own namespace (e.g. `label`).
    pub fn oscal(name: &str, value: impl Into<String>) -> Prop {
        Prop {
            name: name.to_string(),
            ns: None,
            value: value.into(),
            class: None,
        }
    }
}

#[derive(Serialize)]
pub struct Link {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
    #[serde(rename = "media-type", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub title: String,
    pub published: String,
    pub last_modified: String,
    pub version: String,
    pub oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// Document metadata: title, revision, dates, language, draft status and a link to the site.
pub fn metadata(b: &Baseline, ids: &Ids, title: String, draft_notice: &str) -> Metadata {
    let mut props = vec![ids.prop("language", ids.lang.clone())];
    if b.config.draft {
        props.push(ids.prop("draft", "true"));
    }
    Metadata {
        title: one_line(&title),
        published: ids.timestamp.clone(),
        last_modified: ids.timestamp.clone(),
        version: b.config.revision.clone(),
        oscal_version: OSCAL_VERSION,
        props,
        links: vec![Link {
            href: super::refs::absolute_url(&b.config.base_url(), &crate::urls::home(&ids.lang)),
            rel: Some("alternate".into()),
            media_type: Some("text/html".into()),
            text: Some(one_line(&b.config.language(&ids.lang).title)),
        }],
        remarks: b.config.draft.then(|| draft_notice.to_string()),
    }
}

/// OSCAL's markup-line may not hold line breaks, nor its strings edge whitespace.
pub fn one_line(s: &str) -> String {
    crate::markdown::collapse_whitespace(s)
}

/// Plain text made safe to read as Markdown (OSCAL prose and titles are Markdown).
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Pretty JSON with a final newline, as every kijun JSON file.
pub fn to_json(value: &impl Serialize) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(value).expect("OSCAL documents serialise");
    s.push('\n');
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_specials_are_escaped() {
        assert_eq!(escape_markdown("a*b_[c]"), "a\\*b\\_\\[c\\]");
        assert_eq!(
            escape_markdown("台帳を整備すること。"),
            "台帳を整備すること。"
        );
    }
}
