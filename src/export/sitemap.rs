//! `sitemap.xml` with every page and its language versions (`xhtml:link` hreflang alternates,
//! the same ones each page's `<head>` names), and `robots.txt` pointing to it. These are the
//! only files besides the canonical links that need absolute URLs; they come from `base_url`.
//! (Crawlers read `robots.txt` only at the root of a host: on a sub-path it is informational.)

use super::refs::absolute_url;
use crate::model::Baseline;
use crate::output::Made;
use crate::write::OutputFile;
use std::collections::BTreeSet;

/// `site` is every file of the built site. Its pages are the `.html` files except `404.html` and
/// pages that only send the reader elsewhere (a meta refresh: the root language chooser,
/// redirects from old URLs), which a site map must not list.
pub fn files(b: &Baseline, site: &[Made]) -> Vec<OutputFile> {
    let base = b.config.base_url();
    let pages: BTreeSet<&str> = site
        .iter()
        .filter(|f| f.path.ends_with(".html") && f.path != "404.html" && !f.redirect)
        .map(|f| f.path.as_str())
        .collect();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    // Pages in language order, then path order, so each language's pages stay together.
    let mut ordered: Vec<&str> = Vec::with_capacity(pages.len());
    ordered.extend(pages.iter().filter(|p| language_of(b, p).is_none()));
    for lang in &b.languages {
        ordered.extend(
            pages
                .iter()
                .filter(|p| language_of(b, p) == Some(lang.as_str())),
        );
    }
    for page in ordered {
        xml.push_str("  <url>\n");
        xml.push_str(&format!("    <loc>{}</loc>\n", url(&base, page)));
        if let Some(lang) = language_of(b, page) {
            let rest = &page[lang.len() + 1..];
            for other in &b.languages {
                let alt = format!("{other}/{rest}");
                if pages.contains(alt.as_str()) {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{other}\" href=\"{}\"/>\n",
                        url(&base, &alt)
                    ));
                }
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    let robots = format!(
        "# {} ({})\nUser-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        b.config.language(&b.config.default_language).title,
        b.config.revision,
        base
    );
    vec![
        OutputFile::new("sitemap.xml", xml),
        OutputFile::new("robots.txt", robots),
    ]
}

/// Whether an HTML page only redirects (a meta refresh in its head).
pub fn redirects(html: &[u8]) -> bool {
    let needle = b"http-equiv=\"refresh\"";
    html[..html.len().min(4096)]
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn language_of<'a>(b: &'a Baseline, page: &str) -> Option<&'a str> {
    b.languages
        .iter()
        .find(|l| page.starts_with(&format!("{l}/")))
        .map(String::as_str)
}

/// Absolute URL, percent-encoded where a path is not plain ASCII, and escaped for XML.
fn url(base: &str, href: &str) -> String {
    let raw = absolute_url(base, href);
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_ascii() && !c.is_ascii_whitespace() => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_pretty_encoded_and_escaped() {
        assert_eq!(
            url("https://x.jp/k/", "ja/measures/am-1/index.html"),
            "https://x.jp/k/ja/measures/am-1/"
        );
        assert_eq!(
            url("https://x.jp/", "ja/用語/index.html"),
            "https://x.jp/ja/%E7%94%A8%E8%AA%9E/"
        );
        assert_eq!(
            url("https://x.jp/?a=1&b=2/", "x.html"),
            "https://x.jp/?a=1&amp;b=2/x.html"
        );
    }
}
