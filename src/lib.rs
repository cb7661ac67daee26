//! kijun as a library: the pipeline stages, so that the binary, the fuzz targets and the
//! property tests all drive the same code. `main.rs` only parses arguments.

pub mod authoring;
pub mod collate;
pub mod commands;
pub mod config;
pub mod derive;
pub mod diagnostics;
pub mod export;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod model;
pub mod outdir;
pub mod output;
pub mod render;
pub mod revision;
pub mod search;
pub mod serve;
pub mod site;
pub mod strpos;
pub mod theme;
pub mod timing;
pub mod tomlerr;
pub mod urls;
pub mod write;

/// Output format of `kijun check`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Output format of `kijun diff`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}
