//! What `vetrina serve`'s builds remember of the files they read (see [`Memo`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::Asset;
use super::{ContentFile, FoundFile};
use crate::diag::Diagnostics;

/// The Markdown files read by the last build of this process (`vetrina serve`), by path, with
/// the size and modification time they had: a file whose size and time are unchanged is not
/// read again, and the same `Arc` is handed on (so that `model` knows it is unchanged too).
///
/// When the file watcher reported every change since the last build (`hint`), and they are
/// all edits of Markdown files read then, `content/` is not even walked again: the last
/// walk's listing is used, and only the edited files are read.
#[derive(Default)]
pub struct Memo {
    pub(super) files: rustc_hash::FxHashMap<PathBuf, MemoFile>,
    /// What was read from each file of the walk, in its order.
    pub(super) reads: Vec<(Option<Arc<ContentFile>>, Diagnostics)>,
    pub(super) walk: Option<(Vec<FoundFile>, Vec<Asset>, Diagnostics)>,
    pub(super) hint: Option<Vec<PathBuf>>,
}

impl Memo {
    /// Forgets what was read from these files: they are read again even if their size and
    /// time look unchanged (file systems that keep times to the second).
    pub fn forget(&mut self, paths: &[PathBuf]) {
        for p in paths {
            self.files.remove(p);
        }
    }

    /// These files (as `forget` takes them) are all that changed since the last build: the
    /// file watcher saw nothing else.
    pub fn changed_only(&mut self, paths: Vec<PathBuf>) {
        self.forget(&paths);
        self.hint = Some(paths);
    }

    /// Whether the last walk of `content/` still holds: every change is an edit of a Markdown
    /// file read last time, or outside `content/`.
    pub(super) fn walk_holds(&self, content: &Path) -> bool {
        let (Some(hint), Some((files, ..))) = (&self.hint, &self.walk) else {
            return false;
        };
        hint.iter()
            .all(|p| !p.starts_with(content) || (p.is_file() && position_of(files, p).is_some()))
    }
}

/// Where `path` is in a walk's files. The bytes are compared first (one `memcmp`); paths
/// written differently (`a//b`, `./a`) are then compared component by component, which is
/// much slower: a walk of 40,000 files is searched on every edit of `vetrina serve`.
pub(super) fn position_of(files: &[FoundFile], path: &Path) -> Option<usize> {
    let bytes = path.as_os_str().as_encoded_bytes();
    files
        .iter()
        .position(|(f, ..)| f.as_os_str().as_encoded_bytes() == bytes)
        .or_else(|| files.iter().position(|(f, ..)| f == path))
}

pub(super) struct MemoFile {
    pub(super) len: u64,
    pub(super) modified: SystemTime,
    pub(super) read: Option<Arc<ContentFile>>,
    pub(super) diags: Diagnostics,
}

impl MemoFile {
    /// What the memo keeps of a file read with this size and time (`stamp`); nothing when
    /// they could not be read.
    pub(super) fn of(
        stamp: Option<(u64, SystemTime)>,
        read: &Option<Arc<ContentFile>>,
        diags: &Diagnostics,
    ) -> Option<MemoFile> {
        let (len, modified) = stamp?;
        Some(MemoFile {
            len,
            modified,
            read: read.clone(),
            diags: diags.clone(),
        })
    }
}
