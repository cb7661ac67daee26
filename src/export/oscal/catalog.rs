//! The baseline as an OSCAL catalog: a group per category, a control per measure with its level,
//! obligation and sectors as properties, its statement and body sections as parts, and links to
//! its page and to the framework items it maps to.

use super::{Ids, Link, Metadata, Prop, control_id, escape_markdown, metadata, one_line};
use crate::export::body::oscal_markdown;
use crate::export::refs::Refs;
use crate::model::{Baseline, Measure, Relation};
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    catalog: Catalog<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Catalog<'a> {
    uuid: String,
    metadata: Metadata,
    groups: Vec<Group<'a>>,
}

#[derive(Serialize)]
struct Group<'a> {
    id: String,
    class: &'static str,
    title: String,
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<Part>,
    controls: Controls<'a>,
}

/// A category's controls, each made only while it is written: a large baseline's catalog would
/// otherwise sit in memory twice, as values and as JSON.
struct Controls<'a> {
    b: &'a Baseline,
    ids: &'a Ids,
    refs: &'a Refs<'a>,
    category: &'a str,
}

impl Serialize for Controls<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.b
                .measures_in(self.category)
                .map(|m| control(self.b, self.ids, self.refs, m)),
        )
    }
}

#[derive(Serialize)]
struct Control {
    id: String,
    class: &'static str,
    title: String,
    props: Vec<Prop>,
    links: Vec<Link>,
    parts: Vec<Part>,
}

#[derive(Serialize, Default)]
pub struct Part {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ns: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prose: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<Part>,
}

/// The catalog in `refs.lang()`. `draft_notice` goes into the metadata remarks of a draft.
pub fn catalog(b: &Baseline, refs: &Refs, draft_notice: &str) -> Vec<u8> {
    let ids = Ids::new(b, refs.lang());
    let lang = refs.lang();
    let groups = b
        .categories
        .iter()
        .filter(|c| b.measures_in(&c.id).next().is_some())
        .map(|c| {
            let text = &c.text[lang];
            // Category pages keep only rendered text: the overview is their plain prose.
            let overview = escape_markdown(&text.plain);
            Group {
                id: control_id(&c.id),
                class: "category",
                title: one_line(&text.title),
                props: vec![Prop::oscal("label", c.id.clone())],
                parts: if overview.is_empty() {
                    vec![]
                } else {
                    vec![Part {
                        id: Some(format!("{}_ovw", control_id(&c.id))),
                        name: "overview".into(),
                        prose: Some(overview),
                        ..Part::default()
                    }]
                },
                controls: Controls {
                    b,
                    ids: &ids,
                    refs,
                    category: &c.id,
                },
            }
        })
        .collect();
    let doc = Document {
        catalog: Catalog {
            uuid: ids.document_uuid("catalog"),
            metadata: metadata(b, &ids, b.config.language(lang).title.clone(), draft_notice),
            groups,
        },
    };
    super::to_json(&doc)
}

fn control(b: &Baseline, ids: &Ids, refs: &Refs, m: &Measure) -> Control {
    let lang = refs.lang();
    let text = &m.text[lang];
    let id = control_id(&m.id);
    let mut props = vec![
        Prop::oscal("label", m.id.clone()),
        ids.prop("level", m.level.to_string()),
        ids.prop("obligation", m.obligation.as_str()),
    ];
    // Sectors are spelled out, as in baseline.json: "all" is every sector.
    let sectors: Vec<&str> = if m.sectors.is_empty() {
        b.sectors.iter().map(|s| s.id.as_str()).collect()
    } else {
        m.sectors.iter().map(String::as_str).collect()
    };
    props.extend(sectors.into_iter().map(|s| ids.prop("sector", s)));
    props.extend(m.replaces.iter().map(|r| ids.prop("replaces", r.clone())));

    let mut links = vec![Link {
        href: refs.absolute(&urls::measure(lang, &m.id)),
        rel: Some("alternate".into()),
        media_type: Some("text/html".into()),
        text: Some(one_line(&format!("{} {}", m.id, text.page.title))),
    }];
    for (cw, row) in b.mappings_of(&m.id) {
        if row.relation == Relation::NotRelated {
            continue;
        }
        let Some(fw) = b.framework(&cw.framework) else {
            continue;
        };
        let page = urls::framework(lang, &fw.id);
        links.push(Link {
            href: refs.absolute(&format!("{page}#{}", crate::render::item_anchor(&row.item))),
            rel: Some("related".into()),
            media_type: None,
            text: Some(one_line(&format!(
                "{} {} ({})",
                fw.short_name(),
                row.item,
                super::relationship(row.relation)
            ))),
        });
    }

    let mut parts = vec![Part {
        id: Some(format!("{id}_smt")),
        name: "statement".into(),
        prose: Some(escape_markdown(&text.statement_plain)),
        ..Part::default()
    }];
    let mut guidance: Vec<Part> = text
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.markdown.is_empty())
        .map(|(i, s)| {
            let (name, part_id) = match s.kind {
                Some(k) => (k.as_str().to_string(), format!("{id}_gdn.{}", k.as_str())),
                None => ("section".to_string(), format!("{id}_gdn.s{}", i + 1)),
            };
            Part {
                id: Some(part_id),
                name,
                ns: Some(ids.ns.clone()),
                title: (!s.heading.is_empty()).then(|| one_line(&s.heading)),
                prose: Some(oscal_markdown(
                    &s.markdown,
                    refs,
                    &|target| format!("#{}", control_id(target)),
                    b.config.allow_raw_html,
                )),
                ..Part::default()
            }
        })
        .collect();
    for (i, note) in text.sector_notes.iter().enumerate() {
        let sector_title = b
            .sectors
            .iter()
            .find(|s| s.id == note.sector)
            .map_or_else(|| note.sector.clone(), |s| s.text[lang].title.clone());
        guidance.push(Part {
            id: Some(format!("{id}_gdn.note{}", i + 1)),
            name: "sector-note".into(),
            ns: Some(ids.ns.clone()),
            title: Some(one_line(&sector_title)),
            props: vec![ids.prop("sector", note.sector.clone())],
            prose: Some(escape_markdown(&note.plain)),
            ..Part::default()
        });
    }
    if !guidance.is_empty() {
        parts.push(Part {
            id: Some(format!("{id}_gdn")),
            name: "guidance".into(),
            parts: guidance,
            ..Part::default()
        });
    }
    Control {
        id,
        class: "measure",
        title: one_line(&text.page.title),
        props,
        links,
        parts,
    }
}
