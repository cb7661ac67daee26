//! A security audit of built HTML, shared by the integration tests, the property tests and the
//! fuzz targets: what a browser would run or follow is tokenised with a WHATWG tokenizer
//! (html5gum), not matched with regular expressions.
//!
//! Rules: every document carries a Content-Security-Policy meta that allows only the site's own
//! scripts; the only `<script>` elements are empty ones whose `src` is a `.js` file of the built
//! site; no event-handler attributes, inline styles or embedding
//! elements; every URL attribute is relative or http(s)/mailto.

#![allow(dead_code)] // each test crate uses a different part

use html5gum::{Token, Tokenizer};
use std::collections::BTreeMap;

/// Attributes whose value a browser follows or loads as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "cite",
    "poster",
    "data",
    "background",
    "ping",
    "manifest",
    "xlink:href",
    "srcset",
];

/// Elements that embed or run something, never produced by kijun.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "style", "svg", "math", "template",
    "portal",
];

/// Every problem found in the HTML files of a built site (path → bytes), as `path: problem`.
pub fn audit_site(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let is_root_page = !path.contains('/');
        for p in audit_html(
            &html,
            Context::Page {
                path,
                files,
                is_root_page,
            },
        ) {
            problems.push(format!("{path}: {p}"));
        }
    }
    problems
}

/// Every problem in an HTML fragment rendered from author Markdown: no scripts at all.
pub fn audit_fragment(html: &str) -> Vec<String> {
    audit_html(html, Context::Fragment)
}

enum Context<'a> {
    Page {
        path: &'a str,
        files: &'a BTreeMap<String, Vec<u8>>,
        /// `index.html` and `404.html` at the top: may set a base.
        is_root_page: bool,
    },
    Fragment,
}

fn audit_html(html: &str, ctx: Context) -> Vec<String> {
    let mut problems = Vec::new();
    let mut is_document = false;
    let mut csp_seen = false;
    let mut head_closed = false;
    let mut open_script = false;
    for Ok(token) in Tokenizer::new(html) {
        match token {
            Token::Doctype(_) => is_document = true,
            Token::StartTag(tag) => {
                let name = lower(&tag.name);
                let attrs: BTreeMap<String, String> = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| (lower(k), String::from_utf8_lossy(v).to_string()))
                    .collect();
                if name == "html" {
                    is_document = true;
                }
                for (attr, value) in &attrs {
                    if attr.starts_with("on") {
                        problems.push(format!("<{name}> has an event handler {attr}=\"{value}\""));
                    }
                    if attr == "style" {
                        problems.push(format!("<{name}> has an inline style (blocked by the CSP)"));
                    }
                    if URL_ATTRIBUTES.contains(&attr.as_str()) {
                        let urls: Vec<&str> = if attr == "srcset" {
                            value
                                .split(',')
                                .map(|c| c.trim().split(' ').next().unwrap_or(""))
                                .collect()
                        } else {
                            vec![value.as_str()]
                        };
                        for url in urls {
                            if !url_is_safe(url) {
                                problems
                                    .push(format!("<{name} {attr}=\"{value}\"> is not a safe URL"));
                            }
                        }
                    }
                }
                if FORBIDDEN_ELEMENTS.contains(&name.as_str()) {
                    problems.push(format!("<{name}> element"));
                }
                match name.as_str() {
                    "script" => {
                        open_script = true;
                        match (&ctx, attrs.get("src")) {
                            (Context::Page { path, files, .. }, Some(src)) => {
                                if !csp_seen {
                                    problems.push(
                                        "a script comes before the Content-Security-Policy".into(),
                                    );
                                }
                                let target = resolve(path, src);
                                // The site's own scripts: the theme's, the search indexes and the
                                // self-assessment's data files.
                                let own = (target.starts_with("static/")
                                    || target.starts_with("search/")
                                    || target.starts_with("assessment/"))
                                    && files.contains_key(&target);
                                if !own {
                                    problems.push(format!("<script src=\"{src}\"> is not one of the site's own scripts"));
                                }
                            }
                            _ => problems.push(format!("<script> {attrs:?}")),
                        }
                    }
                    "meta" => {
                        let equiv = attrs.get("http-equiv").map(|v| v.to_ascii_lowercase());
                        match equiv.as_deref() {
                            Some("content-security-policy") => {
                                if head_closed {
                                    problems.push(
                                        "the Content-Security-Policy is outside <head>".into(),
                                    );
                                }
                                let policy = attrs.get("content").map(String::as_str).unwrap_or("");
                                problems.extend(check_csp(policy));
                                csp_seen = true;
                            }
                            Some("refresh") => {
                                // The root page and redirects of retired ids stay in the site.
                                let allowed = matches!(ctx, Context::Page { .. });
                                let url = attrs
                                    .get("content")
                                    .and_then(|c| c.split_once("url="))
                                    .map(|(_, u)| u)
                                    .unwrap_or("");
                                if !allowed || has_scheme(url).is_some() || url.starts_with("//") {
                                    problems.push(format!("<meta http-equiv=refresh {attrs:?}>"));
                                }
                            }
                            Some(other) => problems.push(format!("<meta http-equiv=\"{other}\">")),
                            None => {}
                        }
                    }
                    "base" => {
                        let allowed = matches!(
                            ctx,
                            Context::Page {
                                is_root_page: true,
                                ..
                            }
                        );
                        let href = attrs.get("href").map(String::as_str).unwrap_or("");
                        if !allowed || has_scheme(href).is_some() || href.starts_with("//") {
                            problems.push(format!("<base href=\"{href}\">"));
                        }
                    }
                    _ => {}
                }
            }
            Token::EndTag(tag) => {
                let name = lower(&tag.name);
                if name == "head" {
                    head_closed = true;
                }
                if name == "script" {
                    open_script = false;
                }
            }
            Token::String(text)
                if open_script && !String::from_utf8_lossy(&text).trim().is_empty() =>
            {
                problems.push("a <script> with inline code".into());
            }
            _ => {}
        }
    }
    if is_document && !csp_seen {
        problems.push("no Content-Security-Policy meta".into());
    }
    problems
}

/// The policy allows only the site's own scripts, and no plugins.
fn check_csp(policy: &str) -> Vec<String> {
    let directives: BTreeMap<&str, Vec<&str>> = policy
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace();
            words.next().map(|name| (name, words.collect()))
        })
        .collect();
    let mut problems = Vec::new();
    match directives
        .get("script-src")
        .or_else(|| directives.get("default-src"))
    {
        Some(sources) if sources.iter().all(|s| *s == "'self'") => {}
        other => problems.push(format!("CSP script-src allows more than 'self': {other:?}")),
    }
    if directives.get("object-src") != Some(&vec!["'none'"]) {
        problems.push("CSP lacks object-src 'none'".into());
    }
    if !directives.contains_key("base-uri") {
        problems.push("CSP lacks base-uri".into());
    }
    problems
}

/// A URL that cannot run script or leave the allowed schemes: relative, or http(s)/mailto.
pub fn url_is_safe(url: &str) -> bool {
    match has_scheme(url) {
        None => true,
        Some(scheme) => matches!(scheme.as_str(), "http" | "https" | "mailto"),
    }
}

/// The scheme a browser would see: leading and trailing controls and spaces are stripped and
/// tabs and newlines removed everywhere, as the URL parser does.
fn has_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// `src` as a site path, seen from the page at `page` (both site-relative).
fn resolve(page: &str, src: &str) -> String {
    let src = src.split(['?', '#']).next().unwrap_or("");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own file name
    if src.starts_with('/') {
        parts.clear();
    }
    for segment in src.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn lower(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_ascii_lowercase()
}

#[cfg(test)]
mod self_tests {
    use super::*;

    #[test]
    fn the_audit_catches_what_it_must() {
        let bad = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\" jav\tascript:alert(1)\">x</a>",
            "<a href=\"data:text/html,x\">x</a>",
            "<a href=\"VBScript:x\">x</a>",
            "<iframe src=\"https://x\"></iframe>",
            "<p style=\"color:red\">x</p>",
        ];
        for html in bad {
            assert!(!audit_fragment(html).is_empty(), "{html} passes the audit");
        }
        let good = "<p><a href=\"../../ja/measures/am-1/index.html\">AM-1</a> <a href=\"https://example.org/\">x</a> &lt;script&gt;</p>";
        assert_eq!(audit_fragment(good), Vec::<String>::new());
    }

    #[test]
    fn site_scripts_must_be_files_of_the_site() {
        let mut files = BTreeMap::new();
        files.insert("static/js/a.js".to_string(), vec![]);
        let page = |script: &str| {
            format!(
                "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'\"></head><body>{script}</body></html>"
            )
        };
        files.insert(
            "ja/x/index.html".into(),
            page("<script src=\"../../static/js/a.js\"></script>").into_bytes(),
        );
        assert_eq!(audit_site(&files), Vec::<String>::new());
        files.insert(
            "ja/x/index.html".into(),
            page("<script src=\"../../static/js/evil.js\"></script>").into_bytes(),
        );
        assert_eq!(audit_site(&files).len(), 1);
        files.insert(
            "ja/x/index.html".into(),
            "<!DOCTYPE html><html><head></head></html>".into(),
        );
        assert_eq!(audit_site(&files).len(), 1, "missing CSP");
    }
}
