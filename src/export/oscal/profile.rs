//! A profile per level set (Lv.1, Lv.1–2, all levels), each importing the catalog beside it.

use super::{Ids, Metadata, control_id, metadata};
use crate::model::Baseline;
use serde::Serialize;

/// Which levels a profile selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSet {
    UpTo(u8),
    All,
}

impl LevelSet {
    pub const ALL: [LevelSet; 3] = [LevelSet::UpTo(1), LevelSet::UpTo(2), LevelSet::All];

    /// File-name part: `level-1`, `level-1-2`, `all`.
    pub fn slug(self) -> String {
        match self {
            LevelSet::UpTo(1) => "level-1".into(),
            LevelSet::UpTo(n) => format!("level-1-{n}"),
            LevelSet::All => "all".into(),
        }
    }

    /// `Lv.1`, `Lv.1–2`, or `None` for every level (the caller words that).
    pub fn label(self) -> Option<String> {
        match self {
            LevelSet::UpTo(1) => Some("Lv.1".into()),
            LevelSet::UpTo(n) => Some(format!("Lv.1–{n}")),
            LevelSet::All => None,
        }
    }

    pub fn includes(self, level: u8) -> bool {
        match self {
            LevelSet::UpTo(n) => level <= n,
            LevelSet::All => true,
        }
    }
}

#[derive(Serialize)]
struct Document {
    profile: Profile,
}

#[derive(Serialize)]
struct Profile {
    uuid: String,
    metadata: Metadata,
    imports: Vec<Import>,
    merge: Merge,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Import {
    href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_all: Option<Empty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_controls: Option<Vec<Selection>>,
}

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Selection {
    with_ids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Merge {
    as_is: bool,
}

/// The profile for `levels`, importing `catalog_href` (relative to the profile); `None` when no
/// measure is at those levels (an OSCAL selection may not be empty).
pub fn profile(
    b: &Baseline,
    lang: &str,
    levels: LevelSet,
    title: String,
    catalog_href: &str,
    draft_notice: &str,
) -> Option<Vec<u8>> {
    let ids = Ids::new(b, lang);
    let selected: Vec<String> = b
        .measures
        .iter()
        .filter(|m| levels.includes(m.level))
        .map(|m| control_id(&m.id))
        .collect();
    if selected.is_empty() {
        return None;
    }
    let import = if selected.len() == b.measures.len() && levels == LevelSet::All {
        Import {
            href: catalog_href.to_string(),
            include_all: Some(Empty {}),
            include_controls: None,
        }
    } else {
        Import {
            href: catalog_href.to_string(),
            include_all: None,
            include_controls: Some(vec![Selection { with_ids: selected }]),
        }
    };
    let doc = Document {
        profile: Profile {
            uuid: ids.document_uuid(&format!("profile/{}", levels.slug())),
            metadata: metadata(b, &ids, title, draft_notice),
            imports: vec![import],
            merge: Merge { as_is: true },
        },
    };
    Some(super::to_json(&doc))
}
