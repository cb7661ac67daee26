//! The reload channel: server-sent events from the rebuild loop to every open page.
//!
//! SSE rather than WebSocket: one long GET response, plain text, reconnects by itself, and
//! needs nothing beyond the HTTP server we already have.

use crate::diagnostics::Diagnostic;
use serde::Serialize;
use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

/// Sent on idle connections so that a closed tab is noticed and its thread ends.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Above this many changed files a reload says "everything" instead of listing them.
const MAX_LISTED: usize = 200;

/// How many recent builds a greeting lists, with what each changed.
const RECENT_BUILDS: usize = 16;

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum Event {
    /// A new good build; `changed` lists the site files whose bytes differ (None: too many).
    Reload {
        build: String,
        changed: Option<Vec<String>>,
    },
    /// The last rebuild failed; the previous site is still served.
    Problems { diagnostics: Vec<Diagnostic> },
}

impl Event {
    pub fn reload(build: String, changed: Vec<String>) -> Event {
        let changed = (changed.len() <= MAX_LISTED).then_some(changed);
        Event::Reload { build, changed }
    }

    /// The SSE wire form: `event: NAME\ndata: JSON\n\n`.
    pub fn to_sse(&self) -> String {
        #[derive(Serialize)]
        struct Reload<'a> {
            build: &'a str,
            changed: &'a Option<Vec<String>>,
        }
        #[derive(Serialize)]
        struct Problems<'a> {
            diagnostics: &'a [Diagnostic],
        }
        // Names other than `error`, which EventSource uses for its own connection errors.
        let (name, data) = match self {
            Event::Reload { build, changed } => {
                ("reload", serde_json::to_string(&Reload { build, changed }))
            }
            Event::Problems { diagnostics } => {
                ("problems", serde_json::to_string(&Problems { diagnostics }))
            }
        };
        // JSON from serde_json has no raw newlines, so one data line is enough.
        format!(
            "event: {name}\ndata: {}\n\n",
            data.expect("events serialise")
        )
    }
}

/// The state a newly connected page needs: which build it is looking at, any problems, and
/// what the last builds changed. A page served from an earlier build (it loaded while a rebuild
/// finished) reloads only if one of the builds since then changed it.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub build: String,
    pub problems: Option<Vec<Diagnostic>>,
    /// The last builds, oldest first, each with the files it changed (None: too many).
    pub recent: std::collections::VecDeque<Recent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recent {
    pub build: String,
    pub changed: Option<Vec<String>>,
}

impl Status {
    fn hello(&self) -> String {
        #[derive(Serialize)]
        struct Hello<'a> {
            build: &'a str,
            problems: &'a Option<Vec<Diagnostic>>,
            recent: &'a std::collections::VecDeque<Recent>,
        }
        let data = serde_json::to_string(&Hello {
            build: &self.build,
            problems: &self.problems,
            recent: &self.recent,
        })
        .expect("status serialises");
        format!("event: hello\ndata: {data}\n\n")
    }
}

/// Every listening page, and the status to greet new ones with.
#[derive(Default)]
pub struct Hub {
    inner: Mutex<HubState>,
}

#[derive(Default)]
struct HubState {
    status: Status,
    listeners: Vec<Sender<String>>,
}

impl Hub {
    /// Records the new status and tells every listener; listeners that went away are dropped.
    pub fn publish(&self, event: Event) {
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match &event {
            Event::Reload { build, changed } => {
                let status = &mut state.status;
                status.build = build.clone();
                status.problems = None;
                if status.recent.len() == RECENT_BUILDS {
                    status.recent.pop_front();
                }
                status.recent.push_back(Recent {
                    build: build.clone(),
                    changed: changed.clone(),
                });
            }
            Event::Problems { diagnostics } => {
                state.status.problems = Some(diagnostics.clone());
            }
        }
        let wire = event.to_sse();
        state.listeners.retain(|tx| tx.send(wire.clone()).is_ok());
    }

    pub fn status(&self) -> Status {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .status
            .clone()
    }

    /// Registers a listener and returns its greeting and its feed, atomically, so that no event
    /// falls between the two.
    fn subscribe(&self) -> (String, Receiver<String>) {
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (tx, rx) = channel();
        state.listeners.push(tx);
        (state.status.hello(), rx)
    }

    /// Streams events to one page until it goes away. `out` is the raw connection.
    pub fn stream_to(&self, mut out: impl Write) {
        let (hello, feed) = self.subscribe();
        let head = "HTTP/1.1 200 OK\r\n\
                    Content-Type: text/event-stream; charset=utf-8\r\n\
                    Cache-Control: no-store\r\n\
                    X-Content-Type-Options: nosniff\r\n\
                    Connection: close\r\n\r\n";
        // `retry` makes a page reconnect quickly after the server restarts.
        if write_flush(&mut out, &format!("{head}retry: 500\n\n{hello}")).is_err() {
            return;
        }
        loop {
            let chunk = match feed.recv_timeout(KEEPALIVE) {
                Ok(wire) => wire,
                Err(RecvTimeoutError::Timeout) => ": keepalive\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if write_flush(&mut out, &chunk).is_err() {
                return;
            }
        }
    }
}

fn write_flush(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::LineCol;

    #[test]
    fn events_are_single_data_lines_of_json() {
        let d = Diagnostic::error("content/a.md", LineCol { line: 3, column: 2 }, "bad\nthing");
        let wire = Event::Problems {
            diagnostics: vec![d],
        }
        .to_sse();
        assert!(wire.starts_with("event: problems\ndata: {"));
        assert_eq!(wire.matches('\n').count(), 3, "{wire}");
        let json: serde_json::Value =
            serde_json::from_str(wire.lines().nth(1).unwrap().strip_prefix("data: ").unwrap())
                .unwrap();
        assert_eq!(json["diagnostics"][0]["line"], 3);
    }

    #[test]
    fn long_change_lists_become_everything() {
        let many: Vec<String> = (0..=MAX_LISTED).map(|i| format!("{i}.html")).collect();
        assert!(matches!(
            Event::reload("b".into(), many),
            Event::Reload { changed: None, .. }
        ));
        assert!(matches!(
            Event::reload("b".into(), vec!["x".into()]),
            Event::Reload { changed: Some(v), .. } if v.len() == 1
        ));
    }

    #[test]
    fn new_listeners_are_greeted_with_the_current_problems() {
        let hub = Hub::default();
        hub.publish(Event::Problems {
            diagnostics: vec![Diagnostic::error("kijun.toml", LineCol::START, "broken")],
        });
        let (hello, feed) = hub.subscribe();
        assert!(hello.contains("broken"));
        hub.publish(Event::reload("2".into(), vec![]));
        assert!(feed.try_recv().unwrap().starts_with("event: reload"));
        assert!(hub.status().problems.is_none());
    }

    #[test]
    fn a_greeting_lists_what_the_last_builds_changed() {
        let hub = Hub::default();
        for n in 0..RECENT_BUILDS + 2 {
            hub.publish(Event::reload(format!("b{n}"), vec![format!("p{n}.html")]));
        }
        let (hello, _feed) = hub.subscribe();
        let data: serde_json::Value =
            serde_json::from_str(hello.lines().nth(1).unwrap().trim_start_matches("data: "))
                .unwrap();
        let recent = data["recent"].as_array().unwrap();
        assert_eq!(recent.len(), RECENT_BUILDS, "only the last ones are kept");
        let last = &recent[RECENT_BUILDS - 1];
        assert_eq!(last["build"], format!("b{}", RECENT_BUILDS + 1));
        assert_eq!(last["changed"][0], format!("p{}.html", RECENT_BUILDS + 1));
        assert_eq!(data["build"], last["build"]);
    }
}
