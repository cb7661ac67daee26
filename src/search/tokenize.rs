//! The tokenizer shared by the index (here, at build time) and the query (in
//! `themes/default/static/js/search.js`, at search time). The two must agree term for term;
//! `src/search/testdata/tokenize-cases.json` pins the expected output of both.
//!
//! The rules, applied to `fold(text)` (NFKC, then lower case, then U+2010, U+2011 and U+2212
//! written as `-`), one Unicode scalar value at a time:
//!
//! * CJK (kana, kanji, hangul; see [`is_cjk`]): each maximal run becomes its overlapping
//!   character bigrams (`多要素認証` → `多要`, `要素`, `素認`, `認証`); a run of one character
//!   becomes that character.
//! * Word characters (Unicode `Alphabetic` or `N*`, other than CJK) and the joiners
//!   `- . / ( )` form chunks. Each maximal run of word characters in a chunk is a *word*,
//!   stemmed with lunr's Porter stemmer if it is ASCII (`backups` → `backup`). If the chunk,
//!   trimmed of outer joiners (see [`trim_compound`]), still contains a joiner, it is also
//!   kept whole, unstemmed, as a *compound*: `AM-1` → `am-1`, `PR.AA-03` → `pr.aa-03`,
//!   `21(2)(a)` → `21(2)(a)`. The compound comes before the chunk's words.
//! * Everything else separates tokens.

use super::stemmer;
use unicode_normalization::UnicodeNormalization;

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A CJK bigram, or a lone CJK character.
    Cjk,
    /// A run of word characters (not stemmed yet).
    Word,
    /// A chunk of words and joiners kept whole, e.g. `am-1`.
    Compound,
}

/// One token of folded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub kind: TokenKind,
}

/// Kana folding, one character (after NFKC and lower case): hiragana as katakana, small kana
/// as full-size ones, and the long-vowel mark `ー` dropped (`None`), so that ばっくあっぷ,
/// バックアップ and バツクアツプ, or サーバー and サーバ, are the same term.
/// JavaScript: `foldKana` in search-core.js.
pub fn fold_kana(c: char) -> Option<char> {
    let c = match c {
        // hiragana (and ゝ ゞ) → katakana: the blocks are 0x60 apart
        '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => {
            char::from_u32(c as u32 + 0x60).unwrap_or(c)
        }
        c => c,
    };
    Some(match c {
        '\u{30FC}' => return None,
        'ァ' => 'ア',
        'ィ' => 'イ',
        'ゥ' => 'ウ',
        'ェ' => 'エ',
        'ォ' => 'オ',
        'ッ' => 'ツ',
        'ャ' => 'ヤ',
        'ュ' => 'ユ',
        'ョ' => 'ヨ',
        'ヮ' => 'ワ',
        'ヵ' => 'カ',
        'ヶ' => 'ケ',
        '\u{31F0}'..='\u{31FF}' => SMALL_KANA_EXT[c as usize - 0x31F0],
        c => c,
    })
}

/// Katakana Phonetic Extensions (small ㇰ to ㇿ) → full-size katakana.
const SMALL_KANA_EXT: [char; 16] = [
    'ク', 'シ', 'ス', 'ト', 'ヌ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'ム', 'ラ', 'リ', 'ル', 'レ', 'ロ',
];

/// NFKC, lower case, the Unicode hyphens U+2010, U+2011 and the minus sign U+2212 as `-`, then
/// [`fold_kana`]. The JavaScript side is
/// `foldKana(s.normalize('NFKC').toLowerCase().replace(/[\u2010\u2011\u2212]/g, '-'))`.
pub fn fold(text: &str) -> String {
    // Most text is NFKC already; the quick check saves normalising it again.
    let nfkc: std::borrow::Cow<str> = match unicode_normalization::is_nfkc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.into(),
        _ => text.nfkc().collect::<String>().into(),
    };
    nfkc.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            '\u{2010}' | '\u{2011}' | '\u{2212}' => Some('-'),
            c => fold_kana(c),
        })
        .collect()
}

/// `fold(text)` as characters, into `out` (cleared first), without the intermediate strings;
/// `nfkc` says the text is known to be in NFKC already (a stored body), which saves checking.
pub fn fold_chars(text: &str, nfkc: bool, out: &mut Vec<char>) {
    out.clear();
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    let normalized: std::borrow::Cow<str> = if nfkc
        || unicode_normalization::is_nfkc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        text.into()
    } else {
        text.nfkc().collect::<String>().into()
    };
    if normalized.contains('\u{3a3}') {
        // capital sigma lower-cases by context (final sigma): only the string method knows
        out.extend(fold(&normalized).chars());
        return;
    }
    for c in normalized.chars() {
        for lower in c.to_lowercase() {
            match lower {
                '\u{2010}' | '\u{2011}' | '\u{2212}' => out.push('-'),
                other => out.extend(fold_kana(other)),
            }
        }
    }
}

/// Code point ranges tokenized as CJK (bigrams). Mirrored in search.js (`CJK_RANGES`).
pub const CJK_RANGES: &[(u32, u32)] = &[
    (0x1100, 0x11FF),   // Hangul Jamo
    (0x3005, 0x3007),   // 々 〆 〇
    (0x3041, 0x3096),   // Hiragana
    (0x309D, 0x309F),   // ゝ ゞ ゟ
    (0x30A1, 0x30FA),   // Katakana (without the middle dot ・ U+30FB)
    (0x30FC, 0x30FF),   // ー ヽ ヾ ヿ
    (0x3131, 0x318E),   // Hangul Compatibility Jamo
    (0x31F0, 0x31FF),   // Katakana Phonetic Extensions
    (0x3400, 0x4DBF),   // CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),   // CJK Unified Ideographs
    (0xAC00, 0xD7A3),   // Hangul Syllables
    (0xF900, 0xFAFF),   // CJK Compatibility Ideographs
    (0xFF66, 0xFF9F),   // Halfwidth Katakana (NFKC maps these away; kept for safety)
    (0x20000, 0x3FFFF), // Supplementary and Tertiary Ideographic Planes
];

pub fn is_cjk(c: char) -> bool {
    let c = c as u32;
    CJK_RANGES.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

/// `- . / ( )`: characters that join words into a compound such as `pr.aa-03` or `21(2)(a)`.
pub fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '/' | '(' | ')')
}

/// Word characters: Unicode `Alphabetic` or a number (`Nd`, `Nl`, `No`), other than CJK.
/// JavaScript: `/[\p{Alphabetic}\p{N}]/u`.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Trims a chunk to the compound it stands for: outer joiners go, except parentheses that
/// belong to it. Repeated until nothing changes:
/// 1. leading joiners other than `(` and trailing joiners other than `)` are removed;
/// 2. a leading `(` goes if the chunk has more `(` than `)`, a trailing `)` if it has more `)`
///    than `(`;
/// 3. a leading `(` whose matching `)` is the last character goes, with that `)`.
///
/// `(AM-1).` → `am-1`; `21(2)(a)` stays; `a)` → `a`.
pub fn trim_compound(chunk: &[char]) -> &[char] {
    let mut s = chunk;
    loop {
        let before = s.len();
        while let Some((&c, rest)) = s.split_first() {
            if is_joiner(c) && c != '(' {
                s = rest;
            } else {
                break;
            }
        }
        while let Some((&c, rest)) = s.split_last() {
            if is_joiner(c) && c != ')' {
                s = rest;
            } else {
                break;
            }
        }
        let open = s.iter().filter(|&&c| c == '(').count();
        let close = s.iter().filter(|&&c| c == ')').count();
        if s.first() == Some(&'(') && open > close {
            s = &s[1..];
        } else if s.last() == Some(&')') && close > open {
            s = &s[..s.len() - 1];
        } else if s.first() == Some(&'(') && matching_close(s) == Some(s.len() - 1) {
            s = &s[1..s.len() - 1];
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Index of the `)` that closes the `(` at index 0.
fn matching_close(s: &[char]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &c) in s.iter().enumerate() {
        if c == '(' {
            depth += 1;
        } else if c == ')' {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Calls `emit(kind, chars, position)` for each token of already folded text, in order;
/// `position` is the index of the token's first character (code point) in `folded`. The
/// indexer uses this directly, without a `String` per token.
pub fn scan_folded(chars: &[char], mut emit: impl FnMut(TokenKind, &[char], usize)) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() == 1 {
                emit(TokenKind::Cjk, run, start);
            } else {
                for (k, pair) in run.windows(2).enumerate() {
                    emit(TokenKind::Cjk, pair, start + k);
                }
            }
        } else if is_word(c) || is_joiner(c) {
            let start = i;
            while i < chars.len() && (is_word(chars[i]) || is_joiner(chars[i])) {
                i += 1;
            }
            let chunk = &chars[start..i];
            let compound = trim_compound(chunk);
            if compound.iter().any(|&c| is_joiner(c)) && compound.iter().any(|&c| is_word(c)) {
                let offset = compound.as_ptr() as usize - chunk.as_ptr() as usize;
                emit(
                    TokenKind::Compound,
                    compound,
                    start + offset / std::mem::size_of::<char>(),
                );
            }
            let mut j = 0;
            while j < chunk.len() {
                if is_word(chunk[j]) {
                    let w = j;
                    while j < chunk.len() && is_word(chunk[j]) {
                        j += 1;
                    }
                    emit(TokenKind::Word, &chunk[w..j], start + w);
                } else {
                    j += 1;
                }
            }
        } else {
            i += 1;
        }
    }
}

/// Tokens of already folded text, in order.
pub fn tokenize_folded(folded: &str) -> Vec<Token> {
    let chars: Vec<char> = folded.chars().collect();
    let mut tokens = Vec::new();
    scan_folded(&chars, |kind, text, _| {
        tokens.push(Token {
            text: text.iter().collect(),
            kind,
        })
    });
    tokens
}

/// Tokens of `text` (folded first).
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_folded(&fold(text))
}

/// The index term of a token: ASCII words are stemmed, everything else is kept as is.
pub fn term(token: &Token) -> String {
    match token.kind {
        TokenKind::Word if token.text.is_ascii() => stemmer::stem(&token.text),
        _ => token.text.clone(),
    }
}

/// The index terms of `text`, in order, with repeats (term frequencies count them).
/// JavaScript: `KijunSearch.indexTerms(lunr, text)`.
pub fn index_terms(text: &str) -> Vec<String> {
    tokenize(text).iter().map(term).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<String> {
        index_terms(s)
    }

    #[test]
    fn fold_chars_is_fold() {
        let mut out = Vec::new();
        for text in [
            "AM-1 Backups",
            "ＡＭ－１ ｾｷｭﾘﾃｨ 多要素認証",
            "ΣΊΣΥΦΟΣ Σ σ",
            "AM\u{2010}1 \u{2212}3",
            "Straße İstanbul",
            "",
        ] {
            fold_chars(text, false, &mut out);
            assert_eq!(out.iter().collect::<String>(), fold(text), "{text}");
        }
    }

    #[test]
    fn cjk_bigrams() {
        assert_eq!(terms("多要素認証"), ["多要", "要素", "素認", "認証"]);
        assert_eq!(terms("鍵"), ["鍵"]);
        assert_eq!(terms("脆弱性、鍵。"), ["脆弱", "弱性", "鍵"]);
        // the katakana middle dot and Japanese punctuation separate runs
        assert_eq!(terms("IT・OT資産"), ["it", "ot", "資産"]);
        // 々 belongs to runs; the long-vowel mark is folded away
        assert_eq!(terms("サーバー"), ["サバ"]);
        assert_eq!(terms("人々"), ["人々"]);
    }

    #[test]
    fn bigrams_of_a_query_are_bigrams_of_the_text() {
        // the property the search relies on: a CJK string's terms are a subset of the terms of
        // any text containing it, wherever it sits
        let text = terms("事業者は多要素認証を導入する。");
        for t in terms("多要素認証") {
            assert!(text.contains(&t), "{t}");
        }
        let text = terms("脆弱性管理");
        assert!(text.contains(&"脆弱".to_string()));
    }

    #[test]
    fn english_is_folded_and_stemmed() {
        assert_eq!(terms("Backups"), ["backup"]);
        assert_eq!(terms("BACKUP"), ["backup"]);
        assert_eq!(terms("Restoring the backups."), ["restor", "the", "backup"]);
        // non-ASCII words are folded but not stemmed
        assert_eq!(terms("Cafés"), ["cafés"]);
    }

    #[test]
    fn kana_variants_are_one_term() {
        // hiragana as katakana, small kana as full-size, the long-vowel mark dropped
        assert_eq!(terms("ばっくあっぷ"), terms("バックアップ"));
        assert_eq!(terms("バツクアツプ"), terms("バックアップ"));
        assert_eq!(terms("サーバ"), terms("サーバー"));
        assert_eq!(terms("ユーザー"), terms("ゆーざ"));
        assert_eq!(fold("ぁゕゖゝゞ"), "アカケヽヾ");
        assert_eq!(fold("ㇰㇿ"), "クロ");
        // kanji and other scripts are untouched
        assert_eq!(fold("多要素認証"), "多要素認証");
    }

    #[test]
    fn nfkc_folds_full_width_and_half_width() {
        assert_eq!(terms("ＡＭ－１"), terms("AM-1"));
        assert_eq!(terms("ｾｷｭﾘﾃｨ"), terms("セキュリティ"));
        assert_eq!(terms("AM\u{2010}1"), terms("AM-1"));
    }

    #[test]
    fn ids_are_kept_whole() {
        assert_eq!(terms("AM-1"), ["am-1", "am", "1"]);
        assert_eq!(terms("GV-12"), ["gv-12", "gv", "12"]);
        assert_eq!(terms("PR.AA-03"), ["pr.aa-03", "pr", "aa", "03"]);
        assert_eq!(terms("GV.OC"), ["gv.oc", "gv", "oc"]);
        assert_eq!(terms("A1.a"), ["a1.a", "a1", "a"]);
        assert_eq!(terms("B2"), ["b2"]);
        assert_eq!(terms("21(2)(a)"), ["21(2)(a)", "21", "2", "a"]);
        assert_eq!(
            terms("Article 21(2)(a),"),
            ["articl", "21(2)(a)", "21", "2", "a"]
        );
    }

    #[test]
    fn compounds_are_trimmed() {
        assert_eq!(terms("(AM-1)."), ["am-1", "am", "1"]);
        assert_eq!(terms("AM-1を参照"), ["am-1", "am", "1", "ヲ参", "参照"]);
        assert_eq!(
            terms("CSF: PR.AA-03;"),
            ["csf", "pr.aa-03", "pr", "aa", "03"]
        );
        assert_eq!(terms("a) b."), ["a", "b"]);
        assert_eq!(terms("(2)(a)"), ["(2)(a)", "2", "a"]);
        assert_eq!(terms("e.g."), ["e.g", "e", "g"]);
        assert_eq!(terms("-- ... ()"), Vec::<String>::new());
        assert_eq!(terms("AM-10"), ["am-10", "am", "10"]);
    }

    #[test]
    fn trim_compound_rules() {
        let t = |s: &str| -> String {
            let c: Vec<char> = s.chars().collect();
            trim_compound(&c).iter().collect()
        };
        assert_eq!(t("((am-1))"), "am-1");
        assert_eq!(t("21(2)(a))"), "21(2)(a)");
        assert_eq!(t("(21(2)(a)"), "21(2)(a)");
        assert_eq!(t("./x/."), "x");
        assert_eq!(t("()"), "");
    }

    /// The cases in `testdata/tokenize-cases.json` are checked here and, against search.js,
    /// by `tests/node/search.test.mjs`: both sides must give exactly these terms.
    #[test]
    fn shared_cases() {
        let cases: serde_json::Value =
            serde_json::from_str(include_str!("testdata/tokenize-cases.json")).unwrap();
        let cases = cases.as_array().expect("an array of [text, [terms]]");
        assert!(cases.len() >= 20);
        for case in cases {
            let text = case[0].as_str().unwrap();
            let expected: Vec<String> = case[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            assert_eq!(index_terms(text), expected, "terms of {text:?}");
        }
    }
}
