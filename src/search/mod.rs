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
pub mod stemmer;
pub mod tokenize;

use unicode_normalization::UnicodeNormalization;

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
    /// Plain text of the page.
    pub body: String,
    /// IDs the page is found by exactly, e.g. ["AM-1", "ID.AM-01", "A1.a"].
    pub keywords: Vec<String>,
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
    let nfkc: String = body.nfkc().collect();
    nfkc.split_whitespace().collect::<Vec<_>>().join(" ")
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
pub fn build_language_index(lang: &str, docs: &[SearchDoc]) -> String {
    use lunr::json_string as js;

    let mut builder = lunr::Builder::new(&FIELDS);
    let mut docs_json = String::with_capacity(docs.len() * 512);
    for (i, doc) in docs.iter().enumerate() {
        let body = stored_body(&doc.body);
        let ids = ids_text(doc.id.as_deref(), &doc.keywords);
        builder.add(&[
            tokenize::index_terms(&doc.title),
            tokenize::index_terms(&body),
            tokenize::index_terms(&ids),
        ]);

        if i > 0 {
            docs_json.push_str(",\n");
        }
        docs_json.push_str("{\"url\":");
        docs_json.push_str(&js(&doc.url));
        docs_json.push_str(",\"title\":");
        docs_json.push_str(&js(&doc.title));
        if let Some(id) = &doc.id {
            docs_json.push_str(",\"id\":");
            docs_json.push_str(&js(id));
        }
        docs_json.push_str(",\"kind\":");
        docs_json.push_str(&js(&doc.kind));
        if let Some(category) = &doc.category {
            docs_json.push_str(",\"category\":");
            docs_json.push_str(&js(category));
        }
        if !doc.keywords.is_empty() {
            docs_json.push_str(",\"keywords\":[");
            for (k, kw) in doc.keywords.iter().enumerate() {
                if k > 0 {
                    docs_json.push(',');
                }
                docs_json.push_str(&js(kw));
            }
            docs_json.push(']');
        }
        docs_json.push_str(",\"body\":");
        docs_json.push_str(&js(&body));
        docs_json.push('}');
    }

    let mut boosts = String::new();
    for (f, field) in FIELDS.iter().enumerate() {
        if f > 0 {
            boosts.push(',');
        }
        boosts.push_str(&format!("{}:{}", js(field.name), field.boost));
    }

    let lang_js = js(lang);
    format!(
        "/* kijun search index: lunr {lunr_version} serialized index and display data. \
         Generated by kijun; do not edit. */\n\
         window.KIJUN_SEARCH = window.KIJUN_SEARCH || {{}};\n\
         window.KIJUN_SEARCH[{lang_js}] = {{\"format\":{FORMAT},\"lang\":{lang_js},\"lunr\":{lunr_js},\
         \"fieldBoosts\":{{{boosts}}},\n\"docs\":[\n{docs_json}\n],\n\"index\":{index}}};\n",
        lunr_version = lunr::LUNR_VERSION,
        lunr_js = js(lunr::LUNR_VERSION),
        index = builder.to_json(),
    )
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
            body: body.into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
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
        let js = build_language_index("ja", &docs);
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
    fn no_docs() {
        let js = build_language_index("en", &[]);
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
            build_language_index("en", &docs),
            build_language_index("en", &docs)
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
        let js = build_language_index("en", &[d]);
        assert!(!js.contains('\u{2028}') && !js.contains('\u{2029}'));
        assert_eq!(
            payload(&js, "en")["docs"][0]["title"],
            "a \"quote\" </script> \u{2028}"
        );
    }
}
