//! The Atom feed of revisions, one per language: an entry per recorded revision, newest first,
//! dated by its revision date (never the clock), linking to its section of the changes page.
//! The XML itself is the theme's `feed.xml` template; this builds what it shows.

use super::diff::Diff;
use super::timeline::{RevisionEntry, Timeline};
use crate::config::Config;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub updated: String,
    pub author: String,
    pub self_url: String,
    pub alternate_url: String,
    pub entries: Vec<FeedEntry>,
}

#[derive(Debug, Serialize)]
pub struct FeedEntry {
    pub id: String,
    pub title: String,
    pub updated: String,
    pub url: String,
    pub summary: String,
}

/// `2026.11-draft.1` → `rev-2026.11-draft.1`: an HTML id and URL fragment for a revision.
pub fn revision_anchor(revision: &str) -> String {
    let safe: String = revision
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("rev-{safe}")
}

/// Atom dates are full timestamps; a revision has a day, taken as its start in UTC.
pub fn atom_date(day: &str) -> String {
    format!("{day}T00:00:00Z")
}

/// `t` looks up an interface string of the feed's language.
pub fn build(
    timeline: &Timeline,
    config: &Config,
    lang: &str,
    changes_url: &str,
    feed_url: &str,
    t: &dyn Fn(&str) -> String,
) -> Feed {
    let site_title = &config.language(lang).title;
    let entries: Vec<FeedEntry> = timeline
        .entries
        .iter()
        .map(|e| {
            let url = format!("{changes_url}#{}", revision_anchor(&e.revision));
            FeedEntry {
                id: url.clone(),
                title: format!("{} {}", t("revision"), e.revision),
                updated: atom_date(&e.date),
                url,
                summary: summary(e, lang, t),
            }
        })
        .collect();
    Feed {
        id: feed_url.to_string(),
        title: format!("{site_title}: {}", t("feed_title")),
        updated: entries
            .first()
            .map(|e| e.updated.clone())
            .unwrap_or_default(),
        author: site_title.clone(),
        self_url: feed_url.to_string(),
        alternate_url: changes_url.to_string(),
        entries,
    }
}

/// One line per kind of change, naming each measure with its title in the feed's language,
/// punctuated as that language is (「変更：AM-2 資産台帳、AC-1 …。」 / "Changed: AM-2 Asset
/// inventory, AC-1 ….").
fn summary(e: &RevisionEntry, lang: &str, t: &dyn Fn(&str) -> String) -> String {
    let Some(d) = &e.diff else {
        return t("changes_first_recorded");
    };
    if d.is_empty() {
        return t("changes_none");
    }
    let compared =
        t("changes_compared_with").replace("{previous}", e.previous.as_deref().unwrap_or(""));
    let mut parts = vec![compared];
    parts.extend(lines(d, lang, t));
    parts.join(&t("feed_part_separator"))
}

fn lines(d: &Diff, lang: &str, t: &dyn Fn(&str) -> String) -> Vec<String> {
    let (list, label, end) = (
        t("feed_list_separator"),
        t("feed_label_separator"),
        t("feed_sentence_end"),
    );
    let named = |id: &str, title: &super::snapshot::PerLang| match title.get(lang) {
        Some(title) if !title.is_empty() => format!("{id} {title}"),
        _ => id.to_string(),
    };
    let line =
        |key: &str, items: Vec<String>| format!("{}{label}{}{end}", t(key), items.join(&list));
    let mut out = vec![];
    if !d.added.is_empty() {
        out.push(line(
            "changes_added",
            d.added.iter().map(|m| named(&m.id, &m.title)).collect(),
        ));
    }
    if !d.removed.is_empty() {
        out.push(line(
            "changes_removed",
            d.removed.iter().map(|m| named(&m.id, &m.title)).collect(),
        ));
    }
    if !d.replaced.is_empty() {
        let moves: Vec<String> = d
            .replaced
            .iter()
            .map(|r| {
                let from: Vec<&str> = r.from.iter().map(|m| m.id.as_str()).collect();
                let to: Vec<String> = r.to.iter().map(|m| named(&m.id, &m.title)).collect();
                format!("{} → {}", from.join(&list), to.join(&list))
            })
            .collect();
        out.push(line("changes_replaced", moves));
    }
    if !d.changed.is_empty() {
        out.push(line(
            "changes_changed",
            d.changed.iter().map(|m| named(&m.id, &m.title)).collect(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_safe_fragments() {
        assert_eq!(revision_anchor("2026.11-draft.1"), "rev-2026.11-draft.1");
        assert_eq!(revision_anchor("v 1/2 改"), "rev-v-1-2--");
        assert_eq!(atom_date("2026-11-25"), "2026-11-25T00:00:00Z");
    }
}
