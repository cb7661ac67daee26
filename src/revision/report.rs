//! `kijun diff` output: the same diff as plain text, JSON (schema `kijun-diff/1`, documented in
//! docs/revisions.md) or Markdown (for release notes and pull requests).

use super::diff::{Diff, FieldChange, FrameworkMappingChanges, MeasureRef};
use super::snapshot::{PerLang, Snapshot};
use serde::Serialize;
use std::fmt::Write;

pub const SCHEMA: &str = "kijun-diff/1";

/// One side as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct SideInfo {
    /// What the user gave on the command line.
    pub source: String,
    /// "root", "git" or "manifest".
    pub kind: &'static str,
    pub revision: String,
    pub revision_date: String,
}

impl SideInfo {
    pub fn new(source: &str, kind: &'static str, snapshot: &Snapshot) -> SideInfo {
        SideInfo {
            source: source.to_string(),
            kind,
            revision: snapshot.revision.clone(),
            revision_date: snapshot.revision_date.clone(),
        }
    }

    fn label(&self) -> String {
        if self.revision_date.is_empty() {
            self.revision.clone()
        } else {
            format!("{} ({})", self.revision, self.revision_date)
        }
    }
}

#[derive(Serialize)]
struct Summary {
    added: usize,
    removed: usize,
    replaced: usize,
    changed: usize,
    mappings: MappingSummary,
}

#[derive(Serialize)]
struct MappingSummary {
    added: usize,
    removed: usize,
    changed: usize,
}

fn summary(d: &Diff) -> Summary {
    let (added, removed, changed) = d.mapping_counts();
    Summary {
        added: d.added.len(),
        removed: d.removed.len(),
        replaced: d.replaced.len(),
        changed: d.changed.len(),
        mappings: MappingSummary {
            added,
            removed,
            changed,
        },
    }
}

pub fn json(old: &SideInfo, new: &SideInfo, d: &Diff) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        schema: &'static str,
        old: &'a SideInfo,
        new: &'a SideInfo,
        summary: Summary,
        #[serde(flatten)]
        diff: &'a Diff,
    }
    let mut out = serde_json::to_string_pretty(&Report {
        schema: SCHEMA,
        old,
        new,
        summary: summary(d),
        diff: d,
    })
    .expect("diff serialises");
    out.push('\n');
    out
}

/// Title in `lang`, else in any language the measure has.
fn title_in<'a>(title: &'a PerLang, lang: &str) -> &'a str {
    title
        .get(lang)
        .or_else(|| title.values().next())
        .map_or("", String::as_str)
}

fn ids(v: &[MeasureRef]) -> String {
    v.iter()
        .map(|m| m.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn summary_line(d: &Diff) -> String {
    let s = summary(d);
    format!(
        "{} added, {} removed, {} renumbered, {} changed; crosswalk rows: {} added, {} removed, {} changed",
        s.added,
        s.removed,
        s.replaced,
        s.changed,
        s.mappings.added,
        s.mappings.removed,
        s.mappings.changed
    )
}

/// One line per field change, without indentation or bullet.
fn field_lines(f: &FieldChange) -> Vec<String> {
    match f {
        FieldChange::Title { lang, old, new } => {
            vec![format!("{} [{lang}]: “{old}” → “{new}”", f.name())]
        }
        FieldChange::Statement { lang, old, new } => vec![
            format!("{} [{lang}]:", f.name()),
            format!("  before: {old}"),
            format!("  after:  {new}"),
        ],
        FieldChange::Level { old, new } => vec![format!("level: Lv.{old} → Lv.{new}")],
        FieldChange::Obligation { old, new } => vec![format!("obligation: {old} → {new}")],
        FieldChange::Sectors { added, removed, .. } => {
            let mut parts: Vec<String> = added.iter().map(|s| format!("+{s}")).collect();
            parts.extend(removed.iter().map(|s| format!("−{s}")));
            vec![format!("sectors: {}", parts.join(", "))]
        }
        FieldChange::Category { old, new } => vec![format!("category: {old} → {new}")],
    }
}

fn mapping_line(f: &FrameworkMappingChanges) -> String {
    let mut parts: Vec<String> = f
        .added
        .iter()
        .map(|m| format!("+{} ({})", m.item, m.relation))
        .collect();
    parts.extend(
        f.removed
            .iter()
            .map(|m| format!("−{} ({})", m.item, m.relation)),
    );
    parts.extend(f.changed.iter().map(|c| {
        let mut what = vec![];
        if c.old.relation != c.new.relation {
            what.push(format!("relation {} → {}", c.old.relation, c.new.relation));
        }
        if c.old.rationale != c.new.rationale {
            what.push(format!(
                "rationale {} → {}",
                c.old.rationale, c.new.rationale
            ));
        }
        if c.old.strength != c.new.strength {
            let s = |v: Option<u8>| v.map_or("–".to_string(), |n| n.to_string());
            what.push(format!(
                "strength {} → {}",
                s(c.old.strength),
                s(c.new.strength)
            ));
        }
        format!("~{} ({})", c.item, what.join(", "))
    }));
    format!("crosswalk {}: {}", f.framework, parts.join("; "))
}

fn details(fields: &[FieldChange], mappings: &[FrameworkMappingChanges]) -> Vec<String> {
    let mut lines: Vec<String> = fields.iter().flat_map(field_lines).collect();
    lines.extend(mappings.iter().map(mapping_line));
    lines
}

pub fn text(old: &SideInfo, new: &SideInfo, d: &Diff, lang: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} → {}", old.label(), new.label());
    if d.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let _ = writeln!(out, "{}", summary_line(d));
    let brief = |m: &MeasureRef| {
        format!(
            "{} {} ({}, Lv.{})",
            m.id,
            title_in(&m.title, lang),
            m.obligation,
            m.level
        )
    };
    if !d.added.is_empty() {
        out.push_str("\nAdded\n");
        for m in &d.added {
            let _ = writeln!(out, "  + {}", brief(m));
        }
    }
    if !d.removed.is_empty() {
        out.push_str("\nRemoved\n");
        for m in &d.removed {
            let _ = writeln!(out, "  - {}", brief(m));
        }
    }
    if !d.replaced.is_empty() {
        out.push_str("\nRenumbered\n");
        for r in &d.replaced {
            let titles: Vec<&str> = r.to.iter().map(|m| title_in(&m.title, lang)).collect();
            let _ = writeln!(
                out,
                "  {} → {} ({}): {}",
                ids(&r.from),
                ids(&r.to),
                r.kind.as_str(),
                titles.join(" / ")
            );
            for line in details(&r.fields, &r.mappings) {
                let _ = writeln!(out, "      {line}");
            }
        }
    }
    if !d.changed.is_empty() {
        out.push_str("\nChanged\n");
        for c in &d.changed {
            let _ = writeln!(out, "  ~ {} {}", c.id, title_in(&c.title, lang));
            for line in details(&c.fields, &c.mappings) {
                let _ = writeln!(out, "      {line}");
            }
        }
    }
    out
}

/// Escapes what Markdown would otherwise read as markup in a title or statement.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn markdown(old: &SideInfo, new: &SideInfo, d: &Diff, lang: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Changes from {} to {}\n",
        md(&old.revision),
        md(&new.revision)
    );
    let _ = writeln!(
        out,
        "Compared `{}` ({}) with `{}` ({}).\n",
        old.source.replace('`', "'"),
        md(&old.label()),
        new.source.replace('`', "'"),
        md(&new.label())
    );
    if d.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let s = summary(d);
    out.push_str("| Change | Measures |\n|---|---:|\n");
    for (label, n) in [
        ("Added", s.added),
        ("Removed", s.removed),
        ("Renumbered", s.replaced),
        ("Changed", s.changed),
    ] {
        let _ = writeln!(out, "| {label} | {n} |");
    }
    let _ = writeln!(
        out,
        "\nCrosswalk rows: {} added, {} removed, {} changed.",
        s.mappings.added, s.mappings.removed, s.mappings.changed
    );
    let brief = |m: &MeasureRef| {
        format!(
            "**{}** {} ({}, Lv.{})",
            md(&m.id),
            md(title_in(&m.title, lang)),
            m.obligation,
            m.level
        )
    };
    let detail_list = |out: &mut String, lines: Vec<String>| {
        // Statement lines come as a heading line and indented before/after lines.
        for line in lines {
            match line.strip_prefix("  ") {
                Some(sub) => {
                    let _ = writeln!(out, "    - {}", md(sub));
                }
                None => {
                    let _ = writeln!(out, "  - {}", md(&line));
                }
            }
        }
    };
    if !d.added.is_empty() {
        out.push_str("\n## Added\n\n");
        for m in &d.added {
            let _ = writeln!(out, "- {}", brief(m));
        }
    }
    if !d.removed.is_empty() {
        out.push_str("\n## Removed\n\n");
        for m in &d.removed {
            let _ = writeln!(out, "- {}", brief(m));
        }
    }
    if !d.replaced.is_empty() {
        out.push_str("\n## Renumbered\n\n");
        for r in &d.replaced {
            let titles: Vec<String> = r.to.iter().map(|m| md(title_in(&m.title, lang))).collect();
            let _ = writeln!(
                out,
                "- **{} → {}** ({}): {}",
                md(&ids(&r.from)),
                md(&ids(&r.to)),
                r.kind.as_str(),
                titles.join(" / ")
            );
            detail_list(&mut out, details(&r.fields, &r.mappings));
        }
    }
    if !d.changed.is_empty() {
        out.push_str("\n## Changed\n\n");
        for c in &d.changed {
            let _ = writeln!(out, "- **{}** {}", md(&c.id), md(title_in(&c.title, lang)));
            detail_list(&mut out, details(&c.fields, &c.mappings));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::diff::diff;
    use super::super::snapshot::MeasureSnapshot;
    use super::*;

    fn snap(revision: &str, measures: Vec<MeasureSnapshot>) -> Snapshot {
        Snapshot {
            revision: revision.into(),
            revision_date: "2026-10-01".into(),
            languages: vec!["ja".into(), "en".into()],
            measures,
            note: Default::default(),
        }
    }

    fn m(id: &str, level: u8, en: &str) -> MeasureSnapshot {
        MeasureSnapshot {
            id: id.into(),
            category: id[..2].into(),
            level,
            obligation: "required".into(),
            sectors: vec![],
            title: [("en".into(), en.into()), ("ja".into(), format!("{id}の題"))].into(),
            statement: Default::default(),
            replaces: vec![],
            mappings: vec![],
        }
    }

    fn sides(old: &Snapshot, new: &Snapshot) -> (SideInfo, SideInfo) {
        (
            SideInfo::new("old/", "root", old),
            SideInfo::new("new.json", "manifest", new),
        )
    }

    #[test]
    fn text_lists_each_kind_of_change_in_the_chosen_language() {
        let old = snap("r1", vec![m("AM-1", 2, "Inventory"), m("AM-2", 1, "Gone")]);
        let mut renamed = m("AC-9", 1, "Inventory *all*");
        renamed.replaces = vec!["AM-1".into()];
        let new = snap("r2", vec![renamed, m("AM-3", 1, "New")]);
        let d = diff(&old, &new);
        let (o, n) = sides(&old, &new);
        let en = text(&o, &n, &d, "en");
        assert!(
            en.starts_with("r1 (2026-10-01) → r2 (2026-10-01)\n"),
            "{en}"
        );
        assert!(
            en.contains("1 added, 1 removed, 1 renumbered, 0 changed"),
            "{en}"
        );
        assert!(en.contains("  + AM-3 New (required, Lv.1)"), "{en}");
        assert!(en.contains("  - AM-2 Gone (required, Lv.1)"), "{en}");
        assert!(
            en.contains("  AM-1 → AC-9 (renamed): Inventory *all*"),
            "{en}"
        );
        assert!(en.contains("      level: Lv.2 → Lv.1"), "{en}");
        assert!(text(&o, &n, &d, "ja").contains("+ AM-3 AM-3の題"));
        let markdown = markdown(&o, &n, &d, "en");
        assert!(
            markdown.contains("- **AM-1 → AC-9** (renamed): Inventory \\*all\\*"),
            "{markdown}"
        );
        assert!(markdown.contains("| Renumbered | 1 |"), "{markdown}");
    }

    #[test]
    fn json_has_the_documented_top_level_shape() {
        let old = snap("r1", vec![m("AM-1", 2, "Inventory")]);
        let new = snap("r2", vec![m("AM-1", 1, "Inventory")]);
        let d = diff(&old, &new);
        let (o, n) = sides(&old, &new);
        let v: serde_json::Value = serde_json::from_str(&json(&o, &n, &d)).unwrap();
        assert_eq!(v["schema"], SCHEMA);
        assert_eq!(v["old"]["kind"], "root");
        assert_eq!(v["new"]["revision"], "r2");
        assert_eq!(v["summary"]["changed"], 1);
        assert_eq!(
            v["changed"][0]["fields"][0],
            serde_json::json!({"field": "level", "old": 2, "new": 1})
        );
        for key in ["added", "removed", "replaced"] {
            assert_eq!(v[key], serde_json::json!([]), "{key} is always present");
        }
    }

    #[test]
    fn no_changes_says_so() {
        let s = snap("r1", vec![m("AM-1", 1, "Inventory")]);
        let (o, n) = sides(&s, &s);
        let d = diff(&s, &s);
        assert!(text(&o, &n, &d, "en").ends_with("No changes.\n"));
        assert!(markdown(&o, &n, &d, "en").ends_with("No changes.\n"));
    }
}
