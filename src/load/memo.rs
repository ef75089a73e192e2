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

    /// Lets go of the texts of the files it keeps (see `ContentFile::released`): each file
    /// holding its text is replaced by one that reads it again when asked. The replacements
    /// by the address of the file they replace, for the model's memo to take the same.
    pub fn release_texts(
        &mut self,
        root: &Path,
        late: &Arc<super::snapshot::LateReads>,
    ) -> Released {
        let mut released = Released::default();
        let mut swap = |slot: &mut Arc<ContentFile>| {
            let old = Arc::as_ptr(slot) as usize;
            let new = match released.get(&old) {
                Some(new) => new.clone(),
                None => match slot.released(root, late) {
                    Some(cf) => {
                        let new = Arc::new(cf);
                        released.insert(old, new.clone());
                        new
                    }
                    None => return,
                },
            };
            *slot = new;
        };
        for (read, _) in &mut self.reads {
            if let Some(cf) = read {
                swap(cf);
            }
        }
        for file in self.files.values_mut() {
            if let Some(cf) = &mut file.read {
                swap(cf);
            }
        }
        released
    }

    /// How many of the files it keeps hold their text (see `release_texts`).
    pub fn texts_held(&self) -> usize {
        (self.reads.iter().flat_map(|(read, _)| read))
            .chain(self.files.values().flat_map(|f| &f.read))
            .filter(|cf| cf.src.text.is_held())
            .count()
    }

    /// Whether the last walk of `content/` still holds: every change is an edit of a Markdown
    /// file read last time, outside `content/`, or of a file that came and went between the
    /// two walks (an editor that saves by writing a new file and renaming it over the old
    /// one: `sed -i`, many editors).
    pub(super) fn walk_holds(&self, content: &Path) -> bool {
        let (Some(hint), Some((files, assets, _))) = (&self.hint, &self.walk) else {
            return false;
        };
        hint.iter().all(|p| {
            !p.starts_with(content)
                || (p.is_file() && position_of(files, p).is_some())
                || (std::fs::symlink_metadata(p).is_err()
                    && p.file_name().is_some_and(|name| {
                        !files.iter().any(|(f, ..)| names(f, name))
                            && !assets.iter().any(|a| names(&a.abs, name))
                    }))
        })
    }
}

/// Whether one of the folders or the file of `path` is called `name`: a file of the walk
/// that may be the path that is gone, or inside it. (Names, not whole paths, are compared:
/// a path written otherwise, `a//b`, is still found, and a walk too many is only slower.)
fn names(path: &Path, name: &std::ffi::OsStr) -> bool {
    let name = name.as_encoded_bytes();
    path.as_os_str()
        .as_encoded_bytes()
        .split(|&b| b == b'/')
        .any(|part| part == name)
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

/// Files whose texts were let go, by the address of the file each replaces.
pub type Released = rustc_hash::FxHashMap<usize, Arc<ContentFile>>;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_came_and_went_keeps_the_walk_and_a_file_that_went_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let bundle = content.join("stories/a");
        std::fs::create_dir_all(&bundle).unwrap();
        let text = bundle.join("index.it.md");
        std::fs::write(&text, "---\ntitle: a\n---\n").unwrap();
        let found: FoundFile = (text.clone(), "stories".into(), "a".into(), "it".into());
        let gone_picture = Asset {
            section: "stories".into(),
            key: "a".into(),
            name: "foto.jpg".into(),
            abs: bundle.join("foto.jpg"),
        };
        let holds = |hint: Vec<PathBuf>| {
            let memo = Memo {
                walk: Some((
                    vec![found.clone()],
                    vec![gone_picture.clone()],
                    Diagnostics::new(),
                )),
                hint: Some(hint),
                ..Memo::default()
            };
            memo.walk_holds(&content)
        };
        // The text edited in place, or by a new file renamed over it (`sed -i`).
        assert!(holds(vec![text.clone()]));
        assert!(holds(vec![bundle.join("sedX1b2c3"), text.clone()]));
        // A folder that came and went is nothing either; a new folder is.
        assert!(holds(vec![content.join("stories/b")]));
        std::fs::create_dir_all(content.join("stories/b")).unwrap();
        assert!(!holds(vec![content.join("stories/b")]));
        // A file of the last walk that is gone, or its folder, or a new file.
        assert!(!holds(vec![bundle.join("foto.jpg")]));
        std::fs::remove_file(&text).unwrap();
        assert!(!holds(vec![text.clone()]));
        assert!(!holds(vec![bundle.clone()]));
        std::fs::write(bundle.join("scheda.pdf"), "%PDF").unwrap();
        assert!(!holds(vec![bundle.join("scheda.pdf")]));
    }
}
