//! The pipeline end to end: config → load → model → render → write.
//! `build`, `check` and `serve` all go through here.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, LineCol};
use crate::export::bundle::Packer;
use crate::model::{Baseline, BuildOptions, build_baseline};
use crate::output::SiteOutput;
use crate::render::{self, RenderOptions, render_site};
use crate::theme::Theme;
use crate::write::{OutputFile, Staging};
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
    let _t = crate::timing::start("model (all)");
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
    let (built, out) = render(opts, |packer| Ok(SiteOutput::in_memory(packer)))?;
    let files = out.into_files();
    Ok(Built {
        paths: files.iter().map(|f| f.path.clone()).collect(),
        files,
        ..built
    })
}

/// Builds and swaps the result into `out`; on any error `out` is left as it was. Files are
/// written as they are made, into a staging folder beside `out` (`output.rs`).
pub fn build_to(opts: &SiteOptions, out: &Path) -> Result<Built, Diagnostics> {
    let (built, output) = render(opts, |packer| {
        Staging::new(out)
            .map(|staging| SiteOutput::streamed(staging, packer))
            .map_err(|e| write_error(out, &e))
    })?;
    let _timer = crate::timing::start("commit");
    output.commit().map_err(|e| single(write_error(out, &e)))?;
    Ok(built)
}

/// Builds the whole site as `kijun build` would, for its diagnostics only: every file is
/// dropped as soon as it is made (and no offline bundle is made), so a large site checks in
/// little memory.
pub fn check(opts: &SiteOptions) -> Result<Built, Diagnostics> {
    render(opts, |_| Ok(SiteOutput::discarding())).map(|(built, _)| built)
}

/// Loads, checks and renders into the `SiteOutput` that `output` makes (given the offline
/// bundle's packer, if this build makes one).
fn render(
    opts: &SiteOptions,
    output: impl FnOnce(Option<Packer>) -> Result<SiteOutput, Diagnostic>,
) -> Result<(Built, SiteOutput), Diagnostics> {
    let (baseline, mut diagnostics, inputs) = load_baseline(opts)?;
    let theme =
        Theme::load(&opts.root, &baseline.config.theme).map_err(|d| with(&diagnostics, d))?;
    let render_opts = RenderOptions {
        live_reload: opts.live_reload,
        drafts: opts.drafts,
    };
    let packer = render::packer(&baseline, &render_opts).map_err(|d| with(&diagnostics, d))?;
    let output = output(packer).map_err(|d| with(&diagnostics, d))?;
    render_site(&baseline, &theme, &render_opts, &output).map_err(|d| with(&diagnostics, d))?;
    let paths = output.finish().map_err(|d| with(&diagnostics, d))?;
    diagnostics = diagnostics.sorted();
    let built = Built {
        baseline,
        files: Vec::new(),
        paths,
        diagnostics,
        inputs,
    };
    Ok((built, output))
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
