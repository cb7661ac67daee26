//! What every page's template receives: site, language, interface strings, links that work from
//! any folder, the language switcher and breadcrumbs.

use crate::diagnostics::{Diagnostic, LineCol};
use crate::model::Baseline;
use crate::theme::Theme;
use crate::urls;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Serve mode: inject the live-reload client.
    pub live_reload: bool,
    /// Drafts are included; pages marked draft get a badge.
    pub drafts: bool,
}

pub struct Shared<'a> {
    pub baseline: &'a Baseline,
    pub opts: RenderOptions,
    pub strings: BTreeMap<String, &'a BTreeMap<String, String>>,
    /// Category navigation per language.
    pub nav: BTreeMap<String, Vec<NavItem>>,
    /// Plain pages (about, ...) per language, for the footer.
    pub pages_nav: BTreeMap<String, Vec<Link>>,
    /// Sector names per language, by id.
    pub sector_names: BTreeMap<String, BTreeMap<String, String>>,
    /// What changed in each recorded revision, last changes, redirects.
    pub timeline: crate::revision::Timeline,
    /// Indexes pages share (measure rows, measures by category).
    pub lookups: super::lookups::Lookups,
    /// Per language, the context values that are the same on every page (site, t, nav,
    /// pages_nav, live_reload), serialised once; pages are rendered with these added.
    common: BTreeMap<String, tera::Context>,
    /// Per language: is the search index split into parts (`search/<lang>/meta.js`)?
    pub search_split: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub id: String,
    pub title: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub href: String,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    label: String,
    href: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    revision: &'a str,
    revision_date: &'a str,
    draft: bool,
    base_url: String,
    /// Path part of base_url (`/kijun/`), for pages served at any depth such as 404.html.
    base_path: String,
    languages: &'a [String],
}

impl<'a> Shared<'a> {
    pub fn new(
        baseline: &'a Baseline,
        theme: &'a Theme,
        opts: &RenderOptions,
    ) -> Result<Shared<'a>, Diagnostic> {
        let mut strings = BTreeMap::new();
        for lang in &baseline.languages {
            let table = theme.strings.get(lang).ok_or_else(|| {
                Diagnostic::error(
                    format!("{}/i18n/{lang}.toml", theme.origin),
                    LineCol::START,
                    format!("the theme has no interface strings for `{lang}`"),
                )
                .with_help(format!("add i18n/{lang}.toml to the theme"))
            })?;
            strings.insert(lang.clone(), table);
        }
        let nav = baseline
            .languages
            .iter()
            .map(|lang| {
                let items = baseline
                    .categories
                    .iter()
                    .map(|c| NavItem {
                        id: c.id.clone(),
                        title: c.text[lang].title.clone(),
                        href: urls::category(lang, &c.id),
                    })
                    .collect();
                (lang.clone(), items)
            })
            .collect();
        let sector_names = baseline
            .languages
            .iter()
            .map(|lang| {
                (
                    lang.clone(),
                    baseline
                        .sectors
                        .iter()
                        .map(|s| (s.id.clone(), s.text[lang].title.clone()))
                        .collect(),
                )
            })
            .collect();
        let pages_nav = baseline
            .languages
            .iter()
            .map(|lang| {
                (
                    lang.clone(),
                    baseline
                        .pages
                        .iter()
                        .map(|p| Link {
                            title: p.text[lang].title.clone(),
                            href: urls::page(lang, &p.id),
                        })
                        .collect(),
                )
            })
            .collect();
        let mut shared = Shared {
            baseline,
            opts: *opts,
            strings,
            nav,
            pages_nav,
            sector_names,
            timeline: crate::revision::Timeline::new(baseline),
            lookups: Default::default(),
            common: BTreeMap::new(),
            search_split: BTreeMap::new(),
        };
        shared.common = baseline
            .languages
            .iter()
            .map(|lang| (lang.clone(), shared.common_context(lang)))
            .collect();
        shared.lookups = super::lookups::Lookups::new(&shared);
        Ok(shared)
    }

    fn common_context(&self, lang: &str) -> tera::Context {
        let config = &self.baseline.config;
        let base_url = config.base_url();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "site",
            &SiteContext {
                title: &config.language(lang).title,
                description: &config.language(lang).description,
                revision: &config.revision,
                revision_date: &config.revision_date,
                draft: config.draft,
                base_path: base_path(&base_url),
                base_url: base_url.clone(),
                languages: &self.baseline.languages,
            },
        );
        ctx.insert("t", self.strings[lang]);
        ctx.insert("nav", &self.nav[lang]);
        ctx.insert("pages_nav", &self.pages_nav[lang]);
        ctx.insert("live_reload", &self.opts.live_reload);
        ctx
    }

    pub fn t(&self, lang: &str, key: &str) -> String {
        self.strings[lang]
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The values every page shares in `lang` (see `render::render_job`).
    pub fn common(&self, lang: &str) -> &tera::Context {
        &self.common[lang]
    }

    /// The values every page shares, per language.
    pub fn commons(&self) -> &BTreeMap<String, tera::Context> {
        &self.common
    }

    /// The context every page template starts from: the page's own values. The values all
    /// pages of the language share (`common`) are added when the page is rendered.
    pub fn base_context(
        &self,
        lang: &str,
        href: &str,
        kind: &str,
        title: &str,
        crumbs: Vec<Link>,
    ) -> tera::Context {
        let config = &self.baseline.config;
        let base_url = config.base_url();
        // 404.html is shown at whatever missing address was asked for, so its links start from
        // the site's path on the host instead of from the page's own folder (a <base> would also
        // send its `#main` skip link away), and its other language is that language's home page.
        let shown_anywhere = href == urls::NOT_FOUND;
        let root = if shown_anywhere {
            base_path(&base_url)
        } else {
            urls::root_prefix(href)
        };
        let alternates: Vec<Alternate> = self
            .baseline
            .languages
            .iter()
            .map(|l| {
                let target = if shown_anywhere {
                    urls::home(l)
                } else {
                    swap_language(href, lang, l)
                };
                Alternate {
                    lang: l.clone(),
                    label: self.t(l, "language_name"),
                    url: absolute(&base_url, &target),
                    href: format!("{root}{target}"),
                    current: l == lang,
                }
            })
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert("lang", lang);
        ctx.insert("root", &root);
        ctx.insert("href", href);
        ctx.insert("kind", kind);
        ctx.insert("title", title);
        ctx.insert("canonical", &absolute(&base_url, href));
        ctx.insert("alternates", &alternates);
        ctx.insert("breadcrumbs", &crumbs);
        ctx.insert("fallback", &false);
        ctx.insert("page_draft", &false);
        ctx.insert("changes_href", &super::changes::changes_href(lang));
        ctx.insert("feed_href", &super::changes::feed_href(lang));
        ctx
    }

    /// Breadcrumb trail that starts at the language's home page.
    pub fn crumbs(&self, lang: &str, trail: &[(String, String)]) -> Vec<Link> {
        let mut out = vec![Link {
            title: self.t(lang, "home"),
            href: urls::home(lang),
        }];
        out.extend(trail.iter().map(|(title, href)| Link {
            title: title.clone(),
            href: href.clone(),
        }));
        out
    }
}

/// `ja/measures/am-1/index.html` in `en`.
pub fn swap_language(href: &str, from: &str, to: &str) -> String {
    match href.strip_prefix(&format!("{from}/")) {
        Some(rest) => format!("{to}/{rest}"),
        None => href.to_string(),
    }
}

/// Absolute, pretty URL for canonical links and feeds.
pub fn absolute(base_url: &str, href: &str) -> String {
    format!("{}{}", base_url, urls::pretty(href).trim_start_matches('/'))
}

/// `https://example.jp/kijun/` → `/kijun/`.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".into(),
    }
}
