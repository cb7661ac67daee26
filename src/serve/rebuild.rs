//! Rebuilds in memory, redoing only the stages a change can affect: a content edit reloads the
//! model but keeps the parsed theme; a template edit keeps the model and re-parses the theme;
//! a `kijun.toml` edit redoes everything. Pages whose context did not change are not rendered
//! again, and the search index (slow, and needed by one page) is built separately, after the
//! pages have been reloaded.

use super::watch::Changes;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Baseline;
use crate::render::{PageCache, RenderOptions, render_all_but_search_index, search_index_files};
use crate::site::{SiteOptions, load_baseline};
use crate::theme::Theme;
use crate::write::OutputFile;
use std::time::{Duration, Instant};

pub struct Rebuilder {
    opts: SiteOptions,
    /// The checked model of the last successful load, with its warnings.
    model: Option<(Baseline, Diagnostics)>,
    /// The parsed theme (tera templates, strings, static files) of the last successful load.
    theme: Option<Theme>,
    /// Pages of the last build, reused when their context has not changed.
    pages: PageCache,
}

/// A successful rebuild.
pub struct Rebuilt {
    /// Every site file except the search index.
    pub files: Vec<OutputFile>,
    /// The model was reloaded, so the search index must be built again.
    pub search_index_stale: bool,
    pub warnings: Diagnostics,
    pub timings: Timings,
}

/// Where the time of one rebuild went; `None` for a stage that was reused.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub model: Option<Duration>,
    pub theme: Option<Duration>,
    pub render: Duration,
    /// Pages rendered anew; the others were reused from the last build.
    pub rendered: usize,
    pub pages: usize,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        match self.model {
            Some(d) => write!(f, "load+model {:.0} ms", ms(d))?,
            None => write!(f, "model reused")?,
        }
        match self.theme {
            Some(d) => write!(f, ", theme {:.0} ms", ms(d))?,
            None => write!(f, ", theme reused")?,
        }
        write!(
            f,
            ", render {:.0} ms ({} of {} pages rendered)",
            ms(self.render),
            self.rendered,
            self.pages
        )
    }
}

impl Rebuilder {
    pub fn new(opts: SiteOptions) -> Rebuilder {
        Rebuilder {
            opts,
            model: None,
            theme: None,
            pages: PageCache::default(),
        }
    }

    /// Frees what the last rebuild replaced; call once its result has been published.
    pub fn tidy(&mut self) {
        self.pages.tidy();
    }

    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        if changes.config || changes.content {
            self.model = None;
        }
        // The theme's name is in kijun.toml, so a config change reloads the theme too.
        if changes.config || changes.theme {
            self.theme = None;
        }
        let mut timings = Timings::default();
        if self.model.is_none() {
            let started = Instant::now();
            let (baseline, warnings, _inputs) = load_baseline(&self.opts)?;
            self.model = Some((baseline, warnings));
            timings.model = Some(started.elapsed());
        }
        let (baseline, warnings) = self.model.as_ref().expect("model loaded above");
        if self.theme.is_none() {
            let started = Instant::now();
            let theme = Theme::load(&self.opts.root, &baseline.config.theme)
                .map_err(|d| with(warnings, d))?;
            self.theme = Some(theme);
            // Same contexts, new templates: nothing rendered before can be reused.
            self.pages.clear();
            timings.theme = Some(started.elapsed());
        }
        let theme = self.theme.as_ref().expect("theme loaded above");
        let started = Instant::now();
        let render_opts = RenderOptions {
            live_reload: self.opts.live_reload,
            drafts: self.opts.drafts,
        };
        let files = render_all_but_search_index(baseline, theme, &render_opts, &mut self.pages)
            .map_err(|d| with(warnings, d))?;
        timings.render = started.elapsed();
        timings.rendered = self.pages.rendered;
        timings.pages = self.pages.len();
        Ok(Rebuilt {
            files,
            search_index_stale: timings.model.is_some(),
            warnings: warnings.clone(),
            timings,
        })
    }

    /// The search index of the current model; `None` while the sources do not load.
    pub fn search_index(&self) -> Option<Vec<OutputFile>> {
        self.model
            .as_ref()
            .map(|(baseline, _)| search_index_files(baseline))
    }
}

fn with(warnings: &Diagnostics, d: Diagnostic) -> Diagnostics {
    let mut all = warnings.clone();
    all.push(d);
    all.sorted()
}
