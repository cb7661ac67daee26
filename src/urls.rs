//! Where each page lives in the built site.
//!
//! Pages are written as `<dir>/index.html`. Internal links are relative and name `index.html`
//! explicitly, so the site works from the host root, from a sub-path and opened from disk.
//! `href`s here are site-relative without a leading slash: `ja/measures/am-1/index.html`.

/// Folder names that plain pages may not take.
pub const RESERVED: &[&str] = &[
    "baseline",
    "matrix",
    "measures",
    "categories",
    "guidelines",
    "sectors",
    "frameworks",
    "search",
    "assessment",
    "glossary",
    "changes",
    "downloads",
    "static",
    "feed.xml",
    "redirects",
];

/// The page static hosts show for any missing address.
pub const NOT_FOUND: &str = "404.html";

pub fn slug(id: &str) -> String {
    id.to_ascii_lowercase()
}

pub fn home(lang: &str) -> String {
    format!("{lang}/index.html")
}
pub fn section(lang: &str, name: &str) -> String {
    format!("{lang}/{name}/index.html")
}
pub fn category(lang: &str, id: &str) -> String {
    format!("{lang}/categories/{}/index.html", slug(id))
}
pub fn measure(lang: &str, id: &str) -> String {
    format!("{lang}/measures/{}/index.html", slug(id))
}
pub fn guideline(lang: &str, id: &str) -> String {
    format!("{lang}/guidelines/{}/index.html", slug(id))
}
pub fn sector(lang: &str, id: &str) -> String {
    format!("{lang}/sectors/{}/index.html", slug(id))
}
pub fn page(lang: &str, id: &str) -> String {
    format!("{lang}/{}/index.html", slug(id))
}
pub fn framework(lang: &str, id: &str) -> String {
    format!("{lang}/frameworks/{}/index.html", slug(id))
}
pub fn glossary_term(lang: &str, id: &str) -> String {
    format!("{lang}/glossary/index.html#term-{}", slug(id))
}

/// The pretty form for manifests and canonical URLs: `ja/measures/am-1/index.html` → `/ja/measures/am-1/`.
pub fn pretty(href: &str) -> String {
    let path = href.strip_suffix("index.html").unwrap_or(href);
    format!("/{path}")
}

/// Relative prefix from the page at `from` back to the site root: `ja/a/index.html` → `../../`.
pub fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// Link from the page at `from` to `to`, both site-relative.
pub fn relative(from: &str, to: &str) -> String {
    format!("{}{}", root_prefix(from), to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_page() {
        assert_eq!(
            relative("ja/measures/am-1/index.html", "ja/index.html"),
            "../../../ja/index.html"
        );
        assert_eq!(relative("404.html", "ja/index.html"), "ja/index.html");
        assert_eq!(pretty("ja/measures/am-1/index.html"), "/ja/measures/am-1/");
    }
}
