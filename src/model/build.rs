//! Assembles the typed baseline from the loaded sources: merges language files, checks every
//! reference, and renders Markdown with cross-references resolved.

use super::crosswalk::{CrosswalkContext, load_crosswalk, load_framework};
use super::front::*;
use super::glossary::load_glossary;
use super::merge::{At, Variants, items};
use super::*;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::{DocKind, SourceDoc, Sources, load_sources};
use crate::markdown::{RenderContext, Resolver, render, render_inline};
use crate::strpos::{self, StringPos};
use crate::urls;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Include pages marked `draft = true`.
    pub drafts: bool,
}

/// The special page templates a guideline may ask for.
const GUIDELINE_TEMPLATES: &[&str] = &["getting-started"];

/// Loads and checks everything under `root`. The baseline is `None` when there were errors.
pub fn build_baseline(
    root: &Path,
    config: &Config,
    opts: BuildOptions,
) -> (Option<Baseline>, Diagnostics, Vec<std::path::PathBuf>) {
    let languages = config.language_codes();
    let mut diags = Diagnostics::default();
    let timer = crate::timing::start("load sources");
    let sources = load_sources(root, &languages, &mut diags);
    drop(timer);
    let mut files = sources.files.clone();
    let history = crate::revision::history::load(root, config, &mut diags, &mut files);
    let mut assembler = Assembler {
        config,
        languages: &languages,
        opts,
        diags: Vec::new(),
        unreadable: &sources.unreadable,
    };
    let mut baseline = assembler.assemble(&sources);
    baseline.history = history;
    diags.extend(assembler.diags);
    let diags = diags.sorted();
    let baseline = if diags.has_errors() {
        None
    } else {
        Some(baseline)
    };
    (baseline, diags, files)
}

struct Assembler<'a> {
    config: &'a Config,
    languages: &'a [String],
    opts: BuildOptions,
    diags: Vec<Diagnostic>,
    /// Pages whose file could not be read or split (kind, stem, language); already reported.
    unreadable: &'a [(DocKind, String, String)],
}

/// Neutral data of a page, before its Markdown is rendered.
struct Stub<'a, F> {
    id: String,
    order: i64,
    draft: bool,
    /// Per language: the file (or the default-language file standing in) and its front matter.
    variants: Vec<(&'a SourceDoc, F)>,
}

impl<'a> Assembler<'a> {
    fn default_lang(&self) -> &str {
        &self.config.default_language
    }

    fn assemble(&mut self, sources: &'a Sources) -> Baseline {
        let groups = self.group(sources);
        let of_kind = |kind: DocKind| {
            groups
                .iter()
                .filter(move |((k, _), _)| *k == kind)
                .map(|(_, docs)| docs)
        };

        let mut categories: Vec<Stub<CategoryFront>> = parse_fronts(of_kind(DocKind::Category))
            .into_iter()
            .filter_map(|(docs, parsed)| {
                self.stub(docs, parsed, |f: &CategoryFront| {
                    (&f.id, &f.order, &f.draft)
                })
            })
            .collect();
        let mut measures: Vec<Stub<MeasureFront>> = parse_fronts(of_kind(DocKind::Measure))
            .into_iter()
            .filter_map(|(docs, parsed)| {
                self.stub(docs, parsed, |f: &MeasureFront| (&f.id, &f.order, &f.draft))
            })
            .collect();
        let mut guidelines: Vec<Stub<GuidelineFront>> = parse_fronts(of_kind(DocKind::Guideline))
            .into_iter()
            .filter_map(|(docs, parsed)| {
                self.stub(docs, parsed, |f: &GuidelineFront| {
                    (&f.id, &f.order, &f.draft)
                })
            })
            .collect();
        let mut sectors: Vec<Stub<SimpleFront>> = parse_fronts(of_kind(DocKind::Sector))
            .into_iter()
            .filter_map(|(docs, parsed)| {
                self.stub(docs, parsed, |f: &SimpleFront| (&f.id, &f.order, &f.draft))
            })
            .collect();
        let mut pages: Vec<Stub<SimpleFront>> = parse_fronts(of_kind(DocKind::Page))
            .into_iter()
            .filter_map(|(docs, parsed)| {
                self.stub(docs, parsed, |f: &SimpleFront| (&f.id, &f.order, &f.draft))
            })
            .collect();
        let home: Option<Vec<(&SourceDoc, HomeFront)>> = parse_fronts(of_kind(DocKind::Home))
            .into_iter()
            .next()
            .and_then(|(docs, parsed)| self.parse_all::<HomeFront>(docs, parsed));

        // Drafts leave the build here unless asked for; links to them are then broken links.
        let mut drafts: Vec<(&'static str, String)> = Vec::new();
        // Ids whose files exist but failed to parse: references to them are not reported again.
        let failed: Vec<(&'static str, String)> =
            [
                (
                    DocKind::Category,
                    "category",
                    categories
                        .iter()
                        .map(|c| c.id.clone())
                        .collect::<HashSet<_>>(),
                ),
                (
                    DocKind::Measure,
                    "measure",
                    measures.iter().map(|c| c.id.clone()).collect(),
                ),
                (
                    DocKind::Guideline,
                    "guideline",
                    guidelines.iter().map(|c| c.id.clone()).collect(),
                ),
                (
                    DocKind::Sector,
                    "sector",
                    sectors.iter().map(|c| c.id.clone()).collect(),
                ),
                (
                    DocKind::Page,
                    "page",
                    pages.iter().map(|c| c.id.clone()).collect(),
                ),
            ]
            .into_iter()
            .flat_map(|(kind, name, parsed)| {
                groups
                    .keys()
                    .filter(move |(k, stem)| *k == kind && !parsed.contains(stem))
                    .map(move |(_, stem)| (name, stem.clone()))
            })
            .chain(self.unreadable.iter().filter_map(|(kind, stem, _)| {
                reference_kind(*kind).map(|name| (name, stem.clone()))
            }))
            .collect();
        let include = self.opts.drafts;
        retain_published(&mut categories, "category", &mut drafts, include);
        retain_published(&mut measures, "measure", &mut drafts, include);
        retain_published(&mut guidelines, "guideline", &mut drafts, include);
        retain_published(&mut sectors, "sector", &mut drafts, include);
        retain_published(&mut pages, "page", &mut drafts, include);

        categories.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        sectors.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        guidelines.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        pages.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));

        for page in &pages {
            if urls::RESERVED.contains(&urls::slug(&page.id).as_str()) {
                let doc = page.variants[0].0;
                self.diags.push(
                    doc.src
                        .error(
                            doc.front.start,
                            format!(
                                "page id `{}` is reserved for a section of the site",
                                page.id
                            ),
                        )
                        .with_help("choose another id (and file name)"),
                );
            }
        }

        let category_ids: Vec<String> = categories.iter().map(|c| c.id.clone()).collect();
        let sector_ids: Vec<String> = sectors.iter().map(|s| s.id.clone()).collect();
        let measure_ids: Vec<String> = measures.iter().map(|m| m.id.clone()).collect();
        let measure_ids_incl_failed: Vec<String> = measure_ids
            .iter()
            .cloned()
            .chain(
                failed
                    .iter()
                    .filter(|(k, _)| *k == "measure")
                    .map(|(_, id)| id.clone()),
            )
            .collect();
        let guideline_ids: Vec<String> = guidelines.iter().map(|g| g.id.clone()).collect();

        // Neutral fields of measures and guidelines, with their references checked.
        let measure_facts: Vec<MeasureFacts> = measures
            .iter()
            .filter_map(|m| self.measure_facts(m, &category_ids, &sector_ids, &measure_ids))
            .collect();
        let guideline_facts: Vec<GuidelineFacts> = guidelines
            .iter()
            .map(|g| self.guideline_facts(g, &category_ids, &measure_ids_incl_failed, &sector_ids))
            .collect();

        // Data files: frameworks first, then crosswalks that refer to them.
        let mut frameworks = Vec::new();
        let mut failed_frameworks = Vec::new();
        let mut glossary = Vec::new();
        let mut crosswalk_files = Vec::new();
        for file in &sources.data {
            if let Some(name) = file.rel.strip_prefix("frameworks/") {
                match load_framework(file, &mut self.diags) {
                    Some(fw) => frameworks.push(fw),
                    None => failed_frameworks.push(name.trim_end_matches(".toml").to_string()),
                }
            } else if file.rel.starts_with("crosswalks/") {
                crosswalk_files.push(file);
            } else if file.rel == "glossary.toml" {
                glossary = load_glossary(file, self.languages, &mut self.diags);
            } else {
                self.diags.push(
                    file.src.warning(0, "ignored: unknown data file")
                        .with_help("TOML data belongs in content/glossary.toml, content/frameworks/ or content/crosswalks/"),
                );
            }
        }
        let ctx = CrosswalkContext {
            frameworks: &frameworks,
            measure_ids: &measure_ids_incl_failed,
            languages: self.languages,
            failed_frameworks: &failed_frameworks,
        };
        let mut crosswalks: Vec<Crosswalk> = crosswalk_files
            .iter()
            .filter_map(|f| load_crosswalk(f, &ctx, &mut self.diags))
            .collect();
        crosswalks.sort_by(|a, b| a.framework.cmp(&b.framework));
        for pair in crosswalks.windows(2) {
            if pair[0].framework == pair[1].framework {
                self.diags.push(Diagnostic::error(
                    pair[1].source.clone(),
                    crate::diagnostics::LineCol::START,
                    format!("a second crosswalk for `{}`", pair[0].framework),
                ));
            }
        }

        // Resolvers, one per language, from titles known before any Markdown is rendered.
        let resolvers: BTreeMap<String, Registry> = self
            .languages
            .iter()
            .map(|lang| {
                let reg = Registry::new(
                    lang,
                    &categories,
                    &measures,
                    &guidelines,
                    &sectors,
                    &pages,
                    &glossary,
                    &drafts,
                    &failed,
                );
                (lang.clone(), reg)
            })
            .collect();

        let allow_raw_html = self.config.allow_raw_html;
        let languages = self.languages;
        let render_page = |variants: &[(&SourceDoc, String)],
                           kind: &'static str,
                           id: &str,
                           href: &dyn Fn(&str) -> String,
                           diags: &mut Vec<Diagnostic>|
         -> Localized<Text> {
            for (doc, title) in variants {
                check_title_length(doc, title, diags);
            }
            languages
                .iter()
                .map(|lang| {
                    let (doc, title) = pick_variant(variants, lang);
                    let page_href = href(lang);
                    let ctx = RenderContext {
                        src: &doc.src,
                        base: doc.body.start,
                        shifts: &[],
                        page_href: &page_href,
                        self_ref: Some((kind, id)),
                        resolver: &resolvers[lang],
                        allow_raw_html,
                    };
                    let r = render(doc.body_text(), &ctx, diags);
                    let text = Text {
                        title: title.clone(),
                        html: r.html,
                        plain: r.plain,
                        headings: r.headings,
                        fallback: &doc.lang != lang,
                        source: doc.src.display_path.clone(),
                    };
                    (lang.clone(), text)
                })
                .collect()
        };

        let titled = |v: &[(&'a SourceDoc, String)]| v.to_vec();
        let mut diags_by_page: Vec<Vec<Diagnostic>> = Vec::new();

        let categories_out: Vec<Category> = categories
            .iter()
            .map(|c| {
                let mut d = vec![];
                let variants: Vec<_> = titled(
                    &c.variants
                        .iter()
                        .map(|(doc, f)| (*doc, f.title.clone()))
                        .collect::<Vec<_>>(),
                );
                let text = render_page(
                    &variants,
                    "category",
                    &c.id,
                    &|l| urls::category(l, &c.id),
                    &mut d,
                );
                diags_by_page.push(d);
                Category {
                    id: c.id.clone(),
                    order: c.order,
                    text,
                }
            })
            .collect();

        let category_order: HashMap<&str, i64> = categories
            .iter()
            .map(|c| (c.id.as_str(), c.order))
            .collect();
        // Measures are the bulk of a large baseline: render them in parallel.
        let facts_by_id: HashMap<&str, &MeasureFacts> =
            measure_facts.iter().map(|f| (f.id.as_str(), f)).collect();
        let rendered_measures: Vec<(Measure, Vec<Diagnostic>)> = measures
            .par_iter()
            .filter_map(|m| {
                let facts = *facts_by_id.get(m.id.as_str())?;
                let mut d = vec![];
                let variants: Vec<_> = m
                    .variants
                    .iter()
                    .map(|(doc, f)| (*doc, f.title.clone()))
                    .collect();
                let mut pages = render_page(
                    &variants,
                    "measure",
                    &m.id,
                    &|l| urls::measure(l, &m.id),
                    &mut d,
                );
                let text = languages
                    .iter()
                    .map(|lang| {
                        let (doc, front) = pick_variant_front(&m.variants, lang);
                        let page_href = urls::measure(lang, &m.id);
                        let ctx = RenderContext {
                            src: &doc.src,
                            base: doc.front.start,
                            shifts: &[],
                            page_href: &page_href,
                            self_ref: None,
                            resolver: &resolvers[lang],
                            allow_raw_html,
                        };
                        // Positions inside a front-matter string count from where it is
                        // written, escapes included.
                        let inline = |text: &str, d: &mut Vec<Diagnostic>| {
                            let pos = string_pos(doc, text);
                            let at = RenderContext {
                                base: pos.base,
                                shifts: &pos.shifts,
                                ..ctx
                            };
                            render_inline(text, &at, d)
                        };
                        let statement = inline(&front.statement, &mut d);
                        let sector_notes = front
                            .sector_notes
                            .iter()
                            .map(|n| {
                                let r = inline(&n.text, &mut d);
                                SectorNote {
                                    sector: n.sector.get_ref().clone(),
                                    html: r.html,
                                    plain: r.plain,
                                }
                            })
                            .collect();
                        let page = pages.remove(lang).unwrap_or_default();
                        let sections = super::sections::split(doc, &mut d);
                        (
                            lang.clone(),
                            MeasureText {
                                page,
                                statement_html: statement.html,
                                statement_plain: statement.plain,
                                sector_notes,
                                sections,
                            },
                        )
                    })
                    .collect();
                let measure = Measure {
                    id: m.id.clone(),
                    category: facts.category.clone(),
                    obligation: facts.obligation,
                    level: facts.level,
                    order: m.order,
                    sectors: facts.sectors.clone(),
                    replaces: facts.replaces.clone(),
                    draft: m.draft,
                    text,
                };
                Some((measure, d))
            })
            .collect();
        let mut measures_out = Vec::with_capacity(rendered_measures.len());
        for (m, d) in rendered_measures {
            diags_by_page.push(d);
            measures_out.push(m);
        }
        measures_out.sort_by(|a, b| {
            let ka = (category_order.get(a.category.as_str()), a.order, &a.id);
            let kb = (category_order.get(b.category.as_str()), b.order, &b.id);
            ka.cmp(&kb)
        });
        for m in &measures_out {
            for lang in languages {
                for note in &m.text[lang].sector_notes {
                    if !sector_ids.contains(&note.sector) {
                        let doc = pick_variant_front(
                            &measures.iter().find(|s| s.id == m.id).unwrap().variants,
                            lang,
                        )
                        .0;
                        let offset = doc
                            .src
                            .text
                            .find(&format!("\"{}\"", note.sector))
                            .unwrap_or(doc.front.start);
                        let help =
                            did_you_mean(&note.sector, sector_ids.iter().map(String::as_str))
                                .unwrap_or_else(|| {
                                    format!("sectors are: {}", sector_ids.join(", "))
                                });
                        diags_by_page.push(vec![
                            doc.src
                                .error(
                                    offset,
                                    format!("sector note for unknown sector `{}`", note.sector),
                                )
                                .with_help(help),
                        ]);
                    }
                }
            }
        }

        let guidelines_out: Vec<Guideline> = guidelines
            .iter()
            .zip(&guideline_facts)
            .map(|(g, facts)| {
                let mut d = vec![];
                let variants: Vec<_> = g
                    .variants
                    .iter()
                    .map(|(doc, f)| (*doc, f.title.clone()))
                    .collect();
                let text = render_page(
                    &variants,
                    "guideline",
                    &g.id,
                    &|l| urls::guideline(l, &g.id),
                    &mut d,
                );
                diags_by_page.push(d);
                Guideline {
                    id: g.id.clone(),
                    order: g.order,
                    categories: facts.categories.clone(),
                    measures: facts.measures.clone(),
                    sectors: facts.sectors.clone(),
                    template: facts.template.clone(),
                    draft: g.draft,
                    text,
                }
            })
            .collect();

        let mut simple = |stubs: &[Stub<SimpleFront>],
                          kind: &'static str,
                          href: fn(&str, &str) -> String|
         -> Vec<SimplePage> {
            stubs
                .iter()
                .map(|s| {
                    let mut d = vec![];
                    let variants: Vec<_> = s
                        .variants
                        .iter()
                        .map(|(doc, f)| (*doc, f.title.clone()))
                        .collect();
                    let text = render_page(&variants, kind, &s.id, &|l| href(l, &s.id), &mut d);
                    diags_by_page.push(d);
                    SimplePage {
                        id: s.id.clone(),
                        order: s.order,
                        draft: s.draft,
                        text,
                    }
                })
                .collect()
        };
        let sectors_out = simple(&sectors, "sector", urls::sector);
        let pages_out = simple(&pages, "page", urls::page);

        let home_out: Localized<Text> = match &home {
            Some(variants) => {
                let mut d = vec![];
                let v: Vec<_> = variants
                    .iter()
                    .map(|(doc, f)| (*doc, f.title.clone()))
                    .collect();
                let text = render_page(&v, "home", "", &|l| urls::home(l), &mut d);
                diags_by_page.push(d);
                text
            }
            None => languages
                .iter()
                .map(|l| {
                    (
                        l.clone(),
                        Text {
                            title: self.config.language(l).title.clone(),
                            ..Text::default()
                        },
                    )
                })
                .collect(),
        };

        let _ = guideline_ids;
        self.diags.extend(diags_by_page.into_iter().flatten());
        self.check_translations(&groups);
        // Issue #21: order, folder and wording of measures; renumbered ids named.
        self.check_consistency(&measures, &measure_facts);

        Baseline {
            config: self.config.clone(),
            languages: languages.to_vec(),
            home: home_out,
            categories: categories_out,
            measures: measures_out,
            guidelines: guidelines_out,
            sectors: sectors_out,
            pages: pages_out,
            glossary,
            frameworks,
            crosswalks,
            history: Default::default(),
            lookup: Lookup::default(),
        }
        .index()
    }

    /// Groups files by kind and stem, default language first; a second file for the same
    /// kind, id and language is a duplicate.
    fn group<'s>(
        &mut self,
        sources: &'s Sources,
    ) -> BTreeMap<(DocKind, String), Vec<&'s SourceDoc>> {
        let mut groups: BTreeMap<(DocKind, String), Vec<&SourceDoc>> = BTreeMap::new();
        for doc in &sources.docs {
            let group = groups.entry((doc.kind, doc.stem.clone())).or_default();
            if let Some(first) = group.iter().find(|d| d.lang == doc.lang) {
                self.diags.push(
                    doc.src
                        .error(
                            0,
                            format!(
                                "duplicate id `{}`: also defined in {}",
                                doc.stem, first.src.display_path
                            ),
                        )
                        .with_help("ids must be unique; rename one of the files and its id"),
                );
                continue;
            }
            group.push(doc);
        }
        let default = self.default_lang().to_string();
        for docs in groups.values_mut() {
            docs.sort_by_key(|d| (d.lang != default, d.lang.clone()));
        }
        groups
    }

    fn parse_all<F: DeserializeOwned>(
        &mut self,
        docs: &[&'a SourceDoc],
        parsed: Vec<Result<F, toml::de::Error>>,
    ) -> Option<Vec<(&'a SourceDoc, F)>> {
        let mut out = Vec::new();
        for (doc, front) in docs.iter().zip(parsed) {
            match front {
                Ok(front) => out.push((*doc, front)),
                Err(e) => self.diags.push(crate::tomlerr::toml_diagnostic(
                    &doc.src,
                    doc.front.start,
                    &e,
                )),
            }
        }
        if out.len() != docs.len() {
            return None;
        }
        if out.first().map(|(d, _)| d.lang.as_str()) != Some(self.default_lang()) {
            let doc = docs[0];
            let default = self.default_lang();
            if self
                .unreadable
                .iter()
                .any(|(k, stem, lang)| *k == doc.kind && *stem == doc.stem && lang == default)
            {
                return None; // the default-language file exists; its own error says why it failed
            }
            let path = doc.src.display_path.replace(
                &format!(".{}.md", doc.lang),
                &format!(".{}.md", self.default_lang()),
            );
            self.diags.push(
                doc.src
                    .error(
                        0,
                        format!("`{}` has no {} file", doc.stem, self.default_lang()),
                    )
                    .with_help(format!(
                        "every page needs the default language: create {path}"
                    )),
            );
            return None;
        }
        Some(out)
    }

    /// Parses every language file of a page and settles its id, order and draft flag.
    fn stub<F: DeserializeOwned>(
        &mut self,
        docs: &[&'a SourceDoc],
        parsed: Vec<Result<F, toml::de::Error>>,
        neutral: impl Fn(&F) -> (&Option<S<String>>, &Option<S<i64>>, &Option<S<bool>>),
    ) -> Option<Stub<'a, F>> {
        let files = self.parse_all::<F>(docs, parsed)?;
        let variants = Variants { files };
        let mut d = vec![];
        let id = variants.neutral("id", |f| neutral(f).0.as_ref(), &mut d);
        let order = variants.neutral("order", |f| neutral(f).1.as_ref(), &mut d);
        let draft = variants.neutral("draft", |f| neutral(f).2.as_ref(), &mut d);
        self.diags.extend(d);
        let stem = &variants.first().stem;
        let id = match id {
            Some(at) if &at.value != stem => {
                self.diags.push(
                    at.error(format!(
                        "id `{}` differs from the file name `{stem}`",
                        at.value
                    ))
                    .with_help(format!(
                        "rename the file to {}.<lang>.md or change the id",
                        at.value
                    )),
                );
                return None;
            }
            Some(at) => at.value,
            None => stem.clone(),
        };
        if !valid_id(&id) {
            // The id is the file name unless the front matter repeats it.
            let doc = variants.first();
            let (offset, what) = match doc.front_text().find("id =") {
                Some(at) => (doc.front.start + at, "id"),
                None => (0, "file name"),
            };
            self.diags.push(
                doc.src
                    .error(
                        offset,
                        format!("`{id}` is not a valid id (from the {what})"),
                    )
                    .with_help(ID_HELP),
            );
            return None;
        }
        Some(Stub {
            id,
            order: order.map_or(0, |o| o.value),
            draft: draft.is_some_and(|d| d.value),
            variants: variants.files,
        })
    }

    fn measure_facts(
        &mut self,
        m: &Stub<MeasureFront>,
        categories: &[String],
        sectors: &[String],
        measures: &[String],
    ) -> Option<MeasureFacts> {
        let v = Variants {
            files: m.variants.iter().map(|(d, f)| (*d, f)).collect::<Vec<_>>(),
        };
        let mut d = vec![];
        let category = v.required("category", |f| f.category.as_ref(), &mut d);
        let obligation = v.required("obligation", |f| f.obligation.as_ref(), &mut d);
        let level = v.required("level", |f| f.level.as_ref(), &mut d);
        let sector_list = v.neutral("sectors", |f| f.sectors.as_ref(), &mut d);
        let replaces = v.neutral("replaces", |f| f.replaces.as_ref(), &mut d);
        self.diags.extend(d);
        let (category, obligation, level) = (category?, obligation?, level?);
        let mut ok = true;
        if !categories.contains(&category.value) {
            let help = did_you_mean(&category.value, categories.iter().map(String::as_str))
                .unwrap_or_else(|| format!("categories are: {}", categories.join(", ")));
            self.diags.push(
                category
                    .error(format!("unknown category `{}`", category.value))
                    .with_help(help),
            );
            ok = false;
        }
        if !(1..=3).contains(&level.value) {
            self.diags.push(
                level
                    .error(format!("level {} is out of range", level.value))
                    .with_help("level is 1, 2 or 3"),
            );
            ok = false;
        }
        let sectors_out = match &sector_list {
            None => vec![],
            Some(list) => {
                let list = items(list);
                if list.iter().any(|s| s.value == "all") {
                    vec![]
                } else {
                    for s in &list {
                        if !sectors.contains(&s.value) {
                            let help = did_you_mean(&s.value, sectors.iter().map(String::as_str))
                                .unwrap_or_else(|| {
                                    format!("sectors are: all, {}", sectors.join(", "))
                                });
                            self.diags.push(
                                s.error(format!("unknown sector `{}`", s.value))
                                    .with_help(help),
                            );
                        }
                    }
                    list.into_iter().map(|s| s.value).collect()
                }
            }
        };
        let replaces_out: Vec<String> = match &replaces {
            None => vec![],
            Some(list) => {
                let list = items(list);
                for r in &list {
                    if r.value == m.id {
                        self.diags.push(
                            r.error(format!("{} replaces itself", m.id))
                                .with_help("list only the old ids this measure replaces"),
                        );
                    } else if measures.contains(&r.value) {
                        self.diags.push(
                            r.error(format!(
                                "`{}` is replaced but still exists as a measure",
                                r.value
                            ))
                            .with_help(
                                "remove the old measure's files, or drop it from `replaces`",
                            ),
                        );
                    }
                }
                list.into_iter().map(|r| r.value).collect()
            }
        };
        ok.then(|| MeasureFacts {
            id: m.id.clone(),
            category: category.value,
            obligation: obligation.value,
            level: level.value as u8,
            sectors: sectors_out,
            replaces: replaces_out,
        })
    }

    fn guideline_facts(
        &mut self,
        g: &Stub<GuidelineFront>,
        categories: &[String],
        measures: &[String],
        sectors: &[String],
    ) -> GuidelineFacts {
        let v = Variants {
            files: g.variants.iter().map(|(d, f)| (*d, f)).collect::<Vec<_>>(),
        };
        let mut d = vec![];
        let cats = v.neutral("categories", |f| f.categories.as_ref(), &mut d);
        let meas = v.neutral("measures", |f| f.measures.as_ref(), &mut d);
        let secs = v.neutral("sectors", |f| f.sectors.as_ref(), &mut d);
        let template = v.neutral("template", |f| f.template.as_ref(), &mut d);
        self.diags.extend(d);
        let mut check =
            |list: &Option<At<Vec<S<String>>>>, known: &[String], what: &str| -> Vec<String> {
                let Some(list) = list else { return vec![] };
                let list = items(list);
                for item in &list {
                    if !known.contains(&item.value) {
                        let help = did_you_mean(&item.value, known.iter().map(String::as_str))
                            .unwrap_or_else(|| format!("check the {what} id"));
                        self.diags.push(
                            item.error(format!("unknown {what} `{}`", item.value))
                                .with_help(help),
                        );
                    }
                }
                list.into_iter().map(|i| i.value).collect()
            };
        let categories = check(&cats, categories, "category");
        let measures = check(&meas, measures, "measure");
        let sectors = check(&secs, sectors, "sector");
        if let Some(t) = &template {
            if !GUIDELINE_TEMPLATES.contains(&t.value.as_str()) {
                self.diags.push(
                    t.error(format!("unknown template `{}`", t.value))
                        .with_help(format!("templates are: {}", GUIDELINE_TEMPLATES.join(", "))),
                );
            }
        }
        GuidelineFacts {
            categories,
            measures,
            sectors,
            template: template.map(|t| t.value),
        }
    }

    /// The checks of consistency.rs, on the measures whose neutral fields were settled.
    fn check_consistency(&mut self, measures: &[Stub<MeasureFront>], facts: &[MeasureFacts]) {
        use super::consistency::{MeasureView, check_measures, name_successors};
        let facts: HashMap<&str, &MeasureFacts> =
            facts.iter().map(|f| (f.id.as_str(), f)).collect();
        let views: Vec<MeasureView> = measures
            .iter()
            .filter_map(|m| {
                let f = facts.get(m.id.as_str())?;
                let files = m.variants.iter().map(|(d, fr)| (*d, fr.statement.as_str()));
                Some(MeasureView {
                    id: &m.id,
                    category: &f.category,
                    obligation: f.obligation,
                    order: m
                        .variants
                        .iter()
                        .any(|(_, fr)| fr.order.is_some())
                        .then_some(m.order),
                    files: files.collect(),
                })
            })
            .collect();
        check_measures(&views, &mut self.diags);
        let mut successors: HashMap<String, Vec<String>> = HashMap::new();
        for f in facts.values() {
            for old in &f.replaces {
                successors
                    .entry(old.clone())
                    .or_default()
                    .push(f.id.clone());
            }
        }
        successors.values_mut().for_each(|v| v.sort());
        name_successors(&successors, &mut self.diags);
    }

    /// A page without a file in some language falls back to the default language; say so.
    fn check_translations(&mut self, groups: &BTreeMap<(DocKind, String), Vec<&SourceDoc>>) {
        for docs in groups.values() {
            let first = docs[0];
            for lang in self.languages {
                let unreadable = self
                    .unreadable
                    .iter()
                    .any(|(k, stem, l)| *k == first.kind && *stem == first.stem && l == lang);
                if !unreadable && !docs.iter().any(|d| &d.lang == lang) {
                    let path = first
                        .src
                        .display_path
                        .replace(&format!(".{}.md", first.lang), &format!(".{lang}.md"));
                    self.diags.push(
                        first
                            .src
                            .warning(
                                0,
                                format!(
                                    "no `{lang}` translation: the {} text is shown with a notice",
                                    first.lang
                                ),
                            )
                            .with_help(format!("create {path}")),
                    );
                }
            }
        }
    }
}

struct MeasureFacts {
    id: String,
    category: String,
    obligation: Obligation,
    level: u8,
    sectors: Vec<String>,
    replaces: Vec<String>,
}

struct GuidelineFacts {
    categories: Vec<String>,
    measures: Vec<String>,
    sectors: Vec<String>,
    template: Option<String>,
}

/// The front matter of every file of each page, parsed in parallel: with thousands of pages
/// this is most of the model stage. Errors are reported afterwards, in page order.
#[allow(clippy::type_complexity)]
fn parse_fronts<'g, 'a: 'g, F: DeserializeOwned + Send>(
    groups: impl Iterator<Item = &'g Vec<&'a SourceDoc>>,
) -> Vec<(&'g [&'a SourceDoc], Vec<Result<F, toml::de::Error>>)> {
    let groups: Vec<&'g Vec<&'a SourceDoc>> = groups.collect();
    groups
        .par_iter()
        .map(|docs| {
            let parsed = docs
                .iter()
                .map(|doc| toml::from_str::<F>(doc.front_text()))
                .collect();
            (docs.as_slice(), parsed)
        })
        .collect()
}

fn retain_published<F>(
    stubs: &mut Vec<Stub<F>>,
    kind: &'static str,
    drafts: &mut Vec<(&'static str, String)>,
    include: bool,
) {
    if include {
        return;
    }
    stubs.retain(|s| {
        if s.draft {
            drafts.push((kind, s.id.clone()));
        }
        !s.draft
    });
}

/// What a valid id looks like, for every "not a valid id" error.
pub(crate) const ID_HELP: &str = "ids appear in URLs and never change: use ASCII letters, digits, '-', '_' and '.' (not at the end; not a Windows device name such as CON, NUL or COM1), like AM-1 or getting-started, and put the Japanese name in title";

/// The rule for every id (pages, measures, glossary terms): ids appear in URLs and file names.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        // Windows cannot make a file or folder ending in a dot (the offline zip would not unpack).
        && !id.ends_with('.')
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !windows_reserved(id)
}

/// A name Windows keeps for a device (`CON`, `nul`, `COM1`, also with an extension such as
/// `aux.md`): a folder of that name cannot be made there, so the offline zip would not unpack.
pub fn windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let (prefix, digit) = stem.split_at(stem.len().min(3));
            matches!(prefix, "COM" | "LPT")
                && digit.len() == 1
                && matches!(digit.as_bytes()[0], b'1'..=b'9')
        }
    }
}

/// The file for `lang`, or the default-language file standing in for it.
fn pick_variant<'v, 'a, T>(
    variants: &'v [(&'a SourceDoc, T)],
    lang: &str,
) -> (&'a SourceDoc, &'v T) {
    let (doc, value) = variants
        .iter()
        .find(|(d, _)| d.lang == lang)
        .unwrap_or(&variants[0]);
    (*doc, value)
}

fn pick_variant_front<'v, 'a, F>(
    variants: &'v [(&'a SourceDoc, F)],
    lang: &str,
) -> (&'a SourceDoc, &'v F) {
    pick_variant(variants, lang)
}

/// Every linkable id in one language: kind → id → (href, label).
struct Registry {
    targets: HashMap<&'static str, HashMap<String, (String, String)>>,
    drafts: Vec<(&'static str, String)>,
    /// Pages whose files failed to parse: their error is already reported.
    failed: Vec<(&'static str, String)>,
}

impl Registry {
    #[allow(clippy::too_many_arguments)]
    fn new(
        lang: &str,
        categories: &[Stub<CategoryFront>],
        measures: &[Stub<MeasureFront>],
        guidelines: &[Stub<GuidelineFront>],
        sectors: &[Stub<SimpleFront>],
        pages: &[Stub<SimpleFront>],
        glossary: &[Term],
        drafts: &[(&'static str, String)],
        failed: &[(&'static str, String)],
    ) -> Registry {
        let mut targets: HashMap<&'static str, HashMap<String, (String, String)>> = HashMap::new();
        let title = |v: &dyn Fn() -> String| v();
        let _ = title;
        let mut add = |kind: &'static str, id: &str, href: String, label: String| {
            targets
                .entry(kind)
                .or_default()
                .insert(id.to_string(), (href, label));
        };
        for c in categories {
            let t = &pick_variant(&c.variants, lang).1.title;
            add("category", &c.id, urls::category(lang, &c.id), t.clone());
        }
        for m in measures {
            let t = &pick_variant(&m.variants, lang).1.title;
            add(
                "measure",
                &m.id,
                urls::measure(lang, &m.id),
                format!("{} {}", m.id, t),
            );
        }
        for g in guidelines {
            let t = &pick_variant(&g.variants, lang).1.title;
            add("guideline", &g.id, urls::guideline(lang, &g.id), t.clone());
        }
        for s in sectors {
            let t = &pick_variant(&s.variants, lang).1.title;
            add("sector", &s.id, urls::sector(lang, &s.id), t.clone());
        }
        for p in pages {
            let t = &pick_variant(&p.variants, lang).1.title;
            add("page", &p.id, urls::page(lang, &p.id), t.clone());
        }
        for term in glossary {
            let name = term
                .names
                .get(lang)
                .cloned()
                .unwrap_or_else(|| term.id.clone());
            add(
                "glossary",
                &term.id,
                urls::glossary_term(lang, &term.id),
                name,
            );
        }
        Registry {
            targets,
            drafts: drafts.to_vec(),
            failed: failed.to_vec(),
        }
    }
}

impl Resolver for Registry {
    fn resolve(&self, kind: &str, id: &str) -> Result<(String, String), String> {
        let known = self.targets.get(kind);
        if let Some(found) = known.and_then(|m| m.get(id)) {
            return Ok(found.clone());
        }
        if self.failed.iter().any(|(k, d)| *k == kind && d == id) {
            return Ok(("#".into(), id.to_string()));
        }
        if self.drafts.iter().any(|(k, d)| *k == kind && d == id) {
            return Err(format!(
                "{kind} `{id}` is a draft and is not published; build with --drafts or publish it"
            ));
        }
        let suggestion = known.and_then(|m| did_you_mean(id, m.keys().map(String::as_str)));
        Err(match suggestion {
            Some(s) => format!("no {kind} `{id}`; {s}"),
            None => format!("no {kind} `{id}`"),
        })
    }
}

/// The cross-reference kind (`measure:`, ...) that names pages of `kind`.
fn reference_kind(kind: DocKind) -> Option<&'static str> {
    Some(match kind {
        DocKind::Category => "category",
        DocKind::Measure => "measure",
        DocKind::Guideline => "guideline",
        DocKind::Sector => "sector",
        DocKind::Page => "page",
        DocKind::Home => return None,
    })
}

/// Longest title accepted, in characters. Titles name pages, tabs and spreadsheet rows; the
/// longest in the bundled baseline is under 100, and Excel's cell holds at most 32,767.
pub(crate) const MAX_TITLE_CHARS: usize = 1_000;

/// A title over [`MAX_TITLE_CHARS`] is an author's mistake (pasted body text): say so at the
/// `title` key rather than fail later in an export.
fn check_title_length(doc: &SourceDoc, title: &str, diags: &mut Vec<Diagnostic>) {
    let chars = title.chars().count();
    if chars <= MAX_TITLE_CHARS {
        return;
    }
    let front = doc.front_text();
    let at = if front.starts_with("title") {
        Some(0)
    } else {
        front.find("\ntitle").map(|i| i + 1)
    };
    let offset = at.map_or(doc.front.start, |i| doc.front.start + i);
    diags.push(
        doc.src
            .error(
                offset,
                format!("the title is too long ({chars} characters; the limit is {MAX_TITLE_CHARS})"),
            )
            .with_help("keep the title to a short name and put the longer text in the statement or the body"),
    );
}

/// Where a string value of `doc`'s front matter is written, found by its text (through its
/// escapes if it has any); the start of the front matter when not found.
fn string_pos(doc: &SourceDoc, value: &str) -> StringPos {
    strpos::locate(doc.front_text(), doc.front.start, value).unwrap_or(StringPos {
        base: doc.front.start,
        shifts: vec![],
    })
}
