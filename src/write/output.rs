//! What the write stage accepts: the files of a build, in memory or already on disk, before
//! anything is put in place. Render fills it; nothing here reads a page's content.

use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashSet;

/// A generated file's bytes, shared between a build's output and the cache of `vetrina
/// serve` (a page taken from the last build is not copied).
pub type Bytes = Arc<Vec<u8>>;

/// Everything a build publishes.
#[derive(Debug, Default)]
pub struct Output {
    /// Generated files: (path relative to the output folder, bytes).
    pub files: Vec<(String, Bytes)>,
    /// Files copied as they are: (path relative to the output folder, source file).
    pub copies: Vec<(String, PathBuf)>,
    /// Files taken as they are from the output folder (the pages the last build rendered
    /// from the same context): nothing to compare or write.
    pub kept: FxHashSet<String>,
    /// Files handed to the writer as soon as they were rendered (staged beside the output):
    /// their bytes are not held here.
    pub streamed: FxHashSet<String>,
    /// How many of the pages (not the other files) were taken from earlier work.
    pub pages_kept: usize,
}

impl Output {
    /// Lets go of the bytes of the generated files (once they are staged), keeping their
    /// paths: the list of what the site holds.
    pub fn release_bytes(&mut self) {
        let empty: Bytes = Arc::new(Vec::new());
        for (_, b) in &mut self.files {
            *b = empty.clone();
        }
    }
}
