//! When to rebuild and when to show a failure: changes that queued up during a rebuild are
//! merged into one; a failed rebuild is shown only if no other save follows shortly; slow work
//! that no reload waits for (the search index) is done once no save is queued.

use super::watch::Changes;
use crate::diagnostics::Diagnostics;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

/// How long a failed rebuild waits for another save before its errors are shown: an editor may
/// have been caught halfway through a save (the file truncated, not yet written).
pub const ERROR_GRACE: Duration = Duration::from_millis(150);

/// A rebuild that failed, with the changes that led to it.
pub struct Failure {
    pub diags: Diagnostics,
    pub changes: Changes,
}

/// What the loop drives (the real one swaps sites and tells pages; tests use a fake).
pub trait Builds {
    fn rebuild(&mut self, changes: &Changes) -> Result<(), Failure>;
    /// Shows a failure in the terminal and over the open pages.
    fn report(&mut self, failure: Failure);
    /// Finishes what the last successful rebuild left for later.
    fn complete(&mut self);
}

/// Rebuilds on every batch of changes until the watcher goes away.
pub fn rebuild_on_changes(changes_rx: &Receiver<Changes>, builds: &mut impl Builds) {
    rebuild_with_grace(changes_rx, builds, ERROR_GRACE);
}

/// `rebuild_on_changes` with a failure held back `grace` (tests use wide margins).
fn rebuild_with_grace(changes_rx: &Receiver<Changes>, builds: &mut impl Builds, grace: Duration) {
    let mut unshown: Option<Failure> = None;
    let mut incomplete = false;
    loop {
        let next = if unshown.is_some() {
            changes_rx.recv_timeout(grace)
        } else if incomplete {
            match changes_rx.try_recv() {
                Ok(changes) => Ok(changes),
                Err(TryRecvError::Empty) => {
                    builds.complete();
                    incomplete = false;
                    continue;
                }
                Err(TryRecvError::Disconnected) => Err(RecvTimeoutError::Disconnected),
            }
        } else {
            changes_rx
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected)
        };
        let mut changes = match next {
            Ok(changes) => changes,
            Err(RecvTimeoutError::Timeout) => {
                if let Some(failure) = unshown.take() {
                    builds.report(failure);
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // Saves that arrived while the last rebuild ran are handled in one go.
        while let Ok(more) = changes_rx.try_recv() {
            changes.merge(more);
        }
        if let Some(failure) = unshown.take() {
            // The earlier save's files stay among those whose errors are listed first.
            changes.merge(failure.changes);
        }
        match builds.rebuild(&changes) {
            Ok(()) => incomplete = true,
            Err(failure) => unshown = Some(failure),
        }
    }
    if let Some(failure) = unshown {
        builds.report(failure);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;
    use std::time::Instant;

    /// Fails when the newest change (listed first) names a "broken" path; records what happened.
    #[derive(Default)]
    struct Fake {
        rebuilt: Vec<Vec<String>>,
        reported: Vec<(Vec<String>, Instant)>,
        /// Rebuilds that had been made when each `complete` ran.
        completed_after: Vec<usize>,
    }

    impl Builds for Fake {
        fn rebuild(&mut self, changes: &Changes) -> Result<(), Failure> {
            self.rebuilt.push(changes.paths.clone());
            if changes.paths.first().is_some_and(|p| p.contains("broken")) {
                return Err(Failure {
                    diags: Diagnostics::default(),
                    changes: changes.clone(),
                });
            }
            Ok(())
        }
        fn report(&mut self, failure: Failure) {
            self.reported
                .push((failure.changes.paths.clone(), Instant::now()));
        }
        fn complete(&mut self) {
            self.completed_after.push(self.rebuilt.len());
        }
    }

    fn change(path: &str) -> Changes {
        Changes {
            content: true,
            paths: vec![path.to_string()],
            ..Changes::default()
        }
    }

    /// A grace period far longer than the pauses the tests make, so that a busy machine (a
    /// thread scheduled late) does not change what they see.
    const LONG_GRACE: Duration = Duration::from_secs(3);
    const SHORT_PAUSE: Duration = Duration::from_millis(20);

    #[test]
    fn a_failure_followed_soon_by_a_good_save_is_never_shown() {
        let (tx, rx) = channel();
        let feeder = std::thread::spawn(move || {
            tx.send(change("content/a.ja.md (broken)")).unwrap();
            std::thread::sleep(SHORT_PAUSE);
            tx.send(change("content/a.ja.md")).unwrap();
        });
        let mut fake = Fake::default();
        rebuild_with_grace(&rx, &mut fake, LONG_GRACE);
        feeder.join().unwrap();
        assert_eq!(fake.rebuilt.len(), 2);
        assert!(fake.reported.is_empty());
    }

    #[test]
    fn a_failure_is_shown_after_the_grace_period() {
        let (tx, rx) = channel();
        let sent = Instant::now();
        let feeder = std::thread::spawn(move || {
            tx.send(change("content/a.ja.md (broken)")).unwrap();
            // The watcher stays long after the grace period.
            std::thread::sleep(ERROR_GRACE * 20);
        });
        let mut fake = Fake::default();
        rebuild_on_changes(&rx, &mut fake);
        feeder.join().unwrap();
        assert_eq!(fake.reported.len(), 1);
        let (paths, at) = &fake.reported[0];
        assert_eq!(paths, &["content/a.ja.md (broken)"]);
        assert!(*at - sent >= ERROR_GRACE, "not before the grace period");
        assert!(
            *at - sent < ERROR_GRACE * 20,
            "and not only when the watcher stops"
        );
    }

    #[test]
    fn later_work_waits_until_no_save_is_queued() {
        let (tx, rx) = channel();
        // Three saves already queued, then one more after a pause.
        tx.send(change("content/a.ja.md")).unwrap();
        tx.send(change("content/b.ja.md")).unwrap();
        tx.send(change("content/c.ja.md")).unwrap();
        let feeder = std::thread::spawn(move || {
            std::thread::sleep(ERROR_GRACE);
            tx.send(change("content/d.ja.md")).unwrap();
            std::thread::sleep(ERROR_GRACE); // the watcher stays a while
        });
        let mut fake = Fake::default();
        rebuild_on_changes(&rx, &mut fake);
        feeder.join().unwrap();
        // The queued saves were merged into one rebuild, completed before the next save.
        assert_eq!(fake.rebuilt.len(), 2);
        assert_eq!(fake.rebuilt[0].len(), 3);
        assert_eq!(fake.completed_after, [1, 2]);
    }

    #[test]
    fn two_failures_in_a_row_report_both_saves() {
        let (tx, rx) = channel();
        tx.send(change("content/a.ja.md (broken)")).unwrap();
        let feeder = std::thread::spawn(move || {
            std::thread::sleep(SHORT_PAUSE);
            tx.send(change("content/b.ja.md (broken)")).unwrap();
        });
        let mut fake = Fake::default();
        rebuild_with_grace(&rx, &mut fake, LONG_GRACE);
        feeder.join().unwrap();
        assert_eq!(fake.reported.len(), 1);
        assert_eq!(
            fake.reported[0].0,
            ["content/b.ja.md (broken)", "content/a.ja.md (broken)"]
        );
    }
}
