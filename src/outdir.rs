//! Whether `kijun build` may replace the folder `--out` names.
//!
//! A build swaps its output in whole: whatever `--out` names is renamed away and deleted. So
//! before anything is written, `--out` is refused when replacing it would lose a user's files:
//! the site root or a folder holding it, the sources (`content/`, `themes/`, `revisions/`,
//! `.git`), a file, or a non-empty folder kijun did not make. kijun marks its output with
//! `MARKER`; a folder from an older kijun (no marker) is recognised by its contents.
//! `--force` overrides only the last case. Paths are compared after resolving symlinks and
//! `..` (on Unix by device and inode, so a case-insensitive disk cannot fool it).

use std::path::{Component, Path, PathBuf};

/// The file kijun writes at the top of every output folder it makes.
pub const MARKER: &str = ".kijun-site";
/// The marker's content (constant, so builds stay byte-identical).
pub const MARKER_TEXT: &str =
    "This folder is made by `kijun build`: each build replaces it whole. Do not keep files here.\n";

/// Source folders under the root that an output may never be, or be inside.
const SOURCE_DIRS: [&str; 4] = ["content", "themes", "revisions", ".git"];

/// Names kijun writes at the top of a site besides one folder per language; an unmarked folder
/// holding only these (and a kijun manifest) is taken as an older kijun's output.
const TOP_LEVEL: [&str; 10] = [
    "index.html",
    "404.html",
    "downloads",
    "static",
    "sitemap.xml",
    "robots.txt",
    "search",
    "assessment",
    "feed.xml",
    MARKER,
];

/// Why `--out` is refused: one line, naming the folder and what to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal(pub String);

/// Checks `out` against `root`; `Ok` carries the resolved output path the build should write.
pub fn check(root: &Path, out: &Path, force: bool) -> Result<PathBuf, Refusal> {
    let shown = out.display().to_string();
    let refuse = |why: &str, help: &str| Refusal(format!("--out {shown}: {why}; {help}"));
    let other = "choose another --out, e.g. site/ under the root";
    let out_abs = resolve(out).map_err(|e| refuse(&format!("cannot be resolved ({e})"), other))?;
    let root_abs = resolve(root).unwrap_or_else(|_| root.to_path_buf());
    if out_abs.parent().is_none() {
        return Err(refuse("is the top of the file system", other));
    }
    if same(&out_abs, &root_abs) {
        return Err(refuse("is the site root and would replace it", other));
    }
    if root_abs.ancestors().skip(1).any(|a| same(&out_abs, a)) {
        return Err(refuse("holds the site root and would replace it", other));
    }
    for dir in SOURCE_DIRS {
        let source = root_abs.join(dir);
        if out_abs.ancestors().any(|a| same(a, &source)) {
            return Err(refuse(&format!("is inside the sources ({dir}/)"), other));
        }
    }
    if let Some(file) = out_abs
        .ancestors()
        .find(|a| a.symlink_metadata().is_ok_and(|m| !m.is_dir()))
    {
        let what = if file == out_abs {
            "is a file, not a folder".to_string()
        } else {
            format!("is under {}, which is a file", file.display())
        };
        return Err(refuse(&what, other));
    }
    if !force && !replaceable(&out_abs) {
        return Err(refuse(
            "is a folder kijun did not make, and the build would delete what it holds",
            "choose an empty or new folder, or add --force to replace it",
        ));
    }
    Ok(out_abs)
}

/// A folder that does not exist, is empty, has kijun's marker, or holds only an older kijun's
/// output (a `downloads/baseline.json` of schema `kijun-baseline/1` and nothing else at the
/// top but language folders and what kijun writes there).
fn replaceable(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return !dir.exists();
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() || dir.join(MARKER).is_file() {
        return true;
    }
    let Some(languages) = old_kijun_languages(dir) else {
        return false;
    };
    names
        .iter()
        .all(|n| TOP_LEVEL.contains(&n.as_str()) || languages.contains(n))
}

/// The languages of an older kijun build's manifest, if `dir` has one.
fn old_kijun_languages(dir: &Path) -> Option<Vec<String>> {
    let path = dir.join("downloads/baseline.json");
    // A manifest is a few MB at most; a huge file here is not one.
    if path.metadata().ok()?.len() > 256 << 20 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    if json.get("schema")?.as_str()? != "kijun-baseline/1" {
        return None;
    }
    let languages = json.get("languages")?.as_array()?;
    Some(
        languages
            .iter()
            .filter_map(|l| l.as_str().map(str::to_string))
            .collect(),
    )
}

/// `p` made absolute, with its longest existing ancestor canonicalised (symlinks and `..`
/// resolved) and the rest appended with `.` and `..` applied by name.
pub fn resolve(p: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    let mut base = loop {
        match existing.canonicalize() {
            Ok(c) => break c,
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                // `..` or `.` at the end of a missing path: resolve it by name below.
                (Some(parent), None) => {
                    rest.push(
                        existing
                            .components()
                            .next_back()
                            .unwrap()
                            .as_os_str()
                            .into(),
                    );
                    existing = parent;
                }
                (None, _) => break abs.clone(),
            },
        }
    };
    for name in rest.iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::ParentDir) => {
                base.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => base.push(name),
        }
    }
    Ok(base)
}

/// Whether two paths name the same existing file or folder (or, when either does not exist,
/// are equal by name).
fn same(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (a.metadata(), b.metadata()) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_dots_and_missing_parts_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        assert_eq!(resolve(&base.join("a/b/../c")).unwrap(), base.join("a/c"));
        assert_eq!(resolve(&base.join("a/./b/..")).unwrap(), base.join("a"));
        assert_eq!(resolve(&base.join("..")).unwrap(), base.parent().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_to_what_it_names() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("content")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), root.join("link")).unwrap();
        let refused = check(&root, &root.join("link/site"), false).unwrap_err();
        assert!(
            refused.0.contains("inside the sources (content/)"),
            "{}",
            refused.0
        );
    }

    #[test]
    fn a_new_or_empty_folder_is_accepted_and_a_full_one_only_with_force() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir(&root).unwrap();
        assert!(check(&root, &root.join("site"), false).is_ok());
        std::fs::create_dir(root.join("site")).unwrap();
        assert!(check(&root, &root.join("site"), false).is_ok());
        std::fs::write(root.join("site/notes.txt"), "mine").unwrap();
        assert!(check(&root, &root.join("site"), false).is_err());
        assert!(check(&root, &root.join("site"), true).is_ok());
        std::fs::write(root.join("site").join(MARKER), MARKER_TEXT).unwrap();
        assert!(check(&root, &root.join("site"), false).is_ok());
    }
}
