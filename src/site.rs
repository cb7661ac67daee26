//! The pipeline end to end: config → load → model → render → write.
//! `build`, `check` and `serve` all go through here.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, LineCol};
use crate::model::{Baseline, BuildOptions, build_baseline};
use crate::render::{RenderOptions, render_site};
use crate::theme::Theme;
use crate::write::{OutputFile, write_site};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct SiteOptions {
    pub root: PathBuf,
    pub drafts: bool,
    /// Overrides `base_url` from kijun.toml.
    pub base_url: Option<String>,
    /// Inject the live-reload client (serve mode only).
    pub live_reload: bool,
}

/// A successful build: the files (in memory for `build`; written already by `build_to`, which
/// keeps none) and the warnings met on the way.
pub struct Built {
    pub baseline: Baseline,
    pub files: Vec<OutputFile>,
    /// Site-relative paths of every file built, sorted.
    pub paths: Vec<String>,
    pub diagnostics: Diagnostics,
    /// Source files read, for watchers.
    pub inputs: Vec<PathBuf>,
}

impl Built {
    pub fn page_count(&self) -> usize {
        self.paths.iter().filter(|p| p.ends_with(".html")).count()
    }
}

/// Loads and checks the sources; returns the baseline or every diagnostic found.
pub fn load_baseline(
    opts: &SiteOptions,
) -> Result<(Baseline, Diagnostics, Vec<PathBuf>), Diagnostics> {
    let mut config = Config::load(&opts.root).map_err(single)?;
    if let Some(url) = &opts.base_url {
        config.base_url = url.clone();
    }
    let (baseline, diags, inputs) = build_baseline(
        &opts.root,
        &config,
        BuildOptions {
            drafts: opts.drafts,
        },
    );
    match baseline {
        Some(b) => Ok((b, diags, inputs)),
        None => Err(diags),
    }
}

/// Builds the whole site in memory.
pub fn build(opts: &SiteOptions) -> Result<Built, Diagnostics> {
    let (baseline, mut diagnostics, inputs) = load_baseline(opts)?;
    let theme =
        Theme::load(&opts.root, &baseline.config.theme).map_err(|d| with(&diagnostics, d))?;
    let render_opts = RenderOptions {
        live_reload: opts.live_reload,
        drafts: opts.drafts,
    };
    let files = render_site(&baseline, &theme, &render_opts).map_err(|d| with(&diagnostics, d))?;
    diagnostics = diagnostics.sorted();
    Ok(Built {
        baseline,
        paths: files.iter().map(|f| f.path.clone()).collect(),
        files,
        diagnostics,
        inputs,
    })
}

/// Builds and swaps the result into `out`; on any error `out` is left as it was.
pub fn build_to(opts: &SiteOptions, out: &Path) -> Result<Built, Diagnostics> {
    let mut built = build(opts)?;
    let _timer = crate::timing::start("write");
    write_site(out, &built.files).map_err(|e| single(write_error(out, &e)))?;
    built.files = Vec::new();
    Ok(built)
}

fn write_error(out: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        out.display().to_string(),
        LineCol::START,
        format!("cannot write the site: {e}"),
    )
    .with_help("check that the output folder's parent exists and is writable")
}

fn single(d: Diagnostic) -> Diagnostics {
    Diagnostics { items: vec![d] }
}

fn with(existing: &Diagnostics, d: Diagnostic) -> Diagnostics {
    let mut all = existing.clone();
    all.push(d);
    all
}
