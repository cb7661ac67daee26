//! Measure body sections in the two forms exports need: readable plain text for a spreadsheet
//! cell (paragraphs and list items on their own lines), and Markdown for OSCAL prose with
//! cross-references turned into links that work away from the site.

use super::refs::Refs;
use crate::model::{BodySection, MeasureText, SectionKind};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn section(text: &MeasureText, kind: SectionKind) -> Option<&BodySection> {
    text.sections.iter().find(|s| s.kind == Some(kind))
}

/// Plain text of Markdown for a spreadsheet cell: one line per paragraph, list item or table
/// row, bullets written out, empty cross-reference links filled with the target's id and title.
pub fn plain_text(md: &str, refs: &Refs) -> String {
    let mut out = String::new();
    // Per open list: the next number for ordered lists, None for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link_start: Vec<(usize, String)> = Vec::new();
    let mut soft_break = false;
    let mut first_cell = true;
    // Never "- ": a cell starting with `-` is a formula to a spreadsheet (`#NAME?` in Excel).
    let bullet = if refs.lang() == "ja" { "・" } else { "• " };
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if soft_break && needs_space(&out, &t) {
                    out.push(' ');
                }
                soft_break = false;
                out.push_str(&t);
            }
            Event::SoftBreak => soft_break = true,
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::List(start)) => {
                end_line(&mut out);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                end_line(&mut out);
                out.push_str(&"  ".repeat(lists.len().saturating_sub(1)));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str(bullet),
                }
            }
            Event::Start(Tag::TableRow | Tag::TableHead) => {
                end_line(&mut out);
                first_cell = true;
            }
            Event::Start(Tag::TableCell) => {
                if !first_cell {
                    out.push_str(" | ");
                }
                first_cell = false;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_start.push((out.len(), dest_url.to_string()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, dest)) = link_start.pop() {
                    let target = refs.resolve(&dest);
                    if out.len() == start {
                        out.push_str(&target.map(|t| t.label).unwrap_or(dest));
                    } else if target.is_none() && dest.starts_with("http") && out[start..] != dest {
                        out.push_str(&format!(" ({dest})"));
                    }
                }
            }
            Event::FootnoteReference(label) => out.push_str(&format!("[{label}]")),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            )
            | Event::Rule => end_line(&mut out),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn end_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// A soft line break joins words with a space, except between Japanese characters, where the
/// source's line wrapping must not add one.
fn needs_space(before: &str, after: &str) -> bool {
    match (before.chars().last(), after.chars().next()) {
        (Some(a), Some(b)) => !(is_wide(a) || is_wide(b) || a.is_whitespace()),
        _ => false,
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF     // CJK punctuation, hiragana, katakana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xFF00..=0xFFEF) // full-width forms
}

/// The Markdown as written, with cross-references rewritten for an OSCAL document: measures
/// become in-document links to their control (`#am-1`), everything else an absolute URL; empty
/// link text gets the target's label. Raw HTML is escaped unless the site trusts its authors.
pub fn oscal_markdown(
    md: &str,
    refs: &Refs,
    control_href: &dyn Fn(&str) -> String,
    allow_raw_html: bool,
) -> String {
    // (byte range in `md`, replacement text), in document order.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut open: Option<OpenLink> = None;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                depth += 1;
                if depth == 1
                    && let Some(target) = refs.resolve(&dest_url)
                {
                    open = Some(OpenLink {
                        whole: range.clone(),
                        target,
                        text: None,
                    });
                }
            }
            Event::End(TagEnd::Link) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(link) = open.take()
                {
                    let label = match link.text {
                        Some((a, b)) => md[a..b].to_string(),
                        None => escape_link_text(&link.target.label),
                    };
                    let href = if link.target.kind == "measure" {
                        control_href(&link.target.id)
                    } else {
                        link.target.url.clone()
                    };
                    edits.push((link.whole, format!("[{label}]({href})")));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if !allow_raw_html => {
                if open.is_none() {
                    edits.push((range.clone(), escape_html(&md[range.clone()])));
                }
            }
            _ => {
                if let Some(link) = open.as_mut() {
                    let (a, b) = link.text.get_or_insert((range.start, range.end));
                    *a = (*a).min(range.start);
                    *b = (*b).max(range.end);
                }
            }
        }
    }
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for (range, text) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&md[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&md[at..]);
    out
}

/// A cross-reference link being read: its whole source range, its target, and the source range
/// of its text (none for `[](measure:AM-1)`).
struct OpenLink {
    whole: std::ops::Range<usize>,
    target: super::refs::Target,
    text: Option<(usize, usize)>,
}

fn escape_link_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_breaks_join_japanese_without_a_space() {
        assert!(!needs_space("台帳を", "整備する"));
        assert!(needs_space("keep an", "inventory"));
        assert!(!needs_space("AM-1を", "参照"));
    }

    #[test]
    fn wide_characters_are_recognised() {
        assert!(is_wide('資'));
        assert!(is_wide('。'));
        assert!(is_wide('カ'));
        assert!(!is_wide('A'));
    }
}
