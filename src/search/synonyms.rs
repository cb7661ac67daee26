//! Synonyms from the glossary: a term's name and its `aliases` in one language form a group
//! (多要素認証, MFA, 二要素認証). At index time every place a member occurs in a field adds the
//! group's token (`~` and the term id, e.g. `~mfa`, which no text can produce) after the field's
//! own terms; at query time a word or run of words of the query that is a member is searched as
//! that token (search-core.js: `parseQuery`). So "MFA" finds the pages that say 多要素認証.
//!
//! Members match on index terms (folded, tokenized, stemmed: see [`super::tokenize`]): a member
//! occurs in a field where its terms occur one after the other. A name's part in brackets is
//! left out (制御システム（OT） → 制御システム); list it in `aliases` to have it too.
//! JavaScript: `synonymTerms` in search-core.js, which must give the same tokens in the same order
//! (checked on the shared cases in `testdata/synonym-cases.json`).

use super::tokenize::index_terms;
use crate::model::Term;
use rustc_hash::FxHashMap as HashMap;

/// One group: its token and its members as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub token: String,
    pub members: Vec<String>,
}

/// The groups of one language: glossary terms that have aliases in it, in glossary order.
pub fn groups(glossary: &[Term], lang: &str) -> Vec<Group> {
    glossary
        .iter()
        .filter_map(|t| {
            let aliases = t.aliases.get(lang).filter(|a| !a.is_empty())?;
            let mut members = vec![member_name(t.names.get(lang)?)];
            members.extend(aliases.iter().cloned());
            Some(Group {
                token: format!("~{}", t.id),
                members,
            })
        })
        .collect()
}

/// A term's name without its part in brackets: `制御システム（OT）` → `制御システム`.
pub fn member_name(name: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.trim();
    if out.is_empty() { name.trim() } else { out }.to_string()
}

/// `[["~mfa",["多要素認証","MFA"]],...]`, as search-core.js reads it.
pub fn to_json(groups: &[Group]) -> String {
    use super::lunr::push_json_string;
    let mut out = String::from("[");
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_json_string(&mut out, &g.token);
        out.push_str(",[");
        for (k, m) in g.members.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            push_json_string(&mut out, m);
        }
        out.push_str("]]");
    }
    out.push(']');
    out
}

/// Finds members in a field's terms, by term index (the builder's ids), without a string per
/// term. Members are resolved to ids once all their terms are known to the index.
pub struct Matcher {
    /// (group, member terms), every member of every group.
    members: Vec<(usize, Vec<String>)>,
    tokens: Vec<String>,
    /// Per member: its term ids, once every one is in the index.
    resolved: Vec<Option<Vec<u32>>>,
    /// First term id → members starting with it (resolved members only).
    first: HashMap<u32, Vec<usize>>,
}

impl Matcher {
    pub fn new(groups: &[Group]) -> Self {
        let mut members = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            for m in &group.members {
                let terms = index_terms(m);
                if !terms.is_empty() {
                    members.push((g, terms));
                }
            }
        }
        Matcher {
            resolved: vec![None; members.len()],
            members,
            tokens: groups.iter().map(|g| g.token.clone()).collect(),
            first: HashMap::default(),
        }
    }

    pub fn token(&self, group: usize) -> &str {
        &self.tokens[group]
    }

    /// The groups found in `seq` (a field's term ids), in order of where they start, one per
    /// group and start; `id_of` gives the id of a term already in the index.
    pub fn find(&mut self, seq: &[u32], id_of: impl Fn(&str) -> Option<u32>) -> Vec<usize> {
        for (m, (_, terms)) in self.members.iter().enumerate() {
            if self.resolved[m].is_none() {
                let ids: Option<Vec<u32>> = terms.iter().map(|t| id_of(t)).collect();
                if let Some(ids) = ids {
                    self.first.entry(ids[0]).or_default().push(m);
                    self.resolved[m] = Some(ids);
                }
            }
        }
        let mut found = Vec::new();
        for i in 0..seq.len() {
            let Some(candidates) = self.first.get(&seq[i]) else {
                continue;
            };
            let start = found.len();
            for &m in candidates {
                let group = self.members[m].0;
                let ids = self.resolved[m].as_deref().unwrap_or_default();
                if seq[i..].starts_with(ids) && !found[start..].contains(&group) {
                    found.push(group);
                }
            }
            found[start..].sort_unstable();
        }
        found
    }
}

/// The index terms of `text` with the group tokens of its synonyms after them: what one field
/// of a page is indexed as. JavaScript: `KijunSearch.indexTerms(lunr, text, synonyms)`.
pub fn terms_with_synonyms(text: &str, groups: &[Group]) -> Vec<String> {
    let mut terms = index_terms(text);
    let mut ids: HashMap<String, u32> = HashMap::default();
    let seq: Vec<u32> = terms
        .iter()
        .map(|t| {
            let n = ids.len() as u32;
            *ids.entry(t.clone()).or_insert(n)
        })
        .collect();
    let mut matcher = Matcher::new(groups);
    for g in matcher.find(&seq, |t| ids.get(t).copied()) {
        terms.push(matcher.token(g).to_string());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(token: &str, members: &[&str]) -> Group {
        Group {
            token: token.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn names_lose_their_bracketed_part() {
        assert_eq!(member_name("制御システム（OT）"), "制御システム");
        assert_eq!(
            member_name("Recovery time objective (RTO)"),
            "Recovery time objective"
        );
        assert_eq!(member_name("（OT）"), "（OT）");
        assert_eq!(member_name("EDR"), "EDR");
    }

    #[test]
    fn tokens_follow_the_terms_in_order_of_place() {
        let groups = [
            group("~mfa", &["多要素認証", "MFA"]),
            group("~ot", &["制御システム", "OT"]),
        ];
        let t = terms_with_synonyms("OT機器にMFAを", &groups);
        assert_eq!(t[t.len() - 2..], ["~ot", "~mfa"]);
        // a member inside a longer CJK run still occurs (as Ctrl+F would find it)
        assert!(terms_with_synonyms("多要素認証を導入", &groups).ends_with(&["~mfa".into()]));
        // each place counts; words match whole, stemmed and case-folded
        let t = terms_with_synonyms("mfa and multi-factor; MFAs", &groups);
        assert_eq!(t.iter().filter(|x| *x == "~mfa").count(), 2);
        assert!(!terms_with_synonyms("bot", &groups).contains(&"~ot".to_string()));
    }

    /// `testdata/synonym-cases.json`: checked here and, against search-core.js, in
    /// tests/node/search.test.mjs.
    #[test]
    fn shared_cases() {
        let data: serde_json::Value =
            serde_json::from_str(include_str!("testdata/synonym-cases.json")).unwrap();
        let groups: Vec<Group> = data["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| Group {
                token: g[0].as_str().unwrap().into(),
                members: g[1]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap().into())
                    .collect(),
            })
            .collect();
        let cases = data["cases"].as_array().unwrap();
        assert!(cases.len() >= 8);
        for case in cases {
            let text = case[0].as_str().unwrap();
            let want: Vec<String> = serde_json::from_value(case[1].clone()).unwrap();
            assert_eq!(terms_with_synonyms(text, &groups), want, "{text}");
        }
    }
}
