//! An exact Rust port of the Porter stemmer that lunr.js 2.3.9 ships as `lunr.stemmer`.
//!
//! lunr's stemmer is Martin Porter's JavaScript implementation, written with regular
//! expressions. Its character classes differ slightly from the textbook algorithm (a consonant
//! is `[^aeiou]`, so `y` counts as both, and a leading `y` is upper-cased while stemming), and
//! its `(.+?)(suffix)$` patterns always pick the *longest* listed suffix that leaves a non-empty
//! stem, without falling back to a shorter one. This port reproduces those regular expressions
//! exactly, so that the terms kijun writes into an index at build time are the terms lunr.js
//! produces from a query in the browser. `tests/data/stemmer-words.tsv` (word, lunr's stem)
//! checks it.
//!
//! The port works on `char`s; lunr works on UTF-16 code units, which is the same for every
//! word of the Basic Multilingual Plane. kijun only stems ASCII words (see `tokenize.rs`).

/// `[aeiou]`
fn is_v(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// `[aeiouy]`
fn is_vy(c: char) -> bool {
    is_v(c) || c == 'y'
}

/// The pieces of lunr's "measure" regular expressions.
#[derive(Clone, Copy)]
enum P {
    /// `C` = `[^aeiou][^aeiouy]*` (a consonant sequence)
    C,
    /// `(C)?`
    OptC,
    /// `V` = `[aeiouy][aeiou]*` (a vowel sequence)
    V,
    /// `(V)?`
    OptV,
    /// `v` = `[aeiouy]` (one vowel)
    Vowel,
    /// `[^aeiouwxy]` (one character)
    NotWxy,
    /// `$`
    End,
}

/// Backtracking match of `^pattern` against `s` from position `i`, as a JavaScript `RegExp`
/// would do it (`test` only: does some prefix of `s` match).
fn matches(s: &[char], i: usize, pat: &[P]) -> bool {
    let Some((first, rest)) = pat.split_first() else {
        return true;
    };
    match first {
        P::End => i == s.len(),
        P::Vowel => i < s.len() && is_vy(s[i]) && matches(s, i + 1, rest),
        P::NotWxy => {
            i < s.len()
                && !matches!(s[i], 'a' | 'e' | 'i' | 'o' | 'u' | 'w' | 'x' | 'y')
                && matches(s, i + 1, rest)
        }
        P::OptC => matches_seq(s, i, rest, false) || matches(s, i, rest),
        P::C => matches_seq(s, i, rest, false),
        P::OptV => matches_seq(s, i, rest, true) || matches(s, i, rest),
        P::V => matches_seq(s, i, rest, true),
    }
}

/// A consonant (`vowel == false`) or vowel sequence at `i`, then `rest`; greedy, backtracking.
fn matches_seq(s: &[char], i: usize, rest: &[P], vowel: bool) -> bool {
    let head_ok = |c: char| if vowel { is_vy(c) } else { !is_v(c) };
    let tail_ok = |c: char| if vowel { is_v(c) } else { !is_vy(c) };
    if i >= s.len() || !head_ok(s[i]) {
        return false;
    }
    let mut end = i + 1;
    while end < s.len() && tail_ok(s[end]) {
        end += 1;
    }
    (i + 1..=end).rev().any(|j| matches(s, j, rest))
}

/// `^(C)?VC` : measure > 0
fn mgr0(s: &[char]) -> bool {
    matches(s, 0, &[P::OptC, P::V, P::C])
}

/// `^(C)?VC(V)?$` : measure == 1
fn meq1(s: &[char]) -> bool {
    matches(s, 0, &[P::OptC, P::V, P::C, P::OptV, P::End])
}

/// `^(C)?VCVC` : measure > 1
fn mgr1(s: &[char]) -> bool {
    matches(s, 0, &[P::OptC, P::V, P::C, P::V, P::C])
}

/// `^(C)?v` : the stem contains a vowel
fn s_v(s: &[char]) -> bool {
    matches(s, 0, &[P::OptC, P::Vowel])
}

/// `^Cv[^aeiouwxy]$` : consonant-vowel-consonant ending (re4_1b_2 and re3_5)
fn cvc(s: &[char]) -> bool {
    matches(s, 0, &[P::C, P::Vowel, P::NotWxy, P::End])
}

fn ends_with(w: &[char], suffix: &str) -> bool {
    let n = suffix.chars().count();
    w.len() >= n && w[w.len() - n..].iter().copied().eq(suffix.chars())
}

/// `^(.+?)(s1|s2|...)$`: the shortest non-empty stem whose remainder is one of `suffixes`.
/// Returns (stem length, suffix).
fn lazy_suffix<'a>(w: &[char], suffixes: &[(&'a str, &'a str)]) -> Option<(usize, &'a str)> {
    (1..w.len()).find_map(|i| {
        let rest = &w[i..];
        suffixes
            .iter()
            .find(|(s, _)| rest.iter().copied().eq(s.chars()))
            .map(|(_, r)| (i, *r))
    })
}

const STEP2: &[(&str, &str)] = &[
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
];

const STEP3: &[(&str, &str)] = &[
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
];

const STEP4: &[(&str, &str)] = &[
    ("al", ""),
    ("ance", ""),
    ("ence", ""),
    ("er", ""),
    ("ic", ""),
    ("able", ""),
    ("ible", ""),
    ("ant", ""),
    ("ement", ""),
    ("ment", ""),
    ("ent", ""),
    ("ou", ""),
    ("ism", ""),
    ("ate", ""),
    ("iti", ""),
    ("ous", ""),
    ("ive", ""),
    ("ize", ""),
];

/// Stems one lower-case word exactly as `lunr.stemmer` does.
pub fn stem(word: &str) -> String {
    let mut w: Vec<char> = word.chars().collect();
    if w.len() < 3 {
        return word.to_string();
    }
    let first_y = w[0] == 'y';
    if first_y {
        w[0] = 'Y';
    }

    // Step 1a: sses -> ss, ies -> i, s -> "" (unless ss)
    if let Some((i, _)) = lazy_suffix(&w, &[("sses", ""), ("ies", "")]) {
        // `^(.+?)(ss|i)es$` -> `$1$2`: drop the final "es"
        let _ = i;
        w.truncate(w.len() - 2);
    } else if w.len() >= 3 && w[w.len() - 1] == 's' && w[w.len() - 2] != 's' {
        // `^(.+?)([^s])s$` -> `$1$2`
        w.pop();
    }

    // Step 1b
    if w.len() >= 4 && ends_with(&w, "eed") {
        // `^(.+?)eed$`
        if mgr0(&w[..w.len() - 3]) {
            w.pop();
        }
    } else if let Some((i, _)) = lazy_suffix(&w, &[("ed", ""), ("ing", "")]) {
        // `^(.+?)(ed|ing)$`
        if s_v(&w[..i]) {
            w.truncate(i);
            if ends_with(&w, "at") || ends_with(&w, "bl") || ends_with(&w, "iz") {
                w.push('e');
            } else if w.len() >= 2
                && w[w.len() - 1] == w[w.len() - 2]
                && !matches!(
                    w[w.len() - 1],
                    'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'l' | 's' | 'z'
                )
            {
                // `([^aeiouylsz])\1$`
                w.pop();
            } else if cvc(&w) {
                w.push('e');
            }
        }
    }

    // Step 1c: `^(.+?[^aeiou])y$` -> stem + "i"
    if w.len() >= 3 && w[w.len() - 1] == 'y' && !is_v(w[w.len() - 2]) {
        let n = w.len();
        w[n - 1] = 'i';
    }

    // Steps 2 and 3: `^(.+?)(suffixes)$`, replaced if the stem has measure > 0
    for list in [STEP2, STEP3] {
        if let Some((i, replacement)) = lazy_suffix(&w, list)
            && mgr0(&w[..i])
        {
            w.truncate(i);
            w.extend(replacement.chars());
        }
    }

    // Step 4
    if let Some((i, _)) = lazy_suffix(&w, STEP4) {
        if mgr1(&w[..i]) {
            w.truncate(i);
        }
    } else if w.len() >= 5 && (ends_with(&w, "sion") || ends_with(&w, "tion")) {
        // `^(.+?)(s|t)(ion)$`: the stem keeps the s or t
        let i = w.len() - 3;
        if mgr1(&w[..i]) {
            w.truncate(i);
        }
    }

    // Step 5: `^(.+?)e$`
    if w.len() >= 2 && w[w.len() - 1] == 'e' {
        let stem = &w[..w.len() - 1];
        if mgr1(stem) || (meq1(stem) && !cvc(stem)) {
            w.pop();
        }
    }
    // `ll$` with measure > 1 -> drop one l
    if ends_with(&w, "ll") && mgr1(&w) {
        w.pop();
    }

    if first_y {
        w[0] = 'y';
    }
    w.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn textbook_examples() {
        for (word, expected) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("ties", "ti"),
            ("cats", "cat"),
            ("feed", "feed"),
            ("agreed", "agre"),
            ("plastered", "plaster"),
            ("motoring", "motor"),
            ("sing", "sing"),
            ("conflated", "conflat"),
            ("hopping", "hop"),
            ("filing", "file"),
            ("happy", "happi"),
            ("relational", "relat"),
            ("generalization", "gener"),
            ("backups", "backup"),
            ("backup", "backup"),
            ("yellow", "yellow"),
            ("controlling", "control"),
            ("be", "be"),
        ] {
            assert_eq!(stem(word), expected, "stem({word})");
        }
    }

    /// `tests/data/stemmer-words.tsv` holds English words taken from real text (the framework
    /// catalogs, licences and manuals) with the stem that lunr.js 2.3.9's `lunr.stemmer` gives
    /// each, generated once with node. The port must agree on every one.
    #[test]
    fn equals_lunr_stemmer_on_word_list() {
        let data = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/stemmer-words.tsv"
        ));
        let mut checked = 0;
        let mut wrong = Vec::new();
        for line in data.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, expected) = line.split_once('\t').expect("word<TAB>stem");
            if stem(word) != expected {
                wrong.push(format!("{word}: lunr {expected}, ours {}", stem(word)));
            }
            checked += 1;
        }
        assert!(checked >= 2000, "only {checked} words in the list");
        assert!(
            wrong.is_empty(),
            "{} differ:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
