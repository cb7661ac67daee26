//! Fuzzes Markdown rendering; the properties are in tests/support/properties.rs.
#![no_main]

#[path = "../../tests/support/audit.rs"]
mod audit;
#[path = "../../tests/support/properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // Sources are checked for UTF-8 before rendering; invalid bytes never reach Markdown.
    if let Ok(md) = std::str::from_utf8(data) {
        properties::check_markdown(md);
    }
});
