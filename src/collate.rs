//! Sorting Japanese the way a dictionary does (after JIS X 4061): by kana reading, katakana as
//! hiragana, and at the first level voiced and plain kana together (か = が), small kana as large
//! (っ = つ) and the long-vowel mark ー read as the vowel before it (いーでぃー = いいでいい).
//! Ties are broken by the exact kana (plain before voiced before semi-voiced, small before large),
//! then by the text itself, so the order is total and stable. Other scripts sort case-insensitively.

use unicode_normalization::UnicodeNormalization;

/// The key to sort a word or reading by: compare keys, not strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    /// Base kana: no voicing, small kana as large, ー as its vowel; Latin lower-cased.
    primary: String,
    /// NFKC, lower-cased, katakana as hiragana: tells が from か and っ from つ.
    folded: String,
    /// The text as given: tells katakana from hiragana last.
    exact: String,
}

pub fn sort_key(text: &str) -> SortKey {
    let folded: String = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .map(katakana_to_hiragana)
        .collect();
    // NFD splits が into か + U+3099; dropping the combining marks leaves the base kana.
    let mut primary = String::with_capacity(folded.len());
    let mut previous: Option<char> = None;
    for c in folded
        .nfd()
        .filter(|c| !matches!(*c, '\u{3099}' | '\u{309A}'))
    {
        let base = match c {
            'ー' => previous.and_then(vowel_of).unwrap_or(c),
            _ => small_to_large(c),
        };
        primary.push(base);
        previous = Some(base);
    }
    SortKey {
        primary,
        folded,
        exact: text.to_string(),
    }
}

fn katakana_to_hiragana(c: char) -> char {
    match c {
        'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

fn small_to_large(c: char) -> char {
    match c {
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'っ' => 'つ',
        'ゃ' => 'や',
        'ゅ' => 'ゆ',
        'ょ' => 'よ',
        'ゎ' => 'わ',
        'ゕ' => 'か',
        'ゖ' => 'け',
        _ => c,
    }
}

/// The vowel a long-vowel mark after this (plain, large) hiragana stands for; `None` for ん and
/// anything that is not kana, where ー keeps its own place.
fn vowel_of(kana: char) -> Option<char> {
    const ROWS: [(&str, char); 5] = [
        ("あかさたなはまやらわ", 'あ'),
        ("いきしちにひみりゐ", 'い'),
        ("うくすつぬふむゆるゔ", 'う'),
        ("えけせてねへめれゑ", 'え'),
        ("おこそとのほもよろを", 'お'),
    ];
    ROWS.iter()
        .find(|(row, _)| row.contains(kana))
        .map(|(_, vowel)| *vowel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&'static str]) -> Vec<&'static str> {
        let mut words = words.to_vec();
        words.sort_by_cached_key(|w| sort_key(w));
        words
    }

    #[test]
    fn kana_sort_in_gojuon_order_with_voicing_ignored_first() {
        assert_eq!(
            sorted(&[
                "ばっくあっぷ",
                "ぜいじゃくせい",
                "あくせす",
                "はけん",
                "サプライチェーン",
                "かんし",
                "がいぶ",
            ]),
            [
                "あくせす",
                "がいぶ",
                "かんし",
                "サプライチェーン",
                "ぜいじゃくせい",
                "はけん",
                "ばっくあっぷ"
            ]
        );
    }

    #[test]
    fn long_vowel_mark_reads_as_the_vowel_before_it() {
        // いーでぃーあーる is いいでいいあある: before いん…, after いあ….
        assert_eq!(
            sorted(&["いんしでんと", "いーでぃーあーる", "いあい"]),
            ["いあい", "いーでぃーあーる", "いんしでんと"]
        );
        // せぷたー = せぷたあ, before せぷたい; しーさーと = しいさあと, before しさん….
        assert_eq!(sorted(&["せぷたい", "せぷたー"]), ["せぷたー", "せぷたい"]);
        assert_eq!(
            sorted(&["しさんだいちょう", "しーさーと", "しあ"]),
            ["しあ", "しーさーと", "しさんだいちょう"]
        );
        // Each vowel row, in katakana too: ルー = るう, ケー = けえ, コー = こお.
        assert_eq!(
            sorted(&["るか", "ルー", "けお", "ケー", "こう", "コー"]),
            ["ケー", "けお", "こう", "コー", "ルー", "るか"]
        );
    }

    #[test]
    fn small_kana_sort_as_large_then_before_them() {
        // っ = つ at the first level: ばっく sorts between ばつあ and ばてる.
        assert_eq!(
            sorted(&["ばてる", "ばっく", "ばつあ"]),
            ["ばつあ", "ばっく", "ばてる"]
        );
        // Same base: the small kana comes first.
        assert_eq!(sorted(&["きやく", "きゃく"]), ["きゃく", "きやく"]);
    }

    #[test]
    fn voicing_breaks_ties_plain_then_voiced_then_semi_voiced() {
        assert_eq!(sorted(&["ぱす", "ばす", "はす"]), ["はす", "ばす", "ぱす"]);
        // Voicing is second level: はた < ばち < はて (た < ち < て decides first).
        assert_eq!(sorted(&["はて", "ばち", "はた"]), ["はた", "ばち", "はて"]);
    }

    #[test]
    fn katakana_and_hiragana_sort_together() {
        assert_eq!(
            sorted(&["ログ", "ろうどう", "れべる"]),
            ["れべる", "ろうどう", "ログ"]
        );
        assert_ne!(sort_key("ログ"), sort_key("ろぐ"), "still a total order");
    }

    #[test]
    fn latin_is_case_insensitive() {
        assert!(sort_key("apple") < sort_key("Banana"));
        assert!(sort_key("Apple") < sort_key("banana"));
    }

    #[test]
    fn every_small_kana_reads_as_its_large_kana_at_the_first_level() {
        let pairs = [
            ("ぁ", "あ"),
            ("ぃ", "い"),
            ("ぅ", "う"),
            ("ぇ", "え"),
            ("ぉ", "お"),
            ("っ", "つ"),
            ("ゃ", "や"),
            ("ゅ", "ゆ"),
            ("ょ", "よ"),
            ("ゎ", "わ"),
            ("ゕ", "か"),
            ("ゖ", "け"),
        ];
        for (small, large) in pairs {
            // In a word, and in katakana (ァ, ッ, ヵ, ...) too.
            let katakana: String = small
                .chars()
                .map(|c| char::from_u32(c as u32 + 0x60).unwrap())
                .collect();
            for word in [format!("き{small}く"), format!("キ{katakana}ク")] {
                assert_eq!(sort_key(&word).primary, format!("き{large}く"), "{word}");
            }
        }
        // So きゃく is きやく first: after きやあ, though ゃ alone sorts before や.
        assert_eq!(sorted(&["きゃく", "きやあ"]), ["きやあ", "きゃく"]);
    }

    #[test]
    fn long_vowel_mark_after_n_or_at_the_start_keeps_its_place() {
        assert_eq!(vowel_of('ん'), None);
        assert_eq!(sort_key("ー").primary, "ー");
    }
}
