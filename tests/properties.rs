//! Property tests over Markdown and whole sites (proptest): generated input mixes Markdown,
//! HTML, script URLs in every spelling, TOML keys and values, and stray bytes. The properties are
//! in `support/properties.rs`, shared with the fuzz targets. The committed fuzz seed corpus is
//! replayed here too. Cases per run: `KIJUN_PROPTEST_CASES` (default 48; CI keeps it short).

#[path = "support/audit.rs"]
mod audit;
#[path = "support/properties.rs"]
mod properties;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;

/// Pieces that matter to a Markdown parser, an HTML tokenizer or a URL parser.
const MARKDOWN_PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "<script",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "<!--",
    "-->",
    "<![CDATA[",
    "<iframe src=",
    "<style>",
    "[x](",
    "](",
    ")",
    "![alt](",
    "<",
    ">",
    "&",
    "&#",
    "&#x61;",
    "&amp;",
    "&lt;",
    "javascript:",
    "JaVaScRiPt:",
    "jav&#x61;script:",
    "&#106;avascript:",
    "java\tscript:",
    " javascript:",
    "vbscript:",
    "data:text/html,<script>",
    "data:image/svg+xml,",
    "https://example.org/",
    "mailto:a@b",
    "//evil.example/",
    "#frag",
    "?q=1",
    "measure:AM-1",
    "measure:ZZ-9",
    "measure:AM-2",
    "glossary:mfa",
    "[](",
    "[^1]",
    "[^1]: note",
    "{#id}",
    "{#x onclick=alert(1)}",
    "{.cls key=val}",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "    ",
    "> ",
    "- ",
    "* ",
    "1. ",
    "# ",
    "## ",
    "```",
    "~~~",
    "`",
    "*",
    "_",
    "**",
    "~~",
    "|",
    "|---|",
    "\\",
    "\"",
    "'",
    "=",
    "日本語",
    "なぜ重要か",
    "\u{feff}",
    "\u{200b}",
    "\u{2028}",
    "é",
    "+++",
    "---",
];

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(MARKDOWN_PIECES).prop_map(str::to_string),
        1 => "\\PC{0,6}",
    ];
    proptest::collection::vec(piece, 0..48).prop_map(|parts| parts.concat())
}

const KEYS: &[&str] = &[
    "id",
    "title",
    "statement",
    "level",
    "leve",
    "obligation",
    "category",
    "order",
    "sectors",
    "replaces",
    "draft",
    "template",
    "categories",
    "measures",
    "text",
    "x.y",
    "\"quoted key\"",
];
const VALUES: &[&str] = &[
    "\"AM-2\"",
    "\"<script>alert(1)</script>\"",
    "\"[x](javascript:alert(1))\"",
    "1",
    "2",
    "7",
    "-1",
    "\"one\"",
    "true",
    "[\"electricity\"]",
    "[\"nowhere\"]",
    "\"required\"",
    "\"recommended\"",
    "\"mandatory\"",
    "\"AM\"",
    "[[[]]]",
    "{ a = 1 }",
    "\"\\u0000\"",
    "\"",
    "'''",
    "1979-05-27",
    "inf",
    "nan",
    "0x10",
    "\"日本語のタイトル\"",
    "= =",
    "",
];

/// A Markdown page: TOML front matter made of likely and unlikely lines, then a body.
fn page() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        6 => (proptest::sample::select(KEYS), proptest::sample::select(VALUES))
            .prop_map(|(k, v)| format!("{k} = {v}\n")),
        1 => Just("[[sector_notes]]\nsector = \"medical\"\ntext = \"<b>note</b> [](measure:AM-1)\"\n".to_string()),
        1 => "\\PC{0,12}\n",
    ];
    let fence = prop_oneof![8 => Just("+++\n"), 1 => Just(""), 1 => Just("+++ \n")];
    (
        fence.clone(),
        proptest::collection::vec(line, 0..10),
        fence,
        markdown(),
    )
        .prop_map(|(open, lines, close, body)| {
            format!("{open}title = \"T\"\n{}{close}{body}", lines.concat())
        })
}

/// TOML data files: tables and rows with plausible and hostile keys and values.
fn data_file() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        2 => Just("[[term]]\n".to_string()),
        2 => Just("[[row]]\n".to_string()),
        1 => Just("[[remains]]\n".to_string()),
        1 => Just("[[not_covered]]\n".to_string()),
        1 => Just("[[item]]\n".to_string()),
        6 => (proptest::sample::select(&[
            "id", "ja", "en", "reading", "definition.ja", "definition.en", "see", "measure", "item",
            "relation", "rationale", "strength", "justification.ja", "justification.en", "kind",
            "title", "parent", "text", "source_url",
        ][..]), proptest::sample::select(VALUES))
            .prop_map(|(k, v)| format!("{k} = {v}\n")),
    ];
    proptest::collection::vec(line, 0..24).prop_map(|lines| lines.concat())
}

fn cases(default: u32) -> u32 {
    std::env::var("KIJUN_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn markdown_never_yields_script_and_renders_the_same_twice() {
    let mut runner = TestRunner::new(Config {
        cases: cases(48) * 8,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&markdown(), |md| {
            properties::check_markdown(&md);
            Ok(())
        })
        .unwrap();
}

/// Text for a TOML string value: plain, or hostile, or Markdown.
fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "\\PC{0,16}",
        2 => markdown(),
        1 => proptest::sample::select(VALUES).prop_map(str::to_string),
    ]
    .prop_map(|s| toml::Value::String(s).to_string())
}

/// Well-formed files of the fixture with generated titles, statements, definitions and bodies:
/// these mostly build, so the audit of the output is exercised.
fn valid_source() -> impl Strategy<Value = (u8, String)> {
    prop_oneof![
        (text_value(), text_value(), markdown()).prop_map(|(t, st, body)| {
            (1, format!("+++\ntitle = {t}\nstatement = {st}\n+++\n{body}"))
        }),
        (text_value(), markdown())
            .prop_map(|(t, body)| (4, format!("+++\nid = \"about\"\ntitle = {t}\n+++\n{body}"))),
        (text_value(), markdown())
            .prop_map(|(t, body)| (5, format!("+++\ntitle = {t}\n+++\n{body}"))),
        (text_value(), text_value(), text_value()).prop_map(|(name, def, reading)| {
            let term = |id: &str, see: &str| {
                format!("[[term]]\nid = \"{id}\"\nja = {name}\nreading = {reading}\nen = {name}\ndefinition.ja = {def}\ndefinition.en = {def}\n{see}\n")
            };
            (6, term("mfa", "") + &term("asset", "see = [\"mfa\"]"))
        }),
        (text_value(), text_value()).prop_map(|(ja, en)| {
            let cw = std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini/content/crosswalks/test-fw.toml"),
            )
            .unwrap();
            let cw = cw
                .replace("\"どちらも資産台帳を求める。\"", &ja)
                .replace("\"Both ask for an asset inventory.\"", &en);
            (7, cw)
        }),
    ]
}

/// Anything at all in a page or data slot.
fn any_source() -> impl Strategy<Value = (u8, String)> {
    prop_oneof![
        2 => (0u8..6, page()),
        1 => (6u8..9, data_file()),
    ]
}

#[test]
fn any_source_file_builds_safely_or_fails_with_positions() {
    let site = properties::Site::new();
    let mut runner = TestRunner::new(Config {
        cases: cases(48),
        failure_persistence: None,
        ..Config::default()
    });
    let input = (
        prop_oneof![3 => valid_source(), 2 => any_source()],
        any::<bool>(),
    );
    runner
        .run(&input, |((slot, text), twice)| {
            site.check(slot, text.as_bytes(), twice);
            Ok(())
        })
        .unwrap();
    let audited = properties::SITES_AUDITED.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("{audited} generated sites built and passed the audit");
    assert!(
        audited > 0,
        "no generated input built: the audit was never exercised"
    );
}

/// The fuzzers' seed corpus, run through the same checks (first byte: the file slot).
#[test]
fn the_fuzz_seed_corpus_replays_cleanly() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(corpus.join("markdown")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            properties::check_markdown(&String::from_utf8_lossy(&bytes));
            seen += 1;
        }
    }
    let site = properties::Site::new();
    for entry in walkdir::WalkDir::new(corpus.join("pipeline")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            if let Some((slot, rest)) = bytes.split_first() {
                site.check(*slot, rest, true);
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "the seed corpus has {seen} inputs");
}
