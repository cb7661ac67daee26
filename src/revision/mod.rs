//! Revisions: comparing two revisions of the baseline (`kijun diff`), the history a build keeps
//! (`[previous]` and `revisions/*.json`), and what the site derives from it: the changes page,
//! "last changed" on measure pages, redirects from renumbered ids and the Atom feed.
//!
//! snapshot (what is compared) → diff (what changed) → report (CLI output);
//! source (each side of `kijun diff`); history (loaded with the sources) → timeline (derived) → feed.

pub mod diff;
pub mod feed;
pub mod history;
pub mod report;
pub mod snapshot;
pub mod source;
pub mod timeline;

pub use history::History;
pub use timeline::Timeline;
