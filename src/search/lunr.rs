//! Writes an index in the serialized format of lunr.js 2.3.9 (`lunr.Index.load`), computed the
//! way `lunr.Builder` computes it, so that lunr's scoring in the browser works on it unchanged.
//!
//! What lunr.Builder does, and so what this does (lunr.js 2.3.9, `lunr.Builder.prototype.add`,
//! `calculateAverageFieldLengths`, `createFieldVectors`, `lunr.idf`, `lunr.Index#toJSON`):
//!
//! * Each term gets an `_index`, in the order terms are first seen (documents in order, fields
//!   in order, tokens in order).
//! * Each (field, document) has a length (its number of tokens, repeats included) and term
//!   frequencies. The average field length is the sum of a field's lengths over all documents
//!   divided by the number of documents.
//! * idf(term) = ln(1 + |(N − n + 0.5) / (n + 0.5)|), where n adds up, over the fields, the
//!   documents that have the term in that field (so a term in a document's title and body
//!   counts twice, as in lunr).
//! * The score of a term in a field vector is BM25:
//!   `idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (len / avg)) + tf)`, times the field's boost
//!   (and the document's boost, always 1 here), rounded to 3 decimals as lunr does
//!   (`Math.round(score * 1000) / 1000`), with `b` = 0.75 and `k1` = 1.2.
//! * A field vector is `[termIndex, score, termIndex, score, ...]` sorted by term index; field
//!   refs are `"<field>/<docRef>"`, serialized documents first, then fields, in order.
//! * The inverted index is serialized sorted by term in JavaScript string order (UTF-16 code
//!   units; `lunr.TokenSet.Builder` throws on anything else), each posting
//!   `{"_index": n, "<field>": {"<docRef>": {}}, ...}` with every field present.
//!
//! Note: lunr scores a match as `query · fieldVector / |fieldVector|`, so a build-time field
//! boost, which scales a whole field vector, cancels out of the score. The boosts are written
//! because lunr.Builder writes them, but the title ranking comes from query-time boosts and the
//! ordering in search.js.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

pub const LUNR_VERSION: &str = "2.3.9";
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// A field of the index and its build-time boost (`builder.field(name, {boost})`).
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub boost: f64,
}

struct Posting {
    index: usize,
    /// per field: the documents (refs) with the term in that field
    docs: Vec<BTreeSet<usize>>,
}

/// A field of one document: its length in tokens, and (term index, frequency) sorted by term
/// index.
type FieldStats = (usize, Vec<(usize, usize)>);

/// Accumulates documents like `lunr.Builder`. Document refs are "0", "1", ... in order of
/// `add`.
pub struct Builder {
    fields: Vec<Field>,
    terms: HashMap<String, Posting>,
    /// per document, per field
    field_stats: Vec<Vec<FieldStats>>,
}

impl Builder {
    pub fn new(fields: &[Field]) -> Self {
        Builder {
            fields: fields.to_vec(),
            terms: HashMap::new(),
            field_stats: Vec::new(),
        }
    }

    /// Adds a document; `field_terms[i]` are the terms of `fields[i]`, in order, repeats included.
    pub fn add(&mut self, field_terms: &[Vec<String>]) {
        assert_eq!(
            field_terms.len(),
            self.fields.len(),
            "one term list per field"
        );
        let doc = self.field_stats.len();
        let n_fields = self.fields.len();
        let mut stats = Vec::with_capacity(n_fields);
        for (f, terms) in field_terms.iter().enumerate() {
            // term index -> frequency, in first-seen order (the order does not reach the output)
            let mut tf: Vec<(usize, usize)> = Vec::new();
            let mut slot: HashMap<usize, usize> = HashMap::new();
            for term in terms {
                let next = self.terms.len();
                let posting = self.terms.entry(term.clone()).or_insert_with(|| Posting {
                    index: next,
                    docs: vec![BTreeSet::new(); n_fields],
                });
                posting.docs[f].insert(doc);
                let ti = posting.index;
                match slot.get(&ti) {
                    Some(&k) => tf[k].1 += 1,
                    None => {
                        slot.insert(ti, tf.len());
                        tf.push((ti, 1));
                    }
                }
            }
            tf.sort_unstable();
            stats.push((terms.len(), tf));
        }
        self.field_stats.push(stats);
    }

    /// The serialized index, as `JSON.stringify(builder.build())` would write it.
    pub fn to_json(&self) -> String {
        let n_docs = self.field_stats.len();
        let n_fields = self.fields.len();

        // average field lengths
        let avg: Vec<f64> = (0..n_fields)
            .map(|f| {
                let total: usize = self.field_stats.iter().map(|d| d[f].0).sum();
                total as f64 / n_docs as f64
            })
            .collect();

        // idf by term index
        let mut idf = vec![0.0f64; self.terms.len()];
        for posting in self.terms.values() {
            let with_term: usize = posting.docs.iter().map(|d| d.len()).sum();
            idf[posting.index] = lunr_idf(with_term, n_docs);
        }

        let mut out = String::with_capacity(64 * 1024);
        out.push_str("{\"version\":");
        out.push_str(&json_string(LUNR_VERSION));
        out.push_str(",\"fields\":[");
        for (f, field) in self.fields.iter().enumerate() {
            if f > 0 {
                out.push(',');
            }
            out.push_str(&json_string(field.name));
        }
        out.push_str("],\"fieldVectors\":[");
        let mut first = true;
        for (doc, stats) in self.field_stats.iter().enumerate() {
            for (f, (len, tf)) in stats.iter().enumerate() {
                if !first {
                    out.push(',');
                }
                first = false;
                let field = &self.fields[f];
                out.push('[');
                out.push_str(&json_string(&format!("{}/{}", field.name, doc)));
                out.push_str(",[");
                for (k, &(ti, count)) in tf.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    let tf = count as f64;
                    let mut score = idf[ti] * ((K1 + 1.0) * tf)
                        / (K1 * (1.0 - B + B * (*len as f64 / avg[f])) + tf);
                    score *= field.boost;
                    let score = (score * 1000.0).round() / 1000.0;
                    let _ = write!(out, "{},{}", ti, js_number(score));
                }
                out.push_str("]]");
            }
        }
        out.push_str("],\"invertedIndex\":[");
        let mut terms: Vec<(&String, &Posting)> = self.terms.iter().collect();
        terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        for (k, (term, posting)) in terms.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push('[');
            out.push_str(&json_string(term));
            let _ = write!(out, ",{{\"_index\":{}", posting.index);
            for (f, field) in self.fields.iter().enumerate() {
                out.push(',');
                out.push_str(&json_string(field.name));
                out.push_str(":{");
                for (j, doc) in posting.docs[f].iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "\"{doc}\":{{}}");
                }
                out.push('}');
            }
            out.push_str("}]");
        }
        out.push_str("],\"pipeline\":[]}");
        out
    }
}

/// `lunr.idf`
fn lunr_idf(documents_with_term: usize, document_count: usize) -> f64 {
    let n = documents_with_term as f64;
    let x = (document_count as f64 - n + 0.5) / (n + 0.5);
    (1.0 + x.abs()).ln()
}

/// A JSON string literal. U+2028 and U+2029 are escaped too, so that the JSON is also a valid
/// JavaScript literal in engines older than ES2019.
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s)
        .expect("a string always serializes")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A number as JavaScript's `JSON.stringify` writes it, for the finite, non-negative values
/// rounded to 3 decimals that field vectors hold (Rust's `Display` gives the shortest
/// round-trip digits, without a trailing `.0`, like JavaScript, for 1e-7 <= x < 1e21).
fn js_number(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    debug_assert!(x.is_finite() && (1e-7..1e21).contains(&x.abs()));
    format!("{x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn small_index_matches_lunr_builder_output() {
        // Expected output produced with lunr.js 2.3.9:
        //   var b = new lunr.Builder; b.ref('id'); b.field('title', {boost: 10}); b.field('body')
        //   b.add({id: '0', title: 'a b', body: 'b c c'}); b.add({id: '1', title: 'c', body: 'd'})
        //   JSON.stringify(b.build())   (with an empty pipeline and a whitespace tokenizer)
        let mut b = Builder::new(&[
            Field {
                name: "title",
                boost: 10.0,
            },
            Field {
                name: "body",
                boost: 1.0,
            },
        ]);
        b.add(&[terms("a b"), terms("b c c")]);
        b.add(&[terms("c"), terms("d")]);
        assert_eq!(
            b.to_json(),
            include_str!("testdata/lunr-small.json").trim_end()
        );
    }

    #[test]
    fn numbers_like_javascript() {
        assert_eq!(js_number(1.0), "1");
        assert_eq!(js_number(0.001), "0.001");
        assert_eq!(js_number(12.345), "12.345");
        assert_eq!(js_number(0.0), "0");
    }

    #[test]
    fn terms_sorted_in_utf16_order() {
        // U+FF5E (BMP, above the surrogates) sorts after U+20000 (a surrogate pair) in UTF-16
        let mut b = Builder::new(&[Field {
            name: "body",
            boost: 1.0,
        }]);
        b.add(&[vec!["\u{FF5E}".to_string(), "\u{20000}".to_string()]]);
        let json = b.to_json();
        let inv = json.find("invertedIndex").unwrap();
        assert!(json[inv..].find('\u{20000}').unwrap() < json[inv..].find('\u{FF5E}').unwrap());
    }

    #[test]
    fn empty_index() {
        let b = Builder::new(&[Field {
            name: "title",
            boost: 1.0,
        }]);
        assert_eq!(
            b.to_json(),
            r#"{"version":"2.3.9","fields":["title"],"fieldVectors":[],"invertedIndex":[],"pipeline":[]}"#
        );
    }
}
