//! Helpers for tests/serve.rs: a temporary site, the real `kijun serve` binary on a free port,
//! a raw HTTP/1.1 client (raw, so that odd paths reach the server as written) and a listener
//! on the reload channel.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_kijun");

/// Generous: debug builds on a busy 2-core machine are slow; a pass takes far less.
pub const WAIT: Duration = Duration::from_secs(30);

/// A copy of `tests/fixtures/mini` in a temporary folder, removed on drop.
pub struct TempSite {
    pub dir: tempfile::TempDir,
}

impl TempSite {
    pub fn mini() -> TempSite {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(&fixture(), dir.path());
        TempSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read source")
    }

    /// Saves in place, as most editors do.
    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).expect("write source");
    }

    /// Saves the way editors with atomic saves do: write a temporary file, rename it over.
    pub fn write_by_rename(&self, rel: &str, text: &str) {
        let target = self.path(rel);
        let temp = PathBuf::from(format!("{}.save-tmp", target.display()));
        std::fs::write(&temp, text).expect("write temp");
        std::fs::rename(&temp, &target).expect("rename over");
    }

    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }
}

pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `kijun serve` running on a free port; killed on drop.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_command(Command::new(BIN), root, extra)
    }

    /// Started under `prlimit --nofile=N`: at most N open descriptors (util-linux's prlimit).
    pub fn start_with_nofile(root: &Path, nofile: u32, extra: &[&str]) -> Server {
        let mut command = Command::new("prlimit");
        command
            .arg(format!("--nofile={nofile}:{nofile}"))
            .arg("--")
            .arg(BIN);
        Server::start_command(command, root, extra)
    }

    /// The process id (of prlimit's child, which is kijun itself: prlimit execs it).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn start_command(mut command: Command, root: &Path, extra: &[&str]) -> Server {
        let mut child = command
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kijun serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let (tx, rx) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = match rx.recv_timeout(WAIT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "kijun serve printed no address; stderr:\n{}",
                    stderr.lock().unwrap()
                );
            }
        };
        let url = line
            .strip_prefix("serving http://")
            .unwrap_or_else(|| panic!("unexpected first line on stdout: {line}"));
        let addr = url.trim_end_matches('/').parse().expect("socket address");
        Server {
            child,
            addr,
            stderr,
        }
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    pub fn get(&self, path: &str) -> Response {
        request(
            self.addr,
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            )
            .as_bytes(),
        )
    }

    /// Sends `raw` as the whole request, byte for byte.
    pub fn raw(&self, raw: &[u8]) -> Response {
        request(self.addr, raw)
    }

    pub fn events(&self) -> Events {
        Events::connect(self.addr)
    }

    /// Waits until stderr contains `text`.
    pub fn wait_for_log(&self, text: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.stderr().contains(text) {
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the log:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    /// 0 when the server closed the connection without a status line.
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn request(addr: SocketAddr, raw: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(raw).expect("send request");
    let mut bytes = Vec::new();
    // A server that refuses by closing the connection is an answer too.
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: serde_json::Value,
}

/// A listener on `/__kijun/events`, as the page's script is.
pub struct Events {
    feed: Receiver<Event>,
    pub hello: Event,
    _stream: TcpStream,
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect events");
        write!(
            stream,
            "GET /__kijun/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let reader = stream.try_clone().unwrap();
        let (tx, feed) = channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(reader).lines().map_while(Result::ok);
            // Skip the response head.
            for line in lines.by_ref() {
                if line.is_empty() {
                    break;
                }
            }
            let (mut name, mut data) = (String::new(), String::new());
            for line in lines {
                if let Some(v) = line.strip_prefix("event: ") {
                    name = v.to_string();
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = v.to_string();
                } else if line.is_empty() && !name.is_empty() {
                    let value = serde_json::from_str(&data).expect("event data is JSON");
                    let event = Event {
                        name: std::mem::take(&mut name),
                        data: value,
                    };
                    if tx.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        let hello = feed.recv_timeout(WAIT).expect("a hello event");
        assert_eq!(hello.name, "hello");
        Events {
            feed,
            hello,
            _stream: stream,
        }
    }

    /// The next event called `name`, skipping others; panics after `WAIT`.
    pub fn next(&self, name: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.feed.recv_timeout(left) {
                Ok(e) if e.name == name => return e,
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => panic!("no {name} event within {WAIT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the event stream closed"),
            }
        }
    }

    /// The next reload that lists `path` among the changed files, skipping others (such as the
    /// search index update that follows a content rebuild).
    pub fn reload_changing(&self, path: &str) -> Event {
        loop {
            let event = self.next("reload");
            let listed = event.data["changed"]
                .as_array()
                .is_none_or(|files| files.iter().any(|f| f == path));
            if listed {
                return event;
            }
        }
    }

    /// The next event of any name, if one comes within `within`.
    pub fn next_within(&self, within: Duration) -> Option<Event> {
        self.feed.recv_timeout(within).ok()
    }
}

/// Runs `kijun` with `args`; returns (exit code, stdout, stderr).
pub fn kijun(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().expect("run kijun");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}
