//! kijun: compiles a security baseline, its guidelines and crosswalks into a bilingual static site.
//! This file only parses arguments and calls a command.

use clap::{Parser, Subcommand};
use kijun::authoring::scaffold::NewKind;
use kijun::{DiffFormat, Format, commands, serve};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

// Rendering builds and drops millions of small strings (tera's contexts are owned JSON
// values); mimalloc makes that markedly cheaper than the system allocator, on every thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "kijun",
    version,
    about = "Publish a security baseline and its crosswalks as a bilingual static site"
)]
#[command(
    after_help = "Exit codes: 0 success, 1 errors in the sources, 2 wrong usage or I/O failure."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default site/)
    Build {
        /// Site root holding kijun.toml, content/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder; replaced only when the build succeeds
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include pages marked draft = true
        #[arg(long)]
        drafts: bool,
        /// Override base_url from kijun.toml
        #[arg(long)]
        base_url: Option<String>,
        /// Replace an output folder that kijun did not make (everything in it is deleted)
        #[arg(long)]
        force: bool,
    },
    /// Check the sources and list every problem; writes nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also check pages marked draft = true
        #[arg(long)]
        drafts: bool,
    },
    /// Report what changed between two revisions: measures added, removed, renumbered and
    /// changed, and crosswalk rows
    #[command(
        after_help = "OLD and NEW are each a content root (a folder with kijun.toml), a built site \
or a baseline.json, or a git revision (tag, branch, commit; REV:path for a root below the \
repository's top). An existing path wins over a revision of the same name. JSON output: \
docs/revisions.md."
    )]
    Diff {
        /// The earlier revision
        old: String,
        /// The later revision
        new: String,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Language of the titles in text and Markdown output (default: the new side's first)
        #[arg(long)]
        lang: Option<String>,
        /// Repository that git revisions are read from
        #[arg(long, default_value = ".")]
        repo: PathBuf,
    },
    /// Preview the site: build it in memory, serve it over HTTP, rebuild when content/,
    /// revisions/, themes/ or kijun.toml change and reload open pages; errors show in the
    /// terminal and the browser
    Serve {
        /// Site root holding kijun.toml, content/, revisions/ and themes/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// IP address to listen on; anything but loopback makes the preview reachable from
        /// other machines
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Port to listen on; 0 picks a free port. The address is printed on stdout as
        /// `serving http://ADDRESS:PORT/`
        #[arg(long, default_value_t = serve::DEFAULT_PORT)]
        port: u16,
        /// Show pages marked draft = true, with a DRAFT badge (the default in serve)
        #[arg(long, overrides_with = "no_drafts")]
        drafts: bool,
        /// Leave drafts out, to preview the site as `kijun build` publishes it
        #[arg(long, overrides_with = "drafts")]
        no_drafts: bool,
        /// Also answer requests for this host name (repeatable); by default only the
        /// addresses the server listens on, and localhost on loopback, are answered
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Start a page: write its files in every language with the front matter and section
    /// headings to fill in (a measure gets the next free order of its category)
    New {
        /// What to create
        #[arg(value_enum)]
        kind: NewKind,
        /// Its id: AM-9 for a measure, a lower-case slug otherwise
        id: String,
        /// The measure's category (default: its id's prefix), or the category a guideline explains
        #[arg(long)]
        category: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Give a measure a new id: move its files, record the old id in `replaces`, and rewrite
    /// every cross-reference, guideline list and crosswalk row that names it
    Renumber {
        /// The measure's current id, e.g. LM-2
        old: String,
        /// Its new id, e.g. VM-8 (the prefix is its new category)
        new: String,
        /// Print the edits without writing anything
        #[arg(long)]
        dry_run: bool,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            base_url,
            force,
        } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            commands::build(root, out, drafts, base_url, force)
        }
        Command::Check {
            root,
            format,
            drafts,
        } => commands::check(root, format, drafts),
        Command::Diff {
            old,
            new,
            format,
            lang,
            repo,
        } => commands::diff(&old, &new, format, lang, &repo),
        Command::Serve {
            root,
            bind,
            port,
            drafts: _,
            no_drafts,
            allow_host,
        } => commands::serve(serve::ServeOptions {
            root,
            bind,
            port,
            drafts: !no_drafts,
            allow_hosts: allow_host,
        }),
        Command::New {
            kind,
            id,
            category,
            root,
        } => commands::new_page(&root, kind, &id, category.as_deref()),
        Command::Renumber {
            old,
            new,
            dry_run,
            root,
        } => commands::renumber(&root, &old, &new, dry_run),
    };
    ExitCode::from(code)
}
