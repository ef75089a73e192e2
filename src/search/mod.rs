//! The search index: Vetrina's own, static, one per language, read in the browser by a small
//! script published with it (`search-index/search.js`), with no server.
//!
//! Only pages that carry content of their own are indexed: project sheets, stories, news,
//! pages, events and region hubs, in the languages they are written in. Pages that show
//! another language's text (fallbacks) are left out, and so are lists, the home page and the
//! 404 page. Stories taken down for consent never reach the renderer, so never the index.
//!
//! What a page gives the index is the text of its element marked `data-search-body` (the
//! theme's `<main>`), less the elements marked `data-search-ignore`: its `<h1>` is the
//! result's title, headings weigh more than body text.
//!
//! The index is made of small files per language (see [`format`](mod@format) for what each
//! holds): the words, the stems with their pages and scores, and the pages' titles.
//!
//! A query word is looked up among the words (exactly and as the start of longer words) and
//! among the stems: a word found brings every page of its stem, so `lavori` finds `lavoro`,
//! and `العمل` finds `بالعمل`, with no stemmer in the browser. Runs are cut at about
//! [`format::CHUNK_BYTES`], so a query fetches a few small files, never the whole index.
//!
//! The work is split by job: [`index`](mod@index) gathers the pages (taken apart, numbered,
//! merged), [`html`] reads a rendered page's text, title and headings, [`text`] splits it
//! into words, folds and stems them, and [`format`](mod@format) writes the files. This
//! module reads rendered pages only (never the model) and writes nothing to disk: the files
//! are handed back, or to the build's sink as they are made.

mod format;
mod html;
mod index;
#[cfg(test)]
mod tests;
mod text;

use std::borrow::Cow;
use std::path::PathBuf;
use std::time::Duration;

use rustc_hash::FxHashMap;

/// The folder of the output that holds the index (an address of the plan).
pub use crate::plan::SEARCH_DIR;
use crate::plan::{Kind, Route};

/// Takes a generated file (path in the output, bytes) as soon as it is made; returns whether
/// it did, so that its bytes need not be kept (the search index's files of a build that
/// streams its pages).
pub type FileSink<'a> = dyn Fn(&str, &[u8]) -> bool + Sync + 'a;

pub(crate) use index::Indexer;

/// A file of the index: (path in the output, bytes).
pub type GeneratedFile = (String, Vec<u8>);

/// A rendered page to index: in memory, or already on disk (a build puts its pages there
/// and lets go of them before indexing, to need less memory).
pub(crate) enum Page<'a> {
    Bytes(&'a [u8]),
    File(PathBuf),
}

impl Page<'_> {
    fn read(&self) -> Result<Cow<'_, [u8]>, IndexError> {
        match self {
            Page::Bytes(b) => Ok(Cow::Borrowed(b)),
            Page::File(p) => std::fs::read(p)
                .map(Cow::Owned)
                .map_err(|e| IndexError::Failed(format!("cannot read {} back: {e}", p.display()))),
        }
    }
}

/// Why no index was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// Given up because a newer build made it out of date (`cancelled` answered true): not
    /// a fault, nothing to report.
    Cancelled,
    /// A fault: a page could not be read back, or the indexer stopped.
    Failed(String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Cancelled => f.write_str("cancelled"),
            IndexError::Failed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for IndexError {}

/// The script that reads the index in the browser (`search.js` beside this file), published
/// as `search-index/search.js`.
pub(crate) const RUNTIME: &str = include_str!("search.js");

/// What the index holds, for the build report and the tests.
#[derive(Debug, Default, Clone)]
pub struct SearchStats {
    /// Pages indexed per language, in the order first met.
    pub pages: Vec<(String, usize)>,
    /// The address of every indexed page.
    pub urls: Vec<String>,
    /// Time spent indexing, in memory: the time taken apart pages took (those taken apart
    /// while rendering counted as shared among the cores), then the time making the files.
    pub elapsed: Duration,
    /// The files of the index already handed to the build's sink (staged) while rendering:
    /// listed among the files without their bytes.
    pub streamed: Vec<String>,
}

/// Whether a route's page goes into the search index.
pub(crate) fn indexed(route: &Route) -> bool {
    !route.fallback
        && matches!(
            route.kind,
            Kind::Project(_)
                | Kind::Story(_)
                | Kind::News(_)
                | Kind::Page(_)
                | Kind::Event(_)
                | Kind::Region(_)
        )
}

/// Indexes `pages` (route, rendered HTML) and returns the index's files, as (path in the
/// output, bytes), sorted by path. The pages are read and taken apart on every core, and the
/// languages' files made side by side; in the `background` (`vetrina serve`, while the next
/// edit may be rendering) all of it runs on the calling thread at the lowest priority.
/// `cancelled` is asked between pages.
pub(crate) fn index<'a>(
    pages: impl Iterator<Item = (&'a Route, Page<'a>)>,
    cancelled: &(dyn Fn() -> bool + Sync),
    background: bool,
) -> Result<(Vec<GeneratedFile>, SearchStats), IndexError> {
    let pages: Vec<(&Route, Page)> = pages.collect();
    let indexer = Indexer::new(pages.iter().map(|(r, _)| *r));
    let by_path: FxHashMap<&str, &Page> = pages.iter().map(|(r, p)| (r.path.as_str(), p)).collect();
    indexer.finish(
        &|route: &Route| match by_path.get(route.path.as_str()) {
            Some(Page::Bytes(b)) => Page::Bytes(b),
            Some(Page::File(f)) => Page::File(f.clone()),
            None => Page::Bytes(&[]),
        },
        cancelled,
        background,
    )
}
