//! Rebuilds in memory, redoing only the stages a change can affect: a content edit reloads the
//! model but keeps the parsed theme; a template edit keeps the model and re-parses the theme;
//! a `kijun.toml` edit redoes everything. Pages whose context did not change are not rendered
//! again, and what takes longest but no page reload needs (the search index, the downloads) is
//! finished separately, after the pages have been reloaded.

use super::watch::Changes;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Baseline;
use crate::render::{PageCache, RenderOptions, finish_site, render_pages};
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
    /// The pages, data and static files: everything but what `finish` adds.
    pub files: Vec<OutputFile>,
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
        let render_opts = render_options(&self.opts);
        let files = render_pages(baseline, theme, &render_opts, &mut self.pages)
            .map_err(|d| with(warnings, d))?;
        timings.render = started.elapsed();
        timings.rendered = self.pages.rendered;
        timings.pages = self.pages.len();
        Ok(Rebuilt {
            files,
            warnings: warnings.clone(),
            timings,
        })
    }

    /// The whole site: `pages` from the last `rebuild` plus the search index, the downloads and
    /// the rest. `None` while the sources or the theme do not load.
    pub fn finish(
        &self,
        mut pages: Vec<OutputFile>,
    ) -> Option<Result<Vec<OutputFile>, Diagnostics>> {
        let ((baseline, warnings), theme) = (self.model.as_ref()?, self.theme.as_ref()?);
        let result = finish_site(baseline, theme, &render_options(&self.opts), &mut pages)
            .map(|()| pages)
            .map_err(|d| with(warnings, d));
        Some(result)
    }
}

fn render_options(opts: &SiteOptions) -> RenderOptions {
    RenderOptions {
        live_reload: opts.live_reload,
        drafts: opts.drafts,
    }
}

fn with(warnings: &Diagnostics, d: Diagnostic) -> Diagnostics {
    let mut all = warnings.clone();
    all.push(d);
    all.sorted()
}
