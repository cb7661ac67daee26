//! Fuzzes the whole pipeline (load, model, render) on the mini fixture with one source file
//! replaced by the input: its first byte picks the file (tests/support/properties.rs, SLOTS).
#![no_main]

#[path = "../../tests/support/audit.rs"]
mod audit;
#[path = "../../tests/support/properties.rs"]
mod properties;

use std::sync::OnceLock;

static SITE: OnceLock<properties::Site> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((slot, rest)) = data.split_first() else {
        return;
    };
    // Building twice doubles the cost: check determinism on about one input in sixteen.
    let twice = slot & 0xF0 == 0xF0;
    SITE.get_or_init(properties::Site::new).check(*slot, rest, twice);
});
