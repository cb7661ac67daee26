//! The pages of one framework: its crosswalk (coverage heat map, forward table by measure,
//! reverse table in the framework's own hierarchy) and "Already following X?".

use super::PageJob;
use super::context::{Link, Shared};
use super::pages::framework_summary;
use super::rows::{MappingRow, MeasureRow, item_anchor, item_title, item_title_translation};
use crate::derive::{self, Credit, ItemState, MeasureFilter};
use crate::model::{Framework, FrameworkItem, Relation};
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct ItemRow {
    id: String,
    anchor: String,
    kind: String,
    depth: usize,
    title: String,
    title_translation: Option<String>,
    text: String,
    /// An item of the crosswalk's level (rows map to these).
    leaf: bool,
    rows: Vec<MappingRow>,
    /// The crosswalk's "not covered by this baseline" note for the item, in the page language.
    not_covered: Option<String>,
}

/// One cell of the heat map: an item and its coverage under every filter.
#[derive(Serialize)]
struct HeatCell {
    id: String,
    anchor: String,
    title: String,
    /// Coverage with every measure counted.
    state: ItemState,
    /// `key=letter` pairs for each filter (see `MeasureFilter::choices`), read by heatmap.js.
    states: String,
    /// The crosswalk notes the item as not covered by this baseline.
    not_covered: bool,
}

#[derive(Serialize)]
struct HeatGroup {
    id: String,
    title: String,
    title_translation: Option<String>,
    cells: Vec<HeatCell>,
    full: usize,
    partial: usize,
    none: usize,
}

#[derive(Serialize)]
struct ForwardRow<'r> {
    measure: &'r MeasureRow,
    rows: Vec<MappingRow>,
    /// What the measure asks beyond the framework.
    remains: Option<&'r str>,
}

fn top_of<'a>(fw: &'a Framework, item: &'a FrameworkItem) -> &'a FrameworkItem {
    let mut current = item;
    while let Some(parent) = current.parent.as_deref().and_then(|p| fw.item(p)) {
        current = parent;
    }
    current
}

fn depth_of(fw: &Framework, item: &FrameworkItem) -> usize {
    let mut depth = 0;
    let mut parent = item.parent.as_deref();
    while let Some(p) = parent {
        depth += 1;
        parent = fw.item(p).and_then(|i| i.parent.as_deref());
    }
    depth
}

pub fn framework(s: &Shared, lang: &str, id: &str) -> PageJob {
    let b = s.baseline;
    let fw = b.framework(id).expect("framework exists");
    let href = urls::framework(lang, id);
    let crumbs = s.crumbs(
        lang,
        &[(
            s.t(lang, "frameworks_title"),
            urls::section(lang, "frameworks"),
        )],
    );
    let title = format!("{} {}", s.t(lang, "crosswalk_to"), fw.short_name());
    let mut ctx = s.base_context(lang, &href, "framework", &title, crumbs);
    let cw = b.crosswalks.iter().find(|c| c.framework == fw.id);
    let level = cw.and_then(|c| c.level.as_deref());
    let by_item = cw.map(derive::rows_by_item).unwrap_or_default();

    // Reverse table: the framework's own hierarchy, measures under each item.
    let default_lang = &b.config.default_language;
    let items: Vec<ItemRow> = fw
        .items
        .iter()
        .map(|item| ItemRow {
            id: item.id.clone(),
            anchor: item_anchor(&item.id),
            kind: item.kind.clone(),
            depth: depth_of(fw, item),
            title: item_title(item, lang),
            title_translation: item_title_translation(item, lang),
            text: item.text.clone().unwrap_or_default(),
            leaf: fw.is_mappable(item, level),
            rows: by_item
                .get(item.id.as_str())
                .map(|rs| rs.iter().map(|r| MappingRow::new(s, fw, r, lang)).collect())
                .unwrap_or_default(),
            not_covered: cw
                .and_then(|c| c.not_covered_of(&item.id))
                .and_then(|n| derive::note_text(n, lang, default_lang))
                .map(str::to_string),
        })
        .collect();

    // Heat map: one group per top-level item, a cell per mappable item, states per filter.
    let filters = MeasureFilter::choices();
    let per_filter: Vec<(String, std::collections::BTreeMap<&str, ItemState>)> = filters
        .iter()
        .map(|(key, f)| (key.clone(), derive::item_states(fw, cw, b, f)))
        .collect();
    let all_states = derive::item_states(fw, cw, b, &MeasureFilter::ALL);
    let mut groups: Vec<HeatGroup> = Vec::new();
    for item in fw.items.iter().filter(|i| fw.is_mappable(i, level)) {
        let top = top_of(fw, item);
        if groups.last().is_none_or(|g| g.id != top.id) {
            groups.push(HeatGroup {
                id: top.id.clone(),
                title: item_title(top, lang),
                title_translation: item_title_translation(top, lang),
                cells: vec![],
                full: 0,
                partial: 0,
                none: 0,
            });
        }
        let group = groups.last_mut().expect("pushed above");
        let state = all_states[item.id.as_str()];
        match state {
            ItemState::Full => group.full += 1,
            ItemState::Partial => group.partial += 1,
            ItemState::None => group.none += 1,
        }
        let states = per_filter
            .iter()
            .map(|(key, map)| format!("{key}={}", map[item.id.as_str()].letter()))
            .collect::<Vec<_>>()
            .join(" ");
        group.cells.push(HeatCell {
            id: item.id.clone(),
            anchor: item_anchor(&item.id),
            title: item_title(item, lang),
            state,
            states,
            not_covered: cw.is_some_and(|c| c.not_covered_of(&item.id).is_some()),
        });
    }

    // Forward table: each measure with the items it relates to.
    let forward: Vec<ForwardRow> = b
        .measures
        .iter()
        .map(|m| ForwardRow {
            measure: s.row(lang, m),
            rows: cw
                .map(|c| {
                    c.rows_of(&m.id)
                        .map(|r| MappingRow::new(s, fw, r, lang))
                        .collect()
                })
                .unwrap_or_default(),
            remains: derive::remains_text(cw, &m.id, lang, default_lang),
        })
        .collect();

    ctx.insert("framework", &framework_summary(s, lang, fw));
    ctx.insert("meta", &fw.meta);
    ctx.insert("items", &items);
    ctx.insert("heat_groups", &groups);
    ctx.insert("forward", &forward);
    ctx.insert("already_href", &already_href(lang, id));
    ctx.insert(
        "relations",
        &Relation::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
    );
    PageJob {
        href,
        template: "framework.html",
        context: ctx,
    }
}

pub(super) fn already_href(lang: &str, id: &str) -> String {
    format!("{lang}/frameworks/{}/already/index.html", urls::slug(id))
}

#[derive(Serialize)]
struct AlreadyEntry<'r> {
    measure: &'r MeasureRow,
    /// The related items (not `not-related`), with their relation.
    items: Vec<Link>,
    /// What the measure asks beyond the framework.
    remains: Option<&'r str>,
}

#[derive(Serialize)]
struct AlreadyGroup<'r> {
    /// Interface-string key of the status (`likely_met`, ...).
    key: &'static str,
    /// `likely-met`, ..., for class names and tests.
    status: &'static str,
    entries: Vec<AlreadyEntry<'r>>,
}

#[derive(Serialize)]
struct AlreadyLevel<'r> {
    level: u8,
    groups: [AlreadyGroup<'r>; 4],
}

/// Links to the items a measure is related to, each with its relation.
fn related_items(
    s: &Shared,
    lang: &str,
    fw_id: &str,
    cw: Option<&crate::model::Crosswalk>,
    measure: &str,
) -> Vec<Link> {
    cw.into_iter()
        .flat_map(|c| c.rows_of(measure))
        .filter(|r| r.relation.is_related())
        .map(|r| Link {
            title: format!(
                "{} ({})",
                r.item,
                s.t(lang, &format!("rel_{}", r.relation.as_str()))
            ),
            href: format!("{}#{}", urls::framework(lang, fw_id), item_anchor(&r.item)),
        })
        .collect()
}

/// "Already following X?": by level, how many measures an operator who meets X has likely met,
/// partly met, not addressed or not yet mapped, and for each measure what remains to do.
pub fn already_following(s: &Shared, lang: &str, id: &str) -> PageJob {
    let b = s.baseline;
    let fw = b.framework(id).expect("framework exists");
    let href = already_href(lang, id);
    let crumbs = s.crumbs(
        lang,
        &[
            (
                s.t(lang, "frameworks_title"),
                urls::section(lang, "frameworks"),
            ),
            (
                format!("{} {}", s.t(lang, "crosswalk_to"), fw.short_name()),
                urls::framework(lang, id),
            ),
        ],
    );
    let title = s
        .t(lang, "already_title")
        .replace("{framework}", fw.short_name());
    let mut ctx = s.base_context(lang, &href, "already", &title, crumbs);
    let cw = b.crosswalks.iter().find(|c| c.framework == fw.id);
    let mut levels: Vec<AlreadyLevel> = (1..=3)
        .map(|level| AlreadyLevel {
            level,
            groups: Credit::ALL.map(|credit| AlreadyGroup {
                key: credit.key(),
                status: credit.as_str(),
                entries: vec![],
            }),
        })
        .collect();
    for m in &b.measures {
        let credit = derive::credit(cw, &m.id);
        let entry = AlreadyEntry {
            measure: s.row(lang, m),
            items: related_items(s, lang, id, cw, &m.id),
            remains: derive::remains_text(cw, &m.id, lang, &b.config.default_language),
        };
        let level = &mut levels[usize::from(m.level.clamp(1, 3)) - 1];
        let group = Credit::ALL
            .iter()
            .position(|c| *c == credit)
            .expect("one of ALL");
        level.groups[group].entries.push(entry);
    }
    ctx.insert("framework_name", fw.short_name());
    ctx.insert("framework_href", &urls::framework(lang, id));
    ctx.insert("levels", &levels);
    PageJob {
        href,
        template: "already.html",
        context: ctx,
    }
}
