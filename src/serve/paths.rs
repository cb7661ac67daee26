//! Request paths → site files, refusing anything that is not a plain path into the site.
//!
//! The server only ever looks files up in the in-memory build output, so a crafted path cannot
//! reach the disk; refusing odd paths outright still keeps the behaviour obvious and testable.

use percent_encoding::percent_decode_str;

/// Where the server's own files live; no site page can be written under it.
pub const INTERNAL_PREFIX: &str = "__kijun/";

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the built site, site-relative (`ja/measures/am-1/index.html`).
    Site(String),
    /// One of the server's own files (`live-reload.js`, `events`, ...).
    Internal(String),
}

/// Why a path was refused, for the 400 response body.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// Turns the request target of an HTTP request line into a site path, or refuses it.
pub fn resolve(request_target: &str) -> Result<Target, Refused> {
    // Only origin-form targets (`/path?query`); absolute-form (`http://...`) and `*` are for proxies.
    if !request_target.starts_with('/') {
        return Err(Refused("the request target must start with /"));
    }
    let raw_path = request_target
        .split(['?', '#'])
        .next()
        .unwrap_or(request_target);
    if raw_path.contains('\\') {
        return Err(Refused("backslashes are not allowed in paths"));
    }
    let decoded = percent_decode_str(raw_path)
        .decode_utf8()
        .map_err(|_| Refused("the path is not valid UTF-8"))?;
    // A `%` left after one decoding means the path was encoded twice (`%252e%252e`).
    if decoded.contains('%') {
        return Err(Refused("double-encoded paths are not allowed"));
    }
    if decoded.chars().any(char::is_control) {
        return Err(Refused(
            "control characters (such as NUL) are not allowed in paths",
        ));
    }
    if decoded.contains('\\') {
        return Err(Refused("backslashes are not allowed in paths"));
    }
    let rel = &decoded[1..];
    if rel.starts_with('/') {
        return Err(Refused("absolute paths are not allowed"));
    }
    let segments: Vec<&str> = rel.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        // `.`, `..` and hidden files (`.git`, `.env`): kijun never writes names starting with a dot.
        if segment.starts_with('.') {
            return Err(Refused(
                "`.`, `..` and names starting with a dot are not allowed",
            ));
        }
        // `a//b` is refused too: an empty segment anywhere but at the end (`/x/`) is suspicious.
        if segment.is_empty() && i != last {
            return Err(Refused("empty path segments are not allowed"));
        }
        if segment.contains(':') && i == 0 {
            return Err(Refused(
                "drive letters and schemes are not allowed in paths",
            ));
        }
    }
    if let Some(own) = rel.strip_prefix(INTERNAL_PREFIX) {
        return Ok(Target::Internal(own.to_string()));
    }
    // `/x/` serves `/x/index.html`; `/` serves `index.html`.
    let site_path = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    Ok(Target::Site(site_path))
}

/// The Content-Type for a site file, with a charset for text.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if textual {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(p: &str) -> Result<Target, Refused> {
        Ok(Target::Site(p.to_string()))
    }

    #[test]
    fn plain_paths_map_to_site_files() {
        assert_eq!(resolve("/"), site("index.html"));
        assert_eq!(
            resolve("/ja/measures/am-1/"),
            site("ja/measures/am-1/index.html")
        );
        assert_eq!(
            resolve("/static/css/kijun.css?v=1#x"),
            site("static/css/kijun.css")
        );
        assert_eq!(
            resolve("/ja/%E6%A4%9C%E7%B4%A2/"),
            site("ja/検索/index.html")
        );
        assert_eq!(
            resolve("/__kijun/live-reload.js"),
            Ok(Target::Internal("live-reload.js".into()))
        );
    }

    #[test]
    fn traversal_in_every_form_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/ja/../../etc/passwd",
            "/..",
            "/./index.html",
            "/.git/config",
            "/ja/.env",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/%252e%252e/etc/passwd",
            "//etc/passwd",
            "/%2Fetc%2Fpasswd",
            "/..\\etc\\passwd",
            "/%5c..%5cetc",
            "/index.html%00.css",
            "/ja%00/index.html",
            "/C:/Windows/win.ini",
            "/%ff%fe",
            "http://127.0.0.1/index.html",
            "etc/passwd",
            "*",
        ] {
            assert!(resolve(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn types_carry_a_charset_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("static/css/kijun.css"),
            "text/css; charset=utf-8"
        );
        assert!(content_type("static/js/filters.js").ends_with("javascript; charset=utf-8"));
        assert_eq!(
            content_type("downloads/baseline.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("a.unknownext"), "application/octet-stream");
    }
}
