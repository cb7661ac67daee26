//! The documents the search index is built from: every measure, category, guideline, sector,
//! plain page and crosswalk page, in one language.

use crate::derive::measure_keywords;
use crate::model::{Baseline, Relation};
use crate::search::SearchDoc;
use crate::urls;

pub fn search_docs(b: &Baseline, lang: &str) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let category_title = |id: &str| b.category(id).map(|c| c.text[lang].title.clone());
    for m in &b.measures {
        let text = &m.text[lang];
        let notes: Vec<&str> = text.sector_notes.iter().map(|n| n.plain.as_str()).collect();
        docs.push(SearchDoc {
            url: urls::measure(lang, &m.id),
            title: text.page.title.clone(),
            id: Some(m.id.clone()),
            kind: "measure".into(),
            category: category_title(&m.category),
            body: format!(
                "{} {} {}",
                text.statement_plain,
                text.page.plain,
                notes.join(" ")
            ),
            keywords: measure_keywords(b, &m.id),
        });
    }
    for c in &b.categories {
        docs.push(SearchDoc {
            url: urls::category(lang, &c.id),
            title: c.text[lang].title.clone(),
            id: Some(c.id.clone()),
            kind: "category".into(),
            category: None,
            body: c.text[lang].plain.clone(),
            keywords: vec![c.id.clone()],
        });
    }
    for g in &b.guidelines {
        docs.push(SearchDoc {
            url: urls::guideline(lang, &g.id),
            title: g.text[lang].title.clone(),
            id: None,
            kind: "guideline".into(),
            category: g.categories.first().and_then(|c| category_title(c)),
            body: g.text[lang].plain.clone(),
            keywords: vec![],
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
                id: None,
                kind: kind.into(),
                category: None,
                body: p.text[lang].plain.clone(),
                keywords: vec![],
            });
        }
    }
    // A crosswalk page is found by the ids of the items its measures relate to.
    for fw in &b.frameworks {
        let related: Vec<String> = b
            .crosswalks
            .iter()
            .filter(|c| c.framework == fw.id)
            .flat_map(|c| c.rows.iter())
            .filter(|r| r.relation != Relation::NotRelated)
            .map(|r| r.item.clone())
            .collect();
        let mut keywords = related;
        keywords.sort();
        keywords.dedup();
        docs.push(SearchDoc {
            url: urls::framework(lang, &fw.id),
            title: fw.meta.name.clone(),
            id: fw.meta.short_name.clone(),
            kind: "framework".into(),
            category: None,
            body: fw
                .items
                .iter()
                .map(|i| i.title.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            keywords,
        });
    }
    docs
}
