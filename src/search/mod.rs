//! Site search, built at build time: one lunr.js 2.x index per language, shipped as a script
//! (`search-index.<lang>.js`) that the search page loads with a `<script>` tag, so that search
//! works offline and from `file://` without `fetch()`.
//!
//! * [`tokenize`]: the tokenizer shared with `themes/default/static/js/search.js` (CJK
//!   bigrams, folded and stemmed words, IDs such as `AM-1` or `PR.AA-03` kept whole).
//! * [`stemmer`]: an exact port of lunr's Porter stemmer (`lunr.stemmer`).
//! * [`lunr`]: writes lunr's serialized index format as `lunr.Builder` would.
//!
//! The generated file sets `window.KIJUN_SEARCH[lang]` to
//!
//! ```text
//! { "format": 1, "lang": "ja", "lunr": "2.3.9",
//!   "fieldBoosts": {"title": 10, "body": 1, "ids": 5},
//!   "docs": [ {"url", "title", "id"?, "kind", "category"?, "keywords"?, "body"}, ... ],
//!   "index": { lunr's serialized index, refs "0", "1", ... = positions in docs } }
//! ```
//!
//! `docs` (the display data: titles, IDs, categories, and the text for the Ctrl+F-like filter
//! and the snippets) is kept apart from `index`, so that a later version can ship it in pieces.
//! The indexed fields are `title`, `body` and `ids` (`id` and `keywords`, space-separated);
//! `body` is indexed exactly as stored in `docs` (NFKC, whitespace collapsed), so that the
//! browser can rebuild the same index from `docs` (the Node test does, with lunr.Builder).

pub mod lunr;
pub mod split;
pub mod stemmer;
pub mod synonyms;
pub mod tokenize;

use crate::write::OutputFile;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

/// How a language's index is shipped (`search_index` in kijun.toml).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndexLayout {
    /// One file while it is small, split once it is not (see [`AUTO_SPLIT_TEXT`]).
    #[default]
    Auto,
    /// Always one file, `search/search-index.<lang>.js`.
    Single,
    /// Always split into parts under `search/<lang>/` (see [`split`]).
    Split,
}

/// `auto` splits a language's index when its searchable text (titles, IDs and bodies) passes
/// this many bytes. A single-file index is about 6 times its Japanese text and compresses about
/// 4:1, so at this size it would make every search download about 1 MB (gzip).
pub const AUTO_SPLIT_TEXT: usize = 640 * 1024;

impl IndexLayout {
    /// Whether the index of these documents is split.
    pub fn splits(self, docs: &[SearchDoc]) -> bool {
        match self {
            IndexLayout::Single => false,
            IndexLayout::Split => true,
            IndexLayout::Auto => {
                let mut text = 0;
                for d in docs {
                    text += d.title.len();
                    text += d
                        .sections
                        .iter()
                        .map(|s| s.heading.len() + s.text.len())
                        .sum::<usize>();
                    text += d.keywords.iter().map(String::len).sum::<usize>();
                    if text > AUTO_SPLIT_TEXT {
                        return true;
                    }
                }
                false
            }
        }
    }
}

/// A function that takes each file as it is made (and writes it, or keeps it).
pub type Put<'a, E> = &'a (dyn Fn(OutputFile) -> Result<(), E> + Sync);

/// Makes the files of one language's index, `search/search-index.<lang>.js` or the parts of
/// the split layout, and hands each to `put` as soon as it is made.
pub fn index_files<E: Send>(
    lang: &str,
    docs: &[SearchDoc],
    groups: &[synonyms::Group],
    split: bool,
    put: Put<'_, E>,
) -> Result<(), E> {
    if split {
        split::files(lang, docs, groups, put)
    } else {
        put(OutputFile::new(
            format!("search/search-index.{lang}.js"),
            build_language_index(lang, docs, groups),
        ))
    }
}

/// One page to index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Site-relative URL, e.g. "ja/measures/am-1/index.html".
    pub url: String,
    pub title: String,
    /// The page's own ID, e.g. "AM-1".
    pub id: Option<String>,
    /// "measure" | "category" | "guideline" | "sector" | "page" | "framework"
    pub kind: String,
    /// Display text of the category, e.g. "資産管理".
    pub category: Option<String>,
    /// "required" | "recommended", for measures.
    pub obligation: Option<String>,
    /// 1, 2 or 3, for measures.
    pub level: Option<u8>,
    /// Plain text of the page, by section (the first often without a heading).
    pub sections: Vec<DocSection>,
    /// IDs the page is found by exactly, e.g. ["AM-1", "ID.AM-01", "A1.a"].
    pub keywords: Vec<String>,
}

/// A part of a page under one heading, in plain text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocSection {
    /// Empty for text before the first heading.
    pub heading: String,
    pub text: String,
}

impl DocSection {
    pub fn new(heading: impl Into<String>, text: impl Into<String>) -> Self {
        DocSection {
            heading: heading.into(),
            text: text.into(),
        }
    }
}

/// The body as stored and indexed (each heading, then its text, separated by spaces; see
/// [`stored_body`]) and where each section starts: `[heading start, text start]` in UTF-16
/// code units (JavaScript string offsets), so that a snippet stays in its section and shows the
/// heading as its label. Sections left empty by folding are dropped.
pub fn stored_sections(sections: &[DocSection]) -> (String, Vec<[usize; 2]>) {
    let mut body = String::new();
    let mut starts = Vec::with_capacity(sections.len());
    let mut units = 0;
    for s in sections {
        let heading = stored_body(&s.heading);
        let text = stored_body(&s.text);
        if text.is_empty() {
            continue;
        }
        if !body.is_empty() {
            body.push(' ');
            units += 1;
        }
        let start = units;
        if !heading.is_empty() {
            body.push_str(&heading);
            body.push(' ');
            units += heading.encode_utf16().count() + 1;
        }
        starts.push([start, units]);
        body.push_str(&text);
        units += text.encode_utf16().count();
    }
    (body, starts)
}

/// The indexed fields and their lunr.Builder boosts. `search.js` reads the names from the index
/// and the boosts from `fieldBoosts`.
pub const FIELDS: [lunr::Field; 3] = [
    lunr::Field {
        name: "title",
        boost: 10.0,
    },
    lunr::Field {
        name: "body",
        boost: 1.0,
    },
    lunr::Field {
        name: "ids",
        boost: 5.0,
    },
];

/// Format of the object assigned to `window.KIJUN_SEARCH[lang]`; bumped on incompatible change.
pub const FORMAT: u32 = 1;

/// The body as stored in the display data and indexed: NFKC, runs of whitespace as one space,
/// trimmed.
pub fn stored_body(body: &str) -> String {
    let nfkc: std::borrow::Cow<str> = match unicode_normalization::is_nfkc_quick(body.chars()) {
        unicode_normalization::IsNormalized::Yes => body.into(),
        _ => body.nfkc().collect::<String>().into(),
    };
    crate::markdown::collapse_whitespace(&nfkc)
}

/// The text of the `ids` field: the ID, then the keywords, separated by spaces.
/// JavaScript: `KijunSearch.idsText(doc)`.
pub fn ids_text(id: Option<&str>, keywords: &[String]) -> String {
    id.into_iter()
        .chain(keywords.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Returns the JavaScript file content for one language, e.g. `search-index.ja.js`, which sets
/// `window.KIJUN_SEARCH = window.KIJUN_SEARCH || {}; window.KIJUN_SEARCH["ja"] = {...}` (an
/// object with the lunr index JSON and the display docs). Deterministic: same input, same bytes.
pub fn build_language_index(lang: &str, docs: &[SearchDoc], groups: &[synonyms::Group]) -> String {
    use lunr::json_string as js;

    let mut builder = lunr::Builder::new(&FIELDS).with_synonyms(groups);
    let mut docs_json = String::with_capacity(docs.len() * 512);
    for (i, doc) in docs.iter().enumerate() {
        let (body, starts) = stored_sections(&doc.sections);
        let ids = ids_text(doc.id.as_deref(), &doc.keywords);
        builder.add_text(&[&doc.title, &body, &ids], &[false, true, false]);
        if i > 0 {
            docs_json.push_str(",\n");
        }
        push_display_doc(&mut docs_json, doc, &body, &starts);
    }
    let boosts = field_boosts_json();
    let lang_js = js(lang);
    format!(
        "/* kijun search index: lunr {lunr_version} serialized index and display data. \
         Generated by kijun; do not edit. */\n\
         window.KIJUN_SEARCH = window.KIJUN_SEARCH || {{}};\n\
         window.KIJUN_SEARCH[{lang_js}] = {{\"format\":{FORMAT},\"lang\":{lang_js},\"lunr\":{lunr_js},\
         \"fieldBoosts\":{{{boosts}}},\"synonyms\":{synonyms},\n\"docs\":[\n{docs_json}\n],\n\"index\":{index}}};\n",
        synonyms = synonyms::to_json(groups),
        lunr_version = lunr::LUNR_VERSION,
        lunr_js = js(lunr::LUNR_VERSION),
        index = builder.to_json(),
    )
}

/// A display doc as the search page reads it: `{"url", "title", "id"?, "kind", "category"?,
/// "obligation"?, "level"?, "keywords"?, "body", "sections"?}`, with `body` the stored (indexed)
/// text and `sections` where its sections start (see [`stored_sections`]; left out when the
/// body is one section without a heading).
pub fn push_display_doc(
    out: &mut String,
    doc: &SearchDoc,
    stored_body: &str,
    starts: &[[usize; 2]],
) {
    use lunr::push_json_string as js;
    out.push_str("{\"url\":");
    js(out, &doc.url);
    out.push_str(",\"title\":");
    js(out, &doc.title);
    if let Some(id) = &doc.id {
        out.push_str(",\"id\":");
        js(out, id);
    }
    out.push_str(",\"kind\":");
    js(out, &doc.kind);
    if let Some(category) = &doc.category {
        out.push_str(",\"category\":");
        js(out, category);
    }
    if let Some(obligation) = &doc.obligation {
        out.push_str(",\"obligation\":");
        js(out, obligation);
    }
    if let Some(level) = doc.level {
        out.push_str(",\"level\":");
        lunr::push_int(out, level);
    }
    if !doc.keywords.is_empty() {
        out.push_str(",\"keywords\":[");
        for (k, kw) in doc.keywords.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            js(out, kw);
        }
        out.push(']');
    }
    out.push_str(",\"body\":");
    js(out, stored_body);
    if starts.len() > 1 || starts.first().is_some_and(|s| s[0] != s[1]) {
        out.push_str(",\"sections\":[");
        for (i, [start, text]) in starts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            lunr::push_int(out, *start);
            out.push(',');
            lunr::push_int(out, *text);
            out.push(']');
        }
        out.push(']');
    }
    out.push('}');
}

/// `"title":10,"body":1,"ids":5`
pub fn field_boosts_json() -> String {
    FIELDS
        .iter()
        .map(|f| format!("{}:{}", lunr::json_string(f.name), f.boost))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str, id: Option<&str>, body: &str, keywords: &[&str]) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            id: id.map(Into::into),
            kind: "measure".into(),
            category: Some("資産管理".into()),
            sections: vec![DocSection::new("", body)],
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            ..Default::default()
        }
    }

    fn payload(js: &str, lang: &str) -> serde_json::Value {
        let prefix = format!("window.KIJUN_SEARCH[\"{lang}\"] = ");
        let start = js.find(&prefix).expect("assignment") + prefix.len();
        let end = js.rfind(";\n").unwrap();
        serde_json::from_str(&js[start..end]).expect("valid JSON")
    }

    #[test]
    fn output_shape() {
        let docs = [
            doc(
                "ja/measures/am-1/index.html",
                "IT・OT資産台帳の整備",
                Some("AM-1"),
                "台帳を  整備する。\n",
                &["AM-1", "ID.AM-01"],
            ),
            doc(
                "ja/about/index.html",
                "このサイトについて",
                None,
                "説明",
                &[],
            ),
        ];
        let js = build_language_index("ja", &docs, &[]);
        assert!(js.contains("window.KIJUN_SEARCH = window.KIJUN_SEARCH || {};\n"));
        let v = payload(&js, "ja");
        assert_eq!(v["format"], 1);
        assert_eq!(v["lang"], "ja");
        assert_eq!(v["docs"][0]["id"], "AM-1");
        assert_eq!(v["docs"][0]["body"], "台帳を 整備する。");
        assert_eq!(v["docs"][0]["keywords"][1], "ID.AM-01");
        assert!(v["docs"][1].get("id").is_none());
        assert_eq!(v["index"]["version"], "2.3.9");
        assert_eq!(
            v["index"]["fields"],
            serde_json::json!(["title", "body", "ids"])
        );
        assert_eq!(v["index"]["fieldVectors"].as_array().unwrap().len(), 6);
        let terms: Vec<&str> = v["index"]["invertedIndex"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[0].as_str().unwrap())
            .collect();
        for t in ["am-1", "id.am-01", "台帳", "資産", "ot"] {
            assert!(terms.contains(&t), "{t} in {terms:?}");
        }
    }

    #[test]
    fn sections_are_stored_with_their_starts() {
        let sections = [
            DocSection::new("", "台帳を整備する。"),
            DocSection::new("なぜ重要か", "𠮷 攻撃者は"),
            DocSection::new("空", "  "),
            DocSection::new("達成の目安", "一覧"),
        ];
        let (body, starts) = stored_sections(&sections);
        assert_eq!(
            body,
            "台帳を整備する。 なぜ重要か 𠮷 攻撃者は 達成の目安 一覧"
        );
        let utf16: Vec<u16> = body.encode_utf16().collect();
        let at = |i: usize, j: usize| String::from_utf16(&utf16[i..j]).unwrap();
        assert_eq!(starts.len(), 3);
        assert_eq!(starts[0], [0, 0]);
        assert_eq!(at(starts[1][0], starts[1][1]), "なぜ重要か ");
        assert_eq!(at(starts[1][1], starts[2][0] - 1), "𠮷 攻撃者は");
        assert_eq!(at(starts[2][1], utf16.len()), "一覧");
        let mut d = doc("ja/x/index.html", "題", None, "", &[]);
        d.sections = sections.to_vec();
        d.obligation = Some("required".into());
        d.level = Some(1);
        let v = payload(&build_language_index("ja", &[d], &[]), "ja");
        assert_eq!(v["docs"][0]["sections"], serde_json::json!(starts));
        assert_eq!(v["docs"][0]["obligation"], "required");
        assert_eq!(v["docs"][0]["level"], 1);
    }

    #[test]
    fn synonyms_are_shipped_and_indexed() {
        let groups = [synonyms::Group {
            token: "~mfa".into(),
            members: vec!["多要素認証".into(), "MFA".into()],
        }];
        let d = doc(
            "ja/x/index.html",
            "多要素認証の導入",
            None,
            "MFAを使う",
            &[],
        );
        let v = payload(&build_language_index("ja", &[d], &groups), "ja");
        assert_eq!(
            v["synonyms"],
            serde_json::json!([["~mfa", ["多要素認証", "MFA"]]])
        );
        let inverted = v["index"]["invertedIndex"].as_array().unwrap();
        let mfa = inverted
            .iter()
            .find(|p| p[0] == "~mfa")
            .expect("group token indexed");
        assert_eq!(mfa[1]["title"], serde_json::json!({"0": {}}));
        assert_eq!(mfa[1]["body"], serde_json::json!({"0": {}}));
    }

    #[test]
    fn no_docs() {
        let js = build_language_index("en", &[], &[]);
        let v = payload(&js, "en");
        assert_eq!(v["docs"], serde_json::json!([]));
        assert_eq!(v["index"]["invertedIndex"], serde_json::json!([]));
    }

    #[test]
    fn deterministic() {
        let docs: Vec<SearchDoc> = (0..20)
            .map(|i| {
                doc(
                    &format!("en/m/{i}/index.html"),
                    &format!("Backup {i}"),
                    None,
                    "Back up the data; test restores.",
                    &[],
                )
            })
            .collect();
        assert_eq!(
            build_language_index("en", &docs, &[]),
            build_language_index("en", &docs, &[])
        );
    }

    #[test]
    fn strings_are_escaped_for_javascript() {
        let d = doc(
            "en/x.html",
            "a \"quote\" </script> \u{2028}",
            None,
            "line\u{2029}sep",
            &[],
        );
        let js = build_language_index("en", &[d], &[]);
        assert!(!js.contains('\u{2028}') && !js.contains('\u{2029}'));
        assert_eq!(
            payload(&js, "en")["docs"][0]["title"],
            "a \"quote\" </script> \u{2028}"
        );
    }
}
