//! Stage 2: the typed baseline, with every reference resolved and checked.

mod build;
mod consistency;
pub mod crosswalk;
mod crosswalk_checks;
pub mod front;
mod glossary;
mod merge;
pub mod sections;

pub use build::{BuildOptions, build_baseline};
pub use crosswalk::{Crosswalk, CrosswalkRow, Framework, FrameworkItem, Relation};
pub use front::Obligation;
pub use glossary::Term;
pub use sections::{BodySection, SectionKind};

use crate::config::Config;
use crate::markdown::Heading;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Values per language code.
pub type Localized<T> = BTreeMap<String, T>;

/// A page's text in one language, Markdown already rendered.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Text {
    pub title: String,
    pub html: String,
    /// Plain text of the body, for search and snippets.
    pub plain: String,
    pub headings: Vec<Heading>,
    /// True when this language had no file and the default language's text stands in.
    pub fallback: bool,
    /// The source file, relative to the root.
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub order: i64,
    pub text: Localized<Text>,
}

#[derive(Debug, Clone)]
pub struct Measure {
    pub id: String,
    pub category: String,
    pub obligation: Obligation,
    pub level: u8,
    pub order: i64,
    /// Sector ids; empty means every sector.
    pub sectors: Vec<String>,
    /// Ids this measure replaces (renumbering).
    pub replaces: Vec<String>,
    pub draft: bool,
    pub text: Localized<MeasureText>,
}

impl Measure {
    pub fn applies_to(&self, sector: &str) -> bool {
        self.sectors.is_empty() || self.sectors.iter().any(|s| s == sector)
    }
}

#[derive(Debug, Clone, Default)]
pub struct MeasureText {
    pub page: Text,
    pub statement_html: String,
    pub statement_plain: String,
    pub sector_notes: Vec<SectorNote>,
    /// The body split on its fixed `##` headings, for exports.
    pub sections: Vec<BodySection>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectorNote {
    pub sector: String,
    pub html: String,
    pub plain: String,
}

#[derive(Debug, Clone)]
pub struct Guideline {
    pub id: String,
    pub order: i64,
    pub categories: Vec<String>,
    pub measures: Vec<String>,
    pub sectors: Vec<String>,
    pub template: Option<String>,
    pub draft: bool,
    pub text: Localized<Text>,
}

/// Sectors and plain pages.
#[derive(Debug, Clone)]
pub struct SimplePage {
    pub id: String,
    pub order: i64,
    pub draft: bool,
    pub text: Localized<Text>,
}

#[derive(Debug, Clone)]
pub struct Baseline {
    pub config: Config,
    pub languages: Vec<String>,
    pub home: Localized<Text>,
    pub categories: Vec<Category>,
    /// In category order, then measure order.
    pub measures: Vec<Measure>,
    pub guidelines: Vec<Guideline>,
    pub sectors: Vec<SimplePage>,
    pub pages: Vec<SimplePage>,
    pub glossary: Vec<Term>,
    pub frameworks: Vec<Framework>,
    pub crosswalks: Vec<Crosswalk>,
    /// Earlier revisions (`[previous]`), for the changes page, feed and redirects.
    pub history: crate::revision::History,
    /// Lookups by id, built once by `index()`: pages ask for them thousands of times.
    pub lookup: Lookup,
}

/// Positions in the baseline's vectors by id, so that lookups do not scan.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    measures: HashMap<String, usize>,
    categories: HashMap<String, usize>,
    /// Measure id → (crosswalk, row) positions, crosswalks in order, rows in file order.
    rows_by_measure: HashMap<String, Vec<(usize, usize)>>,
    /// Category id → positions of its measures, in order.
    by_category: HashMap<String, Vec<usize>>,
}

impl Baseline {
    /// Builds the lookups; call after the vectors are final.
    pub fn index(mut self) -> Baseline {
        let mut lookup = Lookup {
            measures: positions(self.measures.iter().map(|m| &m.id)),
            categories: positions(self.categories.iter().map(|c| &c.id)),
            rows_by_measure: HashMap::new(),
            by_category: HashMap::new(),
        };
        for (i, m) in self.measures.iter().enumerate() {
            lookup
                .by_category
                .entry(m.category.clone())
                .or_default()
                .push(i);
        }
        for (c, cw) in self.crosswalks.iter().enumerate() {
            for (r, row) in cw.rows.iter().enumerate() {
                lookup
                    .rows_by_measure
                    .entry(row.measure.clone())
                    .or_default()
                    .push((c, r));
            }
        }
        self.lookup = lookup;
        self
    }

    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.lookup.measures.get(id).map(|&i| &self.measures[i])
    }

    /// Position of a measure in `measures`.
    pub fn measure_position(&self, id: &str) -> Option<usize> {
        self.lookup.measures.get(id).copied()
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.lookup.categories.get(id).map(|&i| &self.categories[i])
    }

    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    pub fn measures_in<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Measure> + 'a {
        self.lookup
            .by_category
            .get(category)
            .into_iter()
            .flatten()
            .map(|&i| &self.measures[i])
    }

    /// Crosswalk rows that involve `measure`, across frameworks.
    pub fn mappings_of<'a>(
        &'a self,
        measure: &'a str,
    ) -> impl Iterator<Item = (&'a Crosswalk, &'a CrosswalkRow)> + 'a {
        self.lookup
            .rows_by_measure
            .get(measure)
            .into_iter()
            .flatten()
            .map(|&(c, r)| (&self.crosswalks[c], &self.crosswalks[c].rows[r]))
    }
}

fn positions<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.clone(), i)).collect()
}
