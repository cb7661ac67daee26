//! The split layout: a language's index in many small parts that the search page loads on
//! demand, so that a search downloads only what its query needs, however large the site.
//!
//! Every part is a script (no `fetch()`, so it works from `file://`) that files its data under
//! `window.KIJUN_SEARCH_PARTS["<lang>/<kind>/<n>"]`; `search/<lang>/meta.js` sets
//! `window.KIJUN_SEARCH_SPLIT[lang]` and is the only part the search page includes. search.js
//! loads the parts a query needs, rebuilds a `lunr.Index` holding just the query's terms and
//! runs the query exactly as on the single-file index, so the results, their order and their
//! scores are the same (`tests/node/search-split.test.mjs` checks this on a generated corpus).
//!
//! Parts (`n` is a shard number; `hash` is FNV-1a over the UTF-16 code units of a string,
//! computed the same way in search.js):
//!
//! * `t/<hash(term) % termShards>`: `{"terms": {term: [termIndex, idf, title, body, ids]},
//!   "ids": {folded page ID: [ref, ...]}}`. A field's posting is `[ref, tf, ref, tf, ...]`, each
//!   ref written as the difference from the one before. search.js computes lunr's field-vector
//!   score from idf, tf and the field length with the same floating-point operations as
//!   `lunr::Builder`, so it gets the same numbers. `ids` lists the pages whose own ID is the
//!   (folded) query, which rank first, under the hash of the ID.
//! * `l/<ref / lengthsPerShard>`: `[title, body, ids, title, body, ids, ...]`, the token count
//!   of each field of each page, for those scores.
//! * `p/<hash(pair) % termShards>`: `{pair: [title, body, ids]}` for every pair of adjacent
//!   characters (no spaces) in fields that hold CJK text, a field's positions written
//!   `[ref, count, position, position, ...]` (refs and positions as differences), in code
//!   points of the folded field text. A phrase is in a field exactly when its pairs sit at
//!   consecutive positions: phrases are checked without the page text.
//! * `c/<hash(character) % charShards>`: `{character: [terms containing it]}` for CJK
//!   characters, to expand a one-character query (lunr's `*X*`) without the whole term list.
//! * `d/<ref / docsPerShard>`: the display docs, as in the single-file index, loaded for the
//!   results shown.

use super::lunr::{Builder, TermData, push_int, push_json_string};
use super::synonyms::{self, Group};
use super::tokenize::{fold, is_cjk};
use super::{
    FIELDS, FORMAT, Put, SearchDoc, field_boosts_json, ids_text, push_display_doc, stored_sections,
};
use crate::write::OutputFile;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Display docs per `d/` part: a page of 100 results loads at most 100 parts of this many.
pub const DOCS_PER_SHARD: usize = 4;
/// Field lengths per `l/` part.
pub const LENGTHS_PER_SHARD: usize = 2048;
/// Aimed-at size of a term part before compression.
const TERM_SHARD_BYTES: usize = 32 * 1024;
/// Aimed-at size of a character part before compression.
const CHAR_SHARD_BYTES: usize = 32 * 1024;
const MAX_SHARDS: usize = 4096;

/// FNV-1a (32 bit) over the UTF-16 code units of `s`: search.js computes the same.
pub fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for unit in s.encode_utf16() {
        h ^= unit as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

/// A power of two near `bytes / target`, between 1 and `MAX_SHARDS`.
fn shard_count(bytes: usize, target: usize) -> usize {
    (bytes / target)
        .clamp(1, MAX_SHARDS)
        .next_power_of_two()
        .min(MAX_SHARDS)
}

/// Every file of one language's split index, each handed to `put` as soon as it is made.
pub fn files<E: Send>(
    lang: &str,
    docs: &[SearchDoc],
    groups: &[Group],
    put: Put<'_, E>,
) -> Result<(), E> {
    let mut builder = Builder::new(&FIELDS).with_pairs().with_synonyms(groups);
    let bodies: Vec<(String, Vec<[usize; 2]>)> = docs
        .par_iter()
        .map(|d| stored_sections(&d.sections))
        .collect();
    for (doc, (body, _)) in docs.iter().zip(&bodies) {
        let ids = ids_text(doc.id.as_deref(), &doc.keywords);
        builder.add_text(&[&doc.title, body, &ids], &[false, true, false]);
    }
    let terms: Vec<TermData> = builder.terms().collect();
    let posting_bytes: usize = terms
        .iter()
        .map(|t| t.term.len() + 24 + t.postings.iter().map(Vec::len).sum::<usize>() * 5)
        .sum();
    let term_shards = shard_count(posting_bytes, TERM_SHARD_BYTES);
    let chars = characters(&terms);
    let char_bytes: usize = chars
        .values()
        .map(|t| t.iter().map(|t| t.len() + 3).sum::<usize>())
        .sum();
    let char_shards = shard_count(char_bytes, CHAR_SHARD_BYTES);

    put(OutputFile::new(
        format!("search/{lang}/meta.js"),
        meta(lang, docs, &builder, groups, term_shards, char_shards),
    ))?;

    // Terms and pair positions by shard, each shard's in JavaScript string order.
    let mut terms_by_shard: Vec<Vec<&TermData>> = vec![Vec::new(); term_shards];
    for t in &terms {
        terms_by_shard[hash(t.term) as usize % term_shards].push(t);
    }
    let mut pairs_by_shard: Vec<Vec<(String, &[(u32, u32)])>> = vec![Vec::new(); term_shards];
    if let Some(pairs) = builder.pairs() {
        for (pair, positions) in pairs.pairs.iter().zip(&pairs.positions) {
            let key: String = pair.iter().collect();
            pairs_by_shard[hash(&key) as usize % term_shards].push((key, positions));
        }
    }
    let mut ids: Vec<BTreeMap<String, Vec<usize>>> = vec![BTreeMap::new(); term_shards];
    for (r, doc) in docs.iter().enumerate() {
        if let Some(id) = &doc.id {
            // what search.js compares with the folded query to rank a page's own ID first
            let key = fold(id);
            ids[hash(&key) as usize % term_shards]
                .entry(key)
                .or_default()
                .push(r);
        }
    }
    terms_by_shard
        .par_iter_mut()
        .zip(pairs_by_shard.par_iter_mut())
        .zip(ids.par_iter())
        .enumerate()
        .try_for_each(|(n, ((terms, pairs), ids))| {
            terms.sort_by(|a, b| a.term.encode_utf16().cmp(b.term.encode_utf16()));
            pairs.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            // Every shard has both kinds of part, empty or not: a part that fails to load is
            // then always an error, never "nothing there".
            put(part(lang, "t", n, &term_part(terms, ids)))?;
            put(part(lang, "p", n, &positions_part(pairs, FIELDS.len())))
        })?;

    for (n, lengths) in builder.lengths().chunks(LENGTHS_PER_SHARD).enumerate() {
        let mut json = String::from("[");
        for (k, n) in lengths.iter().flatten().enumerate() {
            if k > 0 {
                json.push(',');
            }
            push_int(&mut json, *n);
        }
        json.push(']');
        put(part(lang, "l", n, &json))?;
    }

    let mut char_parts: Vec<String> = vec![String::new(); char_shards];
    for (c, list) in &chars {
        let json = &mut char_parts[hash(c) as usize % char_shards];
        json.push(if json.is_empty() { '{' } else { ',' });
        push_json_string(json, c);
        json.push_str(":[");
        for (k, t) in list.iter().enumerate() {
            if k > 0 {
                json.push(',');
            }
            push_json_string(json, t);
        }
        json.push(']');
    }
    for (n, mut json) in char_parts.into_iter().enumerate() {
        if json.is_empty() {
            json.push('{');
        }
        json.push('}');
        put(part(lang, "c", n, &json))?;
    }

    docs.par_chunks(DOCS_PER_SHARD)
        .zip(bodies.par_chunks(DOCS_PER_SHARD))
        .enumerate()
        .try_for_each(|(n, (docs, bodies))| {
            let mut json = String::from("[");
            for (k, (doc, (stored, starts))) in docs.iter().zip(bodies).enumerate() {
                if k > 0 {
                    json.push_str(",\n");
                }
                push_display_doc(&mut json, doc, stored, starts);
            }
            json.push(']');
            put(part(lang, "d", n, &json))
        })
}

fn meta(
    lang: &str,
    docs: &[SearchDoc],
    builder: &Builder,
    groups: &[Group],
    term_shards: usize,
    char_shards: usize,
) -> String {
    use super::lunr::json_string as js;
    let lang_js = js(lang);
    let averages: Vec<String> = builder
        .average_lengths()
        .iter()
        .map(|a| {
            if a.is_finite() {
                format!("{a:?}")
            } else {
                "0".into()
            }
        })
        .collect();
    format!(
        "/* kijun search index, split: search.js loads the parts under search/{lang}/ that a \
         query needs. Generated by kijun; do not edit. */\n\
         window.KIJUN_SEARCH_SPLIT = window.KIJUN_SEARCH_SPLIT || {{}};\n\
         window.KIJUN_SEARCH_SPLIT[{lang_js}] = {{\"format\":{FORMAT},\"layout\":\"split\",\
         \"lang\":{lang_js},\"lunr\":{lunr},\"fields\":[{fields}],\"fieldBoosts\":{{{boosts}}},\
         \"k1\":{k1:?},\"b\":{b:?},\"averageFieldLength\":[{averages}],\"docCount\":{docs},\
         \"synonyms\":{synonyms},\"ranks\":\"{ranks}\",\"termShards\":{term_shards},\"charShards\":{char_shards},\
         \"docsPerShard\":{DOCS_PER_SHARD},\"lengthsPerShard\":{LENGTHS_PER_SHARD}}};\n",
        lunr = js(super::lunr::LUNR_VERSION),
        fields = FIELDS
            .iter()
            .map(|f| js(f.name))
            .collect::<Vec<_>>()
            .join(","),
        boosts = field_boosts_json(),
        k1 = super::lunr::K1,
        b = super::lunr::B,
        averages = averages.join(","),
        synonyms = synonyms::to_json(groups),
        ranks = docs
            .iter()
            .map(|d| char::from(b'0' + rank(d)))
            .collect::<String>(),
        docs = docs.len(),
    )
}

/// A measure's place among measures of similar score: required before recommended, lower level
/// first; other pages 0. search-core.js: `docRank`, which the single-file index computes from
/// the display docs; the split one needs it before they are loaded.
pub fn rank(doc: &SearchDoc) -> u8 {
    if doc.kind != "measure" {
        return 0;
    }
    let obligation = if doc.obligation.as_deref() == Some("recommended") {
        3
    } else {
        0
    };
    obligation + doc.level.unwrap_or(1).clamp(1, 3) - 1
}

/// A part: a script that files its data under its own key.
fn part(lang: &str, kind: &str, n: usize, json: &str) -> OutputFile {
    let key = format!("{lang}/{kind}/{n}");
    let mut js = String::with_capacity(json.len() + 96);
    js.push_str("(window.KIJUN_SEARCH_PARTS=window.KIJUN_SEARCH_PARTS||{})[");
    push_json_string(&mut js, &key);
    js.push_str("]=");
    js.push_str(json);
    js.push_str(";\n");
    OutputFile::new(format!("search/{key}.js"), js)
}

fn term_part(terms: &[&TermData], ids: &BTreeMap<String, Vec<usize>>) -> String {
    let mut out = String::with_capacity(TERM_SHARD_BYTES * 2);
    out.push_str("{\"terms\":{");
    for (k, t) in terms.iter().enumerate() {
        if k > 0 {
            out.push_str(",\n");
        }
        push_json_string(&mut out, t.term);
        out.push(':');
        out.push('[');
        push_int(&mut out, t.index);
        // `{:?}` is the shortest decimal that reads back as the same double, as in JavaScript
        out.push_str(&format!(",{:?}", t.idf));
        for field in t.postings {
            out.push_str(",[");
            let mut previous = 0;
            for (j, &(doc, tf)) in field.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                push_int(&mut out, doc - previous);
                out.push(',');
                push_int(&mut out, tf);
                previous = doc;
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push_str("},\"ids\":{");
    for (k, (id, refs)) in ids.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_json_string(&mut out, id);
        out.push_str(":[");
        for (j, r) in refs.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_int(&mut out, *r);
        }
        out.push(']');
    }
    out.push_str("}}");
    out
}

fn positions_part(pairs: &[(String, &[(u32, u32)])], n_fields: usize) -> String {
    let mut out = String::from("{");
    let mut here: Vec<u32> = Vec::new();
    for (k, (pair, list)) in pairs.iter().enumerate() {
        if k > 0 {
            out.push_str(",\n");
        }
        push_json_string(&mut out, pair);
        out.push_str(":[");
        for field in 0..n_fields as u32 {
            if field > 0 {
                out.push(',');
            }
            out.push('[');
            // `list` is in document order, and within a document in field then position order
            let mut first = true;
            let mut previous_doc = 0;
            let mut i = 0;
            while i < list.len() {
                let doc = list[i].0;
                here.clear();
                while i < list.len() && list[i].0 == doc {
                    if list[i].1 >> 30 == field {
                        here.push(list[i].1 & ((1 << 30) - 1));
                    }
                    i += 1;
                }
                if here.is_empty() {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                push_int(&mut out, doc - previous_doc);
                out.push(',');
                push_int(&mut out, here.len());
                let mut previous = 0;
                for &p in &here {
                    out.push(',');
                    push_int(&mut out, p - previous);
                    previous = p;
                }
                previous_doc = doc;
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// CJK character → the terms that contain it (what lunr's `*X*` matches), sorted.
fn characters<'t>(terms: &'t [TermData]) -> BTreeMap<String, Vec<&'t str>> {
    let mut chars: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for t in terms {
        let cs: Vec<char> = t.term.chars().collect();
        // CJK tokens are single characters or bigrams; no other term holds a CJK character
        if cs.is_empty() || cs.len() > 2 || !cs.iter().all(|&c| is_cjk(c)) {
            continue;
        }
        for (k, c) in cs.iter().enumerate() {
            if k == 1 && cs[0] == *c {
                continue;
            }
            chars.entry(c.to_string()).or_default().push(t.term);
        }
    }
    for list in chars.values_mut() {
        list.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    }
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_fnv1a_over_utf16() {
        // FNV-1a test vectors (for ASCII, UTF-16 code units are the bytes)
        assert_eq!(hash(""), 0x811c9dc5);
        assert_eq!(hash("a"), 0xe40c292c);
        assert_eq!(hash("foobar"), 0xbf9cf968);
    }

    #[test]
    fn shard_counts_are_powers_of_two() {
        assert_eq!(shard_count(0, 100), 1);
        assert_eq!(shard_count(250, 100), 2);
        assert_eq!(shard_count(1000, 100), 16);
        assert_eq!(shard_count(usize::MAX / 2, 1), MAX_SHARDS);
    }

    #[test]
    fn positions_are_grouped_by_field_and_delta_coded() {
        let positions = [(0, 1 << 30 | 4), (0, 1 << 30 | 9), (3, 2), (3, 1 << 30 | 1)];
        let json = positions_part(&[("管理".to_string(), &positions[..])], 3);
        assert_eq!(json, r#"{"管理":[[3,1,2],[0,2,4,5,3,1,1],[]]}"#);
    }
}
