//! `kijun serve`: builds the site in memory, serves it over HTTP, watches the sources and
//! reloads open pages after each rebuild. A failed rebuild keeps the last good site served and
//! shows the errors in the terminal and over the page.
//!
//! Threads: the main thread runs the rebuild loop; one thread accepts HTTP requests and hands
//! each to a thread of its own; the watcher's thread sends batches of changes to the loop.

mod hosts;
mod http;
mod paths;
mod rebuild;
mod reload;
mod schedule;
mod server;
mod snapshot;
mod watch;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::SiteOptions;
use rebuild::Rebuilder;
use reload::{Event, Hub};
use schedule::{Builds, Failure, rebuild_on_changes};
use snapshot::Snapshot;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::mpsc::channel;
use std::sync::{Arc, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use watch::{Changes, Watcher};

pub const DEFAULT_PORT: u16 = 1111;

use crate::commands::EXIT_USAGE_OR_IO as EXIT_USAGE;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Host names answered besides the addresses listened on (`--allow-host`).
    pub allow_hosts: Vec<String>,
}

/// What the HTTP threads share with the rebuild loop.
#[derive(Default)]
pub struct Preview {
    /// The last good build; `None` until the first build succeeds.
    site: RwLock<Option<Arc<Snapshot>>>,
    pub hub: Hub,
    /// The `Host` headers answered (`hosts.rs`).
    pub hosts: hosts::Allowed,
}

impl Preview {
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a new build in place and returns the one it replaces.
    fn swap(&self, site: Arc<Snapshot>) -> Option<Arc<Snapshot>> {
        self.site
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .replace(site)
    }
}

pub fn run(opts: ServeOptions) -> u8 {
    let root = match opts.root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "error: cannot open the site root {}: {e}\n  help: pass --root DIR, the folder that holds kijun.toml",
                opts.root.display()
            );
            return EXIT_USAGE;
        }
    };
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        eprintln!(
            "error: {} has no kijun.toml\n  help: run kijun serve in the site's folder, or pass --root DIR",
            root.display()
        );
        return EXIT_USAGE;
    }
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {} makes the preview, drafts included, reachable from other machines; use --bind 127.0.0.1 to keep it on this one",
            opts.bind
        );
    }
    let mut allowed_names = Vec::new();
    for name in &opts.allow_hosts {
        match hosts::parse(name) {
            Some((hosts::Host::Name(name), None)) => allowed_names.push(name),
            _ => {
                eprintln!(
                    "error: --allow-host {name}: not a host name\n  help: give a name without port or scheme, such as preview.example.jp (IP addresses the server listens on are allowed already)"
                );
                return EXIT_USAGE;
            }
        }
    }
    let listener = match listen(SocketAddr::new(opts.bind, opts.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}: {e}\n  help: another program may use this port; pick another with --port N, or --port 0 for any free port",
                SocketAddr::new(opts.bind, opts.port)
            );
            return EXIT_USAGE;
        }
    };
    let Ok(addr) = listener.local_addr() else {
        eprintln!("error: the server did not get an IP address");
        return EXIT_USAGE;
    };

    let site_opts = SiteOptions {
        root: root.clone(),
        drafts: opts.drafts,
        // Canonical links and the 404 page's <base> then point at the preview, not production.
        base_url: Some(format!("http://{addr}/")),
        live_reload: true,
    };
    let preview = Arc::new(Preview {
        // A page on another site could otherwise point its own host name at this machine
        // (DNS rebinding) and read the preview, drafts included.
        hosts: hosts::Allowed {
            port: addr.port(),
            names: allowed_names,
        },
        ..Preview::default()
    });
    let (changes_tx, changes_rx) = channel::<Changes>();
    let watcher = match Watcher::start(&root, changes_tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {} for changes: {e}\n  help: on Linux, raise fs.inotify.max_user_watches if many folders are watched",
                root.display()
            );
            return EXIT_USAGE;
        }
    };

    let mut builds = BuildLoop {
        rebuilder: Rebuilder::new(site_opts),
        watcher,
        preview: preview.clone(),
        session: session_id(),
        generation: 0,
        warnings_shown: None,
        unfinished: None,
    };
    match builds.rebuild(&Changes::everything()) {
        Ok(()) => builds.complete(),
        Err(failure) => builds.report(failure),
    }

    let http_preview = preview.clone();
    std::thread::spawn(move || http::serve(listener, http_preview));
    // stdout carries only this line, so scripts can read the address (useful with --port 0).
    println!("serving http://{addr}/");
    eprintln!(
        "watching {} (content/, revisions/, themes/, kijun.toml); drafts {}; press Ctrl+C to stop",
        root.display(),
        if opts.drafts { "shown" } else { "hidden" }
    );

    rebuild_on_changes(&changes_rx, &mut builds);
    EXIT_USAGE
}

struct BuildLoop {
    rebuilder: Rebuilder,
    watcher: Watcher,
    preview: Arc<Preview>,
    /// Distinguishes this server run from earlier ones, for pages that reconnect after a restart.
    session: String,
    generation: u64,
    /// Warnings of the last good build as printed, to avoid printing them again unchanged.
    warnings_shown: Option<Vec<Diagnostic>>,
    /// Paths of the pages of the last rebuild, when the rest of the site (search index,
    /// downloads) has not been built for it yet.
    unfinished: Option<Vec<String>>,
}

impl BuildLoop {
    fn next_build_id(&mut self) -> String {
        self.generation += 1;
        format!("{}-{}", self.session, self.generation)
    }
}

impl Builds for BuildLoop {
    /// Rebuilds and, when it worked, swaps the site in and tells the pages. A failure is
    /// returned for the caller to `report`, now or after a grace period.
    fn rebuild(&mut self, changes: &Changes) -> Result<(), Failure> {
        let started = Instant::now();
        if changes.folders
            && let Err(e) = self.watcher.watch_source_folders()
        {
            eprintln!("kijun serve: cannot watch a new folder: {e}");
        }
        let what = describe(&changes.paths);
        match self.rebuilder.rebuild(changes) {
            Ok(built) => {
                let build = self.next_build_id();
                self.unfinished = Some(built.files.iter().map(|f| f.path.clone()).collect());
                let mut site = Snapshot::new(build.clone(), built.files);
                if let Some(current) = self.preview.current() {
                    // Until `complete` runs, the search index and downloads are the last ones.
                    site.carry_over(&current);
                }
                let site = Arc::new(site);
                let old = self.preview.swap(site.clone());
                let changed = match &old {
                    Some(old) => site.changed_since(old),
                    None => vec![],
                };
                let recovered = self.preview.hub.status().problems.is_some();
                // Pages reload only when their bytes changed; after a failed build every page
                // hears about it so that the error overlay is cleared.
                self.preview
                    .hub
                    .publish(Event::reload(build, changed.clone()));
                // Warnings are repeated only when they change, so that new ones stand out.
                if self.warnings_shown.as_ref() != Some(&built.warnings.items) {
                    eprint!("{}", built.warnings.to_human());
                    self.warnings_shown = Some(built.warnings.items.clone());
                }
                eprintln!(
                    "{}built {what} in {} ms ({}): {} of {} files changed{}{}",
                    if old.is_some() { "re" } else { "" },
                    started.elapsed().as_millis(),
                    built.timings,
                    changed.len(),
                    site.len(),
                    match built.warnings.items.len() {
                        0 => String::new(),
                        n => format!(", {n} warning(s)"),
                    },
                    if recovered { "; errors cleared" } else { "" },
                );
                // Freeing the previous build takes milliseconds: only now that pages were told.
                drop(old);
                self.rebuilder.tidy();
            }
            Err(diags) => {
                return Err(Failure {
                    diags,
                    changes: changes.clone(),
                });
            }
        }
        Ok(())
    }

    /// Builds the rest of the site (search index, downloads, site map) for the last rebuild's
    /// pages, and reloads the pages that show or load what changed.
    fn complete(&mut self) {
        let started = Instant::now();
        let (Some(paths), Some(current)) = (self.unfinished.take(), self.preview.current()) else {
            return;
        };
        let whole = match self.rebuilder.finish(current.files_at(&paths)) {
            Some(Ok(files)) => files,
            Some(Err(diags)) => {
                let changes = Changes::everything();
                return self.report(Failure { diags, changes });
            }
            None => return, // the sources do not load now; the next good rebuild comes back
        };
        let build = self.next_build_id();
        let site = Arc::new(Snapshot::new(build.clone(), whole));
        let changed = site.changed_since(&current);
        if !changed.is_empty() {
            self.preview.swap(site);
            self.preview
                .hub
                .publish(Event::reload(build, changed.clone()));
        }
        eprintln!(
            "finished the search index and downloads in {} ms: {} file(s) changed",
            started.elapsed().as_millis(),
            changed.len()
        );
    }

    /// Shows a failed rebuild in the terminal and over the open pages.
    fn report(&mut self, failure: Failure) {
        let Failure { diags, changes } = failure;
        eprint!("{}", diags.to_human());
        eprintln!(
            "build of {} failed: {} error(s); {}",
            describe(&changes.paths),
            diags.error_count(),
            if self.preview.current().is_some() {
                "still serving the last good build"
            } else {
                "nothing to serve until the errors are fixed"
            }
        );
        self.preview.hub.publish(problems(diags, &changes.paths));
        self.warnings_shown = None;
    }
}

/// A listening socket with room for a burst of connections (a page and its assets, many tabs):
/// with the default backlog of 128 the rest of a burst is dropped and waits a second for TCP
/// to retry.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?; // as std's TcpListener::bind does
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// Errors first, as they are why the page did not update; among them, those in the files
/// just saved, since errors elsewhere are often their echo (a reference to a broken measure).
fn problems(diags: Diagnostics, saved: &[String]) -> Event {
    let mut items = diags.items;
    items.sort_by_key(|d| (!d.is_error(), !saved.contains(&d.file)));
    Event::Problems { diagnostics: items }
}

/// `content/a.md, content/b.md and 3 more`, for the terminal.
fn describe(paths: &[String]) -> String {
    const SHOWN: usize = 3;
    match paths.len() {
        0 => "the site".into(),
        n if n <= SHOWN => paths.join(", "),
        n => format!("{} and {} more", paths[..SHOWN].join(", "), n - SHOWN),
    }
}

fn session_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}", nanos % (1 << 48))
}
