//! Reuse of rendered pages between rebuilds (`kijun serve`).
//!
//! A page's HTML is a pure function of its template and its context (templates cannot read the
//! clock or the disk), so a page whose context equals last time's, under the same theme, renders
//! to the same bytes. Comparing two contexts costs far less than rendering one.

use super::PageJob;
use crate::diagnostics::Diagnostic;
use crate::write::OutputFile;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The pages of the last build: their template, context and HTML, by output path.
#[derive(Default)]
pub struct PageCache {
    pages: HashMap<String, CachedPage>,
    /// The build before, kept until `tidy` so that freeing it does not delay the rebuild.
    retired: HashMap<String, CachedPage>,
    /// Pages rendered (rather than reused) by the last call to `render`.
    pub rendered: usize,
    /// The values all pages of a language share (site, interface strings, navigation), which
    /// page contexts leave out: when they change, no page can be reused.
    shared_values: std::collections::BTreeMap<String, tera::Context>,
}

struct CachedPage {
    template: &'static str,
    context: tera::Context,
    html: Arc<[u8]>,
}

impl PageCache {
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Forgets every page if the values all pages share differ from those of the cached build.
    pub fn keep_if_shared_values_are(
        &mut self,
        values: &std::collections::BTreeMap<String, tera::Context>,
    ) {
        if &self.shared_values != values {
            self.pages.clear();
            self.shared_values = values.clone();
        }
    }

    /// Forgets every page, for when the templates changed.
    pub fn clear(&mut self) {
        self.pages.clear();
    }

    /// Frees the previous build's pages; call when nobody is waiting for the rebuild.
    pub fn tidy(&mut self) {
        self.retired = HashMap::new();
    }

    /// Renders the jobs that differ from last time with `render`, reuses the others, and
    /// keeps this build for next time. On error the cache is left as it was.
    pub fn render(
        &mut self,
        jobs: Vec<PageJob>,
        render: impl Fn(&PageJob) -> Result<OutputFile, Diagnostic> + Sync,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let outputs: Vec<(OutputFile, Arc<[u8]>, bool)> = jobs
            .par_iter()
            .map(|job| match self.reusable(job) {
                Some(html) => {
                    let file = OutputFile::new(job.href.clone(), html.to_vec());
                    Ok((file, html.clone(), false))
                }
                None => render(job).map(|file| {
                    let html: Arc<[u8]> = Arc::from(file.bytes.as_slice());
                    (file, html, true)
                }),
            })
            .collect::<Result<_, _>>()?;
        self.rendered = outputs.iter().filter(|(_, _, fresh)| *fresh).count();
        let mut files = Vec::with_capacity(outputs.len());
        let mut pages = HashMap::with_capacity(outputs.len());
        for (job, (file, html, _)) in jobs.into_iter().zip(outputs) {
            let page = CachedPage {
                template: job.template,
                context: job.context,
                html,
            };
            pages.insert(job.href, page);
            files.push(file);
        }
        self.retired = std::mem::replace(&mut self.pages, pages);
        Ok(files)
    }

    fn reusable(&self, job: &PageJob) -> Option<&Arc<[u8]>> {
        self.pages
            .get(&job.href)
            .filter(|p| p.template == job.template && p.context == job.context)
            .map(|p| &p.html)
    }
}
