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
mod pages;
mod rows;
mod search_docs;

use crate::diagnostics::{Diagnostic, LineCol};
use crate::model::Baseline;
use crate::theme::{Theme, error_chain};
use crate::write::OutputFile;
use rayon::prelude::*;

pub use cache::PageCache;
pub use context::RenderOptions;
pub use rows::{item_anchor, item_title};

/// One page to render: where it goes, which template, and its data.
pub struct PageJob {
    pub href: String,
    pub template: &'static str,
    pub context: tera::Context,
}

pub fn render_site(
    baseline: &Baseline,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let shared = context::Shared::new(baseline, theme, opts)?;
    let mut files = pages_and_data(&shared, theme, None)?;
    finish(&shared, theme, &mut files)?;
    Ok(files)
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
    let shared = context::Shared::new(baseline, theme, opts)?;
    pages_and_data(&shared, theme, Some(cache))
}

/// The second half of `render_site`: what takes longest and what describes the rest (the
/// search index, the downloads and their page, the site map, the offline bundle); then sorts
/// `files` and checks that no two share a path. `kijun serve` runs it after the pages reloaded.
pub fn finish_site(
    baseline: &Baseline,
    theme: &Theme,
    opts: &RenderOptions,
    files: &mut Vec<OutputFile>,
) -> Result<(), Diagnostic> {
    let shared = context::Shared::new(baseline, theme, opts)?;
    finish(&shared, theme, files)
}

fn finish(
    shared: &context::Shared,
    theme: &Theme,
    files: &mut Vec<OutputFile>,
) -> Result<(), Diagnostic> {
    files.extend(search_index_files(shared.baseline));
    // Downloads, their page, the site map and the offline bundle describe or hold the rest.
    downloads::finish(shared, theme, files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(pair) = files.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(Diagnostic::error(
            "content",
            LineCol::START,
            format!("two pages would be written to {}", pair[0].path),
        )
        .with_help("two ids map to the same URL (ids are case-insensitive in URLs); rename one"));
    }
    Ok(())
}

/// The search index, one script per language.
fn search_index_files(baseline: &Baseline) -> Vec<OutputFile> {
    baseline
        .languages
        .par_iter()
        .map(|lang| {
            let docs = search_docs::search_docs(baseline, lang);
            let js = crate::search::build_language_index(lang, &docs);
            OutputFile::new(format!("search/search-index.{lang}.js"), js)
        })
        .collect()
}

/// The pages, the data files and the theme's static files.
fn pages_and_data(
    shared: &context::Shared,
    theme: &Theme,
    cache: Option<&mut PageCache>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut jobs = pages::all_jobs(shared);
    jobs.extend(changes::all_jobs(shared));
    let mut files: Vec<OutputFile> = match cache {
        Some(cache) => cache.render(jobs, |job| render_job(theme, job))?,
        None => jobs
            .par_iter()
            .map(|job| render_job(theme, job))
            .collect::<Result<_, _>>()?,
    };
    files.extend(pages::data_files(shared));
    for (path, bytes) in &theme.static_files {
        files.push(OutputFile::new(format!("static/{path}"), bytes.clone()));
    }
    Ok(files)
}

fn render_job(theme: &Theme, job: &PageJob) -> Result<OutputFile, Diagnostic> {
    let html = theme.tera.render(job.template, &job.context).map_err(|e| {
        Diagnostic::error(
            format!("{}/templates/{}", theme.origin, job.template),
            LineCol::START,
            format!("cannot render {}: {}", job.href, error_chain(&e)),
        )
        .with_help("fix the template; `kijun check` runs the same rendering")
    })?;
    Ok(OutputFile::new(job.href.clone(), html))
}
