//! External framework catalogs and the crosswalk rows from measures to their items.
//!
//! Both are plain data under `content/frameworks/` and `content/crosswalks/`: adding a framework
//! is adding two files, with no code change.

use super::merge::At;
use crate::diagnostics::{Diagnostic, SourceText, did_you_mean};
use crate::load::DataFile;
use crate::tomlerr::toml_diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkMeta {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    pub version: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub document: Option<String>,
    #[serde(default)]
    pub celex: Option<String>,
    #[serde(default)]
    pub source_url: Option<String>,
    #[serde(default)]
    pub source_data: Option<String>,
    #[serde(default)]
    pub license: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// Optional localised names, e.g. `name_i18n.ja = "..."`.
    #[serde(default)]
    pub name_i18n: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkItem {
    pub id: String,
    #[serde(default)]
    pub parent: Option<String>,
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub title_ja: Option<String>,
    #[serde(default)]
    pub verify: Option<bool>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub source_page: Option<toml::Value>,
    #[serde(default)]
    pub order: Option<i64>,
    #[serde(default)]
    pub art21_points: Option<Vec<String>>,
    #[serde(default)]
    pub csf_function: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkFile {
    schema_version: Spanned<i64>,
    framework: FrameworkMeta,
    #[serde(default, rename = "item")]
    items: Vec<Spanned<FrameworkItem>>,
}

#[derive(Debug, Clone)]
pub struct Framework {
    pub id: String,
    pub meta: FrameworkMeta,
    pub items: Vec<FrameworkItem>,
    /// The item kind that crosswalk rows map to by default (the deepest level).
    pub leaf_kind: String,
    pub source: String,
    /// Item id → position in `items`: crosswalk pages look an item up for every row.
    item_index: HashMap<String, usize>,
}

impl Framework {
    pub fn item(&self, id: &str) -> Option<&FrameworkItem> {
        self.item_index.get(id).map(|&i| &self.items[i])
    }

    /// Position of an item in `items` (the framework's own order).
    pub fn item_position(&self, id: &str) -> Option<usize> {
        self.item_index.get(id).copied()
    }

    pub fn short_name(&self) -> &str {
        self.meta.short_name.as_deref().unwrap_or(&self.meta.name)
    }

    pub fn is_leaf(&self, item: &FrameworkItem) -> bool {
        !self
            .items
            .iter()
            .any(|i| i.parent.as_deref() == Some(item.id.as_str()))
    }

    /// Items a crosswalk maps to: those of its declared level (e.g. `subcategory`), or the
    /// leaves when it declares none.
    pub fn is_mappable(&self, item: &FrameworkItem, level: Option<&str>) -> bool {
        match level {
            Some(kind) => item.kind == kind,
            None => self.is_leaf(item),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    Equal,
    SubsetOf,
    SupersetOf,
    IntersectsWith,
    NotRelated,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::SubsetOf => "subset-of",
            Relation::SupersetOf => "superset-of",
            Relation::IntersectsWith => "intersects-with",
            Relation::NotRelated => "not-related",
        }
    }
    /// `equal` or `subset-of`: nothing the measure asks lies outside the item, so meeting the
    /// item meets the measure.
    pub fn meets_measure(self) -> bool {
        matches!(self, Relation::Equal | Relation::SubsetOf)
    }

    /// Anything but `not-related`.
    pub fn is_related(self) -> bool {
        self != Relation::NotRelated
    }

    pub const ALL: [Relation; 5] = [
        Relation::Equal,
        Relation::SubsetOf,
        Relation::SupersetOf,
        Relation::IntersectsWith,
        Relation::NotRelated,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rationale {
    Syntactic,
    Semantic,
    Functional,
}

impl Rationale {
    pub fn as_str(self) -> &'static str {
        match self {
            Rationale::Syntactic => "syntactic",
            Rationale::Semantic => "semantic",
            Rationale::Functional => "functional",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CrosswalkStatus {
    Draft,
    Final,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrosswalkMetaFile {
    framework: Spanned<String>,
    version: String,
    status: CrosswalkStatus,
    date: Spanned<String>,
    comprehensive: bool,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    notes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFile {
    measure: Spanned<String>,
    item: Spanned<String>,
    relation: Relation,
    rationale: Rationale,
    #[serde(default)]
    strength: Option<Spanned<i64>>,
    #[serde(default)]
    justification: BTreeMap<String, String>,
}

/// A `[[remains]]` or `[[not_covered]]` table: one key naming the measure or item, and one text
/// per site language (`ja = "..."`, `en = "..."`). The language keys depend on the site, so the
/// table is read as a map and every other key is refused by `split_texts` (as
/// `deny_unknown_fields` would), with its position.
type TextsFile = BTreeMap<String, Spanned<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrosswalkFile {
    crosswalk: Spanned<CrosswalkMetaFile>,
    #[serde(default, rename = "row")]
    rows: Vec<Spanned<RowFile>>,
    #[serde(default)]
    remains: Vec<Spanned<TextsFile>>,
    #[serde(default)]
    not_covered: Vec<Spanned<TextsFile>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrosswalkRow {
    pub measure: String,
    pub item: String,
    pub relation: Relation,
    pub rationale: Rationale,
    pub strength: Option<u8>,
    pub justification: BTreeMap<String, String>,
    /// Byte offset of the `[[row]]` table in the crosswalk file, for diagnostics.
    #[serde(skip)]
    pub offset: usize,
}

/// A bilingual note tied to one measure (`[[remains]]`) or one framework item (`[[not_covered]]`).
#[derive(Debug, Clone, Serialize)]
pub struct CrosswalkNote {
    /// The measure id (remains) or the item id (not covered).
    pub subject: String,
    /// Language → text, as written (possibly empty: `kijun check` reports that).
    pub text: BTreeMap<String, String>,
    /// Byte offsets of the table and of its subject value, for diagnostics.
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub subject_offset: usize,
    /// Byte offset of each language's text.
    #[serde(skip)]
    pub text_offsets: BTreeMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct Crosswalk {
    pub framework: String,
    pub version: String,
    pub status: CrosswalkStatus,
    pub date: String,
    pub comprehensive: bool,
    pub level: Option<String>,
    pub notes: BTreeMap<String, String>,
    pub rows: Vec<CrosswalkRow>,
    /// `[[remains]]`: what each measure asks beyond the framework, in file order.
    pub remains: Vec<CrosswalkNote>,
    /// `[[not_covered]]`: framework items no measure of the baseline covers, in file order.
    pub not_covered: Vec<CrosswalkNote>,
    pub source: String,
    /// Byte offset of the `[crosswalk]` table, for diagnostics about the file as a whole.
    pub offset: usize,
    /// Measure id → positions in `rows`: pages ask for a measure's rows thousands of times.
    rows_by_measure: HashMap<String, Vec<usize>>,
}

impl Crosswalk {
    /// The rows of `measure`, in file order.
    pub fn rows_of<'a>(&'a self, measure: &str) -> impl Iterator<Item = &'a CrosswalkRow> + 'a {
        self.rows_by_measure
            .get(measure)
            .into_iter()
            .flatten()
            .map(|&i| &self.rows[i])
    }

    /// What `measure` asks beyond this framework, if the crosswalk says (the first, if twice).
    pub fn remains_of(&self, measure: &str) -> Option<&CrosswalkNote> {
        self.remains.iter().find(|r| r.subject == measure)
    }

    /// The "not covered by this baseline" note of a framework item, if any.
    pub fn not_covered_of(&self, item: &str) -> Option<&CrosswalkNote> {
        self.not_covered.iter().find(|n| n.subject == item)
    }
}

impl CrosswalkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CrosswalkStatus::Draft => "draft",
            CrosswalkStatus::Final => "final",
        }
    }
}

pub fn load_framework(file: &DataFile, diags: &mut Vec<Diagnostic>) -> Option<Framework> {
    let src = &file.src;
    let parsed: FrameworkFile = match toml::from_str(&src.text) {
        Ok(f) => f,
        Err(e) => {
            diags.push(toml_diagnostic(src, 0, &e));
            return None;
        }
    };
    if *parsed.schema_version.get_ref() != 1 {
        diags.push(
            src.error(
                parsed.schema_version.span().start,
                "unsupported schema_version",
            )
            .with_help("framework files use schema_version = 1 (see shared/frameworks/README.md)"),
        );
        return None;
    }
    let expected_name = file
        .rel
        .trim_start_matches("frameworks/")
        .trim_end_matches(".toml");
    if parsed.framework.id != expected_name {
        diags.push(
            src.error(
                src.text.find("id =").unwrap_or(0),
                format!(
                    "framework id `{}` differs from the file name",
                    parsed.framework.id
                ),
            )
            .with_help(format!(
                "name the file frameworks/{}.toml",
                parsed.framework.id
            )),
        );
    }
    if let Some(url) = &parsed.framework.source_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        diags.push(
            src.error(
                src.text.find("source_url").unwrap_or(0),
                format!("source_url `{url}` is not a web address"),
            )
            .with_help("it becomes a link on the framework page: write an https:// address"),
        );
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut items = Vec::with_capacity(parsed.items.len());
    for spanned in parsed.items {
        let offset = spanned.span().start;
        let item = spanned.into_inner();
        if seen.contains_key(&item.id) {
            diags.push(
                src.error(offset, format!("duplicate item id `{}`", item.id))
                    .with_help("item ids are unique within a framework"),
            );
        }
        if let Some(parent) = &item.parent {
            if !seen.contains_key(parent) {
                diags.push(
                    src.error(
                        offset,
                        format!(
                            "item `{}` names parent `{parent}`, which is not defined before it",
                            item.id
                        ),
                    )
                    .with_help("list parents before their children"),
                );
            }
        }
        seen.insert(item.id.clone(), offset);
        items.push(item);
    }
    let parents: std::collections::HashSet<&str> =
        items.iter().filter_map(|i| i.parent.as_deref()).collect();
    let leaf_kind = items
        .iter()
        .rev()
        .find(|i| !parents.contains(i.id.as_str()))
        .map(|i| i.kind.clone())
        .unwrap_or_default();
    let item_index = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.clone(), i))
        .collect();
    Some(Framework {
        id: parsed.framework.id.clone(),
        meta: parsed.framework,
        items,
        leaf_kind,
        source: src.display_path.clone(),
        item_index,
    })
}

/// What a crosswalk row needs to check its references.
pub struct CrosswalkContext<'a> {
    pub frameworks: &'a [Framework],
    pub measure_ids: &'a [String],
    pub languages: &'a [String],
    /// Framework files that exist but failed to load (already reported).
    pub failed_frameworks: &'a [String],
}

pub fn load_crosswalk(
    file: &DataFile,
    ctx: &CrosswalkContext,
    diags: &mut Vec<Diagnostic>,
) -> Option<Crosswalk> {
    let src: &Arc<SourceText> = &file.src;
    let parsed: CrosswalkFile = match toml::from_str(&src.text) {
        Ok(f) => f,
        Err(e) => {
            diags.push(toml_diagnostic(src, 0, &e));
            return None;
        }
    };
    let meta_offset = parsed.crosswalk.span().start;
    let meta = parsed.crosswalk.into_inner();
    let fw_id = meta.framework.get_ref();
    let Some(framework) = ctx.frameworks.iter().find(|f| &f.id == fw_id) else {
        if ctx.failed_frameworks.contains(fw_id) {
            return None; // its own file's error says what to fix
        }
        let known: Vec<&str> = ctx.frameworks.iter().map(|f| f.id.as_str()).collect();
        let mut d = src.error(
            meta.framework.span().start,
            format!("unknown framework `{fw_id}`"),
        );
        d = d.with_help(
            did_you_mean(fw_id, known.iter().copied()).unwrap_or_else(|| {
                if known.is_empty() {
                    format!("add content/frameworks/{fw_id}.toml")
                } else {
                    format!(
                        "add content/frameworks/{fw_id}.toml; known: {}",
                        known.join(", ")
                    )
                }
            }),
        );
        diags.push(d);
        return None;
    };
    if let Some(level) = meta.level.as_deref() {
        if !framework.items.iter().any(|i| i.kind == level) {
            let kinds: std::collections::BTreeSet<&str> =
                framework.items.iter().map(|i| i.kind.as_str()).collect();
            diags.push(
                src.error(
                    src.text.find("level").unwrap_or(0),
                    format!("{} has no items of kind `{level}`", framework.id),
                )
                .with_help(format!(
                    "kinds are: {}",
                    kinds.into_iter().collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
    if !crate::config::is_iso_date(meta.date.get_ref()) {
        diags.push(src.error(meta.date.span().start, "date must be written YYYY-MM-DD"));
    }
    // A set, not the slice: a large baseline has tens of thousands of rows to check.
    let known_measures: std::collections::HashSet<&str> =
        ctx.measure_ids.iter().map(String::as_str).collect();
    let mut rows = Vec::with_capacity(parsed.rows.len());
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for spanned in parsed.rows {
        let row_offset = spanned.span().start;
        let row = spanned.into_inner();
        let at = |s: &Spanned<String>| At {
            value: s.get_ref().clone(),
            src: src.clone(),
            offset: s.span().start,
            base: 0,
        };
        let measure = at(&row.measure);
        let item = at(&row.item);
        let mut ok = true;
        if !known_measures.contains(measure.value.as_str()) {
            let hint = did_you_mean(&measure.value, ctx.measure_ids.iter().map(String::as_str));
            let mut d = measure.error(format!("unknown measure `{}`", measure.value));
            d = d.with_help(
                hint.unwrap_or_else(|| "check the measure id in content/measures/".into()),
            );
            diags.push(d);
            ok = false;
        }
        if framework.item(&item.value).is_none() {
            let hint = did_you_mean(&item.value, framework.items.iter().map(|i| i.id.as_str()));
            let mut d = item.error(format!(
                "`{}` is not an item of {}",
                item.value, framework.id
            ));
            d = d.with_help(hint.unwrap_or_else(|| format!("use an id from {}", framework.source)));
            diags.push(d);
            ok = false;
        }
        if let (Some(level), Some(found)) = (meta.level.as_deref(), framework.item(&item.value)) {
            if found.kind != level {
                diags.push(
                    item.error(format!(
                        "`{}` is a {}, but this crosswalk maps to {level} items",
                        item.value, found.kind
                    ))
                    .with_help(format!(
                        "map to a {level} under {}, or change `level`",
                        item.value
                    )),
                );
                ok = false;
            }
        }
        let strength = match &row.strength {
            Some(s) if !(0..=10).contains(s.get_ref()) => {
                diags.push(
                    src.error(s.span().start, "strength must be between 0 and 10")
                        .with_help("omit it, or give a whole number 0-10"),
                );
                None
            }
            Some(s) => Some(*s.get_ref() as u8),
            None => None,
        };
        for lang in ctx.languages {
            if !row.justification.contains_key(lang) {
                diags.push(
                    src.warning(
                        row_offset,
                        format!(
                            "row {} → {} has no justification in `{lang}`",
                            measure.value, item.value
                        ),
                    )
                    .with_help(format!("add justification.{lang} = \"...\"")),
                );
            }
        }
        for lang in row.justification.keys() {
            if !ctx.languages.contains(lang) {
                diags.push(src.error(
                    row_offset,
                    format!("justification.{lang}: `{lang}` is not a language of this site"),
                ));
            }
        }
        if let Some(prev) = seen.insert((measure.value.clone(), item.value.clone()), row_offset) {
            diags.push(
                src.error(
                    row_offset,
                    format!(
                        "{} → {} is mapped twice (first at line {})",
                        measure.value,
                        item.value,
                        src.pos(prev).line
                    ),
                )
                .with_help("keep one row per measure and item"),
            );
        }
        if ok {
            rows.push(CrosswalkRow {
                measure: measure.value,
                item: item.value,
                relation: row.relation,
                rationale: row.rationale,
                strength,
                justification: row.justification,
                offset: row_offset,
            });
        }
    }
    let mut rows_by_measure: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        rows_by_measure
            .entry(row.measure.clone())
            .or_default()
            .push(i);
    }
    let remains = split_notes(parsed.remains, "remains", "measure", src, ctx, diags);
    let not_covered = split_notes(parsed.not_covered, "not_covered", "item", src, ctx, diags);
    let crosswalk = Crosswalk {
        framework: framework.id.clone(),
        version: meta.version,
        status: meta.status,
        date: meta.date.into_inner(),
        comprehensive: meta.comprehensive,
        level: meta.level,
        notes: meta.notes,
        rows,
        remains,
        not_covered,
        source: src.display_path.clone(),
        offset: meta_offset,
        rows_by_measure,
    };
    super::crosswalk_checks::check(&crosswalk, framework, ctx, src, diags);
    Some(crosswalk)
}

/// Reads `[[remains]]` / `[[not_covered]]` tables: the `subject_key` (`measure` or `item`) and
/// one text per site language. Any other key is an error at that key, as `deny_unknown_fields`
/// gives for the other tables; a table with no subject is dropped after its error.
fn split_notes(
    tables: Vec<Spanned<TextsFile>>,
    table: &str,
    subject_key: &str,
    src: &Arc<SourceText>,
    ctx: &CrosswalkContext,
    diags: &mut Vec<Diagnostic>,
) -> Vec<CrosswalkNote> {
    let mut notes = Vec::with_capacity(tables.len());
    for spanned in tables {
        let offset = spanned.span().start;
        let mut subject = None;
        let mut text = BTreeMap::new();
        let mut text_offsets = BTreeMap::new();
        for (key, value) in spanned.into_inner() {
            if key == subject_key {
                subject = Some(value);
            } else if ctx.languages.contains(&key) {
                text_offsets.insert(key.clone(), value.span().start);
                text.insert(key, value.into_inner());
            } else {
                let mut expected = vec![subject_key.to_string()];
                expected.extend(ctx.languages.iter().cloned());
                diags.push(
                    src.error(
                        key_offset(src, offset, &key),
                        format!("unknown field `{key}` in [[{table}]]"),
                    )
                    .with_help(
                        did_you_mean(&key, expected.iter().map(String::as_str)).unwrap_or_else(
                            || format!("remove it; known keys are: {}", expected.join(", ")),
                        ),
                    ),
                );
            }
        }
        let Some(subject) = subject else {
            diags.push(
                src.error(offset, format!("[[{table}]] has no `{subject_key}`"))
                    .with_help(format!(
                        "add {subject_key} = \"...\" to say what it is about"
                    )),
            );
            continue;
        };
        notes.push(CrosswalkNote {
            subject_offset: subject.span().start,
            subject: subject.into_inner(),
            text,
            offset,
            text_offsets,
        });
    }
    notes
}

/// Where `key` is written in the table starting at `table_start` (the table start if not found:
/// the map keeps values' positions, not keys').
fn key_offset(src: &SourceText, table_start: usize, key: &str) -> usize {
    let rest = src.text.get(table_start..).unwrap_or_default();
    rest.split_inclusive('\n')
        .scan(table_start, |at, line| {
            let here = *at;
            *at += line.len();
            Some((here, line))
        })
        .skip(1)
        .take_while(|(_, line)| !line.trim_start().starts_with('['))
        .find(|(_, line)| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(table_start, |(at, line)| {
            at + (line.len() - line.trim_start().len())
        })
}
