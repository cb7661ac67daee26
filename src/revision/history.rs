//! The revision history a build compares against: `[previous]` in kijun.toml names the last
//! published revision, whose `baseline.json` is committed next to the sources (by default in
//! `revisions/`). Every manifest in that folder up to the previous one forms the history, ordered
//! by revision date. Reading manifests, not git, keeps builds working from shallow clones and
//! release tarballs, and records exactly what operators were shown.

use super::snapshot::Snapshot;
use crate::config::{CONFIG_FILE, Config, PreviousRevision, is_iso_date};
use crate::diagnostics::{Diagnostic, Diagnostics, LineCol};
use std::path::{Path, PathBuf};

/// Earlier revisions, oldest first; the last one is `[previous]`. Empty without `[previous]`.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub revisions: Vec<Snapshot>,
}

/// The manifest path `[previous]` names, relative to the root.
pub fn manifest_path(previous: &PreviousRevision) -> String {
    previous
        .manifest
        .clone()
        .unwrap_or_else(|| format!("revisions/{}.json", previous.revision))
}

/// Loads the history; problems become diagnostics. Files read are added to `inputs`.
pub fn load(
    root: &Path,
    config: &Config,
    diags: &mut Diagnostics,
    inputs: &mut Vec<PathBuf>,
) -> History {
    let Some(previous) = &config.previous else {
        return History::default();
    };
    let at_config = |needle: &str| config_position(root, needle);
    let manifest_rel = manifest_path(previous);
    if previous.revision == config.revision {
        diags.push(
            Diagnostic::error(
                CONFIG_FILE,
                at_config("[previous]"),
                format!(
                    "[previous] revision is the current revision `{}`",
                    config.revision
                ),
            )
            .with_help("name the last published revision, or raise `revision` for this one"),
        );
        return History::default();
    }
    let manifest_abs = root.join(&manifest_rel);
    if !manifest_abs.is_file() {
        diags.push(
            Diagnostic::error(
                CONFIG_FILE,
                at_config("[previous]"),
                format!(
                    "the previous revision's manifest {manifest_rel} does not exist"
                ),
            )
            .with_help(format!(
                "commit the baseline.json published with revision {} (site/downloads/baseline.json of that build) as {manifest_rel}, or set [previous] manifest = \"...\"",
                previous.revision
            )),
        );
        return History::default();
    }
    let folder_rel = Path::new(&manifest_rel)
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let mut found: Vec<(String, Snapshot)> = Vec::new();
    for path in json_files(&root.join(&folder_rel), diags, &folder_rel) {
        let rel = crate::diagnostics::display_path(root, &path);
        inputs.push(path.clone());
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(
                    rel,
                    LineCol::START,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        match Snapshot::from_manifest(&rel, text.trim_start_matches('\u{feff}')) {
            Ok(s) if !is_iso_date(&s.revision_date) => diags.push(
                Diagnostic::error(
                    rel,
                    LineCol::START,
                    format!("revision {} has no revision_date (YYYY-MM-DD)", s.revision),
                )
                .with_help("the history is ordered by revision_date; add it to the manifest"),
            ),
            // The current revision comes from the sources, not from a copy of its manifest.
            Ok(s) if s.revision == config.revision => {
                if path.file_name() == manifest_abs.file_name() {
                    diags.push(mismatch(&rel, &s.revision, &previous.revision));
                }
            }
            Ok(s) => {
                if let Some((first, _)) = found.iter().find(|(_, f)| f.revision == s.revision) {
                    diags.push(
                        Diagnostic::error(
                            rel.clone(),
                            LineCol::START,
                            format!("revision {} is also recorded in {first}", s.revision),
                        )
                        .with_help("keep one manifest per revision"),
                    );
                }
                found.push((rel, s));
            }
            Err(d) => diags.push(d),
        }
    }
    found.sort_by(|(_, a), (_, b)| {
        (&a.revision_date, &a.revision).cmp(&(&b.revision_date, &b.revision))
    });
    let manifest_name = manifest_abs
        .file_name()
        .map(|n| n.to_string_lossy().to_string());
    let Some(at) = found.iter().position(|(rel, _)| {
        Path::new(rel)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            == manifest_name
    }) else {
        return History::default(); // its own error is reported already
    };
    let (rel, prev) = &found[at];
    if prev.revision != previous.revision {
        diags.push(mismatch(rel, &prev.revision, &previous.revision));
        return History::default();
    }
    if prev.revision_date > config.revision_date {
        diags.push(
            Diagnostic::error(
                CONFIG_FILE,
                at_config("revision_date"),
                format!(
                    "revision_date {} is before the previous revision's date {}",
                    config.revision_date, prev.revision_date
                ),
            )
            .with_help("a revision is dated on or after the one it follows"),
        );
        return History::default();
    }
    for (rel, s) in &found[at + 1..] {
        diags.push(
            Diagnostic::warning(
                rel.clone(),
                LineCol::START,
                format!(
                    "revision {} is dated after [previous] revision {} and is left out of the history",
                    s.revision, previous.revision
                ),
            )
            .with_help("set [previous] to the latest published revision, or remove this file"),
        );
    }
    found.truncate(at + 1);
    History {
        revisions: found.into_iter().map(|(_, s)| s).collect(),
    }
}

fn mismatch(rel: &str, found: &str, named: &str) -> Diagnostic {
    Diagnostic::error(
        rel,
        LineCol::START,
        format!(
            "this manifest is revision {found}, but kijun.toml names the previous revision {named}"
        ),
    )
    .with_help(
        "point [previous] manifest at that revision's baseline.json, or fix [previous] revision",
    )
}

fn json_files(folder: &Path, diags: &mut Diagnostics, folder_rel: &str) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(
                folder_rel,
                LineCol::START,
                format!("cannot read the revision history folder: {e}"),
            ));
            return vec![];
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Where `needle` first occurs in kijun.toml, for pointing at a setting.
fn config_position(root: &Path, needle: &str) -> LineCol {
    std::fs::read_to_string(root.join(CONFIG_FILE))
        .ok()
        .and_then(|text| text.find(needle).map(|at| LineCol::of(&text, at)))
        .unwrap_or(LineCol::START)
}
