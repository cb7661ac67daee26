//! A small HTTP/1.1 server on std, for the preview only (GET and HEAD, no request bodies).
//!
//! Why not a library: tiny_http 0.12 panicked when descriptors ran out and then refused every
//! connection for good, and had no timeouts or header limits (issue 20); hyper would bring an
//! async runtime for a server that answers one developer. This one holds what a hostile client
//! can take to fixed bounds:
//! - at most `MAX_CONNECTIONS` open at once (one thread each, small stacks); the next gets
//!   `503` with `Retry-After` and is closed;
//! - when `accept` fails (descriptors exhausted), it waits and tries again, from 5 ms doubling
//!   to 100 ms, so it serves again as soon as descriptors are free;
//! - a request head must arrive whole within `HEAD_TIMEOUT`, the next request on a kept-alive
//!   connection within `IDLE_TIMEOUT`; a client that stops reading a response is dropped after
//!   `WRITE_TIMEOUT`;
//! - the request line is at most `MAX_TARGET` bytes (else `414`) and the head `MAX_HEAD` (else
//!   `431`): nothing larger is ever buffered.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const MAX_CONNECTIONS: usize = 1000;
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
pub const MAX_TARGET: usize = 8 * 1024;
pub const MAX_HEAD: usize = 16 * 1024;
/// Enough for the handlers (no rendering happens on these threads).
const STACK: usize = 256 * 1024;

/// One parsed request head.
pub struct Request {
    pub method: String,
    pub target: String,
    /// Lowercase names.
    pub headers: Vec<(String, String)>,
    /// HTTP/1.0, or `Connection: close`: answer, then close.
    pub close: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a handler does with a request.
pub enum Reply {
    /// A full response; the connection may then serve the next request.
    Done,
    /// The handler took the stream over (an event stream) and wrote to it until the end.
    Taken,
}

/// Accepts connections for ever, each handled on its own thread by `handle`, which answers one
/// request on the stream (writing the response) and says whether the connection goes on.
pub fn run<H>(listener: TcpListener, handle: H)
where
    H: Fn(&Request, &mut TcpStream) -> std::io::Result<Reply> + Send + Sync + 'static,
{
    let handle = Arc::new(handle);
    let open = Arc::new(AtomicUsize::new(0));
    let mut backoff = Duration::from_millis(5);
    let mut reported = false;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => {
                backoff = Duration::from_millis(5);
                reported = false;
                stream
            }
            Err(e) => {
                // EMFILE and its kin: the connection waits in the backlog; try again shortly.
                if !reported {
                    eprintln!("kijun serve: cannot accept a connection ({e}); retrying");
                    reported = true;
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_millis(100));
                continue;
            }
        };
        if open.load(Ordering::Acquire) >= MAX_CONNECTIONS {
            refuse_busy(stream);
            continue;
        }
        let slot = Slot::take(&open);
        let handle = handle.clone();
        let spawned = std::thread::Builder::new()
            .name("kijun-serve-conn".into())
            .stack_size(STACK)
            .spawn(move || {
                let _slot = slot;
                connection(stream, &*handle);
            });
        if spawned.is_err() {
            // The closure (stream and slot) is dropped: the connection closes, the slot frees.
            std::thread::sleep(backoff);
        }
    }
}

/// One counted open connection; freed on drop, whatever way the thread ends.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>) -> Slot {
        open.fetch_add(1, Ordering::AcqRel);
        Slot(open.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Tells a connection over the cap to come back later, without ever blocking the accept loop.
fn refuse_busy(mut stream: TcpStream) {
    let body = "503 Service Unavailable: too many open connections; retry shortly\n";
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.set_nonblocking(true).is_ok() {
        let _ = stream.write(response.as_bytes());
    }
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Serves requests on one connection until it closes, times out or a request says close.
fn connection<H>(mut stream: TcpStream, handle: &H)
where
    H: Fn(&Request, &mut TcpStream) -> std::io::Result<Reply>,
{
    let _ = stream.set_nodelay(true);
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let mut buffer = Vec::new();
    let mut first = true;
    loop {
        let wait = if first { HEAD_TIMEOUT } else { IDLE_TIMEOUT };
        first = false;
        let head = match read_head(&mut stream, &mut buffer, Instant::now() + wait) {
            Ok(Some(len)) => len,
            Ok(None) => return,
            Err(status) => {
                if respond_error(&mut stream, status).is_ok() {
                    drain(&mut stream);
                }
                return;
            }
        };
        let parsed = parse_head(&buffer[..head]);
        buffer.drain(..head);
        let request = match parsed {
            Ok(r) => r,
            Err(message) => {
                let _ = write_simple(&mut stream, 400, &format!("400 Bad Request: {message}\n"));
                return;
            }
        };
        // No request here has a body: one that announces a body is answered, then closed, so
        // the body is never read as the next request.
        let has_body = request.header("transfer-encoding").is_some()
            || request
                .header("content-length")
                .is_some_and(|v| v.trim() != "0");
        match handle(&request, &mut stream) {
            Ok(Reply::Done) if !request.close && !has_body => continue,
            _ => return,
        }
    }
}

/// Reads until `buffer` holds a whole request head; returns its length (through the blank
/// line), `None` when the client closed or went quiet, or the status to refuse it with.
fn read_head(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    deadline: Instant,
) -> Result<Option<usize>, u16> {
    let mut chunk = [0u8; 4096];
    loop {
        let line_end = find(buffer, b"\r\n").unwrap_or(buffer.len());
        if line_end > MAX_TARGET {
            return Err(414);
        }
        match find(buffer, b"\r\n\r\n") {
            Some(end) if end + 4 > MAX_HEAD => return Err(431),
            Some(end) => return Ok(Some(end + 4)),
            None if buffer.len() > MAX_HEAD => return Err(431),
            None => {}
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// After refusing a request that is still arriving, reads (and drops) a little more of it
/// before closing: closing with unread bytes makes the client's system discard the answer.
fn drain(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let deadline = Instant::now() + Duration::from_millis(500);
    let mut chunk = [0u8; 4096];
    let mut left: usize = 1 << 20;
    while left > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() || stream.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The request line and header fields (RFC 9112), strictly: no folded lines, no bare CR or
/// control characters, one `Host` for HTTP/1.1.
fn parse_head(head: &[u8]) -> Result<Request, &'static str> {
    let text = std::str::from_utf8(head).map_err(|_| "the request head is not UTF-8")?;
    let mut lines = text.strip_suffix("\r\n\r\n").unwrap_or(text).split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("malformed request line");
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err("only HTTP/1.0 and HTTP/1.1 are supported"),
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || target.is_empty() {
        return Err("malformed request line");
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or("malformed header field")?;
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            return Err("malformed header field");
        }
        if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
            return Err("control character in a header field");
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let hosts = headers.iter().filter(|(n, _)| n == "host").count();
    if hosts > 1 || (http11 && hosts == 0) {
        return Err("an HTTP/1.1 request needs exactly one Host header");
    }
    let connection = headers
        .iter()
        .filter(|(n, _)| n == "connection")
        .map(|(_, v)| v.to_ascii_lowercase())
        .collect::<Vec<_>>();
    let says = |word: &str| {
        connection
            .iter()
            .any(|v| v.split(',').any(|t| t.trim() == word))
    };
    let close = if http11 {
        says("close")
    } else {
        !says("keep-alive")
    };
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        close,
    })
}

/// Writes a whole response: status, headers, `Content-Length`, and the body unless `head_only`.
pub fn respond(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    if head_only || body.is_empty() {
        return stream.write_all(head.as_bytes());
    }
    // One write for small responses (one packet), two for large ones (no copy).
    if body.len() < 64 * 1024 {
        let mut all = head.into_bytes();
        all.extend_from_slice(body);
        stream.write_all(&all)
    } else {
        stream.write_all(head.as_bytes())?;
        stream.write_all(body)
    }
}

/// A plain-text response that closes the connection.
pub fn write_simple(stream: &mut TcpStream, status: u16, message: &str) -> std::io::Result<()> {
    respond(
        stream,
        status,
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Connection", "close"),
        ],
        message.as_bytes(),
        false,
    )
}

fn respond_error(stream: &mut TcpStream, status: u16) -> std::io::Result<()> {
    let message = match status {
        414 => format!("414 URI Too Long: the request line is limited to {MAX_TARGET} bytes\n"),
        _ => format!(
            "431 Request Header Fields Too Large: the request head is limited to {MAX_HEAD} bytes\n"
        ),
    };
    write_simple(stream, status, &message)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_strictly() {
        let ok = parse_head(b"GET /ja/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .ok()
            .unwrap();
        assert_eq!(
            (ok.method.as_str(), ok.target.as_str(), ok.close),
            ("GET", "/ja/", true)
        );
        assert_eq!(ok.header("host"), Some("127.0.0.1"));
        let old = parse_head(b"GET / HTTP/1.0\r\n\r\n").ok().unwrap();
        assert!(old.close);
        for bad in [
            &b"GET / HTTP/1.1\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            b"GET /  HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET / HTTP/2\r\nHost: a\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nHo st: a\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n",
            b"get / HTTP/1.1\r\nHost: a\r\n\r\n",
        ] {
            assert!(parse_head(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
