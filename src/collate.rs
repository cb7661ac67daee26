//! Sorting Japanese the way a dictionary does: by kana reading, voiced and plain kana together
//! (か = が at the first level), katakana as hiragana; other scripts case-insensitively.

use unicode_normalization::UnicodeNormalization;

/// Primary key (base kana, case folded) then the full text, so the order is total and stable.
pub fn sort_key(text: &str) -> (String, String) {
    let folded: String = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .map(katakana_to_hiragana)
        .collect();
    // NFD splits が into か + U+3099; dropping the combining marks gives the primary key.
    let primary: String = folded
        .nfd()
        .filter(|c| !matches!(*c, '\u{3099}' | '\u{309A}'))
        .collect();
    (primary, folded)
}

fn katakana_to_hiragana(c: char) -> char {
    match c {
        'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_sort_in_gojuon_order_with_voicing_ignored_first() {
        let mut words = vec![
            "ばっくあっぷ",
            "ぜいじゃくせい",
            "あくせす",
            "はけん",
            "サプライチェーン",
            "かんし",
            "がいぶ",
        ];
        words.sort_by_key(|w| sort_key(w));
        assert_eq!(
            words,
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
    fn latin_is_case_insensitive() {
        assert!(sort_key("apple") < sort_key("Banana"));
    }
}
