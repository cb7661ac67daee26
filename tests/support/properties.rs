//! Properties every input must keep, shared by the fuzz targets (`fuzz/`) and the property
//! tests (`tests/properties.rs`): kijun never panics, Markdown never yields script, the same
//! input gives the same output, and every diagnostic points inside the file it names.

#![allow(dead_code)] // each crate that includes this uses a different part

use super::audit;
use kijun::diagnostics::{Diagnostics, SourceText};
use kijun::markdown::{RenderContext, Resolver, render, render_inline};
use kijun::site::{SiteOptions, build};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Builds that succeeded and were audited, so a test can prove it was not vacuous.
pub static SITES_AUDITED: AtomicUsize = AtomicUsize::new(0);

/// Resolves the ids of the mini fixture, like the real registry does.
struct MiniResolver;

impl Resolver for MiniResolver {
    fn resolve(&self, kind: &str, id: &str) -> Result<(String, String), String> {
        match (kind, id) {
            ("measure", "AM-1") => {
                Ok(("ja/measures/am-1/index.html".into(), "AM-1 資産台帳".into()))
            }
            ("glossary", "mfa") => Ok((
                "ja/glossary/index.html#term-mfa".into(),
                "多要素認証".into(),
            )),
            _ => Err(format!("no {kind} `{id}`")),
        }
    }
}

/// Renders `md` as a page body and as an inline string; panics if a property fails.
pub fn check_markdown(md: &str) {
    let src = SourceText::named("content/measures/AM/AM-2.ja.md", md);
    let ctx = RenderContext {
        src: &src,
        base: 0,
        page_href: "ja/measures/am-2/index.html",
        self_ref: Some(("measure", "AM-2")),
        resolver: &MiniResolver,
        allow_raw_html: false,
        shifts: &[],
    };
    let mut diags = Vec::new();
    let first = render(md, &ctx, &mut diags);
    let problems = audit::audit_fragment(&first.html);
    assert!(
        problems.is_empty(),
        "unsafe HTML from {md:?}:\n{problems:#?}\n{}",
        first.html
    );
    let again = render(md, &ctx, &mut Vec::new());
    assert_eq!(
        first.html, again.html,
        "the same Markdown rendered twice differs"
    );
    assert_eq!(first.plain, again.plain);
    let inline = render_inline(md, &ctx, &mut diags);
    let problems = audit::audit_fragment(&inline.html);
    assert!(
        problems.is_empty(),
        "unsafe inline HTML from {md:?}:\n{problems:#?}"
    );
    let lines = md.split('\n').count();
    for d in &diags {
        assert!(
            d.line >= 1 && d.line <= lines && d.column >= 1,
            "diagnostic outside the text: {d} for {md:?}"
        );
    }
}

/// Source files of the mini fixture that a fuzz input may replace.
pub const SLOTS: &[&str] = &[
    "content/measures/AM/AM-2.ja.md",
    "content/measures/AM/AM-2.en.md",
    "content/measures/AM/AM-1.ja.md",
    "content/guidelines/start.ja.md",
    "content/pages/about.ja.md",
    "content/_index.en.md",
    "content/glossary.toml",
    "content/crosswalks/test-fw.toml",
    "content/frameworks/test-fw.toml",
    "kijun.toml",
];

/// A writable copy of the mini fixture; each check replaces one file and puts it back.
pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    pub fn new() -> Site {
        // Memory-backed when the machine has it: the fuzzer rewrites a file per run.
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm).unwrap()
        } else {
            tempfile::tempdir().unwrap()
        };
        let root = dir.path().join("site-root");
        copy_dir(&fixture(), &root);
        Site { _dir: dir, root }
    }

    /// Replaces `SLOTS[slot % len]` with `bytes`, builds in memory, checks the properties and
    /// restores the file.
    pub fn check(&self, slot: u8, bytes: &[u8], twice: bool) {
        let rel = SLOTS[slot as usize % SLOTS.len()];
        let path = self.root.join(rel);
        let original = std::fs::read(&path).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let result = std::panic::catch_unwind(|| self.check_build(rel, twice));
        std::fs::write(&path, original).unwrap();
        if let Err(panic) = result {
            std::panic::resume_unwind(panic);
        }
    }

    fn check_build(&self, rel: &str, twice: bool) {
        let opts = SiteOptions {
            root: self.root.clone(),
            drafts: false,
            base_url: None,
            live_reload: false,
        };
        match build(&opts) {
            Ok(built) => {
                let files = built
                    .files
                    .iter()
                    .map(|f| (f.path.clone(), f.bytes.clone()))
                    .collect();
                let problems = audit::audit_site(&files);
                assert!(
                    problems.is_empty(),
                    "unsafe site from {rel}:\n{problems:#?}"
                );
                SITES_AUDITED.fetch_add(1, Ordering::Relaxed);
                self.check_positions(&built.diagnostics);
                if twice {
                    let again = build(&opts).expect("a second build of the same sources");
                    let same = again.files.len() == built.files.len()
                        && again
                            .files
                            .iter()
                            .zip(&built.files)
                            .all(|(a, b)| a.path == b.path && a.bytes == b.bytes);
                    assert!(same, "two builds of the same sources differ ({rel})");
                }
            }
            Err(diags) => {
                assert!(diags.has_errors(), "a failed build without an error");
                self.check_positions(&diags);
            }
        }
    }

    /// Every diagnostic names a file and a line that exists in it.
    fn check_positions(&self, diags: &Diagnostics) {
        for d in &diags.items {
            assert!(!d.file.is_empty() && d.line >= 1 && d.column >= 1, "{d}");
            if let Ok(text) = std::fs::read(self.root.join(&d.file)) {
                // Editors end lines at CRLF, LF or a lone CR; so does kijun.
                let text = String::from_utf8_lossy(&text).replace("\r\n", "\n");
                let lines = text.split(['\n', '\r']).count();
                assert!(d.line <= lines, "{d}: the file has {lines} lines");
            }
        }
    }
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

/// The mini fixture, from the kijun crate or from the fuzz crate beside it.
fn fixture() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let here = manifest.join("tests/fixtures/mini");
    if here.is_dir() {
        here
    } else {
        manifest.join("../tests/fixtures/mini")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
