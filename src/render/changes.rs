//! Pages made from the revision history: "what changed" per language, redirect pages at the URLs
//! of renumbered measures, the Atom feed, and the "last changed" line of measure pages.

use super::PageJob;
use super::context::{Link, Shared, absolute};
use crate::revision::diff::{FieldChange, FrameworkMappingChanges, MeasureRef, Replacement};
use crate::revision::feed::{self, revision_anchor};
use crate::revision::snapshot::PerLang;
use crate::revision::timeline::RevisionEntry;
use crate::urls;
use serde::Serialize;

pub fn changes_href(lang: &str) -> String {
    urls::section(lang, "changes")
}

pub fn feed_href(lang: &str) -> String {
    format!("{lang}/feed.xml")
}

/// Changes pages and feeds for every language, and the redirect pages.
pub fn all_jobs(s: &Shared) -> Vec<PageJob> {
    let mut jobs = Vec::new();
    for lang in &s.baseline.languages {
        jobs.push(changes_page(s, lang));
        jobs.push(feed_job(s, lang));
        jobs.extend(redirect_jobs(s, lang));
        jobs.extend(withdrawn_jobs(s, lang));
    }
    jobs
}

/// For a measure page: in which revision the measure last changed, linked to that change.
#[derive(Serialize)]
pub struct LastChangedView {
    revision: String,
    date: String,
    first_recorded: bool,
    href: String,
}

pub fn last_changed(s: &Shared, lang: &str, id: &str) -> Option<LastChangedView> {
    let l = s.timeline.last_changed.get(id)?;
    let anchor = if l.first_recorded {
        revision_anchor(&l.revision)
    } else {
        change_anchor(&l.revision, id)
    };
    Some(LastChangedView {
        revision: l.revision.clone(),
        date: l.date.clone(),
        first_recorded: l.first_recorded,
        href: format!("{}#{anchor}", changes_href(lang)),
    })
}

fn change_anchor(revision: &str, id: &str) -> String {
    format!("{}-{}", revision_anchor(revision), urls::slug(id))
}

#[derive(Serialize)]
struct EntryView {
    revision: String,
    date: String,
    anchor: String,
    previous: Option<String>,
    current: bool,
    /// False for the oldest recorded revision, which has nothing to be compared with.
    compared: bool,
    empty: bool,
    /// The committed manifest's note, in the page's language (or any).
    note: Option<String>,
    summary: String,
    added: Vec<MeasureView>,
    removed: Vec<MeasureView>,
    replaced: Vec<ReplacedView>,
    changed: Vec<ChangedView>,
}

#[derive(Serialize)]
struct MeasureView {
    id: String,
    title: String,
    /// Where the measure lives now; none when it no longer exists.
    href: Option<String>,
    anchor: String,
    obligation: Option<String>,
    level: Option<u8>,
}

#[derive(Serialize)]
struct ReplacedView {
    kind: &'static str,
    from: Vec<MeasureView>,
    to: Vec<MeasureView>,
    details: Vec<DetailView>,
    mappings: Vec<MappingsView>,
}

#[derive(Serialize)]
struct ChangedView {
    #[serde(flatten)]
    measure: MeasureView,
    details: Vec<DetailView>,
    mappings: Vec<MappingsView>,
}

/// One changed field, already worded for the page's language.
#[derive(Serialize)]
struct DetailView {
    label: String,
    /// Texts of another language than the page's are marked with it: its code and name.
    lang: Option<String>,
    lang_name: Option<String>,
    old: String,
    new: String,
    /// Long texts are shown as before/after blocks rather than on one line.
    block: bool,
}

#[derive(Serialize)]
struct MappingsView {
    framework: String,
    href: Option<String>,
    rows: Vec<String>,
}

fn changes_page(s: &Shared, lang: &str) -> PageJob {
    let href = changes_href(lang);
    let title = s.t(lang, "changes_title");
    let mut ctx = s.base_context(lang, &href, "changes", &title, s.crumbs(lang, &[]));
    let entries: Vec<EntryView> = s
        .timeline
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| entry_view(s, lang, e, i == 0))
        .collect();
    ctx.insert("entries", &entries);
    ctx.insert("has_history", &(entries.len() > 1));
    ctx.insert("feed_href", &feed_href(lang));
    PageJob {
        href,
        template: "changes.html",
        context: ctx,
    }
}

fn entry_view(s: &Shared, lang: &str, e: &RevisionEntry, current: bool) -> EntryView {
    let view = |m: &MeasureRef| measure_view(s, lang, &e.revision, m);
    let (added, removed, replaced, changed) = match &e.diff {
        None => (vec![], vec![], vec![], vec![]),
        Some(d) => (
            d.added.iter().map(view).collect(),
            d.removed.iter().map(view).collect(),
            d.replaced
                .iter()
                .map(|r| replaced_view(s, lang, &e.revision, r))
                .collect(),
            d.changed
                .iter()
                .map(|c| ChangedView {
                    measure: measure_link(s, lang, &e.revision, &c.id, &c.title),
                    details: page_lang_first(&c.fields, lang)
                        .into_iter()
                        .map(|f| detail_view(s, lang, f))
                        .collect(),
                    mappings: c
                        .mappings
                        .iter()
                        .map(|m| mappings_view(s, lang, m))
                        .collect(),
                })
                .collect(),
        ),
    };
    let summary = e
        .diff
        .as_ref()
        .map(|d| {
            s.t(lang, "changes_summary")
                .replace("{added}", &d.added.len().to_string())
                .replace("{removed}", &d.removed.len().to_string())
                .replace("{replaced}", &d.replaced.len().to_string())
                .replace("{changed}", &d.changed.len().to_string())
        })
        .unwrap_or_default();
    EntryView {
        revision: e.revision.clone(),
        date: e.date.clone(),
        anchor: revision_anchor(&e.revision),
        previous: e.previous.clone(),
        current,
        compared: e.diff.is_some(),
        empty: e.diff.as_ref().is_some_and(|d| d.is_empty()),
        note: e.note.get(lang).or_else(|| e.note.values().next()).cloned(),
        summary,
        added,
        removed,
        replaced,
        changed,
    }
}

/// The changed fields in their order (title, statement, ...), but within a field the page's
/// language first: a Japanese reader sees the Japanese change before the English one (#21).
fn page_lang_first<'f>(fields: &'f [FieldChange], lang: &str) -> Vec<&'f FieldChange> {
    let other_lang = |f: &FieldChange| match f {
        FieldChange::Title { lang: l, .. } | FieldChange::Statement { lang: l, .. } => l != lang,
        _ => false,
    };
    let mut out: Vec<&FieldChange> = fields.iter().collect();
    // Stable: fields keep their order, and languages keep theirs among the others.
    out.sort_by_key(|f| {
        let field = fields.iter().position(|g| g.name() == f.name());
        (field, other_lang(f))
    });
    out
}

/// Where an id of any revision can be read today: its page, or the page it was renumbered to.
fn current_href(s: &Shared, lang: &str, id: &str) -> Option<String> {
    if s.baseline.measure(id).is_some() {
        return Some(urls::measure(lang, id));
    }
    let r = s.timeline.redirects.iter().find(|r| r.from == id)?;
    // A split measure's old page lists its successors.
    Some(match r.to.as_slice() {
        [one] => urls::measure(lang, one),
        _ => urls::measure(lang, &r.from),
    })
}

fn measure_view(s: &Shared, lang: &str, revision: &str, m: &MeasureRef) -> MeasureView {
    MeasureView {
        obligation: Some(m.obligation.clone()),
        level: Some(m.level),
        ..measure_link(s, lang, revision, &m.id, &m.title)
    }
}

fn measure_link(s: &Shared, lang: &str, revision: &str, id: &str, title: &PerLang) -> MeasureView {
    // Prefer today's title in the page's language; an old or removed measure keeps its own.
    let title = s
        .baseline
        .measure(id)
        .map(|x| x.text[lang].page.title.clone())
        .or_else(|| title.get(lang).cloned())
        .or_else(|| title.values().next().cloned())
        .unwrap_or_default();
    MeasureView {
        id: id.to_string(),
        title,
        href: current_href(s, lang, id),
        anchor: change_anchor(revision, id),
        obligation: None,
        level: None,
    }
}

fn replaced_view(s: &Shared, lang: &str, revision: &str, r: &Replacement) -> ReplacedView {
    ReplacedView {
        kind: r.kind.as_str(),
        from: r
            .from
            .iter()
            .map(|m| measure_view(s, lang, revision, m))
            .collect(),
        to: r
            .to
            .iter()
            .map(|m| measure_view(s, lang, revision, m))
            .collect(),
        details: page_lang_first(&r.fields, lang)
            .into_iter()
            .map(|f| detail_view(s, lang, f))
            .collect(),
        mappings: r
            .mappings
            .iter()
            .map(|m| mappings_view(s, lang, m))
            .collect(),
    }
}

fn detail_view(s: &Shared, lang: &str, f: &FieldChange) -> DetailView {
    let other_lang = |l: &String| (l != lang).then(|| l.clone());
    let other_name = |l: &String| (l != lang).then(|| s.t(l, "language_name"));
    let obligation = |o: &str| s.t(lang, &format!("{o}_long"));
    let sector = |id: &String| {
        s.sector_names[lang]
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.clone())
    };
    let category = |id: &str| match s.baseline.category(id) {
        Some(c) => format!("{id} {}", c.text[lang].title),
        None => id.to_string(),
    };
    let line = |label: &str, old: String, new: String| DetailView {
        label: s.t(lang, label),
        lang: None,
        lang_name: None,
        old,
        new,
        block: false,
    };
    match f {
        FieldChange::Title { lang: l, old, new } => DetailView {
            lang: other_lang(l),
            lang_name: other_name(l),
            ..line("changes_field_title", old.clone(), new.clone())
        },
        FieldChange::Statement { lang: l, old, new } => DetailView {
            lang: other_lang(l),
            lang_name: other_name(l),
            block: true,
            ..line("statement", old.clone(), new.clone())
        },
        FieldChange::Level { old, new } => line("level", format!("Lv.{old}"), format!("Lv.{new}")),
        FieldChange::Obligation { old, new } => {
            line("obligation", obligation(old), obligation(new))
        }
        FieldChange::Sectors { added, removed, .. } => {
            let names = |v: &Vec<String>| v.iter().map(sector).collect::<Vec<_>>().join(", ");
            let mut parts = vec![];
            if !added.is_empty() {
                parts.push(format!(
                    "{}: {}",
                    s.t(lang, "changes_sectors_added"),
                    names(added)
                ));
            }
            if !removed.is_empty() {
                parts.push(format!(
                    "{}: {}",
                    s.t(lang, "changes_sectors_removed"),
                    names(removed)
                ));
            }
            DetailView {
                label: s.t(lang, "sectors"),
                lang: None,
                lang_name: None,
                old: String::new(),
                new: parts.join(" / "),
                block: false,
            }
        }
        FieldChange::Category { old, new } => line("category", category(old), category(new)),
    }
}

fn mappings_view(s: &Shared, lang: &str, m: &FrameworkMappingChanges) -> MappingsView {
    let fw = s.baseline.framework(&m.framework);
    let relation = |r: &str| s.t(lang, &format!("rel_{r}"));
    let mut rows: Vec<String> = m
        .added
        .iter()
        .map(|r| {
            format!(
                "{} {} ({})",
                s.t(lang, "changes_added"),
                r.item,
                relation(&r.relation)
            )
        })
        .collect();
    rows.extend(m.removed.iter().map(|r| {
        format!(
            "{} {} ({})",
            s.t(lang, "changes_removed"),
            r.item,
            relation(&r.relation)
        )
    }));
    rows.extend(m.changed.iter().map(|c| {
        let mut what = vec![];
        if c.old.relation != c.new.relation {
            what.push(format!(
                "{} → {}",
                relation(&c.old.relation),
                relation(&c.new.relation)
            ));
        }
        if c.old.rationale != c.new.rationale {
            let rat = |r: &str| s.t(lang, &format!("rat_{r}"));
            what.push(format!(
                "{}: {} → {}",
                s.t(lang, "rationale"),
                rat(&c.old.rationale),
                rat(&c.new.rationale)
            ));
        }
        if c.old.strength != c.new.strength {
            let n = |v: Option<u8>| v.map_or("–".to_string(), |x| format!("{x}/10"));
            what.push(format!(
                "{}: {} → {}",
                s.t(lang, "strength"),
                n(c.old.strength),
                n(c.new.strength)
            ));
        }
        format!(
            "{} {} ({})",
            s.t(lang, "changes_changed"),
            c.item,
            what.join(", ")
        )
    }));
    MappingsView {
        framework: fw.map_or_else(|| m.framework.clone(), |f| f.short_name().to_string()),
        href: fw.map(|f| urls::framework(lang, &f.id)),
        rows,
    }
}

fn feed_job(s: &Shared, lang: &str) -> PageJob {
    let config = &s.baseline.config;
    let base = config.base_url();
    let t = |key: &str| s.t(lang, key);
    let data = feed::build(
        &s.timeline,
        config,
        lang,
        &absolute(&base, &changes_href(lang)),
        &format!("{base}{}", feed_href(lang)),
        &t,
    );
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang);
    ctx.insert("feed", &data);
    PageJob {
        href: feed_href(lang),
        template: "feed.xml",
        context: ctx,
    }
}

/// A page at each retired id's URL: one successor → an instant redirect with a visible link and
/// a canonical link to it; several (a split) → a page listing them, without redirecting.
fn redirect_jobs(s: &Shared, lang: &str) -> Vec<PageJob> {
    let base = s.baseline.config.base_url();
    s.timeline
        .redirects
        .iter()
        .map(|r| {
            let href = urls::measure(lang, &r.from);
            let targets: Vec<Link> =
                r.to.iter()
                    .filter_map(|id| s.baseline.measure(id))
                    .map(|m| Link {
                        title: format!("{} {}", m.id, m.text[lang].page.title),
                        href: urls::measure(lang, &m.id),
                    })
                    .collect();
            let to_ids = r.to.join(", ");
            let title = if targets.len() == 1 {
                s.t(lang, "redirect_title")
            } else {
                s.t(lang, "redirect_split_title")
            }
            .replace("{old}", &r.from)
            .replace("{new}", &to_ids);
            let crumbs = s.crumbs(
                lang,
                &[(s.t(lang, "baseline_title"), urls::section(lang, "baseline"))],
            );
            let mut ctx = s.base_context(lang, &href, "redirect", &title, crumbs);
            if let [one] = targets.as_slice() {
                ctx.insert("canonical", &absolute(&base, &one.href));
            }
            ctx.insert("old_id", &r.from);
            ctx.insert("targets", &targets);
            PageJob {
                href,
                template: "redirect.html",
                context: ctx,
            }
        })
        .collect()
}

/// A page at each withdrawn measure's URL: which revision withdrew it and, from `[withdrawn]` in
/// kijun.toml, why. Nothing to redirect to, so it is `noindex` and links the changes page.
fn withdrawn_jobs(s: &Shared, lang: &str) -> Vec<PageJob> {
    s.timeline
        .withdrawn
        .iter()
        .map(|w| {
            let id = &w.measure.id;
            let href = urls::measure(lang, id);
            let title = s.t(lang, "withdrawn_title").replace("{id}", id);
            let crumbs = s.crumbs(
                lang,
                &[(s.t(lang, "baseline_title"), urls::section(lang, "baseline"))],
            );
            let mut ctx = s.base_context(lang, &href, "withdrawn", &title, crumbs);
            let old_title = w.measure.title.get(lang).cloned().unwrap_or_default();
            let reason = s
                .baseline
                .config
                .withdrawn
                .get(id)
                .and_then(|r| r.get(lang));
            ctx.insert("old_id", id);
            ctx.insert("old_title", &old_title);
            ctx.insert("withdrawn_in", &w.revision);
            ctx.insert(
                "withdrawn_href",
                &format!("{}#rev-{}", changes_href(lang), w.revision),
            );
            ctx.insert("reason", &reason);
            PageJob {
                href,
                template: "withdrawn.html",
                context: ctx,
            }
        })
        .collect()
}
