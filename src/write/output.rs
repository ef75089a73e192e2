//! What the write stage accepts: the files of a build, in memory or already on disk, before
//! anything is put in place. Render fills it; nothing here reads a page's content.

use std::path::PathBuf;
use std::sync::Arc;

/// A generated file's bytes, shared between a build's output and the cache of `vetrina
/// serve` (a page taken from the last build is not copied).
pub type Bytes = Arc<Vec<u8>>;

/// Everything a build publishes.
#[derive(Debug, Default)]
pub struct Output {
    /// Generated files.
    pub files: Vec<OutFile>,
    /// Files copied as they are: (path relative to the output folder, source file).
    pub copies: Vec<(String, PathBuf)>,
    /// How many of the pages (not the other files) were taken from earlier work.
    pub pages_kept: usize,
    /// How many of the files made beside the pages (feeds, calendars, the sitemap…) were
    /// taken from earlier work.
    pub extras_kept: usize,
}

/// A generated file of a build.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Its path relative to the output folder.
    pub path: String,
    /// Its bytes; empty when they are not held here (see `held`).
    pub bytes: Bytes,
    pub held: Held,
}

/// Where a generated file's bytes are. A flag of each file rather than a set of paths: at
/// 10,000 stories a rebuild of `vetrina serve` lists 44,000 pages, nearly all of them kept,
/// and a set of their paths was made and searched again on every save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Here, to be compared with the output folder and written if they differ.
    Here,
    /// In the output folder, as the last build wrote them (a page rendered from the same
    /// context): nothing to compare or write.
    Kept,
    /// Handed to the writer as soon as the file was made (staged beside the output).
    Streamed,
}

impl OutFile {
    /// A file whose bytes are here.
    pub fn here(path: String, bytes: Bytes) -> Self {
        OutFile {
            path,
            bytes,
            held: Held::Here,
        }
    }

    /// A file without its bytes: `held` says where they are.
    pub fn elsewhere(path: String, held: Held, no_bytes: &Bytes) -> Self {
        OutFile {
            path,
            bytes: no_bytes.clone(),
            held,
        }
    }

    /// Whether it is still to be compared with the output folder (and written).
    pub fn to_stage(&self) -> bool {
        self.held == Held::Here
    }
}

impl Output {
    /// Lets go of the bytes of the generated files (once they are staged), keeping their
    /// paths: the list of what the site holds.
    pub fn release_bytes(&mut self) {
        let empty: Bytes = Arc::new(Vec::new());
        for f in &mut self.files {
            f.bytes = empty.clone();
        }
    }
}

#[cfg(test)]
impl Output {
    /// The file at `path`, if the output lists it.
    pub fn file(&self, path: &str) -> Option<&OutFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Whether the file at `path` is listed as `held`.
    pub fn is(&self, path: &str, held: Held) -> bool {
        self.file(path).is_some_and(|f| f.held == held)
    }
}
