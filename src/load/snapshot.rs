//! The source snapshot: what `vetrina build` read from each Markdown file of `content/`,
//! kept for the next build with the file's stamp (size, times, inode and device), in
//! `.vetrina-cache/sources/`. The next build takes the text of a file whose stamp it
//! finds the same from there instead of opening the file: at 10,000 stories in four
//! languages, opening and reading 40,000 files was most of a one-story rebuild's reading
//! (the kernel's work per file, not the bytes: the snapshot of all of them is one read).
//!
//! The stamps compared are those of the no-change check's walk (`stamp::inputs`), which looks
//! at every source file anyway. A stamp is trusted as git's index and make trust one: a file
//! whose size, modification and change times, inode and device are all the same is taken to
//! hold the same text (the change time cannot be set by hand). A file saved twice within one
//! tick of the file system's clock could keep its stamp, so a file is kept only when its time
//! is well before the build that read it began (`KEEP_AFTER`): a file edited just before a
//! build is read again by the next one. The texts kept are only those that passed every
//! check of `read_text`, which are checks of the text alone; a shard is sealed (a shard cut
//! short or altered is not taken), and every text taken from it passes those checks again
//! (`read::still_readable`), so that nothing put into the cache folder by hand reaches a
//! page unchecked. Everything after the read (front matter, Markdown, consents) runs on a
//! text from the snapshot as on a text read from its file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;

use super::TextPrints;

/// Where a site's snapshot is: the folder `sources` of the cache folder, one file per shard
/// of the paths (so that the shards are read side by side and an edit rewrites one shard,
/// not all), each sealed under this program and the site's folder. A cache folder shared by
/// two sites, or a site moved, gives a snapshot that is not taken and is written again
/// whole: no text is left behind under a folder of its own.
pub struct Place {
    folder: PathBuf,
    key: blake3::Hash,
}

impl Place {
    /// The snapshot of the site at `root`, in the cache folder `cache`.
    pub fn of(cache: &Path, root: &Path) -> Place {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut key = blake3::Hasher::new();
        key.update(crate::fileio::program_hash().as_bytes());
        key.update(root.to_string_lossy().as_bytes());
        Place {
            folder: cache.join("sources"),
            key: key.finalize(),
        }
    }

    /// Removes the snapshot of whichever site: a build that cannot see every file's stamp
    /// keeps none, and leaves no text of a file since deleted.
    pub fn forget(cache: &Path) {
        let _ = std::fs::remove_dir_all(cache.join("sources"));
    }

    fn shard(&self, shard: usize) -> PathBuf {
        self.folder.join(format!("{shard:02}.bin"))
    }
}
/// How many shards.
const SHARDS: usize = 16;
/// What a shard's file starts with: this format, version 2.
pub const MAGIC: &[u8] = b"vetrina sources 2\n";
/// How long before a build began a file must have been changed last for its text to be
/// kept by that build (in nanoseconds): far more than any file system's clock tick.
pub const KEEP_AFTER: i64 = 2_000_000_000;

pub use crate::tree::FileStamp;

/// The bytes of a stamp in a shard.
const STAMP_BYTES: usize = 8 * 5;

fn write_stamp(stamp: &FileStamp, out: &mut Vec<u8>) {
    out.extend_from_slice(&stamp.len.to_le_bytes());
    out.extend_from_slice(&stamp.modified.to_le_bytes());
    out.extend_from_slice(&stamp.changed.to_le_bytes());
    out.extend_from_slice(&stamp.inode.to_le_bytes());
    out.extend_from_slice(&stamp.device.to_le_bytes());
}

fn read_stamp(b: &[u8]) -> Option<FileStamp> {
    let u64_at = |i: usize| Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?));
    let i64_at = |i: usize| Some(i64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?));
    Some(FileStamp {
        len: u64_at(0)?,
        modified: i64_at(8)?,
        changed: i64_at(16)?,
        inode: u64_at(24)?,
        device: u64_at(32)?,
    })
}

/// The stamps of the site's source files now, by path relative to the site folder (`/`
/// between names), as the no-change check's walk saw them.
pub type Stamps = FxHashMap<String, FileStamp>;

/// What the no-change check's walk (`stamp::inputs`) saw of the sources.
#[derive(Default, Clone)]
pub struct Walked {
    pub stamps: Stamps,
    /// The ordinary files of `content/`, relative to it (`/` between names), in the order of
    /// a walk sorted by name; none when the walk saw something there that is neither a file
    /// nor a folder (`load` walks again, to report it).
    pub content: Option<Vec<String>>,
}

/// A text kept by the last build: the stamp its file had, the text, and its prints.
type Kept = (FileStamp, Arc<String>, TextPrints);

/// The shard of a path (FNV-1a: the same in every build).
fn shard_of(rel: &str) -> usize {
    let h = rel.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (h % SHARDS as u64) as usize
}

/// The last build's snapshot, and the files' stamps now: what `load` may take instead of
/// reading a file.
#[derive(Default)]
pub struct Snapshot {
    /// By shard; none when there was no snapshot.
    past: Vec<FxHashMap<String, Kept>>,
    now: Stamps,
    content: Option<Vec<String>>,
    /// How many texts `recall` gave.
    recalled: AtomicUsize,
}

impl Snapshot {
    /// The snapshot at `place`, to be compared with the files as they are `now`. A shard
    /// that is missing, was sealed under another key, or is cut short or altered is empty.
    pub fn open(place: &Place, now: Walked) -> Snapshot {
        use rayon::prelude::*;
        let past = (0..SHARDS)
            .into_par_iter()
            .map_init(
                Vec::new,
                |buf, shard| match crate::fileio::read_sealed_into(&place.shard(shard), MAGIC, buf)
                {
                    Some((k, body)) if k == place.key => parse(&buf[body..]).unwrap_or_default(),
                    _ => FxHashMap::default(),
                },
            )
            .collect();
        Snapshot {
            past,
            now: now.stamps,
            content: now.content,
            recalled: AtomicUsize::new(0),
        }
    }

    /// The ordinary files of `content/` as the walk saw them (see [`Walked`]).
    pub fn content_files(&self) -> Option<&[String]> {
        self.content.as_deref()
    }

    /// The text of the file at `rel` (relative to the site folder) as the last build read it,
    /// if the file's stamp is the same now.
    pub fn recall(&self, rel: &str) -> Option<(Arc<String>, TextPrints)> {
        let (then, text, prints) = self.past.get(shard_of(rel))?.get(rel)?;
        if self.now.get(rel) != Some(then) {
            return None;
        }
        self.recalled.fetch_add(1, Ordering::Relaxed);
        Some((text.clone(), *prints))
    }

    /// How many texts the last build kept.
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.past.iter().map(FxHashMap::len).sum()
    }

    /// How many texts `recall` gave.
    pub fn recalled(&self) -> usize {
        self.recalled.load(Ordering::Relaxed)
    }

    /// What the next build may take from this one: each file's text (`read`: path relative
    /// to the site folder, text, its `TextPrints`) with its stamp now, unless it changed too recently to be
    /// trusted (less than `KEEP_AFTER` before `began`, in ns since 1970). The shards whose
    /// files or stamps differ from the last build's, with their bodies.
    pub fn next<'a>(
        &self,
        read: impl Iterator<Item = (&'a str, &'a Arc<String>, TextPrints)> + Clone,
        began: i64,
    ) -> Vec<(usize, Vec<u8>)> {
        // The stamp of a file whose text may be kept.
        let trusted = |rel: &str| {
            let stamp = self.now.get(rel)?;
            let settled = began - KEEP_AFTER;
            (stamp.modified <= settled && stamp.changed <= settled).then_some(stamp)
        };
        // First which shards differ (per shard: texts kept, and of those, kept by the last
        // build with the same stamp), then the bodies of those alone.
        let mut kept = [0usize; SHARDS];
        let mut same = [0usize; SHARDS];
        for (rel, ..) in read.clone() {
            let Some(stamp) = trusted(rel) else {
                continue;
            };
            let shard = shard_of(rel);
            kept[shard] += 1;
            let past = self.past.get(shard).and_then(|p| p.get(rel));
            if past.is_some_and(|(s, ..)| s == stamp) {
                same[shard] += 1;
            }
        }
        let differs: Vec<bool> = (0..SHARDS)
            .map(|shard| {
                let was = self.past.get(shard).map(FxHashMap::len);
                kept[shard] != same[shard] || Some(kept[shard]) != was
            })
            .collect();
        let mut bodies: Vec<Option<Vec<u8>>> =
            (differs.iter()).map(|&d| d.then(Vec::new)).collect();
        for (rel, text, (front, rest)) in read {
            let (Some(stamp), Some(body)) = (trusted(rel), bodies[shard_of(rel)].as_mut()) else {
                continue;
            };
            body.extend_from_slice(&(rel.len() as u32).to_le_bytes());
            body.extend_from_slice(rel.as_bytes());
            write_stamp(stamp, body);
            body.extend_from_slice(front.as_bytes());
            body.extend_from_slice(rest.as_bytes());
            body.extend_from_slice(&(text.len() as u64).to_le_bytes());
            body.extend_from_slice(text.as_bytes());
        }
        (bodies.into_iter().enumerate())
            .filter_map(|(shard, body)| Some((shard, body?)))
            .collect()
    }
}

/// Writes the shards `next` gave at `place`. The snapshot is an aid: a failure is not
/// reported (the next build reads the files of that shard).
pub fn save(place: &Place, shards: Vec<(usize, Vec<u8>)>) {
    for (shard, body) in shards {
        let _ = crate::fileio::write_sealed(&place.shard(shard), MAGIC, &place.key, &body);
    }
}

/// The entries of a snapshot's body; `None` if it is malformed.
fn parse(body: &[u8]) -> Option<FxHashMap<String, Kept>> {
    let mut out = FxHashMap::default();
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Option<&[u8]> {
        let part = body.get(*at..at.checked_add(n)?)?;
        *at += n;
        Some(part)
    };
    while at < body.len() {
        let n = u32::from_le_bytes(take(&mut at, 4)?.try_into().ok()?) as usize;
        let rel = std::str::from_utf8(take(&mut at, n)?).ok()?.to_string();
        let stamp = read_stamp(take(&mut at, STAMP_BYTES)?)?;
        let hash = |b: &[u8]| Some(blake3::Hash::from_bytes(b.try_into().ok()?));
        let prints = (hash(take(&mut at, 32)?)?, hash(take(&mut at, 32)?)?);
        let n = u64::from_le_bytes(take(&mut at, 8)?.try_into().ok()?);
        let text = simdutf8::basic::from_utf8(take(&mut at, usize::try_from(n).ok()?)?).ok()?;
        if !super::read::still_readable(text) {
            return None;
        }
        out.insert(rel, (stamp, Arc::new(text.to_string()), prints));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u64, modified: i64) -> FileStamp {
        FileStamp {
            len: n,
            modified,
            changed: modified,
            inode: n,
            device: 1,
        }
    }

    /// The prints of a test text (its path is not the point here).
    fn prints(text: &str) -> TextPrints {
        super::super::text_prints(Path::new("content/x.md"), text, text.len().min(4))
    }

    fn walked(stamps: &Stamps) -> Walked {
        Walked {
            stamps: stamps.clone(),
            content: None,
        }
    }

    #[test]
    fn a_text_is_recalled_only_while_its_file_has_the_same_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let place = Place::of(&dir.path().join("cache"), dir.path());
        let old = 1_000 * 1_000_000_000;
        let began = old + 60 * 1_000_000_000;
        let texts: Vec<(String, Arc<String>)> = (0..40)
            .map(|n| (format!("content/{n}.md"), Arc::new(format!("testo {n} è"))))
            .collect();
        let mut now: Stamps = FxHashMap::default();
        for n in 0..40 {
            now.insert(format!("content/{n}.md"), stamp(n, old));
        }
        // Changed a moment before the build began: not kept.
        now.insert("content/3.md".into(), stamp(3, began - 1_000));
        let first = Snapshot::open(&place, walked(&now));
        assert_eq!(first.kept(), 0);
        let read = || texts.iter().map(|(r, t)| (r.as_str(), t, prints(t)));
        let shards = first.next(read(), began);
        assert_eq!(shards.len(), SHARDS, "a first snapshot writes every shard");
        save(&place, shards);

        let mut later = now.clone();
        later.insert("content/2.md".into(), stamp(2, old + 5));
        let second = Snapshot::open(&place, walked(&later));
        assert_eq!(second.kept(), 39);
        let (text, kept_prints) = second.recall("content/1.md").unwrap();
        assert_eq!(text.as_str(), "testo 1 è");
        assert_eq!(
            kept_prints,
            prints(&text),
            "the prints are kept with the text"
        );
        assert_eq!(second.recalled(), 1);
        // Another time, a file never kept, an unknown file: read again.
        assert!(second.recall("content/2.md").is_none());
        assert!(second.recall("content/3.md").is_none());
        assert!(second.recall("content/40.md").is_none());
        // Only the shard of the file whose stamp changed is written again.
        let again = second.next(read(), began);
        assert_eq!(
            again.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            [shard_of("content/2.md")]
        );

        // The same files with the same stamps: nothing to write.
        let third = Snapshot::open(&place, walked(&now));
        assert!(third.next(read(), began).is_empty());
        // A file fewer: its shard is written again.
        assert_eq!(third.next(read().skip(1), began).len(), 1);

        // An altered shard is empty; the others stand.
        let path = place.shard(shard_of("content/1.md"));
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let altered = Snapshot::open(&place, walked(&now));
        assert!(altered.recall("content/1.md").is_none());
        assert!(altered.kept() > 30);
        // Another site's snapshot, in the same cache folder: not taken.
        let other = tempfile::tempdir().unwrap();
        let elsewhere = Place::of(&dir.path().join("cache"), other.path());
        assert_eq!(Snapshot::open(&elsewhere, walked(&now)).kept(), 0);
    }

    #[test]
    fn a_malformed_body_is_refused_whole() {
        let mut now: Stamps = FxHashMap::default();
        now.insert("content/a.md".into(), stamp(1, 0));
        let snapshot = Snapshot {
            now,
            ..Default::default()
        };
        let text = Arc::new("ciao".to_string());
        let shards = snapshot.next(
            [("content/a.md", &text, prints(&text))].into_iter(),
            10 * KEEP_AFTER,
        );
        let body = &shards[shard_of("content/a.md")].1;
        assert_eq!(parse(body).unwrap().len(), 1);
        for cut in 1..body.len() {
            assert!(parse(&body[..cut]).is_none(), "cut at {cut}");
        }
        // A text no read would have given (a control character, an empty text): refused.
        for bad in ["ciao\u{1b}[31m", "  \n"] {
            let text = Arc::new(bad.to_string());
            let shards = snapshot.next(
                [("content/a.md", &text, prints(&text))].into_iter(),
                10 * KEEP_AFTER,
            );
            assert!(
                parse(&shards[shard_of("content/a.md")].1).is_none(),
                "{bad:?}"
            );
        }
    }
}
