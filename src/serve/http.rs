//! The HTTP side: site files from the in-memory snapshot, the live-reload client and the
//! event stream. Nothing is read from disk while serving.

use super::Preview;
use super::paths::{self, Target};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::io::Cursor;
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response, ResponseBox, Server};

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

/// Answers requests until the server is dropped; each request gets its own thread, since an
/// event stream holds its thread for as long as the page stays open.
pub fn serve(server: Arc<Server>, preview: Arc<Preview>) {
    for request in server.incoming_requests() {
        let preview = preview.clone();
        let spawned = std::thread::Builder::new()
            .name("kijun-serve-request".into())
            .spawn(move || handle(request, &preview));
        if let Err(e) = spawned {
            eprintln!("kijun serve: cannot answer a request: {e}");
        }
    }
}

fn handle(request: Request, preview: &Preview) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str());
    if preview.local_hosts_only && !host.is_none_or(paths::is_local_host) {
        let message =
            "403 Forbidden: kijun serve answers requests for localhost or an IP address only\n";
        let _ = request.respond(text(403, message));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = text(405, "only GET and HEAD are supported\n")
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    let response = match paths::resolve(request.url()) {
        Err(refused) => text(400, &format!("400 Bad Request: {}\n", refused.0)),
        Ok(Target::Internal(name)) if name == "events" && *request.method() == Method::Head => {
            body(200, "text/event-stream; charset=utf-8", Vec::new())
        }
        Ok(Target::Internal(name)) if name == "events" => {
            // The stream writes its own headers; it ends when the page goes away.
            preview.hub.stream_to(request.into_writer());
            return;
        }
        Ok(Target::Internal(name)) => internal(&name),
        Ok(Target::Site(path)) => site_file(preview, &path, request.url()),
    };
    // A client that went away is no error worth reporting.
    let _ = request.respond(response);
}

fn internal(name: &str) -> ResponseBox {
    match name {
        "live-reload.js" => body(200, "text/javascript; charset=utf-8", CLIENT_JS.into()),
        "live-reload.css" => body(200, "text/css; charset=utf-8", CLIENT_CSS.into()),
        _ => text(404, "404 Not Found\n"),
    }
}

fn site_file(preview: &Preview, path: &str, request_target: &str) -> ResponseBox {
    let Some(site) = preview.current() else {
        return body(503, "text/html; charset=utf-8", WAITING_HTML.into());
    };
    if let Some(bytes) = site.get(path) {
        let content_type = paths::content_type(path);
        return if path.ends_with(".html") {
            body(200, &content_type, stamp_build(bytes.as_ref(), &site.build))
        } else {
            let len = bytes.as_ref().len();
            Response::new(
                200.into(),
                common_headers(&content_type),
                Cursor::new(bytes.clone()),
                Some(len),
                None,
            )
            .boxed()
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
        if let Ok(h) = Header::from_bytes("Location", location.as_bytes()) {
            return text(301, "301 Moved Permanently\n").with_header(h);
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

fn body(status: u16, content_type: &str, bytes: Vec<u8>) -> ResponseBox {
    let len = bytes.len();
    Response::new(
        status.into(),
        common_headers(content_type),
        Cursor::new(bytes),
        Some(len),
        None,
    )
    .boxed()
}

fn text(status: u16, message: &str) -> ResponseBox {
    body(
        status,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

fn common_headers(content_type: &str) -> Vec<Header> {
    vec![
        header("Content-Type", content_type),
        // A preview is never cached: every load shows the latest build.
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ]
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("header names and values here are ASCII")
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
