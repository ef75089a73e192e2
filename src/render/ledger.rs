//! The pages of the last `vetrina build`, remembered until the next one: for each page, a
//! fingerprint of its template context and the hash of the bytes that were published.
//!
//! A page whose context is the same as then, rendered by the same program under the same
//! templates, strings and addresses, and whose published file still holds exactly those
//! bytes, is taken from the output folder instead of being rendered and minified again.
//! Changing one story then renders the pages that show it (its page, the lists, hubs and
//! home that carry its card), not the whole site. Anything in doubt — no record, another
//! program, a file that was edited or removed by hand — means the page is rendered.
//!
//! Kept in `.vetrina-cache/pages-<hash of the output folder's path>.bin`, sealed
//! (`fileio::write_sealed`: a magic line, the key — program and site-wide inputs — and a hash
//! of the rest), then one record per page (path length as little-endian u32, path,
//! 32 bytes of context fingerprint, 32 bytes of content hash).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

const MAGIC: &[u8] = b"vetrina pages 1\n";

/// What is known of one published page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub context: blake3::Hash,
    pub bytes: blake3::Hash,
}

/// The record of the last build, and the one this build is making.
#[derive(Debug)]
pub struct Ledger {
    file: PathBuf,
    output: PathBuf,
    /// The key the record was made under; replaced by this build's in `start`.
    key: Option<blake3::Hash>,
    past: FxHashMap<String, Entry>,
    now: Vec<(String, Entry)>,
}

impl Ledger {
    /// Reads the record kept in `cache_dir` of builds into `output`. A missing, cut-short or
    /// altered record is an empty one.
    pub fn open(cache_dir: &Path, output: &Path) -> Ledger {
        // One record per output folder: builds into two folders do not undo each other's.
        let folder = blake3::hash(output.to_string_lossy().as_bytes()).to_hex();
        let file = cache_dir.join(format!("pages-{}.bin", &folder[..16]));
        let (key, past) = crate::fileio::read_sealed(&file, MAGIC)
            .and_then(|(k, body)| Some((Some(k), parse(&body)?)))
            .unwrap_or_default();
        Ledger {
            file,
            output: output.to_path_buf(),
            key,
            past,
            now: Vec::new(),
        }
    }

    /// Starts this build's record under `key`; the pages of the last build are usable only
    /// if its key was the same.
    pub(super) fn start(&mut self, key: blake3::Hash) {
        if self.key != Some(key) {
            self.past.clear();
        }
        self.key = Some(key);
        self.now.clear();
    }

    /// The published bytes of the page at `path` (its file `file` in the output), if the
    /// last build rendered it from a context with this `fingerprint` and the file still
    /// holds what was published then.
    pub(super) fn kept(
        &self,
        path: &str,
        file: &str,
        fingerprint: &blake3::Hash,
    ) -> Option<(Vec<u8>, Entry)> {
        let entry = self.past.get(path)?;
        if entry.context != *fingerprint {
            return None;
        }
        let bytes = fs::read(self.output.join(file)).ok()?;
        (blake3::hash(&bytes) == entry.bytes).then_some((bytes, *entry))
    }

    /// Records the pages of this build (those rendered without any diagnostic).
    pub(super) fn record(&mut self, entries: Vec<(String, Entry)>) {
        self.now = entries;
    }

    /// How many pages the last build left that this one may take.
    #[cfg(test)]
    pub fn known(&self) -> usize {
        self.past.len()
    }

    /// Keeps this build's record for the next one (written beside, then renamed into
    /// place). Call it once the pages are published.
    pub fn save(&self) -> io::Result<()> {
        let Some(key) = self.key else {
            return Ok(());
        };
        let mut buf = Vec::with_capacity(self.now.len() * 128);
        for (path, e) in &self.now {
            let Ok(len) = u32::try_from(path.len()) else {
                continue;
            };
            buf.extend_from_slice(&len.to_le_bytes());
            buf.extend_from_slice(path.as_bytes());
            buf.extend_from_slice(e.context.as_bytes());
            buf.extend_from_slice(e.bytes.as_bytes());
        }
        crate::fileio::write_sealed(&self.file, MAGIC, &key, &buf)
    }
}

fn parse(mut rest: &[u8]) -> Option<FxHashMap<String, Entry>> {
    let hash =
        |b: &[u8]| -> Option<blake3::Hash> { Some(blake3::Hash::from_bytes(b.try_into().ok()?)) };
    let mut past = FxHashMap::default();
    while !rest.is_empty() {
        let (n, r) = rest.split_at_checked(4)?;
        let n = u32::from_le_bytes(n.try_into().ok()?) as usize;
        let (path, r) = r.split_at_checked(n)?;
        let (context, r) = r.split_at_checked(32)?;
        let (bytes, r) = r.split_at_checked(32)?;
        past.insert(
            String::from_utf8(path.to_vec()).ok()?,
            Entry {
                context: hash(context)?,
                bytes: hash(bytes)?,
            },
        );
        rest = r;
    }
    Some(past)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(c: &[u8], b: &[u8]) -> Entry {
        Entry {
            context: blake3::hash(c),
            bytes: blake3::hash(b),
        }
    }

    #[test]
    fn a_page_is_kept_only_with_the_same_key_context_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, out) = (dir.path().join("cache"), dir.path().join("public"));
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/index.html"), b"<p>a</p>").unwrap();
        let key = blake3::hash(b"key");
        let mut l = Ledger::open(&cache, &out);
        assert_eq!(l.known(), 0);
        l.start(key);
        l.record(vec![("/a/".into(), entry(b"ctx", b"<p>a</p>"))]);
        l.save().unwrap();

        let mut l = Ledger::open(&cache, &out);
        l.start(key);
        let fp = blake3::hash(b"ctx");
        let (bytes, _) = l.kept("/a/", "a/index.html", &fp).expect("kept");
        assert_eq!(bytes, b"<p>a</p>");
        // Another context, another page, a file changed by hand: rendered again.
        assert!(
            l.kept("/a/", "a/index.html", &blake3::hash(b"other"))
                .is_none()
        );
        assert!(l.kept("/b/", "b/index.html", &fp).is_none());
        fs::write(out.join("a/index.html"), b"<p>A</p>").unwrap();
        assert!(l.kept("/a/", "a/index.html", &fp).is_none());
        fs::write(out.join("a/index.html"), b"<p>a</p>").unwrap();

        // Another program or other templates: nothing is taken.
        let mut l = Ledger::open(&cache, &out);
        l.start(blake3::hash(b"another key"));
        assert!(l.kept("/a/", "a/index.html", &fp).is_none());
    }

    #[test]
    fn a_cut_short_record_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut l = Ledger::open(dir.path(), &out);
        l.start(blake3::hash(b"key"));
        l.record(vec![
            ("/a/".into(), entry(b"1", b"2")),
            ("/b/".into(), entry(b"3", b"4")),
        ]);
        l.save().unwrap();
        assert_eq!(Ledger::open(dir.path(), &out).known(), 2);
        let file = Ledger::open(dir.path(), &out).file;
        let b = fs::read(&file).unwrap();
        fs::write(&file, &b[..b.len() - 10]).unwrap();
        assert_eq!(Ledger::open(dir.path(), &out).known(), 0);
    }
}
