//! Reading each side of `kijun diff`: a content root (a folder with kijun.toml), a built site or a
//! `baseline.json` manifest, or a git revision of the repository (`v1.0`, `HEAD~2`, or
//! `REV:path/to/root` for a root below the repository's top). An existing path wins over a git
//! revision of the same name.

use super::report::SideInfo;
use super::snapshot::Snapshot;
use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostics;
use crate::site::{SiteOptions, load_baseline};
use std::path::Path;
use std::process::Command;

pub struct Side {
    pub snapshot: Snapshot,
    pub info: SideInfo,
}

pub enum SideError {
    /// The side cannot be read at all: message and what to do.
    Unreadable { message: String, help: String },
    /// The side's sources have errors.
    Sources { context: String, diags: Diagnostics },
}

impl SideError {
    fn unreadable(message: impl Into<String>, help: impl Into<String>) -> SideError {
        SideError::Unreadable {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// Reads `spec`; git revisions are looked up in the repository that holds `repo`.
pub fn read_side(spec: &str, repo: &Path) -> Result<Side, SideError> {
    let path = Path::new(spec);
    if path.is_dir() {
        if path.join(CONFIG_FILE).is_file() {
            let snapshot = read_root(path, &format!("content root {spec}"))?;
            return Ok(side(spec, "root", snapshot));
        }
        let built = path.join("downloads/baseline.json");
        if built.is_file() {
            return Ok(side(spec, "manifest", read_manifest(&built)?));
        }
        return Err(SideError::unreadable(
            format!("{spec} is a folder without {CONFIG_FILE} or downloads/baseline.json"),
            "give a content root (the folder with kijun.toml), a built site, a baseline.json or a git revision",
        ));
    }
    if path.is_file() {
        return Ok(side(spec, "manifest", read_manifest(path)?));
    }
    let snapshot = read_git_revision(spec, repo)?;
    Ok(side(spec, "git", snapshot))
}

fn side(spec: &str, kind: &'static str, snapshot: Snapshot) -> Side {
    Side {
        info: SideInfo::new(spec, kind, &snapshot),
        snapshot,
    }
}

fn read_root(root: &Path, context: &str) -> Result<Snapshot, SideError> {
    let opts = SiteOptions {
        root: root.to_path_buf(),
        drafts: false,
        base_url: None,
        live_reload: false,
    };
    match load_baseline(&opts) {
        Ok((baseline, _, _)) => Ok(Snapshot::from_baseline(&baseline)),
        Err(diags) => Err(SideError::Sources {
            context: context.to_string(),
            diags,
        }),
    }
}

fn read_manifest(path: &Path) -> Result<Snapshot, SideError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        SideError::unreadable(
            format!("cannot read {name}: {e}"),
            "check the path and that the file is readable UTF-8",
        )
    })?;
    Snapshot::from_manifest(&name, text.trim_start_matches('\u{feff}')).map_err(|d| {
        SideError::Sources {
            context: format!("manifest {name}"),
            diags: Diagnostics { items: vec![d] },
        }
    })
}

/// Extracts the root from the revision's tree into a temporary folder and reads it like any root.
fn read_git_revision(spec: &str, repo: &Path) -> Result<Snapshot, SideError> {
    let (rev, explicit_path) = match spec.split_once(':') {
        Some((rev, path)) => (rev, Some(path.trim_matches('/'))),
        None => (spec, None),
    };
    let not_a_side = |why: &str| {
        SideError::unreadable(
            format!("{spec} is not a folder, a file or a git revision ({why})"),
            "give a content root (the folder with kijun.toml), a baseline.json, or a revision such as a tag or commit of the repository you run kijun in (--repo DIR to choose another)",
        )
    };
    // Never let a side be read by git as an option.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(not_a_side("a revision does not start with -"));
    }
    let commit = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| match e {
        GitError::NotRun(e) => not_a_side(&format!("git could not be run: {e}")),
        GitError::Failed(msg) if msg.contains("not a git repository") => not_a_side(&format!(
            "{} is not inside a git repository",
            repo.display()
        )),
        GitError::Failed(_) => not_a_side(&format!(
            "no such revision in the repository at {}",
            repo.display()
        )),
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    // By default the root is the folder kijun runs in, at the same place inside the repository.
    let prefix = match explicit_path {
        Some(p) => p.to_string(),
        None => {
            let out = git(repo, &["rev-parse", "--show-prefix"])
                .map_err(|e| SideError::unreadable(format!("git rev-parse failed: {e}"), ""))?;
            String::from_utf8_lossy(&out)
                .trim()
                .trim_end_matches('/')
                .to_string()
        }
    };
    let in_tree = |file: &str| {
        if prefix.is_empty() {
            format!("{commit}:{file}")
        } else {
            format!("{commit}:{prefix}/{file}")
        }
    };
    let where_ = if prefix.is_empty() {
        "the repository's top folder".to_string()
    } else {
        prefix.clone()
    };
    if git(repo, &["cat-file", "-e", &in_tree(CONFIG_FILE)]).is_err() {
        return Err(SideError::unreadable(
            format!("revision {rev} has no {CONFIG_FILE} in {where_}"),
            format!("name the content root inside the repository: {rev}:path/to/root"),
        ));
    }
    let tree = if prefix.is_empty() {
        format!("{commit}:")
    } else {
        format!("{commit}:{prefix}")
    };
    // Run from the top: in a subfolder, git archive would keep only that subfolder's paths.
    let top = git(repo, &["rev-parse", "--show-toplevel"])
        .map_err(|e| SideError::unreadable(format!("git rev-parse failed: {e}"), ""))?;
    let top = std::path::PathBuf::from(String::from_utf8_lossy(&top).trim());
    let mut args = vec!["archive", "--format=tar", &tree, "--"];
    let wanted = read_by_a_build(&top, &tree, &in_tree(CONFIG_FILE));
    args.extend(wanted.iter().map(String::as_str));
    let tar = git(&top, &args)
        .map_err(|e| SideError::unreadable(format!("git archive {rev} failed: {e}"), ""))?;
    let dir = tempfile::Builder::new()
        .prefix("kijun-diff-")
        .tempdir()
        .map_err(|e| SideError::unreadable(format!("cannot create a temporary folder: {e}"), ""))?;
    tar::Archive::new(tar.as_slice())
        .unpack(dir.path())
        .map_err(|e| SideError::unreadable(format!("cannot unpack revision {rev}: {e}"), ""))?;
    read_root(dir.path(), &format!("revision {rev} ({where_})"))
}

/// The top-level entries of the root that a build reads (kijun.toml, content/, themes/ and the
/// folder of the previous revision's manifest), so the rest of the repository is not extracted.
fn read_by_a_build(top: &Path, tree: &str, config_blob: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct PreviousOnly {
        previous: Option<crate::config::PreviousRevision>,
    }
    let history_folder = git(top, &["show", config_blob])
        .ok()
        .and_then(|bytes| toml::from_str::<PreviousOnly>(&String::from_utf8_lossy(&bytes)).ok())
        .and_then(|c| c.previous)
        .map(|p| crate::revision::history::manifest_path(&p))
        .and_then(|path| {
            path.split('/')
                .find(|part| !part.is_empty() && *part != ".")
                .map(String::from)
        });
    let names = git(top, &["ls-tree", "--name-only", tree]).unwrap_or_default();
    String::from_utf8_lossy(&names)
        .lines()
        .filter(|name| {
            [CONFIG_FILE, "content", "themes"].contains(name)
                || history_folder.as_deref() == Some(*name)
        })
        .map(String::from)
        .collect()
}

enum GitError {
    NotRun(std::io::Error),
    Failed(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NotRun(e) => write!(f, "{e}"),
            GitError::Failed(msg) => write!(f, "{msg}"),
        }
    }
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(GitError::NotRun)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ))
    }
}
