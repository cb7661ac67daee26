//! The HTTP side: site files from the in-memory snapshot, the live-reload client and the
//! event stream. Nothing is read from disk while serving.

use super::Preview;
use super::paths::{self, Target};
use super::server::{self, Reply, Request};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

const CLIENT_JS: &str = include_str!("client/live-reload.js");
const CLIENT_CSS: &str = include_str!("client/live-reload.css");
/// Shown for every page until the first build succeeds; it loads the client, which shows why.
const WAITING_HTML: &str = include_str!("client/waiting.html");
/// The script tag base.html writes in serve mode; the build id is added to it when served.
const CLIENT_SRC: &str = "__kijun/live-reload.js\"";

/// Characters to escape when a site path goes back into a Location header.
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Answers requests for ever (`server.rs` bounds connections, time and sizes); an event stream
/// holds its connection's thread for as long as the page stays open.
pub fn serve(listener: TcpListener, preview: Arc<Preview>) {
    server::run(listener, move |request, stream| {
        handle(request, stream, &preview)
    });
}

/// What one request gets: a status, a content type and bytes (borrowed from the build where
/// they can be), or the event stream.
enum Answer<'a> {
    Body {
        status: u16,
        content_type: String,
        bytes: std::borrow::Cow<'a, [u8]>,
        location: Option<String>,
    },
    Events,
}

fn handle(request: &Request, stream: &mut TcpStream, preview: &Preview) -> std::io::Result<Reply> {
    let host_ok = match (request.header("host"), stream.local_addr()) {
        (Some(host), Ok(local)) => preview.hosts.permits(host, local.ip()),
        // HTTP/1.0 without Host: nothing a browser (or a rebinding page) sends.
        (None, Ok(_)) => true,
        (_, Err(_)) => false,
    };
    if !host_ok {
        let message = "403 Forbidden: kijun serve answers only requests addressed to the names and addresses it listens on (add a name with --allow-host)\n";
        server::write_simple(stream, 403, message)?;
        return Ok(Reply::Taken);
    }
    let head_only = request.method == "HEAD";
    if !(head_only || request.method == "GET") {
        let body = b"only GET and HEAD are supported\n";
        let headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Allow", "GET, HEAD"),
            ("Connection", "close"),
        ];
        server::respond(stream, 405, &headers, body, false)?;
        return Ok(Reply::Taken);
    }
    let site = preview.current();
    match answer(request, head_only, site.as_deref()) {
        Answer::Events => {
            // The stream writes its own headers; it ends when the page goes away.
            preview.hub.stream_to(&mut *stream);
            Ok(Reply::Taken)
        }
        Answer::Body {
            status,
            content_type,
            bytes,
            location,
        } => {
            let mut headers = vec![
                ("Content-Type", content_type.as_str()),
                // A preview is never cached: every load shows the latest build.
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ];
            if let Some(location) = &location {
                headers.push(("Location", location));
            }
            server::respond(stream, status, &headers, &bytes, head_only)?;
            Ok(Reply::Done)
        }
    }
}

fn answer<'a>(request: &Request, head_only: bool, site: Option<&'a super::Snapshot>) -> Answer<'a> {
    match paths::resolve(&request.target) {
        Err(refused) => text(400, &format!("400 Bad Request: {}\n", refused.0)),
        Ok(Target::Internal(name)) if name == "events" && head_only => {
            body(200, "text/event-stream; charset=utf-8", Vec::new())
        }
        Ok(Target::Internal(name)) if name == "events" => Answer::Events,
        Ok(Target::Internal(name)) => internal(&name),
        Ok(Target::Site(path)) => site_file(site, &path, &request.target),
    }
}

fn internal(name: &str) -> Answer<'static> {
    match name {
        "live-reload.js" => body(200, "text/javascript; charset=utf-8", CLIENT_JS.into()),
        "live-reload.css" => body(200, "text/css; charset=utf-8", CLIENT_CSS.into()),
        _ => text(404, "404 Not Found\n"),
    }
}

fn site_file<'a>(
    site: Option<&'a super::Snapshot>,
    path: &str,
    request_target: &str,
) -> Answer<'a> {
    let Some(site) = site else {
        return body(503, "text/html; charset=utf-8", WAITING_HTML.into());
    };
    if let Some(bytes) = site.get(path) {
        let content_type = paths::content_type(path);
        return if path.ends_with(".html") {
            body(200, &content_type, stamp_build(bytes.as_ref(), &site.build))
        } else {
            Answer::Body {
                status: 200,
                content_type,
                bytes: std::borrow::Cow::Borrowed(bytes.as_ref()),
                location: None,
            }
        };
    }
    // `/x` names a folder with an index page: send the browser to `/x/`, as static hosts do,
    // so that the page's relative links resolve.
    if site.get(&format!("{path}/index.html")).is_some() {
        let mut location = format!("/{}/", utf8_percent_encode(path, PATH_ESCAPES));
        if let Some((_, query)) = request_target.split_once('?') {
            location.push('?');
            location.push_str(query);
        }
        // The query goes back as sent; a control character in it would split the header.
        if !location.bytes().any(|b| b.is_ascii_control()) {
            return Answer::Body {
                status: 301,
                content_type: "text/plain; charset=utf-8".into(),
                bytes: std::borrow::Cow::Borrowed(b"301 Moved Permanently\n"),
                location: Some(location),
            };
        }
    }
    match site.get("404.html") {
        Some(page) => body(
            404,
            "text/html; charset=utf-8",
            stamp_build(page.as_ref(), &site.build),
        ),
        None => text(404, "404 Not Found\n"),
    }
}

/// Tells the live-reload client which build the page came from: `live-reload.js?build=ID`.
/// A page loaded just before a rebuild then notices, when it connects, that it is out of date.
fn stamp_build(html: &[u8], build: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(html) else {
        return html.to_vec();
    };
    match text.rfind(CLIENT_SRC) {
        Some(at) => {
            let end = at + CLIENT_SRC.len() - 1;
            let mut out = String::with_capacity(text.len() + build.len() + 8);
            out.push_str(&text[..end]);
            out.push_str("?build=");
            out.push_str(build);
            out.push_str(&text[end..]);
            out.into_bytes()
        }
        None => html.to_vec(),
    }
}

fn body(status: u16, content_type: &str, bytes: Vec<u8>) -> Answer<'static> {
    Answer::Body {
        status,
        content_type: content_type.to_string(),
        bytes: std::borrow::Cow::Owned(bytes),
        location: None,
    }
}

fn text(status: u16, message: &str) -> Answer<'static> {
    body(
        status,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_the_build_into_the_client_script_tag() {
        let html = br#"<p>x</p><script src="../__kijun/live-reload.js"></script>"#;
        let stamped = String::from_utf8(stamp_build(html, "7-3")).unwrap();
        assert!(stamped.contains(r#"src="../__kijun/live-reload.js?build=7-3""#));
        assert_eq!(stamp_build(b"<p>no client</p>", "1"), b"<p>no client</p>");
    }
}
