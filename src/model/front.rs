//! Front matter of each kind of page, as authors write it.
//!
//! Unknown keys are errors (`deny_unknown_fields`), so a typo such as `leve = 2` is caught and
//! gets a "did you mean" hint. Language-neutral fields are optional here: they are written once
//! (in the default language) and merged in `build.rs`.

use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Spanned<T>;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Obligation {
    Required,
    Recommended,
}

impl Obligation {
    pub fn as_str(self) -> &'static str {
        match self {
            Obligation::Required => "required",
            Obligation::Recommended => "recommended",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFront {
    pub id: Option<S<String>>,
    pub order: Option<S<i64>>,
    pub draft: Option<S<bool>>,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureFront {
    pub id: Option<S<String>>,
    pub category: Option<S<String>>,
    pub obligation: Option<S<Obligation>>,
    pub level: Option<S<i64>>,
    pub order: Option<S<i64>>,
    pub sectors: Option<S<Vec<S<String>>>>,
    pub replaces: Option<S<Vec<S<String>>>>,
    pub draft: Option<S<bool>>,
    pub title: String,
    pub statement: String,
    #[serde(default)]
    pub sector_notes: Vec<SectorNoteFront>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorNoteFront {
    pub sector: S<String>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidelineFront {
    pub id: Option<S<String>>,
    pub order: Option<S<i64>>,
    pub draft: Option<S<bool>>,
    pub categories: Option<S<Vec<S<String>>>>,
    pub measures: Option<S<Vec<S<String>>>>,
    pub sectors: Option<S<Vec<S<String>>>>,
    pub template: Option<S<String>>,
    pub title: String,
}

/// Sectors and plain pages share one shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimpleFront {
    pub id: Option<S<String>>,
    pub order: Option<S<i64>>,
    pub draft: Option<S<bool>>,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeFront {
    pub title: String,
}
