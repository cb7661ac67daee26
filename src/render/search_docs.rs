//! The documents the search index is built from: every measure, category, guideline, sector,
//! plain page and crosswalk page, in one language, their text split into sections by heading
//! (a search result shows the heading of the section that matched above its snippet).

use super::rows::{item_anchor, item_title_translation};
use crate::derive::measure_keywords;
use crate::markdown::{Heading, collapse_whitespace};
use crate::model::{Baseline, Framework, FrameworkItem, Relation, Text};
use crate::search::{DocSection, SearchDoc};
use crate::urls;

pub fn search_docs(b: &Baseline, lang: &str) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let category_title = |id: &str| b.category(id).map(|c| c.text[lang].title.clone());
    for m in &b.measures {
        let text = &m.text[lang];
        let mut sections = vec![DocSection::new("", text.statement_plain.clone())];
        sections.extend(by_heading(&text.page));
        for note in &text.sector_notes {
            let sector = b.sectors.iter().find(|s| s.id == note.sector);
            let heading = sector.map_or(note.sector.clone(), |s| s.text[lang].title.clone());
            sections.push(DocSection::new(heading, note.plain.clone()));
        }
        docs.push(SearchDoc {
            url: urls::measure(lang, &m.id),
            title: text.page.title.clone(),
            id: Some(m.id.clone()),
            kind: "measure".into(),
            category: category_title(&m.category),
            obligation: Some(m.obligation.as_str().into()),
            level: Some(m.level),
            sections,
            keywords: measure_keywords(b, &m.id),
        });
    }
    for c in &b.categories {
        docs.push(SearchDoc {
            url: urls::category(lang, &c.id),
            title: c.text[lang].title.clone(),
            id: Some(c.id.clone()),
            kind: "category".into(),
            sections: by_heading(&c.text[lang]),
            keywords: vec![c.id.clone()],
            ..Default::default()
        });
    }
    for g in &b.guidelines {
        docs.push(SearchDoc {
            url: urls::guideline(lang, &g.id),
            title: g.text[lang].title.clone(),
            kind: "guideline".into(),
            category: g.categories.first().and_then(|c| category_title(c)),
            sections: by_heading(&g.text[lang]),
            ..Default::default()
        });
    }
    for (kind, pages, href) in [
        (
            "sector",
            &b.sectors,
            urls::sector as fn(&str, &str) -> String,
        ),
        ("page", &b.pages, urls::page),
    ] {
        for p in pages {
            docs.push(SearchDoc {
                url: href(lang, &p.id),
                title: p.text[lang].title.clone(),
                kind: kind.into(),
                sections: by_heading(&p.text[lang]),
                ..Default::default()
            });
        }
    }
    docs.extend(framework_docs(b, lang));
    docs
}

/// A crosswalk page is found by the ids of the items its measures relate to.
fn framework_docs(b: &Baseline, lang: &str) -> Vec<SearchDoc> {
    b.frameworks
        .iter()
        .map(|fw| {
            let mut keywords: Vec<String> = b
                .crosswalks
                .iter()
                .filter(|c| c.framework == fw.id)
                .flat_map(|c| c.rows.iter())
                .filter(|r| r.relation != Relation::NotRelated)
                .map(|r| r.item.clone())
                .collect();
            keywords.sort();
            keywords.dedup();
            let titles: Vec<&str> = fw.items.iter().map(|i| i.title.as_str()).collect();
            let page = SearchDoc {
                url: urls::framework(lang, &fw.id),
                title: fw.meta.name.clone(),
                id: fw.meta.short_name.clone(),
                kind: "framework".into(),
                sections: vec![DocSection::new("", titles.join(" "))],
                keywords,
                ..Default::default()
            };
            std::iter::once(page).chain(fw.items.iter().map(|item| item_doc(fw, item, lang)))
        })
        .flatten()
        .collect()
}

/// A framework item, found by its ID: its row on the crosswalk page. On Japanese pages the
/// title is the provisional translation where there is one, the official title the text.
fn item_doc(fw: &Framework, item: &FrameworkItem, lang: &str) -> SearchDoc {
    let translation = item_title_translation(item, lang);
    let mut text = vec![];
    if translation.is_some() {
        text.push(item.title.clone());
    }
    text.extend(item.text.clone());
    SearchDoc {
        url: format!(
            "{}#{}",
            urls::framework(lang, &fw.id),
            item_anchor(&item.id)
        ),
        title: translation.unwrap_or_else(|| item.title.clone()),
        id: Some(item.id.clone()),
        kind: "framework-item".into(),
        category: Some(fw.meta.name.clone()),
        sections: vec![DocSection::new("", text.join(" "))],
        keywords: vec![item.id.clone()],
        ..Default::default()
    }
}

/// A page's plain text cut at its headings (found in order in the text; a heading not found
/// stays in the section before it).
fn by_heading(text: &Text) -> Vec<DocSection> {
    split_at_headings(&text.plain, &text.headings)
}

fn split_at_headings(plain: &str, headings: &[Heading]) -> Vec<DocSection> {
    let mut sections = Vec::new();
    let mut heading = String::new();
    let mut rest = plain;
    for h in headings {
        let label = collapse_whitespace(&h.text);
        if label.is_empty() {
            continue;
        }
        let Some(at) = find_heading(rest, &label) else {
            continue;
        };
        sections.push(DocSection::new(
            std::mem::take(&mut heading),
            rest[..at].trim(),
        ));
        heading = label.clone();
        rest = &rest[at + label.len()..];
    }
    sections.push(DocSection::new(heading, rest.trim()));
    sections.retain(|s| !s.text.is_empty() || !s.heading.is_empty());
    sections
}

/// Where `label` stands on its own in `text` (at the start or after a space, and followed by a
/// space or the end), as a heading does in the plain text.
fn find_heading(text: &str, label: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(label) {
        let at = from + i;
        let end = at + label.len();
        let before = at == 0 || text[..at].ends_with(' ');
        let after = end == text.len() || text[end..].starts_with(' ');
        if before && after {
            return Some(at);
        }
        from = at + label.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(text: &str) -> Heading {
        Heading {
            level: 2,
            id: String::new(),
            text: text.into(),
        }
    }

    #[test]
    fn plain_text_is_cut_at_its_headings() {
        let plain = "前文。 なぜ重要か 攻撃者は なぜ重要か を狙う。 達成の目安 一覧がある。";
        let s = split_at_headings(plain, &[h("なぜ重要か"), h("達成の目安"), h("無い見出し")]);
        assert_eq!(
            s,
            [
                DocSection::new("", "前文。"),
                DocSection::new("なぜ重要か", "攻撃者は なぜ重要か を狙う。"),
                DocSection::new("達成の目安", "一覧がある。"),
            ]
        );
        // a heading inside a word is not a heading
        let s = split_at_headings("Backups matter. Back up daily.", &[h("Back")]);
        assert_eq!(
            s,
            [
                DocSection::new("", "Backups matter."),
                DocSection::new("Back", "up daily."),
            ]
        );
        // no headings: one section
        assert_eq!(
            split_at_headings("本文", &[]),
            [DocSection::new("", "本文")]
        );
    }
}
