//! Vetrina: a static-site generator for the results of EU-co-funded migrant work-integration
//! projects.
//!
//! The data flows one way (see ARCHITECTURE.md): `load` (read the site) → `model` (typed,
//! validated `Site`) → `plan` (every address) → `images` → `render` (bytes per route) →
//! `write` (output tree), run by `pipeline`. `build` runs all of it; `check` all but the
//! writing. Errors are collected, never thrown: one run reports every problem of a site.
#![forbid(unsafe_code)]

// Below the stages: shared by several, importing none of them.
pub mod diag;
mod fileio;
mod options;
mod picture_kind;
mod report;
mod timings;
mod tree;
mod weburl;

// The stages, in the order the data flows.
mod admin;
mod images;
mod load;
mod model;
mod opendata;
mod plan;
mod render;
mod search;
mod stamp;
mod write;

// Running the stages.
mod builder;
mod pipeline;

// The commands above the pipeline.
pub mod consents;
pub mod scaffold;
pub mod serve;
pub mod takedown;
pub mod translations;

pub use builder::{Builder, SearchFiles, SearchJob};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use jiff::civil::Date;
pub use options::{BuildOptions, today_from_env};
pub use report::{Report, TakenDownStory};
pub use search::IndexError;

use pipeline::Mode;

/// Builds the site and writes it, unless there are errors: then nothing is written.
pub fn build(opts: &BuildOptions) -> Report {
    pipeline::run(opts, Mode::Build, None).0
}

/// Everything `build` checks, without writing anything.
pub fn check(opts: &BuildOptions) -> Report {
    pipeline::run(opts, Mode::Check, None).0
}

/// The translation status of every page and language; `None` if the site has errors that
/// stop it from being read (they are in the report's diagnostics).
pub fn translations(opts: &BuildOptions) -> (Report, Option<translations::TranslationReport>) {
    let (mut report, site) = pipeline::read_model(opts);
    let Some(site) = site else {
        return (report, None);
    };
    let t = translations::report(&site, &opts.root, &mut report.diagnostics);
    (report, Some(t))
}
