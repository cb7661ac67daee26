//! The subcommands: each turns options into a pipeline run and an exit code.

use crate::revision::source::{SideError, read_side};
use crate::revision::{diff, report};
use crate::site::{SiteOptions, build_to};
use crate::{DiffFormat, Format};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const EXIT_OK: u8 = 0;
pub const EXIT_SOURCE_ERRORS: u8 = 1;
pub const EXIT_USAGE_OR_IO: u8 = 2;

pub fn build(
    root: PathBuf,
    out: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    force: bool,
) -> u8 {
    let started = Instant::now();
    // Refused before anything is read or written: replacing `out` must not lose a user's files.
    let target = match crate::outdir::check(&root, &out, force) {
        Ok(target) => target,
        Err(refusal) => {
            eprintln!("error: {}", refusal.0);
            return EXIT_USAGE_OR_IO;
        }
    };
    let opts = SiteOptions {
        root,
        drafts,
        base_url,
        live_reload: false,
    };
    match build_to(&opts, &target) {
        Ok(built) => {
            eprint!("{}", built.diagnostics.to_human());
            eprintln!(
                "built {} pages ({} files) into {} in {} ms",
                built.page_count(),
                built.paths.len(),
                out.display(),
                started.elapsed().as_millis()
            );
            EXIT_OK
        }
        Err(diags) => {
            eprint!("{}", diags.to_human());
            eprintln!(
                "build failed: {} error(s), {} warning(s); {} was left as it was",
                diags.error_count(),
                diags.warning_count(),
                out.display()
            );
            EXIT_SOURCE_ERRORS
        }
    }
}

pub fn check(root: PathBuf, format: Format, drafts: bool) -> u8 {
    let opts = SiteOptions {
        root,
        drafts,
        base_url: None,
        live_reload: false,
    };
    // A full build, so template errors are caught too; nothing is written or kept.
    let diags = match crate::site::check(&opts) {
        Ok(built) => built.diagnostics,
        Err(diags) => diags,
    };
    match format {
        Format::Human => {
            eprint!("{}", diags.to_human());
            eprintln!(
                "{} error(s), {} warning(s)",
                diags.error_count(),
                diags.warning_count()
            );
        }
        Format::Json => println!("{}", diags.to_json()),
    }
    if diags.has_errors() {
        EXIT_SOURCE_ERRORS
    } else {
        EXIT_OK
    }
}

pub fn diff(old: &str, new: &str, format: DiffFormat, lang: Option<String>, repo: &Path) -> u8 {
    let read = |spec: &str| {
        read_side(spec, repo).map_err(|e| match e {
            SideError::Unreadable { message, help } => {
                eprintln!("error: {message}");
                if !help.is_empty() {
                    eprintln!("  help: {help}");
                }
                EXIT_USAGE_OR_IO
            }
            SideError::Sources { context, diags } => {
                eprintln!("error: {context} cannot be read:");
                eprint!("{}", diags.to_human());
                EXIT_SOURCE_ERRORS
            }
        })
    };
    let (old, new) = match (read(old), read(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let lang = lang
        .or_else(|| new.snapshot.languages.first().cloned())
        .unwrap_or_else(|| "ja".into());
    let changes = diff::diff(&old.snapshot, &new.snapshot);
    let out = match format {
        DiffFormat::Text => report::text(&old.info, &new.info, &changes, &lang),
        DiffFormat::Json => report::json(&old.info, &new.info, &changes),
        DiffFormat::Markdown => report::markdown(&old.info, &new.info, &changes, &lang),
    };
    print!("{out}");
    EXIT_OK
}

/// Runs until interrupted; returns only if the server cannot start or stops watching.
pub fn serve(opts: crate::serve::ServeOptions) -> u8 {
    crate::serve::run(opts)
}

/// `kijun new`: writes the files of a new page in every language (issue #21).
pub fn new_page(
    root: &Path,
    kind: crate::authoring::scaffold::NewKind,
    id: &str,
    category: Option<&str>,
) -> u8 {
    match crate::authoring::scaffold::create(root, kind, id, category) {
        Ok(created) => {
            for file in &created.files {
                println!("created {}", file.display());
            }
            println!("to do:");
            for item in &created.todo {
                println!("  - {item}");
            }
            EXIT_OK
        }
        Err(refused) => {
            eprintln!("error: {}", refused.message);
            if !refused.help.is_empty() {
                eprintln!("  help: {}", refused.help);
            }
            EXIT_USAGE_OR_IO
        }
    }
}

/// `kijun renumber`: gives a measure a new id everywhere in the content (issue #21).
pub fn renumber(root: &Path, old: &str, new: &str, dry_run: bool) -> u8 {
    use crate::authoring::renumber;
    let result = renumber::plan(root, old, new).and_then(|edits| {
        if dry_run {
            // A long listing is often piped to a pager that may close early: not an error.
            let listing = renumber::describe(&edits, root);
            let _ = std::io::Write::write_all(&mut std::io::stdout(), listing.as_bytes());
            println!(
                "dry run: {} file(s) would change; nothing was written",
                edits.len()
            );
        } else {
            renumber::apply(&edits)?;
            println!("renumbered {old} to {new}: {} file(s) changed", edits.len());
            println!(
                "next: run `kijun check`, and mention the renumbering in the revision's notes"
            );
        }
        Ok(())
    });
    match result {
        Ok(()) => EXIT_OK,
        Err(refused) => {
            eprintln!("error: {}", refused.message);
            if !refused.help.is_empty() {
                eprintln!("  help: {}", refused.help);
            }
            EXIT_USAGE_OR_IO
        }
    }
}
