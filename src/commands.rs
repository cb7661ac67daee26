//! The subcommands: each turns options into a pipeline run and an exit code.

use crate::Format;
use crate::site::{SiteOptions, build_to};
use std::path::PathBuf;
use std::time::Instant;

pub const EXIT_OK: u8 = 0;
pub const EXIT_SOURCE_ERRORS: u8 = 1;

pub fn build(root: PathBuf, out: PathBuf, drafts: bool, base_url: Option<String>) -> u8 {
    let started = Instant::now();
    let opts = SiteOptions {
        root,
        drafts,
        base_url,
        live_reload: false,
    };
    match build_to(&opts, &out) {
        Ok(built) => {
            eprint!("{}", built.diagnostics.to_human());
            let pages = built
                .files
                .iter()
                .filter(|f| f.path.ends_with(".html"))
                .count();
            eprintln!(
                "built {} pages ({} files) into {} in {} ms",
                pages,
                built.files.len(),
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
    // A full build in memory, so template errors are caught too; nothing is written.
    let diags = match crate::site::build(&opts) {
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
