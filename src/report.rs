//! What a build or check did, for the command line, `vetrina serve` and the tests: its
//! diagnostics and its figures.

use std::path::PathBuf;
use std::time::Duration;

use crate::diag::Diagnostics;

/// A story that was left out because its consent expired or was withdrawn.
#[derive(Debug, Clone)]
pub struct TakenDownStory {
    pub key: String,
    pub file: PathBuf,
    pub reason: String,
}

/// What a build or check did.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Diagnostics,
    /// Pages rendered per language, in the site's language order.
    pub pages: Vec<(String, usize)>,
    pub files_written: usize,
    pub files_unchanged: usize,
    pub files_removed: usize,
    /// Pictures decoded and resized in this build, and pictures taken from the cache.
    pub images_processed: usize,
    pub images_reused: usize,
    pub taken_down: Vec<TakenDownStory>,
    /// Pages in the search index per language, and the time the index took.
    pub search_pages: Vec<(String, usize)>,
    pub search_urls: Vec<String>,
    pub search_elapsed: Duration,
    /// Pages of the search index taken from the last build's memo of it, not read back.
    pub search_recalled: usize,
    /// Files of the search index left in the output as the last build wrote them: those of
    /// the languages none of whose pages changed.
    pub search_files_kept: usize,
    /// Pages not rendered: their context was the same as in the last build, and the output
    /// folder still held what that build published.
    pub pages_kept: usize,
    /// Files beside the pages (feeds, calendars, the sitemap, the files of story cards,
    /// the open data) not made again: the last build's, as they are.
    pub extras_kept: usize,
    /// Front matters taken as the last build parsed them (`model::parse_cache`), not parsed
    /// again.
    pub front_matters_reused: usize,
    /// Markdown files known from the last build's source snapshot, not read
    /// (`load::snapshot`), and of those, the ones whose text was read late, when asked for.
    pub sources_reused: usize,
    pub sources_read_late: usize,
    /// Nothing changed since the last build (same sources, options and output): nothing was
    /// done.
    pub nothing_changed: bool,
    pub elapsed: Duration,
}

impl Report {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}
