//! A measure's body split on its fixed `##` headings (docs/content-format.md): "why it matters",
//! "what done looks like" and "minimal approach for small operators". Pages show the body whole;
//! exports (CSV, Excel, OSCAL) put each section in its own column or part, so the split is done
//! once, here, where positions for warnings are still known.

use crate::diagnostics::Diagnostic;
use crate::load::SourceDoc;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Why,
    Done,
    Minimal,
}

impl SectionKind {
    pub const ALL: [SectionKind; 3] = [SectionKind::Why, SectionKind::Done, SectionKind::Minimal];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Why => "why",
            SectionKind::Done => "done",
            SectionKind::Minimal => "minimal",
        }
    }

    /// The fixed heading in `lang`, for the languages the content format defines.
    pub fn heading(self, lang: &str) -> Option<&'static str> {
        let (ja, en) = match self {
            SectionKind::Why => ("なぜ重要か", "Why it matters"),
            SectionKind::Done => ("達成の目安", "What done looks like"),
            SectionKind::Minimal => (
                "小規模事業者の最小実施例",
                "Minimal approach for small operators",
            ),
        };
        match lang {
            "ja" => Some(ja),
            "en" => Some(en),
            _ => None,
        }
    }
}

/// One `##` section of a measure body (or the text before the first heading).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodySection {
    /// `None` for text before the first heading and for headings that are not fixed ones.
    pub kind: Option<SectionKind>,
    pub heading: String,
    /// The Markdown under the heading as written (cross-references not yet resolved).
    pub markdown: String,
}

/// Splits the body of `doc` on its level-2 headings. Headings that are not the fixed ones, and
/// fixed ones that are missing, are warnings: the page is fine, but an export column stays empty.
pub fn split(doc: &SourceDoc, diags: &mut Vec<Diagnostic>) -> Vec<BodySection> {
    let body = doc.body_text();
    let headings = level2_headings(body);
    let known = SectionKind::Why.heading(&doc.lang).is_some();
    let mut sections = Vec::with_capacity(headings.len() + 1);
    let preamble = body[..headings.first().map_or(body.len(), |h| h.start)].trim();
    if !preamble.is_empty() {
        sections.push(BodySection {
            kind: None,
            heading: String::new(),
            markdown: preamble.to_string(),
        });
    }
    for (i, h) in headings.iter().enumerate() {
        let end = headings.get(i + 1).map_or(body.len(), |next| next.start);
        let kind = if known {
            SectionKind::ALL
                .into_iter()
                .find(|k| k.heading(&doc.lang) == Some(h.text.as_str()))
        } else {
            // No fixed headings known for this language: go by position.
            SectionKind::ALL.get(i).copied()
        };
        let kind = kind.filter(|k| !sections.iter().any(|s: &BodySection| s.kind == Some(*k)));
        if kind.is_none() && known {
            diags.push(
                doc.src
                    .warning(
                        doc.body.start + h.start,
                        format!(
                            "`## {}` is not one of the fixed measure headings, or repeats one",
                            h.text
                        ),
                    )
                    .with_help(format!(
                        "use each of {} once; exports (CSV, Excel, OSCAL) split the body on them",
                        fixed_list(&doc.lang)
                    )),
            );
        }
        sections.push(BodySection {
            kind,
            heading: h.text.clone(),
            markdown: body[h.end..end].trim().to_string(),
        });
    }
    if known {
        for kind in SectionKind::ALL {
            if !sections.iter().any(|s| s.kind == Some(kind)) {
                let heading = kind.heading(&doc.lang).unwrap_or_default();
                diags.push(
                    doc.src
                        .warning(
                            doc.body.start,
                            format!("the body has no `## {heading}` section"),
                        )
                        .with_help(format!(
                            "add it; the matching export column stays empty until then (headings: {})",
                            fixed_list(&doc.lang)
                        )),
                );
            }
        }
    }
    sections
}

fn fixed_list(lang: &str) -> String {
    SectionKind::ALL
        .iter()
        .filter_map(|k| k.heading(lang))
        .map(|h| format!("`## {h}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

struct HeadingAt {
    /// Byte range of the heading line within the body.
    start: usize,
    end: usize,
    text: String,
}

fn level2_headings(body: &str) -> Vec<HeadingAt> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut out = Vec::new();
    let mut open: Option<HeadingAt> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                open = Some(HeadingAt {
                    start: range.start,
                    end: range.end,
                    text: String::new(),
                })
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = open.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some(mut h) = open.take() {
                    h.text = h.text.trim().to_string();
                    out.push(h);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;
    use crate::load::DocKind;
    use std::sync::Arc;

    fn doc(lang: &str, text: &str) -> SourceDoc {
        SourceDoc {
            src: Arc::new(SourceText::named(
                format!("content/measures/AM/AM-1.{lang}.md"),
                text,
            )),
            kind: DocKind::Measure,
            stem: "AM-1".into(),
            lang: lang.into(),
            front: 0..0,
            body: 0..text.len(),
        }
    }

    #[test]
    fn splits_on_the_fixed_headings() {
        let mut d = vec![];
        let s = split(
            &doc(
                "ja",
                "## なぜ重要か\n\n理由。\n\n## 達成の目安\n\n- 証跡\n\n### 細目\n\n詳細\n\n## 小規模事業者の最小実施例\n\n表計算。\n",
            ),
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        let kinds: Vec<_> = s.iter().map(|x| x.kind).collect();
        assert_eq!(
            kinds,
            [
                Some(SectionKind::Why),
                Some(SectionKind::Done),
                Some(SectionKind::Minimal)
            ]
        );
        assert_eq!(s[0].markdown, "理由。");
        assert_eq!(s[1].markdown, "- 証跡\n\n### 細目\n\n詳細");
    }

    #[test]
    fn unknown_and_missing_headings_are_warnings_with_lines() {
        let mut d = vec![];
        let s = split(
            &doc(
                "en",
                "Intro.\n\n## Why it matters\n\nx\n\n## Background\n\ny\n",
            ),
            &mut d,
        );
        assert_eq!(s[0].kind, None);
        assert_eq!(s[0].markdown, "Intro.");
        assert_eq!(s[2].kind, None);
        let lines: Vec<_> = d.iter().map(|x| (x.line, x.message.clone())).collect();
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 7 && m.contains("`## Background`")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(_, m)| m.contains("no `## What done looks like`")),
            "{lines:?}"
        );
        assert!(d.iter().all(|x| !x.is_error()));
    }

    #[test]
    fn other_languages_go_by_position() {
        let mut d = vec![];
        let s = split(&doc("fr", "## Pourquoi\n\na\n\n## Fait\n\nb\n"), &mut d);
        assert!(d.is_empty());
        assert_eq!(s[1].kind, Some(SectionKind::Done));
        assert_eq!(s[1].heading, "Fait");
    }
}
