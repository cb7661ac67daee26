//! `kijun serve` under load: the real binary on a free loopback port gets 1,000 requests at once
//! (one client thread and one connection each, released together), a tenth of them traversal
//! attempts over raw TCP. Every request gets its answer within a bounded time: 200 with exactly
//! the bytes `kijun build` writes for the same sources (pages: the page's own title), or 400 for
//! a traversal, with nothing from outside the site in the body. Traffic stays on 127.0.0.1.

mod serve_support;

use serve_support::{Server, TempSite};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const REQUESTS: usize = 1_000;
/// Generous for a debug build on a busy 2-core machine; a release build answers in about a second.
const DEADLINE: Duration = Duration::from_secs(120);

/// What a request must get back.
#[derive(Clone)]
enum Expect {
    /// 200 and exactly these bytes.
    Bytes(Vec<u8>),
    /// 200 and an HTML page with this text (pages carry the live-reload client in serve).
    Page(String),
    /// 400: refused before any lookup.
    Refused,
}

struct Answer {
    status: u16,
    body: Vec<u8>,
    took: Duration,
}

/// One HTTP/1.1 request on its own connection, read to the end; the body as sent with
/// `Content-Length`, or decoded from chunks (tiny_http chunks bodies over 32 KB).
fn fetch(addr: SocketAddr, target: &str) -> Result<Answer, String> {
    let started = Instant::now();
    let mut stream = TcpStream::connect_timeout(&addr, DEADLINE).map_err(|e| format!("{e}"))?;
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    stream.set_write_timeout(Some(DEADLINE)).unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("{e}"))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| format!("{e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no header end in {} bytes", raw.len()))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let body = &raw[split + 4..];
    let chunked = head
        .lines()
        .any(|l| l.to_ascii_lowercase() == "transfer-encoding: chunked");
    Ok(Answer {
        status,
        body: if chunked {
            dechunk(body)?
        } else {
            body.to_vec()
        },
        took: started.elapsed(),
    })
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("chunk size line without end")?;
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("bad chunk size {size_text:?}: {e}"))?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if raw.len() < size + 2 {
            return Err("chunk shorter than its size".into());
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

fn build_into(root: &Path, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["build", "--drafts", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success(), "kijun build");
}

#[test]
fn a_thousand_concurrent_requests_get_the_right_answers_and_traversal_is_refused() {
    let site = TempSite::mini();
    std::fs::write(site.path("secret.txt"), "top secret").unwrap();
    // What the server must send: the bytes `kijun build` writes for the same sources.
    let built = tempfile::tempdir().unwrap();
    let out = built.path().join("site");
    build_into(site.root(), &out);
    let file = |rel: &str| Expect::Bytes(std::fs::read(out.join(rel)).unwrap());
    let targets: Vec<(&str, Expect)> = vec![
        ("/static/css/kijun.css", file("static/css/kijun.css")),
        ("/static/js/search.js", file("static/js/search.js")),
        (
            "/static/vendor/lunr/lunr.min.js",
            file("static/vendor/lunr/lunr.min.js"),
        ),
        (
            "/search/search-index.ja.js",
            file("search/search-index.ja.js"),
        ),
        ("/downloads/baseline.json", file("downloads/baseline.json")),
        (
            "/ja/measures/am-1/index.html",
            Expect::Page("<h1 id=\"measure-title\">資産台帳の整備</h1>".into()),
        ),
        (
            "/en/measures/ac-1/",
            Expect::Page("<h1 id=\"measure-title\">Multi-factor authentication</h1>".into()),
        ),
        ("/ja/", Expect::Page("ミニ基準".into())),
        (
            "/en/glossary/index.html",
            Expect::Page("Multi-factor authentication".into()),
        ),
        ("/../kijun.toml", Expect::Refused),
    ];
    let traversals = [
        "/../kijun.toml",
        "/ja/../../secret.txt",
        "/%2e%2e/kijun.toml",
        "/..%2fsecret.txt",
        "/%252e%252e/kijun.toml",
        "/static/..\\..\\secret.txt",
        "//etc/passwd",
        "/.git/config",
        "/C:/Windows/win.ini",
        "/ja/%00/index.html",
    ];

    let server = Server::start(site.root(), &[]);
    let addr = server.addr;
    // Every request in its own thread, all released at once.
    let barrier = Arc::new(Barrier::new(REQUESTS));
    let started = Instant::now();
    let handles: Vec<_> = (0..REQUESTS)
        .map(|i| {
            let (target, expect) = if i % 10 == 9 {
                (
                    traversals[(i / 10) % traversals.len()].to_string(),
                    Expect::Refused,
                )
            } else {
                let (t, e) = &targets[i % (targets.len() - 1)];
                (t.to_string(), e.clone())
            };
            let barrier = barrier.clone();
            std::thread::Builder::new()
                .stack_size(128 * 1024)
                .spawn(move || {
                    barrier.wait();
                    (target.clone(), expect, fetch(addr, &target))
                })
                .expect("client thread")
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed();

    let mut failures = Vec::new();
    let mut times = Vec::new();
    let mut refused = 0;
    for (target, expect, result) in &results {
        let answer = match result {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{target}: {e}"));
                continue;
            }
        };
        times.push(answer.took);
        let body = String::from_utf8_lossy(&answer.body);
        // secret.txt, kijun.toml and /etc/passwd, which sit outside the site.
        if body.contains("top secret") || body.contains("base_url =") || body.contains("root:x:0") {
            failures.push(format!("{target}: leaked a file from outside the site"));
        }
        let ok = match expect {
            Expect::Bytes(bytes) => answer.status == 200 && &answer.body == bytes,
            Expect::Page(text) => answer.status == 200 && body.contains(text.as_str()),
            Expect::Refused => {
                refused += 1;
                answer.status == 400
            }
        };
        if !ok {
            failures.push(format!(
                "{target}: status {} with {} bytes",
                answer.status,
                answer.body.len()
            ));
        }
    }
    times.sort();
    let pct = |p: usize| {
        times
            .get(times.len() * p / 100)
            .copied()
            .unwrap_or_default()
    };
    eprintln!(
        "{REQUESTS} concurrent requests in {elapsed:?}: median {:?}, p99 {:?}, max {:?}",
        pct(50),
        pct(99),
        times.last().copied().unwrap_or_default()
    );
    assert!(
        failures.is_empty(),
        "{} of {REQUESTS} failed:\n{}\nserver stderr:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n"),
        server.stderr()
    );
    assert_eq!(refused, REQUESTS / 10, "traversal attempts made");
    assert!(elapsed < DEADLINE, "took {elapsed:?}");
    // And it is still serving.
    assert_eq!(server.get("/ja/").status, 200);
}
