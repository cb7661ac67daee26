//! Markdown to HTML: tables, footnotes, stable heading anchors (Japanese too), cross-references
//! such as `[](measure:AM-1)`, and raw HTML escaped unless the site trusts its authors.

use crate::diagnostics::{Diagnostic, SourceText};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashSet;

/// Schemes an author may use to link another page of the baseline by its stable id.
pub const REFERENCE_KINDS: &[&str] = &[
    "measure",
    "category",
    "guideline",
    "sector",
    "page",
    "glossary",
];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Resolves `kind:id` to (site-relative href, link label) in one language.
pub trait Resolver {
    fn resolve(&self, kind: &str, id: &str) -> Result<(String, String), String>;
}

pub struct RenderContext<'a> {
    pub src: &'a SourceText,
    /// Byte offset of the Markdown within `src`, for positions.
    pub base: usize,
    /// Where escapes in a front-matter string shift positions (`crate::strpos`); empty for
    /// Markdown read verbatim.
    pub shifts: &'a [(usize, usize)],
    /// Site-relative href of the page being rendered, for relative links.
    pub page_href: &'a str,
    /// `kind:id` of the page itself, to catch self references.
    pub self_ref: Option<(&'a str, &'a str)>,
    pub resolver: &'a dyn Resolver,
    pub allow_raw_html: bool,
}

impl RenderContext<'_> {
    /// Byte offset in the file of byte `offset` of the text being rendered.
    pub fn file_offset(&self, offset: usize) -> usize {
        crate::strpos::StringPos::shifted(self.base, self.shifts, offset)
    }
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub plain: String,
    pub headings: Vec<Heading>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders inline Markdown (a statement or a note) without wrapping it in a paragraph.
pub fn render_inline(md: &str, ctx: &RenderContext, diags: &mut Vec<Diagnostic>) -> Rendered {
    let mut r = render(md, ctx, diags);
    if let Some(inner) = r
        .html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>\n"))
    {
        if !inner.contains("<p>") {
            r.html = inner.to_string();
        }
    }
    r
}

pub fn render(md: &str, ctx: &RenderContext, diags: &mut Vec<Diagnostic>) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    // Index in `events` of the open heading's start, and its text so far.
    let mut heading: Option<(usize, String)> = None;
    let mut pending_empty_link: Option<String> = None;
    // One entry per open image: true when its unsafe source was dropped (its alt text stays).
    let mut images: Vec<bool> = Vec::new();

    let parser = Parser::new_ext(md, options()).into_offset_iter();
    for (event, range) in parser {
        let event = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((events.len(), String::new()));
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let explicit = match &events[start] {
                        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                        _ => None,
                    };
                    let id = unique_id(explicit.unwrap_or_else(|| slugify(&text)), &mut used_ids);
                    events[start] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id.clone())),
                        classes: vec![],
                        attrs: vec![],
                    });
                    out.headings.push(Heading {
                        level: heading_number(level),
                        id,
                        text,
                    });
                }
                out.plain.push(' ');
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve_destination(
                    &dest_url,
                    ctx,
                    range.start,
                    diags,
                    &mut pending_empty_link,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) => {
                if let Some(label) = pending_empty_link.take() {
                    // `[](measure:AM-1)`: no text was given, so show the target's id and title.
                    if matches!(events.last(), Some(Event::Start(Tag::Link { .. }))) {
                        out.plain.push_str(&label);
                        events.push(Event::Text(label.into()));
                    }
                }
                Event::End(TagEnd::Link)
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let safe = is_safe_url(&dest_url);
                images.push(!safe);
                if !safe {
                    diags.push(
                        ctx.src
                            .warning(
                                ctx.file_offset(range.start),
                                format!("image `{}` was replaced by its alt text: only http, https and relative sources are allowed", short(&dest_url)),
                            )
                            .with_help("put the image file beside the page and link it with a relative path"),
                    );
                    continue;
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                if images.pop() == Some(true) {
                    continue;
                }
                Event::End(TagEnd::Image)
            }
            Event::Start(Tag::HtmlBlock) if !ctx.allow_raw_html => {
                warn_raw_html(md, range.clone(), ctx, diags);
                Event::Start(Tag::Paragraph)
            }
            Event::InlineHtml(raw) if !ctx.allow_raw_html => {
                if !raw.starts_with("</") {
                    warn_raw_html(md, range.clone(), ctx, diags);
                }
                out.plain.push_str(&raw);
                Event::Text(raw)
            }
            Event::Html(raw) if !ctx.allow_raw_html => {
                // Shown as text, never interpreted: content may come from many hands.
                out.plain.push_str(&raw);
                Event::Text(raw)
            }
            Event::End(TagEnd::HtmlBlock) if !ctx.allow_raw_html => Event::End(TagEnd::Paragraph),
            Event::Text(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                out.plain.push_str(&t);
                Event::Text(t)
            }
            Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                out.plain.push_str(&t);
                Event::Code(t)
            }
            Event::SoftBreak | Event::HardBreak => {
                out.plain.push(' ');
                event
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock,
            ) => {
                out.plain.push(' ');
                event
            }
            other => other,
        };
        events.push(event);
    }
    let _ = LinkType::Inline; // link types pass through unchanged
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out.plain = collapse_whitespace(&out.plain);
    out
}

fn resolve_destination(
    dest: &str,
    ctx: &RenderContext,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
    pending_empty_link: &mut Option<String>,
) -> String {
    if let Some((kind, id)) = dest.split_once(':') {
        if REFERENCE_KINDS.contains(&kind) {
            if ctx.self_ref == Some((kind, id)) {
                diags.push(
                    ctx.src
                        .error(
                            ctx.file_offset(offset),
                            format!("`{dest}` links the page to itself"),
                        )
                        .with_help("link another page, or use a heading anchor such as (#heading)"),
                );
            }
            return match ctx.resolver.resolve(kind, id) {
                Ok((href, label)) => {
                    *pending_empty_link = Some(label);
                    crate::urls::relative(ctx.page_href, &href)
                }
                Err(why) => {
                    diags.push(
                        ctx.src
                            .error(
                                ctx.file_offset(offset),
                                format!("broken reference `{dest}`: {why}"),
                            )
                            .with_help(format!(
                                "check the id; references look like [](measure:AM-1) with kinds {}",
                                REFERENCE_KINDS.join(", ")
                            )),
                    );
                    "#".into()
                }
            };
        }
    }
    if is_safe_url(dest) {
        dest.to_string()
    } else {
        diags.push(
            ctx.src
                .warning(ctx.file_offset(offset), format!("link `{dest}` was removed: only http, https, mailto and relative links are allowed"))
                .with_help("write a web address starting with https://"),
        );
        "#".into()
    }
}

/// Raw HTML is shown as text unless the site trusts its authors; say so where it is written.
fn warn_raw_html(
    md: &str,
    range: std::ops::Range<usize>,
    ctx: &RenderContext,
    diags: &mut Vec<Diagnostic>,
) {
    let first_line = md[range.clone()].lines().next().unwrap_or("");
    diags.push(
        ctx.src
            .warning(
                ctx.file_offset(range.start),
                format!("raw HTML `{}` is shown as text, not run", short(first_line.trim())),
            )
            .with_help("write Markdown instead, or put code in `backticks`; a site whose authors are all trusted may set allow_raw_html = true in kijun.toml"),
    );
}

/// At most 40 characters of `s`, for messages.
fn short(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// Only schemes that cannot run script.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _))
            if !scheme.contains('/') && !scheme.contains('#') && !scheme.contains('?') =>
        {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// A stable anchor id: ASCII lower-cased, letters of any script kept (so Japanese headings keep
/// readable ids), everything else collapsed to single dashes.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl Resolver for Fixed {
        fn resolve(&self, kind: &str, id: &str) -> Result<(String, String), String> {
            if kind == "measure" && id == "AM-1" {
                Ok(("ja/measures/am-1/index.html".into(), "AM-1 資産台帳".into()))
            } else {
                Err("no such measure".into())
            }
        }
    }

    fn run(md: &str, raw: bool) -> (Rendered, Vec<Diagnostic>) {
        let src = SourceText::named("x.ja.md", md);
        let ctx = RenderContext {
            src: &src,
            base: 0,
            shifts: &[],
            page_href: "ja/guidelines/g/index.html",
            self_ref: Some(("guideline", "g")),
            resolver: &Fixed,
            allow_raw_html: raw,
        };
        let mut diags = vec![];
        let r = render(md, &ctx, &mut diags);
        (r, diags)
    }

    #[test]
    fn japanese_headings_get_stable_unique_ids() {
        let (r, _) = run(
            "## なぜ重要か\n\n## なぜ重要か\n\n## Why it matters\n",
            false,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["なぜ重要か", "なぜ重要か-2", "why-it-matters"]);
        assert!(r.html.contains("<h2 id=\"なぜ重要か\">"));
    }

    #[test]
    fn references_resolve_relative_and_fill_empty_text() {
        let (r, d) = run("See [](measure:AM-1).", false);
        assert!(d.is_empty());
        assert!(
            r.html
                .contains("href=\"../../../ja/measures/am-1/index.html\""),
            "{}",
            r.html
        );
        assert!(r.html.contains(">AM-1 資産台帳</a>"));
    }

    #[test]
    fn broken_and_self_references_are_errors_with_position() {
        let (_, d) = run("line\n\n[x](measure:ZZ-9) [y](guideline:g)", false);
        assert_eq!((d[0].line, d[0].column), (3, 1));
        assert!(d[0].message.contains("ZZ-9"));
        assert!(
            d.iter()
                .any(|x| x.message.contains("itself") && x.column == 19),
            "{d:?}"
        );
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let (r, _) = run("<script>alert(1)</script>\n\nok <b>x</b>", false);
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(
            r.html.contains("<p>ok &lt;b&gt;x&lt;/b&gt;</p>"),
            "{}",
            r.html
        );
        let (r, _) = run("ok <b>x</b>", true);
        assert!(r.html.contains("<b>x</b>"));
    }

    #[test]
    fn script_urls_are_dropped() {
        let (r, d) = run("[x](javascript:alert(1))", false);
        assert!(!r.html.contains("javascript"));
        assert_eq!(d.len(), 1);
    }

    /// The HTML of `md` rendered as a whole page body, and how many warnings it gave.
    fn html(md: &str, raw: bool) -> (String, usize) {
        let (r, d) = run(md, raw);
        (r.html, d.len())
    }

    #[test]
    fn ordinary_links_are_kept_exactly() {
        for (md, href) in [
            (
                "[site](https://example.org/a?b=1#c)",
                "https://example.org/a?b=1#c",
            ),
            ("[site](http://example.org/)", "http://example.org/"),
            ("[site](HTTPS://example.org/)", "HTTPS://example.org/"),
            ("[site](mailto:soc@example.org)", "mailto:soc@example.org"),
            ("[site](../measures/am-1/)", "../measures/am-1/"),
            ("[site](#why)", "#why"),
            ("[site](a/b:c)", "a/b:c"),
            ("[site](?q=x:y)", "?q=x:y"),
            ("[site](#x:y)", "#x:y"),
        ] {
            assert_eq!(
                html(md, false),
                (format!("<p><a href=\"{href}\">site</a></p>\n"), 0),
                "{md}"
            );
        }
    }

    #[test]
    fn script_and_data_links_become_inert_with_a_warning() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](<javascript:alert(1)>)",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html,hi)",
            "[x](file:///etc/passwd)",
        ] {
            let (r, d) = run(md, false);
            assert_eq!(r.html, "<p><a href=\"#\">x</a></p>\n", "{md}");
            assert_eq!(d.len(), 1, "{md}");
            assert!(d[0].message.contains("was removed"), "{}", d[0].message);
        }
        let (_, d) = run("text\n\nsee [x](javascript:alert(1))", false);
        assert_eq!((d[0].line, d[0].column), (3, 5), "{d:?}");
    }

    #[test]
    fn safe_images_are_kept_exactly() {
        for src in [
            "https://example.org/a.png",
            "http://example.org/a.png",
            "img/diagram.svg",
            "../a.png",
        ] {
            assert_eq!(
                html(&format!("![図 1]({src})"), false),
                (format!("<p><img src=\"{src}\" alt=\"図 1\" /></p>\n"), 0),
                "{src}"
            );
        }
    }

    #[test]
    fn script_and_data_images_are_replaced_by_their_alt_text() {
        for src in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:image/svg+xml,x",
            "vbscript:x",
        ] {
            let (r, d) = run(&format!("before ![図 *1*]({src}) after"), false);
            assert_eq!(r.html, "<p>before 図 <em>1</em> after</p>\n", "{src}");
            assert_eq!(r.plain, "before 図 1 after");
            assert_eq!(d.len(), 1, "{src}");
            assert!(d[0].message.contains("replaced by its alt text"));
            assert_eq!((d[0].line, d[0].column), (1, 8), "{src}");
        }
        // An unsafe image inside a safe one's alt text leaves the safe one whole.
        let (r, d) = run("![a ![b](javascript:x) c](ok.png)", false);
        assert_eq!(r.html, "<p><img src=\"ok.png\" alt=\"a b c\" /></p>\n");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn inline_raw_html_is_text_when_not_allowed_and_markup_when_allowed() {
        let (r, d) = run("ok <b>x</b>", false);
        assert_eq!(r.html, "<p>ok &lt;b&gt;x&lt;/b&gt;</p>\n");
        assert_eq!(r.plain, "ok <b>x</b>");
        assert_eq!(d.len(), 1, "one warning, at the opening tag: {d:?}");
        assert_eq!(d[0].column, 4);
        assert!(d[0].message.contains("`<b>`"), "{}", d[0].message);

        let (r, d) = run("ok <b>x</b>", true);
        assert_eq!(r.html, "<p>ok <b>x</b></p>\n");
        assert_eq!(r.plain, "ok x");
        assert!(d.is_empty());
    }

    #[test]
    fn block_raw_html_is_a_text_paragraph_when_not_allowed_and_markup_when_allowed() {
        let md = "<div onclick=\"x()\">\nhi\n</div>\n";
        let (r, d) = run(md, false);
        assert_eq!(
            r.html,
            "<p>&lt;div onclick=\"x()\"&gt;\nhi\n&lt;/div&gt;\n</p>\n"
        );
        assert_eq!(r.plain, "<div onclick=\"x()\"> hi </div>");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (1, 1));
        assert!(d[0].message.contains("`<div onclick=\"x()\">`"));

        let (r, d) = run(md, true);
        assert_eq!(r.html, md);
        assert!(d.is_empty());
    }

    #[test]
    fn a_long_raw_html_line_is_cut_to_40_characters_in_the_message() {
        let tag = format!("<span title=\"{}\">", "あ".repeat(50));
        let (_, d) = run(&format!("x {tag}y"), false);
        let expected: String = tag.chars().take(40).collect();
        assert!(
            d[0].message.contains(&format!("`{expected}…`")),
            "{}",
            d[0].message
        );
        // Exactly 40 characters are shown whole.
        let (_, d) = run(&format!("x <i title=\"{}\">y", "a".repeat(28)), false);
        assert!(
            d[0].message.ends_with("\">` is shown as text, not run"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn inline_rendering_drops_only_a_single_paragraph() {
        let src = SourceText::named("x.ja.md", String::new());
        let ctx = RenderContext {
            src: &src,
            base: 0,
            shifts: &[],
            page_href: "ja/index.html",
            self_ref: None,
            resolver: &Fixed,
            allow_raw_html: false,
        };
        let inline = |md: &str| render_inline(md, &ctx, &mut vec![]).html;
        assert_eq!(inline("a *b*"), "a <em>b</em>");
        assert_eq!(inline("a\n\nb"), "<p>a</p>\n<p>b</p>\n");
        assert_eq!(inline("- a"), "<ul>\n<li>a</li>\n</ul>\n");
    }

    #[test]
    fn headings_are_listed_with_level_text_and_plain_text_is_spaced() {
        let (r, _) = run(
            "# One `code`\n\n### Three {#own}\n\n## !!\n\npara\nline",
            false,
        );
        assert_eq!(
            r.headings,
            [
                Heading {
                    level: 1,
                    id: "one-code".into(),
                    text: "One code".into()
                },
                Heading {
                    level: 3,
                    id: "own".into(),
                    text: "Three".into()
                },
                Heading {
                    level: 2,
                    id: "section".into(),
                    text: "!!".into()
                },
            ]
        );
        assert!(r.html.contains("<h3 id=\"own\">Three</h3>"), "{}", r.html);
        assert_eq!(r.plain, "One code Three !! para line");
        let (r, _) = run("- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |", false);
        assert_eq!(r.plain, "a b x y 1 2");
    }

    #[test]
    fn slugs_collapse_punctuation_and_keep_letters_of_any_script() {
        assert_eq!(slugify("  Why -- it, matters?  "), "why-it-matters");
        assert_eq!(slugify("重要インフラ (2026)"), "重要インフラ-2026");
        assert_eq!(slugify("!!"), "section");
        let mut used = HashSet::new();
        let ids: Vec<_> = ["a", "a", "a", "a-2"]
            .iter()
            .map(|b| unique_id(b.to_string(), &mut used))
            .collect();
        assert_eq!(ids, ["a", "a-2", "a-3", "a-2-2"]);
    }

    #[test]
    fn tables_and_footnotes_render() {
        let (r, _) = run(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: note\n",
            false,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
    }
}
