//! Indexes that many pages share, built once per build instead of once per page: with tens of
//! thousands of measures, every per-page scan of the baseline is a quadratic build.

use super::context::Shared;
use super::rows::MeasureRow;
use crate::model::Measure;
use crate::urls;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Default)]
pub struct Lookups {
    /// Per language, the list row of every measure, in baseline order.
    rows: BTreeMap<String, Vec<MeasureRow>>,
}

impl Lookups {
    pub fn new(shared: &Shared) -> Lookups {
        let b = shared.baseline;
        let rows = b
            .languages
            .iter()
            .map(|lang| {
                let rows = b
                    .measures
                    .iter()
                    .map(|m| MeasureRow::new(shared, m, lang))
                    .collect();
                (lang.clone(), rows)
            })
            .collect();
        Lookups { rows }
    }
}

/// A category and the list rows of its measures, for the pages that list measures by category.
#[derive(Serialize)]
pub struct CategoryGroup<'r> {
    pub id: String,
    pub title: String,
    pub href: String,
    pub measures: Vec<&'r MeasureRow>,
}

impl<'a> Shared<'a> {
    /// Every category with the rows of its measures that `keep` accepts, in baseline order;
    /// categories left with no measure are dropped unless `keep_empty`.
    pub fn category_groups(
        &self,
        lang: &str,
        keep: impl Fn(&Measure) -> bool,
        keep_empty: bool,
    ) -> Vec<CategoryGroup<'_>> {
        self.baseline
            .categories
            .iter()
            .map(|c| CategoryGroup {
                id: c.id.clone(),
                title: c.text[lang].title.clone(),
                href: urls::category(lang, &c.id),
                measures: self
                    .measures_in(&c.id)
                    .filter(|m| keep(m))
                    .map(|m| self.row(lang, m))
                    .collect(),
            })
            .filter(|g| keep_empty || !g.measures.is_empty())
            .collect()
    }

    /// The list row of `m` in `lang`, built once per build.
    pub fn row(&self, lang: &str, m: &Measure) -> &MeasureRow {
        let position = self
            .baseline
            .measure_position(&m.id)
            .expect("a measure of this baseline");
        &self.lookups.rows[lang][position]
    }

    /// The measures of `category`, in baseline order.
    pub fn measures_in(&self, category: &'a str) -> impl Iterator<Item = &'a Measure> + 'a {
        self.baseline.measures_in(category)
    }
}
