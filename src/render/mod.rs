//! Stage 4: turn the baseline into pages with the theme's tera templates.
//!
//! Each page kind has a context builder in `pages.rs`; `context.rs` holds what every page shares
//! (language switcher, breadcrumbs, canonical URL). Rendering runs in parallel; the output order is
//! fixed, so identical sources give identical bytes.

mod assessment;
mod cache;
mod changes;
mod context;
mod crosswalk_pages;
mod downloads;
mod lookups;
mod pages;
mod rows;
mod search_docs;

use crate::diagnostics::{Diagnostic, LineCol};
use crate::export::bundle::{self, Packer};
use crate::model::Baseline;
use crate::output::SiteOutput;
use crate::theme::{Theme, error_chain};
use crate::write::OutputFile;
use rayon::prelude::*;
use std::collections::BTreeMap;

pub use cache::PageCache;
pub use context::RenderOptions;
pub use rows::{item_anchor, item_title};

/// One page to render: where it goes, which template, and its own data (the values every page
/// of its language shares are added when it is rendered, see `render_job`).
pub struct PageJob {
    pub href: String,
    pub template: &'static str,
    pub context: tera::Context,
}

/// A page not built yet: `all_jobs` lists thousands of these cheaply, and each is turned into
/// its `PageJob` (with its context) only on the thread that renders it.
pub type LazyJob<'s> = Box<dyn Fn() -> PageJob + Send + Sync + 's>;

/// Renders the whole site into `out`, then checks that no two files share a path.
pub fn render_site(
    baseline: &Baseline,
    theme: &Theme,
    opts: &RenderOptions,
    out: &SiteOutput,
) -> Result<(), Diagnostic> {
    let shared = shared(baseline, theme, opts)?;
    pages_and_data(&shared, theme, None, out)?;
    finish(&shared, theme, out)
}

/// Where `render_site` should put the files: the offline bundle is made for every build but
/// the live preview's.
pub fn packer(baseline: &Baseline, opts: &RenderOptions) -> Result<Option<Packer>, Diagnostic> {
    if opts.live_reload {
        return Ok(None);
    }
    let config = &baseline.config;
    Packer::new(&bundle::name(&config.revision), &config.revision_date)
        .map(Some)
        .map_err(|e| {
            Diagnostic::error("kijun.toml", LineCol::START, format!("offline bundle: {e}"))
                .with_help("set revision_date as YYYY-MM-DD")
        })
}

/// What all pages share, with the search layout of each language settled (the search page
/// loads its index accordingly).
fn shared<'a>(
    baseline: &'a Baseline,
    theme: &'a Theme,
    opts: &RenderOptions,
) -> Result<context::Shared<'a>, Diagnostic> {
    let mut shared = context::Shared::new(baseline, theme, opts)?;
    shared.search_split = search_layouts(baseline)
        .into_iter()
        .map(|(lang, _, split)| (lang.clone(), split))
        .collect();
    Ok(shared)
}

/// The search documents of each language and whether its index is split.
fn search_layouts(baseline: &Baseline) -> Vec<(&String, Vec<crate::search::SearchDoc>, bool)> {
    let _timer = crate::timing::start("search documents");
    baseline
        .languages
        .par_iter()
        .map(|lang| {
            let docs = search_docs::search_docs(baseline, lang);
            let split = baseline.config.search_index.splits(&docs);
            (lang, docs, split)
        })
        .collect()
}

/// The first half of `render_site`, for `kijun serve`: the pages, data and static files, which
/// is what a page reload needs. Pages whose context is unchanged since the build recorded in
/// `cache` reuse its HTML; the cache must be cleared when the theme changes.
pub fn render_pages(
    baseline: &Baseline,
    theme: &Theme,
    opts: &RenderOptions,
    cache: &mut PageCache,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let shared = shared(baseline, theme, opts)?;
    let out = SiteOutput::in_memory(None);
    pages_and_data(&shared, theme, Some(cache), &out)?;
    Ok(out.into_files())
}

/// The second half of `render_site`: what takes longest and what describes the rest (the
/// search index, the downloads and their page, the site map, the offline bundle); `files` ends
/// sorted by path. `kijun serve` runs it after the pages reloaded.
pub fn finish_site(
    baseline: &Baseline,
    theme: &Theme,
    opts: &RenderOptions,
    files: &mut Vec<OutputFile>,
) -> Result<(), Diagnostic> {
    let shared = shared(baseline, theme, opts)?;
    let out = SiteOutput::in_memory(packer(baseline, opts)?);
    out.put_all(std::mem::take(files))?;
    finish(&shared, theme, &out)?;
    *files = out.into_files();
    Ok(())
}

fn finish(shared: &context::Shared, theme: &Theme, out: &SiteOutput) -> Result<(), Diagnostic> {
    // One after the other: each holds a good deal of memory while it runs.
    search_index_files(shared.baseline, out)?;
    let kinds = downloads::exports(shared, out)?;
    // Their page, the site map and the offline bundle describe or hold the rest.
    downloads::finish(shared, theme, out, kinds)?;
    out.finish().map(|_| ())
}

/// The search index of each language: one script, or the parts of the split layout.
fn search_index_files(baseline: &Baseline, out: &SiteOutput) -> Result<(), Diagnostic> {
    let _timer = crate::timing::start("search index");
    search_layouts(baseline)
        .par_iter()
        .try_for_each(|(lang, docs, split)| {
            let groups = crate::search::synonyms::groups(&baseline.glossary, lang);
            crate::search::index_files(lang, docs, &groups, *split, &|file| out.put(file))
        })
}

/// The pages, the data files and the theme's static files.
fn pages_and_data(
    shared: &context::Shared,
    theme: &Theme,
    cache: Option<&mut PageCache>,
    out: &SiteOutput,
) -> Result<(), Diagnostic> {
    let _timer = crate::timing::start("pages");
    let jobs = pages::all_jobs(shared);
    let changes = changes::all_jobs(shared);
    match cache {
        Some(cache) => {
            let mut jobs: Vec<PageJob> = jobs.par_iter().map(|job| job()).collect();
            jobs.extend(changes);
            cache.keep_if_shared_values_are(shared.commons());
            let files = cache.render(jobs, |job| {
                let job = PageJob {
                    href: job.href.clone(),
                    template: job.template,
                    context: job.context.clone(),
                };
                render_job(theme, shared, &mut BTreeMap::new(), job)
            })?;
            out.put_all(files)?;
        }
        None => {
            // Each worker keeps its own copy of the values all pages of a language share, and
            // adds a page's own values to it only while rendering that page: copying the
            // shared values (the interface strings above all) for every page would cost more
            // than rendering many a page.
            jobs.par_iter()
                .try_for_each_init(BTreeMap::new, |commons, job| {
                    out.put(render_job(theme, shared, commons, job())?)
                })?;
            for job in changes {
                out.put(render_job(theme, shared, &mut BTreeMap::new(), job)?)?;
            }
        }
    }
    out.put_all(pages::data_files(shared))?;
    for (path, bytes) in &theme.static_files {
        out.put(OutputFile::new(format!("static/{path}"), bytes.clone()))?;
    }
    Ok(())
}

/// Renders a page with its own values added, for the time being, to the values all pages of its
/// language share (`commons` holds a worker's copies of those, made as needed).
fn render_job(
    theme: &Theme,
    shared: &context::Shared,
    commons: &mut BTreeMap<String, tera::Context>,
    job: PageJob,
) -> Result<OutputFile, Diagnostic> {
    let lang = job
        .context
        .get("lang")
        .and_then(|l| l.as_str())
        .unwrap_or(&shared.baseline.config.default_language)
        .to_string();
    let common = commons
        .entry(lang.clone())
        .or_insert_with(|| shared.common(&lang).clone());
    let page = job.context.into_json();
    let keys: Vec<String> = page
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    // A page value that shadows a shared one is put back afterwards.
    let shadowed: Vec<(String, tera::Value)> = keys
        .iter()
        .filter_map(|k| common.remove(k).map(|v| (k.clone(), v)))
        .collect();
    common.extend(tera::Context::from_value(page).expect("a page context is an object"));
    let rendered = theme.tera.render(job.template, common);
    for k in &keys {
        common.remove(k);
    }
    for (k, v) in shadowed {
        common.insert(k, &v);
    }
    let html = rendered.map_err(|e| {
        Diagnostic::error(
            format!("{}/templates/{}", theme.origin, job.template),
            LineCol::START,
            format!("cannot render {}: {}", job.href, error_chain(&e)),
        )
        .with_help("fix the template; `kijun check` runs the same rendering")
    })?;
    Ok(OutputFile::new(job.href.clone(), html))
}
