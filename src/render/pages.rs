//! One context builder per page kind. Each returns the jobs for every language.

use super::context::{Link, Shared};
use super::rows::{MappingRow, MeasureRow};
use super::{LazyJob, PageJob};
use crate::derive;
use crate::model::{Obligation, Text};
use crate::urls;
use crate::write::OutputFile;
use serde::Serialize;

pub const OBLIGATIONS: [Obligation; 2] = [Obligation::Required, Obligation::Recommended];
pub const LEVELS: [u8; 3] = [1, 2, 3];

/// Every page of the site, not built yet: each job builds its context when it is rendered.
pub fn all_jobs<'s>(shared: &'s Shared) -> Vec<LazyJob<'s>> {
    fn lazy<'s>(f: impl Fn() -> PageJob + Send + Sync + 's) -> LazyJob<'s> {
        Box::new(f)
    }
    let b = shared.baseline;
    let mut jobs: Vec<LazyJob<'s>> = Vec::new();
    for lang in &b.languages {
        let lang = lang.as_str();
        jobs.push(lazy(move || home(shared, lang)));
        jobs.push(lazy(move || baseline_index(shared, lang, None)));
        for obligation in OBLIGATIONS {
            for level in LEVELS {
                jobs.push(lazy(move || {
                    baseline_index(shared, lang, Some((obligation, level)))
                }));
            }
        }
        jobs.push(lazy(move || matrix(shared, lang)));
        for c in &b.categories {
            jobs.push(lazy(move || category(shared, lang, &c.id)));
        }
        for m in &b.measures {
            jobs.push(lazy(move || measure(shared, lang, &m.id)));
        }
        jobs.push(lazy(move || guidelines_index(shared, lang)));
        for g in &b.guidelines {
            jobs.push(lazy(move || guideline(shared, lang, &g.id)));
        }
        jobs.push(lazy(move || sectors_index(shared, lang)));
        for x in &b.sectors {
            jobs.push(lazy(move || sector(shared, lang, &x.id)));
        }
        jobs.push(lazy(move || frameworks_index(shared, lang)));
        for f in &b.frameworks {
            jobs.push(lazy(move || {
                super::crosswalk_pages::framework(shared, lang, &f.id)
            }));
            jobs.push(lazy(move || {
                super::crosswalk_pages::already_following(shared, lang, &f.id)
            }));
        }
        jobs.push(lazy(move || glossary(shared, lang)));
        jobs.push(lazy(move || search(shared, lang)));
        jobs.push(lazy(move || super::assessment::page(shared, lang)));
        for p in &b.pages {
            jobs.push(lazy(move || page(shared, lang, &p.id)));
        }
    }
    jobs.push(lazy(move || root_index(shared)));
    jobs.push(lazy(move || not_found(shared)));
    jobs
}

/// Files that are not pages: the manifest and other data.
pub fn data_files(shared: &Shared) -> Vec<OutputFile> {
    let mut files = vec![OutputFile::new(
        "downloads/baseline.json",
        crate::manifest::manifest_json(shared.baseline),
    )];
    files.extend(super::assessment::data_files(shared));
    files
}

fn job(href: String, template: &'static str, context: tera::Context) -> PageJob {
    PageJob {
        href,
        template,
        context,
    }
}

fn with_text(ctx: &mut tera::Context, text: &Text) {
    ctx.insert("content", &text.html);
    ctx.insert("headings", &text.headings);
    ctx.insert("fallback", &text.fallback);
}

fn home(s: &Shared, lang: &str) -> PageJob {
    let href = urls::home(lang);
    let text = &s.baseline.home[lang];
    let mut ctx = s.base_context(lang, &href, "home", &text.title, vec![]);
    with_text(&mut ctx, text);
    #[derive(Serialize)]
    struct CategoryCard {
        id: String,
        title: String,
        href: String,
        measures: usize,
        required: usize,
    }
    let cards: Vec<CategoryCard> = s
        .baseline
        .categories
        .iter()
        .map(|c| CategoryCard {
            id: c.id.clone(),
            title: c.text[lang].title.clone(),
            href: urls::category(lang, &c.id),
            measures: s.measures_in(&c.id).count(),
            required: s
                .measures_in(&c.id)
                .filter(|m| m.obligation == Obligation::Required)
                .count(),
        })
        .collect();
    ctx.insert("categories", &cards);
    ctx.insert("measure_count", &s.baseline.measures.len());
    ctx.insert("sector_count", &s.baseline.sectors.len());
    ctx.insert("framework_count", &s.baseline.frameworks.len());
    let starter = s
        .baseline
        .guidelines
        .iter()
        .find(|g| g.template.as_deref() == Some("getting-started"));
    ctx.insert(
        "getting_started",
        &starter.map(|g| Link {
            title: g.text[lang].title.clone(),
            href: urls::guideline(lang, &g.id),
        }),
    );
    job(href, "home.html", ctx)
}

/// The measure list, whole or for one obligation and level.
fn baseline_index(s: &Shared, lang: &str, filter: Option<(Obligation, u8)>) -> PageJob {
    let all_href = urls::section(lang, "baseline");
    let (href, title) = match filter {
        None => (all_href.clone(), s.t(lang, "baseline_title")),
        Some((o, l)) => (
            format!("{lang}/baseline/{}-{l}/index.html", o.as_str()),
            format!(
                "{} {} Lv.{l}",
                s.t(lang, "baseline_title"),
                s.t(lang, o.as_str())
            ),
        ),
    };
    let crumbs = match filter {
        None => s.crumbs(lang, &[]),
        Some(_) => s.crumbs(lang, &[(s.t(lang, "baseline_title"), all_href.clone())]),
    };
    let mut ctx = s.base_context(lang, &href, "baseline", &title, crumbs);
    let groups = s.category_groups(
        lang,
        |m| filter.is_none_or(|(o, l)| m.obligation == o && m.level == l),
        filter.is_none(),
    );
    ctx.insert("groups", &groups);
    ctx.insert("filtered", &filter.is_some());
    ctx.insert(
        "total",
        &groups.iter().map(|g| g.measures.len()).sum::<usize>(),
    );
    #[derive(Serialize)]
    struct View {
        title: String,
        href: String,
        current: bool,
        count: usize,
    }
    let views: Vec<View> = OBLIGATIONS
        .iter()
        .flat_map(|o| LEVELS.iter().map(move |l| (*o, *l)))
        .map(|(o, l)| View {
            title: format!("{} Lv.{l}", s.t(lang, o.as_str())),
            href: format!("{lang}/baseline/{}-{l}/index.html", o.as_str()),
            current: filter == Some((o, l)),
            count: s
                .baseline
                .measures
                .iter()
                .filter(|m| m.obligation == o && m.level == l)
                .count(),
        })
        .collect();
    ctx.insert("views", &views);
    ctx.insert("all_href", &all_href);
    let sectors: Vec<Link> = s
        .baseline
        .sectors
        .iter()
        .map(|x| Link {
            title: x.text[lang].title.clone(),
            href: x.id.clone(),
        })
        .collect();
    ctx.insert("sectors", &sectors);
    job(href, "baseline.html", ctx)
}

/// Categories × (required, recommended) × Lv.1–3, as in the government's outline.
fn matrix(s: &Shared, lang: &str) -> PageJob {
    let href = urls::section(lang, "matrix");
    let title = s.t(lang, "matrix_title");
    let mut ctx = s.base_context(lang, &href, "matrix", &title, s.crumbs(lang, &[]));
    #[derive(Serialize)]
    struct Cell {
        count: usize,
        href: String,
        label: String,
    }
    #[derive(Serialize)]
    struct Row {
        id: String,
        title: String,
        href: String,
        cells: Vec<Cell>,
        total: usize,
    }
    let cell = |cat: Option<&str>, o: Obligation, l: u8| {
        let count = s
            .baseline
            .measures
            .iter()
            .filter(|m| cat.is_none_or(|c| m.category == c) && m.obligation == o && m.level == l)
            .count();
        let anchor = cat
            .map(|c| format!("#cat-{}", urls::slug(c)))
            .unwrap_or_default();
        Cell {
            count,
            href: format!("{lang}/baseline/{}-{l}/index.html{anchor}", o.as_str()),
            label: format!("{} Lv.{l}", s.t(lang, o.as_str())),
        }
    };
    let rows: Vec<Row> = s
        .baseline
        .categories
        .iter()
        .map(|c| Row {
            id: c.id.clone(),
            title: c.text[lang].title.clone(),
            href: urls::category(lang, &c.id),
            cells: OBLIGATIONS
                .iter()
                .flat_map(|o| LEVELS.iter().map(|l| cell(Some(&c.id), *o, *l)))
                .collect(),
            total: s.measures_in(&c.id).count(),
        })
        .collect();
    let totals: Vec<Cell> = OBLIGATIONS
        .iter()
        .flat_map(|o| LEVELS.iter().map(|l| cell(None, *o, *l)))
        .collect();
    ctx.insert("rows", &rows);
    ctx.insert("totals", &totals);
    ctx.insert("total", &s.baseline.measures.len());
    ctx.insert("levels", &LEVELS);
    job(href, "matrix.html", ctx)
}

fn category(s: &Shared, lang: &str, id: &str) -> PageJob {
    let c = s.baseline.category(id).expect("category exists");
    let href = urls::category(lang, id);
    let text = &c.text[lang];
    let crumbs = s.crumbs(
        lang,
        &[(s.t(lang, "baseline_title"), urls::section(lang, "baseline"))],
    );
    let mut ctx = s.base_context(lang, &href, "category", &text.title, crumbs);
    with_text(&mut ctx, text);
    ctx.insert("category_id", id);
    let measures: Vec<&MeasureRow> = s.measures_in(id).map(|m| s.row(lang, m)).collect();
    ctx.insert("measures", &measures);
    let guidelines: Vec<Link> = s
        .baseline
        .guidelines
        .iter()
        .filter(|g| g.categories.iter().any(|c| c == id))
        .map(|g| Link {
            title: g.text[lang].title.clone(),
            href: urls::guideline(lang, &g.id),
        })
        .collect();
    ctx.insert("guidelines", &guidelines);
    job(href, "category.html", ctx)
}

fn measure(s: &Shared, lang: &str, id: &str) -> PageJob {
    let b = s.baseline;
    let m = b.measure(id).expect("measure exists");
    let text = &m.text[lang];
    let href = urls::measure(lang, id);
    let cat = b.category(&m.category).expect("category checked");
    let crumbs = s.crumbs(
        lang,
        &[
            (s.t(lang, "baseline_title"), urls::section(lang, "baseline")),
            (cat.text[lang].title.clone(), urls::category(lang, &cat.id)),
        ],
    );
    let title = format!("{} {}", m.id, text.page.title);
    let mut ctx = s.base_context(lang, &href, "measure", &title, crumbs);
    with_text(&mut ctx, &text.page);
    ctx.insert("measure", s.row(lang, m));
    ctx.insert("page_draft", &m.draft);
    #[derive(Serialize)]
    struct Note {
        sector: String,
        sector_name: String,
        href: String,
        html: String,
    }
    let names = &s.sector_names[lang];
    let notes: Vec<Note> = text
        .sector_notes
        .iter()
        .map(|n| Note {
            sector: n.sector.clone(),
            sector_name: names
                .get(&n.sector)
                .cloned()
                .unwrap_or_else(|| n.sector.clone()),
            href: urls::sector(lang, &n.sector),
            html: n.html.clone(),
        })
        .collect();
    ctx.insert("sector_notes", &notes);
    #[derive(Serialize)]
    struct FrameworkMappings {
        id: String,
        name: String,
        href: String,
        /// Where the measure stands for an operator who follows the framework.
        status: &'static str,
        status_key: &'static str,
        /// What the measure asks beyond the framework.
        remains: Option<String>,
        rows: Vec<MappingRow>,
    }
    let mappings: Vec<FrameworkMappings> = b
        .frameworks
        .iter()
        .map(|fw| {
            let cw = b.crosswalks.iter().find(|c| c.framework == fw.id);
            let rows: Vec<MappingRow> = cw
                .map(|cw| {
                    cw.rows_of(&m.id)
                        .map(|r| MappingRow::new(s, fw, r, lang))
                        .collect()
                })
                .unwrap_or_default();
            let credit = derive::credit(cw, &m.id);
            FrameworkMappings {
                id: fw.id.clone(),
                name: fw.short_name().to_string(),
                href: urls::framework(lang, &fw.id),
                status: credit.as_str(),
                status_key: credit.key(),
                remains: derive::remains_text(cw, &m.id, lang, &b.config.default_language)
                    .map(str::to_string),
                rows,
            }
        })
        .collect();
    ctx.insert("mappings", &mappings);
    let guidelines: Vec<Link> = b
        .guidelines
        .iter()
        .filter(|g| g.measures.iter().any(|x| x == id))
        .map(|g| Link {
            title: g.text[lang].title.clone(),
            href: urls::guideline(lang, &g.id),
        })
        .collect();
    ctx.insert("guidelines", &guidelines);
    let siblings: Vec<&crate::model::Measure> = s.measures_in(&m.category).collect();
    let pos = siblings.iter().position(|x| x.id == m.id).unwrap_or(0);
    let link_to = |x: &crate::model::Measure| Link {
        title: format!("{} {}", x.id, x.text[lang].page.title),
        href: urls::measure(lang, &x.id),
    };
    ctx.insert(
        "previous",
        &pos.checked_sub(1).map(|i| link_to(siblings[i])),
    );
    ctx.insert("next", &siblings.get(pos + 1).map(|x| link_to(x)));
    ctx.insert("replaces", &m.replaces);
    ctx.insert("last_changed", &super::changes::last_changed(s, lang, id));
    job(href, "measure.html", ctx)
}

fn guidelines_index(s: &Shared, lang: &str) -> PageJob {
    let href = urls::section(lang, "guidelines");
    let title = s.t(lang, "guidelines_title");
    let mut ctx = s.base_context(lang, &href, "guidelines", &title, s.crumbs(lang, &[]));
    #[derive(Serialize)]
    struct Item {
        title: String,
        href: String,
        categories: Vec<Link>,
        fallback: bool,
    }
    let items: Vec<Item> = s
        .baseline
        .guidelines
        .iter()
        .map(|g| Item {
            title: g.text[lang].title.clone(),
            href: urls::guideline(lang, &g.id),
            categories: g
                .categories
                .iter()
                .filter_map(|c| s.baseline.category(c))
                .map(|c| Link {
                    title: c.text[lang].title.clone(),
                    href: urls::category(lang, &c.id),
                })
                .collect(),
            fallback: g.text[lang].fallback,
        })
        .collect();
    ctx.insert("guidelines", &items);
    job(href, "guidelines.html", ctx)
}

fn guideline(s: &Shared, lang: &str, id: &str) -> PageJob {
    let g = s
        .baseline
        .guidelines
        .iter()
        .find(|g| g.id == id)
        .expect("guideline exists");
    let text = &g.text[lang];
    let href = urls::guideline(lang, id);
    let crumbs = s.crumbs(
        lang,
        &[(
            s.t(lang, "guidelines_title"),
            urls::section(lang, "guidelines"),
        )],
    );
    let mut ctx = s.base_context(lang, &href, "guideline", &text.title, crumbs);
    with_text(&mut ctx, text);
    ctx.insert("page_draft", &g.draft);
    let measures: Vec<&MeasureRow> = g
        .measures
        .iter()
        .filter_map(|m| s.baseline.measure(m))
        .map(|m| s.row(lang, m))
        .collect();
    ctx.insert("measures", &measures);
    let categories: Vec<Link> = g
        .categories
        .iter()
        .filter_map(|c| s.baseline.category(c))
        .map(|c| Link {
            title: c.text[lang].title.clone(),
            href: urls::category(lang, &c.id),
        })
        .collect();
    ctx.insert("categories", &categories);
    let sectors: Vec<Link> = g
        .sectors
        .iter()
        .map(|x| Link {
            title: s.sector_names[lang].get(x).cloned().unwrap_or_default(),
            href: urls::sector(lang, x),
        })
        .collect();
    ctx.insert("sectors", &sectors);
    // The getting-started page lists every level-1 required measure, in baseline order.
    let checklist: Vec<&MeasureRow> = if g.template.as_deref() == Some("getting-started") {
        s.baseline
            .measures
            .iter()
            .filter(|m| m.level == 1 && m.obligation == Obligation::Required)
            .map(|m| s.row(lang, m))
            .collect()
    } else {
        vec![]
    };
    ctx.insert("checklist", &checklist);
    job(href, "guideline.html", ctx)
}

fn sectors_index(s: &Shared, lang: &str) -> PageJob {
    let href = urls::section(lang, "sectors");
    let title = s.t(lang, "sectors_title");
    let mut ctx = s.base_context(lang, &href, "sectors", &title, s.crumbs(lang, &[]));
    #[derive(Serialize)]
    struct Item {
        id: String,
        title: String,
        href: String,
        measures: usize,
        notes: usize,
    }
    let items: Vec<Item> = s
        .baseline
        .sectors
        .iter()
        .map(|x| Item {
            id: x.id.clone(),
            title: x.text[lang].title.clone(),
            href: urls::sector(lang, &x.id),
            measures: s
                .baseline
                .measures
                .iter()
                .filter(|m| m.applies_to(&x.id))
                .count(),
            notes: s
                .baseline
                .measures
                .iter()
                .filter(|m| m.text[lang].sector_notes.iter().any(|n| n.sector == x.id))
                .count(),
        })
        .collect();
    ctx.insert("sectors", &items);
    job(href, "sectors.html", ctx)
}

fn sector(s: &Shared, lang: &str, id: &str) -> PageJob {
    let x = s
        .baseline
        .sectors
        .iter()
        .find(|x| x.id == id)
        .expect("sector exists");
    let text = &x.text[lang];
    let href = urls::sector(lang, id);
    let crumbs = s.crumbs(
        lang,
        &[(s.t(lang, "sectors_title"), urls::section(lang, "sectors"))],
    );
    let mut ctx = s.base_context(lang, &href, "sector", &text.title, crumbs);
    with_text(&mut ctx, text);
    ctx.insert("sector_id", id);
    #[derive(Serialize)]
    struct Row<'r> {
        #[serde(flatten)]
        measure: &'r MeasureRow,
        note: Option<&'r str>,
    }
    #[derive(Serialize)]
    struct Group<'r> {
        id: String,
        title: String,
        rows: Vec<Row<'r>>,
    }
    let groups: Vec<Group> = s
        .baseline
        .categories
        .iter()
        .map(|c| Group {
            id: c.id.clone(),
            title: c.text[lang].title.clone(),
            rows: s
                .measures_in(&c.id)
                .filter(|m| m.applies_to(id))
                .map(|m| Row {
                    measure: s.row(lang, m),
                    note: m.text[lang]
                        .sector_notes
                        .iter()
                        .find(|n| n.sector == id)
                        .map(|n| n.html.as_str()),
                })
                .collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    ctx.insert("groups", &groups);
    let guidelines: Vec<Link> = s
        .baseline
        .guidelines
        .iter()
        .filter(|g| g.sectors.iter().any(|x| x == id))
        .map(|g| Link {
            title: g.text[lang].title.clone(),
            href: urls::guideline(lang, &g.id),
        })
        .collect();
    ctx.insert("guidelines", &guidelines);
    job(href, "sector.html", ctx)
}

#[derive(Serialize)]
pub(super) struct FrameworkSummary {
    id: String,
    name: String,
    full_name: String,
    version: String,
    href: String,
    items: usize,
    coverage: derive::Coverage,
    crosswalk: Option<CrosswalkMeta>,
    /// Its "Already following X?" page.
    already_href: String,
}

#[derive(Serialize)]
struct CrosswalkMeta {
    version: String,
    status: &'static str,
    date: String,
    comprehensive: bool,
    note: String,
}

pub(super) fn framework_summary(
    s: &Shared,
    lang: &str,
    fw: &crate::model::Framework,
) -> FrameworkSummary {
    let cw = s.baseline.crosswalks.iter().find(|c| c.framework == fw.id);
    FrameworkSummary {
        id: fw.id.clone(),
        name: fw.short_name().to_string(),
        full_name: fw
            .meta
            .name_i18n
            .get(lang)
            .cloned()
            .unwrap_or_else(|| fw.meta.name.clone()),
        version: fw.meta.version.clone(),
        href: urls::framework(lang, &fw.id),
        items: fw.items.len(),
        coverage: derive::coverage(fw, cw, s.baseline),
        crosswalk: cw.map(|c| CrosswalkMeta {
            version: c.version.clone(),
            status: c.status.as_str(),
            date: c.date.clone(),
            comprehensive: c.comprehensive,
            note: c.notes.get(lang).cloned().unwrap_or_default(),
        }),
        already_href: super::crosswalk_pages::already_href(lang, &fw.id),
    }
}

fn frameworks_index(s: &Shared, lang: &str) -> PageJob {
    let href = urls::section(lang, "frameworks");
    let title = s.t(lang, "frameworks_title");
    let mut ctx = s.base_context(lang, &href, "frameworks", &title, s.crumbs(lang, &[]));
    let items: Vec<FrameworkSummary> = s
        .baseline
        .frameworks
        .iter()
        .map(|fw| framework_summary(s, lang, fw))
        .collect();
    ctx.insert("frameworks", &items);
    job(href, "frameworks.html", ctx)
}

fn glossary(s: &Shared, lang: &str) -> PageJob {
    let href = urls::section(lang, "glossary");
    let title = s.t(lang, "glossary_title");
    let mut ctx = s.base_context(lang, &href, "glossary", &title, s.crumbs(lang, &[]));
    #[derive(Serialize)]
    struct Entry {
        id: String,
        anchor: String,
        name: String,
        reading: Option<String>,
        other: Vec<(String, String)>,
        definition: String,
        see: Vec<Link>,
    }
    let name_of = |id: &str| {
        s.baseline
            .glossary
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.names.get(lang))
            .cloned()
            .unwrap_or_default()
    };
    let mut entries: Vec<Entry> = s
        .baseline
        .glossary
        .iter()
        .map(|t| Entry {
            id: t.id.clone(),
            anchor: format!("term-{}", urls::slug(&t.id)),
            name: t.names.get(lang).cloned().unwrap_or_default(),
            reading: if lang == "ja" {
                t.reading.clone()
            } else {
                None
            },
            other: t
                .names
                .iter()
                .filter(|(l, _)| *l != lang)
                .map(|(l, n)| (l.clone(), n.clone()))
                .collect(),
            definition: t.definition.get(lang).cloned().unwrap_or_default(),
            see: t
                .see
                .iter()
                .map(|id| Link {
                    title: name_of(id),
                    href: format!("#term-{}", urls::slug(id)),
                })
                .collect(),
        })
        .collect();
    // Japanese sorts by kana reading (gojūon order), other languages case-insensitively by name.
    entries
        .sort_by_cached_key(|e| crate::collate::sort_key(e.reading.as_deref().unwrap_or(&e.name)));
    ctx.insert("terms", &entries);
    job(href, "glossary.html", ctx)
}

fn search(s: &Shared, lang: &str) -> PageJob {
    let href = urls::section(lang, "search");
    let title = s.t(lang, "search_title");
    let mut ctx = s.base_context(lang, &href, "search", &title, s.crumbs(lang, &[]));
    ctx.insert(
        "search_split",
        &s.search_split.get(lang).copied().unwrap_or(false),
    );
    job(href, "search.html", ctx)
}

fn page(s: &Shared, lang: &str, id: &str) -> PageJob {
    let p = s
        .baseline
        .pages
        .iter()
        .find(|p| p.id == id)
        .expect("page exists");
    let text = &p.text[lang];
    let href = urls::page(lang, id);
    let mut ctx = s.base_context(lang, &href, "page", &text.title, s.crumbs(lang, &[]));
    with_text(&mut ctx, text);
    ctx.insert("page_draft", &p.draft);
    job(href, "page.html", ctx)
}

/// The site root: points to each language.
fn root_index(s: &Shared) -> PageJob {
    let lang = s.baseline.config.default_language.clone();
    let href = "index.html".to_string();
    let mut ctx = s.base_context(
        &lang,
        &href,
        "root",
        &s.baseline.config.language(&lang).title,
        vec![],
    );
    let langs: Vec<Link> = s
        .baseline
        .languages
        .iter()
        .map(|l| Link {
            title: s.baseline.config.language(l).title.clone(),
            href: urls::home(l),
        })
        .collect();
    ctx.insert("languages", &langs);
    job(href, "root.html", ctx)
}

fn not_found(s: &Shared) -> PageJob {
    let lang = s.baseline.config.default_language.clone();
    let href = urls::NOT_FOUND.to_string();
    let mut ctx = s.base_context(&lang, &href, "404", &s.t(&lang, "not_found_title"), vec![]);
    let langs: Vec<Link> = s
        .baseline
        .languages
        .iter()
        .map(|l| Link {
            title: s.t(l, "not_found_text"),
            href: urls::home(l),
        })
        .collect();
    ctx.insert("languages", &langs);
    job(href, "404.html", ctx)
}
