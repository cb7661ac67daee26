//! `kijun new KIND ID`: writes a page's files in every language, with the front matter and
//! section headings the content format expects, so an author fills in text instead of copying
//! another page by hand.

use super::ids::{self, MeasureFiles, Retired};
use crate::config::Config;
use crate::load::CONTENT_DIR;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Measure,
    Guideline,
    Sector,
    Page,
}

impl NewKind {
    fn folder(self) -> &'static str {
        match self {
            NewKind::Measure => "measures",
            NewKind::Guideline => "guidelines",
            NewKind::Sector => "sectors",
            NewKind::Page => "pages",
        }
    }
}

/// A refusal: what is wrong and what to do instead.
#[derive(Debug)]
pub struct Refused {
    pub message: String,
    pub help: String,
}

fn refuse(message: impl Into<String>, help: impl Into<String>) -> Refused {
    Refused {
        message: message.into(),
        help: help.into(),
    }
}

/// What `new` wrote and what the author still has to fill in.
#[derive(Debug)]
pub struct Created {
    pub files: Vec<PathBuf>,
    pub todo: Vec<String>,
}

/// The settled facts of the page to write.
struct Plan {
    folder: PathBuf,
    order: i64,
    category: Option<String>,
}

pub fn create(
    root: &Path,
    kind: NewKind,
    id: &str,
    category: Option<&str>,
) -> Result<Created, Refused> {
    let config = Config::load(root)
        .map_err(|d| refuse(d.message.clone(), d.help.clone().unwrap_or_default()))?;
    let plan = match kind {
        NewKind::Measure => plan_measure(root, &config, id, category)?,
        _ => plan_page(root, &config, kind, id, category)?,
    };
    std::fs::create_dir_all(&plan.folder)
        .map_err(|e| refuse(format!("cannot create {}: {e}", plan.folder.display()), ""))?;
    let mut files = Vec::new();
    for lang in config.language_codes() {
        let is_default = lang == config.default_language;
        let text = page_text(kind, id, &plan, &lang, is_default, &config.default_language);
        let path = plan.folder.join(format!("{id}.{lang}.md"));
        write_new(&path, &text)?;
        files.push(path);
    }
    Ok(Created {
        files,
        todo: todo(kind, &config.default_language),
    })
}

/// Never overwrites: an existing file means the id is taken.
fn write_new(path: &Path, text: &str) -> Result<(), Refused> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| refuse(format!("cannot create {}: {e}", path.display()), ""))?;
    file.write_all(text.as_bytes())
        .map_err(|e| refuse(format!("cannot write {}: {e}", path.display()), ""))
}

fn plan_measure(
    root: &Path,
    config: &Config,
    id: &str,
    category: Option<&str>,
) -> Result<Plan, Refused> {
    let Some((prefix, _)) = ids::parse_measure_id(id) else {
        return Err(refuse(
            format!("`{id}` is not a measure id"),
            "a measure id is its category and a number, like AM-9",
        ));
    };
    let category = category.unwrap_or(prefix);
    if category != prefix {
        return Err(refuse(
            format!("`{id}` does not belong to category {category}"),
            format!("a measure's id starts with its category: use {category}-<n>"),
        ));
    }
    let categories = known_ids(root, "categories", &config.default_language);
    if !categories.contains_key(category) {
        return Err(refuse(
            format!("no category `{category}`"),
            format!(
                "categories are: {}",
                categories.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let current = ids::measures(root, &config.default_language);
    let retired = ids::retired_measures(root, config, &current);
    check_measure_free(id, category, &current, &retired)?;
    let order = current
        .iter()
        .filter(|m| front_str(&m.front, "category").unwrap_or(&m.folder) == category)
        .filter_map(|m| m.front.get("order").and_then(|o| o.as_integer()))
        .max()
        .unwrap_or(0)
        + 1;
    Ok(Plan {
        folder: root.join(CONTENT_DIR).join("measures").join(category),
        order,
        category: Some(category.to_string()),
    })
}

/// Refuses an id in use or retired, naming the next free number of the category.
pub fn check_measure_free(
    id: &str,
    category: &str,
    current: &[MeasureFiles],
    retired: &BTreeMap<String, Retired>,
) -> Result<(), Refused> {
    let next = next_free_number(category, current, retired);
    let help = format!("ids are never reused; the next free id in {category} is {category}-{next}");
    if let Some(m) = current.iter().find(|m| m.id == id) {
        return Err(refuse(
            format!(
                "`{id}` is already a measure (content/measures/{}/)",
                m.folder
            ),
            help,
        ));
    }
    if let Some(why) = retired.get(id) {
        return Err(refuse(why.explain(id), help));
    }
    Ok(())
}

pub fn next_free_number(
    category: &str,
    current: &[MeasureFiles],
    retired: &BTreeMap<String, Retired>,
) -> u32 {
    current
        .iter()
        .map(|m| m.id.as_str())
        .chain(retired.keys().map(String::as_str))
        .filter_map(ids::parse_measure_id)
        .filter(|(c, _)| *c == category)
        .map(|(_, n)| n)
        .max()
        .unwrap_or(0)
        + 1
}

fn plan_page(
    root: &Path,
    config: &Config,
    kind: NewKind,
    id: &str,
    category: Option<&str>,
) -> Result<Plan, Refused> {
    if !ids::is_slug(id) {
        return Err(refuse(
            format!("`{id}` is not a valid id for a {}", kind_name(kind)),
            "use lower-case ASCII letters, digits and '-', like am-asset-inventory; the Japanese name goes in title",
        ));
    }
    if kind == NewKind::Page && crate::urls::RESERVED.contains(&id) {
        return Err(refuse(
            format!("page id `{id}` is reserved for a section of the site"),
            "choose another id",
        ));
    }
    if let Some(cat) = category {
        if kind != NewKind::Guideline {
            return Err(refuse(
                "--category is for measures and guidelines",
                "leave it out",
            ));
        }
        if !known_ids(root, "categories", &config.default_language).contains_key(cat) {
            return Err(refuse(
                format!("no category `{cat}`"),
                "check the category id",
            ));
        }
    }
    let existing = known_ids(root, kind.folder(), &config.default_language);
    if existing.contains_key(id) {
        return Err(refuse(
            format!("`{id}` is already a {}", kind_name(kind)),
            "choose another id, or edit the existing files",
        ));
    }
    let order = existing
        .values()
        .filter_map(|front| front.get("order").and_then(|o| o.as_integer()))
        .max()
        .unwrap_or(0)
        + 1;
    Ok(Plan {
        folder: root.join(CONTENT_DIR).join(kind.folder()),
        order,
        category: category.map(String::from),
    })
}

/// Pages of one folder under content/: id → the default-language file's front matter (or any
/// language's, when only that exists).
fn known_ids(root: &Path, folder: &str, default_lang: &str) -> BTreeMap<String, toml::Table> {
    ids::pages_in(&root.join(CONTENT_DIR).join(folder))
        .into_iter()
        .map(|(id, files)| {
            let front = files
                .get(default_lang)
                .or_else(|| files.values().next())
                .and_then(|p| std::fs::read_to_string(p).ok())
                .map(|t| ids::parse_front(&t))
                .unwrap_or_default();
            (id, front)
        })
        .collect()
}

fn front_str<'t>(front: &'t toml::Table, key: &str) -> Option<&'t str> {
    front.get(key).and_then(|v| v.as_str())
}

fn kind_name(kind: NewKind) -> &'static str {
    match kind {
        NewKind::Measure => "measure",
        NewKind::Guideline => "guideline",
        NewKind::Sector => "sector",
        NewKind::Page => "page",
    }
}

/// Placeholder words and the fixed section headings, per language (English for any language
/// other than Japanese).
struct Words {
    title: &'static str,
    statement: &'static str,
    measure_sections: [(&'static str, &'static str); 3],
    guideline_sections: [(&'static str, &'static str); 3],
    sector_sections: [(&'static str, &'static str); 4],
    page_body: &'static str,
    neutral_note: &'static str,
}

const JA: Words = Words {
    title: "（名称）",
    statement: "事業者は、（要求事項を1〜2文で書く）こと。",
    measure_sections: [
        (
            "なぜ重要か",
            "（この対策がなぜ必要か、しないと何が起きるかを2〜4文で）",
        ),
        ("達成の目安", "- （評価者が確認する証跡を箇条書きで）"),
        (
            "小規模事業者の最小実施例",
            "- （専任者のいない事業者でもできる最小の実施例）",
        ),
    ],
    guideline_sections: [
        (
            "このガイドラインの目的",
            "（このガイドラインが説明する対策事項と、誰のためのものか）",
        ),
        ("実施の手順", "### 1. （最初の手順）\n\n（手順の説明）"),
        ("よくある誤り", "- （よくある誤りと、その避け方）"),
    ],
    sector_sections: [
        ("対象となるサービス", "（この分野の重要インフラサービス）"),
        ("サイバーリスクの特徴", "（この分野に特有のリスク）"),
        (
            "重点となる対策",
            "（優先するカテゴリ、例：[](category:AM)）",
        ),
        ("基幹インフラとの関係", "（基幹インフラ制度で対応する分野）"),
    ],
    page_body: "（本文）",
    neutral_note: "",
};

const EN: Words = Words {
    title: "(Title)",
    statement: "The operator shall (write the requirement in one or two sentences).",
    measure_sections: [
        (
            "Why it matters",
            "(Why this measure is needed and what happens without it, in 2-4 sentences.)",
        ),
        (
            "What done looks like",
            "- (The evidence an assessor checks, as a list.)",
        ),
        (
            "Minimal approach for small operators",
            "- (The smallest way an operator without dedicated staff can do it.)",
        ),
    ],
    guideline_sections: [
        (
            "Purpose of this guideline",
            "(Which measures this guideline explains, and for whom.)",
        ),
        (
            "Implementation step by step",
            "### 1. (First step)\n\n(What to do.)",
        ),
        (
            "Common mistakes",
            "- (A common mistake and how to avoid it.)",
        ),
    ],
    sector_sections: [
        (
            "Services in scope",
            "(The critical infrastructure services of this sector.)",
        ),
        (
            "Cyber-risk characteristics",
            "(The risks particular to this sector.)",
        ),
        (
            "Where to focus",
            "(The categories to start with, e.g. [](category:AM).)",
        ),
        (
            "Relation to core infrastructure (基幹インフラ)",
            "(The corresponding sector of the core-infrastructure regime.)",
        ),
    ],
    page_body: "(Text.)",
    neutral_note: "# Language-neutral fields (id, order, ...) are written once, in the default-language file.\n",
};

fn words(lang: &str) -> &'static Words {
    if lang == "ja" { &JA } else { &EN }
}

/// The whole file for one language: neutral fields only in the default language.
fn page_text(
    kind: NewKind,
    id: &str,
    plan: &Plan,
    lang: &str,
    is_default: bool,
    default_lang: &str,
) -> String {
    let w = words(lang);
    let mut front = String::new();
    if is_default {
        front.push_str(&neutral_fields(kind, id, plan));
    } else {
        front.push_str(
            &w.neutral_note
                .replace("default-language", &format!("`{default_lang}`")),
        );
    }
    front.push_str(&format!("title = {}\n", toml_str(w.title)));
    if kind == NewKind::Measure {
        front.push_str(&format!("statement = {}\n", toml_str(w.statement)));
    }
    let sections: Vec<(&str, &str)> = match kind {
        NewKind::Measure => w.measure_sections.to_vec(),
        NewKind::Guideline => w.guideline_sections.to_vec(),
        NewKind::Sector => w.sector_sections.to_vec(),
        NewKind::Page => vec![],
    };
    let body = if sections.is_empty() {
        format!("{}\n", w.page_body)
    } else {
        sections
            .iter()
            .map(|(h, text)| format!("## {h}\n\n{text}\n"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!("+++\n{front}+++\n\n{body}")
}

fn neutral_fields(kind: NewKind, id: &str, plan: &Plan) -> String {
    let mut s = format!("id = {}\n", toml_str(id));
    match kind {
        NewKind::Measure => {
            let cat = plan.category.as_deref().unwrap_or_default();
            s.push_str(&format!("category = {}\n", toml_str(cat)));
            s.push_str("obligation = \"required\"     # \"required\" (講ずべき対策事項) | \"recommended\" (講ずることが望ましい対策事項)\n");
            s.push_str("level = 1                   # 1 | 2 | 3\n");
            s.push_str(&format!("order = {}\n", plan.order));
            s.push_str(
                "sectors = [\"all\"]           # or sector ids, e.g. [\"electricity\", \"gas\"]\n",
            );
        }
        NewKind::Guideline => {
            s.push_str(&format!("order = {}\n", plan.order));
            let cats = plan.category.as_deref().map(toml_str).unwrap_or_default();
            s.push_str(&format!(
                "categories = [{cats}]         # categories it explains\n"
            ));
            s.push_str("measures = []               # measures it explains, e.g. [\"AM-1\"]\n");
        }
        NewKind::Sector | NewKind::Page => s.push_str(&format!("order = {}\n", plan.order)),
    }
    s.push_str("draft = true                # remove when the page is ready to publish\n");
    s
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn todo(kind: NewKind, default_lang: &str) -> Vec<String> {
    let mut t = vec!["replace every placeholder in (parentheses) / （括弧）: title and the text under each heading, in every language".to_string()];
    match kind {
        NewKind::Measure => {
            t.push("write the statement: ja required 「〜すること。」, recommended 「〜することが望ましい。」; en \"The operator shall ...\" / \"should ...\"".into());
            t.push(format!(
                "set obligation, level and sectors in the {default_lang} file (now: required, Lv.1, all sectors)"
            ));
            t.push("list the measure in a guideline's `measures`".into());
            t.push("review it against every crosswalk under content/crosswalks/: its [[row]]s, and a [[remains]] unless it lies wholly inside one item (required where the crosswalk declares comprehensive = true; `kijun check --drafts` names what is missing)".into());
        }
        NewKind::Guideline => t.push(format!(
            "list the categories and measures it explains in the {default_lang} file"
        )),
        NewKind::Sector | NewKind::Page => {}
    }
    t.push("remove `draft = true` when it is ready, then run `kijun check` (`kijun check --drafts` checks it while it is a draft)".into());
    t
}
